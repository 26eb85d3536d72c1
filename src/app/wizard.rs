//! The activation walkthrough pane (`w`): Introduction → Activation walkthrough → Activate
//! benefits, for one benefit. Its last step ends in the dialog that fits the benefit: the
//! redemption dialog for keys, the activation dialog for software, the credit dialog for
//! Azure credit. Pure state; `ui::wizard` draws it.

use super::{App, Command, Notice, Page};
use crate::domain::Portfolio;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardStep {
    Introduction,
    Walkthrough,
    Activate,
}

impl WizardStep {
    pub const ALL: [WizardStep; 3] = [
        WizardStep::Introduction,
        WizardStep::Walkthrough,
        WizardStep::Activate,
    ];
    pub fn title_id(self) -> &'static str {
        match self {
            WizardStep::Introduction => "wizard.introduction",
            WizardStep::Walkthrough => "wizard.walkthrough",
            WizardStep::Activate => "wizard.activate",
        }
    }
    fn index(self) -> usize {
        match self {
            WizardStep::Introduction => 0,
            WizardStep::Walkthrough => 1,
            WizardStep::Activate => 2,
        }
    }
}

/// How "Activate benefits" is done for the benefit: which dialog it ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardKind {
    /// License-based: a product key redeemed on a verified tenant.
    Redeem,
    /// Software: activated on a machine with a key; there is no tenant to verify.
    Activate,
    /// Azure credit: a user of the verified tenant's directory is assigned.
    Credit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wizard {
    /// Cloud or Software: which catalog list `benefit` indexes.
    pub page: Page,
    pub benefit: usize,
    pub kind: WizardKind,
    pub step: WizardStep,
    /// "I have verified the tenant account to activate the benefit".
    pub verified: bool,
    /// Get keys was pressed (keys still show masked without the permission).
    pub keys_shown: bool,
    /// The key picked with ↑/↓ among those Get keys lists (`listed_keys`).
    pub picked: usize,
}

impl Wizard {
    pub fn new(p: &Portfolio, page: Page, benefit: usize) -> Self {
        let kind = match page {
            Page::Software => WizardKind::Activate,
            _ if p.cloud(benefit).credit.is_some() => WizardKind::Credit,
            _ => WizardKind::Redeem,
        };
        Wizard {
            page,
            benefit,
            kind,
            step: WizardStep::Introduction,
            verified: false,
            keys_shown: false,
            picked: 0,
        }
    }

    pub fn next(&mut self) {
        self.step = WizardStep::ALL[(self.step.index() + 1).min(2)];
    }

    pub fn previous(&mut self) {
        self.step = WizardStep::ALL[self.step.index().saturating_sub(1)];
    }

    pub fn skip(&mut self) {
        self.step = WizardStep::Activate;
    }

    /// A tenant must be verified first: cloud benefits live on one; software does not.
    pub fn needs_verify(&self) -> bool {
        self.kind != WizardKind::Activate
    }

    /// The keys Get keys lists, as indices into the benefit's keys: a cloud benefit's
    /// unredeemed keys, a software benefit's keys.
    pub fn listed_keys(&self, p: &Portfolio) -> Vec<usize> {
        match self.kind {
            WizardKind::Redeem => p
                .cloud(self.benefit)
                .license
                .as_ref()
                .map_or_else(Vec::new, |l| {
                    (0..l.keys.len()).filter(|&i| !l.keys[i].redeemed).collect()
                }),
            WizardKind::Activate => (0..p.software(self.benefit).keys.len()).collect(),
            WizardKind::Credit => Vec::new(),
        }
    }

    /// A benefit redeemed with keys whose every key is redeemed: nothing is left to get
    /// or redeem here.
    pub fn all_keys_redeemed(&self, p: &Portfolio) -> bool {
        let license = p.cloud(self.benefit).license.as_ref();
        self.kind == WizardKind::Redeem
            && license.is_some_and(|l| !l.keys.is_empty() && l.keys.iter().all(|k| k.redeemed))
    }

    /// The benefit's key picked in the Get keys list, once it shows.
    pub fn picked_key(&self, p: &Portfolio) -> Option<usize> {
        let listed = self.listed_keys(p);
        self.keys_shown
            .then(|| {
                listed
                    .get(self.picked.min(listed.len().saturating_sub(1)))
                    .copied()
            })
            .flatten()
    }
}

impl App {
    /// A command for the walkthrough on top.
    pub(super) fn wizard_command(&mut self, c: Command) {
        let Some(super::Layer::Wizard(w)) = self.layers.last_mut() else {
            return;
        };
        let activate = w.step == WizardStep::Activate;
        match c {
            Command::NextStep => w.next(),
            Command::PrevStep => w.previous(),
            Command::Skip => w.skip(),
            Command::Close | Command::Back => {
                self.layers.pop();
            }
            Command::Verify if activate => w.verified = !w.verified,
            Command::GetKeys | Command::Redeem
                if activate && w.all_keys_redeemed(&self.portfolio) =>
            {
                self.notice = Some(Notice::Info("wizard.no-keys-left"));
            }
            Command::GetKeys if activate => {
                w.keys_shown = true;
                if !self.user.may_view_keys() {
                    self.notice = Some(Notice::Info("wizard.no-key-permission"));
                }
            }
            Command::Up | Command::Down if activate && w.keys_shown => {
                let last = w.listed_keys(&self.portfolio).len().saturating_sub(1);
                w.picked = match c {
                    Command::Up => w.picked.saturating_sub(1),
                    _ => (w.picked + 1).min(last),
                };
            }
            Command::Redeem | Command::Activate | Command::Credit if activate => {
                let w = w.clone();
                self.wizard_proceed(&w);
            }
            // Beside the keys, for a keyless offer's benefit: on a verified tenant too.
            Command::Keyless if activate && w.kind == WizardKind::Redeem => {
                if w.needs_verify() && !w.verified {
                    self.notice = Some(Notice::Info("wizard.verify-first"));
                } else {
                    let b = w.benefit;
                    self.open_keyless(b);
                }
            }
            _ => {}
        }
    }

    /// "Activate benefits": the dialog that fits the benefit, opened over the walkthrough
    /// (with the key picked in the Get keys list, if one is).
    fn wizard_proceed(&mut self, w: &Wizard) {
        if w.needs_verify() && !w.verified {
            self.notice = Some(Notice::Info("wizard.verify-first"));
            return;
        }
        let key = w.picked_key(&self.portfolio);
        match w.kind {
            WizardKind::Redeem if self.portfolio.cloud(w.benefit).license.is_some() => {
                self.open_redeem(Some(w.benefit), key);
            }
            WizardKind::Redeem => self.notice = Some(Notice::Info("wizard.not-by-key")),
            WizardKind::Activate => self.open_activation(w.benefit, key),
            WizardKind::Credit => self.open_credit(w.benefit),
        }
    }
}
