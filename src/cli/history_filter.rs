//! `history --since/--until/--benefit/--op`: which ledger entries a listing or an export
//! shows, the same for the table, `--json` and `--csv`.

use super::args::HistoryArgs;
use super::{Failure, Session, store_failure};
use crate::domain::Entry;
use crate::store::Logged;
use chrono::NaiveDate;

/// Every op a ledger entry can have (the names serde tags entries with).
const OPS: &[&str] = <Entry as strum::VariantNames>::VARIANTS;

#[derive(Debug, Default)]
pub struct HistoryFilter {
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    benefit: Option<String>,
    op: Option<&'static str>,
}

impl HistoryFilter {
    /// The filters as given; every one that cannot be right is a usage error with its fix.
    pub fn parse(a: &HistoryArgs) -> Result<Self, Failure> {
        let since = a.since.as_deref().map(|s| date("--since", s)).transpose()?;
        let until = a.until.as_deref().map(|s| date("--until", s)).transpose()?;
        if let (Some(s), Some(u)) = (since, until)
            && s > u
        {
            return Err(Failure::usage(
                "invalid-filter",
                format!(
                    "--since {s} is after --until {u}, so nothing could match; fix: swap the two dates"
                ),
            ));
        }
        let op =
            match a.op.as_deref() {
                None => None,
                Some(op) => Some(OPS.iter().copied().find(|known| *known == op).ok_or_else(
                    || {
                        Failure::usage(
                            "invalid-filter",
                            format!(
                                "--op {:?} is no operation; fix: use one of {}",
                                crate::ui::text::clean(op),
                                OPS.join(", ")
                            ),
                        )
                    },
                )?),
            };
        Ok(HistoryFilter {
            since,
            until,
            benefit: a.benefit.clone(),
            op,
        })
    }

    pub fn keeps(&self, e: &Entry) -> bool {
        self.since.is_none_or(|d| e.date() >= d)
            && self.until.is_none_or(|d| e.date() <= d)
            && self.benefit.as_deref().is_none_or(|b| e.benefit() == b)
            && self.op.is_none_or(|op| e.op() == op)
    }

    /// The session's whole ledger (also the part a checkpoint let the start skip) that the
    /// filters keep, newest first. A `--benefit` that neither the catalog nor the ledger
    /// knows is a typo, not an empty history.
    pub fn entries(&self, s: &Session) -> Result<Vec<Logged>, Failure> {
        let mut entries = if s.history_through > 0 {
            let mut older = s
                .store
                .entries_through(s.history_through)
                .map_err(store_failure)?;
            older.extend(s.ledger.iter().cloned());
            older
        } else {
            s.ledger.clone()
        };
        if let Some(b) = &self.benefit
            && s.portfolio.benefit(b).is_none()
            && !entries.iter().any(|l| l.entry.benefit() == b)
        {
            return Err(Failure::usage(
                "unknown-benefit",
                format!(
                    "--benefit {:?}: no benefit with this id in the catalog or the ledger; fix: \
                     take an id from `benefits list cloud` or `benefits list software`",
                    crate::ui::text::clean(b)
                ),
            ));
        }
        entries.retain(|l| self.keeps(&l.entry));
        entries.reverse();
        Ok(entries)
    }
}

/// `YYYY-MM-DD` with a four-digit year and a real day: chrono alone would also take a
/// signed or five-digit year, which no admin means in a filter.
fn date(flag: &str, text: &str) -> Result<NaiveDate, Failure> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && (b.iter().enumerate()).all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let parsed = shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten();
    parsed.ok_or_else(|| {
        let what = if shaped {
            "is not a day of the calendar"
        } else {
            "is not a date"
        };
        Failure::usage(
            "invalid-filter",
            format!(
                "{flag} {:?} {what}; fix: write it as YYYY-MM-DD with a four-digit year, e.g. 2026-11-23",
                crate::ui::text::clean(text)
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_dates_take_four_digit_years_and_real_days_only() {
        assert_eq!(
            date("--since", "2026-02-28").ok(),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        for bad in [
            "2026-02-30",
            "+2026-02-28",
            "12026-02-28",
            "26-02-28",
            "2026-2-28",
            "2026/02/28",
            " 2026-02-28",
            "２０２６-02-28",
        ] {
            let e = date("--since", bad).unwrap_err();
            assert_eq!(e.exit, super::super::Exit::Usage, "{bad}");
            assert!(
                e.message.contains("fix: write it as YYYY-MM-DD"),
                "{bad}: {}",
                e.message
            );
        }
    }
}
