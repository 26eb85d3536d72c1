//! One operation, one plan. The dashboard's machines, `serve` and the CLI all describe a
//! write as an `Operation`; `plan` decides it against a state, and the store calls the same
//! `plan` again inside its write transaction, so a stale screen never writes what the
//! freshest ledger would refuse.

use super::rules::{self, Ctx};
use super::{correction, credit, software};
use crate::domain::{Entry, MachineChange, Mode, Os, ProductKey, Refusal};

/// Where a redeemed key goes on its tenant: a new subscription, or an existing one by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    New,
    Existing(String),
}

impl Target {
    /// The subscription id, when the target is an existing subscription.
    pub fn existing(&self) -> Option<&str> {
        match self {
            Target::New => None,
            Target::Existing(id) => Some(id),
        }
    }
}

/// A write, as every edge asks for it. Keys are held whole only until the plan: the entry
/// it yields holds them masked and fingerprinted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Redeem a cloud key on a tenant (tenant id or domain) in one mode, for a location of
    /// the organization (none: the tenant's, else the headquarters).
    Redeem {
        key: ProductKey,
        tenant: String,
        target: Target,
        mode: Mode,
        location: Option<String>,
    },
    /// Record a software activation of `key` on `machine`.
    Activate {
        key: ProductKey,
        machine: String,
        change: MachineChange,
        os: Os,
    },
    /// Give an unassigned Azure credit (benefit id) to a directory user.
    CreditAssign { benefit: String, to: String },
    /// Take a monthly Azure credit from its user.
    CreditRemove { benefit: String },
    /// Move an Azure credit from its user to another.
    CreditTransfer { benefit: String, to: String },
    /// Void ledger entry `seq` (`entry`, as read from the ledger), or record what was done
    /// about a redemption (`note`). See `domain::correction`.
    Correct {
        seq: i64,
        entry: Box<Entry>,
        reason: String,
        note: Option<String>,
    },
    /// Redeem a keyless benefit's licenses on a tenant under the MCA billing account.
    RedeemKeyless {
        benefit: String,
        tenant: String,
        target: Target,
        location: Option<String>,
    },
    /// Record what Microsoft Graph reported (`--tenant`: every record is of that tenant).
    ImportGraph(crate::graph::matching::Import),
}

impl Operation {
    /// Every rule at once, against `ctx`: the ledger entry to write, or why not.
    pub fn plan(&self, ctx: Ctx<'_>) -> Result<Entry, Refusal> {
        match self {
            Operation::Redeem {
                key,
                tenant,
                target,
                mode,
                location,
            } => rules::plan_redemption_at(
                ctx,
                key,
                tenant,
                Some(target),
                *mode,
                location.as_deref(),
            ),
            Operation::Activate {
                key,
                machine,
                change,
                os,
            } => software::plan_activation(ctx, key, machine, *change, *os),
            Operation::CreditAssign { benefit, to } => credit::plan_assign(ctx, benefit, to),
            Operation::CreditRemove { benefit } => credit::plan_remove(ctx, benefit),
            Operation::CreditTransfer { benefit, to } => credit::plan_transfer(ctx, benefit, to),
            Operation::Correct {
                seq,
                entry,
                reason,
                note,
            } => correction::plan_correction(ctx, *seq, entry, reason, note.as_deref()),
            Operation::RedeemKeyless {
                benefit,
                tenant,
                target,
                location,
            } => super::keyless::plan_keyless(
                ctx,
                benefit,
                tenant,
                Some(target),
                location.as_deref(),
            ),
            Operation::ImportGraph(import) => {
                rules::check_role(ctx.user)?;
                import.plan(ctx.portfolio, ctx.today, &ctx.user.email)
            }
        }
    }

    /// The product key this operation spends or counts against, if any.
    pub fn key(&self) -> Option<&ProductKey> {
        match self {
            Operation::Redeem { key, .. } | Operation::Activate { key, .. } => Some(key),
            _ => None,
        }
    }
}

/// What a dialog machine asks of the edge. The only effect is a write, and a machine emits
/// it only from its confirmation step; the edge answers with the machine's `Committed` or
/// `CommitFailed` intent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Commit(Operation),
}
