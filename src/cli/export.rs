//! CSV exports (RFC 4180: CRLF records, a header row, quoting where a field needs it),
//! flattened from the very JSON rows `--json` prints, so the two never disagree.
//!
//! Every text field is neutralised as the dashboard neutralises what it draws (control and
//! bidi characters become spaces), and a text that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@` first) is prefixed with `'`, as OWASP advises for CSV exports.

use super::history_filter::HistoryFilter;
use super::{Env, Failure, open_session};
use crate::store::Logged;
use serde_json::Value;

/// `--csv` with `--json`: one output cannot have two formats.
pub fn one_format(csv: bool, json: bool) -> Result<(), Failure> {
    if csv && json {
        return Err(Failure::usage(
            "invalid-usage",
            "--csv and --json are two formats of one output; fix: give one of them",
        ));
    }
    Ok(())
}

/// Write `rows` under `header` to standard output as CSV.
pub fn write(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<(), Failure> {
    let io = |e: csv::Error| Failure::error("io", format!("cannot write the CSV: {e}"));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).map_err(io)?;
    for row in rows {
        w.write_record(row.iter().map(|c| cell(c))).map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| io(e.into_error().into()))?;
    out!("{}", String::from_utf8_lossy(&bytes));
    Ok(())
}

/// One field as it is written: neutralised, and never a formula.
pub fn cell(text: &str) -> String {
    let clean = crate::ui::text::clean(text);
    let formula = clean.starts_with(['=', '+', '-', '@']) && clean.parse::<f64>().is_err();
    if formula { format!("'{clean}") } else { clean }
}

/// A JSON value as one field: strings as they are, null as empty, the rest as JSON prints them.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn joined(v: &Value, each: impl Fn(&Value) -> String) -> String {
    (v.as_array().map(Vec::as_slice).unwrap_or_default().iter())
        .map(each)
        .collect::<Vec<_>>()
        .join("; ")
}

pub const CLOUD_HEADER: &[&str] = &[
    "id",
    "product",
    "source",
    "offer",
    "type",
    "kind",
    "quantity",
    "activate_by",
    "status",
    "redemption_status",
    "keys",
    "subscriptions",
    "credit_period",
    "credit_amount_usd",
    "credit_tenant",
    "credit_start",
    "credit_end",
    "assigned_to",
    "reassignments",
    "replaced_by",
];

/// A cloud row of `list cloud --json`: keys as `KEY (licenses)` or `KEY (licenses,
/// redeemed)` and subscriptions as `id (tenant, licenses, end date, status)`, `; `-separated.
pub fn cloud_row(v: &Value) -> Vec<String> {
    let c = &v["credit"];
    let keys = joined(&v["keys"], |k| {
        let redeemed = if k["redeemed"] == true {
            ", redeemed"
        } else {
            ""
        };
        format!("{} ({}{redeemed})", text(&k["key"]), text(&k["licenses"]))
    });
    let subscriptions = joined(&v["subscriptions"], |s| {
        format!(
            "{} ({}, {}, {}, {})",
            text(&s["id"]),
            text(&s["tenant"]),
            text(&s["licenses"]),
            text(&s["end_date"]),
            text(&s["status"])
        )
    });
    let quantity = if v["kind"] == "credit" {
        &c["amount_usd"]
    } else {
        &v["quantity"]
    };
    vec![
        text(&v["id"]),
        text(&v["product"]),
        text(&v["source"]),
        text(&v["offer"]),
        text(&v["type"]),
        text(&v["kind"]),
        text(quantity),
        text(&v["activate_by"]),
        text(&v["status"]),
        text(&v["redemption_status"]),
        keys,
        subscriptions,
        text(&c["period"]),
        text(&c["amount_usd"]),
        text(&c["tenant"]),
        text(&c["start"]),
        text(&c["end"]),
        text(&c["assigned_to"]),
        text(&c["reassignments"]),
        text(&v["replaced_by"]),
    ]
}

pub const SOFTWARE_HEADER: &[&str] = &[
    "id",
    "product",
    "source",
    "offer",
    "family",
    "quantity",
    "activate_by",
    "needs_activation",
    "macos_supported",
    "editions",
    "keys",
    "notes",
];

