//! The cursor on the key lines of an expanded row, as lazygit moves into a commit's files:
//! `→` on an expanded row moves it in, `↑`/`↓` pick a line, Enter opens that key's dialog
//! as a click on the line does, Esc or `←` go back to the row. It is a layer, so it alone
//! gets the keys and decides the footer while it is on top; the page draws the line.

use super::{App, Command, Effect, Layer, Notice, Page};
use crate::redeem::rules;

/// Which key line the cursor is on: key `key` (an index into the benefit's keys) of
/// benefit `benefit` on `page`, the row that was selected when the cursor moved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyCursor {
    pub page: Page,
    pub benefit: usize,
    pub key: usize,
}

impl App {
    /// How many key lines an expanded row of benefit `b` on `page` shows: every key of a
    /// license-based or software benefit (a CAL's details list none).
    pub fn key_lines(&self, page: Page, b: usize) -> usize {
        match page {
            Page::Cloud => (self.portfolio.cloud(b).license.as_ref()).map_or(0, |l| l.keys.len()),
            Page::Software => {
                let s = self.portfolio.software(b);
                if s.is_cal() { 0 } else { s.keys.len() }
            }
            Page::History | Page::Reconcile | Page::Consumption => 0,
        }
    }

    /// The key line the cursor is on, wherever its layer lies (a dialog opened from it
    /// lies above it).
    pub fn key_cursor(&self) -> Option<KeyCursor> {
        self.layers.iter().rev().find_map(|l| match l {
            Layer::KeyLines(k) => Some(*k),
            _ => None,
        })
    }

    /// `→` on an expanded row with key lines: the cursor moves in, onto the first key
    /// still to use (else the first). False when there is nothing to move into.
    pub(super) fn enter_key_lines(&mut self) -> bool {
        let (page, Some(b)) = (self.page, self.selected_item()) else {
            return false;
        };
        let lines = self.key_lines(page, b);
        if lines == 0 || !self.table().expanded.contains(&b) {
            return false;
        }
        let key = (0..lines)
            .find(|&k| self.key_unused(page, b, k))
            .unwrap_or(0);
        self.layers.push(Layer::KeyLines(KeyCursor {
            page,
            benefit: b,
            key,
        }));
        true
    }

    /// The key has something left to give: a cloud key not redeemed, a software key with
    /// activations left.
    fn key_unused(&self, page: Page, b: usize, k: usize) -> bool {
        match page {
            Page::Cloud => (self.portfolio.cloud(b).license.as_ref())
                .and_then(|l| l.keys.get(k))
                .is_some_and(|k| !k.redeemed),
            _ => (self.portfolio.software(b).keys.get(k))
                .is_some_and(|k| k.activations_used < k.activations_allowed),
        }
    }

    /// A command for the key lines on top.
    pub(super) fn key_lines_command(&mut self, c: Command) -> Option<Effect> {
        let Some(&Layer::KeyLines(at)) = self.layers.last() else {
            return None;
        };
        let last = self.key_lines(at.page, at.benefit).saturating_sub(1);
        let Some(Layer::KeyLines(k)) = self.layers.last_mut() else {
            return None;
        };
        match c {
            Command::Up => k.key = k.key.saturating_sub(1),
            Command::Down => k.key = (k.key + 1).min(last),
            Command::Home => k.key = 0,
            Command::End => k.key = last,
            Command::Back | Command::Close => {
                self.layers.pop();
            }
            Command::Open => self.pick_line(at),
            Command::Redeem | Command::Activate => {
                let fits = match at.page {
                    Page::Cloud => c == Command::Redeem,
                    _ => c == Command::Activate,
                };
                if fits {
                    self.pick_line(at);
                } else {
                    self.notice = Some(Notice::Info("label.unbound-key"));
                }
            }
            _ => {}
        }
        None
    }

    /// Pick, never retype: the key of line `k` opens its dialog with the key chosen (a cloud
    /// key validated: straight to the tenant and subscription). A cloud key that cannot be
    /// redeemed (already redeemed, past activate-by) is refused in words, and the cursor
    /// stays on its line.
    pub(super) fn pick_line(&mut self, k: KeyCursor) {
        match k.page {
            Page::Cloud => match self.cloud_key_refusal(k) {
                Some(r) => self.notice = Some(Notice::Refused(r)),
                None => self.open_redeem(Some(k.benefit), Some(k.key)),
            },
            Page::Software => self.open_activation(k.benefit, Some(k.key)),
            Page::History | Page::Reconcile | Page::Consumption => {}
        }
    }

    /// Why the cloud key of line `k` cannot be redeemed, by the rules the dialog's Validate
    /// applies (the role aside: a read-only user previews).
    fn cloud_key_refusal(&self, k: KeyCursor) -> Option<crate::domain::Refusal> {
        let b = self.portfolio.cloud(k.benefit);
        let key = b.license.as_ref()?.keys.get(k.key)?;
        rules::preview_cloud_key(self.ctx(), &key.key.formatted(), Some(&b.product)).err()
    }

    /// Enter on line `k` would open a dialog (the footer offers it only then).
    pub(super) fn line_opens(&self, k: KeyCursor) -> bool {
        match k.page {
            Page::Cloud => self.cloud_key_refusal(k).is_none(),
            Page::Software => self.portfolio.software(k.benefit).needs_activation(),
            Page::History | Page::Reconcile | Page::Consumption => false,
        }
    }

    /// After the rows changed (a filter, the ledger): the cursor stays only while its row
    /// is still the selected one and expanded; otherwise it goes back to the page.
    pub(super) fn keep_key_cursor(&mut self) {
        let Some(k) = self.key_cursor() else { return };
        let t = self.table_of(k.page);
        let here = t.rows.get(t.selected) == Some(&k.benefit) && t.expanded.contains(&k.benefit);
        if !here {
            self.layers.retain(|l| !matches!(l, Layer::KeyLines(_)));
        }
    }
}
