//! The Reconcile page: every redemption's previewed Total licenses and End date against the
//! first Microsoft Graph observation of its subscription after it (`domain::observation::
//! reconcile`, the rule the CLI's `reconcile` uses). Computed when the history changes, in
//! one pass over it; the filter, `f` (mismatches, not observed yet) and the sort only pick
//! and order the rows.

use super::table::Haystack;
use super::{App, Command, TableState};
use crate::app::history::benefit_name;
use crate::domain::observation::{Reconciled, Verdict, reconcile_newest_first};
use crate::store::Logged;
use memchr::memmem::Finder;

/// Which results the page lists (`f` cycles them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    #[default]
    All,
    Mismatches,
    NotObservedYet,
}

impl Show {
    const CYCLE: [Show; 3] = [Show::All, Show::Mismatches, Show::NotObservedYet];

    pub fn label_id(self) -> Option<&'static str> {
        match self {
            Show::All => None,
            Show::Mismatches => Some("reconcile.only-mismatches"),
            Show::NotObservedYet => Some("reconcile.only-not-observed"),
        }
    }

    fn keeps(self, v: &Verdict) -> bool {
        match self {
            Show::All => true,
            Show::Mismatches => matches!(v, Verdict::Mismatch { .. }),
            Show::NotObservedYet => matches!(v, Verdict::NotObservedYet),
        }
    }
}

/// The order of the rows (`s` cycles, `S` turns it round).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Mismatches, then not observed yet, then matches; newest first within each.
    #[default]
    Result,
    /// The ledger's order, newest first.
    Newest,
    Benefit,
}

impl Order {
    const CYCLE: [Order; 3] = [Order::Result, Order::Newest, Order::Benefit];

    pub fn label_id(self) -> &'static str {
        match self {
            Order::Result => "reconcile.result",
            Order::Newest => "reconcile.sort-newest",
            Order::Benefit => "col.benefit-name",
        }
    }
}

/// The page's state: the results (in ledger order), the rows shown, what picks and orders
/// them, and the history they were computed from.
#[derive(Debug, Default)]
pub struct ReconcileView {
    pub results: Vec<Reconciled>,
    /// `rows` index `results`; `expanded` holds ledger numbers (older history read later
    /// moves the indices, not the numbers).
    pub table: TableState,
    pub show: Show,
    pub order: Order,
    pub descending: bool,
    pub mismatches: usize,
    pub not_observed: usize,
    /// The history's length and newest number when computed.
    stamp: Option<(usize, Option<i64>)>,
    /// What the filter finds each result by, built at the first filter keystroke.
    search: Option<Haystack>,
}

impl ReconcileView {
    /// The sort arrow's direction: a result rank or a name ascending; newest first has
    /// its own words, so only its reverse shows an arrow.
    pub fn arrow(&self) -> Option<bool> {
        match self.order {
            Order::Newest => self.descending.then_some(false),
            _ => Some(self.descending),
        }
    }

    /// The verdict on the redemption with ledger number `seq` (History's ✓/✗ may ask).
    pub fn verdict_of(&self, seq: i64) -> Option<&Verdict> {
        self.result_of(seq).map(|r| &r.verdict)
    }

    /// The whole result on redemption `seq` (History's details give both numbers).
    pub fn result_of(&self, seq: i64) -> Option<&Reconciled> {
        let i = self.results.binary_search_by_key(&seq, |r| r.seq).ok()?;
        Some(&self.results[i])
    }

    /// The result under the cursor.
    pub fn selected(&self) -> Option<&Reconciled> {
        self.results.get(*self.table.rows.get(self.table.selected)?)
    }

    pub fn is_expanded(&self, r: &Reconciled) -> bool {
        usize::try_from(r.seq).is_ok_and(|s| self.table.expanded.contains(&s))
    }
}

/// The i18n id of a verdict in words ("mismatch").
pub fn verdict_id(v: &Verdict) -> &'static str {
    match v {
        Verdict::Match { .. } => "reconcile.match",
        Verdict::Mismatch { .. } => "reconcile.mismatch",
        Verdict::NotObservedYet => "reconcile.not-observed",
    }
}

fn rank(v: &Verdict) -> u8 {
    match v {
        Verdict::Mismatch { .. } => 0,
        Verdict::NotObservedYet => 1,
        Verdict::Match { .. } => 2,
    }
}

