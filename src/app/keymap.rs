//! Keys as data. One table per context (the layer on top: browsing, the filter field, a
//! dialog step, an overlay). The key handler, the footer and the help overlay all read these
//! tables, so what the screen says works is what works.

use super::Action;
use crate::redeem::{Intent, TextEdit};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn c(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        ctrl: false,
    }
}

const fn ctrl(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        ctrl: true,
    }
}

impl Key {
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let ev_ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ev_ctrl != self.ctrl || ev.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        match (self.code, ev.code) {
            // Terminals report upper case with or without SHIFT; compare the character only.
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                if self.ctrl {
                    a.eq_ignore_ascii_case(&b)
                } else {
                    a == b
                }
            }
            (KeyCode::BackTab, KeyCode::BackTab) => true,
            (KeyCode::BackTab, KeyCode::Tab) => ev.modifiers.contains(KeyModifiers::SHIFT),
            (KeyCode::Tab, KeyCode::Tab) => !ev.modifiers.contains(KeyModifiers::SHIFT),
            (a, b) => a == b,
        }
    }

    /// How the key is written in the footer and the help overlay.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Backspace => "Bksp".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(ch) if self.ctrl => ch.to_ascii_uppercase().to_string(),
            KeyCode::Char(ch) => ch.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    /// i18n id of the short description.
    pub help: &'static str,
    /// Shown in the footer; the help overlay lists every binding.
    pub footer: bool,
}

impl Binding {
    pub fn label(&self) -> String {
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Which layer has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

impl Context {
    /// Contexts with a focused text field: printable keys type into it (`q` included).
    pub fn text_field(self) -> bool {
        matches!(
            self,
            Context::Filter | Context::EnterKey | Context::ConfirmTenant | Context::Activation
        )
    }

    /// Every context, in the order the help overlay lists them, with its heading id.
    pub const ALL: [(Context, &'static str); 14] = [
        (Context::Browse, "help.section.browse"),
        (Context::Timeline, "timeline.title"),
        (Context::Filter, "help.section.filter"),
        (Context::Wizard, "help.section.wizard"),
        (Context::WizardActivate, "wizard.activate"),
        (Context::EnterKey, "dialog.enter-key"),
        (Context::ChooseTarget, "dialog.choose-target"),
        (Context::ConfirmTenant, "dialog.confirm-tenant"),
        (Context::ChooseMode, "dialog.choose-mode"),
        (Context::Review, "dialog.review"),
        (Context::Receipt, "dialog.receipt"),
        (Context::Activation, "activation.title"),
        (Context::Credit, "credit.title"),
        (Context::ConfirmQuit, "help.section.confirm-quit"),
    ];
}

const UP: &[Key] = &[k(KeyCode::Up), c('k')];
const DOWN: &[Key] = &[k(KeyCode::Down), c('j')];
const QUIT: &[Key] = &[c('q'), ctrl('c')];

pub const BROWSE: &[Binding] = &[
    Binding {
        keys: UP,
        action: Action::Up,
        help: "key.move",
        footer: true,
    },
    Binding {
        keys: DOWN,
        action: Action::Down,
        help: "key.move",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::PageUp)],
        action: Action::PageUp,
        help: "key.page",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::PageDown)],
        action: Action::PageDown,
        help: "key.page",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Home), c('g')],
        action: Action::Home,
        help: "key.home-end",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::End), c('G')],
        action: Action::End,
        help: "key.home-end",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Enter)],
        action: Action::Open,
        help: "key.open",
        footer: true,
    },
    Binding {
        keys: &[c(' ')],
        action: Action::Toggle,
        help: "key.toggle",
        footer: false,
    },
    Binding {
        keys: &[c('r')],
        action: Action::Redeem,
        help: "key.redeem",
        footer: true,
    },
    Binding {
        keys: &[c('a')],
        action: Action::Activate,
        help: "key.activate",
        footer: true,
    },
    Binding {
        keys: &[c('c')],
        action: Action::Credit,
        help: "key.credit",
        footer: true,
    },
    Binding {
        keys: &[c('w')],
        action: Action::Wizard,
        help: "key.wizard",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Right), c('l')],
        action: Action::Expand,
        help: "key.expand",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Left), c('h')],
        action: Action::Collapse,
        help: "key.collapse",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Tab)],
        action: Action::NextPage,
        help: "key.next-page",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::BackTab)],
        action: Action::PrevPage,
        help: "key.prev-page",
        footer: false,
    },
    Binding {
        keys: &[c('1')],
        action: Action::GoPage(0),
        help: "page.cloud",
        footer: false,
    },
    Binding {
        keys: &[c('2')],
        action: Action::GoPage(1),
        help: "page.software",
        footer: false,
    },
    Binding {
        keys: &[c('3')],
        action: Action::GoPage(2),
        help: "page.history",
        footer: false,
    },
    Binding {
        keys: &[c('t')],
        action: Action::Timeline,
        help: "key.timeline",
        footer: true,
    },
    Binding {
        keys: &[c('/')],
        action: Action::Filter,
        help: "key.filter",
        footer: true,
    },
    Binding {
        keys: &[c('f')],
        action: Action::QuickFilter,
        help: "key.quick-filter",
        footer: true,
    },
    Binding {
        keys: &[c('s')],
        action: Action::Sort,
        help: "key.sort",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        action: Action::ClearFilters,
        help: "key.clear-filters",
        footer: false,
    },
    Binding {
        keys: &[c('?')],
        action: Action::Help,
        help: "key.help",
        footer: true,
    },
    Binding {
        keys: QUIT,
        action: Action::Quit,
        help: "key.quit",
        footer: true,
    },
];

