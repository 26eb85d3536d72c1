//! The activation walkthrough pane (`w`): Introduction → Activation walkthrough → Activate
//! benefits, for one benefit. Pure state; `ui::wizard` draws it.

use super::Page;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wizard {
    /// Cloud or Software: which catalog list `benefit` indexes.
    pub page: Page,
    pub benefit: usize,
    pub step: WizardStep,
    /// "I have verified the tenant account to activate the benefit".
    pub verified: bool,
    /// Get keys was pressed (keys still show masked without the permission).
    pub keys_shown: bool,
}

impl Wizard {
    pub fn new(page: Page, benefit: usize) -> Self {
        Wizard {
            page,
            benefit,
            step: WizardStep::Introduction,
            verified: false,
            keys_shown: false,
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
}
