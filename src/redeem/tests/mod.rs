//! The redemption rules and the dialog machines, against a small fixture catalog.

use super::Target;
use super::rules::Ctx;
use crate::domain::{Entry, Portfolio, ProductKey, Refusal, RefusalCode};
use chrono::NaiveDate;

mod activation_machine;
mod correction;
mod credit;
mod credit_machine;
mod keyless_machine;
mod keys;
mod random_dialogs;
mod random_intents;
mod redemption_machine;
mod software;

const FIXTURE: &str = include_str!("../fixture.yaml");

fn portfolio() -> Portfolio {
    Portfolio::new(
        crate::catalog::load_str(FIXTURE, "fixture.yaml").expect("the fixture is a valid catalog"),
    )
}

fn today() -> NaiveDate {
    "2026-11-23".parse().unwrap()
}

fn ctx(p: &Portfolio) -> Ctx<'_> {
    Ctx {
        portfolio: p,
        user: &p.catalog.user,
        today: today(),
    }
}

fn existing(id: &str) -> Target {
    Target::Existing(id.into())
}

fn key(s: &str) -> ProductKey {
    ProductKey::parse(s).unwrap()
}

fn code<T: std::fmt::Debug>(r: Result<T, Refusal>) -> RefusalCode {
    r.expect_err("refused").code
}

fn apply(p: &mut Portfolio, e: Entry) {
    let seq = p.last_seq + 1;
    p.apply(seq, &e);
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
}
