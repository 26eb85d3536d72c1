//! The ledger in SQLite: private files, versioned schema, refusal of what it cannot read,
//! one transaction per operation, catch-up with other processes, and a key redeemable once
//! even when processes race for it.

mod common;

use benefits::domain::{
    Catalog, Entry, LedgerMismatch, Mode, Portfolio, ProductKey, Refusal, RefusalCode,
};
use benefits::redeem::Target;
use benefits::redeem::rules::{Ctx, plan_redemption};
use benefits::store::{
    CommitError, Committed, DB_FILE, SCHEMA_VERSION, Store, StoreError, resolve_data_dir,
};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Barrier;

const K25: &str = "E3AAA-AAAAA-AAAAA-AAAAA-AAA25";
const K100: &str = "E3AAA-AAAAA-AAAAA-AAAAA-AA100";
const K301: &str = "E3AAA-AAAAA-AAAAA-AAAAA-AA301";
const RACE_KEYS: usize = 30;

fn race_key(i: usize) -> String {
    format!("RK{i:03}-QWERT-YUIOP-ASDFG-HJKL{}", i % 10)
}

/// A small catalog: one Microsoft 365 E3 benefit with an active subscription on `contoso`,
/// three keys for the redemption modes, and `RACE_KEYS` more for the races.
fn catalog_yaml() -> String {
    let mut keys = String::new();
    let fixed = [
        (K25.to_string(), 25),
        (K100.to_string(), 100),
        (K301.to_string(), 301),
    ];
    let race = (0..RACE_KEYS).map(|i| (race_key(i), 5));
    for (key, licenses) in fixed.into_iter().chain(race) {
        keys.push_str(&format!("        - {{key: {key}, licenses: {licenses}}}\n"));
    }
    format!(
        r#"organization: {{name: Contoso, partner_id: "1234567", country: NL, enrollment_year_end: 2027-06-30}}
user: {{name: Ada Admin, email: ada@contoso.onmicrosoft.com, role: global-admin, can_view_keys: true}}
offers:
  - {{id: sp, name: Solutions Partner for Modern Work, kind: solutions-partner}}
tenants:
  - {{id: contoso, name: Contoso, domain: contoso.onmicrosoft.com}}
{lab}{keys}      subscriptions:
        - {{id: sub-e3, tenant: contoso, licenses: 100, end_date: 2027-03-31}}
software_benefits: []
"#,
        lab = common::LAB_AND_E3_KEYS
    )
}

fn catalog() -> Catalog {
    benefits::catalog::load_str(&catalog_yaml(), "catalog.yaml").expect("the test catalog parses")
}

fn portfolio() -> Portfolio {
    Portfolio::new(catalog())
}

fn today() -> chrono::NaiveDate {
    "2026-11-23".parse().unwrap()
}

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// The entry the rules plan for `key` against `p` (`sub` as `--subscription` reads it:
/// `new`, or an existing subscription's id).
fn plan(
    p: &Portfolio,
    key: &str,
    tenant: &str,
    sub: Option<&str>,
    mode: Mode,
) -> Result<Entry, Refusal> {
    let target = sub.map(|s| match s {
        "new" => Target::New,
        id => Target::Existing(id.into()),
    });
    plan_redemption(
        Ctx {
            portfolio: p,
            user: &p.catalog.user,
            today: today(),
        },
        &ProductKey::parse(key).unwrap(),
        tenant,
        target.as_ref(),
        mode,
    )
}

fn redeem(
    store: &Store,
    p: &mut Portfolio,
    key: &str,
    tenant: &str,
    sub: Option<&str>,
    mode: Mode,
) -> Result<Committed, CommitError> {
    store.commit(p, |p| plan(p, key, tenant, sub, mode))
}

fn is_already_redeemed(r: &Result<Committed, CommitError>) -> bool {
    matches!(r, Err(CommitError::Refused(x)) if x.code == RefusalCode::KeyAlreadyRedeemed)
}

