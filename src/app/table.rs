//! Which rows show (filter, quick filter, sort), which is selected, and the window over
//! them. Work here happens on events, never per frame.

use super::{App, Page, QuickFilter, SortKey};
use crate::domain::summary::{self, RedemptionState};
use crate::domain::{Entry, Portfolio, SoftwareBenefit};
use chrono::NaiveDate;

fn software_state(b: &SoftwareBenefit) -> RedemptionState {
    if b.is_cal() || b.keys.is_empty() {
        RedemptionState::Nothing
    } else if b
        .keys
        .iter()
        .any(|k| k.activations_used < k.activations_allowed)
    {
        RedemptionState::ReadyToRedeem
    } else {
        RedemptionState::Redeemed
    }
}

/// Lines of the "Benefit details" block under an expanded row; `ui::details` draws exactly
/// this many (checked there), so the window can be computed without drawing.
pub fn detail_len(p: &Portfolio, page: Page, b: usize) -> usize {
    match page {
        Page::Cloud => {
            let b = p.cloud(b);
            let mut n = 3 + usize::from(b.replaced_by.is_some());
            if let Some(l) = &b.license {
                n += 1 + p.subscriptions_of_product(&b.product).count() + l.keys.len();
            }
            if b.credit.is_some() {
                n += 3;
            }
            n
        }
        Page::Software => {
            let b = p.software(b);
            let body = if b.is_cal() {
                2
            } else {
                1 + b.editions.len() + b.keys.len() + usize::from(!b.macos_supported)
            };
            2 + body + b.notes.len()
        }
        Page::History => 0,
    }
}

impl App {
    fn filter_matches(
        &self,
        needle: &str,
        name: &str,
        id: &str,
        offer: &str,
        state: RedemptionState,
        activate_by: NaiveDate,
    ) -> bool {
        let quick_ok = match self.quick {
            QuickFilter::All => true,
            QuickFilter::NotRedeemed => state == RedemptionState::ReadyToRedeem,
            QuickFilter::NotRedeemedExpiring => {
                state == RedemptionState::ReadyToRedeem
                    && summary::expiring_within_three_months(activate_by, self.today)
            }
        };
        quick_ok
            && (needle.is_empty()
                || name.to_lowercase().contains(needle)
                || id.to_lowercase().contains(needle)
                || summary::source_label(&self.portfolio, offer)
                    .to_lowercase()
                    .contains(needle))
    }

    /// Recompute the rows of both benefit pages after a filter, sort or state change.
    pub fn refilter(&mut self) {
        let needle = self.filter.trim().to_lowercase();
        let p = &self.portfolio;
        let mut cloud: Vec<usize> = (0..p.catalog.cloud_benefits.len())
            .filter(|&i| {
                let b = p.cloud(i);
                self.filter_matches(
                    &needle,
                    &b.product,
                    &b.id,
                    &b.offer,
                    summary::cloud_redemption_state(b),
                    b.activate_by,
                )
            })
            .collect();
        let mut software: Vec<usize> = (0..p.catalog.software_benefits.len())
            .filter(|&i| {
                let b = p.software(i);
                self.filter_matches(
                    &needle,
                    &b.product,
                    &b.id,
                    &b.offer,
                    software_state(b),
                    b.activate_by,
                )
            })
            .collect();
        let cloud_qty = |i: usize| {
            let b = p.cloud(i);
            b.license
                .as_ref()
                .map(|l| l.quantity)
                .or(b.credit.as_ref().map(|c| c.amount_usd))
                .unwrap_or(0)
        };
        match self.sort {
            SortKey::Catalog => {}
            SortKey::Name => {
                cloud.sort_by(|a, b| p.cloud(*a).product.cmp(&p.cloud(*b).product));
                software.sort_by(|a, b| p.software(*a).product.cmp(&p.software(*b).product));
            }
            SortKey::Source => {
                cloud.sort_by_cached_key(|i| summary::source_label(p, &p.cloud(*i).offer));
                software.sort_by_cached_key(|i| summary::source_label(p, &p.software(*i).offer));
            }
            SortKey::Quantity => {
                cloud.sort_by_key(|i| std::cmp::Reverse(cloud_qty(*i)));
                software.sort_by_key(|i| std::cmp::Reverse(p.software(*i).quantity));
            }
            SortKey::ActivateBy => {
                cloud.sort_by_key(|i| p.cloud(*i).activate_by);
                software.sort_by_key(|i| p.software(*i).activate_by);
            }
        }
        // Partner Center lists license-based benefits, then usage-based (Azure credit);
        // a stable sort keeps the chosen order inside each section.
        cloud.sort_by_key(|i| p.cloud(*i).credit.is_some());
        let today = self.today;
        self.cloud.attention = cloud
            .iter()
            .filter(|i| summary::needs_attention(p.cloud(**i).activate_by, today))
            .count();
        self.software.attention = software
            .iter()
            .filter(|i| summary::needs_attention(p.software(**i).activate_by, today))
            .count();
        self.cloud.rows = cloud;
        self.software.rows = software;
        for page in [Page::Cloud, Page::Software] {
            let keep = self.page;
            self.page = page;
            let t = self.table_mut();
            t.selected = t.selected.min(t.rows.len().saturating_sub(1));
            t.offset = t.offset.min(t.selected);
            self.scroll_into_view();
            self.page = keep;
        }
    }

