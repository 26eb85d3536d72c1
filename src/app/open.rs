//! Opening the write dialogs, from a row (`r`, `a`, `c`) or from the walkthrough's last
//! step, over whatever is on top. A dialog is opened for one benefit; from a Get keys list
//! or a key line it starts with that key already chosen.

use super::{ActivationDialog, App, CreditDialog, Layer, Notice, Page};
use crate::domain::{Param, Refusal, RefusalCode};
use crate::redeem::{ActivationField, Redemption};

impl App {
    /// The benefit under the cursor, when `page` is the page shown.
    pub(super) fn selection_on(&self, page: Page) -> Option<usize> {
        (self.page == page).then(|| self.selected_item()).flatten()
    }

    /// Pick, never retype: key `key` of the selected benefit (a click on a key line of its
    /// expanded row) opens its dialog with that key already chosen, as Enter on the line.
    pub(super) fn pick_key(&mut self, key: usize) {
        if let (page @ (Page::Cloud | Page::Software), Some(benefit)) =
            (self.page, self.selected_item())
        {
            self.pick_line(super::KeyCursor { page, benefit, key });
        }
    }

    /// The redemption dialog for cloud benefit `benefit` (any product when None), with its
    /// key `key` (an index into the benefit's keys) already validated when one is given.
    /// Anyone may open it: a read-only user previews up to Review order details, and only
    /// Redeem is refused.
    pub(super) fn open_redeem(&mut self, benefit: Option<usize>, key: Option<usize>) {
        let ctx = self.ctx();
        let dialog = match benefit {
            Some(b) if self.portfolio.cloud(b).license.is_some() => {
                let lic = self.portfolio.cloud(b).license.as_ref();
                match key.and_then(|k| lic.and_then(|l| l.keys.get(k))) {
                    Some(k) => Redemption::for_key(ctx, b, &k.key),
                    None => Redemption::for_benefit(ctx, b),
                }
            }
            _ => Redemption::new(None),
        };
        self.layers.push(Layer::Redeem(Box::new(dialog)));
    }

    /// The redemption dialog for cloud benefit `b` on the way without a key (a refusal in
    /// words, on its key entry, where the benefit is not offered so). Anyone may open it,
    /// as with a key: only Redeem checks the role.
    pub(super) fn open_keyless(&mut self, b: usize) {
        let dialog = Redemption::keyless_for(self.ctx(), b);
        self.layers.push(Layer::Redeem(Box::new(dialog)));
    }

    /// The activation dialog for software benefit `b`, on its key `key` when one is given
    /// (the machine name then has the focus). Anyone may open it: a read-only user previews
    /// activations used before → after, and only the write is refused.
    pub(super) fn open_activation(&mut self, b: usize, key: Option<usize>) {
        let benefit = self.portfolio.software(b);
        if !benefit.needs_activation() {
            let r = Refusal::new(RefusalCode::NoActivationNeeded)
                .with(Param::Product, &benefit.product);
            self.notice = Some(Notice::Refused(r));
            return;
        }
        if benefit.keys.is_empty() {
            self.notice = Some(Notice::Info("activation.no-keys"));
            return;
        }
        let mut dialog = ActivationDialog::new(b);
        if let Some(k) = key.filter(|&k| k < benefit.keys.len()) {
            dialog.key = k;
            dialog.focus = ActivationField::Machine;
        }
        self.layers.push(Layer::Activation(dialog));
    }

    /// The Azure credit dialog for cloud benefit `b`. Anyone may open it: a read-only user
    /// previews who holds the credit before → after, and only the write is refused.
    pub(super) fn open_credit(&mut self, b: usize) {
        if self.portfolio.cloud(b).credit.is_none() {
            self.notice = Some(Notice::Info("credit.not-a-credit"));
            return;
        }
        self.layers.push(Layer::Credit(CreditDialog::new(b)));
    }
}
