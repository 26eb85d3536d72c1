//! The catalog generator: valid, of the requested size, deterministic per seed.

mod common;

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

/// `generate-ledger` writes a valid past: every entry folds without a mismatch.
#[test]
fn generated_ledger_folds_cleanly_and_shows_in_history() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("catalog.yaml");
    std::fs::write(&config, generate(400, 3)).unwrap();
    let data = dir.path().join("data");
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("benefits")
            .unwrap()
            .env_remove("BENEFITS_CONFIG")
            .env_remove("BENEFITS_DATA_DIR")
            .args(["--today", "2026-11-23", "--json", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .unwrap();
        common::assert_success(&out);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let written = run(&["generate-ledger", "--entries", "300"]);
    assert_eq!(written["written"], 300);
    let history = run(&["history"]);
    let entries = history["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 300);
    assert_eq!(history["mismatches"].as_array().unwrap().len(), 0);
    let ops: std::collections::HashSet<_> = entries
        .iter()
        .map(|e| e["op"].as_str().unwrap_or("?").to_string())
        .collect();
    assert!(
        ops.contains("redemption") && ops.contains("activation"),
        "{ops:?}"
    );
    // Asking for more than the catalog allows writes what it allows, and says so.
    let more = run(&["generate-ledger", "--entries", "1000000"]);
    let n = more["written"].as_u64().unwrap();
    assert!(n > 0 && n < 1_000_000, "{more}");
}
