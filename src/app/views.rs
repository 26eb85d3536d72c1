//! What the two computed pages (Reconcile, Consumption) share with the others: they are
//! kept current from the same events (a ledger change, a filter keystroke), answer the
//! commands that mean something of their own, and leave moving, paging, switching pages,
//! the filter field, the palette, help and quit to the page code every page runs.

use super::{App, Command, Page};

/// The choice after `now` in `cycle`, round to the first after the last.
pub(super) fn next_of<T: Copy + PartialEq>(cycle: &[T], now: T) -> T {
    let i = cycle.iter().position(|c| *c == now).unwrap_or(0);
    cycle[(i + 1) % cycle.len()]
}

impl App {
    /// Bring both views up to the ledger and the filter (each recomputes only what moved).
    pub(super) fn refilter_views(&mut self) {
        self.refilter_reconcile();
        self.refilter_consumption();
    }

    /// A page command on a view: true when the view answered it.
    pub(super) fn view_command(&mut self, c: Command) -> bool {
        match self.page {
            Page::Reconcile => self.reconcile_command(c),
            Page::Consumption => self.consumption_command(c),
            _ => false,
        }
    }

    /// Whether a view's footer offers `c`: what every page offers (moving where there is
    /// somewhere to go, switching pages, the filter, help, quit), and the view's own; no
    /// writes, no walkthrough, no timeline (there is no benefit under the cursor).
    pub(super) fn view_offers(&self, c: Command) -> bool {
        match c {
            Command::Up
            | Command::Down
            | Command::PageUp
            | Command::PageDown
            | Command::Home
            | Command::End => self.table().rows.len() > 1,
            Command::NextPage
            | Command::PrevPage
            | Command::CloudPage
            | Command::SoftwarePage
            | Command::HistoryPage
            | Command::ReconcilePage
            | Command::ConsumptionPage
            | Command::Filter
            | Command::Palette
            | Command::Help
            | Command::Quit => true,
            Command::Redeem
            | Command::Activate
            | Command::Credit
            | Command::Wizard
            | Command::Timeline
            | Command::Copy
            | Command::CopyKey => false,
            _ if self.page == Page::Reconcile => self.reconcile_offers(c),
            _ => self.consumption_offers(c),
        }
    }
}
