//! What Microsoft Graph reported about a subscription, as the ledger keeps it: an import
//! is one entry holding its observations, folded like every other entry (the latest
//! observation of a subscription wins over the catalog's values), and `reconcile` checks
//! each redemption's preview against the first observation after it.

use super::date_field;
use super::status::SubscriptionStatus;
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};

code_enum! {
    case = "PascalCase",
    /// A companySubscription's `status` and a subscribedSku's `capabilityStatus`, as Graph
    /// spells them (`Enabled`, `Warning`, `Suspended`, `LockedOut`, `Deleted`).
    pub enum GraphStatus {
        Enabled,
        Warning,
        Suspended,
        LockedOut,
        Deleted,
    }
}

impl GraphStatus {
    /// Enabled is Active, Warning is Expired, Suspended is Disabled; LockedOut and Deleted
    /// leave no active subscription.
    pub fn lifecycle(self) -> SubscriptionStatus {
        use SubscriptionStatus as S;
        match self {
            GraphStatus::Enabled => S::Active,
            GraphStatus::Warning => S::Expired,
            GraphStatus::Suspended => S::Disabled,
            GraphStatus::LockedOut | GraphStatus::Deleted => S::NoActiveSubscription,
        }
    }
}

/// The last day a subscription is still Enabled, from its `nextLifecycleDateTime` (when
/// the next state begins): that instant's UTC date, one day earlier when it is exactly
/// midnight UTC (a state that begins at 00:00:00Z leaves the day before as the last).
pub fn end_date(next_lifecycle: DateTime<Utc>) -> NaiveDate {
    let date = next_lifecycle.date_naive();
    let t = next_lifecycle.time();
    if t.num_seconds_from_midnight() == 0 && t.nanosecond() == 0 {
        date.pred_opt().unwrap_or(date)
    } else {
        date
    }
}

/// One source document of an import: its name as given and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub sha256: String,
}

/// A Graph subscription matched to the catalog: its product and tenant, and either a
/// catalog subscription or (`graph_only`) one known only from Graph, which the fold adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The companySubscription `id` (for a subscribedSku alone: its subscription id).
    pub graph_id: String,
    pub sku: String,
    pub product: String,
    pub tenant: String,
    /// The catalog subscription it is (or, `graph_only`, the id the fold gives it).
    pub subscription: String,
    pub graph_only: bool,
    pub status: GraphStatus,
    /// `totalLicenses` (subscribedSku: every prepaid unit).
    pub licenses: u32,
    /// E, for an Enabled subscription with a `nextLifecycleDateTime`; else none reported.
    #[serde(with = "date_field::optional")]
    pub end_date: Option<NaiveDate>,
    /// `nextLifecycleDateTime` as reported (RFC 3339).
    pub next_lifecycle: Option<String>,
    pub is_trial: bool,
    /// `consumedUnits` of its subscribedSku, when the import had one.
    pub consumed: Option<u32>,
}

/// A record of an import that changes nothing, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmatched {
    /// The Graph id (or the SKU) of the record.
    pub record: String,
    pub sku: String,
    pub reason: String,
}

/// What the fold keeps on a subscription from its latest observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observed {
    pub status: GraphStatus,
    /// The day of the import that reported it.
    #[serde(with = "date_field")]
    pub date: NaiveDate,
    pub consumed: Option<u32>,
    pub is_trial: bool,
}

/// A redemption against the first observation of its subscription after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum Verdict {
    Match {
        observed_seq: i64,
    },
    Mismatch {
        observed_seq: i64,
        observed_licenses: u32,
        #[serde(with = "date_field::optional")]
        observed_end_date: Option<NaiveDate>,
        observed_status: GraphStatus,
    },
    NotObservedYet,
}

/// One redemption's reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciled {
    pub seq: i64,
    pub benefit: String,
    pub subscription: String,
    #[serde(with = "date_field")]
    pub date: NaiveDate,
    pub previewed_licenses: u32,
    #[serde(with = "date_field")]
    pub previewed_end_date: NaiveDate,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// What Microsoft Graph reported for a redemption's subscription, and in which import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported {
    pub seq: i64,
    pub licenses: u32,
    pub end_date: Option<NaiveDate>,
    pub status: GraphStatus,
}

impl Reconciled {
    pub fn is_mismatch(&self) -> bool {
        matches!(self.verdict, Verdict::Mismatch { .. })
    }

    /// What the observation said (on a match: what was previewed); none while not observed.
    pub fn observed(&self) -> Option<Reported> {
        match self.verdict {
            Verdict::NotObservedYet => None,
            Verdict::Match { observed_seq } => Some(Reported {
                seq: observed_seq,
                licenses: self.previewed_licenses,
                end_date: Some(self.previewed_end_date),
                status: GraphStatus::Enabled,
            }),
            Verdict::Mismatch {
                observed_seq,
                observed_licenses,
                observed_end_date,
                observed_status,
            } => Some(Reported {
                seq: observed_seq,
                licenses: observed_licenses,
                end_date: observed_end_date,
                status: observed_status,
            }),
        }
    }
}

/// Whether an observation bears out a preview: the same total licenses, an Enabled
/// subscription, and the same end date (an observation without one cannot confirm it).
fn bears_out(o: &Observation, licenses: u32, end: NaiveDate) -> bool {
    o.licenses == licenses && o.status == GraphStatus::Enabled && o.end_date == Some(end)
}

/// Every redemption of `entries` (in ledger order) against the first observation of its
/// subscription in a later entry: match, mismatch (both values), or not observed yet.
pub fn reconcile(entries: &[(i64, super::Entry)]) -> Vec<Reconciled> {
    reconcile_newest_first(entries.iter().rev().map(|(seq, e)| (*seq, e)))
}

/// `reconcile` over the ledger read newest first (as the dashboard holds its history), in
/// one pass: walking back in time, the observation of a subscription seen last is the
/// first one after every redemption older than it. The results are in ledger order.
pub fn reconcile_newest_first<'a>(
    entries: impl IntoIterator<Item = (i64, &'a super::Entry)>,
) -> Vec<Reconciled> {
    use super::Entry;
    use std::collections::HashMap;
    let mut first_after: HashMap<&str, (i64, &Observation)> = HashMap::new();
    let mut out = Vec::new();
    for (seq, e) in entries {
        let (Entry::Redemption {
            benefit,
            target,
            after,
            date,
            ..
        }
        | Entry::KeylessRedemption {
            benefit,
            target,
            after,
            date,
            ..
        }) = e
        else {
            if let Entry::GraphImport { observations, .. } = e {
                // Within one import the first observation of a subscription counts.
                for o in observations.iter().rev() {
                    first_after.insert(&o.subscription, (seq, o));
                }
            }
            continue;
        };
        let sub = target.subscription_id();
        let verdict = match first_after.get(sub) {
            None => Verdict::NotObservedYet,
            Some(&(s, o)) if bears_out(o, after.total_licenses, after.end_date) => {
                Verdict::Match { observed_seq: s }
            }
            Some(&(s, o)) => Verdict::Mismatch {
                observed_seq: s,
                observed_licenses: o.licenses,
                observed_end_date: o.end_date,
                observed_status: o.status,
            },
        };
        out.push(Reconciled {
            seq,
            benefit: benefit.clone(),
            subscription: sub.to_string(),
            date: *date,
            previewed_licenses: after.total_licenses,
            previewed_end_date: after.end_date,
            verdict,
        });
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests;
