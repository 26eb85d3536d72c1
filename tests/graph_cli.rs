//! `import graph` and `reconcile` through the real binary, on the demo catalog (its tenants'
//! tenant_id and its E3 subscription's graph_id are what the fixtures report).

mod common;

use common::{assert_success, json, text};
use std::path::{Path, PathBuf};
use std::process::Command;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/graph")
        .join(name)
}

fn benefits(data: &Path) -> Command {
    common::benefits(Path::new(DEMO), data)
}

/// `import graph FILES --json`, answering standard input with `stdin`.
fn import(data: &Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = benefits(data)
        .args(["--json", "import", "graph"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn import_graph_reads_pages_from_files_and_stdin_and_reports_what_did_not_match() {
    let data = tempfile::tempdir().unwrap();
    let page1 = fixture("contoso-page1.json");
    let page2 = std::fs::read(fixture("contoso-page2.json")).unwrap();
    let out = import(data.path(), &[page1.to_str().unwrap(), "-"], &page2);
    assert_success(&out);
    let v = json(&out);
    assert_eq!(v["observed"], 6, "{v}");
    let matched = v["matched"].as_array().unwrap();
    assert_eq!(matched.len(), 5, "{v}");
    let unmatched = v["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1);
    assert_eq!(unmatched[0]["sku"], "FLOW_FREE");
    assert!(
        unmatched[0]["reason"]
            .as_str()
            .unwrap()
            .contains("unknown SKU")
    );
    assert_eq!(v["sources"][1]["name"], "-");
    assert_eq!(v["sources"][1]["sha256"], sha256(&page2));
    // The details say where the numbers come from; the catalog file is untouched.
    let before = std::fs::read(DEMO).unwrap();
    let show = benefits(data.path())
        .args(["show", "m365-e3"])
        .output()
        .unwrap();
    assert_success(&show);
    let shown = text(&show);
    assert!(
        shown.contains(
            "125 licenses · End date May 31, 2027 · reported by Microsoft Graph on Nov 23, 2026"
        ),
        "{shown}"
    );
    assert_eq!(std::fs::read(DEMO).unwrap(), before);
    // Every status: Warning is Expired, Suspended Disabled, Deleted no active subscription.
    let list = json(
        &benefits(data.path())
            .args(["--json", "list", "cloud"])
            .output()
            .unwrap(),
    );
    let status = |id: &str| {
        let b = list
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == id)
            .unwrap();
        b["status"].as_str().unwrap().to_string()
    };
    assert_eq!(status("m365-e5"), "expired");
    assert_eq!(status("dynamics-sales"), "disabled");
    assert_eq!(status("project-plan-3"), "no-active-subscription");
    assert_eq!(
        status("power-bi-pro"),
        "active",
        "known only from Graph, Enabled"
    );
    // History lists the import.
    let h = common::history(Path::new(DEMO), data.path());
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["op"], "graph-import");
    assert_eq!(h[0]["observations"].as_array().unwrap().len(), 5);
}

#[test]
fn malformed_graph_json_exits_2_naming_path_and_position_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let good = fixture("contoso-page1.json");
    for (bad, at) in [
        ("malformed.json", "malformed.json:8:5: at $.value[0]"),
        ("mistyped.json", "mistyped.json:3:"),
    ] {
        let out = benefits(data.path())
            .args(["import", "graph"])
            .arg(&good)
            .arg(fixture(bad))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(text(&out).contains(at), "{}", text(&out));
    }
    assert!(
        !data.path().join("ledger.db").exists(),
        "nothing written, not even a ledger"
    );
    let out = import(
        data.path(),
        &["--tenant", "nowhere", good.to_str().unwrap()],
        b"",
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json(&out)["error"]["code"], "unknown-tenant");
}

fn graph_e3(dir: &Path, name: &str, licenses: u32, next: &str) -> PathBuf {
    let p = dir.join(name);
    let page = format!(
        r#"{{"value":[{{"id":"1b8e5c2a-7d4f-4a9e-b3c1-6e2d8f0a4b75","skuPartNumber":"SPE_E3","status":"Enabled","totalLicenses":{licenses},"nextLifecycleDateTime":"{next}","ownerTenantId":"5f1e6a3c-9b2d-4c8e-a1f0-3d7b9e2c4a61"}}]}}"#
    );
    std::fs::write(&p, page).unwrap();
    p
}

fn reconcile(data: &Path) -> (i32, serde_json::Value) {
    let out = benefits(data)
        .args(["--json", "reconcile"])
        .output()
        .unwrap();
    (out.status.code().unwrap(), json(&out))
}

fn redeem_e3(data: &Path, key: &str) {
    let out = benefits(data)
        .args([
            "redeem",
            "--key",
            key,
            "--tenant",
            "contoso",
            "--subscription",
            "contoso-m365-e3",
        ])
        .args(["--mode", "extend", "--yes"])
        .output()
        .unwrap();
    assert_success(&out);
}

#[test]
fn reconcile_matches_a_redemption_against_the_first_observation_after_it() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let (code, v) = reconcile(data.path());
    assert_eq!((code, v["redemptions"].as_array().unwrap().len()), (0, 0));
    // 25 on 100 licenses: +3 months, Mar 31 → Jun 30, 2027.
    redeem_e3(data.path(), "M3E3A-7QXRT-4HDPC-2VWNB-K25LA");
    let (code, v) = reconcile(data.path());
    assert_eq!(
        (code, v["redemptions"][0]["result"].as_str()),
        (0, Some("not-observed-yet")),
        "{v}"
    );
    // Graph: the next state begins Jul 1 at midnight, so Jun 30 is the last Enabled day.
    let ok = graph_e3(files.path(), "ok.json", 100, "2027-07-01T00:00:00Z");
    assert_success(
        &benefits(data.path())
            .args(["import", "graph"])
            .arg(&ok)
            .output()
            .unwrap(),
    );
    let (code, v) = reconcile(data.path());
    assert_eq!(
        (code, v["redemptions"][0]["result"].as_str()),
        (0, Some("match")),
        "{v}"
    );
    // 100 more: +12 months, Jun 30, 2028; Graph says a day less.
    redeem_e3(data.path(), "M3E3B-9FJKD-3MWQP-8TRZX-K100B");
    let off = graph_e3(files.path(), "off.json", 100, "2028-06-30T00:00:00Z");
    assert_success(
        &benefits(data.path())
            .args(["import", "graph"])
            .arg(&off)
            .output()
            .unwrap(),
    );
    let (code, v) = reconcile(data.path());
    assert_eq!(code, 1, "a mismatch exits 1: {v}");
    let second = &v["redemptions"][1];
    assert_eq!(second["result"], "mismatch");
    assert_eq!(
        (
            second["previewed_end_date"].as_str(),
            second["observed_end_date"].as_str()
        ),
        (Some("2028-06-30"), Some("2028-06-29"))
    );
    assert_eq!(
        (v["match"].as_u64(), v["mismatch"].as_u64()),
        (Some(1), Some(1))
    );
    let table = benefits(data.path()).arg("reconcile").output().unwrap();
    assert_eq!(table.status.code(), Some(1));
    let shown = text(&table);
    assert!(
        shown.contains("✓ match") && shown.contains("✗ mismatch"),
        "{shown}"
    );
    assert!(
        shown.contains("100 · Jun 30, 2028") && shown.contains("100 · Jun 29, 2028 (Enabled)"),
        "{shown}"
    );
}
