//! The catalog snapshot through the real binary: a second start takes the catalog from it,
//! and it never stands in for anything but the exact file it was made from.

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
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
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
