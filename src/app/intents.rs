//! Commands into the intents of the dialogs. The dialogs are the core's pure machines
//! (`redeem`); the app holds no dialog logic of its own, only what each key means to the
//! machine at its current step.

use super::Command;
use crate::redeem::{
    ActivationDialog, ActivationIntent, ActivationStep, CreditDialog, CreditIntent, CreditStep,
    Intent, Step, TextEdit,
};

/// What a command asks of the redemption machine at its current step.
pub(super) fn redemption(step: &Step, c: Command) -> Option<Intent> {
    use Command as C;
    let committing = matches!(step, Step::Committing { .. });
    Some(match (step, c) {
        // The write is under way: its answer, not a key, moves the dialog on.
        _ if committing => return None,
        (_, C::Close) => Intent::Cancel,
        (Step::Receipt { .. }, C::Back | C::Confirm) => Intent::Back,
        (_, C::Back) => Intent::Back,
        (Step::Receipt { .. }, C::RedeemAnother) => Intent::RedeemAnother,
        (Step::EnterKey, C::Confirm) => Intent::Validate,
        (Step::EnterKey, C::Keyless) => Intent::Keyless,
        (Step::EnterKey, C::DeleteBack) => Intent::EditKey(TextEdit::Backspace),
        (Step::EnterKey, C::ClearField) => Intent::EditKey(TextEdit::Clear),
        (Step::ChooseTarget { .. }, C::Up) => Intent::MoveTarget(-1),
        (Step::ChooseTarget { .. }, C::Down) => Intent::MoveTarget(1),
        (Step::ChooseTarget { .. }, C::Confirm) => Intent::ChooseTarget,
        (Step::ConfirmTenant(_), C::Confirm) => Intent::ConfirmTenant,
        (Step::ConfirmTenant(_), C::DeleteBack) => Intent::EditConfirmation(TextEdit::Backspace),
        (Step::ConfirmTenant(_), C::ClearField) => Intent::EditConfirmation(TextEdit::Clear),
        (Step::ChooseMode(_), C::PrevChoice) => Intent::MoveMode(-1),
        (Step::ChooseMode(_), C::NextChoice) => Intent::MoveMode(1),
        (Step::ChooseMode(_), C::Confirm) => Intent::Review,
        (Step::ChooseMode(_) | Step::Review(_) | Step::KeylessReview(_), C::Explain) => {
            Intent::ToggleExplanation
        }
        (Step::Review(_) | Step::KeylessReview(_), C::Confirm) => Intent::Redeem,
        _ => return None,
    })
}

/// What a command asks of the activation machine: Enter reviews the form, then confirms.
pub(super) fn activation(d: &ActivationDialog, c: Command) -> Option<ActivationIntent> {
    use Command as C;
    Some(match c {
        C::NextField => ActivationIntent::Focus(1),
        C::PrevField => ActivationIntent::Focus(-1),
        C::NextChoice => ActivationIntent::Cycle(1),
        C::PrevChoice => ActivationIntent::Cycle(-1),
        C::DeleteBack => ActivationIntent::Edit(TextEdit::Backspace),
        C::ClearField => ActivationIntent::Edit(TextEdit::Clear),
        C::Confirm if matches!(d.step, ActivationStep::Edit) => ActivationIntent::Review,
        C::Confirm => ActivationIntent::Confirm,
        C::Back => ActivationIntent::Back,
        C::Close => ActivationIntent::Cancel,
        _ => return None,
    })
}

/// What a command asks of the credit machine: Enter reviews the choice, then confirms.
pub(super) fn credit(d: &CreditDialog, c: Command) -> Option<CreditIntent> {
    use Command as C;
    Some(match c {
        C::NextChoice => CreditIntent::MoveOp(1),
        C::PrevChoice => CreditIntent::MoveOp(-1),
        C::Up => CreditIntent::MoveUser(-1),
        C::Down => CreditIntent::MoveUser(1),
        C::Confirm if matches!(d.step, CreditStep::Choose) => CreditIntent::Review,
        C::Confirm => CreditIntent::Confirm,
        C::Back => CreditIntent::Back,
        C::Close => CreditIntent::Cancel,
        _ => return None,
    })
}
