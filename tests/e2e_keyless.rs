//! Redeem without a key through the walkthrough, as a person does it: the real binary in a
//! pseudo-terminal on the demo, keys typed, the screen read back; the ledger it wrote read
//! back by the CLI and compared with what `benefits redeem --keyless` writes.

mod common;

use common::program::{CONFIG, TODAY, cli_json, dashboard, history_json, quit};
use common::pty::Pty;
use std::path::Path;
use std::time::Duration;

/// The screen row of the Cloud services table showing `name`.
fn row_of(s: &Pty, name: &str) -> String {
    let text = s.text();
    let line = text.lines().find(|l| l.contains(name));
    line.unwrap_or_else(|| panic!("{name} not on screen:\n{text}"))
        .to_string()
}

/// `history --json`'s newest entry without what differs between two writes of the same
/// redemption (its number and when it was written).
fn newest_entry(data: &Path) -> serde_json::Value {
    let mut v = history_json(data);
    let mut e = v["entries"][0].take();
    if let Some(o) = e.as_object_mut() {
        o.remove("seq");
        o.remove("recorded_at");
    }
    e
}

#[test]
fn redeem_without_a_key_through_the_walkthrough() {
    let data = tempfile::tempdir().unwrap();
    let mut s = dashboard(Path::new(CONFIG), data.path(), &[]);
    s.wait_for("Dynamics 365 Sales Enterprise");
    let before = row_of(&s, "Dynamics 365 Sales Enterprise");
    assert!(before.contains("Disabled"), "{before}");
    s.keys("jjj"); // E3, E5, Business Premium, then Dynamics 365 Sales Enterprise
    s.keys("w");
    s.wait_for("Introduction");
    s.keys("s");
    s.wait_for("I have verified the tenant account");
    s.wait_for("[ Tab Redeem without a key ]");
    s.wait_for("Tab redeem without a key");
    s.keys("v");
    s.keys("\t");
    s.wait_for("Redeem without a key: Dynamics 365 Sales Enterprise · 10 licenses");
    assert!(
        s.text()
            .contains("fabrikam-lab.onmicrosoft.com · not under the billing account"),
        "{}",
        s.text()
    );
    s.keys("\r"); // Contoso's Disabled subscription
    s.type_text("contoso.onmicrosoft.com");
    s.keys("\r");
    s.wait_for("Review order details");
    let screen = s.text();
    assert!(screen.contains("Total licenses: 10 → 10"), "{screen}");
    assert!(
        screen.contains("End date: Sep 1, 2026 → Sep 30, 2027"),
        "{screen}"
    );
    s.keys("x");
    s.wait_for("Without a key the end date is the end date of");
    s.keys("\r"); // Redeem
    s.wait_for("Redeemed without a key.");
    assert!(
        s.text().contains("Subscription: contoso-d365-sales"),
        "{}",
        s.text()
    );

    // Back on the walkthrough: nothing is left to redeem without a key.
    s.keys("\r");
    s.wait_gone("Redeemed without a key.");
    s.wait_gone("[ Tab Redeem without a key ]");
    s.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300)); // a lone Esc needs its timeout
    s.wait_gone("I have verified the tenant account");
    let after = row_of(&s, "Dynamics 365 Sales Enterprise");
    assert!(
        after.contains("Active") && !after.contains("Disabled"),
        "{after}"
    );
    s.keys("3");
    s.wait_for("Redeemed without key");
    quit(&mut s);

    let dashboard_wrote = newest_entry(data.path());
    assert_eq!(
        dashboard_wrote["op"], "keyless-redemption",
        "{dashboard_wrote}"
    );
    assert_eq!(dashboard_wrote["after"]["end_date"], "2027-09-30");
    assert_eq!(dashboard_wrote["after"]["total_licenses"], 10);
    // The command line's redemption of the same benefit on the same tenant, on a fresh
    // ledger the same day: the same entry.
    let cli = tempfile::tempdir().unwrap();
    let args = [
        "redeem",
        "--keyless",
        "--benefit",
        "dynamics-sales",
        "--tenant",
        "contoso",
        "--yes",
    ];
    let done = cli_json(cli.path(), &args);
    assert_eq!(done["redeemed"], true, "{done}");
    assert_eq!(newest_entry(cli.path()), dashboard_wrote, "today {TODAY}");
}