    pub fn set_history(&mut self, history: Vec<(i64, Entry)>) {
        self.history = history;
        let t = &mut self.history_state;
        t.rows = (0..self.history.len()).collect();
        t.selected = t.selected.min(t.rows.len().saturating_sub(1));
        t.offset = t.offset.min(t.selected);
    }

    /// The section heading (an i18n id) standing above the row at `pos`, if one does: the
    /// Cloud page opens a section where license-based rows give way to usage-based ones.
    pub fn section_head(&self, page: Page, pos: usize) -> Option<&'static str> {
        if page != Page::Cloud {
            return None;
        }
        let rows = &self.cloud.rows;
        let usage = |pos: usize| self.portfolio.cloud(rows[pos]).credit.is_some();
        if pos >= rows.len() {
            return None;
        }
        let here = usage(pos);
        if pos == 0 || usage(pos - 1) != here {
            Some(if here {
                "section.usage-based"
            } else {
                "section.license-based"
            })
        } else {
            None
        }
    }

    /// Lines the row at `pos` takes on screen: its section heading, if any, and the row.
    pub fn height_at(&self, page: Page, pos: usize) -> usize {
        let item = self.table_of(page).rows[pos];
        usize::from(self.section_head(page, pos).is_some()) + self.row_height(page, item)
    }

    /// Lines a row takes: one, plus its details when expanded.
    pub fn row_height(&self, page: Page, item: usize) -> usize {
        if page == Page::History {
            // What and where, then before → after.
            return 2;
        }
        if self.table_of(page).expanded.contains(&item) {
            1 + detail_len(&self.portfolio, page, item)
        } else {
            1
        }
    }

    pub(super) fn move_to(&mut self, i: usize) {
        self.table_mut().selected = i;
        self.scroll_into_view();
    }

    /// Keep the selected row (and as much of its details as fit) inside the window,
    /// walking only the rows between the offset and the selection.
    pub(super) fn scroll_into_view(&mut self) {
        let page = self.page;
        let viewport = self.viewport();
        let (selected, mut offset) = (self.table().selected, self.table().offset);
        if self.table().rows.is_empty() {
            self.table_mut().offset = 0;
            return;
        }
        if selected < offset {
            offset = selected;
        } else {
            // Lines from the offset through the selected row (with its details).
            let mut used: usize = (offset..=selected)
                .map(|pos| self.height_at(page, pos))
                .sum();
            while used > viewport && offset < selected {
                used -= self.height_at(page, offset);
                offset += 1;
            }
        }
        self.table_mut().offset = offset;
    }
}