fn raw(dir: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join(DB_FILE)).unwrap()
}

/// Every byte of every file in `dir` (the database and, while open, its WAL and SHM).
fn all_bytes(dir: &Path) -> String {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            bytes.extend(std::fs::read(path).unwrap());
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ---- files and schema ----------------------------------------------------------------

#[cfg(unix)]
#[test]
fn fresh_open_creates_0700_dir_and_0600_files() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("new-parent/data");
    let s = Store::open(&dir).unwrap();
    assert_eq!(mode(&dir), 0o700, "data directory");
    assert_eq!(mode(dir.parent().unwrap()), 0o700, "parent created with it");
    assert_eq!(s.path().unwrap(), dir.join(DB_FILE));
    assert_eq!(mode(s.path().unwrap()), 0o600, "ledger file");
    for suffix in ["-wal", "-shm"] {
        let side = dir.join(format!("{DB_FILE}{suffix}"));
        if side.exists() {
            assert_eq!(mode(&side), 0o600, "{}", side.display());
        }
    }
    // Writing keeps them private too.
    let mut p = portfolio();
    redeem(&s, &mut p, K25, "lab", Some("new"), Mode::Activate).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}

#[cfg(unix)]
#[test]
fn existing_data_dir_keeps_its_mode_and_a_loose_ledger_file_is_tightened() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o750)).unwrap();
    drop(Store::open(d.path()).unwrap());
    assert_eq!(
        mode(d.path()),
        0o750,
        "a directory it did not create is left alone"
    );
    let file = d.path().join(DB_FILE);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open(d.path()).unwrap();
    assert_eq!(mode(&file), 0o600);
}

#[test]
fn migration_sets_user_version_and_creates_the_tables() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    assert_eq!(SCHEMA_VERSION, 2);
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let c = raw(d.path());
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(tables, ["ledger", "redeemed_keys"]);
    drop((s, c));
    let again = Store::open(d.path()).expect("reopening an up-to-date ledger");
    assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn newer_schema_is_refused_with_an_upgrade_message() {
    let d = tempfile::tempdir().unwrap();
    drop(Store::open(d.path()).unwrap());
    raw(d.path())
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let e = Store::open(d.path()).unwrap_err();
    match &e {
        StoreError::NewerSchema {
            found,
            supported,
            path,
        } => {
            assert_eq!(*found, SCHEMA_VERSION + 1);
            assert_eq!(*supported, SCHEMA_VERSION);
            assert_eq!(path, &d.path().join(DB_FILE));
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    let msg = e.to_string();
    assert!(msg.contains("upgrade benefits"), "{msg}");
    assert!(msg.contains(DB_FILE), "{msg}");
    // Refused before anything was changed: the version is still the newer one.
    let v: i64 = raw(d.path())
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION + 1);
}

#[test]
fn garbage_file_is_refused_as_corrupt() {
    for garbage in [vec![0x42u8; 8192], b"hello, not a database\n".to_vec()] {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(DB_FILE), &garbage).unwrap();
        let e = Store::open(d.path()).unwrap_err();
        assert!(matches!(e, StoreError::Corrupt { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(
            msg.contains(&d.path().join(DB_FILE).display().to_string()),
            "{msg}"
        );
        assert!(msg.contains("backup"), "says what to do: {msg}");
        // And it was left as it was.
        assert_eq!(std::fs::read(d.path().join(DB_FILE)).unwrap(), garbage);
    }
}

#[test]
fn another_programs_sqlite_database_is_refused_as_corrupt() {
    let d = tempfile::tempdir().unwrap();
    raw(d.path())
        .execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT);")
        .unwrap();
    let e = Store::open(d.path()).unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e:?}");
}

#[test]
fn a_directory_where_the_ledger_file_should_be_is_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(DB_FILE)).unwrap();
    let e = Store::open(d.path()).unwrap_err();
    assert!(e.to_string().contains(DB_FILE), "{e}");
    assert!(
        !matches!(e, StoreError::Busy { .. } | StoreError::NewerSchema { .. }),
        "{e:?}"
    );
}

