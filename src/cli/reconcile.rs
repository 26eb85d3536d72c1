//! `benefits reconcile`: every redemption's previewed Total licenses and End date against
//! the first Microsoft Graph observation of its subscription after it. Exit 0 when nothing
//! mismatches, 1 when something does (as `diff` does).

use super::output::table;
use super::{Env, Exit, Failure, open_session, store_failure};
use crate::domain::observation::{Reconciled, Verdict, reconcile_newest_first};
use crate::store::Logged;
use serde_json::json;

pub fn run(env: &Env) -> Result<Exit, Failure> {
    let s = open_session(env)?;
    // The whole ledger: a start from a checkpoint folded the older entries without them.
    let entries = s.store.entries_since(0).map_err(store_failure)?;
    let results = reconcile_newest_first(entries.iter().rev().map(Logged::pair));
    let exit = if results.iter().any(Reconciled::is_mismatch) {
        Exit::Failure
    } else {
        Exit::Ok
    };
    if env.json {
        let count = |f: fn(&Verdict) -> bool| results.iter().filter(|r| f(&r.verdict)).count();
        outln!(
            "{}",
            json!({"redemptions": results,
                   "match": count(|v| matches!(v, Verdict::Match { .. })),
                   "mismatch": count(|v| matches!(v, Verdict::Mismatch { .. })),
                   "not_observed_yet": count(|v| matches!(v, Verdict::NotObservedYet))})
        );
        return Ok(exit);
    }
    let t = env.t();
    if results.is_empty() {
        outln!("{}", t.text("reconcile.none"));
        return Ok(exit);
    }
    let rows: Vec<Vec<String>> = results.iter().map(|r| row(env, r)).collect();
    outln!(
        "{}",
        table(
            &[
                "#",
                t.text("label.date"),
                t.text("label.subscription"),
                t.text("reconcile.previewed"),
                t.text("reconcile.observed"),
                t.text("reconcile.result"),
            ],
            &rows
        )
    );
    Ok(exit)
}

/// Licenses and end date as one cell: `125 · Mar 31, 2027`.
fn totals(env: &Env, licenses: u32, end: Option<chrono::NaiveDate>) -> String {
    let end = end.map_or_else(|| "-".to_string(), |d| env.t().date(d));
    format!("{licenses} · {end}")
}

fn row(env: &Env, r: &Reconciled) -> Vec<String> {
    let t = env.t();
    let previewed = totals(env, r.previewed_licenses, Some(r.previewed_end_date));
    let observed = r.observed().map_or_else(
        || "-".to_string(),
        |o| {
            let seen = format!("#{}: {}", o.seq, totals(env, o.licenses, o.end_date));
            match r.is_mismatch() {
                true => format!("{seen} ({})", o.status.as_str()),
                false => seen,
            }
        },
    );
    let result = match &r.verdict {
        Verdict::Match { .. } => format!("✓ {}", t.text("reconcile.match")),
        Verdict::Mismatch { .. } => format!("✗ {}", t.text("reconcile.mismatch")),
        Verdict::NotObservedYet => t.text("reconcile.not-observed").to_string(),
    };
    vec![
        r.seq.to_string(),
        t.date(r.date),
        r.subscription.clone(),
        previewed,
        observed,
        result,
    ]
}
