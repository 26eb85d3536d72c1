//! The catalog snapshot through the real binary: a second start takes the catalog from it,
//! and it never stands in for anything but the exact file it was made from.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");
const SNAPSHOT: &str = "catalog.snapshot";

/// `show m365e3 --json` with this catalog and data directory: its quantity.
fn quantity(config: &Path, data: &Path) -> u64 {
    let v: Value =
        serde_json::from_slice(&run(config, data, &["show", "m365e3", "--json"])).unwrap();
    v["quantity"].as_u64().unwrap()
}

#[test]
fn a_start_leaves_a_private_snapshot_the_next_start_reads() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(quantity(Path::new(FIXTURE), data.path()), 100);
    let snap = data.path().join(SNAPSHOT);
    let made = std::fs::metadata(&snap).expect("a snapshot after the first start");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(made.permissions().mode() & 0o777, 0o600);
    }
    let written = made.modified().unwrap();
    assert_eq!(quantity(Path::new(FIXTURE), data.path()), 100);
    // Read, not rewritten: the second start took the catalog from it.
    let again = std::fs::metadata(&snap).unwrap().modified().unwrap();
    assert_eq!(written, again);
}

#[test]
fn an_edited_catalog_is_read_again_never_taken_from_the_old_snapshot() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("catalog.yaml");
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    std::fs::write(&config, &text).unwrap();
    assert_eq!(quantity(&config, data.path()), 100);
    // Same length, same modification second: only the bytes differ.
    let edited = text.replacen("quantity: 100", "quantity: 900", 1);
    assert_eq!(edited.len(), text.len());
    let mtime = std::fs::metadata(&config).unwrap().modified().unwrap();
    std::fs::write(&config, &edited).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&config)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(quantity(&config, data.path()), 900);
    // Back to the first version: the snapshot now holds the edit, so it is a miss again.
    std::fs::write(&config, &text).unwrap();
    assert_eq!(quantity(&config, data.path()), 100);
}

#[test]
fn a_damaged_or_foreign_snapshot_is_ignored() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(quantity(Path::new(FIXTURE), data.path()), 100);
    let snap = data.path().join(SNAPSHOT);
    let mut bytes = std::fs::read(&snap).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&snap, &bytes).unwrap();
    assert_eq!(quantity(Path::new(FIXTURE), data.path()), 100);
    std::fs::write(&snap, b"not a snapshot").unwrap();
    assert_eq!(quantity(Path::new(FIXTURE), data.path()), 100);
    // A snapshot of another catalog, under this data directory.
    let other = tempfile::tempdir().unwrap();
    let config = other.path().join("catalog.yaml");
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    std::fs::write(&config, text.replacen("quantity: 100", "quantity: 7", 1)).unwrap();
    assert_eq!(quantity(&config, other.path()), 7);
    std::fs::copy(other.path().join(SNAPSHOT), &snap).unwrap();
    assert_eq!(quantity(Path::new(FIXTURE), data.path()), 100);
}

