//! `benefits usage`: per license product, what the organization is entitled to, what it
//! has used per country and worldwide, what Graph last reported assigned, against each cap
//! — the record the licensing FAQ says the program administrator must keep.

use super::output::table;
use super::{Env, Failure, open_session};
use crate::domain::caps::usage;

pub fn run(env: &Env) -> Result<(), Failure> {
    let s = open_session(env)?;
    let rows = usage(&s.portfolio);
    if env.json {
        outln!("{}", serde_json::json!({"products": rows}));
        return Ok(());
    }
    let t = env.t();
    let or_dash = |n: Option<u32>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|u| {
            let per: Vec<String> = u.used.iter().map(|(c, n)| format!("{c} {n}")).collect();
            vec![
                u.product.clone(),
                u.entitled.to_string(),
                if per.is_empty() {
                    "-".into()
                } else {
                    per.join(", ")
                },
                u.used_worldwide.to_string(),
                or_dash(u.consumed),
                format!("{} / {}", or_dash(u.per_country), or_dash(u.worldwide)),
            ]
        })
        .collect();
    outln!(
        "{}",
        table(
            &[
                t.text("graph.col-product"),
                t.text("usage.entitled"),
                t.text("usage.used"),
                t.text("usage.worldwide"),
                t.text("usage.consumed"),
                t.text("usage.caps"),
            ],
            &cells
        )
    );
    Ok(())
}
