//! What a row shows of a benefit, derived from state: shared by the CLI and the dashboard.

use super::model::{CloudBenefit, SoftwareBenefit};
use super::portfolio::Portfolio;
use super::status::SubscriptionStatus;
use chrono::NaiveDate;

/// "Source": the program that provisioned the benefit, with its specialization.
pub fn source_label(p: &Portfolio, offer_id: &str) -> String {
    match p.catalog.offers.iter().find(|o| o.id == offer_id) {
        Some(o) => match &o.specialization {
            Some(s) => format!("{} — {s}", o.name),
            None => o.name.clone(),
        },
        None => offer_id.to_string(),
    }
}

/// The subscription a license-based benefit's status is about: its product's
/// latest-ending one.
pub fn latest_subscription<'p>(
    p: &'p Portfolio,
    b: &CloudBenefit,
) -> Option<&'p super::model::Subscription> {
    p.subscriptions_of_product(&b.product)
        .max_by_key(|s| s.end_date)
}

/// Product subscription status of a license-based benefit: its product's latest-ending
/// subscription, or No Active Subscription when there is none.
pub fn product_status(p: &Portfolio, b: &CloudBenefit, today: NaiveDate) -> SubscriptionStatus {
    latest_subscription(p, b)
        .map(|s| s.status(today))
        .unwrap_or(SubscriptionStatus::NoActiveSubscription)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedemptionState {
    /// At least one key (or an unassigned credit) waits.
    ReadyToRedeem,
    Redeemed,
    /// Nothing to redeem (no keys listed, or a CAL).
    Nothing,
}

pub fn cloud_redemption_state(b: &CloudBenefit) -> RedemptionState {
    if let Some(lic) = &b.license {
        if lic.keys.is_empty() && lic.keyless_redeemed.is_some() {
            RedemptionState::Redeemed
        } else if lic.keys.is_empty() {
            RedemptionState::Nothing
        } else if lic.keys.iter().any(|k| !k.redeemed) {
            RedemptionState::ReadyToRedeem
        } else {
            RedemptionState::Redeemed
        }
    } else if let Some(c) = &b.credit {
        if c.assigned_to.is_none() {
            RedemptionState::ReadyToRedeem
        } else {
            RedemptionState::Redeemed
        }
    } else {
        RedemptionState::Nothing
    }
}

pub fn software_activations(b: &SoftwareBenefit) -> (u32, u32) {
    b.keys.iter().fold((0, 0), |(u, a), k| {
        (
            u.saturating_add(k.activations_used),
            a.saturating_add(k.activations_allowed),
        )
    })
}

/// Days from today to the activate-by date (negative: past).
pub fn days_left(activate_by: NaiveDate, today: NaiveDate) -> i64 {
    (activate_by - today).num_days()
}

/// Past its activate-by date: from the day after it, nothing of the benefit can be
/// redeemed, activated or assigned any more.
pub fn past_activate_by(activate_by: NaiveDate, today: NaiveDate) -> bool {
    today > activate_by
}

/// Work is left on the benefit (a key, an unassigned credit) but its activate-by date has
/// passed: it reads as expired, never as ready to redeem.
pub fn cloud_benefit_expired(b: &CloudBenefit, today: NaiveDate) -> bool {
    cloud_redemption_state(b) == RedemptionState::ReadyToRedeem
        && past_activate_by(b.activate_by, today)
}

/// Partner Center's quick filter "Not redeemed & expiring in 3 months".
pub fn expiring_within_three_months(activate_by: NaiveDate, today: NaiveDate) -> bool {
    activate_by >= today && activate_by <= super::calendar::add_months(today, 3)
}
