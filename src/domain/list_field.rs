//! Long lists of the catalog schema. serde reserves at most 1 MiB for a sequence whatever
//! length it declares (a guard against hostile lengths), so a snapshot's 100k benefits
//! (~27 MB) grew by doubling: five copies and twice the memory touched, on the start's
//! critical path. Here a declared length is trusted up to `MAX_RESERVED` elements, which
//! no valid catalog exceeds (a catalog file is at most 64 MiB).
//!
//! Use as `#[serde(default, deserialize_with = "list_field::sized")]`.

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

pub const MAX_RESERVED: usize = 1 << 20;

pub fn sized<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Sized<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Sized<T> {
        type Value = Vec<T>;
        // The words serde uses for a `Vec`, which error reports recognise.
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a sequence")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(reserved(seq.size_hint()));
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Sized(PhantomData))
}

/// What a list declaring `hint` elements reserves up front.
fn reserved(hint: Option<usize>) -> usize {
    hint.unwrap_or(0).min(MAX_RESERVED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "sized")]
        items: Vec<u32>,
    }

    #[test]
    fn sized_lists_read_like_any_list() {
        let t: T = serde_json::from_str(r#"{"items": [1, 2, 3]}"#).unwrap();
        assert_eq!(t.items, [1, 2, 3]);
        assert_eq!(
            serde_json::from_str::<T>("{}").unwrap().items,
            [] as [u32; 0]
        );
        let ours = serde_json::from_str::<T>(r#"{"items": 7}"#)
            .unwrap_err()
            .to_string();
        assert!(ours.contains("expected a sequence"), "{ours}");
        let big = T {
            items: (0..100_000).collect(),
        };
        let bin = postcard::to_allocvec(&big).unwrap();
        let back: T = postcard::from_bytes(&bin).unwrap();
        assert_eq!(back, big);
        assert_eq!(back.items.capacity(), 100_000, "reserved once");
    }

    #[test]
    fn sized_lists_do_not_trust_a_hostile_length() {
        assert_eq!(reserved(Some(u32::MAX as usize)), MAX_RESERVED);
        assert_eq!(reserved(Some(usize::MAX)), MAX_RESERVED);
        assert_eq!(reserved(Some(100_000)), 100_000);
        assert_eq!(reserved(None), 0);
        // A declared length of u32::MAX with three elements behind it: refused.
        let mut bin = postcard::to_allocvec(&u32::MAX).unwrap();
        bin.extend([1, 2, 3]);
        assert!(postcard::from_bytes::<T>(&bin).is_err());
    }
}
