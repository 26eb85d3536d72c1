//! Input in the project's own terms. The local terminal's crossterm events (`terminal`) and
//! an SSH channel's bytes (`ssh`, parsed with terminput) both become one `Event`, so `app`
//! and `ui` never see a terminal crate and cannot tell the transports apart.

mod key;
pub mod ssh;
pub mod terminal;

pub use key::{Key, KeyCode, KeyParseError, Mods};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Key(Key),
    Paste(String),
    Mouse(Mouse),
    /// The terminal's new size: columns, rows.
    Resize(u16, u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    Left,
    Right,
    Middle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    Press(Button),
    Release(Button),
    Drag(Button),
    Moved,
    WheelUp,
    WheelDown,
}

/// A mouse event at a screen cell (0-based column and row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    pub kind: MouseKind,
    pub column: u16,
    pub row: u16,
}

impl Mouse {
    /// A mouse event of `kind` at the cell `column`, `row` (both decoders build theirs so).
    pub fn at(kind: MouseKind, column: u16, row: u16) -> Mouse {
        Mouse { kind, column, row }
    }
}

impl Event {
    /// A key press without modifiers (tests and scripted input).
    pub fn key(code: KeyCode) -> Event {
        Event::Key(Key::plain(code))
    }
}
