//! Product keys ("5x5" keys, cloud "tokens"): forgiving input, specific errors,
//! masked display, and a fingerprint so the ledger never stores a key whole.

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use sha2::{Digest, Sha256};
use std::fmt;

pub const KEY_LEN: usize = 25;

/// A normalised key: 25 upper-case ASCII letters or digits, stored without dashes.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductKey([u8; KEY_LEN]);

/// Why a typed key is not a well-formed product key; each variant says exactly what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFormatError {
    #[error("the product key is empty; enter 25 letters or digits")]
    Empty,
    /// A character that is neither a letter, a digit, a dash nor a space (1-based position in the input).
    #[error("character {ch:?} at position {position} is not a letter or digit")]
    InvalidCharacter { ch: char, position: usize },
    #[error("the key has {found} of 25 letters or digits; some are missing")]
    TooShort { found: usize },
    #[error("the key has {found} letters or digits; a key has exactly 25")]
    TooLong { found: usize },
    /// Dashes that do not split the key into five groups of five.
    #[error("dashes must separate five groups of five characters (AAAAA-BBBBB-...)")]
    MisplacedDash,
}

impl ProductKey {
    /// Normalise and validate user input: case, spaces and missing dashes are forgiven;
    /// dashes, when present, must sit between groups of five.
    pub fn parse(input: &str) -> Result<Self, KeyFormatError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(KeyFormatError::Empty);
        }
        let mut out = [0u8; KEY_LEN];
        let mut n = 0usize;
        let mut dash_ok = true;
        for (i, ch) in trimmed.chars().enumerate() {
            match ch {
                c if c.is_ascii_alphanumeric() => {
                    if n < KEY_LEN {
                        out[n] = c.to_ascii_uppercase() as u8;
                    }
                    n += 1;
                }
                '-' => {
                    if n == 0 || !n.is_multiple_of(5) || n >= KEY_LEN {
                        dash_ok = false;
                    }
                }
                c if c.is_whitespace() => {}
                c => {
                    return Err(KeyFormatError::InvalidCharacter {
                        ch: c,
                        position: i + 1,
                    });
                }
            }
        }
        if n < KEY_LEN {
            return Err(KeyFormatError::TooShort { found: n });
        }
        if n > KEY_LEN {
            return Err(KeyFormatError::TooLong { found: n });
        }
        if !dash_ok {
            return Err(KeyFormatError::MisplacedDash);
        }
        Ok(Self(out))
    }

    /// A key already in normal form (what `as_bytes` gave), checked but not re-parsed.
    pub fn from_normalized(bytes: [u8; KEY_LEN]) -> Option<Self> {
        bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            .then_some(Self(bytes))
    }

    fn groups(&self) -> impl Iterator<Item = &str> {
        self.0
            .chunks(5)
            .map(|c| std::str::from_utf8(c).expect("ASCII by construction"))
    }

    /// The 25 normalised characters, without dashes.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// `AAAA1-BBBB2-CCCC3-DDDD4-EEEE5`
    pub fn formatted(&self) -> String {
        self.groups().collect::<Vec<_>>().join("-")
    }

    /// Only the last group stays readable: `*****-*****-*****-*****-EEEE5`.
    pub fn masked(&self) -> String {
        let last = self.groups().last().unwrap_or_default();
        format!("*****-*****-*****-*****-{last}")
    }

    /// SHA-256 of the normalised key, hex: identifies a key in the ledger without revealing it.
    pub fn fingerprint(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in self.digest() {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        s
    }

    /// The SHA-256 digest behind [`fingerprint`](Self::fingerprint).
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.0).into()
    }
}

/// The digest a hex fingerprint stands for; `None` when it is not 64 hex digits.
pub fn fingerprint_digest(fingerprint: &str) -> Option<[u8; 32]> {
    let hex = fingerprint.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; 32];
    for (i, pair) in hex.chunks_exact(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

/// Debug never prints a key whole, so a stray `{:?}` in a log or panic cannot leak it.
impl fmt::Debug for ProductKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProductKey({})", self.masked())
    }
}

/// In text formats (the YAML catalog, JSON) a key is its dashed string, read forgivingly.
/// In binary ones (the catalog snapshot) it is its 25 normalised bytes: a snapshot of 100k
/// benefits then holds no key strings to allocate and parse.
impl Serialize for ProductKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.formatted())
        } else {
            self.0.serialize(s)
        }
    }
}

/// In the catalog's JSON Schema a key is text in any spelling `parse` forgives: five
/// groups of five letters or digits, spaces anywhere, dashes only between groups.
impl schemars::JsonSchema for ProductKey {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ProductKey".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": KEY_PATTERN,
            "description": "A product key: five groups of five letters or digits, AAAA1-BBBB2-CCCC3-DDDD4-EEEE5 (case, spaces and missing dashes are forgiven).",
        })
    }
}

