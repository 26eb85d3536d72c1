//! Fitting text into columns by display width.

use crate::domain::text::is_unsafe;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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
    fn fit_and_clean_never_pass_controls_or_bidi_overrides() {
        assert_eq!(fit("a\u{1b}[2Jb", 10), "a [2Jb    ");
        assert_eq!(fit("\u{202E}abc", 3), " a…");
        assert_eq!(clean("x\u{2066}y\u{7}"), "x y ");
    }
}
