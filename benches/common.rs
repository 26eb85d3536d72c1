//! Shared setup for the benches: generated catalogs, ledgers and apps (never timed).

#![allow(dead_code)]

use benefits::app::{self, Action, App};
use benefits::cli::generate::LedgerPlan;
use benefits::domain::{Catalog, Portfolio};
use benefits::i18n::{Lang, Messages};
use benefits::store::Logged;
use chrono::NaiveDate;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub fn yaml(rows: usize) -> String {
    let mut out = Vec::new();
    benefits::cli::generate::write_catalog(&mut out, rows, 1, today()).unwrap();
    String::from_utf8(out).unwrap()
}

pub fn catalog(rows: usize) -> Catalog {
    benefits::catalog::load_str(&yaml(rows), "bench.yaml").unwrap()
}

/// `entries` past operations planned by the real rules (as `generate-ledger` writes them),
/// folded into `portfolio`; the ledger, oldest first.
pub fn ledger(portfolio: &mut Portfolio, entries: usize) -> Vec<Logged> {
    let mut plan = LedgerPlan::new(portfolio, entries, today());
    let mut out = Vec::with_capacity(entries);
    // Every entry written at one pinned instant: the History shows date and time.
    let at = today().and_hms_opt(9, 30, 0).map(|t| t.and_utc());
    while let Some(entry) = plan.next(portfolio) {
        let seq = out.len() as i64 + 1;
        portfolio.apply(seq, &entry);
        out.push(Logged { seq, at, entry });
    }
    out
}

/// The dashboard at 120x40 on a catalog of `rows` benefits with a tenth as many past
/// operations in its history.
pub fn app(rows: usize) -> App {
    let mut portfolio = Portfolio::new(catalog(rows));
    let mut history = ledger(&mut portfolio, rows / 10);
    history.reverse();
    let mut app = App::new(portfolio, today(), Messages::get(Lang::EnUs));
    app::update(&mut app, Action::History(history));
    app
}
