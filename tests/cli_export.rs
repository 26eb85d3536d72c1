//! `list --csv` and `history --csv` through the real binary: parsed back with the csv
//! crate's reader and compared with `--json`; the history filters, shared by both.

mod common;

use serde_json::Value;
use std::path::Path;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");

/// The real binary as `common::benefits` sets it up, on the day `today`.
fn on(today: &str, config: &Path, data: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_benefits"));
    c.env_remove("BENEFITS_CONFIG")
        .env_remove("BENEFITS_DATA_DIR")
        .env_remove("BENEFITS_TODAY")
        .env_remove("BENEFITS_NOW")
        .env("LANG", "en_US.UTF-8")
        .args(["--today", today, "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .stdin(std::process::Stdio::null());
    c
}

fn run(config: &Path, data: &Path, args: &[&str]) -> std::process::Output {
    on(common::TODAY, config, data).args(args).output().unwrap()
}

fn json_of(config: &Path, data: &Path, args: &[&str]) -> Value {
    let out = run(config, data, &[&["--json"], args].concat());
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    common::json(&out)
}

/// The CSV records of a successful run, header first, after checking RFC 4180's CRLF.
fn csv_of(config: &Path, data: &Path, args: &[&str]) -> Vec<Vec<String>> {
    let out = run(config, data, args);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    records(&out.stdout)
}

fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.ends_with("\r\n"), "records end in CRLF: {text:?}");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "no bare LF: {text:?}"
    );
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

