//! When each entry was written: the store stamps the time as it commits (the edge reads
//! the clock; the core never does), kept as RFC 3339 in UTC to the second.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

/// Where the store takes the time it stamps on each entry it writes: the system clock,
/// a fixed instant (`--now` / `BENEFITS_NOW`, so tests and demos read the same times), or
/// a pinned day (`--today` without `--now`) at the clock's time of day, so the stamp's
/// date is the date the entry itself carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
    OnDay(NaiveDate),
}

impl Clock {
    /// `--now` wins; else a pinned `--today`; else the system clock.
    pub fn pinned(now: Option<DateTime<Utc>>, today: Option<NaiveDate>) -> Clock {
        match (now, today) {
            (Some(at), _) => Clock::Fixed(at),
            (None, Some(day)) => Clock::OnDay(day),
            (None, None) => Clock::System,
        }
    }

    /// Now, to the second (what the ledger keeps, so a commit reads back as it was made).
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
            Clock::OnDay(day) => day.and_time(Utc::now().time()).and_utc(),
        }
        .trunc_subsecs(0)
    }
}

/// The stamp as the ledger stores it: RFC 3339 in UTC, to the second (`2026-12-01T14:05:09Z`).
pub fn stamp_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored stamp read back; one that does not parse (edited by hand) shows as none.
pub(super) fn parse_stamp(text: Option<&str>) -> Option<DateTime<Utc>> {
    let text = text?;
    written_form(text).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// The one form `stamp_text` writes, `YYYY-MM-DDTHH:MM:SSZ`, read by position: a start
/// reads one stamp per entry, and chrono's general RFC 3339 parser made reading a long
/// ledger about 15% slower. Anything else goes to that parser.
fn written_form(t: &str) -> Option<DateTime<Utc>> {
    let b = t.as_bytes();
    let punctuation = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ];
    if b.len() != 20 || punctuation.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    let n = |from: usize, to: usize| {
        (b[from..to].iter()).try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let date = chrono::NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 7)?, n(8, 10)?)?;
    Some(
        date.and_hms_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?)?
            .and_utc(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{fresh, portfolio, redeem, redeem_new_on_lab};
    use super::super::{DB_FILE, LedgerRow, Logged, Store};
    use super::*;
    use crate::domain::Mode;
    use crate::redeem::Target;
    use rusqlite::Connection;
    fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn a_stamp_reads_back_as_written_and_other_rfc_3339_forms_too() {
        for text in [
            "2026-12-01T14:05:09Z",
            "2000-02-29T00:00:00Z",
            "2026-12-31T23:59:59Z",
        ] {
            let general = DateTime::parse_from_rfc3339(text).unwrap().to_utc();
            assert_eq!(written_form(text), Some(general), "{text}");
            assert_eq!(stamp_text(general), text);
        }
        let other = [
            (
                "2026-12-01T15:05:09+01:00",
                Some(at("2026-12-01T14:05:09Z")),
            ),
            ("2026-12-01T14:05:09.5Z", Some(at("2026-12-01T14:05:09.5Z"))),
            ("2026-02-30T14:05:09Z", None),
            ("2026-12-01T24:05:09Z", None),
            // RFC 3339 lets a space stand for the T.
            ("2026-12-01 14:05:09Z", Some(at("2026-12-01T14:05:09Z"))),
            ("2026-1a-01T14:05:09Z", None),
            ("", None),
        ];
        for (text, want) in other {
            assert_eq!(parse_stamp(Some(text)), want, "{text}");
        }
        assert_eq!(parse_stamp(None), None);
    }

    #[test]
    fn now_wins_then_a_pinned_day_at_the_clocks_time_then_the_clock() {
        let (at_, day) = (at("2026-12-01T14:05:09Z"), "2026-11-20".parse().unwrap());
        assert_eq!(Clock::pinned(Some(at_), Some(day)), Clock::Fixed(at_));
        assert_eq!(Clock::pinned(None, Some(day)), Clock::OnDay(day));
        assert_eq!(Clock::pinned(None, None), Clock::System);
        let before = Utc::now().trunc_subsecs(0);
        let stamped = Clock::OnDay(day).now();
        assert_eq!(stamped.date_naive(), day);
        let time = |t: DateTime<Utc>| t.time().signed_duration_since(chrono::NaiveTime::MIN);
        let apart = (time(stamped) - time(before))
            .num_seconds()
            .rem_euclid(86_400);
        assert!(apart < 5, "{stamped} vs {before}");
    }

    #[test]
    fn the_store_stamps_each_entry_with_its_clocks_time_at_commit() {
        let (_d, s, mut p) = fresh();
        let s = s.with_clock(Clock::Fixed(at("2026-12-01T14:05:09.750Z")));
        let c = redeem_new_on_lab(&s, &mut p).unwrap();
        // To the second, as the ledger keeps it: a commit reads back as it was made.
        assert_eq!(c.at, at("2026-12-01T14:05:09Z"));
        assert_eq!(s.history().unwrap(), vec![c.logged()]);
        let stored: String = s
            .conn()
            .query_row(
                "SELECT recorded_at FROM ledger WHERE seq = ?1",
                [c.seq],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stored, "2026-12-01T14:05:09Z");
        let rows = s.read_since(0).unwrap();
        assert!(
            matches!(&rows[..], [LedgerRow::Entry(l)] if l.at == Some(c.at)),
            "{rows:?}"
        );
        // The system clock, by default: a time within this test's run.
        let (_d, s, mut p) = fresh();
        let before = chrono::Utc::now().trunc_subsecs(0);
        let c = redeem_new_on_lab(&s, &mut p).unwrap();
        assert!(before <= c.at && c.at <= chrono::Utc::now(), "{}", c.at);
    }

    /// A ledger written before times were recorded (schema v1) moves forward: its entries
    /// keep the date alone (`at` is None), and what is written after has a time.
    #[test]
    fn a_v1_ledger_migrates_forward_and_its_old_entries_have_no_time() {
        let d = tempfile::tempdir().unwrap();
        let (s, mut p) = (Store::open(d.path()).unwrap(), portfolio());
        let old = redeem_new_on_lab(&s, &mut p).unwrap();
        drop(s);
        // Back to exactly what v1 wrote: no recorded_at column, user_version 1.
        let c = Connection::open(d.path().join(DB_FILE)).unwrap();
        c.execute_batch("ALTER TABLE ledger DROP COLUMN recorded_at; PRAGMA user_version = 1;")
            .unwrap();
        drop(c);
        let s = Store::open(d.path())
            .unwrap()
            .with_clock(Clock::Fixed(at("2026-12-02T08:00:00Z")));
        assert_eq!(s.schema_version().unwrap(), 2);
        let mut p = portfolio();
        let folded = s.fold(&mut p).unwrap();
        assert_eq!(folded.len(), 1);
        assert_eq!(folded[0].at, None, "written before times were recorded");
        assert_eq!(folded[0].entry, old.entry);
        let new = redeem(
            &s,
            &mut p,
            "E3AAA-AAAAA-AAAAA-AAAAA-AA100",
            "contoso",
            Target::Existing("sub-e3".into()),
            Mode::Extend,
        )
        .unwrap();
        let ats: Vec<_> = s.history().unwrap().iter().map(|l| l.at).collect();
        assert_eq!(ats, [Some(new.at), None]);
        assert_eq!(new.at, at("2026-12-02T08:00:00Z"));
    }

    #[test]
    fn a_stamp_that_does_not_parse_reads_as_none_and_the_entry_stands() {
        let (_d, s, mut p) = fresh();
        let c = redeem_new_on_lab(&s, &mut p).unwrap();
        s.conn()
            .execute("UPDATE ledger SET recorded_at = 'yesterday-ish'", [])
            .unwrap();
        assert_eq!(
            s.history().unwrap(),
            vec![Logged {
                at: None,
                ..c.logged()
            }]
        );
    }
}
