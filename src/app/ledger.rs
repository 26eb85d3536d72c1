//! What the ledger tells the app: the history at start-up, entries appended since (by this
//! app's writes and anyone else's), and the older entries a start from a checkpoint skipped.

use super::App;
use crate::store::{LedgerRow, Logged, fold_rows};
use std::sync::Arc;

impl App {
    pub fn set_history(&mut self, history: Vec<Logged>) {
        let was = self.selected_entry_seq();
        self.history = history;
        self.history_facts = super::history::HistoryFacts::of(&self.history);
        self.refilter_history(was);
    }

    /// Fold entries appended after the portfolio's last one in, and put them (newest
    /// first) in front of the history. Rows the portfolio already holds are skipped.
    pub(super) fn fold_appended(&mut self, rows: Vec<LedgerRow>) {
        let seen = self.portfolio.last_seq;
        let rows: Vec<LedgerRow> = rows.into_iter().filter(|r| r.seq() > seen).collect();
        if rows.is_empty() {
            return;
        }
        let mut new = fold_rows(Arc::make_mut(&mut self.portfolio), rows);
        self.refilter();
        new.reverse();
        new.append(&mut self.history);
        self.set_history(new);
    }

    /// Put the entries a checkpoint skipped (oldest first) behind the history. A write made
    /// before they came may have read some of them already: only those older than the
    /// oldest shown are added.
    pub(super) fn append_older(&mut self, older: Option<Vec<Logged>>) {
        self.history_loading = false;
        let Some(entries) = older else { return };
        let oldest = self.history.last().map(|l| l.seq);
        let mut history = std::mem::take(&mut self.history);
        // Reserved once: at 100k entries, growing by doubling would hold two copies at a time.
        history.reserve(entries.len());
        let older = entries.into_iter().rev();
        history.extend(older.filter(|l| oldest.is_none_or(|o| l.seq < o)));
        self.set_history(history);
    }
}
