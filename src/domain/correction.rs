//! Corrections without deleting. The ledger is append-only: an activation or a credit change
//! recorded by mistake is voided by a new entry that names it (by its ledger sequence number)
//! and says why, and the fold undoes its effect. A redemption cannot be undone at Microsoft:
//! its correction records what happened and what was done about it, and changes nothing.
//!
//! The undo is written into the correction itself when it is planned, so folding one needs
//! no other entry. What a plan needs to know of the past (which entries are corrected, which
//! credit changes stand) is kept in `Corrections` as the ledger is folded, and travels with
//! a checkpoint.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What folding a correction undoes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Undo {
    /// A redemption stands at Microsoft: the correction is a record only.
    Nothing,
    /// The activations the entry counted go back on its key.
    Activation {
        key_fingerprint: String,
        counted: u32,
    },
    /// The credit goes back to whoever held it before the entry (nobody: `None`), with the
    /// reassignments it had then.
    Credit {
        assigned_to: Option<String>,
        reassignments: u32,
    },
}

/// What the corrections in the ledger leave behind for the next plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Corrections {
    /// Sequence number of a corrected entry → of the correction.
    corrected: BTreeMap<i64, i64>,
    /// The credit changes that stand, per credit benefit id, in ledger order: only the
    /// latest can be voided (an earlier one is what the later ones built on).
    credit_changes: BTreeMap<String, Vec<i64>>,
}

impl Corrections {
    /// The correction of entry `seq`, if it has one.
    pub fn corrected_by(&self, seq: i64) -> Option<i64> {
        self.corrected.get(&seq).copied()
    }

    /// The latest credit change of `benefit` that stands.
    pub fn latest_credit_change(&self, benefit: &str) -> Option<i64> {
        self.credit_changes.get(benefit)?.last().copied()
    }

    /// Entry `seq` of `history --json` (and so of `--csv`) names its correction.
    pub fn link(&self, entry: &mut serde_json::Value, seq: i64) {
        if let Some(by) = self.corrected_by(seq) {
            entry["corrected_by"] = by.into();
        }
    }

    pub(crate) fn credit_changed(&mut self, benefit: &str, seq: i64) {
        (self.credit_changes.entry(benefit.to_string()))
            .or_default()
            .push(seq);
    }

    /// Correction `seq` of entry `corrects` (of `benefit`) was folded in.
    pub(crate) fn corrected(&mut self, corrects: i64, seq: i64, benefit: &str) {
        self.corrected.insert(corrects, seq);
        if let Some(changes) = self.credit_changes.get_mut(benefit) {
            changes.retain(|&s| s != corrects);
        }
    }
}