fn s(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Each CSV row, as a map from its header, beside the JSON row with the same id.
fn by_header(rows: &[Vec<String>]) -> Vec<std::collections::HashMap<&str, &str>> {
    let (header, rows) = rows.split_first().unwrap();
    rows.iter()
        .map(|r| {
            assert_eq!(r.len(), header.len(), "{r:?}");
            header
                .iter()
                .map(String::as_str)
                .zip(r.iter().map(String::as_str))
                .collect()
        })
        .collect()
}

#[test]
fn list_csv_parses_back_to_the_rows_of_list_json_on_both_pages() {
    let d = tempfile::tempdir().unwrap();
    let config = Path::new(FIXTURE);
    for page in ["cloud", "software"] {
        let json = json_of(config, d.path(), &["list", page]);
        let json = json.as_array().unwrap();
        let csv = csv_of(config, d.path(), &["list", page, "--csv"]);
        let rows = by_header(&csv);
        assert_eq!(rows.len(), json.len(), "{page}: one record per benefit");
        for (row, v) in rows.iter().zip(json) {
            for field in ["id", "product", "source", "offer", "activate_by"] {
                assert_eq!(row[field], s(&v[field]), "{page} {field}");
            }
            let keys: Vec<&str> = if row["keys"].is_empty() {
                vec![]
            } else {
                row["keys"].split("; ").collect()
            };
            let json_keys = v["keys"].as_array().cloned().unwrap_or_default();
            assert_eq!(keys.len(), json_keys.len(), "{page} {}", row["id"]);
            for (cell, k) in keys.iter().zip(&json_keys) {
                assert!(cell.starts_with(&s(&k["key"])), "{cell} vs {k}");
            }
            if page == "cloud" {
                assert_eq!(row["type"], s(&v["type"]));
                assert_eq!(row["kind"], s(&v["kind"]));
                assert_eq!(row["status"], s(&v["status"]));
                assert_eq!(row["redemption_status"], s(&v["redemption_status"]));
                assert_eq!(row["replaced_by"], s(&v["replaced_by"]));
                assert_eq!(row["assigned_to"], s(&v["credit"]["assigned_to"]));
                for (cell, k) in keys.iter().zip(&json_keys) {
                    assert_eq!(
                        cell.ends_with(", redeemed)"),
                        k["redeemed"] == true,
                        "{cell}"
                    );
                }
            } else {
                assert_eq!(row["family"], s(&v["family"]));
                assert_eq!(row["quantity"], s(&v["quantity"]));
                assert_eq!(row["needs_activation"], s(&v["needs_activation"]));
                for (cell, k) in keys.iter().zip(&json_keys) {
                    let counts = format!(
                        "({}/{})",
                        s(&k["activations_used"]),
                        s(&k["activations_allowed"])
                    );
                    assert!(cell.ends_with(&counts), "{cell} {counts}");
                }
            }
        }
    }
}

#[test]
fn csv_and_json_refuse_to_be_asked_for_together() {
    let d = tempfile::tempdir().unwrap();
    for args in [&["list", "cloud", "--csv"][..], &["history", "--csv"]] {
        let out = run(Path::new(FIXTURE), d.path(), &[args, &["--json"]].concat());
        assert_eq!(out.status.code(), Some(2), "{}", common::text(&out));
        assert!(
            common::json(&out)["error"]["message"]
                .as_str()
                .unwrap()
                .contains("fix:")
        );
    }
}

const HOSTILE: &str = r#"organization: {name: "Evil, Inc.", partner_id: "1", country: NL, enrollment_year_end: 2027-06-30}
user: {name: Rita, email: rita@contoso.onmicrosoft.com, role: read-only, can_view_keys: false}
offers:
  - {id: sp, name: "Solutions \"Partner\"; Modern, Work", kind: solutions-partner}
tenants:
  - {id: contoso, name: Contoso, domain: contoso.onmicrosoft.com}
cloud_benefits:
  - id: e3
    product: "=HYPERLINK(\"http://x\",\"E3\")\e]0;PWNED\a"
    offer: sp
    type: core
    activate_by: 2027-06-30
    license:
      quantity: 10
      keys: [{key: HOSTL-AAAAA-BBBBB-CCCCC-DDDD1, licenses: 10}]
software_benefits:
  - id: win
    product: "Windows \u202Eexe.txt\nsecond line"
    offer: sp
    family: windows
    quantity: 2
    activate_by: 2027-06-30
    keys: [{key: HOSTL-WWWWW-BBBBB-CCCCC-DDDD2, activations_allowed: 2}]
    notes: ["@SUM(A1:A9)", "-1"]
"#;

#[test]
fn csv_masks_keys_and_neutralises_controls_bidi_and_formulas() {
    let d = tempfile::tempdir().unwrap();
    let config = d.path().join("hostile.yaml");
    std::fs::write(&config, HOSTILE).unwrap();
    let data = d.path().join("data");
    let cloud = run(&config, &data, &["list", "cloud", "--csv"]);
    let software = run(&config, &data, &["list", "software", "--csv"]);
    for out in [&cloud, &software] {
        assert_eq!(out.status.code(), Some(0), "{}", common::text(out));
        let text = String::from_utf8_lossy(&out.stdout);
        let keys = [
            "HOSTL-AAAAA-BBBBB-CCCCC-DDDD1",
            "HOSTL-WWWWW-BBBBB-CCCCC-DDDD2",
        ]
        .map(String::from);
        assert_eq!(common::leaked(&text, &keys), Vec::<String>::new());
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\r' && c != '\n')
                    || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
            "{text:?}"
        );
    }
    let cloud = records(&cloud.stdout);
    let cloud = by_header(&cloud)[0].clone();
    assert_eq!(
        cloud["product"],
        "'=HYPERLINK(\"http://x\",\"E3\") ]0;PWNED "
    );
    assert_eq!(cloud["source"], "Solutions \"Partner\"; Modern, Work");
    assert_eq!(cloud["keys"], "*****-*****-*****-*****-DDDD1 (10)");
    let software = records(&software.stdout);
    let software = by_header(&software)[0].clone();
    assert_eq!(software["product"], "Windows  exe.txt second line");
    assert_eq!(software["notes"], "'@SUM(A1:A9); -1");
}

/// A redemption, an activation and a credit assignment on three days.
fn ledger_of_three(data: &Path) -> std::path::PathBuf {
    let config = Path::new(FIXTURE).to_path_buf();
    for (today, args) in [
        ("2026-11-20", &common::REDEEM_E3_ON_CONTOSO[..]),
        (
            "2026-11-21",
            &[
                "activate",
                "--key",
                "WINAP-AAAAA-AAAAA-AAAAA-AAAAA",
                "--machine",
                "pc-1",
                "--change",
                "new",
            ],
        ),
        (
            "2026-11-22",
            &[
                "credit",
                "assign",
                "--benefit",
                "az-bulk",
                "--user",
                "bob@contoso.onmicrosoft.com",
            ],
        ),
    ] {
        let out = on(today, &config, data)
            .args(["--now", &format!("{today}T09:30:00Z")])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    }
    config
}

