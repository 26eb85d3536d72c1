//! Which characters may reach a terminal. Typed, pasted and catalog text is shown on screen;
//! a character that can drive or reorder the terminal never is.

/// C0 and C1 controls (ESC, CSI and the rest of an escape sequence's introducers, CR, BS,
/// DEL) and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which make a terminal show text in another order than it is stored.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_escape_introducers_and_bidi_overrides_are_unsafe() {
        for c in [
            '\u{1b}', '\u{7}', '\r', '\n', '\u{7f}', '\u{9b}', '\u{202E}', '\u{2067}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in ['a', 'é', '界', 'م', '\u{200D}', '🦀', ' '] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }
}
