//! Text fields of the catalog schema in serde formats. A self-describing format (JSON, or
//! YAML as the catalog reader types it) tells a number, a boolean or nothing from text;
//! taking one as text would hide a typing mistake. So in a self-describing format a text
//! field asks what the value is and accepts only a string, however the catalog is read
//! (one typed pass or item by item). Binary formats (the catalog snapshot) have no such
//! ambiguity and read the string directly.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

struct Strict(String);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = Strict;
            // The words serde uses for `String`, which error reports recognise.
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Strict, E> {
                Ok(Strict(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Strict, E> {
                Ok(Strict(v))
            }
        }
        if d.is_human_readable() {
            d.deserialize_any(Text)
        } else {
            d.deserialize_string(Text)
        }
    }
}

pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Strict::deserialize(d).map(|s| s.0)
}

pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<Strict>::deserialize(d).map(|o| o.map(|s| s.0))
}

pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Vec::<Strict>::deserialize(d).map(|v| v.into_iter().map(|s| s.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, serde::Serialize, PartialEq)]
    struct T {
        #[serde(deserialize_with = "string")]
        a: String,
        #[serde(default, deserialize_with = "optional")]
        b: Option<String>,
        #[serde(default, deserialize_with = "list")]
        c: Vec<String>,
    }

    #[test]
    fn text_fields_take_quoted_and_plain_words() {
        let t: T =
            serde_json::from_str(r#"{"a": "0123", "b": "word", "c": ["x", "true"]}"#).unwrap();
        assert_eq!(t.a, "0123");
        assert_eq!(t.b.as_deref(), Some("word"));
        assert_eq!(t.c, ["x", "true"]);
    }

    #[test]
    fn text_fields_refuse_numbers_booleans_or_null() {
        for bad in [
            r#"{"a": 123}"#,
            r#"{"a": 12.5}"#,
            r#"{"a": true}"#,
            r#"{"a": null}"#,
            r#"{"a": "x", "b": 7}"#,
            r#"{"a": "x", "c": [1]}"#,
        ] {
            let e = serde_json::from_str::<T>(bad).expect_err(bad).to_string();
            assert!(e.contains("expected a string"), "{bad}: {e}");
        }
        let none: T = serde_json::from_str(r#"{"a": "x", "b": null}"#).unwrap();
        assert_eq!(none.b, None);
    }

    #[test]
    fn text_fields_read_directly_from_binary_formats() {
        let t = T {
            a: "12345".into(),
            b: Some("true".into()),
            c: vec!["~".into()],
        };
        let bytes = postcard::to_allocvec(&t).unwrap();
        assert_eq!(postcard::from_bytes::<T>(&bytes).unwrap(), t);
    }
}