#[test]
fn a_file_where_the_data_dir_should_be_is_a_create_dir_error() {
    let d = tempfile::tempdir().unwrap();
    let not_a_dir = d.path().join("file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let e = Store::open(&not_a_dir.join("data")).unwrap_err();
    assert!(matches!(e, StoreError::CreateDir { .. }), "{e:?}");
    assert!(e.to_string().contains("--data-dir"), "{e}");
}

/// Root ignores permission bits, so as root a permission check runs again in a child
/// process of this test binary that gives up root for `nobody` first (`setgroups`,
/// `setgid`, `setuid`), in a data directory of its own under the system's temporary
/// directory. True where the check itself runs (not root, or that child); false in the
/// parent once the child has passed it.
#[cfg(unix)]
fn unprivileged(test: &str) -> bool {
    const CHILD: &str = "BENEFITS_TEST_UNPRIVILEGED_CHILD";
    const NOBODY: libc::uid_t = 65534;
    // SAFETY: plain system calls; setuid applies to every thread of the process (glibc).
    let root = unsafe { libc::geteuid() } == 0;
    if std::env::var_os(CHILD).is_some() {
        if root {
            unsafe {
                assert_eq!(libc::setgroups(0, std::ptr::null()), 0, "setgroups");
                assert_eq!(libc::setgid(NOBODY), 0, "setgid");
                assert_eq!(libc::setuid(NOBODY), 0, "setuid");
            }
        }
        assert_ne!(unsafe { libc::geteuid() }, 0, "still root");
        return true;
    }
    if !root {
        return true;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("TMPDIR", std::env::temp_dir())
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.contains("1 passed"),
        "the check as nobody:\n{said}"
    );
    false
}

#[cfg(unix)]
#[test]
fn read_only_directory_is_a_clear_error_naming_the_path() {
    use std::os::unix::fs::PermissionsExt;
    if !unprivileged("read_only_directory_is_a_clear_error_naming_the_path") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let ro = d.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
    assert!(
        std::fs::write(ro.join("probe"), "x").is_err(),
        "permissions are not enforced even without root"
    );
    let e = Store::open(&ro).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
    assert!(e.to_string().contains(&ro.display().to_string()), "{e}");
    let e = Store::open(&ro.join("sub")).unwrap_err();
    assert!(matches!(e, StoreError::CreateDir { .. }), "{e:?}");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn many_processes_opening_a_fresh_directory_at_once_all_succeed() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    let barrier = Barrier::new(6);
    std::thread::scope(|scope| {
        for _ in 0..6 {
            scope.spawn(|| {
                barrier.wait();
                let s = Store::open(&dir).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
            });
        }
    });
}

#[test]
fn data_dir_is_the_flag_then_the_environment_then_the_default() {
    let flag = PathBuf::from("/from/flag");
    let env = OsStr::new("/from/env");
    assert_eq!(resolve_data_dir(Some(&flag), Some(env)).unwrap(), flag);
    assert_eq!(
        resolve_data_dir(None, Some(env)).unwrap(),
        PathBuf::from("/from/env")
    );
    let default = benefits::store::default_data_dir();
    match resolve_data_dir(None, Some(OsStr::new(""))) {
        Ok(p) => assert_eq!(Some(p), default, "an empty variable is ignored"),
        Err(e) => assert!(default.is_none() && matches!(e, StoreError::NoDataDir)),
    }
    if let Some(default) = default {
        assert!(default.ends_with("benefits"), "{}", default.display());
    }
}

// ---- commit, fold, history ----------------------------------------------------------

#[test]
fn commit_applies_to_portfolio_and_persists_across_reopen() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    let mut p = portfolio();
    let c = redeem(&s, &mut p, K25, "contoso", Some("sub-e3"), Mode::Extend).unwrap();
    assert_eq!(c.seq, 1);
    assert_eq!(p.last_seq, 1);
    // A=100, C=25: +3 months.
    assert_eq!(
        p.subscription("sub-e3").unwrap().1.end_date,
        date("2027-06-30")
    );
    let c2 = redeem(&s, &mut p, K100, "lab", Some("new"), Mode::Activate).unwrap();
    assert_eq!(c2.seq, 2);
    drop(s);

    let s = Store::open(d.path()).unwrap();
    let mut fresh = portfolio();
    s.fold(&mut fresh).unwrap();
    assert_eq!(fresh.catalog, p.catalog);
    assert_eq!(fresh.last_seq, 2);
    assert!(fresh.mismatches.is_empty(), "{:?}", fresh.mismatches);
    assert_eq!(s.len().unwrap(), 2);
    assert!(!s.is_empty().unwrap());
    // Newest first, exactly what was committed.
    assert_eq!(s.history().unwrap(), vec![c2.logged(), c.logged()]);
}

