//! What the three dialog machines do alike: how Cancel is settled, and moving a choice.

use crate::domain::Refusal;

/// A dialog's steps, as far as Cancel needs to know them.
pub(super) trait DialogStep: Sized {
    const CANCELLED: Self;
    fn is_committing(&self) -> bool;
}

/// Every dialog's steps have `Cancelled` and `Committing { .. }`.
macro_rules! dialog_steps {
    ($($step:ty),*) => {$(
        impl DialogStep for $step {
            const CANCELLED: Self = Self::Cancelled;
            fn is_committing(&self) -> bool {
                matches!(self, Self::Committing { .. })
            }
        }
    )*};
}

dialog_steps!(super::ActivationStep, super::CreditStep, super::Step);

/// Takes the step an intent starts from out of `slot` (which holds `CANCELLED` meanwhile).
/// Cancel is settled here: it closes the dialog and clears the refusal, except while the
/// write is under way, whose result decides what comes next. `None`: the intent was Cancel.
pub(super) fn take_step<S: DialogStep>(
    slot: &mut S,
    error: &mut Option<Refusal>,
    cancel: bool,
) -> Option<S> {
    let step = std::mem::replace(slot, S::CANCELLED);
    if !cancel {
        return Some(step);
    }
    if step.is_committing() {
        *slot = step;
    } else {
        *error = None;
    }
    None
}

/// `i` moved by `d` in `0..len`, wrapping around (0 when empty).
pub(super) fn wrap(i: usize, d: i32, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let len = len as i64;
    (i as i64 + i64::from(d)).rem_euclid(len) as usize
}

/// The choice `d` places after (negative: before) `current` in `all`, wrapping around.
pub(super) fn step_wrapping<T: Copy + PartialEq>(all: &[T], current: T, d: i32) -> T {
    let i = all.iter().position(|x| *x == current).unwrap_or(0);
    all[wrap(i, d, all.len())]
}
