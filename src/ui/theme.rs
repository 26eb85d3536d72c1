//! The palette: 16 ANSI colours that read on dark and light backgrounds, or none at all
//! (NO_COLOR / --no-color), where state still shows through symbols, bold and reverse.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            color: true,
            ascii: false,
        }
    }
}

impl Theme {
    /// The palette for `--no-color` / NO_COLOR and `--ascii`.
    pub fn new(no_color: bool, ascii: bool) -> Self {
        Theme {
            color: !no_color,
            ascii,
        }
    }
    pub fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    /// Marks a row due within 30 days.
    pub fn due_symbol(&self) -> &'static str {
        "!"
    }
    /// Marks a row whose activate-by date has passed.
    pub fn past_symbol(&self) -> &'static str {
        if self.ascii { "x" } else { "✗" }
    }
    pub fn attention_symbol(&self) -> &'static str {
        "!"
    }
    pub fn refused_symbol(&self) -> &'static str {
        if self.ascii { "x" } else { "✗" }
    }
    pub fn ok_symbol(&self) -> &'static str {
        if self.ascii { "ok" } else { "✓" }
    }
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    /// Activate-by within 30 days.
    pub fn due_soon(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    /// Activate-by already past.
    pub fn past(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        } else {
            border::ROUNDED
        }
    }
    pub fn expanded_marker(&self, open: bool) -> &'static str {
        match (self.ascii, open) {
            (false, true) => "▾",
            (false, false) => "▸",
            (true, true) => "v",
            (true, false) => ">",
        }
    }
    /// Between two facts on one line.
    pub fn dot(&self) -> &'static str {
        if self.ascii { "-" } else { "·" }
    }
    pub fn arrow(&self) -> &'static str {
        if self.ascii { "->" } else { "→" }
    }
}