#[test]
fn same_key_committed_twice_second_is_key_already_redeemed() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    let mut p = portfolio();
    redeem(&s, &mut p, K25, "lab", Some("new"), Mode::Activate).unwrap();

    // Through the rules: the fresh state says the key is redeemed.
    let again = redeem(&s, &mut p, K25, "lab", Some("new"), Mode::Activate);
    assert!(is_already_redeemed(&again), "{again:?}");

    // Without the rules: a plan that never looks at the state still loses, because the
    // database's constraint decides, not a check that ran first.
    let stale = portfolio();
    let entry = plan(&stale, K25, "contoso", Some("sub-e3"), Mode::Extend).unwrap();
    let mut target = portfolio();
    let blind = s.commit(&mut target, move |_| Ok(entry));
    assert!(is_already_redeemed(&blind), "{blind:?}");

    assert_eq!(s.len().unwrap(), 1, "the losing writes left nothing behind");
    let count: i64 = raw(d.path())
        .query_row("SELECT COUNT(*) FROM redeemed_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn two_threads_racing_on_the_same_key_exactly_one_wins() {
    let d = tempfile::tempdir().unwrap();
    drop(Store::open(d.path()).unwrap());
    for i in 0..RACE_KEYS {
        let key = race_key(i);
        // Half the rounds plan through the rules, half blindly (so only the constraint stands
        // between the racers and a double redemption).
        let blind = i % 2 == 1;
        let barrier = Barrier::new(2);
        let results: Vec<Result<Committed, CommitError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| {
                        let s = Store::open(d.path()).unwrap();
                        let mut p = portfolio();
                        s.fold(&mut p).unwrap();
                        let entry = plan(&p, &key, "lab", Some("new"), Mode::Activate).unwrap();
                        barrier.wait();
                        if blind {
                            s.commit(&mut p, move |_| Ok(entry))
                        } else {
                            redeem(&s, &mut p, &key, "lab", Some("new"), Mode::Activate)
                        }
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let wins = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(wins, 1, "round {i} ({key}): {results:?}");
        for r in &results {
            assert!(r.is_ok() || is_already_redeemed(r), "round {i}: {r:?}");
        }
    }
    let s = Store::open(d.path()).unwrap();
    assert_eq!(s.len().unwrap(), RACE_KEYS as i64);
    let mut p = portfolio();
    s.fold(&mut p).unwrap();
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
}

#[test]
fn plan_sees_other_processes_entries() {
    let d = tempfile::tempdir().unwrap();
    let a = Store::open(d.path()).unwrap();
    let b = Store::open(d.path()).unwrap();
    let mut pa = portfolio();
    let mut pb = portfolio();
    b.fold(&mut pb).unwrap();
    redeem(
        &a,
        &mut pa,
        K25,
        "contoso",
        Some("sub-e3"),
        Mode::AddLicenses,
    )
    .unwrap();

    // b never folded a's redemption, yet plans against state that includes it.
    let mut seen = None;
    let c = b
        .commit(&mut pb, |p| {
            seen = Some(p.subscription("sub-e3").unwrap().1.licenses);
            plan(p, K100, "contoso", Some("sub-e3"), Mode::AddLicenses)
        })
        .unwrap();
    assert_eq!(
        seen,
        Some(125),
        "the plan saw the other process's 25 licenses"
    );
    match &c.entry {
        Entry::Redemption { before, after, .. } => {
            assert_eq!(before.unwrap().total_licenses, 125);
            assert_eq!(after.total_licenses, 225);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.seq, 2);
    assert_eq!(pb.last_seq, 2);

    // And a catches up with b by folding: only the new entry is applied.
    a.fold(&mut pa).unwrap();
    assert_eq!(pa.catalog, pb.catalog);
    assert_eq!(pa.last_seq, 2);
    a.fold(&mut pa).unwrap();
    assert_eq!(pa.catalog, pb.catalog, "folding again changes nothing");
}

#[test]
fn a_refused_plan_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    let mut p = portfolio();
    let before = p.catalog.clone();
    // C = 301 > 3·A = 300: the extension is refused by the rules.
    let r = redeem(&s, &mut p, K301, "contoso", Some("sub-e3"), Mode::Extend);
    match r {
        Err(CommitError::Refused(x)) => {
            assert_eq!(x.code, RefusalCode::ExtensionExceedsThreeYears)
        }
        other => panic!("{other:?}"),
    }
    // A plan that refuses outright.
    let r = s.commit(&mut p, |_| Err(Refusal::new(RefusalCode::RoleNotPermitted)));
    assert!(
        matches!(r, Err(CommitError::Refused(ref x)) if x.code == RefusalCode::RoleNotPermitted)
    );
    assert_eq!(s.len().unwrap(), 0);
    assert!(s.history().unwrap().is_empty());
    assert_eq!(p.catalog, before);
    assert_eq!(p.last_seq, 0);
    let keys: i64 = raw(d.path())
        .query_row("SELECT COUNT(*) FROM redeemed_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(keys, 0);
    // The store is still usable afterwards (no transaction left open).
    redeem(&s, &mut p, K25, "contoso", Some("sub-e3"), Mode::Extend).unwrap();
    assert_eq!(s.len().unwrap(), 1);
}

#[test]
fn entry_whose_key_vanished_from_the_catalog_shows_up_in_mismatches() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    let mut p = portfolio();
    redeem(&s, &mut p, K25, "lab", Some("new"), Mode::Activate).unwrap();
    redeem(&s, &mut p, K100, "contoso", Some("sub-e3"), Mode::Extend).unwrap();

    let edited = catalog_yaml().replace(K25, "E3AAA-AAAAA-AAAAA-AAAAA-ZZZ25");
    let mut fresh = Portfolio::new(benefits::catalog::load_str(&edited, "edited.yaml").unwrap());
    s.fold(&mut fresh).unwrap();
    assert_eq!(fresh.mismatches.len(), 1, "{:?}", fresh.mismatches);
    let m = &fresh.mismatches[0];
    assert_eq!(
        (m.seq, m.op, m.benefit.as_str()),
        (1, "redemption", "m365e3")
    );
    assert!(m.problem.contains("AAA25"), "{}", m.problem);
    // The other entry still applied, and the fold moved past both.
    assert_eq!(fresh.last_seq, 2);
    assert_eq!(
        fresh.subscription("sub-e3").unwrap().1.end_date,
        date("2028-03-31")
    );
}

#[test]
fn an_entry_that_does_not_parse_is_reported_not_dropped() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    let mut p = portfolio();
    redeem(&s, &mut p, K25, "lab", Some("new"), Mode::Activate).unwrap();
    raw(d.path())
        .execute(
            "INSERT INTO ledger (op, benefit, date, key_masked, entry) VALUES ('redemption', 'm365e3', '2026-11-23', NULL, '{\"op\":\"from-the-future\"}')",
            [],
        )
        .unwrap();
    let mut fresh = portfolio();
    s.fold(&mut fresh).unwrap();
    assert_eq!(
        fresh
            .mismatches
            .iter()
            .map(|m: &LedgerMismatch| (m.seq, m.op, m.benefit.as_str()))
            .collect::<Vec<_>>(),
        [(2, "unreadable", "m365e3")]
    );
    assert_eq!(fresh.last_seq, 2);
    // Commits still work after it.
    let c = redeem(
        &s,
        &mut fresh,
        K100,
        "contoso",
        Some("sub-e3"),
        Mode::Extend,
    )
    .unwrap();
    assert_eq!(c.seq, 3);
}

