//! Copy to the clipboard of the terminal the user sits at, over OSC 52: the sequence goes
//! down the same stream as the frames, so it reaches a local terminal and, through
//! `benefits serve`, the SSH client's. Terminals that cannot do it (the Linux console, a
//! dumb terminal) are told apart by their TERM, the client's over SSH.

use base64::Engine;

/// Writes bytes to the user's terminal between two frames (where an OSC 52 copy goes).
pub type Sink = Box<dyn FnMut(&[u8])>;

/// Whether a terminal of type `term` takes OSC 52 (as far as its TERM tells).
pub fn supported(term: &str) -> bool {
    let base = term.split('-').next().unwrap_or_default();
    !term.is_empty() && !matches!(base, "dumb" | "linux" | "vt52" | "vt100" | "vt102")
}

/// The OSC 52 sequence that puts `text` on the clipboard (`c`), ended by BEL, which more
/// terminals accept than ST.
pub fn osc52(text: &str) -> Vec<u8> {
    let mut out = b"\x1b]52;c;".to_vec();
    out.extend_from_slice(
        base64::engine::general_purpose::STANDARD
            .encode(text)
            .as_bytes(),
    );
    out.push(0x07);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_in_base64_and_only_capable_terminals_get_it() {
        assert_eq!(osc52("m365-e5"), b"\x1b]52;c;bTM2NS1lNQ==\x07".to_vec());
        for term in [
            "xterm-256color",
            "tmux-256color",
            "screen",
            "alacritty",
            "xterm-kitty",
        ] {
            assert!(supported(term), "{term}");
        }
        for term in ["", "dumb", "linux", "vt100"] {
            assert!(!supported(term), "{term}");
        }
    }
}
