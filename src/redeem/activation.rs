//! The software activation dialog as a pure, total machine: pick the key, type the machine
//! name, choose the kind of change and the OS, review activations used before → after,
//! confirm. One field has focus, `focus`; typing goes into it and nowhere else, and the
//! screen marks it. `software::plan_activation` decides both the live preview and (through
//! `Operation::Activate`) the write.

use super::dialog::{step_wrapping, take_step, wrap};
use super::edit::TextEdit;
use super::operation::{Effect, Operation};
use super::rules::{Ctx, check_role};
use crate::domain::{Entry, MachineChange, Os, Refusal};

/// The dialog's fields, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray)]
pub enum ActivationField {
    Key,
    Machine,
    Change,
    Os,
}

impl ActivationField {
    pub const ALL: &'static [ActivationField] = <Self as strum::VariantArray>::VARIANTS;

    /// The one text field; the others are choices changed with `Cycle`.
    pub fn is_text(self) -> bool {
        self == ActivationField::Machine
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivationIntent {
    /// Move the focus to the next (positive) or previous field, wrapping around.
    Focus(i32),
    /// Change the focused choice (key, kind of change, OS).
    Cycle(i32),
    /// Type into the focused field; ignored unless it is the machine name.
    Edit(TextEdit),
    /// From the form to the review, when the plan holds.
    Review,
    /// On the review: the only intent that leads to a write.
    Confirm,
    Committed(Entry),
    CommitFailed(Refusal),
    /// One step back: review → form, form → closed; while committing, the edge could not
    /// write (not a rule): back to the review, nothing written.
    Back,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivationStep {
    /// The form, with the focus in `ActivationDialog::focus`.
    Edit,
    /// Before → after as planned now (`Entry::Activation`), waiting for Confirm.
    Review {
        entry: Entry,
    },
    Committing {
        operation: Operation,
        entry: Entry,
    },
    /// The edge wrote it.
    Done {
        entry: Entry,
    },
    Cancelled,
}

/// Activations used and allowed on the chosen key, and what this install would do: the
/// entry to write (its `used_after` is the count after), or why it is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationPreview {
    pub used: u32,
    pub allowed: u32,
    pub plan: Result<Entry, Refusal>,
}

impl ActivationPreview {
    /// Activations used after this install; none when the plan refuses (at the maximum the
    /// preview refuses rather than count past what the key allows).
    pub fn after(&self) -> Option<u32> {
        match &self.plan {
            Ok(Entry::Activation { used_after, .. }) => Some(*used_after),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationDialog {
    /// Index into the catalog's software benefits.
    pub benefit: usize,
    /// Index into that benefit's keys.
    pub key: usize,
    pub machine: String,
    pub change: MachineChange,
    pub os: Os,
    /// The one field with focus: typing goes here, the screen marks it.
    pub focus: ActivationField,
    pub step: ActivationStep,
    /// Why the last intent did not go through; the dialog stays open.
    pub error: Option<Refusal>,
}

impl ActivationDialog {
    pub fn new(benefit: usize) -> Self {
        ActivationDialog {
            benefit,
            key: 0,
            machine: String::new(),
            change: MachineChange::New,
            os: Os::Windows,
            focus: ActivationField::Key,
            step: ActivationStep::Edit,
            error: None,
        }
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.step, ActivationStep::Cancelled)
    }

    /// On the review: the next Enter writes.
    pub fn is_reviewing(&self) -> bool {
        matches!(self.step, ActivationStep::Review { .. })
    }

    pub fn is_committing(&self) -> bool {
        matches!(self.step, ActivationStep::Committing { .. })
    }

    /// Typed input would be lost by quitting.
    pub fn has_input(&self) -> bool {
        !matches!(
            self.step,
            ActivationStep::Done { .. } | ActivationStep::Cancelled
        ) && !self.machine.is_empty()
    }

    /// Whether typing goes into a text field now (`q` then types rather than quits).
    pub fn text_focused(&self) -> bool {
        matches!(self.step, ActivationStep::Edit) && self.focus.is_text()
    }

    /// What the form asks for, as an operation (None: the benefit has no such key).
    pub fn operation(&self, ctx: Ctx<'_>) -> Option<Operation> {
        let k = ctx.portfolio.software(self.benefit).keys.get(self.key)?;
        Some(Operation::Activate {
            key: k.key.clone(),
            machine: self.machine.trim().to_string(),
            change: self.change,
            os: self.os,
        })
    }

    /// The live preview of the form against `ctx` (None: the benefit has no such key). It
    /// leaves out the role: a read-only user previews too, and only Confirm is refused.
    pub fn preview(&self, ctx: Ctx<'_>) -> Option<ActivationPreview> {
        let k = ctx.portfolio.software(self.benefit).keys.get(self.key)?;
        let machine = self.machine.trim();
        Some(ActivationPreview {
            used: k.activations_used,
            allowed: k.activations_allowed,
            plan: super::software::preview_activation(ctx, &k.key, machine, self.change, self.os),
        })
    }

    /// Total: every step answers every intent; intents that do not apply leave it as is.
    pub fn update(&mut self, ctx: Ctx<'_>, intent: ActivationIntent) -> Option<Effect> {
        use ActivationIntent as I;
        use ActivationStep as S;
        let step = take_step(&mut self.step, &mut self.error, intent == I::Cancel)?;
        self.error = None;
        let (next, effect) = match (step, intent) {
            (S::Edit, I::Focus(d)) => {
                self.focus = step_wrapping(ActivationField::ALL, self.focus, d);
                (S::Edit, None)
            }
            (S::Edit, I::Cycle(d)) => {
                self.cycle(ctx, d);
                (S::Edit, None)
            }
            (S::Edit, I::Edit(edit)) => {
                if self.focus.is_text() {
                    edit.apply(&mut self.machine);
                }
                (S::Edit, None)
            }
            (S::Edit, I::Review) => match self.preview(ctx).map(|p| p.plan) {
                Some(Ok(entry)) => (S::Review { entry }, None),
                Some(Err(r)) => {
                    self.error = Some(r);
                    (S::Edit, None)
                }
                None => (S::Edit, None),
            },
            (S::Edit, I::Back) => (S::Cancelled, None),

            (S::Review { entry }, I::Confirm) if let Err(r) = check_role(ctx.user) => {
                self.error = Some(r);
                (S::Review { entry }, None)
            }
            (S::Review { entry }, I::Confirm) => match self.operation(ctx) {
                Some(operation) => (
                    S::Committing {
                        operation: operation.clone(),
                        entry,
                    },
                    Some(Effect::Commit(operation)),
                ),
                None => (S::Review { entry }, None),
            },
            (S::Review { .. }, I::Back) => (S::Edit, None),

            (S::Committing { .. }, I::Committed(entry)) => (S::Done { entry }, None),
            (S::Committing { entry, .. }, I::CommitFailed(r)) => {
                self.error = Some(r);
                (S::Review { entry }, None)
            }
            (S::Committing { entry, .. }, I::Back) => (S::Review { entry }, None),

            (S::Done { .. }, I::Back | I::Confirm) => (S::Cancelled, None),

            (step, _) => (step, None),
        };
        self.step = next;
        effect
    }

    fn cycle(&mut self, ctx: Ctx<'_>, d: i32) {
        match self.focus {
            ActivationField::Key => {
                let keys = ctx.portfolio.software(self.benefit).keys.len();
                self.key = wrap(self.key, d, keys);
            }
            ActivationField::Change => {
                self.change = step_wrapping(MachineChange::ALL, self.change, d);
            }
            ActivationField::Os => self.os = step_wrapping(Os::ALL, self.os, d),
            ActivationField::Machine => {}
        }
    }
}
