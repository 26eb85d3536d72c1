//! The redemption dialog's way without a key: from "Enter your product key", "Redeem
//! without a key" goes to the same target choice and tenant confirmation, then to one
//! review (no modes: the licenses are the benefit's not yet redeemed and the end date the
//! offer's), planned by `keyless::preview_keyless`, the plan without the role, so the
//! preview shows what the write would do or why not (the billing account, a license cap).

use super::{Choice, Effect, Intent, Redemption, Reviewed, Step};
use crate::domain::{Entry, Refusal};
use crate::redeem::keyless;
use crate::redeem::operation::Operation;
use crate::redeem::rules::{self, Ctx, TargetOption};

/// The confirmed target's keyless preview: the entry the write would make, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeylessChoice {
    pub choice: Choice,
    /// The benefit's id.
    pub benefit: String,
    pub preview: Result<Entry, Refusal>,
    /// "How is the end date calculated?" is open.
    pub explain: bool,
}

impl Redemption {
    /// The dialog for cloud benefit `benefit` on the way without a key, at the target
    /// choice (or at the refusal, on the key entry, when the benefit is not offered so).
    pub fn keyless_for(ctx: Ctx<'_>, benefit: usize) -> Self {
        let mut d = Self::for_benefit(ctx, benefit);
        d.update(ctx, Intent::Keyless);
        d
    }

    /// "Redeem without a key": refused in words for a benefit the dialog was not opened
    /// for, one not offered without a key, past its activate-by date or with nothing left.
    pub(super) fn start_keyless(&mut self, ctx: Ctx<'_>) -> (Step, Option<Effect>) {
        let Some(id) = self.benefit.clone() else {
            return (Step::EnterKey, None);
        };
        let started = keyless::check_benefit(ctx, &id)
            .and_then(|(cb, _)| keyless::licenses_left(cb).map(|_| cb));
        match started {
            Ok(cb) => {
                self.keyless = true;
                self.key = None;
                let targets = rules::targets(ctx, &cb.product);
                (
                    Step::ChooseTarget {
                        targets,
                        selected: 0,
                    },
                    None,
                )
            }
            Err(r) => {
                self.error = Some(r);
                (Step::EnterKey, None)
            }
        }
    }

    /// Whether the chosen target's tenant may redeem without a key; else the refusal.
    pub(super) fn keyless_tenant(&mut self, ctx: Ctx<'_>, target: Option<&TargetOption>) -> bool {
        let Some(t) = target else { return false };
        match keyless::check_tenant(ctx.portfolio, &t.tenant) {
            Ok(_) => true,
            Err(r) => {
                self.error = Some(r);
                false
            }
        }
    }

    /// The tenant confirmed: the review, with what the write would do or why not.
    pub(super) fn keyless_preview(
        &mut self,
        ctx: Ctx<'_>,
        choice: Choice,
    ) -> (Step, Option<Effect>) {
        let Some(benefit) = self.benefit.clone() else {
            return (Step::ConfirmTenant(choice), None);
        };
        let t = choice.target();
        let preview = keyless::preview_keyless(ctx, &benefit, &t.tenant, Some(&t.target()), None);
        let k = KeylessChoice {
            choice,
            benefit,
            preview,
            explain: false,
        };
        (Step::KeylessReview(k), None)
    }

    /// The review without a key: the explanation, Back, and Redeem, the only intent that
    /// leads to a write (refused in words when the preview is, or for a read-only user).
    pub(super) fn keyless_review(
        &mut self,
        ctx: Ctx<'_>,
        mut k: KeylessChoice,
        intent: Intent,
    ) -> (Step, Option<Effect>) {
        match intent {
            Intent::ToggleExplanation => {
                k.explain = !k.explain;
                (Step::KeylessReview(k), None)
            }
            Intent::Back => (Step::ConfirmTenant(k.choice), None),
            Intent::Redeem => {
                if let Err(r) = (k.preview.as_ref().map(|_| ()))
                    .map_err(Clone::clone)
                    .and_then(|()| rules::check_role(ctx.user))
                {
                    self.error = Some(r);
                    return (Step::KeylessReview(k), None);
                }
                let t = k.choice.target();
                let operation = Operation::RedeemKeyless {
                    benefit: k.benefit.clone(),
                    tenant: t.tenant.clone(),
                    target: t.target(),
                    location: None,
                };
                let effect = Some(Effect::Commit(operation.clone()));
                let review = Reviewed::Keyless(Box::new(k));
                (Step::Committing { operation, review }, effect)
            }
            _ => (Step::KeylessReview(k), None),
        }
    }
}
