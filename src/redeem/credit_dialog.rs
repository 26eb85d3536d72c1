//! The Azure credit dialog as a pure, total machine: Assign, Remove or Transfer, the user
//! picked from the credit tenant's directory, a review of the holder before → after and the
//! reassignments used, then confirm. `credit::plan_*` decides both the live preview and
//! (through the `Operation`) the write.

use super::credit;
use super::dialog::{step_wrapping, take_step};
use super::operation::{Effect, Operation};
use super::rules::{Ctx, check_role};
use crate::domain::{CreditPeriod, DirectoryUser, Entry, MAX_MONTHLY_REASSIGNMENTS, Refusal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum CreditOp {
    Assign,
    Remove,
    Transfer,
}

impl CreditOp {
    pub const ALL: &'static [CreditOp] = <Self as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// "credit.assign", "credit.remove", "credit.transfer".
    pub fn label_id(self) -> String {
        format!("credit.{}", self.as_str())
    }

    /// Remove needs no user.
    pub fn needs_user(self) -> bool {
        self != CreditOp::Remove
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditIntent {
    /// The next (positive) or previous operation, wrapping around.
    MoveOp(i32),
    /// The highlighted directory user (negative: up), clamped to the list.
    MoveUser(i32),
    /// From the choice to the review, when the plan holds.
    Review,
    /// On the review: the only intent that leads to a write.
    Confirm,
    Committed(Entry),
    CommitFailed(Refusal),
    /// One step back: review → choice, choice → closed; while committing, the edge could
    /// not write (not a rule): back to the review, nothing written.
    Back,
    Cancel,
}

/// What the change does, as the review shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditPreview {
    /// The email holding the credit before and after.
    pub holder_before: Option<String>,
    pub holder_after: Option<String>,
    /// Monthly credit: reassignments made before and after, of `max`; None for bulk.
    pub reassignments: Option<(u32, u32)>,
    pub max: u32,
    /// The entry to write.
    pub entry: Entry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditStep {
    /// Choosing the operation and the user.
    Choose,
    Review(CreditPreview),
    Committing {
        operation: Operation,
        preview: CreditPreview,
    },
    Done {
        entry: Entry,
    },
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditDialog {
    /// Index into the catalog's cloud benefits (an Azure credit).
    pub benefit: usize,
    pub op: CreditOp,
    /// Index into the credit tenant's directory users.
    pub user: usize,
    pub step: CreditStep,
    /// Why the last intent did not go through; the dialog stays open.
    pub error: Option<Refusal>,
}

impl CreditDialog {
    pub fn new(benefit: usize) -> Self {
        CreditDialog {
            benefit,
            op: CreditOp::Assign,
            user: 0,
            step: CreditStep::Choose,
            error: None,
        }
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.step, CreditStep::Cancelled)
    }

    /// On the review: the next Enter writes.
    pub fn is_reviewing(&self) -> bool {
        matches!(self.step, CreditStep::Review(_))
    }

    pub fn is_committing(&self) -> bool {
        matches!(self.step, CreditStep::Committing { .. })
    }

    /// The operations the credit offers: bulk credit has no Remove (only transfer).
    pub fn ops(&self, ctx: Ctx<'_>) -> Vec<CreditOp> {
        let bulk = (ctx.portfolio.cloud(self.benefit).credit.as_ref())
            .is_some_and(|c| c.period == CreditPeriod::Bulk);
        (CreditOp::ALL.iter().copied())
            .filter(|op| !(bulk && *op == CreditOp::Remove))
            .collect()
    }

    /// The credit tenant's directory.
    pub fn users<'a>(&self, ctx: Ctx<'a>) -> &'a [DirectoryUser] {
        ctx.portfolio
            .cloud(self.benefit)
            .credit
            .as_ref()
            .and_then(|c| ctx.portfolio.tenant(&c.tenant))
            .map(|t| t.users.as_slice())
            .unwrap_or_default()
    }

    /// What the choice asks for, as an operation.
    pub fn operation(&self, ctx: Ctx<'_>) -> Operation {
        let benefit = ctx.portfolio.cloud(self.benefit).id.clone();
        let to = || {
            self.users(ctx)
                .get(self.user)
                .map(|u| u.email.clone())
                .unwrap_or_default()
        };
        match self.op {
            CreditOp::Assign => Operation::CreditAssign { benefit, to: to() },
            CreditOp::Remove => Operation::CreditRemove { benefit },
            CreditOp::Transfer => Operation::CreditTransfer { benefit, to: to() },
        }
    }

    /// The live preview of the choice against `ctx`: what it changes, or why it is refused.
    /// It leaves out the role: a read-only user previews too, and only Confirm is refused.
    pub fn preview(&self, ctx: Ctx<'_>) -> Result<CreditPreview, Refusal> {
        let entry = match self.operation(ctx) {
            Operation::CreditAssign { benefit, to } => credit::preview_assign(ctx, &benefit, &to),
            Operation::CreditRemove { benefit } => credit::preview_remove(ctx, &benefit),
            Operation::CreditTransfer { benefit, to } => {
                credit::preview_transfer(ctx, &benefit, &to)
            }
            other => other.plan(ctx),
        }?;
        let c = ctx.portfolio.cloud(self.benefit).credit.as_ref();
        let holder_before = c.and_then(|c| c.assigned_to.clone());
        let holder_after = match &entry {
            Entry::CreditAssign { to, .. } | Entry::CreditTransfer { to, .. } => Some(to.clone()),
            _ => None,
        };
        let reassignments = c.filter(|c| c.period == CreditPeriod::Monthly).map(|c| {
            let made = c.reassignments_made();
            let reassigns = match &entry {
                Entry::CreditTransfer { .. } => true,
                Entry::CreditAssign { .. } => c.assigning_reassigns(),
                _ => false,
            };
            (made, made + u32::from(reassigns))
        });
        Ok(CreditPreview {
            holder_before,
            holder_after,
            reassignments,
            max: MAX_MONTHLY_REASSIGNMENTS,
            entry,
        })
    }

    /// Total: every step answers every intent; intents that do not apply leave it as is.
    pub fn update(&mut self, ctx: Ctx<'_>, intent: CreditIntent) -> Option<Effect> {
        use CreditIntent as I;
        use CreditStep as S;
        let step = take_step(&mut self.step, &mut self.error, intent == I::Cancel)?;
        self.error = None;
        let (next, effect) = match (step, intent) {
            (S::Choose, I::MoveOp(d)) => {
                self.op = step_wrapping(&self.ops(ctx), self.op, d);
                (S::Choose, None)
            }
            (S::Choose, I::MoveUser(d)) => {
                let last = self.users(ctx).len().saturating_sub(1) as i64;
                self.user = (self.user as i64 + i64::from(d)).clamp(0, last) as usize;
                (S::Choose, None)
            }
            (S::Choose, I::Review) => match self.preview(ctx) {
                Ok(p) => (S::Review(p), None),
                Err(r) => {
                    self.error = Some(r);
                    (S::Choose, None)
                }
            },
            (S::Choose, I::Back) => (S::Cancelled, None),

            (S::Review(preview), I::Confirm) if let Err(r) = check_role(ctx.user) => {
                self.error = Some(r);
                (S::Review(preview), None)
            }
            (S::Review(preview), I::Confirm) => {
                let operation = self.operation(ctx);
                (
                    S::Committing {
                        operation: operation.clone(),
                        preview,
                    },
                    Some(Effect::Commit(operation)),
                )
            }
            (S::Review(_), I::Back) => (S::Choose, None),

            (S::Committing { .. }, I::Committed(entry)) => (S::Done { entry }, None),
            (S::Committing { preview, .. }, I::CommitFailed(r)) => {
                self.error = Some(r);
                (S::Review(preview), None)
            }
            (S::Committing { preview, .. }, I::Back) => (S::Review(preview), None),

            (S::Done { .. }, I::Back | I::Confirm) => (S::Cancelled, None),

            (step, _) => (step, None),
        };
        self.step = next;
        effect
    }
}
