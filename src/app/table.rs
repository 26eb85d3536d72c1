//! Which rows show (filter, quick filter, sort), which is selected, and the window over
//! them. Work here happens on events, never per frame.

use super::{App, Page, QuickFilter, SortKey};
use crate::domain::attention::{Benefit, attention};
use crate::domain::summary::{self, RedemptionState};
use crate::domain::{Portfolio, SoftwareBenefit};
use chrono::NaiveDate;
use memchr::memmem::Finder;
use std::collections::HashMap;

fn software_state(b: &SoftwareBenefit) -> RedemptionState {
    if !b.needs_activation() || b.keys.is_empty() {
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

/// What the filter searches: each benefit's name, id and source, lower-cased once, one
/// page's rows in one string (fields and rows end in NUL, which filter text never holds:
/// the field drops control characters). None of it changes with the ledger, so it is built
/// at the first filter keystroke and kept; a keystroke is then one SIMD scan of one buffer.
#[derive(Debug, Default)]
pub struct SearchText {
    cloud: Haystack,
    software: Haystack,
}

#[derive(Debug, Default)]
struct Haystack {
    text: String,
    /// Where each row's text starts, and one past the last row's end.
    starts: Vec<usize>,
}

impl Haystack {
    fn build<'a>(p: &Portfolio, rows: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Self {
        let sources: HashMap<&str, String> = p
            .catalog
            .offers
            .iter()
            .map(|o| {
                (
                    o.id.as_str(),
                    summary::source_label(p, &o.id).to_lowercase(),
                )
            })
            .collect();
        let mut h = Haystack::default();
        for (name, id, offer) in rows {
            h.starts.push(h.text.len());
            for field in [name, id] {
                h.text.extend(field.chars().flat_map(char::to_lowercase));
                h.text.push('\0');
            }
            match sources.get(offer) {
                Some(source) => h.text.push_str(source),
                None => h.text.extend(offer.chars().flat_map(char::to_lowercase)),
            }
            h.text.push('\0');
        }
        h.starts.push(h.text.len());
        h
    }

    /// Which rows hold `needle`: after a hit the scan resumes at the next row.
    fn hits(&self, needle: &Finder<'_>) -> Vec<bool> {
        let rows = self.starts.len() - 1;
        let mut hit = vec![false; rows];
        let bytes = self.text.as_bytes();
        let mut from = 0;
        while let Some(at) = needle.find(&bytes[from..]) {
            let row = self.starts.partition_point(|&s| s <= from + at) - 1;
            hit[row] = true;
            from = self.starts[row + 1];
        }
        hit
    }
}

impl SearchText {
    fn build(p: &Portfolio) -> Self {
        let c = &p.catalog;
        SearchText {
            cloud: Haystack::build(
                p,
                (c.cloud_benefits.iter()).map(|b| (&*b.product, &*b.id, &*b.offer)),
            ),
            software: Haystack::build(
                p,
                (c.software_benefits.iter()).map(|b| (&*b.product, &*b.id, &*b.offer)),
            ),
        }
    }
}

/// What the quick filters and the sections ask of a row, kept in one small array so a
/// keystroke reads a few bytes a row instead of chasing each benefit and its keys. The date
/// rules are evaluated once (the app's `today` is fixed); redemption states follow the
/// ledger, so the facts are rebuilt when the portfolio has moved on.
#[derive(Debug, Clone, Copy)]
struct Facts {
    state: RedemptionState,
    usage_based: bool,
    expiring_within_three_months: bool,
    needs_attention: bool,
}

#[derive(Debug, Default)]
pub struct RowFacts {
    cloud: Vec<Facts>,
    software: Vec<Facts>,
    /// `Portfolio::last_seq` they were taken at.
    seq: i64,
}

impl RowFacts {
    fn build(p: &Portfolio, today: NaiveDate) -> Self {
        let c = &p.catalog;
        let facts = |state, usage_based, activate_by, benefit| Facts {
            state,
            usage_based,
            expiring_within_three_months: summary::expiring_within_three_months(activate_by, today),
            needs_attention: attention(benefit, today).counts(),
        };
        RowFacts {
            cloud: (c.cloud_benefits.iter())
                .map(|b| {
                    let state = summary::cloud_redemption_state(b);
                    facts(state, b.credit.is_some(), b.activate_by, Benefit::Cloud(b))
                })
                .collect(),
            software: (c.software_benefits.iter())
                .map(|b| {
                    let state = software_state(b);
                    facts(state, false, b.activate_by, Benefit::Software(b))
                })
                .collect(),
            seq: p.last_seq,
        }
    }
}

impl App {
    fn quick_filter_keeps(&self, f: &Facts) -> bool {
        match self.quick {
            QuickFilter::All => true,
            QuickFilter::NotRedeemed => f.state == RedemptionState::ReadyToRedeem,
            QuickFilter::NotRedeemedExpiring => {
                f.state == RedemptionState::ReadyToRedeem && f.expiring_within_three_months
            }
        }
    }

    /// Recompute the rows of both benefit pages after a filter, sort or state change.
    pub fn refilter(&mut self) {
        let needle = self.filter.trim().to_lowercase();
        let needle = Finder::new(&needle);
        if !needle.needle().is_empty() && self.search.is_none() {
            self.search = Some(SearchText::build(&self.portfolio));
        }
        if self
            .facts
            .as_ref()
            .is_none_or(|f| f.seq != self.portfolio.last_seq)
        {
            self.facts = Some(RowFacts::build(&self.portfolio, self.today));
        }
        let facts = self.facts.as_ref().expect("built above");
        let (cloud_hits, software_hits) = match &self.search {
            Some(s) if !needle.needle().is_empty() => {
                (Some(s.cloud.hits(&needle)), Some(s.software.hits(&needle)))
            }
            _ => (None, None),
        };
        let keep = |facts: &[Facts], hits: &Option<Vec<bool>>| -> Vec<usize> {
            (0..facts.len())
                .filter(|&i| {
                    hits.as_ref().is_none_or(|h| h[i]) && self.quick_filter_keeps(&facts[i])
                })
                .collect()
        };
        let mut cloud = keep(&facts.cloud, &cloud_hits);
        let mut software = keep(&facts.software, &software_hits);
        let p = &self.portfolio;
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
        // Partner Center lists license-based benefits, then usage-based (Azure credit); a
        // stable partition keeps the chosen order inside each section.
        let (mut cloud, usage): (Vec<usize>, Vec<usize>) = cloud
            .into_iter()
            .partition(|&i| !facts.cloud[i].usage_based);
        cloud.extend(usage);
        let attention = |rows: &[usize], facts: &[Facts]| {
            rows.iter().filter(|&&i| facts[i].needs_attention).count()
        };
        self.cloud.attention = attention(&cloud, &facts.cloud);
        self.software.attention = attention(&software, &facts.software);
        self.cloud.rows = cloud;
        self.software.rows = software;
        for page in [Page::Cloud, Page::Software] {
            let t = self.table_mut_of(page);
            t.selected = t.selected.min(t.rows.len().saturating_sub(1));
            t.offset = t.offset.min(t.selected);
        }
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

    pub(super) fn move_to(&mut self, i: usize) {
        self.table_mut().selected = i;
        self.scroll_into_view();
    }

    /// A selection above the window brings the window up to it; one below it is the
    /// renderer's to bring into view (only it knows how tall the rows in between are).
    pub(super) fn scroll_into_view(&mut self) {
        let t = self.table_mut();
        t.offset = t.offset.min(t.selected);
    }
}
