//! Keys as data, over our own `Key`. One list of bindings per context (the layer on top:
//! browsing, the filter field, a dialog step, an overlay), written compactly in `defaults`.
//! The key handler, the footer and the help overlay all read the same lists, so what the
//! screen says works is what works. `bind` and `unbind` change one context's list, which
//! is what a settings file's additions, replacements and removals will call.

mod defaults;

use super::Command;
use crate::input::{Key, Mods};

/// Which layer has the keyboard. A settings file names it in kebab case (`browse`,
/// `enter-key`, `palette`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Context {
    Browse,
    Filter,
    Help,
    ConfirmQuit,
    Wizard,
    WizardActivate,
    EnterKey,
    ChooseTarget,
    ConfirmTenant,
    ChooseMode,
    Review,
    Committing,
    Receipt,
    Activation,
    Credit,
    Timeline,
    /// Activate benefits of a software benefit: activation on a machine, no tenant.
    WizardSoftware,
    /// Activate benefits of Azure credit: assign a user of the verified tenant.
    WizardCredit,
    Palette,
    /// The cursor is on the key lines of an expanded row.
    KeyLines,
}

impl Context {
    /// Every context, in the order the help overlay lists them, with its heading id.
    /// (Committing offers only help and quit, which every other context lists too.)
    pub const ALL: [(Context, &'static str); 18] = [
        (Context::Browse, "help.section.browse"),
        (Context::KeyLines, "help.section.key-lines"),
        (Context::Timeline, "timeline.title"),
        (Context::Filter, "help.section.filter"),
        (Context::Wizard, "help.section.wizard"),
        (Context::WizardActivate, "wizard.activate"),
        (Context::WizardSoftware, "help.section.wizard-software"),
        (Context::WizardCredit, "help.section.wizard-credit"),
        (Context::EnterKey, "dialog.enter-key"),
        (Context::ChooseTarget, "dialog.choose-target"),
        (Context::ConfirmTenant, "dialog.confirm-tenant"),
        (Context::ChooseMode, "dialog.choose-mode"),
        (Context::Review, "dialog.review"),
        (Context::Receipt, "dialog.receipt"),
        (Context::Activation, "activation.title"),
        (Context::Credit, "credit.title"),
        (Context::ConfirmQuit, "help.section.confirm-quit"),
        (Context::Palette, "palette.title"),
    ];

    /// Every context (the help's `ALL` leaves out Committing).
    pub const EVERY: [Context; 20] = [
        Context::Browse,
        Context::Filter,
        Context::Help,
        Context::ConfirmQuit,
        Context::Wizard,
        Context::WizardActivate,
        Context::EnterKey,
        Context::ChooseTarget,
        Context::ConfirmTenant,
        Context::ChooseMode,
        Context::Review,
        Context::Committing,
        Context::Receipt,
        Context::Activation,
        Context::Credit,
        Context::Timeline,
        Context::WizardSoftware,
        Context::WizardCredit,
        Context::Palette,
        Context::KeyLines,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The name a settings file uses.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Contexts with a focused text field: printable keys type into it (`q` included).
    pub fn text_field(self) -> bool {
        matches!(
            self,
            Context::Filter
                | Context::EnterKey
                | Context::ConfirmTenant
                | Context::Activation
                | Context::Palette
        )
    }
}

/// The default bindings of `ctx` as a settings file writes them: the keys (space
/// separated, e.g. `"Up k"`) and the command.
pub fn default_rows(ctx: Context) -> impl Iterator<Item = (&'static str, Command)> {
    defaults::rows(ctx).iter().map(|row| (row.0, row.1))
}

/// The commands the page's default bindings name, in their order: what the palette offers.
pub fn page_commands() -> impl Iterator<Item = Command> {
    defaults::rows(Context::Browse).iter().map(|row| row.1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub command: Command,
    /// i18n id of the short description.
    pub help: &'static str,
    /// Shown in the footer; the help overlay lists every binding.
    pub footer: bool,
}

impl Binding {
    pub fn label(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(Key::to_string).collect();
        keys.join("/")
    }
}

/// One entry of the footer or the help overlay: the keys, the help text id, the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub label: String,
    pub help: &'static str,
    pub command: Command,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    contexts: Vec<Vec<Binding>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut contexts = vec![Vec::new(); Context::EVERY.len()];
        for ctx in Context::EVERY {
            contexts[ctx.index()] = defaults::rows(ctx)
                .iter()
                .map(|(keys, command, help, footer)| Binding {
                    keys: keys
                        .split(' ')
                        .map(|k| k.parse().expect("the default keys parse (tested)"))
                        .collect(),
                    command: *command,
                    help,
                    footer: *footer,
                })
                .collect();
        }
        Keymap { contexts }
    }
}

impl Keymap {
    pub fn bindings(&self, ctx: Context) -> &[Binding] {
        &self.contexts[ctx.index()]
    }

    /// The command `key` means in `ctx`. A key with Shift that is not bound as such means
    /// what it means without (Shift-↑ moves like ↑).
    pub fn lookup(&self, ctx: Context, key: Key) -> Option<Command> {
        let find = |key: Key| {
            self.bindings(ctx)
                .iter()
                .find(|b| b.keys.contains(&key))
                .map(|b| b.command)
        };
        find(key).or_else(|| {
            let plain = Key::new(key.code, key.mods.without(Mods::SHIFT));
            (plain != key).then(|| find(plain)).flatten()
        })
    }

