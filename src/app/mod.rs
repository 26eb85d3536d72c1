//! Dashboard state and its update: events in (our own `input::Event`), state changes and
//! effects out. Nothing here draws, does IO or knows a terminal crate: `tui` and `serve`
//! feed events, hand effects to the runtime worker and feed its results back as actions;
//! `ui` renders the state and reports what it drew (`layout`), which the app reads on the
//! next event.
//!
//! - `layer`: the stack of layers above the page; the top one has focus
//! - `command`, `keymap`: what keys mean, per context, as data
//! - `update`: one action in, routed to the page or the layer on top
//! - `browse`: the page's commands; `table`: which rows show and in what order
//! - `intents`: commands into the intents of the dialogs, which are the core's machines
//! - `open`: opening those dialogs, from a row or the walkthrough; `keys`: the cursor on
//!   an expanded row's key lines
//! - `timeline`, `wizard`, `palette`: the state of the layers that are ours
//! - `reconcile`, `consumption`, `views`: the two pages computed from the ledger

mod browse;
pub mod command;
pub mod consumption;
mod copy;
pub mod history;
mod intents;
pub mod keymap;
mod keys;
pub mod layer;
pub mod layout;
mod ledger;
mod offer;
mod open;
pub mod palette;
pub mod reconcile;
mod table;
pub mod timeline;
mod update;
mod views;
pub mod wizard;

use crate::domain::{Entry, Portfolio, Refusal, User};
use crate::i18n::Messages;
use crate::redeem::{self, Ctx, Redemption};
use crate::store::Logged;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::sync::Arc;

/// What the edge must do for the app: write an operation (planned again inside the store's
/// write transaction), from whichever dialog confirmed it. Effects on the terminal itself
/// (a clipboard copy over OSC 52) will be variants the loop runs rather than the worker.
pub use crate::redeem::Effect;
pub use crate::redeem::{ActivationDialog, ActivationField, CreditDialog, CreditOp};
pub use command::Command;
pub use keymap::{Context, Keymap};
pub use keys::KeyCursor;
pub use layer::{HelpView, Layer};
pub use layout::Layout;
pub use timeline::Timeline;
pub use update::update;
pub use wizard::{Wizard, WizardKind, WizardStep};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Cloud,
    Software,
    History,
    /// Every redemption's preview against what Microsoft Graph reported after it.
    Reconcile,
    /// Per license product: entitled, used per country and worldwide, against its caps.
    Consumption,
}

impl Page {
    pub const ALL: [Page; 5] = [
        Page::Cloud,
        Page::Software,
        Page::History,
        Page::Reconcile,
        Page::Consumption,
    ];
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn title_id(self) -> &'static str {
        match self {
            Page::Cloud => "page.cloud",
            Page::Software => "page.software",
            Page::History => "page.history",
            Page::Reconcile => "page.reconcile",
            Page::Consumption => "page.consumption",
        }
    }
    /// The page's name where the tab bar is short of room.
    pub fn short_title_id(self) -> &'static str {
        match self {
            Page::Cloud => "page.cloud-short",
            Page::Software => "page.software-short",
            Page::History => "page.history",
            Page::Reconcile => "page.reconcile",
            Page::Consumption => "page.consumption",
        }
    }
    /// A page whose rows are the catalog's benefits (Cloud services, Software benefits).
    pub fn lists_benefits(self) -> bool {
        matches!(self, Page::Cloud | Page::Software)
    }
    /// A page computed from the ledger and the catalog (Reconcile, Consumption): its rows
    /// are the view's, not benefits or entries.
    pub fn is_view(self) -> bool {
        matches!(self, Page::Reconcile | Page::Consumption)
    }
    /// The page after (`by` 1) or before (`by` -1) this one, round the tab bar.
    pub fn cycle(self, by: isize) -> Page {
        let n = Page::ALL.len() as isize;
        Page::ALL[(self.index() as isize + by).rem_euclid(n) as usize]
    }
}

/// Partner Center's quick filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuickFilter {
    All,
    NotRedeemed,
    NotRedeemedExpiring,
}

impl QuickFilter {
    pub fn label_id(self) -> &'static str {
        match self {
            QuickFilter::All => "filter.all",
            QuickFilter::NotRedeemed => "filter.not-redeemed",
            QuickFilter::NotRedeemedExpiring => "filter.not-redeemed-expiring",
        }
    }
}

/// The column the tables are sorted by (`s` cycles through the page's columns, `S` turns
/// the direction); `Catalog` keeps the catalog's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Catalog,
    Name,
    Source,
    BenefitType,
    Quantity,
    ActivateBy,
    /// Cloud: the product subscription status (or who holds the credit); Software: the
    /// activations column (fewest left first).
    Status,
}

impl SortKey {
    pub const CYCLE: [SortKey; 7] = [
        SortKey::Catalog,
        SortKey::Name,
        SortKey::Source,
        SortKey::BenefitType,
        SortKey::Quantity,
        SortKey::ActivateBy,
        SortKey::Status,
    ];

