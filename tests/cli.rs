//! The real binary, run as a script would run it: exit codes, JSON shapes, the ledger.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");

fn benefits(data: &Path) -> Command {
    benefits_with(data, Path::new(FIXTURE))
}

fn benefits_with(data: &Path, config: &Path) -> Command {
    let mut c = Command::cargo_bin("benefits").unwrap();
    c.env_remove("BENEFITS_CONFIG")
        .env_remove("BENEFITS_DATA_DIR")
        .env_remove("BENEFITS_TODAY")
        .env("LANG", "en_US.UTF-8")
        .args(["--today", "2026-11-23", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data);
    c
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn run(data: &Path, args: &[&str]) -> (i32, Value) {
    let out = benefits(data).args(args).arg("--json").output().unwrap();
    (out.status.code().unwrap(), json(&out))
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// `calc MODE` for a subscription of `licenses` ending on `end_date`, and a key of
/// `key_licenses`; `more` adds options (such as `--status`).
fn calc(
    data: &Path,
    mode: &str,
    licenses: &str,
    key_licenses: &str,
    end_date: &str,
    more: &[&str],
) -> (i32, Value) {
    let args = [
        "calc",
        mode,
        "--licenses",
        licenses,
        "--key-licenses",
        key_licenses,
        "--end-date",
        end_date,
    ];
    run(data, &[&args[..], more].concat())
}

#[test]
fn calc_seed_scenarios_through_the_cli() {
    let d = tmp();
    for (a, c, end) in [
        ("100", "25", "2027-06-30"),
        ("100", "100", "2028-03-31"),
        ("5", "10", "2029-03-31"),
    ] {
        let (code, v) = calc(d.path(), "extend", a, c, "2027-03-31", &[]);
        assert_eq!(code, 0, "{v}");
        assert_eq!(v["mode"], "extend");
        assert_eq!(
            v["before"]["total_licenses"].as_u64(),
            Some(a.parse().unwrap())
        );
        assert_eq!(v["after"]["end_date"], end);
        assert_eq!(v["warnings"], Value::Array(vec![]));
    }
}

#[test]
fn calc_over_three_times_is_refused_with_exit_3() {
    let d = tmp();
    let (code, v) = calc(d.path(), "extend", "100", "301", "2027-03-31", &[]);
    assert_eq!(code, 3);
    assert_eq!(v["error"]["code"], "extension-exceeds-three-years");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Create a new subscription")
    );
}

#[test]
fn calc_add_warns_about_less_than_twelve_months() {
    let d = tmp();
    let (code, v) = calc(d.path(), "add", "100", "25", "2027-03-31", &[]);
    assert_eq!(code, 0);
    assert_eq!(v["after"]["total_licenses"], 125);
    assert_eq!(v["after"]["end_date"], "2027-05-17");
    assert_eq!(v["warnings"][0]["code"], "less-than-12-months");
}

#[test]
fn calc_activate_on_active_is_refused_and_on_expired_allowed() {
    let d = tmp();
    let (code, v) = calc(d.path(), "activate", "5", "5", "2027-03-31", &[]);
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (3, Some("subscription-active"))
    );
    let (code, v) = calc(
        d.path(),
        "activate",
        "5",
        "25",
        "2026-11-01",
        &["--status", "expired"],
    );
    assert_eq!(code, 0);
    assert_eq!(v["after"]["end_date"], "2027-11-23");
}

#[test]
fn preview_shows_every_mode_and_changes_nothing() {
    let d = tmp();
    let (code, v) = run(
        d.path(),
        &["preview", "--key", "e3aaa-aaaaa-aaaaa-aaaaa-aaa25"],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["tenant"], "contoso");
    let modes: Vec<_> = v["previews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["mode"].as_str().unwrap())
        .collect();
    assert_eq!(modes, ["activate", "extend", "add"]);
    assert_eq!(v["previews"][0]["error"]["code"], "subscription-active");
    assert_eq!(v["previews"][1]["after"]["end_date"], "2027-06-30");
    assert_eq!(v["previews"][2]["after"]["total_licenses"], 125);
    let (_, h) = run(d.path(), &["history"]);
    assert_eq!(h["entries"], Value::Array(vec![]));
}

#[test]
fn preview_with_mode_prints_one_outcome() {
    let d = tmp();
    let (code, v) = run(
        d.path(),
        &[
            "preview",
            "--key",
            "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
            "--mode",
            "extend",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(v["mode"], "extend");
    assert_eq!(v["before"]["end_date"], "2027-03-31");
    assert_eq!(v["after"]["end_date"], "2027-06-30");
}

#[test]
fn redeem_requires_yes_off_a_terminal() {
    let d = tmp();
    let out = benefits(d.path())
        // The same redeem without its closing `--yes`.
        .args(&common::REDEEM_E3_ON_CONTOSO[..7])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
}

#[test]
fn redeem_once_then_refused_and_recorded_in_history() {
    let d = tmp();
    let args = [
        "redeem",
        "--key",
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "--tenant",
        "contoso.onmicrosoft.com",
        "--mode",
        "extend",
        "--yes",
    ];
    let (code, v) = run(d.path(), &args);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["after"]["end_date"], "2027-06-30");
    let (code, v) = run(d.path(), &args);
    assert_eq!(code, 3);
    assert_eq!(v["error"]["code"], "key-already-redeemed");
    let (_, h) = run(d.path(), &["history"]);
    let e = &h["entries"][0];
    assert_eq!(e["op"], "redemption");
    assert_eq!(e["key_masked"], "*****-*****-*****-*****-AAA25");
    assert_eq!(e["after"]["end_date"], "2027-06-30");
    // The new state is what the next preview starts from.
    let (_, v) = run(
        d.path(),
        &[
            "preview",
            "--key",
            "E3AAA-AAAAA-AAAAA-AAAAA-AA100",
            "--mode",
            "extend",
        ],
    );
    assert_eq!(v["before"]["end_date"], "2027-06-30");
}

#[test]
fn redeem_new_subscription_on_second_tenant() {
    let d = tmp();
    let (code, v) = run(
        d.path(),
        &common::redeem_new_on_lab("E3AAA-AAAAA-AAAAA-AAAAA-AA301"),
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["after"]["total_licenses"], 301);
    assert_eq!(v["after"]["end_date"], "2027-11-23");
    let (_, show) = run(d.path(), &["show", "m365e3"]);
    let subs = show["subscriptions"].as_array().unwrap();
    assert!(
        subs.iter()
            .any(|s| s["tenant"] == "lab" && s["licenses"] == 301)
    );
}

#[test]
fn refusal_codes_reach_scripts_with_exit_3() {
    let d = tmp();
    let cases: &[(&[&str], &str)] = &[
        (&["preview", "--key", "E3AAA-AAAAA"], "invalid-key-format"),
        (
            &["preview", "--key", "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"],
            "unknown-key",
        ),
        (
            &["preview", "--key", "E3AAA-AAAAA-AAAAA-AAAAA-USED1"],
            "key-already-redeemed",
        ),
        (
            &[
                "preview",
                "--key",
                "DYNAA-AAAAA-AAAAA-AAAAA-AAA10",
                "--benefit",
                "m365e3",
            ],
            "key-product-mismatch",
        ),
        (
            &["preview", "--key", "E3BBB-BBBBB-BBBBB-BBBBB-LATE1"],
            "benefit-expired",
        ),
        (
            &[
                "preview",
                "--key",
                "E3AAA-AAAAA-AAAAA-AAAAA-AA301",
                "--mode",
                "extend",
            ],
            "extension-exceeds-three-years",
        ),
        (
            &[
                "preview",
                "--key",
                "DYNAA-AAAAA-AAAAA-AAAAA-AAA10",
                "--subscription",
                "sub-dyn",
                "--mode",
                "add",
            ],
            "subscription-not-active",
        ),
        (
            &[
                "preview",
                "--key",
                "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
                "--mode",
                "activate",
            ],
            "subscription-active",
        ),
        (
            &[
                "activate",
                "--key",
                "OPP19-AAAAA-AAAAA-AAAAA-AAAAA",
                "--machine",
                "mac",
                "--change",
                "new",
                "--os",
                "macos",
            ],
            "not-supported-on-macos",
        ),
        (
            &["credit", "remove", "--benefit", "az-bulk"],
            "remove-not-available-for-bulk",
        ),
        (
            &[
                "credit",
                "assign",
                "--benefit",
                "az-bulk",
                "--user",
                "gee@gmail.com",
            ],
            "free-mail-domain",
        ),
    ];
    for (args, expected) in cases {
        let (code, v) = run(d.path(), args);
        assert_eq!(code, 3, "{args:?}: {v}");
        assert_eq!(v["error"]["code"], *expected, "{args:?}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn activations_count_to_the_maximum_then_refuse() {
    let d = tmp();
    let key = "OFFSP-AAAAA-AAAAA-AAAAA-AAAAA";
    let (code, v) = run(
        d.path(),
        &[
            "activate",
            "--key",
            key,
            "--machine",
            "pc-1",
            "--change",
            "new",
        ],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["after"]["used"], 10);
    let (code, v) = run(
        d.path(),
        &[
            "activate",
            "--key",
            key,
            "--machine",
            "pc-2",
            "--change",
            "reimage",
        ],
    );
    assert_eq!(code, 3);
    assert_eq!(v["error"]["code"], "max-activations-reached");
}

#[test]
fn credit_assign_remove_transfer() {
    let d = tmp();
    let (code, v) = run(d.path(), &["credit", "remove", "--benefit", "az-monthly"]);
    assert_eq!(code, 0, "{v}");
    let (code, v) = run(
        d.path(),
        &[
            "credit",
            "assign",
            "--benefit",
            "az-bulk",
            "--user",
            "ada@contoso.onmicrosoft.com",
        ],
    );
    assert_eq!(code, 0, "{v}");
    let (code, v) = run(
        d.path(),
        &[
            "credit",
            "transfer",
            "--benefit",
            "az-bulk",
            "--to",
            "bob@contoso.onmicrosoft.com",
        ],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["assigned_to"], "bob@contoso.onmicrosoft.com");
}

#[test]
fn list_and_show_mask_keys_without_view_permission() {
    let d = tmp();
    let text = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .replace("can_view_keys: true", "can_view_keys: false");
    let cfg = d.path().join("masked.yaml");
    std::fs::write(&cfg, text).unwrap();
    for args in [
        vec!["list", "cloud"],
        vec!["list", "software"],
        vec!["show", "m365e3"],
        vec!["show", "win"],
    ] {
        for json in [false, true] {
            let mut c = benefits_with(d.path(), &cfg);
            c.args(&args);
            if json {
                c.arg("--json");
            }
            let out = c.output().unwrap();
            assert!(out.status.success(), "{args:?}");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            if json || args[0] == "show" {
                assert!(all.contains("*****-*****-*****-*****-"), "{args:?}: {all}");
            }
            for full in [
                "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
                "WINAP-AAAAA-AAAAA-AAAAA-AAAAA",
            ] {
                assert!(!all.contains(full), "{args:?} leaked a key");
            }
        }
    }
}

#[test]
fn read_only_role_browses_but_every_write_is_refused() {
    let d = tmp();
    let text = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .replace("role: global-admin", "role: read-only");
    let cfg = d.path().join("ro.yaml");
    std::fs::write(&cfg, text).unwrap();
    let writes: &[&[&str]] = &[
        &common::REDEEM_E3_ON_CONTOSO,
        &[
            "activate",
            "--key",
            "OFFSP-AAAAA-AAAAA-AAAAA-AAAAA",
            "--machine",
            "pc",
            "--change",
            "new",
        ],
        &["credit", "remove", "--benefit", "az-monthly"],
    ];
    for args in writes {
        let out = benefits_with(d.path(), &cfg)
            .args(*args)
            .arg("--json")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert_eq!(json(&out)["error"]["code"], "role-not-permitted");
    }
    let out = benefits_with(d.path(), &cfg)
        .args(["list", "cloud"])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn bad_config_exits_2_naming_file_line_and_column() {
    let d = tmp();
    let cfg = d.path().join("bad.yaml");
    let text = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .replace("end_date: 2027-03-31", "end_date: 2027-13-31");
    std::fs::write(&cfg, text).unwrap();
    let out = benefits_with(d.path(), &cfg)
        .args(["list", "cloud"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.yaml:"), "{err}");
    let out = benefits(d.path())
        .args(["check-config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = benefits(d.path())
        .args(["check-config", FIXTURE])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bad_usage_exits_2() {
    let d = tmp();
    for args in [
        vec!["--today", "2026-02-30", "list", "cloud"],
        vec!["frobnicate"],
        vec![
            "calc",
            "extend",
            "--key-licenses",
            "-4",
            "--licenses",
            "4",
            "--end-date",
            "2027-01-01",
        ],
        vec![
            "preview",
            "--key",
            "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
            "--mode",
            "sideways",
        ],
    ] {
        let out = benefits(d.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn today_comes_from_benefits_today_too() {
    let d = tmp();
    let out = Command::cargo_bin("benefits")
        .unwrap()
        .env("BENEFITS_TODAY", "2026-11-23")
        .args(["calc", "activate", "--key-licenses", "5", "--json"])
        .arg("--data-dir")
        .arg(d.path())
        .output()
        .unwrap();
    assert_eq!(json(&out)["after"]["end_date"], "2027-11-23");
}

#[test]
fn processes_racing_for_one_key_exactly_one_wins() {
    let d = tmp();
    let exe: PathBuf = assert_cmd::cargo::cargo_bin("benefits");
    for round in 0..3 {
        let key = [
            "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
            "E3AAA-AAAAA-AAAAA-AAAAA-AA100",
            "DYNAA-AAAAA-AAAAA-AAAAA-AAA10",
        ][round];
        let mode = if round == 2 { "activate" } else { "add" };
        let children: Vec<_> = (0..6)
            .map(|_| {
                std::process::Command::new(&exe)
                    .args([
                        "--config",
                        FIXTURE,
                        "--today",
                        "2026-11-23",
                        "--json",
                        "--data-dir",
                    ])
                    .arg(d.path())
                    .args([
                        "redeem", "--key", key, "--tenant", "contoso", "--mode", mode, "--yes",
                    ])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outs: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let winners = outs.iter().filter(|o| o.status.code() == Some(0)).count();
        assert_eq!(winners, 1, "round {round}");
        for o in outs.iter().filter(|o| o.status.code() != Some(0)) {
            assert_eq!(
                o.status.code(),
                Some(3),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert_eq!(json(o)["error"]["code"], "key-already-redeemed");
            assert!(!String::from_utf8_lossy(&o.stderr).contains("locked"));
        }
    }
    let (_, h) = run(d.path(), &["history"]);
    assert_eq!(h["entries"].as_array().unwrap().len(), 3);
}

#[test]
fn language_comes_from_flag_then_catalog_then_environment() {
    let d = tmp();
    let cfg = d.path().join("nl.yaml");
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    std::fs::write(&cfg, format!("language: nl-NL\n{text}")).unwrap();
    let refused = |extra: &[&str]| {
        let out = benefits_with(d.path(), &cfg)
            .args(extra)
            .args([
                "preview",
                "--key",
                "E3AAA-AAAAA-AAAAA-AAAAA-USED1",
                "--json",
            ])
            .output()
            .unwrap();
        json(&out)["error"]["message"].as_str().unwrap().to_string()
    };
    assert!(
        refused(&[]).contains("Deze productcode is al gebruikt"),
        "the catalog's language"
    );
    assert!(
        refused(&["--lang", "sv-SE"]).contains("produktnyckeln"),
        "--lang wins"
    );
    let bad = d.path().join("fr.yaml");
    std::fs::write(&bad, format!("language: fr-FR\n{text}")).unwrap();
    let out = benefits_with(d.path(), &bad)
        .args(["list", "cloud"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown language"));
}

#[test]
fn a_bad_catalog_leaves_no_data_directory_behind() {
    let d = tmp();
    let data = d.path().join("data");
    let config = d.path().join("bad.yaml");
    std::fs::write(&config, "organization: [unclosed\n").unwrap();
    let out = benefits_with(&data, &config)
        .args(["list", "cloud"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!data.exists(), "a refused catalog created {data:?}");
}

#[test]
fn a_two_digit_year_on_the_command_line_is_refused_with_the_fix() {
    for args in [
        &["--today", "26-11-23", "list", "cloud"][..],
        &common::calc_extend_args("27-03-31")[..],
    ] {
        let out = Command::cargo_bin("benefits")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("four digits") && err.contains("YYYY-MM-DD"),
            "{err}"
        );
    }
}

/// Issue 13, bug 3 on the command line: Project Plan 3 (activate by 2026-10-31) reads
/// "Benefit expired" in `list` and `show` on 2026-12-01, as the dashboard says, never
/// "Ready to redeem"; its key reads "Expired".
#[test]
fn list_says_expired_past_activate_by_as_the_dashboard_does() {
    let d = tmp();
    let demo = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml"));
    let cli = |args: &[&str]| {
        let out = Command::cargo_bin("benefits")
            .unwrap()
            .env_remove("BENEFITS_TODAY")
            .env("LANG", "en_US.UTF-8")
            .args(["--today", "2026-12-01", "--config"])
            .arg(demo)
            .arg("--data-dir")
            .arg(d.path())
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {err}");
        String::from_utf8(out.stdout).unwrap()
    };
    let list = cli(&["list", "cloud"]);
    let row = list
        .lines()
        .find(|l| l.starts_with("project-plan-3"))
        .unwrap_or_else(|| panic!("no Project Plan 3 row: {list}"));
    assert!(row.contains("Benefit expired"), "{row}");
    assert!(!row.contains("Ready to redeem"), "{row}");
    let e5 = list.lines().find(|l| l.starts_with("m365-e5 ")).unwrap();
    assert!(e5.contains("Ready to redeem"), "{e5}");

    let json: Value = serde_json::from_str(&cli(&["list", "cloud", "--json"])).unwrap();
    let plan3 = json
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "project-plan-3")
        .unwrap();
    assert_eq!(plan3["redemption_status"], "expired", "{plan3}");

    let show = cli(&["show", "project-plan-3"]);
    assert!(show.contains("Benefit expired"), "{show}");
    assert!(!show.contains("Ready to redeem"), "{show}");
    let key = show.lines().find(|l| l.starts_with("Product key")).unwrap();
    assert!(key.ends_with("Expired"), "{key}");
}
