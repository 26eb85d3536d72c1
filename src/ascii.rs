//! `--ascii` (and terminals that only show ASCII: dumb, the DEC VTs): every byte written is
//! ASCII. The theme already picks ASCII glyphs; this backend is the guarantee for the rest
//! (translated text, catalog names, symbols a renderer draws itself): each cell's symbol
//! is transliterated (deunicode: `ë` → `e`, `…` → `.`) to exactly as many ASCII
//! characters as the columns it takes, so the screen's layout stays as drawn.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io::{self, Write};

/// Whether a terminal of type `term` shows only ASCII: unset, dumb, the DEC VTs.
pub fn term_is_ascii(term: &str) -> bool {
    let base = term.split('-').next().unwrap_or_default();
    term.is_empty()
        || matches!(
            base,
            "dumb" | "vt52" | "vt100" | "vt102" | "vt220" | "vt320" | "vt420"
        )
}

/// `symbol` in printable ASCII, as wide as it is on screen.
pub fn transliterate(symbol: &str) -> String {
    let mut out = String::new();
    for c in symbol.chars() {
        if c.is_ascii() {
            out.push(if c.is_ascii_control() { ' ' } else { c });
            continue;
        }
        let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width == 0 {
            continue;
        }
        let mut ascii: String = deunicode::deunicode_char(c)
            .unwrap_or("?")
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(width)
            .collect();
        if ascii.is_empty() {
            ascii.push('?');
        }
        while ascii.len() < width {
            ascii.push(' ');
        }
        out.push_str(&ascii);
    }
    out
}

/// A backend that writes only ASCII when `on`, passing everything else through.
pub struct AsciiBackend<B> {
    inner: B,
    on: bool,
}

impl<B> AsciiBackend<B> {
    pub fn new(inner: B, on: bool) -> Self {
        AsciiBackend { inner, on }
    }
    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.inner
    }
}

impl<B: Write> Write for AsciiBackend<B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<B: Backend> Backend for AsciiBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if !self.on {
            return self.inner.draw(content);
        }
        let cells: Vec<(u16, u16, Cell)> = content
            .map(|(x, y, cell)| {
                let mut cell = cell.clone();
                if !cell.symbol().is_ascii() {
                    let plain = transliterate(cell.symbol());
                    cell.set_symbol(if plain.is_empty() { " " } else { &plain });
                }
                (x, y, cell)
            })
            .collect();
        self.inner.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn every_symbol_becomes_ascii_of_its_own_width() {
        for s in [
            "…", "·", "—", "→", "↑", "▸", "▾", "✗", "✓", "◆", "●", "◂", "█", "░", "─", "│", "╭",
            "├", "ë", "å", "Ö", "日", "🦀", "\u{301}",
        ] {
            let a = transliterate(s);
            assert!(a.is_ascii(), "{s} -> {a}");
            assert_eq!(a.width(), s.width(), "{s} -> {a:?}");
        }
        assert_eq!(transliterate("Molntjänster"), "Molntjanster");
        assert_eq!(transliterate("kopiëren"), "kopieren");
    }

    #[test]
    fn dumb_and_the_dec_vts_show_only_ascii() {
        for t in ["", "dumb", "vt100", "vt220-am"] {
            assert!(term_is_ascii(t), "{t}");
        }
        for t in ["xterm-256color", "linux", "screen"] {
            assert!(!term_is_ascii(t), "{t}");
        }
    }
}
