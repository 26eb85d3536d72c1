//! iCalendar content lines (RFC 5545 §3.1, §3.3.11): CRLF after every line, lines folded
//! at 75 octets without splitting a character, TEXT values escaped.
//!
//! Written here rather than with a crate: `icalendar` 0.17 gives every VALARM it writes a
//! DTSTAMP of the clock and a random UID (so two runs never give the same file, and the
//! alarm carries properties RFC 5545 does not list for it); `ics` 0.5 folds continuation
//! lines at 76 octets. What is needed is this one file.

/// Content lines longer than this many octets (CRLF excluded) are folded.
pub const LINE_OCTETS: usize = 75;

#[derive(Default)]
pub struct Ics {
    out: String,
}

impl Ics {
    /// A property whose value is already in its iCalendar form (a date, a duration, a code).
    pub fn raw(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// A TEXT property: neutralised like everything shown to a person, then escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }

    /// A TEXT value of several lines, each escaped, joined by the escaped line break.
    pub fn text_lines(&mut self, name: &str, lines: &[String]) {
        let value: Vec<String> = lines.iter().map(|l| escape_text(l)).collect();
        self.line(&format!("{name}:{}", value.join("\\n")));
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn line(&mut self, line: &str) {
        let mut rest = line;
        let mut room = LINE_OCTETS;
        loop {
            if rest.len() <= room {
                self.out.push_str(rest);
                self.out.push_str("\r\n");
                return;
            }
            let mut cut = room;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.out.push_str(&rest[..cut]);
            // The continuation's leading space counts toward its 75 octets.
            self.out.push_str("\r\n ");
            rest = &rest[cut..];
            room = LINE_OCTETS - 1;
        }
    }
}

/// RFC 5545 TEXT: backslash, semicolon and comma escaped; control and bidi characters
/// (line breaks included) become spaces first, as on every other output.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in crate::ui::text::clean(s).chars() {
        if matches!(c, '\\' | ';' | ',') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An id as a UID part: letters, digits, `-`, `_` and `.` as they are, any other byte as
/// `%XX`, so a UID is stable, unique per id and free of characters that need escaping.
pub fn uid_part(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_without_splitting_a_character() {
        let mut ics = Ics::default();
        let long = format!("{}é{}", "a".repeat(73), "日本語".repeat(40));
        ics.text("SUMMARY", &long);
        let out = ics.finish();
        assert!(out.ends_with("\r\n"));
        let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 3, "{lines:?}");
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= LINE_OCTETS, "{i}: {} octets", l.len());
            assert_eq!(i > 0, l.starts_with(' '), "{i}");
        }
        // 'SUMMARY:' + 73 a's = 81 octets: the first line ends before 'é' would cross 75.
        assert_eq!(lines[0].len(), 75);
        let unfolded: String = (lines.iter().enumerate())
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, format!("SUMMARY:{long}"));
    }

    #[test]
    fn text_is_escaped_and_neutralised() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(escape_text("x\r\ny\u{1b}[2J\u{202E}z"), "x  y [2J z");
        let mut ics = Ics::default();
        ics.text_lines("DESCRIPTION", &["one, two".into(), "three".into()]);
        assert_eq!(ics.finish(), "DESCRIPTION:one\\, two\\nthree\r\n");
    }

    #[test]
    fn uid_parts_keep_safe_characters_and_encode_the_rest() {
        assert_eq!(uid_part("m365-e3_x.1"), "m365-e3_x.1");
        assert_eq!(uid_part("a b@c;é"), "a%20b%40c%3B%C3%A9");
    }
}
