//! The catalog generator: valid, of the requested size, deterministic per seed.

use benefits::cli::generate::write_catalog;
use chrono::NaiveDate;

fn generate(rows: usize, seed: u64) -> Vec<u8> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut out = Vec::new();
    write_catalog(&mut out, rows, seed, today).unwrap();
    out
}

#[test]
fn generated_catalog_loads_with_the_requested_rows() {
    let text = String::from_utf8(generate(500, 42)).unwrap();
    let catalog = benefits::catalog::load_str(&text, "generated.yaml")
        .unwrap_or_else(|e| panic!("generated catalog does not load: {e}"));
    assert_eq!(
        catalog.cloud_benefits.len() + catalog.software_benefits.len(),
        500
    );
    assert!((3..=6).contains(&catalog.offers.len()));
    assert!((2..=4).contains(&catalog.tenants.len()));
    assert!(catalog.cloud_benefits.iter().any(|b| b.credit.is_some()));
    assert!(catalog.cloud_benefits.iter().any(|b| b.license.is_some()));
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    assert_eq!(generate(300, 7), generate(300, 7));
    assert_ne!(generate(300, 7), generate(300, 8));
}

#[test]
fn every_seed_tried_loads() {
    for seed in 0..8 {
        let text = String::from_utf8(generate(120, seed)).unwrap();
        benefits::catalog::load_str(&text, "generated.yaml")
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
}
