//! Shared by the integration tests: the dashboard driven without a terminal (`dash`), a
//! program in a pseudo-terminal (`pty`), the dashboard started in one (`program`), the
//! `serve` server and its OpenSSH client (`ssh`), and for the torture tests a catalog with
//! many keys, the real binary, a seeded RNG, the soak switch and the scan for whole keys.
#![allow(dead_code)]

pub mod dash;
pub mod pg;
pub mod program;
pub mod pty;
pub mod ssh;
pub mod views;

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The date every torture run pins.
pub const TODAY: &str = "2026-11-23";

/// `BENEFITS_SOAK=1` turns the quick CI tiers into long local soak runs.
pub fn soak() -> bool {
    std::env::var("BENEFITS_SOAK").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// A small, deterministic xorshift generator: the same seed gives the same run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The i-th cloud key of the torture catalog (Microsoft 365 E3, 5 licenses each; i < 10 000).
pub fn cloud_key(i: usize) -> String {
    format!("T{i:04}-QWERT-YUIOP-ASDFG-HJKL{}", i % 10)
}

/// The software key of the torture catalog (every activation counts; plenty allowed).
pub const SOFTWARE_KEY: &str = "TSWAA-ZXCVB-NMLKJ-HGFDS-POIU1";
pub const SOFTWARE_ALLOWED: usize = 100_000;

/// A catalog with `keys` cloud keys for one product (redeemed onto new subscriptions of
/// the `lab` tenant) and one software key for activations. `admin` false makes the user a
/// read-only user who may not view keys either.
pub fn catalog_yaml(keys: usize, admin: bool) -> String {
    let mut list = String::new();
    for i in 0..keys {
        list.push_str(&format!(
            "        - {{key: {}, licenses: 5}}\n",
            cloud_key(i)
        ));
    }
    let (role, view) = if admin {
        ("global-admin", true)
    } else {
        ("read-only", false)
    };
    format!(
        r#"organization: {{name: Contoso, partner_id: "1234567", country: NL, enrollment_year_end: 2027-06-30}}
user: {{name: Ada Admin, email: ada@contoso.onmicrosoft.com, role: {role}, can_view_keys: {view}}}
offers:
  - {{id: sp, name: Solutions Partner for Modern Work, kind: solutions-partner}}
tenants:
  - id: contoso
    name: Contoso
    domain: contoso.onmicrosoft.com
    users:
      - {{name: Ada, email: ada@contoso.onmicrosoft.com}}
      - {{name: Bob, email: bob@contoso.onmicrosoft.com}}
{LAB_AND_E3_KEYS}{list}      subscriptions:
        - {{id: sub-e3, tenant: contoso, licenses: 100, end_date: 2027-03-31}}
  - id: az-monthly
    product: Azure credit
    offer: sp
    type: core
    activate_by: 2027-06-30
    credit: {{period: monthly, amount_usd: 100, tenant: contoso}}
software_benefits:
  - id: win
    product: Windows 11 Enterprise
    offer: sp
    family: windows
    quantity: 10
    activate_by: 2027-06-30
    keys: [{{key: {SOFTWARE_KEY}, activations_allowed: {SOFTWARE_ALLOWED}}}]
"#,
        LAB_AND_E3_KEYS = LAB_AND_E3_KEYS
    )
}

/// The lab tenant line and the head of the E3 benefit up to its key list, shared by the
/// catalogs the tests write.
pub const LAB_AND_E3_KEYS: &str =
    "  - {id: lab, name: Fabrikam Lab, domain: fabrikam-lab.onmicrosoft.com}
cloud_benefits:
  - id: m365e3
    product: Microsoft 365 E3
    offer: sp
    type: core
    activate_by: 2027-06-30
    license:
      quantity: 100
      keys:
";

/// Write the torture catalog into `dir` and return its path.
pub fn write_catalog(dir: &Path, keys: usize, admin: bool) -> std::path::PathBuf {
    let p = dir.join(if admin {
        "catalog.yaml"
    } else {
        "catalog-ro.yaml"
    });
    std::fs::write(&p, catalog_yaml(keys, admin)).unwrap();
    p
}

/// The real binary with a pinned date, catalog and data directory, and a clean environment.
pub fn benefits(config: &Path, data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_benefits"));
    c.env_remove("BENEFITS_CONFIG")
        .env_remove("BENEFITS_DATA_DIR")
        .env_remove("BENEFITS_STORE")
        .env_remove("BENEFITS_TODAY")
        .env_remove("BENEFITS_NOW")
        .env_remove("NO_COLOR")
        .env("LANG", "en_US.UTF-8")
        .args(["--today", TODAY, "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .stdin(Stdio::null());
    c
}

/// `redeem` of cloud key `i` onto a new subscription of the lab tenant.
pub fn redeem_args(i: usize) -> Vec<String> {
    let key = cloud_key(i);
    std::iter::once("--json")
        .chain(redeem_new_on_lab(&key))
        .map(|s| s.to_string())
        .collect()
}

/// `redeem` of the 25-license E3 key of the cli fixture, extending Contoso's subscription.
pub const REDEEM_E3_ON_CONTOSO: [&str; 8] = [
    "redeem",
    "--key",
    "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
    "--tenant",
    "contoso",
    "--mode",
    "extend",
    "--yes",
];

/// `calc extend` of 100 licenses with a 25-license key to `end_date`.
pub fn calc_extend_args(end_date: &str) -> [&str; 8] {
    [
        "calc",
        "extend",
        "--licenses",
        "100",
        "--key-licenses",
        "25",
        "--end-date",
        end_date,
    ]
}

/// `redeem` of `key` onto a new subscription of the lab tenant, activated, confirmed.
pub fn redeem_new_on_lab(key: &str) -> [&str; 10] {
    [
        "redeem",
        "--key",
        key,
        "--tenant",
        "lab",
        "--subscription",
        "new",
        "--mode",
        "activate",
        "--yes",
    ]
}

/// `activate` of the software key on machine `name`.
pub fn activate_args(name: &str) -> Vec<String> {
    [
        "--json",
        "activate",
        "--key",
        SOFTWARE_KEY,
        "--machine",
        name,
        "--change",
        "new",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Fails the test unless the run exited 0, showing its stderr.
#[track_caller]
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Fails the test unless the run of `args` exited 0, showing `args` and its stderr.
#[track_caller]
pub fn assert_success_of(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `history --json` entries, oldest first.
pub fn history(config: &Path, data: &Path) -> Vec<serde_json::Value> {
    let out = benefits(config, data)
        .args(["--json", "history"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v = json(&out);
    assert_eq!(v["mismatches"].as_array().map(Vec::len), Some(0), "{v}");
    let mut e = v["entries"].as_array().unwrap().clone();
    e.reverse();
    e
}

/// `PRAGMA integrity_check` on the ledger, straight through SQLite.
pub fn integrity(data: &Path) -> String {
    let c = rusqlite::Connection::open_with_flags(
        data.join("ledger.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE,
    )
    .unwrap();
    c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Every spelling of a whole key that must never be shown: dashed, undashed, any case.
pub fn whole_forms(key: &str) -> Vec<String> {
    let up = key.to_uppercase();
    let bare = up.replace('-', "");
    vec![
        up.clone(),
        bare.clone(),
        up.to_lowercase(),
        bare.to_lowercase(),
    ]
}

/// The whole keys (of `keys`) found in `hay`, in any of their spellings.
pub fn leaked<'a>(hay: &str, keys: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    keys.into_iter()
        .filter(|k| whole_forms(k).iter().any(|f| hay.contains(f.as_str())))
        .cloned()
        .collect()
}

/// Does the output carry a panic, or SQLite's lock message?
pub fn assert_no_panic_or_lock(out: &Output) {
    let t = text(out);
    assert!(!t.contains("panicked"), "panic: {t}");
    assert!(!t.contains("RUST_BACKTRACE"), "panic: {t}");
    assert!(!t.to_lowercase().contains("database is locked"), "{t}");
    // 101 is Rust's panic exit code.
    assert_ne!(out.status.code(), Some(101), "{t}");
}
