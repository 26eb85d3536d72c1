//! `y` and `Y`: what the selection points at, for the clipboard. `y` takes the tenant
//! domain in the redemption dialog's target list, else the selected benefit's id; `Y` the
//! product key (the key line the cursor is on, where `y` copies it too; the dialog's
//! validated key, the walkthrough's picked key, else the benefit's first one still to use),
//! only for a user who may view keys. The app only says what to copy (`App::clipboard`);
//! the edge writes it to the terminal, or says it cannot.

use super::{App, Command, Layer, Notice, Page};
use crate::domain::ProductKey;

impl App {
    pub(super) fn copy(&mut self, c: Command) {
        // On a key line the selection is that key: `y` copies it as `Y` does.
        let c = match self.top() {
            Some(Layer::KeyLines(_)) => Command::CopyKey,
            _ => c,
        };
        let found = match c {
            Command::CopyKey => self.key_to_copy().map(|k| (k.formatted(), k.masked())),
            _ => self.text_to_copy().map(|s| (s.clone(), s)),
        };
        match found {
            Some(_) if c == Command::CopyKey && !self.user.may_view_keys() => {
                self.notice = Some(Notice::Info("copy.key-not-permitted"));
            }
            Some((text, shown)) => {
                self.notice = Some(Notice::Copied(self.t.fmt("copy.done", &[("what", &shown)])));
                self.clipboard = Some(text);
            }
            None => self.notice = Some(Notice::Info("copy.nothing")),
        }
    }

    /// The benefit the selection (or the layer on top) is about: its page and index.
    fn benefit_in_view(&self) -> Option<(Page, usize)> {
        for layer in self.layers.iter().rev() {
            match layer {
                Layer::Wizard(w) => return Some((w.page, w.benefit)),
                Layer::Activation(d) => return Some((Page::Software, d.benefit)),
                Layer::Credit(d) => return Some((Page::Cloud, d.benefit)),
                _ => {}
            }
        }
        match self.page {
            Page::History | Page::Reconcile | Page::Consumption => None,
            page => Some((page, self.selected_item()?)),
        }
    }

    fn text_to_copy(&self) -> Option<String> {
        if let Some(t) = self.redemption().and_then(|d| d.target()) {
            return Some(t.domain.clone());
        }
        let (page, b) = self.benefit_in_view()?;
        Some(match page {
            Page::Cloud => self.portfolio.cloud(b).id.clone(),
            _ => self.portfolio.software(b).id.clone(),
        })
    }

    /// Key `k` of benefit `b` on `page`.
    fn key_of(&self, page: Page, b: usize, k: usize) -> Option<ProductKey> {
        Some(match page {
            Page::Cloud => (self.portfolio.cloud(b).license.as_ref()?.keys.get(k)?.key).clone(),
            _ => self.portfolio.software(b).keys.get(k)?.key.clone(),
        })
    }

    fn key_to_copy(&self) -> Option<ProductKey> {
        if let Some(Layer::KeyLines(k)) = self.top() {
            return self.key_of(k.page, k.benefit, k.key);
        }
        if let Some(k) = self.redemption().and_then(|d| d.key.as_ref()) {
            return Some(k.key.clone());
        }
        // The key picked in the walkthrough's Get keys list.
        if let Some(w) = self.wizard()
            && let Some(i) = w.picked_key(&self.portfolio)
        {
            return self.key_of(w.page, w.benefit, i);
        }
        match self.benefit_in_view()? {
            (Page::Cloud, b) => {
                let keys = &self.portfolio.cloud(b).license.as_ref()?.keys;
                keys.iter().find(|k| !k.redeemed).map(|k| k.key.clone())
            }
            (_, b) => self
                .portfolio
                .software(b)
                .keys
                .first()
                .map(|k| k.key.clone()),
        }
    }
}
