//! One key chord in the project's own terms: what the keymap binds, what a settings file
//! will name, what the footer and help show. Terminal crates meet it only at the edge
//! (`input::crossterm`, `input::ssh`), where their events are normalised into it.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

/// Control, Alt and Shift, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Mods(u8);

impl Mods {
    pub const NONE: Mods = Mods(0);
    pub const CTRL: Mods = Mods(1);
    pub const ALT: Mods = Mods(2);
    pub const SHIFT: Mods = Mods(4);

    pub const fn union(self, other: Mods) -> Mods {
        Mods(self.0 | other.0)
    }
    pub const fn contains(self, other: Mods) -> bool {
        self.0 & other.0 == other.0
    }
    pub const fn without(self, other: Mods) -> Mods {
        Mods(self.0 & !other.0)
    }
    pub const fn ctrl(self) -> bool {
        self.contains(Mods::CTRL)
    }
    pub const fn alt(self) -> bool {
        self.contains(Mods::ALT)
    }
}

/// A key with its modifiers, normalised so that equal chords compare equal whatever the
/// terminal reported: a character carries its case and never Shift, Control-letters are
/// lower case, Shift-Tab is `BackTab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub mods: Mods,
}

impl Key {
    pub fn new(code: KeyCode, mods: Mods) -> Key {
        match code {
            KeyCode::Char(c) => {
                let c = if mods.ctrl() {
                    c.to_ascii_lowercase()
                } else {
                    c
                };
                Key {
                    code: KeyCode::Char(c),
                    mods: mods.without(Mods::SHIFT),
                }
            }
            KeyCode::Tab if mods.contains(Mods::SHIFT) => Key::new(KeyCode::BackTab, mods),
            KeyCode::BackTab => Key {
                code,
                mods: mods.without(Mods::SHIFT),
            },
            _ => Key { code, mods },
        }
    }

    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: Mods::NONE,
        }
    }

    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    /// The character this key types into a text field, if it types one.
    pub fn typed(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.mods.ctrl() && !self.mods.alt() => Some(c),
            _ => None,
        }
    }
}

/// How a key is written in the footer and the help overlay; `FromStr` reads it back.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.ctrl() {
            f.write_str("Ctrl-")?;
        }
        if self.mods.alt() {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(Mods::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.ctrl() => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            code => f.write_str(NAMES.iter().find(|(_, c)| *c == code).map_or("?", |n| n.0)),
        }
    }
}

/// Names of the keys that are not characters, as shown (first spelling wins for display).
const NAMES: &[(&str, KeyCode)] = &[
    ("↑", KeyCode::Up),
    ("↓", KeyCode::Down),
    ("←", KeyCode::Left),
    ("→", KeyCode::Right),
    ("PgUp", KeyCode::PageUp),
    ("PgDn", KeyCode::PageDown),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("S-Tab", KeyCode::BackTab),
    ("Bksp", KeyCode::Backspace),
    ("Del", KeyCode::Delete),
    ("Ins", KeyCode::Insert),
];

/// Other spellings a keymap or settings file may use.
const ALIASES: &[(&str, KeyCode)] = &[
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("return", KeyCode::Enter),
    ("escape", KeyCode::Esc),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("space", KeyCode::Char(' ')),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a key; write a character (q, G, ?), a name (Enter, Esc, Tab, S-Tab, Up, Down, \
     Left, Right, PgUp, PgDn, Home, End, Bksp, Del, Ins, Space, F1…F24), optionally after Ctrl-, \
     Alt- or Shift-"
)]
pub struct KeyParseError(pub String);

