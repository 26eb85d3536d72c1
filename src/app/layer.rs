//! The stack of layers above the page: help, the quit question, the timeline, the wizard,
//! the dialogs and the live filter field. The last one has the keyboard, the mouse, paste
//! and the footer; the renderer draws them first to last over the page. Nothing else
//! decides focus.

use super::keymap::Context;
use super::keys::KeyCursor;
use super::palette::Palette;
use super::{ActivationDialog, CreditDialog, Timeline, Wizard, WizardKind, WizardStep};
use crate::redeem::{Redemption, Step};

/// The `?` overlay: how far it is scrolled (bounded by what the last frame drew).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HelpView {
    pub scroll: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    /// The live filter field has the keyboard (its text stays on the page when it closes).
    Filter,
    Timeline(Timeline),
    Wizard(Wizard),
    /// Boxed: the machine is large next to the other layers.
    Redeem(Box<Redemption>),
    Activation(ActivationDialog),
    Credit(CreditDialog),
    Help(HelpView),
    /// "Quit with unsaved input?"
    ConfirmQuit,
    /// The `:` command palette.
    Palette(Palette),
    /// The cursor on the key lines of an expanded row (the page draws it).
    KeyLines(KeyCursor),
}

impl Layer {
    /// Which bindings apply while this layer is on top.
    pub fn context(&self) -> Context {
        match self {
            Layer::Filter => Context::Filter,
            Layer::Timeline(_) => Context::Timeline,
            Layer::Wizard(w) if w.step == WizardStep::Activate => match w.kind {
                WizardKind::Redeem => Context::WizardActivate,
                WizardKind::Activate => Context::WizardSoftware,
                WizardKind::Credit => Context::WizardCredit,
            },
            Layer::Wizard(_) => Context::Wizard,
            Layer::Redeem(d) => match d.step {
                Step::EnterKey => Context::EnterKey,
                Step::ChooseTarget { .. } => Context::ChooseTarget,
                Step::ConfirmTenant { .. } => Context::ConfirmTenant,
                Step::ChooseMode { .. } => Context::ChooseMode,
                Step::Review { .. } | Step::KeylessReview(_) => Context::Review,
                Step::Committing { .. } => Context::Committing,
                Step::Receipt { .. } | Step::Cancelled => Context::Receipt,
            },
            Layer::Activation(_) => Context::Activation,
            Layer::Credit(_) => Context::Credit,
            Layer::Help(_) => Context::Help,
            Layer::ConfirmQuit => Context::ConfirmQuit,
            Layer::Palette(_) => Context::Palette,
            Layer::KeyLines(_) => Context::KeyLines,
        }
    }

    /// Typed input that quitting would lose.
    pub fn has_input(&self) -> bool {
        match self {
            Layer::Redeem(d) => d.has_input(),
            Layer::Activation(d) => d.has_input(),
            _ => false,
        }
    }

    /// Waiting for the ledger's answer to a write this layer asked for.
    pub fn waiting(&self) -> bool {
        match self {
            Layer::Redeem(d) => matches!(d.step, Step::Committing { .. }),
            Layer::Activation(d) => d.is_committing(),
            Layer::Credit(d) => d.is_committing(),
            _ => false,
        }
    }
}
