//! The Azure credit dialog (`c` on the Cloud page): Assign, Remove or Transfer, with the user
//! picked from the credit tenant's directory. Pure state; `ui::credit` draws it and
//! `credit::plan_*` both previews (live) and decides (at the edge, in the store).

use super::Notice;
use crate::domain::{DirectoryUser, Entry, Refusal};
use crate::redeem::{Ctx, credit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditOp {
    Assign,
    Remove,
    Transfer,
}

impl CreditOp {
    pub const ALL: [CreditOp; 3] = [CreditOp::Assign, CreditOp::Remove, CreditOp::Transfer];
    pub fn label_id(self) -> &'static str {
        match self {
            CreditOp::Assign => "credit.assign",
            CreditOp::Remove => "credit.remove",
            CreditOp::Transfer => "credit.transfer",
        }
    }
    /// Remove needs no user.
    pub fn needs_user(self) -> bool {
        self != CreditOp::Remove
    }
}

/// What the edge must write: re-planned by `credit::plan_*` inside the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditRequest {
    pub benefit: String,
    pub op: CreditOp,
    /// The user to assign or transfer to (None for Remove).
    pub to: Option<String>,
}

impl CreditRequest {
    pub fn plan(&self, ctx: Ctx<'_>) -> Result<Entry, Refusal> {
        let to = self.to.as_deref().unwrap_or_default();
        match self.op {
            CreditOp::Assign => credit::plan_assign(ctx, &self.benefit, to),
            CreditOp::Remove => credit::plan_remove(ctx, &self.benefit),
            CreditOp::Transfer => credit::plan_transfer(ctx, &self.benefit, to),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditDialog {
    /// Index into the catalog's cloud benefits (an Azure credit).
    pub benefit: usize,
    pub op: CreditOp,
    /// Index into the credit tenant's directory users.
    pub user: usize,
    pub error: Option<Notice>,
    pub committing: bool,
}

impl CreditDialog {
    pub fn new(benefit: usize) -> Self {
        CreditDialog {
            benefit,
            op: CreditOp::Assign,
            user: 0,
            error: None,
            committing: false,
        }
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

    pub fn cycle_op(&mut self, delta: i8) {
        let n = CreditOp::ALL.len();
        let i = CreditOp::ALL
            .iter()
            .position(|o| *o == self.op)
            .unwrap_or(0);
        self.op = CreditOp::ALL[(i + n).wrapping_add_signed(delta.into()) % n];
        self.error = None;
    }

    pub fn move_user(&mut self, delta: i8, users: usize) {
        self.user = self
            .user
            .saturating_add_signed(delta.into())
            .min(users.saturating_sub(1));
        self.error = None;
    }

    pub fn request(&self, ctx: Ctx<'_>) -> CreditRequest {
        let to = self
            .op
            .needs_user()
            .then(|| self.users(ctx).get(self.user).map(|u| u.email.clone()))
            .flatten();
        CreditRequest {
            benefit: ctx.portfolio.cloud(self.benefit).id.clone(),
            op: self.op,
            to,
        }
    }

    /// Enter: the request when the plan holds, else the reason (kept in the dialog).
    pub fn confirm(&mut self, ctx: Ctx<'_>) -> Option<CreditRequest> {
        if self.committing {
            return None;
        }
        let req = self.request(ctx);
        if let Err(r) = req.plan(ctx) {
            self.error = Some(Notice::Refused(r));
            return None;
        }
        self.error = None;
        self.committing = true;
        Some(req)
    }
}
