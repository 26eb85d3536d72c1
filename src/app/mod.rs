//! Dashboard state and its pure update: actions in, state changes and effects out.
//! Nothing here draws or does IO: `tui` turns terminal events into actions (through the
//! keymap), runs the effects at the edge and feeds their results back as actions; `ui`
//! renders the state.

pub mod activation;
pub mod credit;
pub mod keymap;
mod table;
pub mod timeline;
pub mod wizard;

use crate::domain::{Entry, Portfolio, Refusal, User};
use crate::i18n::Messages;
use crate::redeem::{self, Ctx, Intent, Redemption, Step, TextEdit};
use chrono::NaiveDate;
use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};
pub use keymap::Context;
use std::collections::HashSet;

pub use activation::{ActivationDialog, ActivationField};
pub use credit::{CreditDialog, CreditOp};
/// What the edge must do for the app: write an operation (`Operation::plan` in
/// `Store::commit`), from whichever dialog confirmed it.
pub use redeem::Effect;
pub use table::detail_len;
pub use timeline::Timeline;
pub use wizard::{Wizard, WizardStep};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Cloud,
    Software,
    History,
}

impl Page {
    pub const ALL: [Page; 3] = [Page::Cloud, Page::Software, Page::History];
    pub fn index(self) -> usize {
        match self {
            Page::Cloud => 0,
            Page::Software => 1,
            Page::History => 2,
        }
    }
    pub fn title_id(self) -> &'static str {
        match self {
            Page::Cloud => "page.cloud",
            Page::Software => "page.software",
            Page::History => "page.history",
        }
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

/// The column the tables are sorted by (`s` cycles); `Catalog` keeps the catalog's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Catalog,
    Name,
    Source,
    Quantity,
    ActivateBy,
}

impl SortKey {
    pub const CYCLE: [SortKey; 5] = [
        SortKey::Catalog,
        SortKey::Name,
        SortKey::Source,
        SortKey::Quantity,
        SortKey::ActivateBy,
    ];
    pub fn label_id(self) -> &'static str {
        match self {
            SortKey::Catalog => "sort.catalog",
            SortKey::Name => "col.benefit-name",
            SortKey::Source => "col.source",
            SortKey::Quantity => "col.quantity",
            SortKey::ActivateBy => "col.activate-by",
        }
    }
}

/// One table: which items show (indices into the catalog or the history), which is
/// selected, where the window starts, which are expanded.
#[derive(Debug, Clone, Default)]
pub struct TableState {
    pub rows: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub expanded: HashSet<usize>,
    /// Rows due within 30 days or past, among `rows` (counted when the rows change).
    pub attention: usize,
}

/// A one-line message under the table until the next action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Refused(Refusal),
    StoreFailed(String),
    /// An i18n id.
    Info(&'static str),
}

/// Everything that can change the app: from keys (through the keymap), the mouse, the
/// terminal, and the edge's effect results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Expand,
    /// Enter: expand a collapsed row; on an expanded row, open its walkthrough (as selecting
    /// the benefit name does in Partner Center).
    Open,
    Collapse,
    Toggle,
    NextPage,
    PrevPage,
    GoPage(usize),
    Filter,
    QuickFilter,
    Sort,
    Redeem,
    /// `a` on the Software page: the activation dialog, and its keys.
    Activate,
    ActivationField(i8),
    ActivationCycle(i8),
    ActivationEdit(TextEdit),
    ActivationConfirm,
    ActivationClose,
    /// `c` on the Cloud page: the Azure credit dialog, and its keys.
    Credit,
    CreditOp(i8),
    CreditUser(i8),
    CreditConfirm,
    CreditClose,
    /// The activation walkthrough pane for the selected benefit, and its buttons.
    Wizard,
    WizardNext,
    WizardPrevious,
    WizardSkip,
    WizardCancel,
    WizardVerify,
    WizardGetKeys,
    WizardRedeem,
    /// A click on a table line (0-based screen row); `on_marker` when on ▸/▾.
    Click {
        row: u16,
        on_marker: bool,
    },
    /// `t`: the timeline of activate-by and subscription end dates, and closing it.
    Timeline,
    CloseTimeline,
    Help,
    CloseHelp,
    /// Scroll the help overlay by this many lines (it clamps when drawn).
    HelpScroll(i16),
    /// `q` / Ctrl-C: quits, or asks first when a dialog holds unsaved input.
    Quit,
    ConfirmQuit(bool),
    /// Esc while browsing: drop the filter text and the quick filter.
    ClearFilters,
    FilterEdit(TextEdit),
    FilterDone,
    FilterCancel,
    /// Pasted text goes to the focused field, if any.
    Paste(String),
    Dialog(Intent),
    /// The terminal's size (the table's window follows the height).
    Resize {
        width: u16,
        height: u16,
    },
    /// The edge's answers to `Effect::Commit`.
    Committed(Entry),
    CommitFailed(Refusal),
    StoreFailed(String),
    /// The ledger, newest first (after start-up and after each commit).
    History(Vec<(i64, Entry)>),
}

