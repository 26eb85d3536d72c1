//! The palette and the glyphs, in one place. A scheme (dark, light, high-contrast) gives
//! each role a colour, a settings file may change any role, and the terminal decides how
//! much of it can show (`Depth`, from TERM and COLORTERM — the client's over SSH): none at
//! all for dumb and monochrome VTs, where state still shows through symbols, bold and
//! reverse; 16 colours for the Linux console; 256 or true colour only when the terminal
//! says so. `--ascii` swaps every glyph for an ASCII one.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    None,
    Ansi16,
    Ansi256,
    TrueColor,
}

impl Depth {
    /// What a terminal of type `term` shows, `colorterm` being its COLORTERM: nothing for an
    /// unset TERM, `dumb` and the monochrome DEC VTs; true colour when COLORTERM says
    /// `truecolor`/`24bit` (or TERM ends in `-direct`); 256 for `*-256color`; else 16.
    pub fn detect(term: &str, colorterm: &str) -> Depth {
        const MONOCHROME: [&str; 7] = ["dumb", "vt52", "vt100", "vt102", "vt220", "vt320", "vt420"];
        let base = term.split('-').next().unwrap_or_default();
        if term.is_empty() || (MONOCHROME.contains(&base) && !term.contains("color")) {
            Depth::None
        } else if matches!(colorterm, "truecolor" | "24bit") || term.ends_with("-direct") {
            Depth::TrueColor
        } else if term.contains("256color") {
            Depth::Ansi256
        } else {
            Depth::Ansi16
        }
    }
}

/// What a colour is for. A settings file names them (`theme.colors.title: blue`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Role {
    /// The organisation's name, layer titles.
    Title,
    /// Secondary text (ids, counts, the dates in the header).
    Dim,
    /// Activate-by within 30 days.
    Due,
    /// Activate-by already past.
    Past,
    Ok,
    Error,
    Warning,
    /// Keys in the footer and the help.
    Key,
}

const ROLES: usize = 8;

/// The built-in colour schemes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Scheme {
    #[default]
    Dark,
    Light,
    HighContrast,
}

impl Scheme {
    fn colors(self) -> [Color; ROLES] {
        use Color::*;
        match self {
            // Title, Dim, Due, Past, Ok, Error, Warning, Key
            Scheme::Dark => [Cyan, DarkGray, Yellow, Red, Green, Red, Yellow, Cyan],
            // Yellow and cyan wash out on white: blue, magenta and the dark shades instead.
            Scheme::Light => [Blue, DarkGray, Magenta, Red, Green, Red, Magenta, Blue],
            // The bright half of the 16 colours, and no grey text.
            Scheme::HighContrast => [
                LightCyan,
                White,
                LightYellow,
                LightRed,
                LightGreen,
                LightRed,
                LightYellow,
                LightCyan,
            ],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Any colour at all (false: NO_COLOR, --no-color, a monochrome terminal).
    pub color: bool,
    pub ascii: bool,
    pub depth: Depth,
    pub scheme: Scheme,
    colors: [Color; ROLES],
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(false, false)
    }
}

impl Theme {
    /// The dark scheme in 16 colours, or none (`--no-color` / NO_COLOR); `--ascii`.
    pub fn new(no_color: bool, ascii: bool) -> Self {
        let depth = if no_color { Depth::None } else { Depth::Ansi16 };
        Theme::with(Scheme::Dark, &[], depth, ascii)
    }

    /// `scheme` with `custom` colours for some roles, as far as `depth` shows them.
    pub fn with(scheme: Scheme, custom: &[(Role, Color)], depth: Depth, ascii: bool) -> Self {
        let mut colors = scheme.colors();
        for (role, c) in custom {
            colors[*role as usize] = *c;
        }
        for c in &mut colors {
            *c = fit(*c, depth);
        }
        Theme {
            color: depth != Depth::None,
            ascii,
            depth,
            scheme,
            colors,
        }
    }

    /// The colour `role` is drawn in (Reset without colour).
    pub fn color_of(&self, role: Role) -> Color {
        self.colors[role as usize]
    }