/// A software row of `list software --json`: keys as `KEY (used/allowed)`, editions as
/// `name version`, `; `-separated.
pub fn software_row(v: &Value) -> Vec<String> {
    let editions = joined(&v["editions"], |e| {
        [text(&e["name"]), text(&e["version"])]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let keys = joined(&v["keys"], |k| {
        format!(
            "{} ({}/{})",
            text(&k["key"]),
            text(&k["activations_used"]),
            text(&k["activations_allowed"])
        )
    });
    vec![
        text(&v["id"]),
        text(&v["product"]),
        text(&v["source"]),
        text(&v["offer"]),
        text(&v["family"]),
        text(&v["quantity"]),
        text(&v["activate_by"]),
        text(&v["needs_activation"]),
        text(&v["macos_supported"]),
        editions,
        keys,
        joined(&v["notes"], text),
    ]
}

/// The columns `list --attention --csv` adds: what is to do, how many, days to activate-by.
pub const ATTENTION_HEADER: &[&str] = &["to_do", "to_do_count", "days_left"];

pub fn attention_cells(v: &Value) -> [String; 3] {
    let a = &v["attention"];
    [text(&a["todo"]), text(&a["count"]), text(&a["days_left"])]
}

pub const HISTORY_HEADER: &[&str] = &[
    "seq",
    "date",
    "op",
    "benefit",
    "user",
    "key",
    "tenant",
    "subscription",
    "mode",
    "key_licenses",
    "licenses_before",
    "licenses_after",
    "end_date_before",
    "end_date_after",
    "machine",
    "change",
    "os",
    "counted",
    "activations_before",
    "activations_after",
    "activations_allowed",
    "from",
    "to",
    "corrects",
    "corrected_by",
    "reason",
    "note",
    // Last, so scripts that read the columns by position before it still read the same.
    "recorded_at",
];

/// An entry of `history --json`; fields an operation does not have are empty. The key is
/// the ledger's masked one: the ledger never holds a whole key.
pub fn history_row(v: &Value) -> Vec<String> {
    let f = |name: &str| text(&v[name]);
    vec![
        f("seq"),
        f("date"),
        f("op"),
        f("benefit"),
        f("user"),
        f("key_masked"),
        f("tenant"),
        text(&v["target"]["subscription"]),
        f("mode"),
        f("key_licenses"),
        text(&v["before"]["total_licenses"]),
        text(&v["after"]["total_licenses"]),
        text(&v["before"]["end_date"]),
        text(&v["after"]["end_date"]),
        f("machine"),
        f("change"),
        f("os"),
        f("counted"),
        f("used_before"),
        f("used_after"),
        f("allowed"),
        f("from"),
        f("to"),
        f("corrects"),
        f("corrected_by"),
        f("reason"),
        f("note"),
        f("recorded_at"),
    ]
}

/// `history --csv`: the entries the filters keep, newest first, as `history --json` has them.
pub fn history(env: &Env, filter: &HistoryFilter) -> Result<(), Failure> {
    let s = open_session(env)?;
    let entries = filter.entries(&s)?;
    let rows = (entries.iter()).map(|l| history_row(&history_value(&s.portfolio, l)));
    write(HISTORY_HEADER, rows)
}

/// An entry as `history --json` (and so `--csv`) has it: the entry, its `seq`, when the
/// store wrote it (`recorded_at`, RFC 3339 in UTC; null for entries from before the
/// ledger recorded times) and the links between corrections.
pub fn history_value(p: &crate::domain::Portfolio, l: &Logged) -> Value {
    let mut v = serde_json::to_value(&l.entry).unwrap_or(Value::Null);
    v["seq"] = serde_json::json!(l.seq);
    v["recorded_at"] = serde_json::json!(l.at.map(crate::store::stamp_text));
    p.corrections.link(&mut v, l.seq);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_neutralised_and_never_formulas() {
        assert_eq!(cell("a\u{1b}[2Jb\u{202E}c"), "a [2Jb c");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("+1-2"), "'+1-2");
        assert_eq!(cell("-12"), "-12", "a number stays a number");
        assert_eq!(cell("Microsoft 365 E3"), "Microsoft 365 E3");
    }
}
