//! Shared setup for the benches: generated catalogs and apps (never timed).

#![allow(dead_code)]

use benefits::app::{self, Action, App};
use benefits::domain::{Catalog, Portfolio};
use benefits::i18n::{Lang, Messages};
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

pub fn app(catalog: Catalog) -> App {
    let mut app = App::new(Portfolio::new(catalog), today(), Messages::get(Lang::EnUs));
    app::update(
        &mut app,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    app
}
