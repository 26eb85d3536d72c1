//! What the footer may offer: of the bindings of the layer on top, those that would do
//! something now, on this page, for this user. A key that is bound but has nothing to do
//! here (redeem on History, the next mode on the last one, a write for a read-only user)
//! stays bound and in the help overlay, but the footer leaves it out; a key bound to
//! nothing says so briefly.

use super::{
    ActivationField, App, Command, Context, Layer, Notice, Page, QuickFilter, SortKey, WizardStep,
};
use crate::domain::Mode;
use crate::input::Event;
use crate::redeem::Step;

impl App {
    /// Whether the footer offers `c` in `ctx` (the top layer's context, or one drawn with
    /// its own footer, such as the quit question).
    pub fn offers(&self, ctx: Context, c: Command) -> bool {
        let writer = self.user.role.may_redeem();
        let selected = self.selected_item().is_some();
        match ctx {
            Context::Browse if self.page.is_view() => self.view_offers(c),
            Context::Browse => match c {
                Command::Redeem => writer && self.page == Page::Cloud,
                Command::Activate => writer && self.page == Page::Software && selected,
                Command::Credit => {
                    writer
                        && self.page == Page::Cloud
                        && (self.selected_item())
                            .is_some_and(|b| self.portfolio.cloud(b).credit.is_some())
                }
                Command::Wizard => self.page.lists_benefits() && selected,
                // Expanding is Enter's to offer; → is offered where it moves into key lines.
                Command::Expand => self.selected_item().is_some_and(|b| {
                    self.table().expanded.contains(&b) && self.key_lines(self.page, b) > 0
                }),
                _ if c.scrolls() => self.table().rows.len() > 1,
                Command::Open
                | Command::Toggle
                | Command::Collapse
                | Command::ExpandAll
                | Command::CollapseAll => selected,
                Command::QuickFilter | Command::Sort => self.page != Page::History,
                Command::SortReverse => self.page != Page::History && self.sort != SortKey::Catalog,
                Command::ClearFilters => !self.filter.is_empty() || self.quick != QuickFilter::All,
                _ => true,
            },
            // Scrolling is offered where there is something to scroll to.
            Context::Help => !c.scrolls() || self.layout.help.is_some_and(|w| w.max_offset() > 0),
            Context::Timeline => {
                !c.scrolls() || self.layout.timeline.is_some_and(|w| w.max_offset() > 0)
            }
            Context::Wizard => {
                c != Command::PrevStep
                    || self
                        .wizard()
                        .is_some_and(|w| w.step != WizardStep::Introduction)
            }
            // A key is picked among those Get keys listed, when there is a choice.
            Context::WizardActivate | Context::WizardSoftware
                if matches!(c, Command::Up | Command::Down) =>
            {
                self.wizard()
                    .is_some_and(|w| w.keys_shown && w.listed_keys(&self.portfolio).len() > 1)
            }
            // Nothing to get or redeem once every key is redeemed.
            Context::WizardActivate
                if matches!(c, Command::Redeem | Command::GetKeys | Command::CopyKey) =>
            {
                (c != Command::Redeem || writer)
                    && !(self.wizard()).is_some_and(|w| w.all_keys_redeemed(&self.portfolio))
            }
            // The walkthrough's write for a read-only user only previews: not offered.
            Context::WizardSoftware => c != Command::Activate || writer,
            Context::WizardCredit => c != Command::Credit || writer,
            Context::ChooseMode => match (c, self.redemption().map(|d| &d.step)) {
                (Command::NextChoice, Some(Step::ChooseMode(m))) => {
                    Mode::ALL.last() != Some(&m.mode)
                }
                (Command::PrevChoice, Some(Step::ChooseMode(m))) => {
                    Mode::ALL.first() != Some(&m.mode)
                }
                // A refused mode (its own reason, or a license cap) has no review and
                // nothing to explain.
                (Command::Confirm | Command::Explain, Some(Step::ChooseMode(m))) => {
                    crate::redeem::machine::outcome_of(&m.previews, m.mode).is_ok()
                }
                _ => true,
            },
            // A keyless preview the rules refuse has nothing to redeem or explain.
            Context::Review => match (c, self.redemption().map(|d| &d.step)) {
                (Command::Confirm | Command::Explain, Some(Step::KeylessReview(k)))
                    if k.preview.is_err() =>
                {
                    false
                }
                (Command::Confirm, _) => writer,
                _ => true,
            },
            Context::EnterKey | Context::WizardActivate if c == Command::Keyless => {
                self.keyless_offered()
            }
            // A choice changes on the fields that are choices (the key, when there are two).
            Context::Activation if matches!(c, Command::NextChoice | Command::PrevChoice) => {
                self.activation().is_some_and(|d| match d.focus {
                    ActivationField::Machine => false,
                    ActivationField::Key => self.portfolio.software(d.benefit).keys.len() > 1,
                    ActivationField::Change | ActivationField::Os => true,
                })
            }
            Context::Receipt => c != Command::RedeemAnother || writer,
            Context::KeyLines => self.key_cursor().is_some_and(|k| match c {
                _ if c.scrolls() => self.key_lines(k.page, k.benefit) > 1,
                Command::Open => self.line_opens(k),
                Command::Copy | Command::CopyKey => self.user.may_view_keys(),
                _ => true,
            }),
            // On a review only Enter (the write: not for a read-only user) and Esc act.
            Context::Activation | Context::Credit if self.reviewing() => match c {
                Command::Confirm => writer,
                _ => !is_field(c),
            },
            _ => true,
        }
    }