const WIZARD_PREVIOUS: Binding = Binding {
    keys: &[k(KeyCode::Left), c('h'), c('p')],
    action: Action::WizardPrevious,
    help: "button.previous",
    footer: true,
};

const WIZARD_CANCEL: Binding = Binding {
    keys: &[k(KeyCode::Esc), c('c')],
    action: Action::WizardCancel,
    help: "button.cancel",
    footer: true,
};

const WIZARD_HELP: Binding = Binding {
    keys: &[c('?')],
    action: Action::Help,
    help: "key.help",
    footer: false,
};

const WIZARD_QUIT: Binding = Binding {
    keys: QUIT,
    action: Action::Quit,
    help: "key.quit",
    footer: false,
};

/// Introduction and Activation walkthrough.
pub const WIZARD: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Right), c('l'), c('n'), k(KeyCode::Enter)],
        action: Action::WizardNext,
        help: "button.next",
        footer: true,
    },
    WIZARD_PREVIOUS,
    WIZARD_CANCEL,
    Binding {
        keys: &[c('s')],
        action: Action::WizardSkip,
        help: "button.skip",
        footer: true,
    },
    WIZARD_HELP,
    WIZARD_QUIT,
];

/// Activate benefits.
pub const WIZARD_ACTIVATE: &[Binding] = &[
    Binding {
        keys: &[c(' '), c('v')],
        action: Action::WizardVerify,
        help: "key.verify",
        footer: true,
    },
    Binding {
        keys: &[c('g')],
        action: Action::WizardGetKeys,
        help: "button.get-keys",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Enter), c('r')],
        action: Action::WizardRedeem,
        help: "key.redeem",
        footer: true,
    },
    WIZARD_PREVIOUS,
    WIZARD_CANCEL,
    WIZARD_HELP,
    WIZARD_QUIT,
];

pub const FILTER: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Enter), k(KeyCode::Down)],
        action: Action::FilterDone,
        help: "key.filter-done",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        action: Action::FilterCancel,
        help: "key.filter-clear",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Backspace)],
        action: Action::FilterEdit(TextEdit::Backspace),
        help: "key.backspace",
        footer: false,
    },
    Binding {
        keys: &[ctrl('u')],
        action: Action::FilterEdit(TextEdit::Clear),
        help: "key.clear-field",
        footer: false,
    },
    Binding {
        keys: &[ctrl('c')],
        action: Action::Quit,
        help: "key.quit",
        footer: true,
    },
];

pub const HELP: &[Binding] = &[
    Binding {
        keys: UP,
        action: Action::HelpScroll(-1),
        help: "key.scroll",
        footer: true,
    },
    Binding {
        keys: DOWN,
        action: Action::HelpScroll(1),
        help: "key.scroll",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::PageUp)],
        action: Action::HelpScroll(-10),
        help: "key.scroll",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::PageDown)],
        action: Action::HelpScroll(10),
        help: "key.scroll",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Esc), c('?'), c('q'), k(KeyCode::Enter)],
        action: Action::CloseHelp,
        help: "key.close",
        footer: true,
    },
];

/// The timeline: its lanes scroll with the tables' keys.
pub const TIMELINE: &[Binding] = &[
    Binding {
        keys: UP,
        action: Action::Up,
        help: "key.scroll",
        footer: true,
    },
    Binding {
        keys: DOWN,
        action: Action::Down,
        help: "key.scroll",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::PageUp)],
        action: Action::PageUp,
        help: "key.page",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::PageDown)],
        action: Action::PageDown,
        help: "key.page",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Home), c('g')],
        action: Action::Home,
        help: "key.home-end",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::End), c('G')],
        action: Action::End,
        help: "key.home-end",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Esc), c('t')],
        action: Action::CloseTimeline,
        help: "key.close",
        footer: true,
    },
    Binding {
        keys: &[c('?')],
        action: Action::Help,
        help: "key.help",
        footer: true,
    },
    Binding {
        keys: QUIT,
        action: Action::Quit,
        help: "key.quit",
        footer: true,
    },
];