    fn fg(&self, role: Role) -> Style {
        if self.color {
            Style::default().fg(self.color_of(role))
        } else {
            Style::default()
        }
    }
    pub fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn title(&self) -> Style {
        self.fg(Role::Title).add_modifier(Modifier::BOLD)
    }
    pub fn header(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn dim(&self) -> Style {
        self.fg(Role::Dim)
    }
    /// Activate-by within 30 days.
    pub fn due_soon(&self) -> Style {
        self.fg(Role::Due).add_modifier(Modifier::BOLD)
    }
    /// Activate-by already past.
    pub fn past(&self) -> Style {
        self.fg(Role::Past).add_modifier(Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        self.fg(Role::Ok)
    }
    pub fn error(&self) -> Style {
        self.fg(Role::Error).add_modifier(Modifier::BOLD)
    }
    pub fn warning(&self) -> Style {
        self.fg(Role::Warning)
    }
    pub fn key(&self) -> Style {
        self.fg(Role::Key).add_modifier(Modifier::BOLD)
    }

    /// Unicode, or its ASCII stand-in under `--ascii`: every glyph a renderer draws comes
    /// through here.
    pub fn glyph(&self, unicode: &'static str, ascii: &'static str) -> &'static str {
        if self.ascii { ascii } else { unicode }
    }
    /// Marks a row due within 30 days.
    pub fn due_symbol(&self) -> &'static str {
        "!"
    }
    /// Marks a row whose activate-by date has passed.
    pub fn past_symbol(&self) -> &'static str {
        self.glyph("✗", "x")
    }
    pub fn attention_symbol(&self) -> &'static str {
        "!"
    }
    pub fn refused_symbol(&self) -> &'static str {
        self.glyph("✗", "x")
    }
    pub fn ok_symbol(&self) -> &'static str {
        self.glyph("✓", "ok")
    }
    /// Where text was cut.
    pub fn ellipsis(&self) -> &'static str {
        self.glyph("…", "~")
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
        if open {
            self.glyph("▾", "v")
        } else {
            self.glyph("▸", ">")
        }
    }
    /// Between two facts on one line.
    pub fn dot(&self) -> &'static str {
        self.glyph("·", "-")
    }
    pub fn arrow(&self) -> &'static str {
        self.glyph("→", "->")
    }
    /// The filled and empty parts of a progress bar.
    pub fn bar(&self) -> (&'static str, &'static str) {
        (self.glyph("█", "#"), self.glyph("░", "."))
    }
    /// Before the highlighted entry of a list.
    pub fn pointer(&self) -> &'static str {
        self.glyph("▶ ", "> ")
    }
    /// A radio button, chosen or not.
    pub fn radio(&self, on: bool) -> &'static str {
        if on {
            self.glyph("◉", "(*)")
        } else {
            self.glyph("○", "( )")
        }
    }
    /// A stepper's step, current or not, and what joins two steps.
    pub fn step(&self, current: bool) -> &'static str {
        if current {
            self.glyph("●", "(*)")
        } else {
            self.glyph("○", "( )")
        }
    }
    pub fn step_joint(&self) -> &'static str {
        self.glyph(" ─ ", " - ")
    }
    pub fn scrollbar(&self) -> ratatui::symbols::scrollbar::Set<'static> {
        if self.ascii {
            ratatui::symbols::scrollbar::Set {
                track: "|",
                thumb: "#",
                begin: "^",
                end: "v",
            }
        } else {
            ratatui::symbols::scrollbar::VERTICAL
        }
    }
    /// The timeline's month grid, its marks (activate by, subscription end), the arrows
    /// of a date outside the window, and its axis (line, tick, origin).
    pub fn grid(&self) -> &'static str {
        self.glyph("·", ".")
    }
    pub fn activate_mark(&self) -> &'static str {
        self.glyph("◆", "*")
    }
    pub fn end_mark(&self) -> &'static str {
        self.glyph("●", "o")
    }
    pub fn outside(&self) -> (&'static str, &'static str) {
        (self.glyph("◂", "<"), self.glyph("▸", ">"))
    }
    pub fn axis(&self) -> (&'static str, &'static str, &'static str) {
        (
            self.glyph("─", "-"),
            self.glyph("┬", "+"),
            self.glyph("├", "|"),
        )
    }
}

