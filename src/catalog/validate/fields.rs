//! Reading one value as the schema wants it: a mapping with known fields, a list, text, a
//! count, a boolean, a date, a product key, one of an enum's names. Each reader reports
//! what is wrong at the value's position with the field's path and a fix, and gives
//! `None`; the caller goes on with the other fields, so one pass finds every problem of an
//! item.

pub use super::value::{Cx, Value, shown};
use super::value::{Scalar, classify};
use crate::catalog::diagnostics::{Path, Pos};
use crate::catalog::document::Kind;
use crate::domain::ProductKey;
use chrono::NaiveDate;
use serde::de::IntoDeserializer;

/// The largest count the catalog accepts (licenses, activations, quantities, amounts):
/// a sum of two still fits the 32 bits every count is kept in.
pub const MAX_COUNT: u32 = 1_000_000_000;

/// The most fields a mapping of the schema has.
const MAX_FIELDS: usize = 12;

/// A mapping of the schema: each known field found once, unknown and repeated ones reported.
pub struct Obj<'r, 'a, 'p> {
    pub pos: Pos,
    pub path: &'p Path<'p>,
    names: &'static [&'static str],
    found: [Option<Value<'r, 'a>>; MAX_FIELDS],
    keys: [Pos; MAX_FIELDS],
}