pub const CONFIRM_QUIT: &[Binding] = &[
    Binding {
        keys: &[c('y'), c('Y')],
        action: Action::ConfirmQuit(true),
        help: "key.quit-yes",
        footer: true,
    },
    Binding {
        keys: &[c('n'), c('N'), k(KeyCode::Esc)],
        action: Action::ConfirmQuit(false),
        help: "key.quit-no",
        footer: true,
    },
];

const BACK: Binding = Binding {
    keys: &[k(KeyCode::Esc)],
    action: Action::Dialog(Intent::Back),
    help: "key.back",
    footer: true,
};

const DIALOG_QUIT: Binding = Binding {
    keys: &[ctrl('c')],
    action: Action::Quit,
    help: "key.quit",
    footer: false,
};

pub const ENTER_KEY: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Enter)],
        action: Action::Dialog(Intent::Validate),
        help: "label.validate",
        footer: true,
    },
    BACK,
    Binding {
        keys: &[k(KeyCode::Backspace)],
        action: Action::Dialog(Intent::EditKey(TextEdit::Backspace)),
        help: "key.backspace",
        footer: false,
    },
    Binding {
        keys: &[ctrl('u')],
        action: Action::Dialog(Intent::EditKey(TextEdit::Clear)),
        help: "key.clear-field",
        footer: true,
    },
    DIALOG_QUIT,
];

pub const CHOOSE_TARGET: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Up), c('k')],
        action: Action::Dialog(Intent::MoveTarget(-1)),
        help: "key.move",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Down), c('j')],
        action: Action::Dialog(Intent::MoveTarget(1)),
        help: "key.move",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Enter)],
        action: Action::Dialog(Intent::ChooseTarget),
        help: "key.choose",
        footer: true,
    },
    BACK,
    Binding {
        keys: QUIT,
        action: Action::Quit,
        help: "key.quit",
        footer: false,
    },
];

pub const CONFIRM_TENANT: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Enter)],
        action: Action::Dialog(Intent::ConfirmTenant),
        help: "key.confirm",
        footer: true,
    },
    BACK,
    Binding {
        keys: &[k(KeyCode::Backspace)],
        action: Action::Dialog(Intent::EditConfirmation(TextEdit::Backspace)),
        help: "key.backspace",
        footer: false,
    },
    Binding {
        keys: &[ctrl('u')],
        action: Action::Dialog(Intent::EditConfirmation(TextEdit::Clear)),
        help: "key.clear-field",
        footer: false,
    },
    DIALOG_QUIT,
];

pub const CHOOSE_MODE: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Left), c('h'), k(KeyCode::Up), c('k')],
        action: Action::Dialog(Intent::MoveMode(-1)),
        help: "key.prev-mode",
        footer: false,
    },
    Binding {
        keys: &[
            k(KeyCode::Right),
            c('l'),
            k(KeyCode::Down),
            c('j'),
            k(KeyCode::Tab),
        ],
        action: Action::Dialog(Intent::MoveMode(1)),
        help: "key.next-mode",
        footer: true,
    },
    Binding {
        keys: &[c('x')],
        action: Action::Dialog(Intent::ToggleExplanation),
        help: "label.how-calculated",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Enter)],
        action: Action::Dialog(Intent::Review),
        help: "label.review-order-details",
        footer: true,
    },
    BACK,
    Binding {
        keys: QUIT,
        action: Action::Quit,
        help: "key.quit",
        footer: false,
    },
];

pub const REVIEW: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Enter)],
        action: Action::Dialog(Intent::Redeem),
        help: "label.redeem",
        footer: true,
    },
    Binding {
        keys: &[c('x')],
        action: Action::Dialog(Intent::ToggleExplanation),
        help: "label.how-calculated",
        footer: true,
    },
    BACK,
    Binding {
        keys: QUIT,
        action: Action::Quit,
        help: "key.quit",
        footer: false,
    },
];

pub const COMMITTING: &[Binding] = &[];

pub const RECEIPT: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Enter), k(KeyCode::Esc)],
        action: Action::Dialog(Intent::Back),
        help: "key.close",
        footer: true,
    },
    Binding {
        keys: &[c('n')],
        action: Action::Dialog(Intent::RedeemAnother),
        help: "key.redeem-another",
        footer: true,
    },
    Binding {
        keys: QUIT,
        action: Action::Quit,
        help: "key.quit",
        footer: false,
    },
];

