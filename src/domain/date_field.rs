//! Dates of the catalog schema and the ledger. In text formats (the YAML catalog, the
//! ledger's JSON) a date is chrono's own `YYYY-MM-DD`, read as chrono reads it, with the
//! plain form taken without chrono's general-purpose parser (a start reads three dates
//! per ledger entry, and that parser was a third of reading one); in binary formats (the
//! catalog snapshot) it is its day number, so a snapshot parses no date text at all.
//!
//! Use as `#[serde(with = "date_field")]`, or `with = "date_field::optional"` (with
//! `default`) on an `Option<NaiveDate>`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        date.serialize(s)
    } else {
        date.num_days_from_ce().serialize(s)
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    if d.is_human_readable() {
        d.deserialize_str(Text)
    } else {
        let days = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(days)
            .ok_or_else(|| de::Error::custom(format!("day {days} is outside the calendar")))
    }
}

/// chrono's own date visitor, with a fast path for `YYYY-MM-DD`.
struct Text;

impl de::Visitor<'_> for Text {
    type Value = NaiveDate;
    // chrono's words, so errors read as they did.
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a formatted date string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        match plain(v) {
            Some(date) => Ok(date),
            None => v.parse().map_err(E::custom),
        }
    }
}

/// `YYYY-MM-DD` with four, two and two ASCII digits and a real day; anything else (other
/// forms chrono accepts, and every error) is left to chrono.
fn plain(v: &str) -> Option<NaiveDate> {
    let b: &[u8; 10] = v.as_bytes().try_into().ok()?;
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// A catalog date: exactly `YYYY-MM-DD`, the year in four digits, a real day. The error
/// says why, as a clause to append to "expected a date YYYY-MM-DD, found ...".
pub fn parse_iso(v: &str) -> Result<NaiveDate, &'static str> {
    if let Some(date) = plain(v) {
        return Ok(date);
    }
    let parts: Vec<&str> = v.split('-').collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts[..] {
        [y, m, d] if digits(y) && digits(m) && digits(d) => {
            if y.len() != 4 {
                Err(" (the year has four digits)")
            } else if m.len() != 2 || d.len() != 2 {
                Err(" (month and day have two digits)")
            } else {
                Err(" (there is no such day)")
            }
        }
        _ => Err(""),
    }
}

pub mod optional {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Date(#[serde(with = "super")] NaiveDate);

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        date.map(Date).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<Date>::deserialize(d).map(|o| o.map(|Date(d)| d))
    }
}

/// How a catalog date is described in the catalog's JSON Schema: text `YYYY-MM-DD`, the
/// year in four digits (`format: date` lets an editor check the day is real).
pub struct IsoDate;

impl schemars::JsonSchema for IsoDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date YYYY-MM-DD with a four-digit year, e.g. 2027-06-30.",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::Visitor;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct T {
        #[serde(with = "super")]
        day: NaiveDate,
        #[serde(default, with = "optional")]
        maybe: Option<NaiveDate>,
    }

    fn t(maybe: Option<NaiveDate>) -> T {
        T {
            day: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            maybe,
        }
    }

    #[test]
    fn dates_are_text_in_json_as_chrono_reads_them() {
        let v: T = serde_json::from_str(r#"{"day": "2026-11-23", "maybe": "2027-03-31"}"#).unwrap();
        assert_eq!(v, t(NaiveDate::from_ymd_opt(2027, 3, 31)));
        let v: T = serde_json::from_str(r#"{"day": "2026-11-23"}"#).unwrap();
        assert_eq!(v, t(None));
        let text = serde_json::to_string(&t(None)).unwrap();
        assert!(text.contains(r#""day":"2026-11-23""#), "{text}");
        for bad in ["2026-02-30", "23.11.2026", "20261123"] {
            let theirs = serde_json::from_str::<NaiveDate>(&format!("{bad:?}")).unwrap_err();
            let ours = serde_json::from_str::<T>(&format!(r#"{{"day": {bad:?}}}"#)).unwrap_err();
            assert!(
                ours.to_string().starts_with(&theirs.to_string()[..20]),
                "{bad}: {ours} vs {theirs}"
            );
        }
    }

    #[test]
    fn catalog_dates_have_a_four_digit_year_two_digit_month_and_day_and_exist() {
        assert_eq!(
            parse_iso("2027-01-15"),
            Ok(NaiveDate::from_ymd_opt(2027, 1, 15).unwrap())
        );
        // chrono reads this as the year 27; a catalog date never does.
        assert!("27-01-15".parse::<NaiveDate>().is_ok());
        assert_eq!(parse_iso("27-01-15"), Err(" (the year has four digits)"));
        assert_eq!(parse_iso("02027-01-15"), Err(" (the year has four digits)"));
        assert_eq!(
            parse_iso("2027-1-15"),
            Err(" (month and day have two digits)")
        );
        assert_eq!(parse_iso("2027-02-30"), Err(" (there is no such day)"));
        for other in [
            "2027/01/15",
            "+2027-01-15",
            " 2027-01-15",
            "2027-01-15T00:00",
            "",
            "2027",
        ] {
            assert_eq!(parse_iso(other), Err(""), "{other:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_dates_read_as_chrono_reads_them(
            y in 0u32..10_000, m in 0u32..14, d in 0u32..33,
            sep in proptest::sample::select(vec!['-', '/', ' ']),
        ) {
            let text = format!("{y:04}{sep}{m:02}{sep}{d:02}");
            let theirs = text.parse::<NaiveDate>().ok();
            let ours = Text.visit_str::<serde::de::value::Error>(&text).ok();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn dates_outside_the_plain_form_are_chrono_s() {
        for text in [
            "+2026-11-23",
            "2026-1-23",
            " 2026-11-23",
            "2026-11-23 ",
            "２０２６-11-23",
        ] {
            let theirs = text.parse::<NaiveDate>().map_err(|e| e.to_string());
            let ours = Text
                .visit_str::<serde::de::value::Error>(text)
                .map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn dates_are_day_numbers_in_binary_and_round_trip() {
        for maybe in [
            None,
            NaiveDate::from_ymd_opt(1, 1, 1),
            NaiveDate::MAX.into(),
        ] {
            let bin = postcard::to_allocvec(&t(maybe)).unwrap();
            assert_eq!(postcard::from_bytes::<T>(&bin).unwrap(), t(maybe));
        }
        let days = postcard::to_allocvec(&(i32::MAX, None::<i32>)).unwrap();
        assert!(postcard::from_bytes::<T>(&days).is_err(), "no such day");
    }
}
