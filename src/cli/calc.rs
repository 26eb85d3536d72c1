//! `benefits calc`: the arithmetic alone, a what-if tool that needs no catalog.

use super::args::{CalcArgs, CalcMode, CalcStatus};
use super::output::{outcome_json, outcome_text};
use super::{Env, Failure};
use crate::domain::{Mode, SubscriptionStatus, Totals, lifecycle_status};
use crate::licensing::{self, TargetState};

pub fn calc(env: &Env, a: &CalcArgs) -> Result<(), Failure> {
    counts_in_range(a.licenses, a.key_licenses)?;
    let mode = match a.mode {
        CalcMode::Activate => Mode::Activate,
        CalcMode::Extend => Mode::Extend,
        CalcMode::Add => Mode::AddLicenses,
    };
    let status = match (a.status, a.end_date) {
        (Some(CalcStatus::Active), _) => SubscriptionStatus::Active,
        (Some(CalcStatus::Expired), _) => SubscriptionStatus::Expired,
        (Some(CalcStatus::Disabled), _) => SubscriptionStatus::Disabled,
        (Some(CalcStatus::None), _) | (None, None) => SubscriptionStatus::NoActiveSubscription,
        (None, Some(end)) => lifecycle_status(end, env.today, false),
    };
    let current = a.end_date.map(|end_date| Totals {
        total_licenses: a.licenses,
        end_date,
    });
    let target = match (status, current) {
        (SubscriptionStatus::Active, Some(t)) => TargetState::Active(t),
        (SubscriptionStatus::Active, None) => {
            return Err(Failure::usage(
                "missing-end-date",
                "an active subscription needs --end-date YYYY-MM-DD (and --licenses A)",
            ));
        }
        (status, current) => TargetState::Inactive { status, current },
    };
    let result = licensing::compute(mode, target, a.key_licenses, env.today);
    if env.json {
        match &result {
            Ok(_) => outln!("{}", outcome_json(mode, &result, env.t())),
            Err(r) => return Err(Failure::refused(r, env.t())),
        }
    } else {
        match &result {
            Ok(_) => out!("{}", outcome_text(mode, &result, env.t())),
            Err(r) => return Err(Failure::refused(r, env.t())),
        }
    }
    Ok(())
}

/// The catalog's bound on every count: any two sum exactly within the 32 bits a total is
/// kept in, so every answer calc gives is exact (never a capped or wrapped total).
fn counts_in_range(licenses: u32, key_licenses: u32) -> Result<(), Failure> {
    let max = crate::catalog::MAX_COUNT;
    for (flag, n) in [("--licenses", licenses), ("--key-licenses", key_licenses)] {
        if n > max {
            return Err(Failure::usage(
                "count-out-of-range",
                format!(
                    "{flag} {n} is more than a catalog may hold: write a number from 0 to {max}"
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::catalog::MAX_COUNT;
    use crate::domain::Totals;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    proptest! {
        /// Over the whole u32 range: a count calc accepts gives an exact total (never a
        /// capped or wrapped one), and the explanation divides by that very total.
        #[test]
        fn prop_calc_add_is_exact_or_refused(a in any::<u32>(), c in any::<u32>()) {
            let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
            let accepted = super::counts_in_range(a, c);
            prop_assert_eq!(accepted.is_ok(), a <= MAX_COUNT && c <= MAX_COUNT);
            if accepted.is_ok() {
                let end_date = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
                let o = crate::licensing::add_licenses(Totals { total_licenses: a, end_date }, c, today)
                    .expect("counts within MAX_COUNT sum within u32");
                prop_assert_eq!(u64::from(o.after.total_licenses), u64::from(a) + u64::from(c));
                let text = crate::i18n::explain(&o, crate::i18n::Messages::get(crate::i18n::Lang::EnUs));
                let total = (u64::from(a) + u64::from(c)).to_string();
                prop_assert!(text.contains(&total), "{}", text);
            } else {
                prop_assert_eq!(accepted.unwrap_err().exit, super::super::Exit::Usage);
            }
        }
    }
}
