//! A value of the document as the readers see it: a node with aliases followed (within
//! the alias budget), and a plain scalar typed by YAML 1.2's core schema: an unquoted
//! `12345`, `true` or `~` is a number, a boolean or nothing, never text (another YAML
//! reader would see the number).

use crate::catalog::diagnostics::{Path, Pos, Report};
use crate::catalog::document::{Arena, Id, Kind, Node, Reader, Unresolved};

/// What reading needs: where problems go, and the reader that resolves aliases.
pub struct Cx<'c, 'a> {
    pub report: &'c mut Report,
    pub reader: &'c Reader<'a>,
}

/// A node of the document, in the item's arena or among the anchored ones.
#[derive(Clone, Copy)]
pub struct Value<'r, 'a> {
    arena: &'r Arena<'a>,
    id: Id,
}

impl<'r, 'a> Value<'r, 'a> {
    pub fn new(arena: &'r Arena<'a>, id: Id) -> Self {
        Value { arena, id }
    }

    pub fn node(&self) -> &'r Node<'a> {
        self.arena.get(self.id)
    }

    pub fn pos(&self) -> Pos {
        self.node().pos
    }

    pub fn children(&self) -> impl Iterator<Item = Value<'r, 'a>> + 'r {
        let arena = self.arena;
        arena
            .children(self.id)
            .map(move |(id, _)| Value { arena, id })
    }

    /// The scalar's text, when it is one.
    pub fn text(&self) -> Option<&'r str> {
        match &self.node().kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value of field `name` of this mapping, looked up without reading or reporting.
    pub fn field(&self, name: &str) -> Option<Value<'r, 'a>> {
        let mut children = self.children();
        while let (Some(k), Some(v)) = (children.next(), children.next()) {
            if k.text() == Some(name) {
                return Some(v);
            }
        }
        None
    }

    /// The `i`th item of this list.
    pub fn nth(&self, i: usize) -> Option<Value<'r, 'a>> {
        self.children().nth(i)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.scalar(), Some(Scalar::Null))
    }

    pub fn scalar(&self) -> Option<Scalar<'r>> {
        match &self.node().kind {
            Kind::Scalar { text, quoted, .. } => Some(classify(text, *quoted)),
            _ => None,
        }
    }
}

/// A scalar as YAML's core schema reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'s> {
    Null,
    Bool(bool),
    /// `None` when the digits do not fit 128 bits.
    Int(Option<i128>),
    Float,
    Text(&'s str),
}

pub fn classify(s: &str, quoted: bool) -> Scalar<'_> {
    if quoted {
        return Scalar::Text(s);
    }
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float,
        _ => {}
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    if digits(unsigned, 10) {
        return Scalar::Int(s.parse().ok());
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8)] {
        if let Some(t) = s.strip_prefix(prefix).filter(|t| digits(t, radix)) {
            return Scalar::Int(i128::from_str_radix(t, radix).ok());
        }
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || is_float(unsigned) {
        return Scalar::Float;
    }
    Scalar::Text(s)
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign taken off already).
fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = all_digits(whole)
        && all_digits(fraction)
        && (!whole.is_empty() || !fraction.is_empty())
        && (mantissa.contains('.') || exponent.is_some());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

/// How a value is named in a message: `` `text` ``, "the number 12", "a list".
pub fn shown(v: Value<'_, '_>) -> String {
    match &v.node().kind {
        Kind::Seq { .. } => "a list".into(),
        Kind::Map { .. } => "a mapping".into(),
        Kind::Alias(_) => "an alias".into(),
        Kind::Scalar { text, .. } => match v.scalar() {
            Some(Scalar::Null) => "nothing".into(),
            Some(Scalar::Bool(_)) => format!("the boolean {text}"),
            Some(Scalar::Int(_) | Scalar::Float) => format!("the number {text}"),
            _ => format!("`{text}`"),
        },
    }
}

impl<'c, 'a> Cx<'c, 'a> {
    pub fn at(
        &mut self,
        pos: Pos,
        path: &Path<'_>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.report.at(pos, path, message, fix);
    }

    /// `v` with aliases followed; `None` (reported) when an alias gives nothing.
    pub fn resolve<'r>(&mut self, v: Value<'r, 'a>, path: &Path<'_>) -> Option<Value<'r, 'a>>
    where
        'c: 'r,
    {
        let mut v = v;
        while let Kind::Alias(anchor) = v.node().kind {
            match self.reader.resolve(anchor) {
                Ok((arena, id)) => v = Value { arena, id },
                Err(why) => {
                    let message = match why {
                        Unresolved::OverBudget { first: false } => return None,
                        Unresolved::OverBudget { first: true } => {
                            "aliases here expand to more values than a catalog holds (an alias bomb?)"
                        }
                        Unresolved::NotKept => {
                            "this alias names an anchor on a whole section, which cannot be repeated"
                        }
                    };
                    self.at(
                        v.pos(),
                        path,
                        message,
                        "write the values out instead of the alias",
                    );
                    return None;
                }
            }
        }
        Some(v)
    }
}
