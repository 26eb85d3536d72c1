//! The Azure credit dialog (`c` on the Cloud page) is the pure machine
//! `redeem::CreditDialog`; this only turns the app's actions into its intents.

use super::Action;
pub use crate::redeem::{CreditDialog, CreditIntent, CreditOp, CreditPreview, CreditStep};

/// The dialog's intent for a credit action (None: not one of its actions).
pub fn intent(d: &CreditDialog, action: Action) -> Option<CreditIntent> {
    Some(match action {
        Action::CreditOp(delta) => CreditIntent::MoveOp(delta.into()),
        Action::CreditUser(delta) => CreditIntent::MoveUser(delta.into()),
        // Enter: the choice goes to its review, the review confirms.
        Action::CreditConfirm if matches!(d.step, CreditStep::Choose) => CreditIntent::Review,
        Action::CreditConfirm => CreditIntent::Confirm,
        Action::CreditClose => CreditIntent::Back,
        _ => return None,
    })
}
