//! The page's own commands: moving through the table, expanding rows, switching pages,
//! filtering and sorting, and opening the layers that start from a row.

use super::{App, Command, Effect, Layer, Page, QuickFilter, SortKey, Timeline, Wizard};

impl App {
    pub(super) fn browse(&mut self, c: Command) -> Option<Effect> {
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
            Command::Expand | Command::Collapse | Command::Toggle => self.expand(c),
            // Enter: expand a collapsed row; on an expanded row, open its walkthrough (as
            // selecting the benefit name does in Partner Center).
            Command::Open => {
                let expanded = self
                    .selected_item()
                    .is_some_and(|b| self.table().expanded.contains(&b));
                let next = if expanded && self.page != Page::History {
                    Command::Wizard
                } else {
                    Command::Expand
                };
                return self.browse(next);
            }
            Command::NextPage => self.page = Page::ALL[(self.page.index() + 1) % 3],
            Command::PrevPage => self.page = Page::ALL[(self.page.index() + 2) % 3],
            Command::CloudPage => self.page = Page::Cloud,
            Command::SoftwarePage => self.page = Page::Software,
            Command::HistoryPage => self.page = Page::History,
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
                let i = SortKey::CYCLE
                    .iter()
                    .position(|s| *s == self.sort)
                    .unwrap_or(0);
                self.sort = SortKey::CYCLE[(i + 1) % SortKey::CYCLE.len()];
                self.refilter();
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
        if self.page == Page::History {
            return;
        }
        let Some(b) = self.selected_item() else {
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