/// `c` as a terminal of `depth` can show it: true colour down to the 256-colour cube, and
/// either down to the nearest of the 16.
fn fit(c: Color, depth: Depth) -> Color {
    match (c, depth) {
        (_, Depth::None) => Color::Reset,
        (Color::Rgb(..), Depth::TrueColor) => c,
        (Color::Rgb(r, g, b), Depth::Ansi256) => Color::Indexed(cube(r, g, b)),
        (Color::Rgb(r, g, b), Depth::Ansi16) => nearest16(r, g, b),
        (Color::Indexed(i), Depth::Ansi16) => {
            let (r, g, b) = indexed_rgb(i);
            nearest16(r, g, b)
        }
        _ => c,
    }
}

/// The 6x6x6 cube index nearest to an RGB colour.
fn cube(r: u8, g: u8, b: u8) -> u8 {
    let step = |v: u8| ((u16::from(v) * 5 + 127) / 255) as u8;
    16 + 36 * step(r) + 6 * step(g) + step(b)
}

/// The RGB value of a 256-colour index (the 16, the cube, the grey ramp).
fn indexed_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => SIXTEEN[usize::from(i)].1,
        16..=231 => {
            let i = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            (level(i / 36), level(i / 6 % 6), level(i % 6))
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

/// The 16 colours with xterm's default values.
const SIXTEEN: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

fn nearest16(r: u8, g: u8, b: u8) -> Color {
    let d = |(x, y, z): (u8, u8, u8)| {
        let sq = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        sq(x, r) + sq(y, g) + sq(z, b)
    };
    SIXTEEN
        .iter()
        .min_by_key(|(_, rgb)| d(*rgb))
        .map_or(Color::Reset, |(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_type_decides_how_many_colours() {
        for term in ["", "dumb", "vt100", "vt220-am", "vt52"] {
            assert_eq!(Depth::detect(term, ""), Depth::None, "{term}");
        }
        assert_eq!(Depth::detect("linux", ""), Depth::Ansi16);
        assert_eq!(Depth::detect("xterm", ""), Depth::Ansi16);
        assert_eq!(Depth::detect("screen", ""), Depth::Ansi16);
        assert_eq!(Depth::detect("xterm-256color", ""), Depth::Ansi256);
        assert_eq!(Depth::detect("vte-256color", ""), Depth::Ansi256);
        assert_eq!(
            Depth::detect("xterm-256color", "truecolor"),
            Depth::TrueColor
        );
        assert_eq!(Depth::detect("xterm-direct", ""), Depth::TrueColor);
        // COLORTERM does not give colour to a terminal without any.
        assert_eq!(Depth::detect("dumb", "truecolor"), Depth::None);
    }

    #[test]
    fn colours_degrade_to_what_the_terminal_shows() {
        let custom = [(Role::Title, Color::Rgb(0, 0, 255))];
        let at = |depth| Theme::with(Scheme::Dark, &custom, depth, false).color_of(Role::Title);
        assert_eq!(at(Depth::TrueColor), Color::Rgb(0, 0, 255));
        assert_eq!(at(Depth::Ansi256), Color::Indexed(21));
        assert_eq!(at(Depth::Ansi16), Color::Blue);
        let none = Theme::with(Scheme::Dark, &custom, Depth::None, false);
        assert!(!none.color);
        assert_eq!(none.title().fg, None, "no colour, only bold");
        assert_eq!(fit(Color::Indexed(196), Depth::Ansi16), Color::LightRed);
    }

    #[test]
    fn the_schemes_differ_and_ascii_glyphs_are_ascii() {
        let dark = Theme::with(Scheme::Dark, &[], Depth::Ansi16, false);
        let light = Theme::with(Scheme::Light, &[], Depth::Ansi16, false);
        let high = Theme::with(Scheme::HighContrast, &[], Depth::Ansi16, false);
        assert_ne!(dark.color_of(Role::Due), light.color_of(Role::Due));
        assert_ne!(dark.color_of(Role::Dim), high.color_of(Role::Dim));
        let ascii = Theme::new(false, true);
        for g in [
            ascii.past_symbol(),
            ascii.ok_symbol(),
            ascii.ellipsis(),
            ascii.expanded_marker(true),
            ascii.expanded_marker(false),
            ascii.dot(),
            ascii.arrow(),
            ascii.border().top_left,
        ] {
            assert!(g.is_ascii(), "{g}");
        }
    }
}