    /// "Redeem without a key" is offered for the benefit of the dialog or walkthrough on top.
    fn keyless_offered(&self) -> bool {
        let benefit = match self.top() {
            Some(Layer::Redeem(d)) => d.benefit.clone(),
            Some(Layer::Wizard(w)) if w.page == Page::Cloud => {
                Some(self.portfolio.cloud(w.benefit).id.clone())
            }
            _ => None,
        };
        benefit.is_some_and(|b| crate::redeem::keyless::offered(self.ctx(), &b))
    }

    /// The activation or credit dialog on top is on its review.
    fn reviewing(&self) -> bool {
        match self.top() {
            Some(Layer::Activation(d)) => d.is_reviewing(),
            Some(Layer::Credit(d)) => d.is_reviewing(),
            _ => false,
        }
    }

    /// The footer's words for `c` where this page means something narrower than the
    /// binding's own text: on History, Enter only opens an entry's details.
    pub fn footer_text(&self, ctx: Context, c: Command, help: &'static str) -> &'static str {
        let writer = self.user.role.may_redeem();
        match (ctx, c, self.page) {
            (Context::Browse, Command::Open, Page::History | Page::Reconcile) => "key.toggle",
            // For a read-only user Enter on the form only ever leads to a preview.
            (Context::Activation | Context::Credit, Command::Confirm, _) if !writer => {
                "key.preview"
            }
            // On a review Esc steps back to the form: nothing closes.
            (Context::Activation | Context::Credit, Command::Back, _) if self.reviewing() => {
                "key.back"
            }
            // Enter on a key line opens its dialog: a read-only user's only to preview.
            (Context::KeyLines, Command::Open, _) if !writer => "key.preview",
            (Context::KeyLines, Command::Open, Page::Software) => "key.activate",
            (Context::KeyLines, Command::Open, _) => "key.redeem",
            (Context::Browse, Command::Expand, page) if page.lists_benefits() => {
                "key.enter-key-lines"
            }
            _ => help,
        }
    }

    /// A key that means nothing on the layer on top (and types nowhere): a brief word in
    /// the status line, so a press never goes unanswered.
    pub(super) fn unbound(&mut self, event: &Event) {
        let Event::Key(_) = event else { return };
        let ctx = self.context();
        if ctx.text_field() || matches!(self.top(), Some(Layer::ConfirmQuit)) {
            return;
        }
        self.notice = Some(Notice::Info("label.unbound-key"));
    }
}

/// What moves a dialog's focus or changes its choices: nothing to move on its review.
fn is_field(c: Command) -> bool {
    matches!(
        c,
        Command::NextField
            | Command::PrevField
            | Command::NextChoice
            | Command::PrevChoice
            | Command::Up
            | Command::Down
            | Command::DeleteBack
            | Command::ClearField
    )
}