    /// The keys `s` cycles through on `page`: its columns (Software has no benefit type).
    pub fn cycle(page: Page) -> &'static [SortKey] {
        const SOFTWARE: [SortKey; 6] = [
            SortKey::Catalog,
            SortKey::Name,
            SortKey::Source,
            SortKey::Quantity,
            SortKey::ActivateBy,
            SortKey::Status,
        ];
        match page {
            Page::Software => &SOFTWARE,
            _ => &SortKey::CYCLE,
        }
    }

    /// The direction a column starts in: quantities largest first, the rest ascending.
    pub fn starts_descending(self) -> bool {
        self == SortKey::Quantity
    }

    /// The column's title on `page` (the catalog order has its own words).
    pub fn label_id(self, page: Page) -> &'static str {
        match (self, page) {
            (SortKey::Catalog, _) | (SortKey::BenefitType, Page::Software) => "sort.catalog",
            (SortKey::Name, _) => "col.benefit-name",
            (SortKey::Source, _) => "col.source",
            (SortKey::BenefitType, _) => "col.benefit-type",
            (SortKey::Quantity, _) => "col.quantity",
            (SortKey::ActivateBy, _) => "col.activate-by",
            (SortKey::Status, Page::Software) => "col.activations",
            (SortKey::Status, _) => "col.status",
        }
    }
}

/// One table: which items show (indices into the catalog or the history), which is
/// selected, where the window starts, which are expanded.
#[derive(Debug, Clone, Default)]
pub struct TableState {
    pub rows: Vec<usize>,
    pub selected: usize,
    /// The first row of the window. The app only ever moves it up to the selection; the
    /// renderer moves it down as far as the selection needs and reports where it went.
    pub offset: usize,
    pub expanded: HashSet<usize>,
    /// Rows that need attention (`domain::attention`), among `rows` (counted when the rows
    /// or the ledger change).
    pub attention: usize,
}

impl TableState {
    /// New rows; the selection goes to position `keep` in them (the top without one), and
    /// the window up to it when it went above.
    pub(crate) fn replace_rows(&mut self, rows: Vec<usize>, keep: Option<usize>) {
        self.selected = keep.unwrap_or(0).min(rows.len().saturating_sub(1));
        self.rows = rows;
        self.offset = self.offset.min(self.selected);
    }
}

