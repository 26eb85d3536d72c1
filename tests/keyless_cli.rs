//! `redeem --keyless` through the real binary, on the demo catalog (Solutions Partner for
//! Modern Work is keyless, ending 2027-09-30; contoso is under the MCA billing account).

mod common;

use common::{assert_success, json, text};
use std::path::Path;
use std::process::Command;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml");

fn benefits(data: &Path) -> Command {
    common::benefits(Path::new(DEMO), data)
}

fn keyless(data: &Path, benefit: &str, tenant: &str) -> std::process::Output {
    benefits(data)
        .args([
            "--json",
            "redeem",
            "--keyless",
            "--benefit",
            benefit,
            "--tenant",
            tenant,
            "--yes",
        ])
        .output()
        .unwrap()
}

/// What `show BENEFIT` prints.
fn show(data: &Path, benefit: &str) -> String {
    text(&benefits(data).args(["show", benefit]).output().unwrap())
}

#[test]
fn redeem_without_a_key_aligns_to_the_offer_end_and_writes_a_ledger_entry() {
    let data = tempfile::tempdir().unwrap();
    let out = keyless(data.path(), "dynamics-sales", "contoso");
    assert_success(&out);
    let v = json(&out);
    assert_eq!(
        (v["subscription"].as_str(), v["licenses"].as_u64()),
        (Some("contoso-d365-sales"), Some(10))
    );
    assert_eq!(v["after"]["end_date"], "2027-09-30");
    let h = common::history(Path::new(DEMO), data.path());
    assert_eq!(h[0]["op"], "keyless-redemption");
    assert_eq!(h[0]["location"], "amsterdam");
    let shown = show(data.path(), "dynamics-sales");
    assert!(
        shown.contains("Active · 10 licenses · End date Sep 30, 2027"),
        "{shown}"
    );
    // A second time: nothing left.
    let again = keyless(data.path(), "dynamics-sales", "contoso");
    assert_eq!(again.status.code(), Some(3));
    assert_eq!(json(&again)["error"]["code"], "keyless-already-redeemed");
}

#[test]
fn redeem_without_a_key_is_refused_in_words() {
    let data = tempfile::tempdir().unwrap();
    for (benefit, tenant, code, words) in [
        (
            "power-bi-pro",
            "contoso",
            "benefit-not-keyless",
            "Power BI Pro is not offered without a key",
        ),
        (
            "dynamics-sales",
            "fabrikam-lab",
            "tenant-not-under-billing-account",
            "not under the organization's Microsoft Customer Agreement billing account",
        ),
    ] {
        let out = keyless(data.path(), benefit, tenant);
        assert_eq!(out.status.code(), Some(3), "{benefit}");
        let e = &json(&out)["error"];
        assert_eq!(e["code"], code);
        assert!(e["message"].as_str().unwrap().contains(words), "{e}");
    }
    // --keyless takes no key, and needs the benefit.
    let usage = benefits(data.path())
        .args(["redeem", "--keyless", "--tenant", "contoso", "--yes"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        !data.path().join("ledger.db").exists()
            || common::history(Path::new(DEMO), data.path()).is_empty()
    );
}

/// Found in the tmux trial: the keyless redemption took Dynamics 365 Sales' 10 licenses, and
/// its 10-license key still redeemed on top (Total licenses 20 of a 10-license benefit).
#[test]
fn a_key_whose_licenses_were_redeemed_without_a_key_is_refused() {
    let data = tempfile::tempdir().unwrap();
    assert_success(&keyless(data.path(), "dynamics-sales", "contoso"));
    let shown = show(data.path(), "dynamics-sales");
    assert!(
        shown.contains("K10DS · 10 licenses · Redeemed without a key"),
        "{shown}"
    );
    assert!(!shown.contains("Ready to redeem"), "{shown}");
    let out = benefits(data.path())
        .args(["--json", "redeem", "--key", "D365S-3EDCR-8FVTG-5BYHN-K10DS"])
        .args(["--tenant", "contoso", "--mode", "add", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert_eq!(json(&out)["error"]["code"], "key-taken-without-key");
    let h = common::history(Path::new(DEMO), data.path());
    assert_eq!(h.len(), 1, "nothing written: {h:?}");
}