#[test]
fn history_csv_and_json_keep_the_same_entries_for_every_filter() {
    let d = tempfile::tempdir().unwrap();
    let config = ledger_of_three(d.path());
    let cases: &[(&[&str], &[&str])] = &[
        (&[], &["credit-assign", "activation", "redemption"]),
        (&["--since", "2026-11-21"], &["credit-assign", "activation"]),
        (&["--until", "2026-11-21"], &["activation", "redemption"]),
        (
            &["--since", "2026-11-21", "--until", "2026-11-21"],
            &["activation"],
        ),
        (&["--benefit", "m365e3"], &["redemption"]),
        (&["--op", "credit-assign"], &["credit-assign"]),
        (&["--op", "activation", "--benefit", "m365e3"], &[]),
    ];
    for (filters, ops) in cases {
        let json = json_of(&config, d.path(), &[&["history"], *filters].concat());
        let entries = json["entries"].as_array().unwrap();
        let got: Vec<&str> = entries.iter().map(|e| e["op"].as_str().unwrap()).collect();
        assert_eq!(&got, ops, "--json {filters:?}");
        let csv = csv_of(
            &config,
            d.path(),
            &[&["history", "--csv"], *filters].concat(),
        );
        assert_eq!(csv[0][..4], ["seq", "date", "op", "benefit"]);
        let rows = by_header(&csv);
        assert_eq!(rows.len(), entries.len(), "--csv {filters:?}");
        for (row, e) in rows.iter().zip(entries) {
            for field in [
                "seq",
                "date",
                "op",
                "benefit",
                "user",
                "tenant",
                "mode",
                "machine",
                "to",
                "recorded_at",
            ] {
                assert_eq!(row[field], s(&e[field]), "{field} {filters:?}");
            }
            assert_eq!(row["key"], s(&e["key_masked"]));
            assert_eq!(row["licenses_after"], s(&e["after"]["total_licenses"]));
            assert_eq!(row["end_date_after"], s(&e["after"]["end_date"]));
            assert_eq!(row["activations_after"], s(&e["used_after"]));
        }
    }
    let redemption = csv_of(
        &config,
        d.path(),
        &["history", "--csv", "--op", "redemption"],
    );
    let redemption = &by_header(&redemption)[0];
    assert_eq!(redemption["key"], "*****-*****-*****-*****-AAA25");
    assert_eq!(redemption["end_date_before"], "2027-03-31");
    assert_eq!(redemption["end_date_after"], "2027-06-30");
}

#[test]
fn a_bad_history_filter_is_exit_2_with_the_fix() {
    let d = tempfile::tempdir().unwrap();
    let config = ledger_of_three(d.path());
    for (args, fix) in [
        (&["--since", "26-11-21"][..], "four-digit year"),
        (&["--until", "+2026-11-21"], "four-digit year"),
        (&["--since", "12026-11-21"], "four-digit year"),
        (&["--since", "2026-02-30"], "four-digit year"),
        (&["--since", "2026-11-22", "--until", "2026-11-21"], "swap"),
        (&["--op", "extend"], "credit-transfer"),
        (&["--benefit", "no-such-benefit"], "benefits list cloud"),
    ] {
        for json in [true, false] {
            let mut all = vec!["history"];
            all.extend(args);
            if json {
                all.push("--json");
            }
            let out = run(&config, d.path(), &all);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{all:?}: {}",
                common::text(&out)
            );
            let message = if json {
                common::json(&out)["error"]["message"]
                    .as_str()
                    .unwrap()
                    .to_string()
            } else {
                String::from_utf8_lossy(&out.stderr).into_owned()
            };
            assert!(
                message.contains("fix:") && message.contains(fix),
                "{all:?}: {message}"
            );
        }
    }
}

