//! The software activation dialog (`a` on the Software page) is the pure machine
//! `redeem::ActivationDialog`; this only turns the app's actions into its intents.

use super::Action;
pub use crate::redeem::{ActivationDialog, ActivationField, ActivationIntent, ActivationStep};

/// The dialog's intent for an activation action (None: not one of its actions).
pub fn intent(d: &ActivationDialog, action: Action) -> Option<ActivationIntent> {
    Some(match action {
        Action::ActivationField(delta) => ActivationIntent::Focus(delta.into()),
        Action::ActivationCycle(delta) => ActivationIntent::Cycle(delta.into()),
        Action::ActivationEdit(edit) => ActivationIntent::Edit(edit),
        // Enter: the form goes to its review, the review confirms.
        Action::ActivationConfirm if matches!(d.step, ActivationStep::Edit) => {
            ActivationIntent::Review
        }
        Action::ActivationConfirm => ActivationIntent::Confirm,
        Action::ActivationClose => ActivationIntent::Back,
        _ => return None,
    })
}
