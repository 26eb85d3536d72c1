//! The page's own commands: moving through the table, expanding rows, switching pages,
//! filtering and sorting, and opening the layers that start from a row.

use super::{App, Command, Effect, Layer, Page, QuickFilter, SortKey, Timeline, Wizard};

impl App {
    pub(super) fn browse(&mut self, c: Command) -> Option<Effect> {
        if self.page.is_view() && self.view_command(c) {
            return None;
        }
        let last = self.table().rows.len().saturating_sub(1);
        let selected = self.table().selected;
        // A page of rows: the lines the table had room for in the last frame of this page.
        let page_rows = match self.layout.table {
            Some(v) if v.page == self.page => v.window.visible.max(2) - 1,
            _ => 1,
        };
        match c {
            Command::Up => self.move_to(selected.saturating_sub(1)),
            Command::Down => self.move_to((selected + 1).min(last)),
            Command::PageUp => self.move_to(selected.saturating_sub(page_rows)),
            Command::PageDown => self.move_to((selected + page_rows).min(last)),
            Command::Home => self.move_to(0),
            Command::End => self.move_to(last),
            // → on a row already expanded moves into its key lines.
            Command::Expand if self.enter_key_lines() => {}
            Command::Expand | Command::Collapse | Command::Toggle => self.expand(c),
            // Enter: expand a collapsed row; on an expanded row, open its walkthrough (as
            // selecting the benefit name does in Partner Center).
            Command::Open => {
                let expanded = self
                    .selected_item()
                    .is_some_and(|b| self.table().expanded.contains(&b));
                let next = match self.page {
                    // A History entry has no walkthrough: Enter opens and closes its details.
                    Page::History => Command::Toggle,
                    _ if expanded => Command::Wizard,
                    _ => Command::Expand,
                };
                return self.browse(next);
            }
            Command::NextPage => self.page = self.page.cycle(1),
            Command::PrevPage => self.page = self.page.cycle(-1),
            Command::CloudPage => self.page = Page::Cloud,
            Command::SoftwarePage => self.page = Page::Software,
            Command::HistoryPage => self.page = Page::History,
            Command::ReconcilePage => self.page = Page::Reconcile,
            Command::ConsumptionPage => self.page = Page::Consumption,
            Command::Filter => self.layers.push(Layer::Filter),
            Command::ClearFilters | Command::Back
                if !self.filter.is_empty() || self.quick != QuickFilter::All =>
            {
                self.filter.clear();
                self.quick = QuickFilter::All;
                self.refilter();
            }
            Command::QuickFilter => {
                self.quick = match self.quick {
                    QuickFilter::All => QuickFilter::NotRedeemed,
                    QuickFilter::NotRedeemed => QuickFilter::NotRedeemedExpiring,
                    QuickFilter::NotRedeemedExpiring => QuickFilter::All,
                };
                self.refilter();
            }
            Command::Sort => {
                let cycle = SortKey::cycle(self.page);
                let i = cycle.iter().position(|s| *s == self.sort).unwrap_or(0);
                self.sort = cycle[(i + 1) % cycle.len()];
                self.sort_descending = self.sort.starts_descending();
                self.refilter();
            }
            Command::SortReverse if self.sort != SortKey::Catalog => {
                self.sort_descending = !self.sort_descending;
                self.refilter();
            }
            Command::ExpandAll | Command::CollapseAll => {
                let all = c == Command::ExpandAll;
                let items: Vec<usize> = match self.page {
                    Page::History => (self.history_state.rows.iter())
                        .filter_map(|&i| self.history.get(i))
                        .filter_map(|l| usize::try_from(l.seq).ok())
                        .collect(),
                    _ => self.table().rows.clone(),
                };
                let t = self.table_mut();
                if all {
                    t.expanded.extend(items);
                } else {
                    t.expanded.clear();
                }
            }
            Command::Redeem => self.open_redeem(self.selection_on(Page::Cloud), None),
            Command::Activate => {
                if let Some(b) = self.selection_on(Page::Software) {
                    self.open_activation(b, None);
                }
            }
            Command::Credit => {
                if let Some(b) = self.selection_on(Page::Cloud) {
                    self.open_credit(b);
                }
            }
            Command::Wizard => {
                if let (Page::Cloud | Page::Software, Some(b)) = (self.page, self.selected_item()) {
                    let w = Wizard::new(&self.portfolio, self.page, b);
                    self.layers.push(Layer::Wizard(w));
                }
            }
            Command::Palette => {
                let p = super::palette::Palette::open(self);
                self.layers.push(Layer::Palette(p));
            }
            Command::Timeline => {
                let tl = Timeline::build(self, self.page);
                self.layers.push(Layer::Timeline(tl));
            }
            _ => {}
        }
        None
    }

    fn expand(&mut self, c: Command) {
        // History entries are expanded by their ledger number: new entries arrive in front.
        let item = match self.page {
            Page::History => self
                .selected_entry_seq()
                .and_then(|s| usize::try_from(s).ok()),
            _ => self.selected_item(),
        };
        let Some(b) = item else {
            return;
        };
        let t = self.table_mut();
        let open = match c {
            Command::Expand => true,
            Command::Collapse => false,
            _ => !t.expanded.contains(&b),
        };
        if open {
            t.expanded.insert(b);
        } else {
            t.expanded.remove(&b);
        }
    }
}
