//! The redemption arithmetic of DOMAIN.md, exact and pure: dates and counts in, the new
//! Total licenses and End date out, with the numbers needed to explain the result.

use crate::domain::{Mode, Param, Refusal, RefusalCode, Totals};
use chrono::{Days, NaiveDate};
use serde::Serialize;

// The month arithmetic lives in `domain` (the quick filters need it too), so the arrows
// point one way: licensing uses domain, never the reverse.
pub use crate::domain::calendar::{self, add_months};

pub const MONTHS_PER_KEY_TERM: u32 = 12;
/// The end date can be extended by at most three years: C ≤ 3·A.
pub const MAX_EXTENSION_FACTOR: u32 = 3;

/// The numbers behind a result, for "How is the end date calculated?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum Explanation {
    Activate {
        key_licenses: u32,
        today: NaiveDate,
    },
    Extend {
        active_licenses: u32,
        key_licenses: u32,
        /// Whole months m = floor(12·C/A).
        months: u32,
        /// The fraction f = (12·C mod A) / A, as numerator over `active_licenses`.
        fraction_numerator: u64,
        /// E + m months.
        month_end: NaiveDate,
        /// L: days from E+m months to E+m+1 months.
        next_month_days: u32,
        /// floor(f × L).
        extra_days: u32,
    },
    AddLicenses {
        active_licenses: u32,
        key_licenses: u32,
        today: NaiveDate,
        /// B: days from today to E.
        remaining_days: i64,
        /// T: days from today to today + 12 months.
        term_days: i64,
        /// R = floor((A·B + C·T) / (A + C)).
        new_remaining_days: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Warning {
    /// Add licenses leaves less than 12 months: keep a full year by extending, or wait and renew.
    LessThanTwelveMonths { days: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub mode: Mode,
    pub before: Option<Totals>,
    pub after: Totals,
    pub warnings: Vec<Warning>,
    pub explanation: Explanation,
}

/// Mode 1, Activate (first time, or Expired / Disabled / No Active Subscription):
/// total = C, end = today + 12 months.
pub fn activate(key_licenses: u32, today: NaiveDate) -> Outcome {
    Outcome {
        mode: Mode::Activate,
        before: None,
        after: Totals {
            total_licenses: key_licenses,
            end_date: add_months(today, MONTHS_PER_KEY_TERM),
        },
        warnings: Vec::new(),
        explanation: Explanation::Activate {
            key_licenses,
            today,
        },
    }
}

/// Mode 2, Extend end date (Active only): licenses stay A; E moves by 12·C/A months — whole
/// months as calendar months, the fraction as floor(f × L) days of the following month.
pub fn extend(active: Totals, key_licenses: u32) -> Result<Outcome, Refusal> {
    let a = active.total_licenses;
    let c = key_licenses;
    if a == 0 {
        return Err(Refusal::new(RefusalCode::NoLicensesOnSubscription));
    }
    if u64::from(c) > u64::from(MAX_EXTENSION_FACTOR) * u64::from(a) {
        return Err(Refusal::new(RefusalCode::ExtensionExceedsThreeYears)
            .with(Param::KeyLicenses, c)
            .with(Param::Licenses, a));
    }
    let twelve_c = u64::from(MONTHS_PER_KEY_TERM) * u64::from(c);
    let months = u32::try_from(twelve_c / u64::from(a)).expect("≤ 36 by the 3x rule");
    let fraction_numerator = twelve_c % u64::from(a);
    let month_end = add_months(active.end_date, months);
    let following = add_months(active.end_date, months + 1);
    let next_month_days = u32::try_from((following - month_end).num_days()).expect("28..=31");
    let extra_days =
        u32::try_from(fraction_numerator * u64::from(next_month_days) / u64::from(a)).expect("< L");
    let end_date = month_end + Days::new(u64::from(extra_days));
    Ok(Outcome {
        mode: Mode::Extend,
        before: Some(active),
        after: Totals {
            total_licenses: a,
            end_date,
        },
        warnings: Vec::new(),
        explanation: Explanation::Extend {
            active_licenses: a,
            key_licenses: c,
            months,
            fraction_numerator,
            month_end,
            next_month_days,
            extra_days,
        },
    })
}

/// Mode 3, Add licenses (Active only): total = A + C; remaining time averaged by licenses,
/// R = floor((A·B + C·T) / (A + C)) days from today. A total past [`MAX_TOTAL_LICENSES`] is
/// refused, never capped: the ledger only ever holds exact totals.
pub fn add_licenses(
    active: Totals,
    key_licenses: u32,
    today: NaiveDate,
) -> Result<Outcome, Refusal> {
    let Some(total_licenses) = active.total_licenses.checked_add(key_licenses) else {
        return Err(Refusal::new(RefusalCode::LicenseTotalTooLarge)
            .with(Param::KeyLicenses, u64::from(key_licenses))
            .with(Param::Licenses, u64::from(active.total_licenses))
            .with(Param::Max, u64::from(MAX_TOTAL_LICENSES)));
    };
    let a = i64::from(active.total_licenses);
    let c = i64::from(key_licenses);
    let b = (active.end_date - today).num_days();
    let term_end = add_months(today, MONTHS_PER_KEY_TERM);
    let t = (term_end - today).num_days();
    let r = if a + c == 0 {
        b
    } else {
        (a * b + c * t).div_euclid(a + c)
    };
    let end_date = today + chrono::Duration::days(r);
    let mut warnings = Vec::new();
    if r < t {
        warnings.push(Warning::LessThanTwelveMonths { days: r });
    }
    Ok(Outcome {
        mode: Mode::AddLicenses,
        before: Some(active),
        after: Totals {
            total_licenses,
            end_date,
        },
        warnings,
        explanation: Explanation::AddLicenses {
            active_licenses: active.total_licenses,
            key_licenses,
            today,
            remaining_days: b,
            term_days: t,
            new_remaining_days: r,
        },
    })
}

/// The most licenses one subscription's total can hold: what a 32-bit count holds. The
/// catalog bounds every count it reads far below this (`catalog::MAX_COUNT`), so only
/// many add-licenses redemptions on one subscription can reach it.
pub const MAX_TOTAL_LICENSES: u32 = u32::MAX;

/// The state of the target subscription, as far as the arithmetic cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetState {
    /// A new subscription, or one that is Expired, Disabled or gone.
    Inactive {
        status: crate::domain::SubscriptionStatus,
        current: Option<Totals>,
    },
    Active(Totals),
}

/// One mode against one target: the outcome, or why this mode is refused here.
pub fn compute(
    mode: Mode,
    target: TargetState,
    key_licenses: u32,
    today: NaiveDate,
) -> Result<Outcome, Refusal> {
    match (mode, target) {
        (Mode::Activate, TargetState::Inactive { current, .. }) => {
            let mut o = activate(key_licenses, today);
            o.before = current;
            Ok(o)
        }
        (Mode::Activate, TargetState::Active(t)) => {
            Err(Refusal::new(RefusalCode::SubscriptionActive).with(Param::Date, t.end_date))
        }
        (Mode::Extend | Mode::AddLicenses, TargetState::Inactive { status, .. }) => {
            Err(Refusal::new(RefusalCode::SubscriptionNotActive).with(Param::Status, status))
        }
        (Mode::Extend, TargetState::Active(t)) => extend(t, key_licenses),
        (Mode::AddLicenses, TargetState::Active(t)) => add_licenses(t, key_licenses, today),
    }
}

/// Every mode side by side, in the order the preview shows them.
pub fn preview_all(
    target: TargetState,
    key_licenses: u32,
    today: NaiveDate,
) -> Vec<(Mode, Result<Outcome, Refusal>)> {
    Mode::ALL
        .iter()
        .map(|&m| (m, compute(m, target, key_licenses, today)))
        .collect()
}

#[cfg(test)]
mod tests;