pub struct App {
    pub portfolio: Portfolio,
    pub user: User,
    pub today: NaiveDate,
    pub t: &'static Messages,
    pub page: Page,
    pub cloud: TableState,
    pub software: TableState,
    pub history: Vec<(i64, Entry)>,
    /// Older entries are still being read (a start from a checkpoint): the History page
    /// says so rather than pass for the whole ledger.
    pub history_loading: bool,
    pub history_state: TableState,
    pub filter: String,
    pub filter_focus: bool,
    pub quick: QuickFilter,
    pub sort: SortKey,
    pub dialog: Option<Redemption>,
    pub wizard: Option<Wizard>,
    pub activation: Option<ActivationDialog>,
    pub credit: Option<CreditDialog>,
    pub timeline: Option<Timeline>,
    pub help: bool,
    pub help_scroll: u16,
    pub confirm_quit: bool,
    pub notice: Option<Notice>,
    pub quit: bool,
    pub width: u16,
    pub height: u16,
    /// The filter's lower-cased search text, built at the first filter keystroke.
    search: Option<table::SearchText>,
    /// What the quick filters ask of each row, as of the portfolio's last ledger entry.
    facts: Option<table::RowFacts>,
}

/// Lines above the table body (header, tabs, column titles) and below it (status, footer).
pub const LINES_ABOVE_ROWS: u16 = 3;
pub const LINES_BELOW_ROWS: u16 = 2;

impl App {
    pub fn new(portfolio: Portfolio, today: NaiveDate, t: &'static Messages) -> Self {
        let user = portfolio.catalog.user.clone();
        let mut app = App {
            portfolio,
            user,
            today,
            t,
            page: Page::Cloud,
            cloud: TableState::default(),
            software: TableState::default(),
            history: Vec::new(),
            history_loading: false,
            history_state: TableState::default(),
            filter: String::new(),
            filter_focus: false,
            quick: QuickFilter::All,
            sort: SortKey::Catalog,
            dialog: None,
            wizard: None,
            activation: None,
            credit: None,
            timeline: None,
            help: false,
            help_scroll: 0,
            confirm_quit: false,
            notice: None,
            quit: false,
            width: 80,
            height: 24,
            search: None,
            facts: None,
        };
        app.refilter();
        app
    }

