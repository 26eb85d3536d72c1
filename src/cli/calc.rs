//! `benefits calc`: the arithmetic alone, a what-if tool that needs no catalog.

use super::args::{CalcArgs, CalcMode, CalcStatus};
use super::output::{outcome_json, outcome_text};
use super::{Env, Failure};
use crate::domain::{Mode, SubscriptionStatus, Totals, lifecycle_status};
use crate::licensing::{self, TargetState};

pub fn calc(env: &Env, a: &CalcArgs) -> Result<(), Failure> {
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
