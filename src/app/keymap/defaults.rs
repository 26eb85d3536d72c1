//! The default bindings, one line each: keys (as a settings file writes them), the command,
//! the help text, and whether the footer shows it (the help overlay shows all).

use super::Context;
use crate::app::Command::{self, *};

/// Shown in the footer, or only in the help overlay.
const F: bool = true;
const H: bool = false;

pub(super) type Row = (&'static str, Command, &'static str, bool);

pub(super) fn rows(ctx: Context) -> &'static [Row] {
    match ctx {
        Context::Browse => BROWSE,
        Context::Filter => FILTER,
        Context::Help => HELP,
        Context::ConfirmQuit => CONFIRM_QUIT,
        Context::Wizard => WIZARD,
        Context::WizardActivate => WIZARD_ACTIVATE,
        Context::WizardSoftware => WIZARD_SOFTWARE,
        Context::WizardCredit => WIZARD_CREDIT,
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
        Context::Palette => PALETTE,
        Context::KeyLines => KEY_LINES,
    }
}

const BROWSE: &[Row] = &[
    ("Up k", Up, "key.move", F),
    ("Down j", Down, "key.move", F),
    ("PgUp", PageUp, "key.page", H),
    ("PgDn", PageDown, "key.page", H),
    ("Home g", Home, "key.home-end", H),
    ("End G", End, "key.home-end", H),
    ("Enter", Open, "key.open", F),
    ("Space", Toggle, "key.toggle", H),
    ("r", Redeem, "key.redeem", F),
    ("a", Activate, "key.activate", F),
    ("c", Credit, "key.credit", F),
    ("w", Wizard, "key.wizard", F),
    // The footer offers it only where it moves into an expanded row's key lines.
    ("Right l", Expand, "key.expand", F),
    ("Left h", Collapse, "key.collapse", H),
    ("+", ExpandAll, "key.expand-all", H),
    ("-", CollapseAll, "key.collapse-all", H),
    ("Tab", NextPage, "key.next-page", F),
    ("S-Tab", PrevPage, "key.prev-page", H),
    ("1", CloudPage, "page.cloud", H),
    ("2", SoftwarePage, "page.software", H),
    ("3", HistoryPage, "page.history", H),
    ("4", ReconcilePage, "page.reconcile", H),
    ("5", ConsumptionPage, "page.consumption", H),
    ("t", Timeline, "key.timeline", F),
    ("/", Filter, "key.filter", F),
    ("f", QuickFilter, "key.quick-filter", F),
    ("s", Sort, "key.sort", F),
    ("S", SortReverse, "key.sort-reverse", H),
    (":", Palette, "key.palette", H),
    ("y", Copy, "key.copy", H),
    ("Y", CopyKey, "key.copy-key", H),
    ("Esc", ClearFilters, "key.clear-filters", H),
    ("?", Help, "key.help", F),
    ("q C-c", Quit, "key.quit", F),
];

const FILTER: &[Row] = &[
    ("Enter Down", Confirm, "key.filter-done", F),
    ("Esc", Back, "key.filter-clear", F),
    ("Bksp", DeleteBack, "key.backspace", H),
    ("C-u", ClearField, "key.clear-field", H),
    ("C-c", Quit, "key.quit", F),
];

const HELP: &[Row] = &[
    ("Up k", Up, "key.scroll", F),
    ("Down j", Down, "key.scroll", F),
    ("PgUp", PageUp, "key.scroll", H),
    ("PgDn", PageDown, "key.scroll", H),
    ("Home g", Home, "key.scroll", H),
    ("End G", End, "key.scroll", H),
    ("Esc ? q Enter", Close, "key.close", F),
    ("C-c", Quit, "key.quit", H),
];

const TIMELINE: &[Row] = &[
    ("Up k", Up, "key.scroll", F),
    ("Down j", Down, "key.scroll", F),
    ("PgUp", PageUp, "key.page", H),
    ("PgDn", PageDown, "key.page", H),
    ("Home g", Home, "key.home-end", H),
    ("End G", End, "key.home-end", H),
    ("Esc", Back, "key.close", F),
    ("t q", Close, "key.close", H),
    ("?", Help, "key.help", F),
    ("C-c", Quit, "key.quit", F),
];

const CONFIRM_QUIT: &[Row] = &[
    // Yes in every language offered: y, and j (ja) for nl-NL and sv-SE.
    ("y Y j J", Yes, "key.quit-yes", F),
    ("n N Esc", No, "key.quit-no", F),
];

