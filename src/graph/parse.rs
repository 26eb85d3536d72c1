//! Reading Graph's JSON: one or more documents in a file (a `{"value":[...]}` page with its
//! `@odata.*` fields, a bare array, or one record), each record a companySubscription or a
//! subscribedSku. Field names are Graph's camelCase or Graph PowerShell's PascalCase;
//! unknown fields are ignored (Graph adds fields), a required field missing or of the
//! wrong type is an error naming its JSON path and line:column.

use super::{CompanySubscription, GraphStatus, PrepaidUnits, Record, SubscribedSku};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Why a document cannot be read: where (JSON path, line and column) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: at {path}: {message}")]
pub struct ParseError {
    pub file: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Every record in `bytes` (file `name`), in document order.
pub fn parse(bytes: &[u8], name: &str) -> Result<Vec<Record>, ParseError> {
    let text = decode(bytes).map_err(|message| ParseError {
        file: name.into(),
        path: "$".into(),
        line: 1,
        column: 1,
        message,
    })?;
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<IgnoredAny>();
    let mut start = 0;
    loop {
        match stream.next() {
            None => break,
            Some(Ok(_)) => {
                let end = stream.byte_offset();
                records.extend(document(&bytes[..end], start, name)?);
                start = end;
            }
            // The syntax error again, with the path that leads to it.
            Some(Err(e)) => {
                return Err(document(bytes, start, name)
                    .err()
                    .unwrap_or_else(|| at(name, "$".into(), e.line(), e.column(), e.to_string())));
            }
        }
    }
    if start == 0 {
        return Err(at(name, "$".into(), 1, 1, "no JSON in the file".into()));
    }
    Ok(records)
}

/// Text from a file Graph PowerShell may have written as UTF-16 (Windows PowerShell's
/// `>`), or UTF-8 with a byte-order mark.
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, String> {
    let utf16 = |be: bool| {
        let units = bytes[2..].chunks(2).map(|c| match (c, be) {
            ([a, b], true) => u16::from_be_bytes([*a, *b]),
            ([a, b], false) => u16::from_le_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units)
            .map(|c| c.map_err(|_| "the file is not valid UTF-16".to_string()))
            .collect::<Result<String, _>>()
            .map(std::borrow::Cow::Owned)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| format!("the file is not UTF-8 ({e})")),
        _ => std::str::from_utf8(bytes)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| format!("the file is not UTF-8 ({e})")),
    }
}

fn at(file: &str, path: String, line: usize, column: usize, message: String) -> ParseError {
    ParseError {
        file: file.into(),
        path,
        line,
        column,
        message,
    }
}

/// The one document in `bytes[start..]` (`bytes` up to its end), with positions counted
/// from the start of the file.
fn document(bytes: &[u8], start: usize, name: &str) -> Result<Vec<Record>, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(&bytes[start..]);
    match serde_path_to_error::deserialize::<_, Doc>(&mut de) {
        Ok(doc) => Ok(doc.0),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (line, column) = shift(&bytes[..start], inner.line(), inner.column());
            let message = without_position(&inner.to_string());
            Err(at(name, json_path(&path), line, column, message))
        }
    }
}

/// A position inside a document that starts after `before`, as a position in the file.
fn shift(before: &[u8], line: usize, column: usize) -> (usize, usize) {
    let lines = before.iter().filter(|b| **b == b'\n').count();
    let col = before.len()
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
    if line <= 1 {
        (lines + 1, col + column)
    } else {
        (lines + line, column)
    }
}

/// serde_json ends a message with " at line L column C", which the error says its own way.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// `$` for the document, `$.value[2].totalLicenses` below it (serde_path_to_error's `?`,
/// a field not yet named, is left out).
fn json_path(path: &str) -> String {
    let path = path.strip_suffix(".?").unwrap_or(path);
    match path {
        "." | "" => "$".into(),
        p if p.starts_with('[') => format!("${p}"),
        p => format!("$.{p}"),
    }
}

/// A document: a page, an array of records, or one record.
struct Doc(Vec<Record>);

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Doc;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a Graph response: {\"value\": [...]}, an array of records, or one record",
                )
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Doc, A::Error> {
                Vec::<Record>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Doc)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Doc, A::Error> {
                let raw = Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match raw.value {
                    Some(records) => Ok(Doc(records)),
                    None => raw
                        .record()
                        .map(|r| Doc(vec![r]))
                        .map_err(de::Error::custom),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Raw::deserialize(d)?.record().map_err(de::Error::custom)
    }
}

