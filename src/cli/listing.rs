//! `list cloud|software --csv` and `--attention`: the rows of `list --json`, exported as
//! CSV, or only those that need attention (exit 1 when any does, for cron and monitoring).

use super::args::{ListArgs, Page};
use super::browse::{cloud_json, software_json};
use super::output::table;
use super::{Env, Exit, Failure, export, open_session};
use crate::domain::attention::{Attention, Benefit, Todo, attention};
use crate::i18n::Messages;
use serde_json::{Value, json};

pub fn list(env: &Env, a: &ListArgs) -> Result<Exit, Failure> {
    export::one_format(a.csv, env.json)?;
    let s = open_session(env)?;
    let p = &s.portfolio;
    let rows: Vec<(Value, Attention<'_>)> = match a.page {
        Page::Cloud => (p.catalog.cloud_benefits.iter())
            .map(|b| {
                (
                    cloud_json(p, b, env),
                    attention(Benefit::Cloud(b), env.today),
                )
            })
            .collect(),
        Page::Software => (p.catalog.software_benefits.iter())
            .map(|b| {
                (
                    software_json(p, b, env),
                    attention(Benefit::Software(b), env.today),
                )
            })
            .collect(),
    };
    // Only what counts; each row also says what is to do and how long is left.
    let rows: Vec<(Value, Option<(Todo, i64)>)> = (rows.into_iter())
        .filter_map(|(mut v, at)| match (at, a.attention) {
            (Attention::Needed { todo, days_left }, true) => {
                v["attention"] =
                    json!({"todo": todo.as_str(), "count": todo.count(), "days_left": days_left});
                Some((v, Some((todo, days_left))))
            }
            (_, true) => None,
            (_, false) => Some((v, None)),
        })
        .collect();
    let exit = if a.attention && !rows.is_empty() {
        Exit::Failure
    } else {
        Exit::Ok
    };
    if env.json {
        outln!(
            "{}",
            Value::Array(rows.into_iter().map(|(v, _)| v).collect())
        );
    } else if a.csv {
        let (header, row): (_, fn(&Value) -> Vec<String>) = match a.page {
            Page::Cloud => (export::CLOUD_HEADER, export::cloud_row),
            Page::Software => (export::SOFTWARE_HEADER, export::software_row),
        };
        let mut header = header.to_vec();
        if a.attention {
            header.extend(export::ATTENTION_HEADER);
        }
        export::write(
            &header,
            rows.iter().map(|(v, _)| {
                let mut cells = row(v);
                if a.attention {
                    cells.extend(export::attention_cells(v));
                }
                cells
            }),
        )?;
    } else if !rows.is_empty() {
        out!("{}", attention_table(&rows, env.t()));
    }
    Ok(exit)
}

/// What needs attention, in words: the benefit, its activate-by date, what is to do and
/// how long is left.
fn attention_table(rows: &[(Value, Option<(Todo, i64)>)], t: &Messages) -> String {
    let cells: Vec<Vec<String>> = (rows.iter())
        .filter_map(|(v, at)| Some((v, (*at)?)))
        .map(|(v, (todo, days))| {
            let n = todo.count().to_string();
            let todo = t.fmt(todo.message_id(), &[("n", &n)]);
            let left = if days < 0 {
                let n = days.unsigned_abs().to_string();
                t.fmt("attention.days-past", &[("n", &n)])
            } else {
                t.fmt("attention.days-left", &[("n", &days.to_string())])
            };
            let activate_by = (v["activate_by"].as_str())
                .and_then(|d| d.parse().ok())
                .map(|d| t.date(d))
                .unwrap_or_default();
            [&v["id"], &v["product"]]
                .iter()
                .map(|s| crate::ui::text::clean(s.as_str().unwrap_or("")))
                .chain([activate_by, todo, left])
                .collect()
        })
        .collect();
    table(
        &[
            "ID",
            t.text("col.benefit-name"),
            t.text("col.activate-by"),
            t.text("col.to-do"),
            "",
        ],
        &cells,
    )
}