/// A start from a checkpoint folds only the entries after it; `history` still lists the
/// whole ledger (it listed only the entries after the checkpoint before).
#[test]
fn history_lists_the_entries_a_checkpoint_let_the_start_skip() {
    let d = tempfile::tempdir().unwrap();
    let generated = run(
        Path::new(FIXTURE),
        d.path(),
        &["generate-catalog", "--rows", "1500", "--seed", "7"],
    );
    assert_eq!(
        generated.status.code(),
        Some(0),
        "{}",
        common::text(&generated)
    );
    let config = d.path().join("big.yaml");
    std::fs::write(&config, &generated.stdout).unwrap();
    let data = d.path().join("data");
    let written = json_of(&config, &data, &["generate-ledger", "--entries", "2100"]);
    let written = written["written"].as_u64().unwrap();
    assert!(written >= 2048, "enough for a checkpoint: {written}");
    for _ in 0..2 {
        // The first start folds everything and leaves a checkpoint; the second uses it.
        let json = json_of(&config, &data, &["history"]);
        assert_eq!(json["entries"].as_array().unwrap().len() as u64, written);
        let csv = csv_of(
            &config,
            &data,
            &["history", "--csv", "--since", "1970-01-01"],
        );
        assert_eq!(csv.len() as u64 - 1, written);
    }
}

/// When each entry was written: `recorded_at` in `--json` and `--csv` (RFC 3339, UTC, as
/// `--now` pinned it), and in the table the date with the time to the minute and its zone.
#[test]
fn history_says_when_each_entry_was_recorded_in_json_csv_and_the_table() {
    let d = tempfile::tempdir().unwrap();
    let config = ledger_of_three(d.path());
    let json = json_of(&config, d.path(), &["history"]);
    let stamps: Vec<&str> = (json["entries"].as_array().unwrap().iter())
        .map(|e| e["recorded_at"].as_str().unwrap())
        .collect();
    let want = [
        "2026-11-22T09:30:00Z",
        "2026-11-21T09:30:00Z",
        "2026-11-20T09:30:00Z",
    ];
    assert_eq!(stamps, want);
    let csv = csv_of(&config, d.path(), &["history", "--csv"]);
    assert_eq!(csv[0].last().map(String::as_str), Some("recorded_at"));
    let rows = by_header(&csv);
    assert_eq!(
        rows.iter().map(|r| r["recorded_at"]).collect::<Vec<_>>(),
        want
    );
    for (lang, shown) in [
        ("en-US", "Nov 20, 2026 09:30 UTC"),
        ("nl-NL", "20-11-2026 09:30 UTC"),
        ("sv-SE", "2026-11-20 09:30 UTC"),
    ] {
        let out = run(&config, d.path(), &["--lang", lang, "history"]);
        let table = common::text(&out);
        let row = table.lines().find(|l| l.starts_with("1 ")).unwrap_or("");
        assert!(row.contains(shown), "{lang}: {table}");
    }
}

#[test]
fn now_is_pinned_by_the_flag_or_benefits_now_and_a_bad_one_is_exit_2_with_the_fix() {
    let d = tempfile::tempdir().unwrap();
    let config = Path::new(FIXTURE);
    let out = on(common::TODAY, config, d.path())
        .env("BENEFITS_NOW", "2026-11-23T23:59:59+01:00")
        .args(&common::REDEEM_E3_ON_CONTOSO[..])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    let json = json_of(config, d.path(), &["history"]);
    assert_eq!(json["entries"][0]["recorded_at"], "2026-11-23T22:59:59Z");
    for bad in ["2026-11-23", "yesterday", "2026-11-23T25:00:00Z"] {
        let out = run(config, d.path(), &["--now", bad, "list", "cloud"]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = common::text(&out);
        assert!(
            err.contains("RFC 3339") && err.contains("2026-12-01T14:05:00Z"),
            "{err}"
        );
    }
}

/// With `--today` pinned and no `--now`, the stamp is that day at the clock's time of day:
/// History, the receipt and `history` then agree on the date.
#[test]
fn a_pinned_today_without_now_stamps_that_day_at_the_clocks_time() {
    let d = tempfile::tempdir().unwrap();
    let config = Path::new(FIXTURE);
    let out = on("2026-11-20", config, d.path())
        .args(&common::REDEEM_E3_ON_CONTOSO[..])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    let json = json_of(config, d.path(), &["history"]);
    let stamp = json["entries"][0]["recorded_at"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        stamp.starts_with("2026-11-20T") && stamp.ends_with('Z'),
        "{stamp}"
    );
    let time = chrono::NaiveTime::parse_from_str(&stamp[11..19], "%H:%M:%S").unwrap();
    let now = chrono::Utc::now().time();
    let apart = (now - time).num_seconds().rem_euclid(86_400);
    assert!(apart < 120, "the clock's time of day: {stamp} at {now}");
}