/// `parse`'s rule as a regular expression (ECMA 262, as JSON Schema reads one).
pub const KEY_PATTERN: &str = r"^\s*(?:[A-Za-z0-9]\s*){5}(?:[-\s]*(?:[A-Za-z0-9]\s*){5}){4}$";

impl<'de> Deserialize<'de> for ProductKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            Self::parse(&s).map_err(de::Error::custom)
        } else {
            let bytes = <[u8; KEY_LEN]>::deserialize(d)?;
            Self::from_normalized(bytes).ok_or_else(|| {
                de::Error::custom("a key of other than 25 upper-case letters or digits")
            })
        }
    }
}

impl TryFrom<String> for ProductKey {
    type Error = KeyFormatError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ProductKey> for String {
    fn from(k: ProductKey) -> String {
        k.formatted()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_its_dashed_string_in_text_and_its_bytes_in_binary() {
        let k = ProductKey::parse("aaaa1-bbbb2-cccc3-dddd4-eeee5").unwrap();
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, "\"AAAA1-BBBB2-CCCC3-DDDD4-EEEE5\"");
        assert_eq!(serde_json::from_str::<ProductKey>(&json).unwrap(), k);
        // Text is read as forgivingly as typed input, with the same errors.
        let typed: ProductKey = serde_json::from_str("\"aaaa1bbbb2cccc3dddd4eeee5\"").unwrap();
        assert_eq!(typed, k);
        assert!(serde_json::from_str::<ProductKey>("\"AAAA1\"").is_err());

        let bin = postcard::to_allocvec(&k).unwrap();
        assert_eq!(bin, b"AAAA1BBBB2CCCC3DDDD4EEEE5");
        assert_eq!(postcard::from_bytes::<ProductKey>(&bin).unwrap(), k);
    }

    #[test]
    fn key_from_normalized_bytes_takes_only_upper_case_letters_and_digits() {
        let k = ProductKey::parse("AAAA1-BBBB2-CCCC3-DDDD4-EEEE5").unwrap();
        assert_eq!(ProductKey::from_normalized(*k.as_bytes()), Some(k.clone()));
        for (at, bad) in [(0, b'a'), (7, b'-'), (24, b' '), (12, 0xC3)] {
            let mut bytes = *k.as_bytes();
            bytes[at] = bad;
            assert_eq!(ProductKey::from_normalized(bytes), None, "{bad:#x} at {at}");
            assert!(postcard::from_bytes::<ProductKey>(&bytes).is_err());
        }
    }

    #[test]
    fn key_format_is_five_groups_of_five() {
        let k = ProductKey::parse("AAAA1-BBBB2-CCCC3-DDDD4-EEEE5").unwrap();
        assert_eq!(k.formatted(), "AAAA1-BBBB2-CCCC3-DDDD4-EEEE5");
    }

    #[test]
    fn key_input_is_forgiving_lower_case_spaces_missing_dashes() {
        for input in [
            "aaaa1-bbbb2-cccc3-dddd4-eeee5",
            "AAAA1BBBB2CCCC3DDDD4EEEE5",
            " aaaa1 bbbb2 cccc3 dddd4 eeee5 ",
            "AAAA1-BBBB2CCCC3-DDDD4EEEE5",
        ] {
            assert_eq!(
                ProductKey::parse(input).unwrap().formatted(),
                "AAAA1-BBBB2-CCCC3-DDDD4-EEEE5",
                "{input}"
            );
        }
    }

    #[test]
    fn key_validation_is_specific() {
        assert_eq!(ProductKey::parse("  "), Err(KeyFormatError::Empty));
        assert_eq!(
            ProductKey::parse("AAAA1-BBBB2-CCCC3-DDDD4-EEEE"),
            Err(KeyFormatError::TooShort { found: 24 })
        );
        assert_eq!(
            ProductKey::parse("AAAA1-BBBB2-CCCC3-DDDD4-EEEE55"),
            Err(KeyFormatError::TooLong { found: 26 })
        );
        assert_eq!(
            ProductKey::parse("AAAA1-BBBB2-CC@C3-DDDD4-EEEE5"),
            Err(KeyFormatError::InvalidCharacter {
                ch: '@',
                position: 15
            })
        );
        assert_eq!(
            ProductKey::parse("AAA-A1BBBB2CCCC3DDDD4EEEE5"),
            Err(KeyFormatError::MisplacedDash)
        );
    }

    #[test]
    fn keys_are_masked_to_the_last_group() {
        let k = ProductKey::parse("AAAA1-BBBB2-CCCC3-DDDD4-EEEE5").unwrap();
        assert_eq!(k.masked(), "*****-*****-*****-*****-EEEE5");
        assert!(!format!("{k:?}").contains("AAAA1"));
        assert_eq!(k.fingerprint().len(), 64);
        assert_eq!(fingerprint_digest(&k.fingerprint()), Some(k.digest()));
        assert_eq!(fingerprint_digest("not hex"), None);
        assert_eq!(fingerprint_digest(&"g".repeat(64)), None);
    }
}