/// Every field either record type uses, by Graph's and Graph PowerShell's names.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    /// A page's records.
    value: Option<Vec<Record>>,
    #[serde(alias = "Id")]
    id: Option<String>,
    #[serde(alias = "CommerceSubscriptionId")]
    commerce_subscription_id: Option<String>,
    #[serde(alias = "SkuPartNumber")]
    sku_part_number: Option<String>,
    #[serde(alias = "Status")]
    status: Option<GraphStatus>,
    #[serde(alias = "TotalLicenses")]
    total_licenses: Option<u32>,
    #[serde(default, alias = "NextLifecycleDateTime", deserialize_with = "instant")]
    next_lifecycle_date_time: Option<DateTime<Utc>>,
    #[serde(default, alias = "CreatedDateTime", deserialize_with = "instant")]
    created_date_time: Option<DateTime<Utc>>,
    #[serde(alias = "IsTrial")]
    is_trial: Option<bool>,
    #[serde(alias = "OwnerTenantId")]
    owner_tenant_id: Option<String>,
    #[serde(alias = "CapabilityStatus")]
    capability_status: Option<GraphStatus>,
    #[serde(alias = "PrepaidUnits")]
    prepaid_units: Option<Prepaid>,
    #[serde(alias = "ConsumedUnits")]
    consumed_units: Option<u32>,
    #[serde(alias = "SubscriptionIds")]
    subscription_ids: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Prepaid {
    #[serde(default, alias = "Enabled")]
    enabled: u32,
    #[serde(default, alias = "Warning")]
    warning: u32,
    #[serde(default, alias = "Suspended")]
    suspended: u32,
    #[serde(default, alias = "LockedOut")]
    locked_out: u32,
}

impl Raw {
    /// A subscribedSku has `capabilityStatus`, a companySubscription `status`; each then
    /// needs its own required fields.
    fn record(self) -> Result<Record, String> {
        fn need<T>(v: Option<T>, field: &str, kind: &str, all: &str) -> Result<T, String> {
            v.ok_or_else(|| format!("missing field `{field}` (a {kind} has {all})"))
        }
        if let Some(capability_status) = self.capability_status {
            const ALL: &str = "skuPartNumber, capabilityStatus, prepaidUnits and consumedUnits";
            let p = need(self.prepaid_units, "prepaidUnits", "subscribedSku", ALL)?;
            return Ok(Record::Sku(SubscribedSku {
                sku_part_number: need(self.sku_part_number, "skuPartNumber", "subscribedSku", ALL)?,
                capability_status,
                prepaid_units: PrepaidUnits {
                    enabled: p.enabled,
                    warning: p.warning,
                    suspended: p.suspended,
                    locked_out: p.locked_out,
                },
                consumed_units: need(self.consumed_units, "consumedUnits", "subscribedSku", ALL)?,
                subscription_ids: self.subscription_ids.unwrap_or_default(),
            }));
        }
        let Some(status) = self.status else {
            return Err(
                "neither a companySubscription (it would have `status`) nor a subscribedSku (`capabilityStatus`)"
                    .into(),
            );
        };
        const ALL: &str = "id, skuPartNumber, status and totalLicenses";
        Ok(Record::Subscription(CompanySubscription {
            id: need(self.id, "id", "companySubscription", ALL)?,
            commerce_subscription_id: self.commerce_subscription_id,
            sku_part_number: need(
                self.sku_part_number,
                "skuPartNumber",
                "companySubscription",
                ALL,
            )?,
            status,
            total_licenses: need(
                self.total_licenses,
                "totalLicenses",
                "companySubscription",
                ALL,
            )?,
            next_lifecycle: self.next_lifecycle_date_time,
            created: self.created_date_time,
            is_trial: self.is_trial.unwrap_or(false),
            owner_tenant_id: self.owner_tenant_id,
        }))
    }
}

/// An instant as Graph writes it (RFC 3339, `2027-04-01T00:00:00Z`), or as Windows
/// PowerShell's `ConvertTo-Json` does (`/Date(1806537600000)/`); null is none.
fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(s) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    if let Some(ms) = s.strip_prefix("/Date(").and_then(|r| r.strip_suffix(")/")) {
        let digits = ms.split(['+', '-']).next().unwrap_or(ms);
        return (digits.parse::<i64>().ok())
            .and_then(DateTime::from_timestamp_millis)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("`{s}` is not a date")));
    }
    DateTime::parse_from_rfc3339(&s)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|e| {
            de::Error::custom(format!(
                "`{s}` is not a date and time ({e}); Graph writes e.g. 2027-04-01T00:00:00Z"
            ))
        })
}
