//! `benefits calendar` through the real binary, read back by an independent iCalendar
//! parser (the `icalendar` crate's): events, dates, alarms, stable UIDs, RFC 5545 lines.

mod common;

use icalendar::Component;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");

fn calendar(config: &Path, data: &Path, args: &[&str]) -> String {
    let out = common::benefits(config, data)
        .arg("calendar")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// RFC 5545 §3.1 on the raw bytes: CRLF only, lines of at most 75 octets, and every
/// BEGIN closed by its END.
fn assert_content_lines(ics: &str) {
    assert!(ics.ends_with("\r\n"));
    assert_eq!(
        ics.matches('\n').count(),
        ics.matches("\r\n").count(),
        "bare LF"
    );
    assert_eq!(
        ics.matches('\r').count(),
        ics.matches("\r\n").count(),
        "bare CR"
    );
    let mut open = Vec::new();
    for line in ics.trim_end_matches("\r\n").split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        if let Some(name) = line.strip_prefix("BEGIN:") {
            open.push(name);
        } else if let Some(name) = line.strip_prefix("END:") {
            assert_eq!(open.pop(), Some(name), "{line}");
        }
    }
    assert!(open.is_empty(), "{open:?}");
}

struct Parsed {
    uid: String,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    summary: String,
    triggers: Vec<String>,
}

fn parse(ics: &str) -> BTreeMap<String, Parsed> {
    let cal: icalendar::Calendar = ics.parse().unwrap_or_else(|e| panic!("{e}\n{ics}"));
    assert_eq!(cal.property_value("VERSION"), Some("2.0"));
    let mut events = BTreeMap::new();
    for c in &cal.components {
        let e = c.as_event().expect("only events");
        let date = |d: Option<icalendar::DatePerhapsTime>| match d {
            Some(icalendar::DatePerhapsTime::Date(d)) => d,
            other => panic!("an all-day date, not {other:?}"),
        };
        let mut triggers = Vec::new();
        for alarm in e.components() {
            assert_eq!(alarm.component_kind(), "VALARM");
            assert_eq!(alarm.property_value("ACTION"), Some("DISPLAY"));
            assert!(
                alarm
                    .property_value("DESCRIPTION")
                    .is_some_and(|d| !d.is_empty())
            );
            triggers.push(alarm.property_value("TRIGGER").unwrap().to_string());
        }
        assert!(e.property_value("DTSTAMP").is_some(), "DTSTAMP is required");
        let p = Parsed {
            uid: e.get_uid().unwrap().to_string(),
            start: date(e.get_start()),
            end: date(e.get_end()),
            summary: e.get_summary().unwrap().to_string(),
            triggers,
        };
        assert!(events.insert(p.uid.clone(), p).is_none(), "UIDs are unique");
    }
    events
}

/// What the calendar must hold, from `list --json`: (kind, id) → date.
fn expected(config: &Path, data: &Path) -> BTreeMap<(String, String), String> {
    let mut want = BTreeMap::new();
    for page in ["cloud", "software"] {
        let out = common::benefits(config, data)
            .args(["--json", "list", page])
            .output()
            .unwrap();
        for b in common::json(&out).as_array().unwrap() {
            let id = b["id"].as_str().unwrap().to_string();
            want.insert(
                ("activate-by".into(), id),
                b["activate_by"].as_str().unwrap().into(),
            );
            for s in b["subscriptions"].as_array().into_iter().flatten() {
                let id = s["id"].as_str().unwrap().to_string();
                want.insert(
                    ("subscription-end".into(), id),
                    s["end_date"].as_str().unwrap().into(),
                );
            }
        }
    }
    want
}

fn check_against(events: &BTreeMap<String, Parsed>, want: &BTreeMap<(String, String), String>) {
    assert_eq!(events.len(), want.len(), "one event per date");
    for ((kind, id), date) in want {
        let uid = format!("{kind}-{id}@1234567.benefits");
        let e = events.get(&uid).unwrap_or_else(|| panic!("no event {uid}"));
        assert_eq!(e.start.to_string(), *date, "{uid}");
        assert_eq!(e.end, e.start.succ_opt().unwrap(), "{uid}: all day");
        assert_eq!(e.triggers, ["-P30D", "-P7D"], "{uid}");
    }
}