/// The binary with this catalog and data directory; its standard output.
fn run(config: &Path, data: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("benefits")
        .unwrap()
        .env_remove("BENEFITS_CONFIG")
        .env_remove("BENEFITS_DATA_DIR")
        .args(["--today", "2026-11-23", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    common::assert_success_of(&out, args);
    out.stdout
}

#[test]
fn a_snapshot_made_beside_a_ledger_holds_the_catalog_as_written() {
    // A start with a ledger already there folds it while the catalog loads; the snapshot it
    // leaves must not have that past folded in, or the next start would count it twice.
    let dir = tempfile::tempdir().unwrap();
    let (config, data) = (dir.path().join("catalog.yaml"), dir.path().join("data"));
    let text = run(
        Path::new(FIXTURE),
        dir.path(),
        &["generate-catalog", "--rows", "200"],
    );
    std::fs::write(&config, text).unwrap();
    run(&config, &data, &["generate-ledger", "--entries", "60"]);
    std::fs::remove_file(data.join(SNAPSHOT)).unwrap();
    for page in ["cloud", "software"] {
        let parsed = run(&config, &data, &["list", page, "--json"]);
        assert!(data.join(SNAPSHOT).exists());
        let from_snapshot = run(&config, &data, &["list", page, "--json"]);
        assert_eq!(
            String::from_utf8_lossy(&parsed),
            String::from_utf8_lossy(&from_snapshot),
            "{page}"
        );
        std::fs::remove_file(data.join(SNAPSHOT)).unwrap();
    }
}

/// Equal, or where the two first differ (the whole of either is too long to read).
fn same(got: &str, want: &str) {
    if let Some(at) = got.bytes().zip(want.bytes()).position(|(a, b)| a != b) {
        let around = |s: &str| s[at.saturating_sub(200)..(at + 200).min(s.len())].to_string();
        panic!(
            "differ at byte {at}:\n{}\nwanted:\n{}",
            around(got),
            around(want)
        );
    }
    assert_eq!(got.len(), want.len(), "one is the start of the other");
}

/// Both pages as `list --json` shows them, and what the start said on standard error.
fn state(config: &Path, data: &Path) -> String {
    let pages = ["cloud", "software"].map(|page| run(config, data, &["list", page, "--json"]));
    pages
        .map(|p| String::from_utf8_lossy(&p).into_owned())
        .join("\n")
}

#[test]
fn a_checkpoint_and_the_entries_after_it_show_what_the_whole_ledger_shows() {
    const STATE: &str = "state.snapshot";
    let dir = tempfile::tempdir().unwrap();
    let (config, data) = (dir.path().join("catalog.yaml"), dir.path().join("data"));
    let text = run(
        Path::new(FIXTURE),
        dir.path(),
        &["generate-catalog", "--rows", "2500"],
    );
    std::fs::write(&config, text).unwrap();
    // Enough entries that the next start leaves a checkpoint (every 2048 entries folded).
    run(&config, &data, &["generate-ledger", "--entries", "2600"]);
    let checkpoint = data.join(STATE);
    assert!(!checkpoint.exists());
    state(&config, &data);
    assert!(
        checkpoint.exists(),
        "a checkpoint after a start on 2600 entries"
    );
    let without = |data: &Path| {
        let _ = std::fs::remove_file(data.join(STATE));
        let shown = state(&config, data);
        let _ = std::fs::remove_file(data.join(STATE));
        shown
    };
    let from_checkpoint = state(&config, &data);
    let saved = std::fs::read(&checkpoint).unwrap();
    let trace = dir.path().join("trace.txt");
    let traced = Command::cargo_bin("benefits")
        .unwrap()
        .env("BENEFITS_TRACE_STARTUP", &trace)
        .args(["--today", "2026-11-23", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .args(["list", "cloud"])
        .output()
        .unwrap();
    assert!(traced.status.success());
    let phases = std::fs::read_to_string(&trace).unwrap();
    assert!(phases.contains("checkpoint opened"), "{phases}");
    same(&from_checkpoint, &without(&data));

    // Entries appended since: the checkpoint, then those.
    std::fs::write(&checkpoint, &saved).unwrap();
    run(&config, &data, &["generate-ledger", "--entries", "50"]);
    std::fs::write(&checkpoint, &saved).unwrap();
    let from_checkpoint = state(&config, &data);
    same(&from_checkpoint, &without(&data));

    // Another ledger (here a shorter one) never takes this ledger's checkpoint.
    let other = dir.path().join("other");
    run(&config, &other, &["generate-ledger", "--entries", "30"]);
    std::fs::write(other.join(STATE), &saved).unwrap();
    let with_foreign = state(&config, &other);
    same(&with_foreign, &without(&other));
    // Nor does an edited catalog.
    std::fs::write(&checkpoint, &saved).unwrap();
    let edited = std::fs::read_to_string(&config)
        .unwrap()
        .replacen("quantity: ", "quantity: 1", 1);
    std::fs::write(&config, edited).unwrap();
    same(&state(&config, &data), &without(&data));
}