pub const ACTIVATION: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Enter)],
        action: Action::ActivationConfirm,
        help: "key.activation-confirm",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Tab), k(KeyCode::Down)],
        action: Action::ActivationField(1),
        help: "key.next-field",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::BackTab), k(KeyCode::Up)],
        action: Action::ActivationField(-1),
        help: "key.prev-field",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Right)],
        action: Action::ActivationCycle(1),
        help: "key.change-choice",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Left)],
        action: Action::ActivationCycle(-1),
        help: "key.change-choice",
        footer: false,
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        action: Action::ActivationClose,
        help: "key.close",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Backspace)],
        action: Action::ActivationEdit(TextEdit::Backspace),
        help: "key.backspace",
        footer: false,
    },
    Binding {
        keys: &[ctrl('u')],
        action: Action::ActivationEdit(TextEdit::Clear),
        help: "key.clear-field",
        footer: false,
    },
    DIALOG_QUIT,
];

pub const CREDIT: &[Binding] = &[
    Binding {
        keys: &[k(KeyCode::Enter)],
        action: Action::CreditConfirm,
        help: "key.credit-confirm",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Right), c('l'), k(KeyCode::Tab)],
        action: Action::CreditOp(1),
        help: "key.credit-op",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Left), c('h'), k(KeyCode::BackTab)],
        action: Action::CreditOp(-1),
        help: "key.credit-op",
        footer: false,
    },
    Binding {
        keys: UP,
        action: Action::CreditUser(-1),
        help: "key.credit-user",
        footer: true,
    },
    Binding {
        keys: DOWN,
        action: Action::CreditUser(1),
        help: "key.credit-user",
        footer: true,
    },
    Binding {
        keys: &[k(KeyCode::Esc)],
        action: Action::CreditClose,
        help: "key.close",
        footer: true,
    },
    Binding {
        keys: QUIT,
        action: Action::Quit,
        help: "key.quit",
        footer: false,
    },
];

/// Bindings grouped for display: neighbours that share a help text show as one entry
/// ("↑/k/↓/j move"). `footer` keeps the footer's selection, each with its first key only,
/// so the footer fits 80 columns.
pub fn grouped(ctx: Context, footer: bool) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for b in bindings(ctx).iter().filter(|b| b.footer || !footer) {
        let label = if footer {
            b.keys.first().map(Key::label).unwrap_or_default()
        } else {
            b.label()
        };
        match out.last_mut() {
            Some((l, help)) if *help == b.help => {
                l.push('/');
                l.push_str(&label);
            }
            _ => out.push((label, b.help)),
        }
    }
    out
}

pub fn bindings(ctx: Context) -> &'static [Binding] {
    match ctx {
        Context::Browse => BROWSE,
        Context::Filter => FILTER,
        Context::Help => HELP,
        Context::ConfirmQuit => CONFIRM_QUIT,
        Context::Wizard => WIZARD,
        Context::WizardActivate => WIZARD_ACTIVATE,
        Context::EnterKey => ENTER_KEY,
        Context::ChooseTarget => CHOOSE_TARGET,
        Context::ConfirmTenant => CONFIRM_TENANT,
        Context::ChooseMode => CHOOSE_MODE,
        Context::Review => REVIEW,
        Context::Committing => COMMITTING,
        Context::Receipt => RECEIPT,
        Context::Activation => ACTIVATION,
        Context::Credit => CREDIT,
        Context::Timeline => TIMELINE,
    }
}

/// The action a key means in `ctx`: the first binding that lists it, else typing into the
/// context's text field.
pub fn lookup(ctx: Context, ev: &KeyEvent) -> Option<Action> {
    if let Some(b) = bindings(ctx)
        .iter()
        .find(|b| b.keys.iter().any(|key| key.matches(ev)))
    {
        return Some(b.action.clone());
    }
    let plain = !ev
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match (ctx, ev.code) {
        (Context::Filter, KeyCode::Char(ch)) if plain => {
            Some(Action::FilterEdit(TextEdit::Insert(ch.to_string())))
        }
        (Context::EnterKey, KeyCode::Char(ch)) if plain => Some(Action::Dialog(Intent::EditKey(
            TextEdit::Insert(ch.to_string()),
        ))),
        (Context::Activation, KeyCode::Char(ch)) if plain => {
            Some(Action::ActivationEdit(TextEdit::Insert(ch.to_string())))
        }
        (Context::ConfirmTenant, KeyCode::Char(ch)) if plain => Some(Action::Dialog(
            Intent::EditConfirmation(TextEdit::Insert(ch.to_string())),
        )),
        _ => None,
    }
}