#[test]
fn calendar_holds_every_activate_by_and_subscription_end_as_an_all_day_event_with_two_alarms() {
    let d = tempfile::tempdir().unwrap();
    let config = Path::new(FIXTURE);
    let ics = calendar(config, d.path(), &[]);
    assert_content_lines(&ics);
    let events = parse(&ics);
    check_against(&events, &expected(config, d.path()));
    let e3 = &events["activate-by-m365e3@1234567.benefits"];
    assert_eq!(e3.summary, "Activate by: Microsoft 365 E3");
    let sub = &events["subscription-end-sub-e3@1234567.benefits"];
    assert_eq!(sub.summary, "Subscription ends: Microsoft 365 E3 (sub-e3)");
    assert!(
        ics.contains("DESCRIPTION:Subscription ends: Microsoft 365 E3 (sub-e3) on Mar 31\\, 2027")
    );
}

#[test]
fn uids_are_stable_so_a_reimport_after_a_redemption_updates_rather_than_duplicates() {
    let d = tempfile::tempdir().unwrap();
    let config = Path::new(FIXTURE);
    let first = calendar(config, d.path(), &[]);
    assert_eq!(
        calendar(config, d.path(), &[]),
        first,
        "same state, same file"
    );
    let redeem = |args: &[&str]| {
        let out = common::benefits(config, d.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    };
    // Extending sub-e3 moves its end date: the same UID, a new date.
    redeem(&[
        "redeem",
        "--key",
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "--tenant",
        "contoso",
        "--subscription",
        "sub-e3",
        "--mode",
        "extend",
        "--yes",
    ]);
    // A new subscription adds exactly one event.
    redeem(&common::redeem_new_on_lab("DYNAA-AAAAA-AAAAA-AAAAA-AAA10"));
    let second = calendar(config, d.path(), &[]);
    assert_content_lines(&second);
    let (before, after) = (parse(&first), parse(&second));
    check_against(&after, &expected(config, d.path()));
    let (old, new): (BTreeSet<_>, BTreeSet<_>) = (before.keys().collect(), after.keys().collect());
    let added: Vec<_> = new.difference(&old).collect();
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(added[0].starts_with("subscription-end-"), "{added:?}");
    assert!(old.is_subset(&new), "no UID changes");
    let uid = "subscription-end-sub-e3@1234567.benefits";
    assert_eq!(before[uid].start.to_string(), "2027-03-31");
    assert_eq!(after[uid].start.to_string(), "2027-06-30");
}

#[test]
fn out_writes_the_same_calendar_atomically_and_json_describes_it() {
    let d = tempfile::tempdir().unwrap();
    let config = Path::new(FIXTURE);
    let dir = d.path().join("cal");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("benefits.ics");
    std::fs::write(&file, "old").unwrap();
    let stdout = calendar(config, d.path(), &[]);
    let printed = calendar(config, d.path(), &["--out", file.to_str().unwrap()]);
    assert_eq!(printed, "", "the calendar goes to the file only");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["benefits.ics"], "no temporary file left behind");
    let json: Value = serde_json::from_str(&calendar(
        config,
        d.path(),
        &["--json", "--out", file.to_str().unwrap()],
    ))
    .unwrap();
    assert_eq!(json["out"], file.to_str().unwrap());
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), parse(&stdout).len());
    assert!(
        events
            .iter()
            .all(|e| e["alarms_days_before"] == serde_json::json!([30, 7]))
    );
    // A directory that does not exist: exit 1 with the fix, nothing written.
    let missing = d.path().join("nope").join("benefits.ics");
    let out = common::benefits(config, d.path())
        .args(["calendar", "--out"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out));
    assert!(
        common::text(&out).contains("fix:"),
        "{}",
        common::text(&out)
    );
    assert!(!missing.exists());
}

#[test]
fn text_is_escaped_and_neutralised_and_long_names_fold() {
    let d = tempfile::tempdir().unwrap();
    let config = d.path().join("odd.yaml");
    let name = format!(
        "Teams, Phone; Calling \\\\ {} \\e]0;PWNED\\a\\u202Eevil",
        "Ünïcödé ".repeat(12)
    );
    let yaml = std::fs::read_to_string(FIXTURE).unwrap().replace(
        "product: Microsoft 365 E3\n    offer: sp",
        &format!("product: \"{name}\"\n    offer: sp"),
    );
    std::fs::write(&config, yaml).unwrap();
    let ics = calendar(&config, &d.path().join("data"), &[]);
    assert_content_lines(&ics);
    assert!(!ics.contains('\u{1b}') && !ics.contains('\u{7}') && !ics.contains('\u{202E}'));
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains("SUMMARY:Activate by: Teams\\, Phone\\; Calling \\\\ Ünïcödé"),
        "{unfolded}"
    );
    let events = parse(&ics);
    let e = &events["activate-by-m365e3@1234567.benefits"];
    assert!(
        e.summary.contains("Teams, Phone; Calling \\ Ünïcödé"),
        "{}",
        e.summary
    );
    assert!(e.summary.ends_with(" ]0;PWNED  evil"), "{}", e.summary);
}