/// Introduction and Activation walkthrough.
const WIZARD: &[Row] = &[
    ("Right l n Enter", NextStep, "button.next", F),
    ("Left h p", PrevStep, "button.previous", F),
    ("Esc c", Back, "button.cancel", F),
    ("s", Skip, "button.skip", F),
    ("?", Help, "key.help", H),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

/// Activate benefits, for a benefit redeemed with a key: ↑/↓ pick one of the keys shown.
const WIZARD_ACTIVATE: &[Row] = &[
    ("Space v", Verify, "key.verify", F),
    ("g", GetKeys, "button.get-keys", F),
    ("y", CopyKey, "key.copy-key", H),
    ("Enter r", Redeem, "key.redeem", F),
    ("Tab", Keyless, "key.keyless", F),
    ("Esc c", Back, "button.cancel", F),
    ("Up k", Up, "key.pick-key", F),
    ("Down j", Down, "key.pick-key", F),
    ("Left h p", PrevStep, "button.previous", F),
    ("?", Help, "key.help", H),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

/// Activate benefits, for software: activated on a machine, so no tenant to verify.
const WIZARD_SOFTWARE: &[Row] = &[
    ("g", GetKeys, "button.get-keys", F),
    ("y", CopyKey, "key.copy-key", H),
    ("Up k", Up, "key.pick-key", F),
    ("Down j", Down, "key.pick-key", F),
    ("Enter a", Activate, "key.activate", F),
    ("Esc c", Back, "button.cancel", F),
    ("Left h p", PrevStep, "button.previous", F),
    ("?", Help, "key.help", H),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

/// Activate benefits, for Azure credit: a user of the verified tenant is assigned.
const WIZARD_CREDIT: &[Row] = &[
    ("Space v", Verify, "key.verify", F),
    ("Enter", Credit, "key.assign-credit", F),
    ("Left h p", PrevStep, "button.previous", F),
    ("Esc c", Back, "button.cancel", F),
    ("?", Help, "key.help", H),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

const ENTER_KEY: &[Row] = &[
    ("Enter", Confirm, "label.validate", F),
    ("Tab", Keyless, "key.keyless", F),
    ("Esc", Back, "key.back", F),
    ("Bksp", DeleteBack, "key.backspace", H),
    ("C-u", ClearField, "key.clear-field", F),
    ("C-c", Quit, "key.quit", H),
];

const CHOOSE_TARGET: &[Row] = &[
    ("Up k", Up, "key.move", F),
    ("Down j", Down, "key.move", F),
    ("Enter", Confirm, "key.choose", F),
    ("y", Copy, "key.copy-domain", H),
    ("Y", CopyKey, "key.copy-key", H),
    ("Esc", Back, "key.back", F),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

const CONFIRM_TENANT: &[Row] = &[
    ("Enter", Confirm, "key.confirm", F),
    ("Esc", Back, "key.back", F),
    ("Bksp", DeleteBack, "key.backspace", H),
    ("C-u", ClearField, "key.clear-field", H),
    ("C-c", Quit, "key.quit", H),
];

const CHOOSE_MODE: &[Row] = &[
    ("Left h Up k", PrevChoice, "key.prev-mode", H),
    ("Right l Down j Tab", NextChoice, "key.next-mode", F),
    ("x", Explain, "label.how-calculated", F),
    ("Enter", Confirm, "label.review-order-details", F),
    ("Esc", Back, "key.back", F),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

const REVIEW: &[Row] = &[
    ("Enter", Confirm, "label.redeem", F),
    ("x", Explain, "label.how-calculated", F),
    ("Esc", Back, "key.back", F),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

/// The write is under way: nothing moves the dialog until the ledger answers, but the
/// dashboard still answers (help, quit).
const COMMITTING: &[Row] = &[("?", Help, "key.help", H), ("C-c", Quit, "key.quit", H)];

const RECEIPT: &[Row] = &[
    ("Enter Esc", Back, "key.close", F),
    ("n", RedeemAnother, "key.redeem-another", F),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

const ACTIVATION: &[Row] = &[
    ("Enter", Confirm, "key.activation-confirm", F),
    ("Tab Down", NextField, "key.next-field", F),
    ("S-Tab Up", PrevField, "key.prev-field", H),
    ("Right", NextChoice, "key.change-choice", F),
    ("Left", PrevChoice, "key.change-choice", H),
    ("Esc", Back, "key.close", F),
    ("Bksp", DeleteBack, "key.backspace", H),
    ("C-u", ClearField, "key.clear-field", H),
    ("C-c", Quit, "key.quit", H),
];

const CREDIT: &[Row] = &[
    ("Enter", Confirm, "key.credit-confirm", F),
    ("Right l Tab", NextChoice, "key.credit-op", F),
    ("Left h S-Tab", PrevChoice, "key.credit-op", H),
    ("Up k", Up, "key.credit-user", F),
    ("Down j", Down, "key.credit-user", F),
    ("Esc", Back, "key.close", F),
    ("q", Close, "key.close", H),
    ("C-c", Quit, "key.quit", H),
];

/// The `:` palette: typing goes into its field (`q` too); the list moves under it.
const PALETTE: &[Row] = &[
    ("Enter", Confirm, "key.palette-run", F),
    ("Up C-p", Up, "key.move", F),
    ("Down C-n", Down, "key.move", F),
    ("Esc", Back, "key.close", F),
    ("Bksp", DeleteBack, "key.backspace", H),
    ("C-u", ClearField, "key.clear-field", H),
    ("C-c", Quit, "key.quit", H),
];

/// On the key lines of an expanded row: pick one, never retype it.
const KEY_LINES: &[Row] = &[
    ("Up k", Up, "key.pick-key", F),
    ("Down j", Down, "key.pick-key", F),
    ("Home g", Home, "key.home-end", H),
    ("End G", End, "key.home-end", H),
    ("Enter", Open, "key.pick-line", F),
    ("r", Redeem, "key.redeem", H),
    ("a", Activate, "key.activate", H),
    ("Esc Left h q", Back, "key.back-to-row", F),
    ("y", Copy, "key.copy-key", H),
    ("Y", CopyKey, "key.copy-key", F),
    ("?", Help, "key.help", F),
    ("C-c", Quit, "key.quit", H),
];
