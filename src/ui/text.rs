//! Fitting text into columns by display width.

use crate::domain::text::is_unsafe;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `line` wrapped at `width` columns: breaks at spaces (a word longer than a line is cut
/// where the line ends), continuation lines indented by `indent`, styles kept. No-break
/// spaces (inside a Swedish amount) never break.
pub fn wrap_line(line: &Line<'static>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let chars: Vec<(char, Style)> = (line.spans.iter())
        .flat_map(|s| {
            s.content
                .chars()
                .map(move |c| (c, line.style.patch(s.style)))
        })
        .collect();
    let total: usize = chars.iter().map(|(c, _)| c.width().unwrap_or(0)).sum();
    if total <= width || width <= indent + 1 {
        return vec![line.clone()];
    }
    let mut out = Vec::new();
    let mut rest: &[(char, Style)] = &chars;
    let mut first = true;
    while !rest.is_empty() {
        let lead = if first { 0 } else { indent };
        let room = width - lead;
        // How many chars fit, and the last space among them.
        let (mut used, mut fit_n, mut space) = (0, 0, None);
        for (i, (c, _)) in rest.iter().enumerate() {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            fit_n = i + 1;
            if *c == ' ' {
                space = Some(i);
            }
        }
        let end = if fit_n == rest.len() {
            fit_n
        } else {
            match space {
                Some(at) if at > 0 => at,
                _ => fit_n.max(1),
            }
        };
        let mut spans = Vec::new();
        if lead > 0 {
            spans.push(Span::raw(" ".repeat(lead)));
        }
        for (c, style) in &rest[..end] {
            match spans.last_mut() {
                Some(Span {
                    content, style: s, ..
                }) if s == style => content.to_mut().push(*c),
                _ => spans.push(Span::styled(c.to_string(), *style)),
            }
        }
        out.push(Line::from(spans));
        rest = &rest[end..];
        // The space a line broke at is not carried to the next.
        while let Some(((' ', _), tail)) = rest.split_first() {
            rest = tail;
        }
        first = false;
    }
    out
}

/// Cut `s` to `width` columns, ending in "…" when cut; pad with spaces to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    // Control characters and bidi overrides never reach the terminal, whatever the width.
    let cleaned;
    let s = if s.chars().any(is_unsafe) {
        cleaned = clean(s);
        cleaned.as_str()
    } else {
        s
    };
    if s.width() <= width {
        out.push_str(s);
        used = s.width();
    } else if width > 0 {
        for ch in s.chars() {
            let w = ch.width().unwrap_or(0);
            if used + w > width - 1 {
                break;
            }
            out.push(ch);
            used += w;
        }
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// Control characters (escape sequences included) and bidi overrides replaced, so catalog
/// text cannot drive the terminal or reorder what it shows.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if is_unsafe(c) { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_and_cuts_by_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("日本語", 4), "日… ");
        assert_eq!(fit("x", 0), "");
    }

    #[test]
    fn wrap_line_breaks_at_spaces_and_indents_what_follows() {
        let line = Line::from(vec![Span::raw("    "), Span::raw("one two three four")]);
        let text = |ls: Vec<Line>| -> Vec<String> { ls.iter().map(|l| l.to_string()).collect() };
        assert_eq!(
            text(wrap_line(&line, 13, 6)),
            ["    one two", "      three", "      four"]
        );
        assert_eq!(text(wrap_line(&line, 40, 6)), ["    one two three four"]);
        // A word longer than the room is cut where the line ends.
        let long = Line::from("abcdefghij");
        assert_eq!(text(wrap_line(&long, 4, 0)), ["abcd", "efgh", "ij"]);
        // A no-break space holds an amount together.
        let amount = Line::from("pay 6\u{a0}000\u{a0}USD");
        assert_eq!(
            text(wrap_line(&amount, 10, 0)),
            ["pay", "6\u{a0}000\u{a0}USD"]
        );
    }

    #[test]
    fn fit_and_clean_never_pass_controls_or_bidi_overrides() {
        assert_eq!(fit("a\u{1b}[2Jb", 10), "a [2Jb    ");
        assert_eq!(fit("\u{202E}abc", 3), " a…");
        assert_eq!(clean("x\u{2066}y\u{7}"), "x y ");
    }
}
