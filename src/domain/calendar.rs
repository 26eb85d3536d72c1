//! "+n months" is calendar arithmetic clamped to the month's last day, always computed
//! from the original date in one step (Jan 31 + 1 month = Feb 28/29; + 2 months = Mar 31).

use chrono::{Months, NaiveDate};

pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    // chrono clamps to the last day of the target month; it only fails past year 262143.
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}
