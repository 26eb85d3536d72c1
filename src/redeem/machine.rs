//! The redemption dialog as a pure, total state machine. Events are user intents (never
//! key codes), so the dashboard, an SSH session and tests drive the same machine. The only
//! way out to the world is `Effect::Commit`, emitted by `Redeem` on the review step.

use super::dialog::take_step;
pub use super::edit::{MAX_FIELD_LEN, TextEdit};
pub use super::operation::Effect;
use super::operation::Operation;
use super::rules::{self, Ctx, TargetOption, ValidKey};
use crate::domain::{Entry, Mode, ProductKey, Refusal, Target};
use crate::licensing::Outcome;

mod keyless;
pub use keyless::KeylessChoice;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    EditKey(TextEdit),
    Validate,
    /// Move the highlighted target (negative: up).
    MoveTarget(i32),
    ChooseTarget,
    EditConfirmation(TextEdit),
    ConfirmTenant,
    MoveMode(i32),
    SelectMode(Mode),
    ToggleExplanation,
    /// From the mode choice to "Review order details" for the selected mode.
    Review,
    /// Confirm: the only intent that leads to a write.
    Redeem,
    /// The edge reports the write: done, or refused (e.g. another process won the key).
    Committed(Entry),
    CommitFailed(Refusal),
    Back,
    Cancel,
    /// From the receipt: start over with an empty key.
    RedeemAnother,
    /// "Redeem without a key" instead of entering one: the benefit's keyless redemption.
    Keyless,
}

pub use super::rules::Previews;

/// The target picked so far and the tenant domain typed to confirm it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub targets: Vec<TargetOption>,
    pub selected: usize,
    pub typed: String,
}

impl Choice {
    pub fn target(&self) -> &TargetOption {
        &self.targets[self.selected]
    }
}

/// Every mode previewed for the confirmed target, the highlighted mode, and whether
/// "How is the end date calculated?" is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeChoice {
    pub choice: Choice,
    pub previews: Previews,
    pub mode: Mode,
    pub explain: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    EnterKey,
    ChooseTarget {
        targets: Vec<TargetOption>,
        selected: usize,
    },
    ConfirmTenant(Choice),
    ChooseMode(ModeChoice),
    Review(ModeChoice),
    /// "Review order details" of a redemption without a key: one way, no modes.
    KeylessReview(KeylessChoice),
    /// `Redeem` sent `operation` to the edge; its answer decides what comes next.
    Committing {
        operation: Operation,
        review: Reviewed,
    },
    Receipt {
        entry: Entry,
    },
    Cancelled,
}

/// The review a write was confirmed from, to go back to when the edge refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reviewed {
    Modes(ModeChoice),
    Keyless(Box<KeylessChoice>),
}

impl Reviewed {
    pub fn choice(&self) -> &Choice {
        match self {
            Reviewed::Modes(m) => &m.choice,
            Reviewed::Keyless(k) => &k.choice,
        }
    }

