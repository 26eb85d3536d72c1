//! What Microsoft Graph reports about a tenant's subscriptions, read from the JSON that
//! `GET /v1.0/directory/subscriptions` (companySubscription) and `GET /v1.0/subscribedSkus`
//! (subscribedSku) return, as `az rest`, Graph Explorer or Graph PowerShell save it. Pure:
//! fed bytes, it reads them and matches them to the catalog (`matching`); the edge reads
//! the files and the clock.

pub mod matching;
mod parse;
pub mod products;

pub use parse::{ParseError, parse};

pub use crate::domain::observation::{GraphStatus, end_date};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line for an import in History: how many records matched, how many did not, and
/// from which files.
pub fn summary(
    t: &crate::i18n::Messages,
    observations: &[crate::domain::observation::Observation],
    unmatched: &[crate::domain::observation::Unmatched],
    sources: &[crate::domain::observation::Source],
) -> String {
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    t.fmt(
        "graph.summary",
        &[
            ("observed", &observations.len().to_string()),
            ("unmatched", &unmatched.len().to_string()),
            ("sources", &names.join(", ")),
        ],
    )
}

/// ` · reported by Microsoft Graph on DATE` for a subscription an import observed, else
/// nothing: the details say where the numbers come from.
pub fn reported(t: &crate::i18n::Messages, sub: &crate::domain::Subscription) -> String {
    match &sub.observed {
        Some(o) => format!(
            " · {}",
            t.fmt("graph.reported", &[("date", &t.date(o.date))])
        ),
        None => String::new(),
    }
}

/// One companySubscription, with the fields used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySubscription {
    pub id: String,
    pub commerce_subscription_id: Option<String>,
    pub sku_part_number: String,
    pub status: GraphStatus,
    pub total_licenses: u32,
    pub next_lifecycle: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
    pub is_trial: bool,
    pub owner_tenant_id: Option<String>,
}

/// `prepaidUnits` of a subscribedSku.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrepaidUnits {
    pub enabled: u32,
    pub warning: u32,
    pub suspended: u32,
    pub locked_out: u32,
}

impl PrepaidUnits {
    pub fn total(&self) -> u32 {
        (self.enabled)
            .saturating_add(self.warning)
            .saturating_add(self.suspended)
            .saturating_add(self.locked_out)
    }
}

/// One subscribedSku, with the fields used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribedSku {
    pub sku_part_number: String,
    pub capability_status: GraphStatus,
    pub prepaid_units: PrepaidUnits,
    pub consumed_units: u32,
    pub subscription_ids: Vec<String>,
}

/// One record of a Graph response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Subscription(CompanySubscription),
    Sku(SubscribedSku),
}

#[cfg(test)]
mod tests;