impl App {
    /// Reconcile again when the history moved on since the last time, then pick and order
    /// the rows; the selection stays on its redemption while that is still listed.
    pub(super) fn refilter_reconcile(&mut self) {
        let stamp = (self.history.len(), self.history.first().map(|l| l.seq));
        let v = &mut self.reconcile;
        if v.stamp != Some(stamp) {
            v.results = reconcile_newest_first(self.history.iter().map(Logged::pair));
            v.mismatches = v.results.iter().filter(|r| r.is_mismatch()).count();
            v.not_observed = (v.results.iter())
                .filter(|r| r.verdict == Verdict::NotObservedYet)
                .count();
            v.stamp = Some(stamp);
            v.search = None;
        }
        // A selection moved off the top stays on its redemption; on the top it stays there.
        let was = v.selected().map(|r| r.seq).filter(|_| v.table.selected > 0);
        let needle = self.filter.trim().to_lowercase();
        let hits = if needle.is_empty() {
            None
        } else {
            if v.search.is_none() {
                let (p, t) = (&self.portfolio, self.t);
                let rows = v.results.iter().map(|r| {
                    [
                        benefit_name(p, &r.benefit),
                        r.benefit.clone(),
                        r.subscription.clone(),
                        t.date(r.date),
                        t.text(verdict_id(&r.verdict)).to_string(),
                    ]
                });
                v.search = Some(Haystack::from_rows(rows));
            }
            Some(
                v.search
                    .as_ref()
                    .expect("built above")
                    .hits(&Finder::new(&needle)),
            )
        };
        let mut rows: Vec<usize> = (0..v.results.len())
            .filter(|&i| hits.as_ref().is_none_or(|h| h[i]) && v.show.keeps(&v.results[i].verdict))
            .collect();
        // Newest first is the base order; a stable sort keeps it among equals.
        rows.reverse();
        let results = &v.results;
        match v.order {
            Order::Result => rows.sort_by_key(|&i| rank(&results[i].verdict)),
            Order::Newest => {}
            Order::Benefit => {
                rows.sort_by_cached_key(|&i| benefit_name(&self.portfolio, &results[i].benefit))
            }
        }
        if v.descending {
            rows.reverse();
        }
        let keep = was.and_then(|seq| rows.iter().position(|&i| results[i].seq == seq));
        v.table.replace_rows(rows, keep);
    }

    /// A page command the Reconcile page answers itself: true when it did.
    pub(super) fn reconcile_command(&mut self, c: Command) -> bool {
        let v = &mut self.reconcile;
        match c {
            Command::QuickFilter => v.show = super::views::next_of(&Show::CYCLE, v.show),
            Command::Sort => {
                v.order = super::views::next_of(&Order::CYCLE, v.order);
                v.descending = false;
            }
            Command::SortReverse => v.descending = !v.descending,
            Command::ClearFilters | Command::Back
                if !self.filter.is_empty() || v.show != Show::All =>
            {
                v.show = Show::All;
                self.filter.clear();
                self.refilter();
                return true;
            }
            Command::Open | Command::Toggle | Command::Expand | Command::Collapse => {
                let Some(seq) = v.selected().and_then(|r| usize::try_from(r.seq).ok()) else {
                    return true;
                };
                let open = match c {
                    Command::Expand => true,
                    Command::Collapse => false,
                    _ => !v.table.expanded.contains(&seq),
                };
                if open {
                    v.table.expanded.insert(seq);
                } else {
                    v.table.expanded.remove(&seq);
                }
                return true;
            }
            Command::ExpandAll => {
                let seqs = (v.table.rows.iter())
                    .filter_map(|&i| usize::try_from(v.results[i].seq).ok())
                    .collect::<Vec<_>>();
                v.table.expanded.extend(seqs);
                return true;
            }
            Command::CollapseAll => {
                v.table.expanded.clear();
                return true;
            }
            _ => return false,
        }
        self.refilter_reconcile();
        true
    }

    /// Whether the Reconcile page's footer offers `c`.
    pub(super) fn reconcile_offers(&self, c: Command) -> bool {
        let v = &self.reconcile;
        match c {
            Command::Open | Command::Toggle => v.selected().is_some(),
            // Opening is Enter's to offer (as on the benefit pages, where → enters key
            // lines); ← where it closes something.
            Command::Expand => false,
            Command::Collapse => v.selected().is_some_and(|r| {
                usize::try_from(r.seq).is_ok_and(|s| v.table.expanded.contains(&s))
            }),
            Command::ExpandAll | Command::CollapseAll => !v.table.rows.is_empty(),
            Command::QuickFilter | Command::Sort => !v.results.is_empty(),
            Command::SortReverse => v.table.rows.len() > 1,
            Command::ClearFilters => !self.filter.is_empty() || v.show != Show::All,
            _ => false,
        }
    }
}