    fn into_step(self) -> Step {
        match self {
            Reviewed::Modes(m) => Step::Review(m),
            Reviewed::Keyless(k) => Step::KeylessReview(*k),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    pub step: Step,
    pub key_input: String,
    pub key: Option<ValidKey>,
    /// The last refusal; shown in the dialog, which stays open.
    pub error: Option<Refusal>,
    /// Set when the dialog was opened for one benefit: a key for another product is refused.
    pub expected_product: Option<String>,
    /// Keys redeemed through this dialog, to tell "already entered" from "already used".
    pub entered: Vec<ProductKey>,
    /// Opened for a benefit past its activate-by date: said at once, and no key is taken.
    pub expired: Option<Refusal>,
    /// The key was picked from a list, not typed: stepping back empties the field rather
    /// than show a key the user may not view.
    pub picked: bool,
    /// Tenants confirmed by their typed domain in this dialog (tenant id, what was typed):
    /// "Redeem another key" on the same tenant does not ask again.
    pub confirmed: Vec<(String, String)>,
    /// The benefit (id) the dialog was opened for, if one.
    pub benefit: Option<String>,
    /// On the way without a key ("Redeem without a key"), not with one.
    pub keyless: bool,
}

impl Redemption {
    pub fn new(expected_product: Option<String>) -> Self {
        Self {
            step: Step::EnterKey,
            key_input: String::new(),
            key: None,
            error: None,
            expected_product,
            entered: Vec::new(),
            expired: None,
            picked: false,
            confirmed: Vec::new(),
            benefit: None,
            keyless: false,
        }
    }

    /// The dialog for the license-based benefit `benefit`: only its keys are taken, and
    /// when its activate-by date has passed the dialog says so before anything is typed.
    pub fn for_benefit(ctx: Ctx<'_>, benefit: usize) -> Self {
        let b = ctx.portfolio.cloud(benefit);
        let mut d = Self::new(Some(b.product.clone()));
        d.expired = rules::check_activate_by(b.activate_by, ctx.today).err();
        d.benefit = Some(b.id.clone());
        d
    }

    /// The dialog for `benefit` with `key` (picked from a list, never retyped) validated:
    /// it opens on choosing the target, or on the refusal when the key cannot be redeemed.
    pub fn for_key(ctx: Ctx<'_>, benefit: usize, key: &ProductKey) -> Self {
        let mut d = Self::for_benefit(ctx, benefit);
        if d.expired.is_none() {
            d.key_input = key.formatted();
            d.picked = true;
            d.update(ctx, Intent::Validate);
            if matches!(d.step, Step::EnterKey) {
                d.key_input.clear();
                d.picked = false;
            }
        }
        d
    }

    /// Unsaved input exists: quitting should ask first.
    pub fn has_input(&self) -> bool {
        !matches!(self.step, Step::Receipt { .. } | Step::Cancelled) && !self.key_input.is_empty()
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.step, Step::Cancelled)
    }

    /// Live format feedback for the key field (None while it is empty).
    pub fn key_feedback(&self) -> Option<Result<ProductKey, crate::domain::KeyFormatError>> {
        (!self.key_input.trim().is_empty()).then(|| ProductKey::parse(&self.key_input))
    }

    /// Total: every step answers every intent; intents that do not apply leave the state as is.
    pub fn update(&mut self, ctx: Ctx<'_>, intent: Intent) -> Option<Effect> {
        let step = take_step(&mut self.step, &mut self.error, intent == Intent::Cancel)?;
        let (next, effect) = self.transition(ctx, step, intent);
        self.step = next;
        effect
    }

    fn transition(&mut self, ctx: Ctx<'_>, step: Step, intent: Intent) -> (Step, Option<Effect>) {
        use Intent as I;
        use Step as S;
        // Every intent that moves the dialog clears the last refusal; a new one may replace it.
        let keeps_error = matches!(intent, I::ToggleExplanation);
        if !keeps_error {
            self.error = None;
        }
        match (step, intent) {
            (S::EnterKey, I::EditKey(_) | I::Validate | I::Keyless) if self.expired.is_some() => {
                self.error = self.expired.clone();
                (S::EnterKey, None)
            }
            (S::EnterKey, I::EditKey(edit)) => {
                edit.apply(&mut self.key_input);
                (S::EnterKey, None)
            }
            (S::EnterKey, I::Validate) => {
                match rules::preview_cloud_key(
                    ctx,
                    &self.key_input,
                    self.expected_product.as_deref(),
                ) {
                    Ok(valid) => {
                        let targets = rules::targets(ctx, &valid.product);
                        self.key = Some(valid);
                        (
                            S::ChooseTarget {
                                targets,
                                selected: 0,
                            },
                            None,
                        )
                    }
                    Err(mut r) => {
                        if r.code == crate::domain::RefusalCode::KeyAlreadyRedeemed
                            && let Ok(k) = ProductKey::parse(&self.key_input)
                            && self.entered.contains(&k)
                        {
                            r.code = crate::domain::RefusalCode::KeyAlreadyEntered;
                        }
                        self.error = Some(r);
                        (S::EnterKey, None)
                    }
                }
            }
            (S::EnterKey, I::Keyless) => self.start_keyless(ctx),
            (S::EnterKey, I::Back) => (S::Cancelled, None),

            (S::ChooseTarget { targets, selected }, I::MoveTarget(d)) => {
                let selected = step_index(selected, d, targets.len());
                (S::ChooseTarget { targets, selected }, None)
            }
            (S::ChooseTarget { targets, selected }, I::ChooseTarget)
                if self.keyless && !self.keyless_tenant(ctx, targets.get(selected)) =>
            {
                (S::ChooseTarget { targets, selected }, None)
            }
            (S::ChooseTarget { targets, selected }, I::ChooseTarget) => {
                let tenant = targets.get(selected).map(|t| t.tenant.clone());
                let before = (self.confirmed.iter())
                    .find(|(t, _)| Some(t) == tenant.as_ref())
                    .map(|(_, typed)| typed.clone());
                let typed = before.clone().unwrap_or_default();
                let c = Choice {
                    targets,
                    selected,
                    typed,
                };
                match before {
                    Some(_) => self.confirm(ctx, c),
                    None => (S::ConfirmTenant(c), None),
                }
            }
            (S::ChooseTarget { .. }, I::Back) => {
                self.key = None;
                self.keyless = false;
                if std::mem::take(&mut self.picked) {
                    self.key_input.clear();
                }
                (S::EnterKey, None)
            }

            (S::ConfirmTenant(mut c), I::EditConfirmation(edit)) => {
                edit.apply(&mut c.typed);
                (S::ConfirmTenant(c), None)
            }
            (S::ConfirmTenant(c), I::ConfirmTenant) => self.confirm(ctx, c),
            (S::ConfirmTenant(c), I::Back) => (
                S::ChooseTarget {
                    targets: c.targets,
                    selected: c.selected,
                },
                None,
            ),

            (S::ChooseMode(mut m), I::MoveMode(d)) => {
                let i = Mode::ALL.iter().position(|x| *x == m.mode).unwrap_or(0);
                m.mode = Mode::ALL[step_index(i, d, Mode::ALL.len())];
                (S::ChooseMode(m), None)
            }
            (S::ChooseMode(mut m), I::SelectMode(mode)) => {
                m.mode = mode;
                (S::ChooseMode(m), None)
            }
            (S::ChooseMode(mut m), I::ToggleExplanation) => {
                m.explain = !m.explain;
                (S::ChooseMode(m), None)
            }
            (S::ChooseMode(m), I::Review) => match outcome_of(&m.previews, m.mode) {
                Ok(_) => (S::Review(m), None),
                Err(r) => {
                    self.error = Some(r);
                    (S::ChooseMode(m), None)
                }
            },
            (S::ChooseMode(m), I::Back) => (S::ConfirmTenant(m.choice), None),

            (S::Review(mut m), I::ToggleExplanation) => {
                m.explain = !m.explain;
                (S::Review(m), None)
            }
            (S::Review(m), I::Redeem) => {
                // A read-only user previews everything; only the write is refused.
                if let Err(r) = rules::check_role(ctx.user) {
                    self.error = Some(r);
                    return (S::Review(m), None);
                }
                let key = self
                    .key
                    .as_ref()
                    .expect("a validated key precedes the review");
                let target = m.choice.target();
                let operation = Operation::Redeem {
                    key: key.key.clone(),
                    tenant: target.tenant.clone(),
                    target: target.target(),
                    mode: m.mode,
                    location: None,
                };
                (
                    S::Committing {
                        operation: operation.clone(),
                        review: Reviewed::Modes(m),
                    },
                    Some(Effect::Commit(operation)),
                )
            }
            (S::Review(m), I::Back) => (S::ChooseMode(m), None),
            (S::KeylessReview(k), intent) => self.keyless_review(ctx, k, intent),

            (S::Committing { operation, .. }, I::Committed(entry)) => {
                self.entered.extend(operation.key().cloned());
                (S::Receipt { entry }, None)
            }
            (S::Committing { review, .. }, I::CommitFailed(r)) => {
                self.error = Some(r);
                (review.into_step(), None)
            }
            // The edge could not write (not a rule): back to the review, nothing written.
            (S::Committing { review, .. }, I::Back) => (review.into_step(), None),

            (S::Receipt { .. }, I::RedeemAnother) => {
                self.key_input.clear();
                self.keyless = false;
                self.picked = false;
                self.key = None;
                (S::EnterKey, None)
            }
            (S::Receipt { .. }, I::Back) => (S::Cancelled, None),

            // Everything else leaves the state as it is.
            (step, _) => (step, None),
        }
    }

    /// The typed domain checked against the chosen target: on to the modes, remembering
    /// the tenant as confirmed, or the refusal.
    fn confirm(&mut self, ctx: Ctx<'_>, c: Choice) -> (Step, Option<Effect>) {
        if let Err(r) = rules::check_tenant_confirmation(c.target(), &c.typed) {
            self.error = Some(r);
            return (Step::ConfirmTenant(c), None);
        }
        let tenant = &c.target().tenant;
        if !self.confirmed.iter().any(|(t, _)| t == tenant) {
            self.confirmed.push((tenant.clone(), c.typed.clone()));
        }
        if self.keyless {
            return self.keyless_preview(ctx, c);
        }
        let key = self
            .key
            .as_ref()
            .expect("a validated key precedes the target");
        let previews = rules::preview_within_caps(ctx, key, c.target());
        let mode = first_allowed(&previews);
        let m = ModeChoice {
            choice: c,
            previews,
            mode,
            explain: false,
        };
        (Step::ChooseMode(m), None)
    }

    /// The target highlighted or chosen so far, if the dialog got that far.
    pub fn target(&self) -> Option<&TargetOption> {
        match &self.step {
            Step::ChooseTarget { targets, selected } => targets.get(*selected),
            Step::ConfirmTenant(c) => Some(c.target()),
            Step::ChooseMode(m) | Step::Review(m) => Some(m.choice.target()),
            Step::KeylessReview(k) => Some(k.choice.target()),
            Step::Committing { review, .. } => Some(review.choice().target()),
            _ => None,
        }
    }
}

fn step_index(i: usize, d: i32, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (i as i64 + i64::from(d)).clamp(0, len as i64 - 1) as usize
}

fn first_allowed(previews: &Previews) -> Mode {
    previews
        .iter()
        .find(|(_, r)| r.is_ok())
        .or_else(|| previews.first())
        .map(|(m, _)| *m)
        .unwrap_or(Mode::Activate)
}

pub fn outcome_of(previews: &Previews, mode: Mode) -> Result<&Outcome, Refusal> {
    match previews.iter().find(|(m, _)| *m == mode) {
        Some((_, Ok(o))) => Ok(o),
        Some((_, Err(r))) => Err(r.clone()),
        None => Err(Refusal::new(crate::domain::RefusalCode::ModeNotApplicable)),
    }
}

/// The target of a receipt, for display.
pub fn receipt_target(entry: &Entry) -> Option<&Target> {
    match entry {
        Entry::Redemption { target, .. } | Entry::KeylessRedemption { target, .. } => Some(target),
        _ => None,
    }
}
