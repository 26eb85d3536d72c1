//! Fitting text into columns by display width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cut `s` to `width` columns, ending in "…" when cut; pad with spaces to exactly `width`.
pub fn fit(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    if s.width() <= width {
        out.push_str(s);
        used = s.width();
    } else if width > 0 {
        for ch in s.chars() {
            // Control characters never reach the terminal.
            let ch = if ch.is_control() { ' ' } else { ch };
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

/// Control characters (escape sequences included) replaced, so catalog text cannot drive the terminal.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
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
}
