//! The whole program as a person uses it: the real binary in a pseudo-terminal, keys typed,
//! the screen read back. Redeems a key by keyboard alone through the wizard, checks the
//! previewed Total licenses and End date, confirms, and finds it on the History page and
//! in `benefits history --json`.

mod common;

use common::program::{CONFIG, dashboard, history_json, quit};
use common::pty::Pty;
use std::path::Path;
use std::time::Duration;

fn start(data: &Path) -> Pty {
    start_with(data, &[])
}

fn start_with(data: &Path, envs: &[(&str, &Path)]) -> Pty {
    dashboard(Path::new(CONFIG), data, envs)
}

#[test]
fn startup_trace_names_each_phase_up_to_the_first_frame() {
    let data = tempfile::tempdir().unwrap();
    let trace = data.path().join("trace.txt");
    // The first start parses the YAML and leaves a snapshot; the second opens it.
    for _ in 0..2 {
        let mut s = start_with(data.path(), &[("BENEFITS_TRACE_STARTUP", &trace)]);
        s.wait_for("Microsoft 365 E3");
        quit(&mut s);
    }
    let text = std::fs::read_to_string(&trace).unwrap();
    let starts: Vec<&str> = text.split_inclusive("first frame drawn").collect();
    assert!(starts.len() >= 2, "two starts traced:\n{text}");
    for phase in [
        "main",
        "catalog file hashed",
        "indexes built",
        "ledger folded",
        "dashboard state built",
    ] {
        assert!(starts[0].contains(phase), "{phase} missing:\n{text}");
    }
    assert!(
        starts[0].contains("catalog parsed from YAML") && !starts[0].contains("snapshot opened"),
        "no snapshot yet:\n{text}"
    );
    assert!(
        starts[1].contains("snapshot opened"),
        "second start:\n{text}"
    );
    // Each line: milliseconds since start, then the phase.
    for line in text.lines() {
        let ms = line.split_whitespace().next().unwrap();
        assert!(ms.parse::<f64>().is_ok(), "{line}");
    }
}

#[test]
fn first_start_on_a_large_catalog_says_why_it_takes_longer() {
    let dir = tempfile::tempdir().unwrap();
    // The demo catalog made larger than the notice's 4 MiB by a comment, which parses fast.
    let config = dir.path().join("large.yaml");
    let mut text = std::fs::read_to_string(CONFIG).unwrap();
    text.push_str(&"# padding padding padding padding padding padding padding\n".repeat(80_000));
    std::fs::write(&config, text).unwrap();
    let data = dir.path().join("data");
    for start in ["first", "second"] {
        let mut s = dashboard(&config, &data, &[]);
        s.wait_for("Microsoft 365 E3");
        quit(&mut s);
        // Back on the main screen, the notice is what was written before the dashboard.
        let shown = s.text().contains("MB). Later starts use a snapshot of it");
        assert_eq!(shown, start == "first", "{start} start:\n{}", s.text());
    }
}

#[test]
fn redeem_by_keyboard_through_the_wizard_then_find_it_in_history() {
    let data = tempfile::tempdir().unwrap();
    let mut s = start(data.path());
    s.wait_for("Microsoft 365 E3");

    // The first row is Microsoft 365 E3 (Active, 100 licenses until Mar 31, 2027).
    s.keys("w");
    s.wait_for("Introduction");
    s.keys("n");
    s.keys("n");
    s.wait_for("I have verified the tenant account");
    s.keys("v");
    s.keys("r");
    s.wait_for("Enter your 25-character product key");

    // Forgiving input: lower case, spaces instead of dashes.
    s.type_text("m3e3a 7qxrt 4hdpc 2vwnb k25la");
    s.keys("\r");
    s.wait_for("contoso.onmicrosoft.com");
    s.keys("\r");
    s.type_text("contoso.onmicrosoft.com");
    s.keys("\r");

    // Every mode side by side: Extend (25 on 100 → +3 months) and Add licenses (125, averaged).
    s.wait_for("Review order details");
    let screen = s.text();
    // The three columns wrap, so the year may sit on the next line.
    assert!(screen.contains("100 → 100"), "extend licenses:\n{screen}");
    assert!(
        screen.contains("Mar 31, 2027 → Jun 30,"),
        "extend end date:\n{screen}"
    );
    assert!(
        screen.contains("100 → 125"),
        "add-licenses licenses:\n{screen}"
    );
    assert!(
        screen.contains("Mar 31, 2027 → May 17,"),
        "add-licenses end date:\n{screen}"
    );

    s.keys("\r"); // review the selected mode (Extend end date)
    s.wait_for("Jun 30, 2027");
    s.keys("\r"); // Redeem
    s.wait_for("Redeemed");
    assert!(s.text().contains("Jun 30, 2027"));

    // Back out of receipt and wizard, then the History page.
    s.keys("\r");
    s.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300)); // a lone Esc needs its timeout
    s.keys("3");
    s.wait_for("Product key redeemed");
    assert!(s.text().contains("Jun 30, 2027"), "history:\n{}", s.text());
    quit(&mut s);

    let v = history_json(data.path());
    let e = &v["entries"][0];
    assert_eq!(e["op"], "redemption");
    assert_eq!(e["mode"], "extend");
    assert_eq!(e["key_masked"], "*****-*****-*****-*****-K25LA");
    assert_eq!(e["before"]["end_date"], "2027-03-31");
    assert_eq!(e["after"]["end_date"], "2027-06-30");
    assert_eq!(e["after"]["total_licenses"], 100);
}

