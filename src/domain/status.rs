//! The Microsoft 365 subscription lifecycle: Active through the end date E, Expired for
//! the 30 days after, Disabled for the 90 days after that, then gone.

use chrono::{Days, NaiveDate};

code_enum! {
    /// serde and strum share the kebab-case rule: `as_str` is the code the ledger and JSON use.
    #[derive(schemars::JsonSchema)]
    pub enum SubscriptionStatus {
        Active,
        NoActiveSubscription,
        Expired,
        Disabled,
    }
}

pub const EXPIRED_DAYS: u64 = 30;
pub const DISABLED_DAYS: u64 = 90;

impl SubscriptionStatus {
    pub fn is_active(self) -> bool {
        self == Self::Active
    }
}

/// Status of a subscription ending on `end` as seen on `today`. A catalog may force
/// Disabled (an administrator disabled it); that override wins while the subscription exists.
pub fn lifecycle_status(end: NaiveDate, today: NaiveDate, disabled: bool) -> SubscriptionStatus {
    let expired_until = end + Days::new(EXPIRED_DAYS);
    let disabled_until = expired_until + Days::new(DISABLED_DAYS);
    if today > disabled_until {
        SubscriptionStatus::NoActiveSubscription
    } else if disabled {
        SubscriptionStatus::Disabled
    } else if today <= end {
        SubscriptionStatus::Active
    } else if today <= expired_until {
        SubscriptionStatus::Expired
    } else {
        SubscriptionStatus::Disabled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SubscriptionStatus::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn status_codes_are_the_same_for_serde_and_strum() {
        for s in SubscriptionStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap().as_str(), Some(s.as_str()));
            assert_eq!(s.as_str().parse::<SubscriptionStatus>().ok(), Some(*s));
        }
    }

    #[test]
    fn lifecycle_active_through_end_date() {
        assert_eq!(
            lifecycle_status(d("2026-11-23"), d("2026-11-23"), false),
            Active
        );
        assert_eq!(
            lifecycle_status(d("2026-12-31"), d("2026-11-23"), false),
            Active
        );
    }

    #[test]
    fn lifecycle_expired_for_30_days_after() {
        assert_eq!(
            lifecycle_status(d("2026-11-22"), d("2026-11-23"), false),
            Expired
        );
        assert_eq!(
            lifecycle_status(d("2026-10-24"), d("2026-11-23"), false),
            Expired
        );
    }

    #[test]
    fn lifecycle_disabled_for_90_days_after_that() {
        assert_eq!(
            lifecycle_status(d("2026-10-23"), d("2026-11-23"), false),
            Disabled
        );
        // E + 120 days is the last Disabled day.
        assert_eq!(
            lifecycle_status(d("2026-07-26"), d("2026-11-23"), false),
            Disabled
        );
    }

    #[test]
    fn lifecycle_then_no_active_subscription() {
        assert_eq!(
            lifecycle_status(d("2026-07-25"), d("2026-11-23"), false),
            NoActiveSubscription
        );
    }

    #[test]
    fn lifecycle_catalog_may_set_disabled_explicitly() {
        assert_eq!(
            lifecycle_status(d("2027-03-01"), d("2026-11-23"), true),
            Disabled
        );
    }
}