impl<'r, 'a, 'p> Obj<'r, 'a, 'p> {
    /// `v` read as a mapping with the fields `names`; `None` (reported) when it is not one.
    pub fn open(
        cx: &mut Cx<'r, 'a>,
        v: Value<'r, 'a>,
        path: &'p Path<'p>,
        names: &'static [&'static str],
    ) -> Option<Self> {
        debug_assert!(names.len() <= MAX_FIELDS);
        let v = cx.resolve(v, path)?;
        if !matches!(v.node().kind, Kind::Map { .. }) {
            cx.at(
                v.pos(),
                path,
                format!("expected a mapping of fields ({}), found {}", list(names), shown(v)),
                "write one `field: value` per line, indented under it (config.example.yaml shows each)",
            );
            return None;
        }
        let mut obj = Obj {
            pos: v.pos(),
            path,
            names,
            found: [None; MAX_FIELDS],
            keys: [Pos::default(); MAX_FIELDS],
        };
        let mut children = v.children();
        while let (Some(key), Some(value)) = (children.next(), children.next()) {
            let Some(name) = cx.resolve(key, path).and_then(|k| k.text()) else {
                cx.at(
                    key.pos(),
                    path,
                    "a field name must be a word",
                    "write `name: value`",
                );
                continue;
            };
            match names.iter().position(|n| *n == name) {
                Some(i) if obj.found[i].is_some() || obj.keys[i] != Pos::default() => {
                    let first = obj.keys[i];
                    cx.at(
                        key.pos(),
                        &path.field(name),
                        format!(
                            "duplicate field `{name}` (first at line {}, column {})",
                            first.line, first.column
                        ),
                        "keep one of them: a field may appear once",
                    );
                }
                Some(i) => {
                    obj.keys[i] = key.pos();
                    obj.found[i] = Some(value);
                }
                None => cx.at(
                    key.pos(),
                    &path.field(name),
                    format!("unknown field `{name}`, expected one of {}", list(names)),
                    "remove it or check its spelling",
                ),
            }
        }
        Some(obj)
    }

    fn index(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .expect("a field of this mapping")
    }

    /// The field's value; `None` when absent or written as nothing (`field:` or `~`).
    pub fn get(&self, name: &str) -> Option<Value<'r, 'a>> {
        self.found[self.index(name)].filter(|v| !v.is_null())
    }

    /// Whether the field is written at all (with a value or as nothing).
    pub fn has(&self, name: &str) -> bool {
        self.found[self.index(name)].is_some()
    }

    /// Where the field's value stands, else the mapping.
    pub fn pos_of(&self, name: &str) -> Pos {
        self.found[self.index(name)].map_or(self.pos, |v| v.pos())
    }

    /// A required field read by `read`; `None` (reported) when missing or bad.
    pub fn req<T>(
        &self,
        cx: &mut Cx<'r, 'a>,
        name: &'static str,
        read: impl FnOnce(&mut Cx<'r, 'a>, Value<'r, 'a>, &Path<'_>) -> Option<T>,
    ) -> Option<T> {
        match self.found[self.index(name)] {
            Some(v) => read(cx, v, &self.path.field(name)),
            None => {
                cx.at(
                    self.pos,
                    self.path,
                    format!("missing field `{name}`"),
                    "add the field (config.example.yaml documents every field)",
                );
                None
            }
        }
    }

    /// An optional field: `Some(None)` when absent or nothing, `None` (reported) when bad.
    pub fn opt<T>(
        &self,
        cx: &mut Cx<'r, 'a>,
        name: &'static str,
        read: impl FnOnce(&mut Cx<'r, 'a>, Value<'r, 'a>, &Path<'_>) -> Option<T>,
    ) -> Option<Option<T>> {
        match self.get(name) {
            Some(v) => read(cx, v, &self.path.field(name)).map(Some),
            None => Some(None),
        }
    }
}

/// `` `a`, `b`, `c` ``
fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A list, each item read by `read`; `None` when the list or any item is bad (every item
/// is read all the same, so each problem is reported). Nothing (`field:`) is an empty list.
pub fn seq<'r, 'a, T>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    mut read: impl FnMut(&mut Cx<'r, 'a>, Value<'r, 'a>, &Path<'_>) -> Option<T>,
) -> Option<Vec<T>> {
    let v = cx.resolve(v, path)?;
    let len = match v.node().kind {
        Kind::Seq { len, .. } => len as usize,
        _ if v.is_null() => return Some(Vec::new()),
        _ => {
            let name = path.name();
            cx.at(
                v.pos(),
                path,
                format!("`{name}` must be a list, found {}", shown(v)),
                format!("write `{name}:` followed by `- ` items, or `[a, b]`"),
            );
            return None;
        }
    };
    let mut items = Vec::with_capacity(len);
    let mut ok = true;
    for (i, item) in v.children().enumerate() {
        match cx
            .resolve(item, &path.item(i))
            .and_then(|item| read(cx, item, &path.item(i)))
        {
            Some(t) if ok => items.push(t),
            Some(_) => {}
            None => ok = false,
        }
    }
    ok.then_some(items)
}

/// A scalar's value after aliases; reported when it is a list or mapping.
fn scalar<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    what: &str,
) -> Option<(Value<'r, 'a>, Scalar<'r>)> {
    let v = cx.resolve(v, path)?;
    if let Kind::Scalar {
        foreign_tag: true, ..
    } = v.node().kind
    {
        cx.at(
            v.pos(),
            path,
            "a tag other than YAML's own (`!!str`, `!!int`, ...)",
            "remove the tag",
        );
        return None;
    }
    match v.scalar() {
        Some(s) => Some((v, s)),
        None => {
            cx.at(
                v.pos(),
                path,
                format!("`{}` must be {what}, found {}", path.name(), shown(v)),
                format!("write {what} on the same line"),
            );
            None
        }
    }
}

/// Text (a quoted or plain scalar that is not a number, boolean or nothing).
pub fn text<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<String> {
    let (v, s) = scalar(cx, v, path, "text")?;
    match s {
        Scalar::Text(t) => Some(t.to_owned()),
        _ => {
            let raw = v.text().unwrap_or_default();
            cx.at(
                v.pos(),
                path,
                format!("`{}` must be text, found {}", path.name(), shown(v)),
                format!(
                    "put it in quotes to make it text: {}: \"{raw}\"",
                    path.name()
                ),
            );
            None
        }
    }
}

/// A whole number from 0 to [`MAX_COUNT`].
pub fn count<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<u32> {
    let (v, s) = scalar(cx, v, path, "a whole number")?;
    let name = path.name();
    let found = v.text().unwrap_or_default();
    let (message, fix) = match s {
        Scalar::Int(Some(n)) if (0..=i128::from(MAX_COUNT)).contains(&n) => {
            return u32::try_from(n).ok();
        }
        Scalar::Int(Some(n)) if n < 0 => (
            format!("`{name}` must be zero or more, found {found}"),
            "write a whole number of 0 or more, without a minus sign".to_string(),
        ),
        Scalar::Int(_) => (
            format!("`{name}` must be at most {MAX_COUNT}, found {found}"),
            format!("write a whole number from 0 to {MAX_COUNT}"),
        ),
        Scalar::Text(_) if v.node_quoted() && classify(found, false) != Scalar::Text(found) => (
            format!("`{name}` must be a whole number, found the text \"{found}\""),
            "remove the quotes".to_string(),
        ),
        _ => (
            format!("`{name}` must be a whole number, found {found}"),
            format!("write a whole number from 0 to {MAX_COUNT}, e.g. 25"),
        ),
    };
    cx.at(v.pos(), path, message, fix);
    None
}

impl Value<'_, '_> {
    fn node_quoted(&self) -> bool {
        matches!(self.node().kind, Kind::Scalar { quoted: true, .. })
    }
}

/// `true` or `false`.
pub fn boolean<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<bool> {
    let (v, s) = scalar(cx, v, path, "true or false")?;
    if let Scalar::Bool(b) = s {
        return Some(b);
    }
    cx.at(
        v.pos(),
        path,
        format!(
            "`{}` must be true or false, found {}",
            path.name(),
            shown(v)
        ),
        "write true or false, without quotes",
    );
    None
}

/// A calendar date written `YYYY-MM-DD`, the year in four digits.
pub fn date<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<NaiveDate> {
    let (v, _) = scalar(cx, v, path, "a date YYYY-MM-DD")?;
    let raw = v.text().unwrap_or_default();
    match crate::domain::date_field::parse_iso(raw) {
        Ok(d) => Some(d),
        Err(why) => {
            let found = if v.is_null() {
                "nothing".to_string()
            } else {
                format!("`{raw}`")
            };
            cx.at(
                v.pos(),
                path,
                format!("expected a date YYYY-MM-DD, found {found}{why}"),
                "write a real calendar date as YYYY-MM-DD, with a four-digit year, e.g. 2027-06-30",
            );
            None
        }
    }
}

/// A product key, in any of its forgiving spellings.
pub fn key<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<ProductKey> {
    let raw = text(cx, v, path)?;
    match ProductKey::parse(&raw) {
        Ok(k) => Some(k),
        Err(e) => {
            cx.at(
                v.pos(),
                path,
                format!("malformed product key: {e}"),
                "write the key as five groups of five letters or digits: AAAA1-BBBB2-CCCC3-DDDD4-EEEE5",
            );
            None
        }
    }
}

/// One of the names of enum `T` (as serde names its variants: `global-admin`).
pub fn one_of<'r, 'a, T: serde::de::DeserializeOwned>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
) -> Option<T> {
    let names = variants::<T>();
    let (v, s) = scalar(cx, v, path, "one of the listed values")?;
    if let Scalar::Text(t) = s {
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            t.into_deserializer();
        if let Ok(value) = T::deserialize(de) {
            return Some(value);
        }
    }
    cx.at(
        v.pos(),
        path,
        format!(
            "unknown {} {}, expected one of {}",
            path.name(),
            shown(v),
            list(names)
        ),
        "use one of the listed values, spelled as shown",
    );
    None
}

/// The names serde gives the variants of enum `T`: asked of its derived `Deserialize`.
pub fn variants<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    struct Ask(std::cell::Cell<&'static [&'static str]>);
    #[derive(Debug)]
    struct Asked;
    impl std::fmt::Display for Asked {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("asked")
        }
    }
    impl std::error::Error for Asked {}
    impl serde::de::Error for Asked {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Asked
        }
    }
    impl<'de> serde::Deserializer<'de> for &Ask {
        type Error = Asked;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Asked> {
            Err(Asked)
        }
        fn deserialize_enum<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            variants: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Asked> {
            self.0.set(variants);
            Err(Asked)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            struct identifier ignored_any
        }
    }
    let ask = Ask(std::cell::Cell::new(&[]));
    let _ = T::deserialize(&ask);
    ask.0.get()
}

/// Text that should not be empty or blank: reported when it is, and kept (the item is
/// still read, so its other problems and references are checked too).
pub fn filled<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    what: &str,
    fix: &str,
) -> Option<String> {
    let t = text(cx, v, path)?;
    if t.trim().is_empty() {
        cx.at(v.pos(), path, format!("the {what} is empty"), fix);
    }
    Some(t)
}
