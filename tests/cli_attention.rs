//! `list --attention` through the real binary, as cron or a monitoring check runs it: only
//! what needs attention, exit 1 while anything does, 0 once everything is done.

mod common;

use std::path::Path;

/// Due within 30 days of 2026-11-23 with work left: a key, a credit, activations. Not
/// counting: a discontinued benefit without keys, a benefit due later, a server product
/// that needs no activation.
const CATALOG: &str = r#"organization: {name: Contoso, partner_id: "1234567", country: NL, enrollment_year_end: 2027-06-30}
user: {name: Ada Admin, email: ada@contoso.onmicrosoft.com, role: global-admin, can_view_keys: true}
offers:
  - {id: sp, name: Solutions Partner for Modern Work, kind: solutions-partner}
tenants:
  - id: contoso
    name: Contoso
    domain: contoso.onmicrosoft.com
    users: [{name: Bob, email: bob@contoso.onmicrosoft.com}]
cloud_benefits:
  - id: e5
    product: Microsoft 365 E5
    offer: sp
    type: core
    activate_by: 2026-12-15
    license:
      quantity: 25
      keys: [{key: ATTEN-E5AAA-AAAAA-AAAAA-AAA25, licenses: 25}]
  - id: e3-later
    product: Microsoft 365 E3
    offer: sp
    type: core
    activate_by: 2027-06-30
    license:
      quantity: 25
      keys: [{key: ATTEN-E3AAA-AAAAA-AAAAA-AAA25, licenses: 25}]
  - id: o365-e3
    product: Office 365 E3
    offer: sp
    type: core
    activate_by: 2026-12-01
    replaced_by: e5
    license: {quantity: 25}
  - id: credit
    product: Azure credit
    offer: sp
    type: core
    activate_by: 2026-12-20
    credit: {period: monthly, amount_usd: 100, tenant: contoso}
software_benefits:
  - id: win
    product: Windows 11 Enterprise
    offer: sp
    family: windows
    quantity: 2
    activate_by: 2026-12-10
    keys: [{key: ATTEN-WINAA-AAAAA-AAAAA-AAAA1, activations_used: 1, activations_allowed: 2}]
  - id: sharepoint
    product: SharePoint Server
    offer: sp
    family: server
    quantity: 2
    activate_by: 2026-12-10
    keys: [{key: ATTEN-SPSAA-AAAAA-AAAAA-AAAA1, activations_allowed: 2}]
"#;

fn attention(config: &Path, data: &Path, page: &str, json: bool) -> (i32, String) {
    let mut c = common::benefits(config, data);
    c.args(["list", page, "--attention"]);
    if json {
        c.arg("--json");
    }
    let out = c.output().unwrap();
    common::assert_no_panic_or_lock(&out);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn ids(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn write(config: &Path, data: &Path, args: &[&str]) {
    let out = common::benefits(config, data).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
}

#[test]
fn list_attention_exits_1_while_anything_needs_attention_and_0_once_it_is_done() {
    let d = tempfile::tempdir().unwrap();
    let config = d.path().join("catalog.yaml");
    std::fs::write(&config, CATALOG).unwrap();
    let data = d.path().join("data");

    let (code, json) = attention(&config, &data, "cloud", true);
    assert_eq!(code, 1, "{json}");
    assert_eq!(ids(&json), ["e5", "credit"], "only what counts");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v[0]["attention"],
        serde_json::json!({"todo": "unredeemed-keys", "count": 1, "days_left": 22})
    );
    assert_eq!(v[1]["attention"]["todo"], "unassigned-credit");
    let (code, json) = attention(&config, &data, "software", true);
    assert_eq!((code, ids(&json)), (1, vec!["win".to_string()]), "{json}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap()[0]["attention"]["count"],
        1
    );

    // The table says what is to do and how long is left; the CSV has the same rows.
    let (code, table) = attention(&config, &data, "cloud", false);
    assert_eq!(code, 1);
    assert!(table.contains("product keys not redeemed: 1"), "{table}");
    assert!(
        table.contains("days left: 22") && table.contains("credit not assigned"),
        "{table}"
    );
    assert!(
        !table.contains("o365-e3") && !table.contains("e3-later"),
        "{table}"
    );
    let csv = common::benefits(&config, &data)
        .args(["list", "cloud", "--attention", "--csv"])
        .output()
        .unwrap();
    assert_eq!(csv.status.code(), Some(1));
    let mut r = csv::Reader::from_reader(&csv.stdout[..]);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[header.len() - 3..],
        ["to_do", "to_do_count", "days_left"]
    );
    let rows: Vec<_> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(
        rows.iter().map(|x| x[0].to_string()).collect::<Vec<_>>(),
        ["e5", "credit"]
    );

    // Doing the work clears it (issue 13: the attention used to stay after redeeming).
    write(
        &config,
        &data,
        &[
            "redeem",
            "--key",
            "ATTEN-E5AAA-AAAAA-AAAAA-AAA25",
            "--tenant",
            "contoso",
            "--subscription",
            "new",
            "--mode",
            "activate",
            "--yes",
        ],
    );
    let (code, json) = attention(&config, &data, "cloud", true);
    assert_eq!((code, ids(&json)), (1, vec!["credit".to_string()]));
    write(
        &config,
        &data,
        &[
            "credit",
            "assign",
            "--benefit",
            "credit",
            "--user",
            "bob@contoso.onmicrosoft.com",
        ],
    );
    write(
        &config,
        &data,
        &[
            "activate",
            "--key",
            "ATTEN-WINAA-AAAAA-AAAAA-AAAA1",
            "--machine",
            "pc-2",
            "--change",
            "new",
        ],
    );
    for page in ["cloud", "software"] {
        assert_eq!(
            attention(&config, &data, page, true),
            (0, "[]\n".into()),
            "{page}"
        );
        assert_eq!(
            attention(&config, &data, page, false),
            (0, String::new()),
            "{page}"
        );
    }
}