    /// Make `key` mean `command` in `ctx`, whatever it meant before: it joins the
    /// command's first binding there, or a new binding with the command's own help text.
    pub fn bind(&mut self, ctx: Context, key: Key, command: Command) {
        self.unbind(ctx, key);
        let list = &mut self.contexts[ctx.index()];
        match list.iter_mut().find(|b| b.command == command) {
            Some(b) => b.keys.push(key),
            None => list.push(Binding {
                keys: vec![key],
                command,
                help: command.help_id(),
                footer: false,
            }),
        }
    }

    /// Make `key` mean nothing in `ctx` (a binding left without keys goes).
    pub fn unbind(&mut self, ctx: Context, key: Key) {
        let list = &mut self.contexts[ctx.index()];
        for b in list.iter_mut() {
            b.keys.retain(|k| *k != key);
        }
        list.retain(|b| !b.keys.is_empty());
    }

    /// Bindings grouped for display: neighbours that share a help text show as one entry
    /// ("↑/k/↓/j move"). `footer` keeps the footer's selection, each with its first key
    /// only, so the footer fits 80 columns.
    pub fn hints(&self, ctx: Context, footer: bool) -> Vec<Hint> {
        let mut out: Vec<Hint> = Vec::new();
        for b in self.bindings(ctx).iter().filter(|b| b.footer || !footer) {
            let label = if footer {
                b.keys.first().map(Key::to_string).unwrap_or_default()
            } else {
                b.label()
            };
            match out.last_mut() {
                Some(h) if h.help == b.help => {
                    h.label.push('/');
                    h.label.push_str(&label);
                }
                _ => out.push(Hint {
                    label,
                    help: b.help,
                    command: b.command,
                }),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::KeyCode;

    fn key(s: &str) -> Key {
        s.parse().unwrap()
    }

    #[test]
    fn every_context_has_its_defaults_and_no_key_twice() {
        for (i, ctx) in Context::EVERY.iter().enumerate() {
            assert_eq!(ctx.index(), i, "EVERY is in declaration order");
        }
        let map = Keymap::default();
        for (ctx, _) in Context::ALL {
            let keys: Vec<Key> = map
                .bindings(ctx)
                .iter()
                .flat_map(|b| b.keys.clone())
                .collect();
            assert!(!keys.is_empty(), "{ctx:?}");
            let mut unique = keys.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), keys.len(), "{ctx:?} binds a key twice");
        }
    }

    #[test]
    fn q_quits_only_from_a_page_and_types_into_text_fields() {
        let map = Keymap::default();
        let q = Key::char('q');
        for (ctx, _) in Context::ALL {
            let cmd = map.lookup(ctx, q);
            if ctx == Context::Browse {
                assert_eq!(cmd, Some(Command::Quit));
            } else if ctx.text_field() {
                assert_eq!(cmd, None, "{ctx:?}: q types");
            } else {
                assert_ne!(cmd, Some(Command::Quit), "{ctx:?}: q closes, never quits");
            }
            // Ctrl-C quits from everywhere but the quit question itself.
            if ctx != Context::ConfirmQuit {
                assert_eq!(map.lookup(ctx, key("C-c")), Some(Command::Quit), "{ctx:?}");
            }
        }
    }

    #[test]
    fn shift_falls_back_to_the_key_without_it() {
        let map = Keymap::default();
        let shift_up = Key::new(KeyCode::Up, Mods::SHIFT);
        assert_eq!(map.lookup(Context::Browse, shift_up), Some(Command::Up));
        assert_eq!(map.lookup(Context::Browse, key("Alt-j")), None);
    }

    #[test]
    fn bindings_can_be_added_replaced_and_removed_per_context() {
        let mut map = Keymap::default();
        // Added: a new key for an existing command joins its binding.
        map.bind(Context::Browse, key("C-n"), Command::Down);
        assert_eq!(map.lookup(Context::Browse, key("C-n")), Some(Command::Down));
        assert!(
            map.hints(Context::Browse, false)[0]
                .label
                .contains("Ctrl-N")
        );
        // Replaced: `r` now sorts, and no longer redeems.
        map.bind(Context::Browse, key("r"), Command::Sort);
        assert_eq!(map.lookup(Context::Browse, key("r")), Some(Command::Sort));
        assert!(
            map.bindings(Context::Browse)
                .iter()
                .all(|b| b.command != Command::Redeem),
            "a binding left without keys goes"
        );
        // Removed, in one context only.
        map.unbind(Context::Browse, key("j"));
        assert_eq!(map.lookup(Context::Browse, key("j")), None);
        assert_eq!(map.lookup(Context::Help, key("j")), Some(Command::Down));
        // A command new to a context comes with its own help text.
        map.bind(Context::Help, key("t"), Command::Timeline);
        let t = map.hints(Context::Help, false);
        assert!(t.iter().any(|h| h.help == "key.timeline"));
    }

    #[test]
    fn the_footer_shows_first_keys_and_merges_neighbours() {
        let map = Keymap::default();
        let footer = map.hints(Context::Browse, true);
        assert_eq!(footer[0].label, "↑/↓");
        assert_eq!(footer[0].help, "key.move");
        let help = map.hints(Context::Browse, false);
        assert_eq!(help[0].label, "↑/k/↓/j");
    }
}