#[test]
fn a_redemptions_full_key_is_nowhere_in_the_database_files() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    let mut p = portfolio();
    let c = redeem(&s, &mut p, K25, "lab", Some("new"), Mode::Activate).unwrap();
    let key = ProductKey::parse(K25).unwrap();
    let forms = [
        key.formatted(),
        key.formatted().replace('-', ""),
        key.formatted().to_lowercase(),
        key.formatted().replace('-', "").to_lowercase(),
    ];
    // While open (the entry may still sit in the WAL) and after closing (checkpointed).
    let open_bytes = all_bytes(d.path());
    drop(s);
    let closed_bytes = all_bytes(d.path());
    for bytes in [&open_bytes, &closed_bytes] {
        for form in &forms {
            assert!(
                !bytes.contains(form.as_str()),
                "{form} found in the database files"
            );
        }
        assert!(bytes.contains(&key.masked()), "the masked key is recorded");
    }
    match c.entry {
        Entry::Redemption {
            key_fingerprint, ..
        } => assert!(closed_bytes.contains(&key_fingerprint)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn commit_errors_read_as_messages() {
    let refused = CommitError::Refused(Refusal::new(RefusalCode::KeyAlreadyRedeemed));
    assert!(refused.to_string().contains("key-already-redeemed"));
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join(DB_FILE), vec![7u8; 4096]).unwrap();
    let store = CommitError::from(Store::open(d.path()).unwrap_err());
    assert!(store.to_string().contains(DB_FILE));
}

/// A ledger the user may read but not write: open may succeed (browsing works), but a write
/// is a clear error naming the file, never a panic or a silent loss. As root, checked as
/// `nobody` (`unprivileged`), since root ignores the bits.
#[cfg(unix)]
#[test]
fn read_only_ledger_is_a_clear_error_naming_the_path() {
    use std::os::unix::fs::PermissionsExt;
    if !unprivileged("read_only_ledger_is_a_clear_error_naming_the_path") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    {
        let s = Store::open(&dir).unwrap();
        let mut p = portfolio();
        redeem(&s, &mut p, K25, "lab", Some("new"), Mode::Activate).unwrap();
    }
    let file = dir.join(DB_FILE);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap();
    assert!(
        std::fs::OpenOptions::new().write(true).open(&file).is_err(),
        "permissions are not enforced even without root"
    );
    let shown = file.display().to_string();
    match Store::open(&dir) {
        Err(e) => {
            assert!(
                matches!(
                    e,
                    StoreError::ReadOnly { .. } | StoreError::CannotOpen { .. }
                ),
                "{e:?}"
            );
            assert!(e.to_string().contains(&shown), "{e}");
        }
        Ok(s) => {
            let mut p = portfolio();
            s.fold(&mut p).unwrap();
            assert_eq!(p.last_seq, 1);
            let r = redeem(&s, &mut p, K100, "contoso", Some("sub-e3"), Mode::Extend);
            match r {
                Err(CommitError::Store(e)) => {
                    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
                    assert!(e.to_string().contains(&shown), "{e}");
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
