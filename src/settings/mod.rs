//! The user's `settings.yaml` (beside `config.yaml`; `--settings FILE`, `BENEFITS_SETTINGS`):
//! key bindings per context layered over the defaults, the colour scheme and custom colours
//! per role, the default language, the default sort per page, mouse and clipboard switches.
//!
//! A file that is not YAML of this shape (a syntax error, an unknown field, a wrong type) is
//! refused whole, with its position: the dashboard keeps the settings it had. Inside a good
//! file each entry stands on its own: an unknown action or context, a key that does not
//! parse, a conflict (a key given twice in one context, a printable key in a context that
//! types, Ctrl-C, which always quits) is reported at its `file:line:column` and that key is
//! left at its default; everything else applies.
//!
//! - `file`: the serde shape (positions through serde-saphyr's `Spanned`)
//! - `defaults`: the commented defaults `benefits settings --defaults` prints
//! - `watch`, `live`: hot reload from the loop's tick, applied to the running dashboard
//! - `schema`: the JSON Schema `benefits schema settings` prints

mod defaults;
mod file;
mod live;
pub mod schema;
pub mod watch;

pub use defaults::defaults_yaml;
pub use file::SettingsFile;
pub use live::Live;
pub use watch::Watch;

use crate::app::{Command, Context, Keymap, Page, SortKey};
use crate::i18n::{Lang, Messages};
use crate::input::{Key, KeyCode, Mods};
use crate::ui::theme::{Role, Scheme};
use ratatui::style::Color;
use std::path::{Path, PathBuf};

/// Settings files larger than this are refused (a settings file is a few kilobytes).
pub const MAX_BYTES: u64 = 1 << 20;

/// What a settings file asks for, resolved; `Default` is the defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub keymap: Keymap,
    pub scheme: Scheme,
    pub colors: Vec<(Role, Color)>,
    pub language: Option<Lang>,
    /// The sort each benefit page starts with: Cloud services, Software benefits.
    pub sort: [SortKey; 2],
    pub mouse: bool,
    /// `y` copies to the clipboard over OSC 52.
    pub copy: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            keymap: Keymap::default(),
            scheme: Scheme::Dark,
            colors: Vec::new(),
            language: None,
            sort: [SortKey::Catalog; 2],
            mouse: true,
            copy: true,
        }
    }
}

impl Settings {
    /// The default sort of `page` (History has none).
    pub fn sort_of(&self, page: Page) -> Option<SortKey> {
        match page {
            Page::Cloud => Some(self.sort[0]),
            Page::Software => Some(self.sort[1]),
            Page::History | Page::Reconcile | Page::Consumption => None,
        }
    }
}

/// One thing wrong in a settings file, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl Problem {
    /// `file:line:column: message`.
    pub fn at(&self, path: &Path) -> String {
        format!(
            "{}:{}:{}: {}",
            path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// A settings file, read: its settings and the entries left at their defaults, or why the
/// whole file was refused.
pub type Loaded = Result<(Settings, Vec<Problem>), Problem>;

/// Where the settings file is: `--settings`, then `BENEFITS_SETTINGS` (when not empty), then
/// `settings.yaml` in the user config directory (whether or not it exists yet).
pub fn locate(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(e) = std::env::var_os("BENEFITS_SETTINGS").filter(|e| !e.is_empty()) {
        return Some(PathBuf::from(e));
    }
    crate::files::default_config_dir().map(|d| d.join("settings.yaml"))
}

/// Read and resolve the file at `path`; a missing file is the defaults.
pub fn load(path: &Path, t: &Messages) -> Loaded {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Settings::default(), Vec::new()));
        }
        Err(e) => return Err(whole(t, "settings.unreadable", &e.to_string())),
    };
    let mut text = String::new();
    if let Err(e) = file.take(MAX_BYTES + 1).read_to_string(&mut text) {
        return Err(whole(t, "settings.unreadable", &e.to_string()));
    }
    if text.len() as u64 > MAX_BYTES {
        return Err(whole(t, "settings.too-large", &MAX_BYTES.to_string()));
    }
    parse(&text, t)
}

fn whole(t: &Messages, id: &str, detail: &str) -> Problem {
    Problem {
        line: 1,
        column: 1,
        message: t.fmt(id, &[("detail", detail)]),
    }
}

