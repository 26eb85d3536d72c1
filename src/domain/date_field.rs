//! Dates of the catalog schema. In text formats (the YAML catalog) a date is chrono's own
//! `YYYY-MM-DD`, read exactly as chrono reads it; in binary formats (the catalog snapshot)
//! it is its day number, so a snapshot of 100k benefits parses no date text at all.
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
        NaiveDate::deserialize(d)
    } else {
        let days = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(days)
            .ok_or_else(|| de::Error::custom(format!("day {days} is outside the calendar")))
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn dates_are_text_in_yaml_as_chrono_reads_them() {
        let v: T = serde_yaml::from_str("day: 2026-11-23\nmaybe: 2027-03-31").unwrap();
        assert_eq!(v, t(NaiveDate::from_ymd_opt(2027, 3, 31)));
        let v: T = serde_yaml::from_str("day: 2026-11-23").unwrap();
        assert_eq!(v, t(None));
        let text = serde_yaml::to_string(&t(None)).unwrap();
        assert!(text.contains("day: 2026-11-23"), "{text}");
        for bad in ["day: 2026-02-30", "day: 23.11.2026", "day: 20261123"] {
            let theirs = serde_yaml::from_str::<NaiveDate>(&bad[5..]).unwrap_err();
            let ours = serde_yaml::from_str::<T>(bad).unwrap_err();
            assert!(
                ours.to_string().starts_with(&format!("day: {theirs}"))
                    || ours.to_string().contains(&theirs.to_string()),
                "{bad}: {ours} vs {theirs}"
            );
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