/// Pick, never retype: Microsoft 365 E5's only key is picked from the walkthrough's Get
/// keys list and redeemed without typing a character of it; its `!` goes and the tab bar's
/// attention count drops, on screen and in the ledger.
#[test]
fn redeem_a_key_picked_from_get_keys_and_the_attention_count_drops() {
    let data = tempfile::tempdir().unwrap();
    let mut s = start(data.path());
    s.wait_for("2 need attention");
    s.keys("j"); // Microsoft 365 E5 (Expired, activate by Dec 15, 2026)
    s.keys("w");
    s.wait_for("Introduction");
    s.keys("s");
    s.wait_for("I have verified the tenant account");
    s.keys(" ");
    s.keys("g");
    s.wait_for("M3E5A-5RTYU-2GHJK-9LZXC-K25E5");
    s.keys("\r");
    // Validated already: straight to the target.
    s.wait_for("contoso-m365-e5 · Expired");
    s.keys("\r");
    s.type_text("contoso.onmicrosoft.com");
    s.keys("\r");
    s.wait_for("Review order details");
    s.keys("\r");
    s.keys("\r"); // Redeem
    s.wait_for("Redeemed");
    s.keys("\r");
    s.keys("\x1b");
    s.wait_for("1 need attention");
    assert!(!s.text().contains("2 need attention"), "{}", s.text());
    quit(&mut s);
    let v = history_json(data.path());
    let e = &v["entries"][0];
    assert_eq!(e["op"], "redemption");
    assert_eq!(e["key_masked"], "*****-*****-*****-*****-K25E5");
    assert_eq!(e["mode"], "activate");
}

/// A software activation through the walkthrough, then a credit assignment and its
/// transfer from the row: each written to the real ledger and read back by the CLI.
#[test]
fn activate_software_through_the_walkthrough_then_assign_and_transfer_credit() {
    let data = tempfile::tempdir().unwrap();
    let mut s = start(data.path());
    s.wait_for("Microsoft 365 E3");
    s.keys("2");
    s.wait_for("Windows 11 Enterprise");
    s.keys("jj"); // Windows 11 Enterprise, 3 of 10 activations used
    s.keys("w");
    s.wait_for("Introduction");
    s.keys("s");
    s.wait_for("Enter activate");
    s.keys("g");
    s.keys("\r"); // the picked key: the activation dialog, the machine name focused
    s.wait_for("Machine name");
    s.type_text("pty-pc-1");
    s.keys("\r");
    s.wait_for("3 → 4");
    s.keys("\r");
    s.wait_gone("Machine name");
    s.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300)); // a lone Esc needs its timeout
    s.keys("1");
    s.keys("G"); // the last row: Azure credit — $12,000 yearly; one up is $6,000
    s.keys("k");
    s.keys("c");
    s.wait_for("Directory users");
    s.keys("j");
    s.keys("j"); // Chen Li
    s.keys("\r");
    s.wait_for("Review the change");
    s.keys("\r");
    s.wait_gone("Review the change");
    s.keys("c");
    s.wait_for("Directory users");
    s.keys("l"); // Transfer, to Ada Jansen
    s.keys("\r");
    s.wait_for("Review the change");
    s.keys("\r");
    s.wait_gone("Review the change");
    quit(&mut s);
    let v = history_json(data.path());
    let ops: Vec<&str> = (v["entries"].as_array().unwrap().iter())
        .map(|e| e["op"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        ["credit-transfer", "credit-assign", "activation"],
        "{v}"
    );
    let e = &v["entries"];
    assert_eq!(e[0]["to"], "ada@contoso.onmicrosoft.com", "{v}");
    assert_eq!(e[1]["to"], "chen@contoso.onmicrosoft.com", "{v}");
    assert_eq!(e[2]["machine"], "pty-pc-1", "{v}");
}