/// Resolve the text of a settings file.
pub fn parse(text: &str, t: &Messages) -> Loaded {
    let file = file::read(text).map_err(|(line, column, detail)| Problem {
        line,
        column,
        message: t.fmt("settings.invalid", &[("detail", &detail)]),
    })?;
    let mut problems = Vec::new();
    let mut say = |at: &serde_saphyr::Location, id: &str, params: &[(&str, &str)]| {
        problems.push(Problem {
            line: at.line(),
            column: at.column(),
            message: t.fmt(id, params),
        });
    };
    let mut s = Settings::default();
    for (name, bindings) in file::in_order(&file.keys) {
        let Ok(ctx) = name.value.parse::<Context>() else {
            let all: Vec<&str> = Context::EVERY.iter().map(|c| c.name()).collect();
            say(
                &name.referenced,
                "settings.unknown-context",
                &[("name", &name.value), ("contexts", &all.join(", "))],
            );
            continue;
        };
        let mut seen: Vec<Key> = Vec::new();
        for (key, action) in file::in_order(bindings) {
            let at = &key.referenced;
            let Ok(k) = key.value.parse::<Key>() else {
                say(at, "settings.bad-key", &[("key", &key.value)]);
                continue;
            };
            let shown = k.to_string();
            if seen.contains(&k) {
                say(
                    at,
                    "settings.key-twice",
                    &[("key", &shown), ("context", ctx.name())],
                );
                continue;
            }
            seen.push(k);
            if k == Key::new(KeyCode::Char('c'), Mods::CTRL) && action.value != "quit" {
                say(at, "settings.ctrl-c", &[]);
                continue;
            }
            if action.value == "none" {
                s.keymap.unbind(ctx, k);
                continue;
            }
            let Ok(command) = action.value.parse::<Command>() else {
                let all: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
                say(
                    &action.referenced,
                    "settings.unknown-action",
                    &[("action", &action.value), ("actions", &all.join(", "))],
                );
                continue;
            };
            if ctx.text_field() && k.typed().is_some() {
                say(
                    at,
                    "settings.types",
                    &[("key", &shown), ("context", ctx.name())],
                );
                continue;
            }
            let already = (s.keymap.bindings(ctx).iter())
                .any(|b| b.command == command && b.keys.contains(&k));
            if !already {
                s.keymap.bind(ctx, k, command);
            }
        }
    }
    if let Some(name) = &file.theme.name {
        match name.value.parse::<Scheme>() {
            Ok(scheme) => s.scheme = scheme,
            Err(_) => say(
                &name.referenced,
                "settings.bad-theme",
                &[("name", &name.value)],
            ),
        }
    }
    for (role, color) in file::in_order(&file.theme.colors) {
        let Ok(r) = role.value.parse::<Role>() else {
            let all: Vec<&str> = <Role as strum::VariantArray>::VARIANTS
                .iter()
                .map(|r| <&str>::from(*r))
                .collect();
            say(
                &role.referenced,
                "settings.bad-role",
                &[("role", &role.value), ("roles", &all.join(", "))],
            );
            continue;
        };
        match color.value.parse::<Color>() {
            Ok(c) => s.colors.push((r, c)),
            Err(_) => say(
                &color.referenced,
                "settings.bad-color",
                &[("color", &color.value)],
            ),
        }
    }
    if let Some(lang) = &file.language {
        match Lang::parse(&lang.value) {
            Some(l) => s.language = Some(l),
            None => say(
                &lang.referenced,
                "settings.bad-language",
                &[("lang", &lang.value)],
            ),
        }
    }
    for (page, sort) in file::in_order(&file.sort) {
        let slot = match page.value.as_str() {
            "cloud" => 0,
            "software" => 1,
            _ => {
                say(
                    &page.referenced,
                    "settings.bad-sort-page",
                    &[("page", &page.value)],
                );
                continue;
            }
        };
        match sort_key(&sort.value) {
            Some(k) => s.sort[slot] = k,
            None => say(
                &sort.referenced,
                "settings.bad-sort",
                &[("sort", &sort.value)],
            ),
        }
    }
    s.mouse = file.mouse.unwrap_or(true);
    s.copy = file.copy.unwrap_or(true);
    Ok((s, problems))
}

/// The sort names a settings file uses.
pub const SORTS: [(&str, SortKey); 5] = [
    ("catalog", SortKey::Catalog),
    ("name", SortKey::Name),
    ("source", SortKey::Source),
    ("quantity", SortKey::Quantity),
    ("activate-by", SortKey::ActivateBy),
];

fn sort_key(name: &str) -> Option<SortKey> {
    SORTS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

#[cfg(test)]
mod tests;
