//! "How is the end date calculated?", spelled out in the actual numbers and in words.

use super::Messages;
use crate::licensing::{Explanation, Outcome};

/// The one-line explanation of `o`'s arithmetic (`explain.activate`, `explain.extend`,
/// `explain.add`), with dates in `t`'s locale format.
pub fn explain(o: &Outcome, t: &Messages) -> String {
    let new_end = t.date(o.after.end_date);
    match &o.explanation {
        Explanation::Activate {
            key_licenses,
            today,
        } => t.fmt(
            "explain.activate",
            &[
                ("c", &key_licenses.to_string()),
                ("today", &t.date(*today)),
                ("new_end", &new_end),
            ],
        ),
        Explanation::Extend {
            active_licenses,
            key_licenses,
            months,
            fraction_numerator,
            month_end,
            next_month_days,
            extra_days,
        } => t.fmt(
            // A whole number of months: no "0/100 of a month" to spell out.
            if *fraction_numerator == 0 {
                "explain.extend-whole"
            } else {
                "explain.extend"
            },
            &[
                ("c", &key_licenses.to_string()),
                ("a", &active_licenses.to_string()),
                ("months", &months.to_string()),
                (
                    "fraction",
                    &format!("{fraction_numerator}/{active_licenses}"),
                ),
                (
                    "end",
                    &o.before.map(|b| t.date(b.end_date)).unwrap_or_default(),
                ),
                ("mid", &t.date(*month_end)),
                ("len", &next_month_days.to_string()),
                ("days", &extra_days.to_string()),
                ("new_end", &new_end),
            ],
        ),
        Explanation::AddLicenses {
            active_licenses,
            key_licenses,
            today,
            remaining_days,
            term_days,
            new_remaining_days,
        } => t.fmt(
            "explain.add",
            &[
                ("a", &active_licenses.to_string()),
                ("b", &remaining_days.to_string()),
                ("c", &key_licenses.to_string()),
                ("t", &term_days.to_string()),
                ("total", &o.after.total_licenses.to_string()),
                ("r", &new_remaining_days.to_string()),
                ("today", &t.date(*today)),
                ("new_end", &new_end),
            ],
        ),
    }
}
