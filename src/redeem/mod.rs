//! Redemption of cloud keys (rules and the dialog's state machine), software activations
//! and Azure credit assignment. Pure: state, user and today come in as `Ctx`.

pub mod credit;
pub mod machine;
pub mod rules;
pub mod software;

pub use machine::{CommitRequest, Effect, Intent, Redemption, Step, TextEdit};
pub use rules::{Ctx, TargetOption, ValidKey};

#[cfg(test)]
mod tests;
