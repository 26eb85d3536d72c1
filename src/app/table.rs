//! Which rows show (filter, quick filter, sort), which is selected, and the window over
//! them. Work here happens on events, never per frame.

use super::{App, Page, QuickFilter, SortKey};
use crate::domain::attention::{Benefit, attention};
use crate::domain::summary::{self, RedemptionState};
use crate::domain::{BenefitType, Portfolio, SoftwareBenefit, SubscriptionStatus};
use crate::i18n::Messages;
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

/// What the filter searches: each benefit's name, id, source, benefit type and status (or
/// who holds its credit), as the table shows them, lower-cased once, one page's rows in
/// one string (fields and rows end in NUL, which filter text never holds: the field drops
/// control characters). Built at the first filter keystroke and kept until the ledger
/// moves on (statuses follow it); a keystroke is then one SIMD scan of one buffer.
#[derive(Debug, Default)]
pub struct SearchText {
    cloud: Haystack,
    software: Haystack,
    /// `Portfolio::last_seq` it was built at.
    seq: i64,
}

#[derive(Debug, Default)]
pub(super) struct Haystack {
    text: String,
    /// Where each row's text starts, and one past the last row's end.
    starts: Vec<usize>,
}

impl Haystack {
    /// One row per item of `rows`, each the given fields.
    pub(super) fn from_rows<R, S>(rows: impl Iterator<Item = R>) -> Self
    where
        R: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut h = Haystack::default();
        for fields in rows {
            h.starts.push(h.text.len());
            for field in fields {
                h.text
                    .extend(field.as_ref().chars().flat_map(char::to_lowercase));
                h.text.push('\0');
            }
        }
        h.starts.push(h.text.len());
        h
    }

    /// Which rows hold `needle`: after a hit the scan resumes at the next row.
    pub(super) fn hits(&self, needle: &Finder<'_>) -> Vec<bool> {
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
    fn build(p: &Portfolio, t: &Messages, today: NaiveDate) -> Self {
        let c = &p.catalog;
        let sources: HashMap<&str, String> = (c.offers.iter())
            .map(|o| (o.id.as_str(), summary::source_label(p, &o.id)))
            .collect();
        let source = |offer: &str| sources.get(offer).cloned().unwrap_or(offer.to_string());
        let cloud = c.cloud_benefits.iter().map(|b| {
            let status = match (&b.license, &b.credit) {
                (Some(_), _) => t.status(summary::product_status(p, b, today)).to_string(),
                (_, Some(c)) => {
                    (c.assigned_to.clone()).unwrap_or_else(|| t.text("label.unassigned").into())
                }
                _ => String::new(),
            };
            let kind = t.text(match b.benefit_type {
                BenefitType::Core => "benefit-type.core",
                BenefitType::Incremental => "benefit-type.incremental",
            });
            [
                b.product.clone(),
                b.id.clone(),
                source(&b.offer),
                kind.into(),
                status,
            ]
        });
        let software = (c.software_benefits.iter())
            .map(|b| [b.product.clone(), b.id.clone(), source(&b.offer)]);
        SearchText {
            cloud: Haystack::from_rows(cloud),
            software: Haystack::from_rows(software),
            seq: p.last_seq,
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
        let stale = (self.search.as_ref()).is_none_or(|s| s.seq != self.portfolio.last_seq);
        if !needle.needle().is_empty() && stale {
            self.search = Some(SearchText::build(&self.portfolio, self.t, self.today));
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
        self.sort_rows(&mut cloud, &mut software);
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
        for (page, rows) in [(Page::Cloud, cloud), (Page::Software, software)] {
            let t = self.table_mut_of(page);
            // The selection stays on its benefit while that is still listed; otherwise it
            // goes to the first row, and the window (from at most there) shows the rest.
            let was = t.rows.get(t.selected).copied();
            t.selected = was
                .and_then(|b| rows.iter().position(|&r| r == b))
                .unwrap_or(0);
            t.rows = rows;
            t.selected = t.selected.min(t.rows.len().saturating_sub(1));
            t.offset = t.offset.min(t.selected);
        }
        self.refilter_history(self.selected_entry_seq());
        self.keep_key_cursor();
        self.refilter_views();
    }

    /// Both pages' rows in the chosen column's order (stable: ties keep catalog order).
    fn sort_rows(&self, cloud: &mut [usize], software: &mut [usize]) {
        let p = &self.portfolio;
        let today = self.today;
        let cloud_qty = |i: usize| {
            let b = p.cloud(i);
            b.license
                .as_ref()
                .map(|l| l.quantity)
                .or(b.credit.as_ref().map(|c| c.amount_usd))
                .unwrap_or(0)
        };
        // Lifecycle order: active, then expired, disabled, none; credit held before not.
        let cloud_status = |i: usize| {
            let b = p.cloud(i);
            match (&b.license, &b.credit) {
                (Some(_), _) => match summary::product_status(p, b, today) {
                    SubscriptionStatus::Active => (0, String::new()),
                    SubscriptionStatus::Expired => (1, String::new()),
                    SubscriptionStatus::Disabled => (2, String::new()),
                    SubscriptionStatus::NoActiveSubscription => (3, String::new()),
                },
                (_, Some(c)) => match &c.assigned_to {
                    Some(u) => (4, u.to_lowercase()),
                    None => (5, String::new()),
                },
                _ => (6, String::new()),
            }
        };
        // Fewest activations left first; CALs and keyless products last.
        let software_left = |i: usize| {
            let b = p.software(i);
            let (used, allowed) = summary::software_activations(b);
            if b.is_cal() || b.keys.is_empty() {
                u32::MAX
            } else {
                allowed.saturating_sub(used)
            }
        };
        // Descending: reversed around an ascending stable sort, so ties keep catalog order.
        let descending = self.sort_descending && self.sort != SortKey::Catalog;
        if descending {
            cloud.reverse();
            software.reverse();
        }
        match self.sort {
            SortKey::Catalog => {}
            SortKey::Name => {
                cloud.sort_by_cached_key(|i| p.cloud(*i).product.to_lowercase());
                software.sort_by_cached_key(|i| p.software(*i).product.to_lowercase());
            }
            SortKey::Source => {
                cloud.sort_by_cached_key(|i| summary::source_label(p, &p.cloud(*i).offer));
                software.sort_by_cached_key(|i| summary::source_label(p, &p.software(*i).offer));
            }
            SortKey::BenefitType => cloud.sort_by_key(|i| match p.cloud(*i).benefit_type {
                BenefitType::Core => 0,
                BenefitType::Incremental => 1,
            }),
            SortKey::Quantity => {
                cloud.sort_by_key(|i| cloud_qty(*i));
                software.sort_by_key(|i| p.software(*i).quantity);
            }
            SortKey::ActivateBy => {
                cloud.sort_by_key(|i| p.cloud(*i).activate_by);
                software.sort_by_key(|i| p.software(*i).activate_by);
            }
            SortKey::Status => {
                cloud.sort_by_cached_key(|i| cloud_status(*i));
                software.sort_by_key(|i| software_left(*i));
            }
        }
        if descending {
            cloud.reverse();
            software.reverse();
        }
    }

    /// The section heading (an i18n id) standing above the row at `pos`, if one does: the
    /// Cloud page opens a section where license-based rows give way to usage-based ones.
    pub fn section_head(&self, page: Page, pos: usize) -> Option<&'static str> {
        let here = self.section_of(page, pos)?;
        (pos == 0 || self.section_of(page, pos - 1) != Some(here)).then_some(here)
    }

    /// The heading (an i18n id) of the section the row at `pos` is in: what stays above
    /// the table while the rows of a section scroll under it.
    pub fn section_of(&self, page: Page, pos: usize) -> Option<&'static str> {
        if page != Page::Cloud {
            return None;
        }
        let b = *self.cloud.rows.get(pos)?;
        Some(if self.portfolio.cloud(b).credit.is_some() {
            "section.usage-based"
        } else {
            "section.license-based"
        })
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
