//! How History words a correction and the entry it corrects, the same in the CLI and the
//! dashboard: each names the other by its sequence number.

use super::Messages;
use crate::domain::Entry;
use crate::domain::correction::{Corrections, Undo};

impl Messages {
    /// A correction's line: what it voids (or, for a redemption, that it stands) and why,
    /// then what was done about it; `None` for any other entry.
    pub fn correction(&self, e: &Entry) -> Option<String> {
        let Entry::Correction {
            corrects,
            corrected_op,
            reason,
            note,
            undo,
            ..
        } = e
        else {
            return None;
        };
        let id = match undo {
            Undo::Nothing => "history.corrects",
            _ => "history.voids",
        };
        let op = format!("op.{corrected_op}");
        let op = if self.has(&op) || Messages::get(super::Lang::EnUs).has(&op) {
            self.text(&op).to_string()
        } else {
            corrected_op.clone()
        };
        let entry = format!("#{corrects}");
        let mut line = self.fmt(id, &[("entry", &entry), ("op", &op), ("reason", reason)]);
        if let Some(note) = note {
            line.push_str(" · ");
            line.push_str(&self.fmt("history.note", &[("note", note)]));
        }
        Some(line)
    }

    /// "voided by #9" (or "corrected by #9" for a redemption, which stands) for entry
    /// `seq`, when a correction names it.
    pub fn corrected_by(&self, corrections: &Corrections, seq: i64, e: &Entry) -> Option<String> {
        let by = format!("#{}", corrections.corrected_by(seq)?);
        let id = match e {
            Entry::Redemption { .. }
            | Entry::KeylessRedemption { .. }
            | Entry::GraphImport { .. } => "history.corrected-by",
            _ => "history.voided-by",
        };
        Some(self.fmt(id, &[("entry", &by)]))
    }
}
