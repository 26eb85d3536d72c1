//! Catalog types, product keys, subscription lifecycle, ledger entries and the fold
//! of both into current state. Pure: no clock, no files, no terminal.

#[macro_use]
mod code_enum;

pub mod attention;
pub mod calendar;
pub mod caps;
pub mod correction;
pub mod date_field;
pub mod key;
pub mod ledger;
pub mod list_field;
pub mod model;
pub mod observation;
pub mod portfolio;
pub mod refusal;
pub mod status;
pub mod summary;
pub mod text;
pub mod text_field;

pub use key::{KeyFormatError, ProductKey};
pub use ledger::{Entry, MachineChange, Mode, Os, Target, Totals};
pub use model::*;
pub use portfolio::{BenefitRef, KeyRef, LedgerMismatch, Portfolio};
pub use refusal::{Param, Refusal, RefusalCode, Value};
pub use status::{SubscriptionStatus, lifecycle_status};
