//! What the ledger records. Entries are facts that already passed the rules; folding
//! them over the catalog gives the current state. Keys appear only masked and fingerprinted.

use super::correction::Undo;
use super::date_field;
use super::observation::{Observation, Source, Unmatched};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_enum! {
    /// The ledger writes a mode as serde's kebab-case (`add-licenses`); the command line and
    /// JSON output name it by `as_str` (`add`), and `parse` reads both.
    pub enum Mode {
        Activate,
        Extend,
        #[strum(to_string = "add", serialize = "add-licenses")]
        AddLicenses,
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

code_enum! {
    /// `ALL` is in the order the activation dialog offers them.
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
}

code_enum! {
    #[derive(Default)]
    pub enum Os {
        #[default]
        Windows,
        Macos,
    }
}

/// The `op` serde tags an entry with is the name strum gives it (`op`, `op_named`).
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantNames,
)]
#[serde(rename_all = "kebab-case", tag = "op")]
#[strum(serialize_all = "kebab-case")]
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
        /// The organization's location the licenses serve (entries before locations: none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
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
    /// Voids entry `corrects` (an activation or credit change: the fold undoes it), or
    /// records what was done about a redemption (which stands). See `domain::correction`.
    Correction {
        corrects: i64,
        /// The op of the corrected entry.
        corrected_op: String,
        benefit: String,
        reason: String,
        /// What was done about it (a redemption's correction says so).
        #[serde(default)]
        note: Option<String>,
        undo: Undo,
        #[serde(with = "date_field")]
        date: NaiveDate,
        user: String,
    },
    /// What Microsoft Graph reported, imported on `date` at `imported_at` (RFC 3339, UTC)
    /// from `sources` (each with its SHA-256): the observations that matched the catalog
    /// and the records that did not.
    GraphImport {
        #[serde(with = "date_field")]
        date: NaiveDate,
        imported_at: String,
        sources: Vec<Source>,
        observations: Vec<Observation>,
        unmatched: Vec<Unmatched>,
        user: String,
    },
    /// A cloud benefit's licenses redeemed without a key (a keyless offer, a tenant under
    /// the MCA billing account): the end date aligns to the membership offer's end date.
    KeylessRedemption {
        benefit: String,
        target: Target,
        tenant: String,
        licenses: u32,
        before: Option<Totals>,
        after: Totals,
        #[serde(with = "date_field")]
        date: NaiveDate,
        user: String,
        location: Option<String>,
    },
}

impl Entry {
    /// The name of `op` as `Entry::op` gives it, for a name read back from storage; a name
    /// no entry has is "unreadable", as for an entry that does not parse.
    pub fn op_named(op: &str) -> &'static str {
        <Self as strum::VariantNames>::VARIANTS
            .iter()
            .find(|known| **known == op)
            .copied()
            .unwrap_or("unreadable")
    }

    pub fn op(&self) -> &'static str {
        self.into()
    }

    pub fn benefit(&self) -> &str {
        match self {
            Entry::Redemption { benefit, .. }
            | Entry::Activation { benefit, .. }
            | Entry::CreditAssign { benefit, .. }
            | Entry::CreditRemove { benefit, .. }
            | Entry::CreditTransfer { benefit, .. }
            | Entry::Correction { benefit, .. }
            | Entry::KeylessRedemption { benefit, .. } => benefit,
            // An import is of the tenant's subscriptions, not of one benefit.
            Entry::GraphImport { .. } => "",
        }
    }

    pub fn date(&self) -> NaiveDate {
        match self {
            Entry::Redemption { date, .. }
            | Entry::Activation { date, .. }
            | Entry::CreditAssign { date, .. }
            | Entry::CreditRemove { date, .. }
            | Entry::CreditTransfer { date, .. }
            | Entry::Correction { date, .. }
            | Entry::GraphImport { date, .. }
            | Entry::KeylessRedemption { date, .. } => *date,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entrys_op_is_the_tag_serde_writes() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (benefit, user) = (String::from("b"), String::from("u"));
        let entries = [
            Entry::CreditAssign {
                benefit: benefit.clone(),
                to: user.clone(),
                date,
                user: user.clone(),
            },
            Entry::CreditRemove {
                benefit: benefit.clone(),
                from: user.clone(),
                date,
                user: user.clone(),
            },
            Entry::CreditTransfer {
                benefit,
                from: user.clone(),
                to: user.clone(),
                date,
                user,
            },
        ];
        for e in entries {
            let json = serde_json::to_value(&e).unwrap();
            assert_eq!(json["op"].as_str(), Some(e.op()));
            assert_eq!(Entry::op_named(e.op()), e.op());
        }
        assert_eq!(Entry::op_named("redemption"), "redemption");
        assert_eq!(Entry::op_named("activation"), "activation");
        assert_eq!(Entry::op_named("nonsense"), "unreadable");
    }

    #[test]
    fn enum_codes_are_the_same_for_serde_and_strum() {
        for &m in Mode::ALL {
            let json = serde_json::to_value(m).unwrap();
            assert_eq!(Mode::parse(json.as_str().unwrap()), Some(m));
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        for c in MachineChange::ALL {
            assert_eq!(serde_json::to_value(c).unwrap().as_str(), Some(c.as_str()));
            assert_eq!(MachineChange::parse(c.as_str()), Some(*c));
        }
        for o in Os::ALL {
            assert_eq!(serde_json::to_value(o).unwrap().as_str(), Some(o.as_str()));
        }
        for r in crate::domain::Role::ALL {
            assert_eq!(serde_json::to_value(r).unwrap().as_str(), Some(r.as_str()));
        }
    }
}
