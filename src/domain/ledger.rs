//! What the ledger records. Entries are facts that already passed the rules; folding
//! them over the catalog gives the current state. Keys appear only masked and fingerprinted.

use super::date_field;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Activate,
    Extend,
    AddLicenses,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Activate, Mode::Extend, Mode::AddLicenses];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Activate => "activate",
            Mode::Extend => "extend",
            Mode::AddLicenses => "add",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "activate" => Some(Mode::Activate),
            "extend" => Some(Mode::Extend),
            "add" | "add-licenses" => Some(Mode::AddLicenses),
            _ => None,
        }
    }
}

/// Total licenses and end date of a subscription: what the preview shows before → after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub total_licenses: u32,
    #[serde(with = "date_field")]
    pub end_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Target {
    /// An existing subscription (by id).
    Existing { subscription: String },
    /// A new subscription on a tenant; `subscription` is the id it will carry.
    New {
        tenant: String,
        subscription: String,
    },
}

impl Target {
    pub fn subscription_id(&self) -> &str {
        match self {
            Target::Existing { subscription } | Target::New { subscription, .. } => subscription,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MachineChange {
    /// Installed on a new machine.
    New,
    /// Same machine, no significant hardware change.
    None,
    /// Same machine with significant hardware change.
    Hardware,
    /// Same machine re-imaged.
    Reimage,
}

impl MachineChange {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "new" => Some(Self::New),
            "none" => Some(Self::None),
            "hardware" => Some(Self::Hardware),
            "reimage" => Some(Self::Reimage),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Os {
    #[default]
    Windows,
    Macos,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "op")]
pub enum Entry {
    Redemption {
        key_fingerprint: String,
        key_masked: String,
        benefit: String,
        target: Target,
        tenant: String,
        mode: Mode,
        key_licenses: u32,
        before: Option<Totals>,
        after: Totals,
        #[serde(with = "date_field")]
        date: NaiveDate,
        user: String,
    },
    Activation {
        key_fingerprint: String,
        key_masked: String,
        benefit: String,
        machine: String,
        change: MachineChange,
        os: Os,
        counted: u32,
        used_before: u32,
        used_after: u32,
        allowed: u32,
        #[serde(with = "date_field")]
        date: NaiveDate,
        user: String,
    },
    CreditAssign {
        benefit: String,
        to: String,
        #[serde(with = "date_field")]
        date: NaiveDate,
        user: String,
    },
    CreditRemove {
        benefit: String,
        from: String,
        #[serde(with = "date_field")]
        date: NaiveDate,
        user: String,
    },
    CreditTransfer {
        benefit: String,
        from: String,
        to: String,
        #[serde(with = "date_field")]
        date: NaiveDate,
        user: String,
    },
}

impl Entry {
    /// The name of `op` as `Entry::op` gives it, for a name read back from storage; a name
    /// no entry has is "unreadable", as for an entry that does not parse.
    pub fn op_named(op: &str) -> &'static str {
        [
            "redemption",
            "activation",
            "credit-assign",
            "credit-remove",
            "credit-transfer",
        ]
        .into_iter()
        .find(|known| *known == op)
        .unwrap_or("unreadable")
    }

    pub fn op(&self) -> &'static str {
        match self {
            Entry::Redemption { .. } => "redemption",
            Entry::Activation { .. } => "activation",
            Entry::CreditAssign { .. } => "credit-assign",
            Entry::CreditRemove { .. } => "credit-remove",
            Entry::CreditTransfer { .. } => "credit-transfer",
        }
    }

    pub fn benefit(&self) -> &str {
        match self {
            Entry::Redemption { benefit, .. }
            | Entry::Activation { benefit, .. }
            | Entry::CreditAssign { benefit, .. }
            | Entry::CreditRemove { benefit, .. }
            | Entry::CreditTransfer { benefit, .. } => benefit,
        }
    }

    pub fn date(&self) -> NaiveDate {
        match self {
            Entry::Redemption { date, .. }
            | Entry::Activation { date, .. }
            | Entry::CreditAssign { date, .. }
            | Entry::CreditRemove { date, .. }
            | Entry::CreditTransfer { date, .. } => *date,
        }
    }

    /// The fingerprint a redemption makes unique in the store (one key, one redemption, ever).
    pub fn redeemed_key(&self) -> Option<&str> {
        match self {
            Entry::Redemption {
                key_fingerprint, ..
            } => Some(key_fingerprint),
            _ => None,
        }
    }
}
