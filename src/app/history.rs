//! The History page's rows: which ledger entries the filter keeps, and what the filter
//! searches in each (the words the page shows, in the app's language).

use super::App;
use super::table::Haystack;
use crate::domain::{BenefitRef, Entry, Portfolio};
use crate::i18n::Messages;
use crate::store::Logged;
use chrono::{DateTime, Utc};
use memchr::memmem::Finder;

/// The i18n id of an entry's operation in words ("Product key redeemed").
pub fn op_id(e: &Entry) -> &'static str {
    match e {
        Entry::Redemption { .. } => "op.redemption",
        Entry::Activation { .. } => "op.activation",
        Entry::CreditAssign { .. } => "op.credit-assign",
        Entry::CreditRemove { .. } => "op.credit-remove",
        Entry::CreditTransfer { .. } => "op.credit-transfer",
        Entry::Correction { .. } => "op.correction",
        Entry::GraphImport { .. } => "op.graph-import",
        Entry::KeylessRedemption { .. } => "op.keyless-redemption",
    }
}

/// The History's and `history`'s date of an entry: when the store wrote it, to the minute
/// in UTC, or (written before the ledger recorded times) the entry's date alone.
pub fn when(t: &Messages, e: &Entry, at: Option<DateTime<Utc>>) -> String {
    match at {
        Some(at) => t.recorded(at),
        None => t.date(e.date()),
    }
}

/// The name of benefit `id`, or the id when the catalog no longer has it.
pub fn benefit_name(p: &Portfolio, id: &str) -> String {
    match p.benefit(id) {
        Some(BenefitRef::Cloud(i)) => p.cloud(i).product.clone(),
        Some(BenefitRef::Software(i)) => p.software(i).product.clone(),
        None => id.to_string(),
    }
}

/// What the filter finds an entry by: everything its row and its details show.
fn fields(p: &Portfolio, t: &Messages, l: &Logged) -> Vec<String> {
    let e = &l.entry;
    let mut out = vec![
        t.text(op_id(e)).to_string(),
        benefit_name(p, e.benefit()),
        e.benefit().to_string(),
        t.date(e.date()),
    ];
    out.extend(l.at.map(|at| t.recorded(at)));
    match e {
        Entry::Redemption {
            key_masked,
            tenant,
            mode,
            target,
            user,
            ..
        } => {
            out.extend([t.mode(*mode).to_string(), key_masked.clone(), user.clone()]);
            out.push(target.subscription_id().to_string());
            out.push(tenant.clone());
            if let Some(x) = p.tenant(tenant) {
                out.extend([x.name.clone(), x.domain.clone()]);
            }
        }
        Entry::Activation {
            key_masked,
            machine,
            change,
            os,
            user,
            ..
        } => out.extend([
            key_masked.clone(),
            machine.clone(),
            t.change(*change).to_string(),
            t.os(*os).to_string(),
            user.clone(),
        ]),
        Entry::CreditAssign { to, user, .. } => out.extend([to.clone(), user.clone()]),
        Entry::CreditRemove { from, user, .. } => out.extend([from.clone(), user.clone()]),
        Entry::CreditTransfer { from, to, user, .. } => {
            out.extend([from.clone(), to.clone(), user.clone()])
        }
        Entry::Correction {
            reason, note, user, ..
        } => {
            out.extend([reason.clone(), user.clone()]);
            out.extend(note.clone());
        }
        Entry::GraphImport {
            sources,
            observations,
            user,
            ..
        } => {
            out.extend(sources.iter().map(|s| s.name.clone()));
            out.extend(observations.iter().map(|o| o.subscription.clone()));
            out.push(user.clone());
        }
        Entry::KeylessRedemption {
            tenant,
            target,
            user,
            ..
        } => out.extend([
            t.text("label.keyless").to_string(),
            target.subscription_id().to_string(),
            tenant.clone(),
            user.clone(),
        ]),
    }
    out
}

/// What the History page needs of the whole history, worked out whenever the history
/// changes (never per frame): whether any entry is a Graph import, whether any has a time
/// (the date column makes room for one) and the newest entry's number. Graph's verdict on
/// each redemption is the Reconcile page's (`App::reconcile`).
#[derive(Debug, Default)]
pub struct HistoryFacts {
    /// Some entry is a Graph import: "not observed yet" then says something.
    pub imports: bool,
    pub timed: bool,
    pub newest_seq: i64,
}

impl HistoryFacts {
    /// Of `history`, newest first as the app holds it.
    pub fn of(history: &[Logged]) -> Self {
        HistoryFacts {
            imports: (history.iter()).any(|l| matches!(l.entry, Entry::GraphImport { .. })),
            timed: history.iter().any(|l| l.at.is_some()),
            newest_seq: history.iter().map(|l| l.seq).max().unwrap_or(0),
        }
    }
}

/// The history's search text, for the history it was built from (its length and newest
/// entry: entries are only ever added at either end).
#[derive(Debug, Default)]
pub struct HistoryText {
    text: Haystack,
    len: usize,
    newest: Option<i64>,
}

impl HistoryText {
    fn build(app: &App) -> Self {
        let rows = app.history.iter().map(|l| fields(&app.portfolio, app.t, l));
        HistoryText {
            text: Haystack::from_rows(rows),
            len: app.history.len(),
            newest: app.history.first().map(|l| l.seq),
        }
    }

    fn is_for(&self, app: &App) -> bool {
        self.len == app.history.len() && self.newest == app.history.first().map(|l| l.seq)
    }
}

impl App {
    /// The History rows the filter keeps (all of them without a filter); the selection
    /// stays on the entry `was` (a ledger sequence number) while that is still shown.
    pub(super) fn refilter_history(&mut self, was: Option<i64>) {
        let needle = self.filter.trim().to_lowercase();
        let rows: Vec<usize> = if needle.is_empty() {
            (0..self.history.len()).collect()
        } else {
            if !self.history_search.as_ref().is_some_and(|h| h.is_for(self)) {
                self.history_search = Some(HistoryText::build(self));
            }
            let text = &self.history_search.as_ref().expect("built above").text;
            let hits = text.hits(&Finder::new(&needle));
            (0..self.history.len()).filter(|&i| hits[i]).collect()
        };
        let t = &mut self.history_state;
        t.rows = rows;
        let keep = was.and_then(|seq| {
            (t.rows.iter()).position(|&i| self.history.get(i).map(|l| l.seq) == Some(seq))
        });
        t.selected = keep.unwrap_or(0).min(t.rows.len().saturating_sub(1));
        t.offset = t.offset.min(t.selected);
    }

    /// The ledger sequence number of the History entry under the cursor.
    pub fn selected_entry_seq(&self) -> Option<i64> {
        let t = &self.history_state;
        let i = *t.rows.get(t.selected)?;
        self.history.get(i).map(|l| l.seq)
    }

    /// The History entry with ledger sequence number `seq` is expanded into its details.
    pub fn entry_expanded(&self, seq: i64) -> bool {
        usize::try_from(seq).is_ok_and(|s| self.history_state.expanded.contains(&s))
    }
}