impl FromStr for Key {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Key, KeyParseError> {
        let bad = || KeyParseError(s.to_string());
        let mut mods = Mods::NONE;
        let mut rest = s;
        // "S-Tab" is a name of its own; any other "X-" prefix of a longer text is a modifier.
        while rest.chars().count() > 1 && !rest.eq_ignore_ascii_case("S-Tab") {
            let Some((head, tail)) = rest.split_once('-') else {
                break;
            };
            let m = match head.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => Mods::CTRL,
                "alt" | "a" | "m" | "meta" => Mods::ALT,
                "shift" | "s" => Mods::SHIFT,
                _ => break,
            };
            if tail.is_empty() {
                return Err(bad());
            }
            mods = mods.union(m);
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => NAMES
                .iter()
                .find(|(n, _)| *n == rest)
                .map_or(KeyCode::Char(c), |n| n.1),
            (None, _) => return Err(bad()),
            _ => {
                let lower = rest.to_ascii_lowercase();
                let named = NAMES.iter().chain(ALIASES);
                match named.clone().find(|(n, _)| n.to_ascii_lowercase() == lower) {
                    Some((_, code)) => *code,
                    None => match lower.strip_prefix('f').and_then(|n| n.parse().ok()) {
                        Some(n @ 1..=24) => KeyCode::F(n),
                        _ => return Err(bad()),
                    },
                }
            }
        };
        Ok(Key::new(code, mods))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Key {
        s.parse().unwrap()
    }

    #[test]
    fn keys_are_normalised_as_terminals_report_them() {
        assert_eq!(
            Key::new(KeyCode::Char('G'), Mods::SHIFT),
            Key::char('G'),
            "upper case comes with or without Shift"
        );
        assert_eq!(
            Key::new(KeyCode::Char('C'), Mods::CTRL),
            Key::new(KeyCode::Char('c'), Mods::CTRL)
        );
        assert_eq!(
            Key::new(KeyCode::Tab, Mods::SHIFT),
            Key::plain(KeyCode::BackTab)
        );
        assert_eq!(
            Key::new(KeyCode::BackTab, Mods::SHIFT),
            Key::plain(KeyCode::BackTab)
        );
        assert_eq!(Key::char('q').typed(), Some('q'));
        assert_eq!(Key::new(KeyCode::Char('q'), Mods::CTRL).typed(), None);
        assert_eq!(Key::new(KeyCode::Char('q'), Mods::ALT).typed(), None);
    }

    #[test]
    fn names_parse_in_every_spelling() {
        assert_eq!(k("Up"), Key::plain(KeyCode::Up));
        assert_eq!(k("↑"), Key::plain(KeyCode::Up));
        assert_eq!(k("pgdn"), Key::plain(KeyCode::PageDown));
        assert_eq!(k("S-Tab"), Key::plain(KeyCode::BackTab));
        assert_eq!(k("Shift-Tab"), Key::plain(KeyCode::BackTab));
        assert_eq!(k("C-u"), Key::new(KeyCode::Char('u'), Mods::CTRL));
        assert_eq!(k("Ctrl-C"), Key::new(KeyCode::Char('c'), Mods::CTRL));
        assert_eq!(k("Alt-x"), Key::new(KeyCode::Char('x'), Mods::ALT));
        assert_eq!(k("Space"), Key::char(' '));
        assert_eq!(k("-"), Key::char('-'));
        assert_eq!(k("C--"), Key::new(KeyCode::Char('-'), Mods::CTRL));
        assert_eq!(k("S"), Key::char('S'));
        assert_eq!(k("F12"), Key::plain(KeyCode::F(12)));
        for bad in ["", "Ctrl-", "F0", "F25", "Nope", "Hyper-x"] {
            assert!(bad.parse::<Key>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_label_reads_back_as_its_key() {
        let mut keys: Vec<Key> = NAMES.iter().map(|(_, c)| Key::plain(*c)).collect();
        keys.extend("aZ?/ 1-".chars().map(Key::char));
        keys.push(Key::new(KeyCode::Char('u'), Mods::CTRL));
        keys.push(Key::new(KeyCode::Up, Mods::SHIFT));
        keys.push(Key::new(KeyCode::Char('x'), Mods::ALT));
        keys.push(Key::plain(KeyCode::F(5)));
        for key in keys {
            assert_eq!(key.to_string().parse::<Key>(), Ok(key), "{key}");
        }
        assert_eq!(k("C-u").to_string(), "Ctrl-U");
        assert_eq!(k("S-Tab").to_string(), "S-Tab");
        assert_eq!(k("PgDn").to_string(), "PgDn");
    }
}
