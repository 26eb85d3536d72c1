//! Planning a correction (see `domain::correction`): who may, what needs a reason and a
//! note, what cannot be corrected, and the undo the fold will apply.

use super::credit::credit;
use super::rules::{Ctx, check_role};
use crate::domain::correction::Undo;
use crate::domain::{Entry, Param, Refusal, RefusalCode};

/// How a refusal names a ledger entry: by its sequence number, as History shows it.
pub fn entry_label(seq: i64) -> String {
    format!("#{seq}")
}

/// The correction of entry `seq` (whose content the edge read from the ledger: entries
/// never change), for `reason`, with `note` saying what was done about it.
pub fn plan_correction(
    ctx: Ctx<'_>,
    seq: i64,
    corrected: &Entry,
    reason: &str,
    note: Option<&str>,
) -> Result<Entry, Refusal> {
    check_role(ctx.user)?;
    let at = |code| Refusal::new(code).with(Param::Entry, entry_label(seq));
    if let Entry::Correction { .. } = corrected {
        return Err(at(RefusalCode::CannotCorrectACorrection));
    }
    if let Some(by) = ctx.portfolio.corrections.corrected_by(seq) {
        return Err(at(RefusalCode::EntryAlreadyCorrected).with(Param::Other, entry_label(by)));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(at(RefusalCode::CorrectionReasonRequired));
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let undo = match corrected {
        // Neither can be undone here: a redemption (with or without a key) stands at
        // Microsoft, and an import is what Graph said (the next import supersedes it).
        Entry::Redemption { .. } | Entry::KeylessRedemption { .. } | Entry::GraphImport { .. } => {
            if note.is_none() {
                return Err(at(RefusalCode::CorrectionNoteRequired));
            }
            Undo::Nothing
        }
        Entry::Activation {
            key_fingerprint,
            counted,
            ..
        } => Undo::Activation {
            key_fingerprint: key_fingerprint.clone(),
            counted: *counted,
        },
        Entry::CreditAssign { benefit, .. }
        | Entry::CreditRemove { benefit, .. }
        | Entry::CreditTransfer { benefit, .. } => {
            let latest = ctx.portfolio.corrections.latest_credit_change(benefit);
            if latest != Some(seq) {
                let mut r = at(RefusalCode::NotTheLatestCreditChange);
                if let Some(latest) = latest {
                    r = r.with(Param::Other, entry_label(latest));
                }
                return Err(r);
            }
            let (_, c) = credit(ctx, benefit)?;
            match corrected {
                // An assignment is planned only on an unassigned credit.
                Entry::CreditAssign { .. } => Undo::Credit {
                    assigned_to: None,
                    reassignments: c.reassignments,
                },
                Entry::CreditRemove { from, .. } | Entry::CreditTransfer { from, .. } => {
                    Undo::Credit {
                        assigned_to: Some(from.clone()),
                        reassignments: c.reassignments.saturating_sub(1),
                    }
                }
                _ => unreachable!("a credit change"),
            }
        }
        Entry::Correction { .. } => unreachable!("refused above"),
    };
    Ok(Entry::Correction {
        corrects: seq,
        corrected_op: corrected.op().to_string(),
        benefit: corrected.benefit().to_string(),
        reason: reason.to_string(),
        note: note.map(str::to_string),
        undo,
        date: ctx.today,
        user: ctx.user.email.clone(),
    })
}