/// A one-line message under the table until the next action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Refused(Refusal),
    StoreFailed(String),
    /// An i18n id.
    Info(&'static str),
    /// A write went through (an i18n id): reads as success, not as a warning.
    Done(&'static str),
    /// A problem already put in words (a settings file's, with its position).
    Problem(String),
    /// Something done, already in words ("Copied m365-e5").
    Copied(String),
}

/// Everything that can change the app: commands (from keys through the keymap, from
/// clicks), text for the focused field, the terminal, and the runtime's answers.
#[derive(Debug)]
pub enum Action {
    Command(Command),
    /// Typed or pasted text, for the focused text field (ignored without one).
    Edit(redeem::TextEdit),
    /// A left click at a screen cell: what it means comes from the last frame's layout.
    Click {
        column: u16,
        row: u16,
    },
    /// The terminal's size changed (the next frame lays the screen out again).
    Resize {
        width: u16,
        height: u16,
    },
    /// The runtime's answers to `Effect::Commit`.
    Committed(Entry),
    CommitFailed(Refusal),
    StoreFailed(String),
    /// A write has waited longer than writes take: another process holds the ledger.
    LedgerBusy,
    /// The ledger, newest first (at start-up).
    History(Vec<Logged>),
    /// Entries appended since the app last heard, by anyone (this app's writes included),
    /// oldest first: folded into the portfolio and put in front of the history.
    Appended(Vec<crate::store::LedgerRow>),
    /// The entries a start from a checkpoint did not read, oldest first (None: they could
    /// not be read; the History page stops saying it is reading them).
    OlderHistory(Option<Vec<Logged>>),
}

pub struct App {
    /// Shared with the runtime worker, which copies it for a write; changed through
    /// `Arc::make_mut`, so a copy is only ever made while the worker still holds one.
    pub portfolio: Arc<Portfolio>,
    pub user: User,
    pub today: NaiveDate,
    pub t: &'static Messages,
    pub keymap: Arc<Keymap>,
    pub page: Page,
    pub cloud: TableState,
    pub software: TableState,
    pub history: Vec<Logged>,
    /// Older entries are still being read (a start from a checkpoint): the History page
    /// says so rather than pass for the whole ledger.
    pub history_loading: bool,
    pub history_state: TableState,
    /// What History needs of the whole history, as of its last change.
    pub history_facts: history::HistoryFacts,
    pub reconcile: reconcile::ReconcileView,
    pub consumption: consumption::ConsumptionView,
    pub filter: String,
    pub quick: QuickFilter,
    pub sort: SortKey,
    /// The sorted column runs from largest (latest, last) to smallest.
    pub sort_descending: bool,
    /// Above the page, bottom first.
    pub layers: Vec<Layer>,
    pub notice: Option<Notice>,
    /// The write under way has waited for the ledger longer than a write takes.
    pub ledger_busy: bool,
    pub quit: bool,
    /// Text for the clipboard, for the edge to write (OSC 52) and take.
    pub clipboard: Option<String>,
    /// What the last frame drew.
    pub layout: Layout,
    /// The filter's lower-cased search text, built at the first filter keystroke.
    search: Option<table::SearchText>,
    /// What the quick filters ask of each row, as of the portfolio's last ledger entry.
    facts: Option<table::RowFacts>,
    /// The History filter's search text, built at the first filter keystroke there.
    history_search: Option<history::HistoryText>,
}

impl App {
    pub fn new(portfolio: Portfolio, today: NaiveDate, t: &'static Messages) -> Self {
        let user = portfolio.catalog.user.clone();
        let mut app = App {
            portfolio: Arc::new(portfolio),
            user,
            today,
            t,
            keymap: Arc::default(),
            page: Page::Cloud,
            cloud: TableState::default(),
            software: TableState::default(),
            history: Vec::new(),
            history_loading: false,
            history_state: TableState::default(),
            history_facts: Default::default(),
            reconcile: Default::default(),
            consumption: Default::default(),
            filter: String::new(),
            quick: QuickFilter::All,
            sort: SortKey::Catalog,
            sort_descending: false,
            layers: Vec::new(),
            notice: None,
            ledger_busy: false,
            quit: false,
            clipboard: None,
            layout: Layout::default(),
            search: None,
            facts: None,
            history_search: None,
        };
        app.refilter();
        app
    }

    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            portfolio: &self.portfolio,
            user: &self.user,
            today: self.today,
        }
    }

    pub fn table(&self) -> &TableState {
        self.table_of(self.page)
    }

    pub fn table_of(&self, page: Page) -> &TableState {
        match page {
            Page::Cloud => &self.cloud,
            Page::Software => &self.software,
            Page::History => &self.history_state,
            Page::Reconcile => &self.reconcile.table,
            Page::Consumption => &self.consumption.table,
        }
    }

    fn table_mut(&mut self) -> &mut TableState {
        self.table_mut_of(self.page)
    }

    fn table_mut_of(&mut self, page: Page) -> &mut TableState {
        match page {
            Page::Cloud => &mut self.cloud,
            Page::Software => &mut self.software,
            Page::History => &mut self.history_state,
            Page::Reconcile => &mut self.reconcile.table,
            Page::Consumption => &mut self.consumption.table,
        }
    }

    /// The benefit (or history entry) under the cursor on the current page.
    pub fn selected_item(&self) -> Option<usize> {
        let t = self.table();
        t.rows.get(t.selected).copied()
    }

    pub fn attention_count(&self) -> usize {
        self.table().attention
    }

    /// The layer with the keyboard, if any is above the page.
    pub fn top(&self) -> Option<&Layer> {
        self.layers.last()
    }

    /// Which bindings apply: the top layer's, or browsing the page.
    pub fn context(&self) -> Context {
        self.top().map_or(Context::Browse, Layer::context)
    }

    pub fn redemption(&self) -> Option<&Redemption> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Redeem(d) => Some(&**d),
            _ => None,
        })
    }

    pub fn wizard(&self) -> Option<&Wizard> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Wizard(w) => Some(w),
            _ => None,
        })
    }

    pub fn activation(&self) -> Option<&ActivationDialog> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Activation(d) => Some(d),
            _ => None,
        })
    }

    pub fn credit(&self) -> Option<&CreditDialog> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Credit(d) => Some(d),
            _ => None,
        })
    }

    pub fn timeline(&self) -> Option<&Timeline> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::Timeline(t) => Some(t),
            _ => None,
        })
    }

    /// The filter field has the keyboard.
    pub fn filter_focused(&self) -> bool {
        matches!(self.top(), Some(Layer::Filter))
    }

    /// One input event, through the keymap of the layer on top, into `update`.
    pub fn handle(&mut self, event: &crate::input::Event) -> Option<Effect> {
        let Some(action) = update::action_for(self, event) else {
            self.unbound(event);
            return None;
        };
        update(self, action)
    }

    /// The frame drawn after the last event: kept for the next one, and the windows the
    /// renderer moved (to keep the selection in view, or because the terminal shrank)
    /// become the model's.
    pub fn after_frame(&mut self, layout: Layout) {
        if let Some(view) = layout.table {
            let t = self.table_mut_of(view.page);
            if t.selected >= view.window.offset {
                t.offset = view.window.offset;
            }
        }
        for layer in &mut self.layers {
            match layer {
                Layer::Help(h) => h.scroll = layout.help.map_or(0, |w| w.offset),
                Layer::Timeline(tl) => {
                    if let Some(w) = layout.timeline {
                        tl.offset = w.offset;
                    }
                }
                _ => {}
            }
        }
        self.layout = layout;
    }
}
