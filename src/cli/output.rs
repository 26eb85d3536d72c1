//! Readable tables and the JSON shapes scripts rely on (documented in the README).

use crate::domain::{Mode, Refusal, Totals};
use crate::i18n::Messages;
use crate::i18n::explain;
use crate::licensing::{Outcome, Warning};
use serde_json::{Value, json};

/// Standard output of the subcommands. A reader that went away (`benefits list | head`)
/// ends the output quietly; any other write failure is a failure (exit 1), never the panic
/// `println!` gives.
pub fn emit(args: std::fmt::Arguments<'_>) -> Result<(), super::Failure> {
    use std::io::Write;
    let text = args.to_string();
    match std::io::stdout()
        .lock()
        .write_all(neutral(&text).as_bytes())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(super::Failure::error(
            "io",
            format!("cannot write the output: {e}"),
        )),
    }
}

/// `s` with every control and bidi character but newline, tab and the carriage return of a
/// CRLF line end (CSV and iCalendar end their lines so) written as a JSON-style `\uXXXX`
/// escape: catalog text cannot drive the terminal that reads the output, and JSON stays
/// valid JSON (the escape decodes to the same character; serde_json escapes the C0
/// controls itself but writes DEL, C1 controls and bidi overrides raw). A lone carriage
/// return is escaped: it would let text overwrite what a terminal already shows.
pub fn neutral(s: &str) -> std::borrow::Cow<'_, str> {
    use crate::domain::text::is_unsafe;
    let unsafe_at = |i: usize, c: char| {
        is_unsafe(c)
            && c != '\n'
            && c != '\t'
            && !(c == '\r' && s.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if !s.char_indices().any(|(i, c)| unsafe_at(i, c)) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, c) in s.char_indices() {
        if unsafe_at(i, c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Left-aligned columns separated by two spaces, sized to the widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    // Neutralised before measuring, so the columns line up as printed.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| neutral(c).into_owned()).collect())
        .collect();
    let rows = &rows[..];
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut l = String::new();
        for (i, c) in cells.enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            l.push_str(c);
            let pad = widths[i].saturating_sub(c.chars().count());
            l.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&mut headers.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

pub fn totals_json(t: &Totals) -> Value {
    json!({"total_licenses": t.total_licenses, "end_date": t.end_date.to_string()})
}

pub fn warning_json(w: &Warning, t: &Messages) -> Value {
    match w {
        Warning::LessThanTwelveMonths { days } => json!({
            "code": "less-than-12-months",
            "days": days,
            "message": t.fmt("warning.less-than-12-months", &[("days", &days.to_string())]),
        }),
    }
}

pub fn refusal_json(r: &Refusal, t: &Messages) -> Value {
    json!({"code": r.code.as_str(), "message": t.refusal(r)})
}

/// `{"mode", "before", "after", "warnings", "explanation"}`, or `{"mode", "error"}`.
pub fn outcome_json(mode: Mode, r: &Result<Outcome, Refusal>, t: &Messages) -> Value {
    match r {
        Ok(o) => json!({
            "mode": mode.as_str(),
            "before": o.before.as_ref().map(totals_json),
            "after": totals_json(&o.after),
            "warnings": o.warnings.iter().map(|w| warning_json(w, t)).collect::<Vec<_>>(),
            "explanation": explain(o, t),
        }),
        Err(e) => json!({"mode": mode.as_str(), "error": refusal_json(e, t)}),
    }
}

/// Text block for one mode: before → after, warnings, explanation; or the refusal.
pub fn outcome_text(mode: Mode, r: &Result<Outcome, Refusal>, t: &Messages) -> String {
    let mut s = format!("{}\n", t.mode(mode));
    match r {
        Ok(o) => {
            let before_l = o
                .before
                .map(|b| b.total_licenses.to_string())
                .unwrap_or("-".into());
            let before_e = o.before.map(|b| t.date(b.end_date)).unwrap_or("-".into());
            s.push_str(&format!(
                "  {}: {} → {}\n  {}: {} → {}\n",
                t.text("label.total-licenses"),
                before_l,
                o.after.total_licenses,
                t.text("label.end-date"),
                before_e,
                t.date(o.after.end_date)
            ));
            for w in &o.warnings {
                s.push_str(&format!(
                    "  ! {}\n",
                    warning_json(w, t)["message"].as_str().unwrap_or("")
                ));
            }
            s.push_str(&format!(
                "  {} {}\n",
                t.text("label.how-calculated"),
                explain(o, t)
            ));
        }
        Err(e) => s.push_str(&format!("  ✗ {} [{}]\n", t.refusal(e), e.code)),
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_neutralises_controls_and_bidi_and_keeps_json_valid() {
        let hostile = "admin\u{1b}]52;c;SGk=\u{7} \u{202e}gpj.exe \u{9b}2J\u{7f}";
        let shown = neutral(hostile);
        assert!(
            !shown.chars().any(crate::domain::text::is_unsafe),
            "{shown:?}"
        );
        assert!(shown.contains("\\u001b]52;c;SGk=\\u0007"), "{shown}");
        assert_eq!(neutral("a\tb\nc"), "a\tb\nc");
        // In JSON the escape is JSON's own: it decodes to the very character.
        let json = serde_json::json!({"role": hostile}).to_string();
        let back: serde_json::Value = serde_json::from_str(&neutral(&json)).unwrap();
        assert_eq!(back["role"], hostile);
        assert!(!neutral(&json).chars().any(crate::domain::text::is_unsafe));
        let t = table(&["a"], &[vec!["x\u{1b}[2Jy".into()]]);
        assert!(!t.contains('\u{1b}') && t.contains("x\\u001b[2Jy"), "{t}");
    }

    #[test]
    fn output_keeps_crlf_line_ends_but_escapes_a_lone_carriage_return() {
        assert_eq!(neutral("a,b\r\nc,d\r\n"), "a,b\r\nc,d\r\n");
        assert_eq!(neutral("paid\rfree"), "paid\\u000dfree");
        assert_eq!(neutral("x\r"), "x\\u000d");
    }
}