    /// Table lines the last terminal size leaves for rows and their details.
    pub fn viewport(&self) -> usize {
        usize::from(
            self.height
                .saturating_sub(LINES_ABOVE_ROWS + LINES_BELOW_ROWS)
                .max(1),
        )
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
        }
    }

    fn table_mut(&mut self) -> &mut TableState {
        match self.page {
            Page::Cloud => &mut self.cloud,
            Page::Software => &mut self.software,
            Page::History => &mut self.history_state,
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

    /// Which layer has the keyboard: overlays first, then the dialog, then the filter field.
    pub fn context(&self) -> Context {
        if self.confirm_quit {
            return Context::ConfirmQuit;
        }
        if self.help {
            return Context::Help;
        }
        if self.timeline.is_some() {
            return Context::Timeline;
        }
        if self.activation.is_some() {
            return Context::Activation;
        }
        if self.credit.is_some() {
            return Context::Credit;
        }
        if let Some(d) = &self.dialog {
            return match d.step {
                Step::EnterKey => Context::EnterKey,
                Step::ChooseTarget { .. } => Context::ChooseTarget,
                Step::ConfirmTenant { .. } => Context::ConfirmTenant,
                Step::ChooseMode { .. } => Context::ChooseMode,
                Step::Review { .. } => Context::Review,
                Step::Committing { .. } => Context::Committing,
                Step::Receipt { .. } | Step::Cancelled => Context::Receipt,
            };
        }
        if let Some(w) = &self.wizard {
            return if w.step == WizardStep::Activate {
                Context::WizardActivate
            } else {
                Context::Wizard
            };
        }
        if self.filter_focus {
            return Context::Filter;
        }
        Context::Browse
    }

    /// One terminal event, through the keymap, into `update`.
    pub fn handle(&mut self, event: &Event) -> Option<Effect> {
        let action = match event {
            Event::Key(k) => return self.handle_key(*k),
            Event::Paste(s) => Action::Paste(s.clone()),
            Event::Mouse(m) => match m.kind {
                MouseEventKind::ScrollDown => Action::Down,
                MouseEventKind::ScrollUp => Action::Up,
                MouseEventKind::Down(MouseButton::Left) if self.context() == Context::Browse => {
                    Action::Click {
                        row: m.row,
                        on_marker: m.column <= 1,
                    }
                }
                _ => return None,
            },
            Event::Resize(width, height) => Action::Resize {
                width: *width,
                height: *height,
            },
            _ => return None,
        };
        update(self, action)
    }

    pub fn handle_key(&mut self, k: KeyEvent) -> Option<Effect> {
        if k.kind == KeyEventKind::Release {
            return None;
        }
        let action = keymap::lookup(self.context(), &k)?;
        update(self, action)
    }

    /// The redemption dialog for cloud benefit `benefit` (any product when None).
    fn open_redeem(&mut self, benefit: Option<usize>) {
        if let Err(r) = redeem::rules::check_role(&self.user) {
            self.notice = Some(Notice::Refused(r));
            return;
        }
        let product = benefit.and_then(|b| {
            let b = self.portfolio.cloud(b);
            b.license.as_ref().map(|_| b.product.clone())
        });
        self.dialog = Some(Redemption::new(product));
    }

    /// The activation dialog for the selected software benefit.
    fn open_activation(&mut self) {
        let Some(b) = (self.page == Page::Software)
            .then(|| self.selected_item())
            .flatten()
        else {
            return;
        };
        if let Err(r) = redeem::rules::check_role(&self.user) {
            self.notice = Some(Notice::Refused(r));
            return;
        }
        let benefit = self.portfolio.software(b);
        if benefit.keys.is_empty() {
            self.notice = Some(if benefit.needs_activation() {
                Notice::Info("activation.no-keys")
            } else {
                Notice::Refused(
                    Refusal::new(crate::domain::RefusalCode::NoActivationNeeded)
                        .with(crate::domain::Param::Product, &benefit.product),
                )
            });
            return;
        }
        self.activation = Some(ActivationDialog::new(b));
    }

    /// The Azure credit dialog for the selected cloud benefit.
    fn open_credit(&mut self) {
        let Some(b) = (self.page == Page::Cloud)
            .then(|| self.selected_item())
            .flatten()
        else {
            return;
        };
        if let Err(r) = redeem::rules::check_role(&self.user) {
            self.notice = Some(Notice::Refused(r));
            return;
        }
        if self.portfolio.cloud(b).credit.is_none() {
            self.notice = Some(Notice::Info("credit.not-a-credit"));
            return;
        }
        self.credit = Some(CreditDialog::new(b));
    }

    fn activation_action(&mut self, action: Action) -> Option<Effect> {
        let ctx = Ctx {
            portfolio: &self.portfolio,
            user: &self.user,
            today: self.today,
        };
        let d = self.activation.as_mut()?;
        let effect = d.update(ctx, activation::intent(d, action)?);
        if d.is_closed() {
            self.activation = None;
        }
        effect
    }

    fn credit_action(&mut self, action: Action) -> Option<Effect> {
        let ctx = Ctx {
            portfolio: &self.portfolio,
            user: &self.user,
            today: self.today,
        };
        let d = self.credit.as_mut()?;
        let effect = d.update(ctx, credit::intent(d, action)?);
        if d.is_closed() {
            self.credit = None;
        }
        effect
    }

    /// The edge's answer for the activation or credit dialog, if one is waiting for it.
    /// True when one of them took it.
    fn small_dialog_result(&mut self, action: &Action) -> bool {
        let ctx = Ctx {
            portfolio: &self.portfolio,
            user: &self.user,
            today: self.today,
        };
        let done = if let Some(d) = self.activation.as_mut().filter(|d| d.is_committing()) {
            let intent = match action {
                Action::Committed(e) => redeem::ActivationIntent::Committed(e.clone()),
                Action::CommitFailed(r) => redeem::ActivationIntent::CommitFailed(r.clone()),
                _ => redeem::ActivationIntent::Back,
            };
            d.update(ctx, intent);
            matches!(d.step, redeem::ActivationStep::Done { .. }).then_some("activation.done")
        } else if let Some(d) = self.credit.as_mut().filter(|d| d.is_committing()) {
            let intent = match action {
                Action::Committed(e) => redeem::CreditIntent::Committed(e.clone()),
                Action::CommitFailed(r) => redeem::CreditIntent::CommitFailed(r.clone()),
                _ => redeem::CreditIntent::Back,
            };
            d.update(ctx, intent);
            matches!(d.step, redeem::CreditStep::Done { .. }).then_some("credit.done")
        } else {
            return false;
        };
        if let Action::StoreFailed(e) = action {
            self.notice = Some(Notice::StoreFailed(e.clone()));
        }
        if let Some(done) = done {
            self.activation = None;
            self.credit = None;
            self.notice = Some(Notice::Info(done));
        }
        true
    }

    fn wizard_action(&mut self, action: Action) {
        let Some(w) = &mut self.wizard else { return };
        match action {
            Action::WizardNext => w.next(),
            Action::WizardPrevious => w.previous(),
            Action::WizardSkip => w.skip(),
            Action::WizardCancel => self.wizard = None,
            Action::WizardVerify if w.step == WizardStep::Activate => w.verified = !w.verified,
            Action::WizardGetKeys if w.step == WizardStep::Activate => {
                w.keys_shown = true;
                if !self.user.may_view_keys() {
                    self.notice = Some(Notice::Info("wizard.no-key-permission"));
                }
            }
            Action::WizardRedeem if w.step == WizardStep::Activate => {
                if !w.verified {
                    self.notice = Some(Notice::Info("wizard.verify-first"));
                } else if w.page == Page::Cloud && self.portfolio.cloud(w.benefit).license.is_some()
                {
                    let b = w.benefit;
                    self.open_redeem(Some(b));
                } else {
                    self.notice = Some(Notice::Info("wizard.not-by-key"));
                }
            }
            _ => {}
        }
    }

    /// The table row under screen row `row`, walking the window from its offset.
    fn row_at(&self, row: u16) -> Option<usize> {
        let mut y = usize::from(row.checked_sub(LINES_ABOVE_ROWS)?);
        let t = self.table();
        for pos in t.offset..t.rows.len() {
            let h = self.height_at(self.page, pos);
            let head = usize::from(self.section_head(self.page, pos).is_some());
            if y == head {
                return Some(pos);
            }
            if y < h {
                return None;
            }
            y -= h;
        }
        None
    }

    fn dialog_intent(&mut self, intent: Intent) -> Option<Effect> {
        let ctx = Ctx {
            portfolio: &self.portfolio,
            user: &self.user,
            today: self.today,
        };
        let d = self.dialog.as_mut()?;
        let effect = d.update(ctx, intent);
        if d.is_closed() {
            self.dialog = None;
        }
        effect
    }

    fn request_quit(&mut self) {
        if self.dialog.as_ref().is_some_and(Redemption::has_input)
            || self
                .activation
                .as_ref()
                .is_some_and(ActivationDialog::has_input)
        {
            self.confirm_quit = true;
        } else {
            self.quit = true;
        }
    }
}

/// The whole of the app's behaviour: one action, the state changes, maybe an effect.
pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    if !matches!(action, Action::Resize { .. } | Action::History(_)) {
        app.notice = None;
    }
    if matches!(
        action,
        Action::Committed(_) | Action::CommitFailed(_) | Action::StoreFailed(_)
    ) && app.small_dialog_result(&action)
    {
        if matches!(action, Action::Committed(_)) {
            app.refilter();
        }
        return None;
    }
    if let Some(tl) = &mut app.timeline
        && matches!(
            action,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Home
                | Action::End
        )
    {
        let rows = usize::from(app.height.saturating_sub(timeline::TIMELINE_CHROME).max(1));
        tl.scroll(&action, rows);
        return None;
    }
    let len = app.table().rows.len();
    let last = len.saturating_sub(1);
    let page_rows = app.viewport().max(2) - 1;
    let selected = app.table().selected;
    match action {
        Action::Up => app.move_to(selected.saturating_sub(1)),
        Action::Down => app.move_to((selected + 1).min(last)),
        Action::PageUp => app.move_to(selected.saturating_sub(page_rows)),
        Action::PageDown => app.move_to((selected + page_rows).min(last)),
        Action::Home => app.move_to(0),
        Action::End => app.move_to(last),
        Action::Expand | Action::Collapse | Action::Toggle => {
            if app.page != Page::History
                && let Some(b) = app.selected_item()
            {
                let t = app.table_mut();
                let open = match action {
                    Action::Expand => true,
                    Action::Collapse => false,
                    _ => !t.expanded.contains(&b),
                };
                if open {
                    t.expanded.insert(b);
                } else {
                    t.expanded.remove(&b);
                }
                app.scroll_into_view();
            }
        }
        Action::NextPage => app.page = Page::ALL[(app.page.index() + 1) % 3],
        Action::PrevPage => app.page = Page::ALL[(app.page.index() + 2) % 3],
        Action::GoPage(i) => app.page = Page::ALL[i.min(2)],
        Action::Filter => app.filter_focus = true,
        Action::FilterEdit(edit) => {
            edit.apply(&mut app.filter);
            app.refilter();
        }
        Action::FilterDone => app.filter_focus = false,
        Action::FilterCancel => {
            app.filter_focus = false;
            app.filter.clear();
            app.refilter();
        }
        Action::ClearFilters => {
            if !app.filter.is_empty() || app.quick != QuickFilter::All {
                app.filter.clear();
                app.quick = QuickFilter::All;
                app.refilter();
            }
        }
        Action::QuickFilter => {
            app.quick = match app.quick {
                QuickFilter::All => QuickFilter::NotRedeemed,
                QuickFilter::NotRedeemed => QuickFilter::NotRedeemedExpiring,
                QuickFilter::NotRedeemedExpiring => QuickFilter::All,
            };
            app.refilter();
        }
        Action::Sort => {
            let i = SortKey::CYCLE
                .iter()
                .position(|s| *s == app.sort)
                .unwrap_or(0);
            app.sort = SortKey::CYCLE[(i + 1) % SortKey::CYCLE.len()];
            app.refilter();
        }
        Action::Redeem => {
            let b = (app.page == Page::Cloud)
                .then(|| app.selected_item())
                .flatten();
            app.open_redeem(b);
        }
        Action::Activate => app.open_activation(),
        Action::ActivationField(_)
        | Action::ActivationCycle(_)
        | Action::ActivationEdit(_)
        | Action::ActivationConfirm
        | Action::ActivationClose => return app.activation_action(action),
        Action::Credit => app.open_credit(),
        Action::CreditOp(_)
        | Action::CreditUser(_)
        | Action::CreditConfirm
        | Action::CreditClose => return app.credit_action(action),
        Action::Open => {
            let expanded = app
                .selected_item()
                .is_some_and(|b| app.table().expanded.contains(&b));
            return update(
                app,
                if expanded && app.page != Page::History {
                    Action::Wizard
                } else {
                    Action::Expand
                },
            );
        }
        Action::Wizard => {
            if let (Page::Cloud | Page::Software, Some(b)) = (app.page, app.selected_item()) {
                app.wizard = Some(Wizard::new(app.page, b));
            }
        }
        Action::WizardNext
        | Action::WizardPrevious
        | Action::WizardSkip
        | Action::WizardCancel
        | Action::WizardVerify
        | Action::WizardGetKeys
        | Action::WizardRedeem => app.wizard_action(action),
        Action::Click { row, on_marker } => {
            if let Some(pos) = app.row_at(row) {
                app.move_to(pos);
                if on_marker {
                    return update(app, Action::Toggle);
                }
            }
        }
        Action::Timeline => app.timeline = Some(Timeline::build(app, app.page)),
        Action::CloseTimeline => app.timeline = None,
        Action::Help => {
            app.help = true;
            app.help_scroll = 0;
        }
        Action::HelpScroll(d) => {
            app.help_scroll = app.help_scroll.saturating_add_signed(d).min(500);
        }
        Action::CloseHelp => app.help = false,
        Action::Quit => app.request_quit(),
        Action::ConfirmQuit(yes) => {
            app.confirm_quit = false;
            app.quit = yes;
        }
        Action::Paste(s) => {
            let edit = TextEdit::Insert(s);
            match app.context() {
                Context::EnterKey => return app.dialog_intent(Intent::EditKey(edit)),
                Context::ConfirmTenant => return app.dialog_intent(Intent::EditConfirmation(edit)),
                Context::Activation => return app.activation_action(Action::ActivationEdit(edit)),
                Context::Filter => {
                    edit.apply(&mut app.filter);
                    app.refilter();
                }
                _ => {}
            }
        }
        Action::Dialog(intent) => return app.dialog_intent(intent),
        Action::Resize { width, height } => {
            app.width = width;
            app.height = height;
            app.scroll_into_view();
            let rows = app.timeline_rows();
            if let Some(tl) = &mut app.timeline {
                tl.scroll(&Action::Resize { width, height }, rows);
            }
        }
        Action::Committed(entry) => {
            app.refilter();
            return app.dialog_intent(Intent::Committed(entry));
        }
        Action::CommitFailed(r) => return app.dialog_intent(Intent::CommitFailed(r)),
        Action::StoreFailed(e) => {
            app.notice = Some(Notice::StoreFailed(e));
            // The dialog leaves "Committing" for its review step; the notice says why.
            app.dialog_intent(Intent::Back);
        }
        Action::History(h) => app.set_history(h),
    }
    None
}
