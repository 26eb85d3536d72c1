//! Every write as a pure dialog machine — redemption of cloud keys, software activation,
//! Azure credit — and as one `Operation` with one `plan`. Pure: state, user and today come
//! in as `Ctx`.
//!
//! Each machine has the same shape: `update(&mut self, ctx, intent) -> Option<Effect>`,
//! steps that carry their data, total over every intent in every step, and the one effect,
//! `Effect::Commit(Operation)`, only from its confirmation step.

pub mod activation;
pub mod correction;
pub mod credit;
pub mod credit_dialog;
mod dialog;
mod edit;
pub mod keyless;
pub mod machine;
pub mod operation;
pub mod rules;
pub mod software;

pub use activation::{ActivationDialog, ActivationField, ActivationIntent, ActivationStep};
pub use credit_dialog::{CreditDialog, CreditIntent, CreditOp, CreditPreview, CreditStep};
pub use edit::{MAX_FIELD_LEN, TextEdit};
pub use machine::{Intent, Redemption, Step};
pub use operation::{Effect, Operation, Target};
pub use rules::{Ctx, TargetOption, ValidKey};

#[cfg(test)]
mod tests;
