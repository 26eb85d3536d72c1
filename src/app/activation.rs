//! The software activation dialog (`a` on the Software page): pick the key, type the machine
//! name, choose the kind of change and the OS. Pure state; `ui::activation` draws it and
//! `software::plan_activation` both previews (live) and decides (at the edge, in the store).

use super::Notice;
use crate::domain::{Entry, MachineChange, OfferKind, Os, ProductKey, Refusal};
use crate::redeem::{Ctx, TextEdit, software};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivationField {
    Key,
    Machine,
    Change,
    Os,
}

impl ActivationField {
    pub const ALL: [ActivationField; 4] = [
        ActivationField::Key,
        ActivationField::Machine,
        ActivationField::Change,
        ActivationField::Os,
    ];
}

pub const CHANGES: [MachineChange; 4] = [
    MachineChange::New,
    MachineChange::None,
    MachineChange::Hardware,
    MachineChange::Reimage,
];

pub fn change_id(c: MachineChange) -> &'static str {
    match c {
        MachineChange::New => "activation.change-new",
        MachineChange::None => "activation.change-none",
        MachineChange::Hardware => "activation.change-hardware",
        MachineChange::Reimage => "activation.change-reimage",
    }
}

pub fn os_id(os: Os) -> &'static str {
    match os {
        Os::Windows => "activation.os-windows",
        Os::Macos => "activation.os-macos",
    }
}

/// What the edge must write: re-planned by `software::plan_activation` inside the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationRequest {
    pub key: ProductKey,
    pub machine: String,
    pub change: MachineChange,
    pub os: Os,
}

/// Activations used and allowed on the chosen key, before and after this install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationPreview {
    pub used: u32,
    pub allowed: u32,
    pub after: u32,
    pub plan: Result<Entry, Refusal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationDialog {
    /// Index into the catalog's software benefits.
    pub benefit: usize,
    pub key: usize,
    pub field: ActivationField,
    pub machine: String,
    pub change: MachineChange,
    pub os: Os,
    /// Why the last Enter did not go through; the dialog stays open.
    pub error: Option<Notice>,
    /// Waiting for the edge's answer.
    pub committing: bool,
}

impl ActivationDialog {
    pub fn new(benefit: usize) -> Self {
        ActivationDialog {
            benefit,
            key: 0,
            field: ActivationField::Key,
            machine: String::new(),
            change: MachineChange::New,
            os: Os::Windows,
            error: None,
            committing: false,
        }
    }

    pub fn move_field(&mut self, delta: i8) {
        let n = ActivationField::ALL.len();
        let i = ActivationField::ALL
            .iter()
            .position(|f| *f == self.field)
            .unwrap_or(0);
        self.field = ActivationField::ALL[(i + n).wrapping_add_signed(delta.into()) % n];
    }

    /// Left / Right on the focused choice: the key, the change or the OS.
    pub fn cycle(&mut self, delta: i8, keys: usize) {
        let step = |i: usize, n: usize| (i + n).wrapping_add_signed(delta.into()) % n.max(1);
        match self.field {
            ActivationField::Key => self.key = step(self.key, keys),
            ActivationField::Change => {
                let i = CHANGES.iter().position(|c| *c == self.change).unwrap_or(0);
                self.change = CHANGES[step(i, CHANGES.len())];
            }
            ActivationField::Os => {
                self.os = match self.os {
                    Os::Windows => Os::Macos,
                    Os::Macos => Os::Windows,
                }
            }
            ActivationField::Machine => {}
        }
        self.error = None;
    }

    pub fn edit(&mut self, edit: TextEdit) {
        edit.apply(&mut self.machine);
        self.error = None;
    }

    pub fn request(&self, ctx: Ctx<'_>) -> Option<ActivationRequest> {
        let b = ctx.portfolio.software(self.benefit);
        let k = b.keys.get(self.key)?;
        Some(ActivationRequest {
            key: k.key.clone(),
            machine: self.machine.trim().to_string(),
            change: self.change,
            os: self.os,
        })
    }

    /// The live preview: counts before and after, and the plan (or why it is refused).
    pub fn preview(&self, ctx: Ctx<'_>) -> Option<ActivationPreview> {
        let b = ctx.portfolio.software(self.benefit);
        let k = b.keys.get(self.key)?;
        let offer = ctx
            .portfolio
            .catalog
            .offers
            .iter()
            .find(|o| o.id == b.offer)
            .map(|o| o.kind)
            .unwrap_or(OfferKind::SolutionsPartner);
        let req = self.request(ctx)?;
        Some(ActivationPreview {
            used: k.activations_used,
            allowed: k.activations_allowed,
            after: k
                .activations_used
                .saturating_add(software::activations_counted(offer, self.change)),
            plan: software::plan_activation(ctx, &req.key, &req.machine, req.change, req.os),
        })
    }

    /// Enter: the request when the plan holds, else the reason (kept in the dialog).
    pub fn confirm(&mut self, ctx: Ctx<'_>) -> Option<ActivationRequest> {
        if self.committing {
            return None;
        }
        let preview = self.preview(ctx)?;
        if let Err(r) = preview.plan {
            self.error = Some(Notice::Refused(r));
            return None;
        }
        if self.machine.trim().is_empty() {
            self.error = Some(Notice::Info("activation.machine-required"));
            self.field = ActivationField::Machine;
            return None;
        }
        self.error = None;
        self.committing = true;
        self.request(ctx)
    }
}
