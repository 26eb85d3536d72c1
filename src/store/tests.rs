use super::error::{classify_io, io_cause, probe_io};
use super::retry::{BUSY_RETRIES, Backoff};
use super::sqlite::classify;
use super::*;
use crate::domain::{Mode, ProductKey, RefusalCode};
use crate::redeem::rules::{Ctx, plan_redemption};
use crate::redeem::{Operation, Target};
use rusqlite::Connection;
use std::time::{Duration, Instant};

const FIXTURE: &str = include_str!("../redeem/fixture.yaml");

pub(super) fn portfolio() -> Portfolio {
    Portfolio::new(
        crate::catalog::load_str(FIXTURE, "fixture.yaml").expect("the fixture is a valid catalog"),
    )
}

fn today() -> chrono::NaiveDate {
    "2026-11-23".parse().unwrap()
}

pub(super) fn redeem(
    store: &Store,
    p: &mut Portfolio,
    key: &str,
    tenant: &str,
    target: Target,
    mode: Mode,
) -> Result<Committed, CommitError> {
    let operation = Operation::Redeem {
        key: ProductKey::parse(key).unwrap(),
        tenant: tenant.into(),
        target,
        mode,
        location: None,
    };
    let user = p.catalog.user.clone();
    store.execute(p, &user, today(), &operation)
}

/// A store in a new temporary directory (kept alive by the returned guard) and the
/// fixture's portfolio.
pub(super) fn fresh() -> (tempfile::TempDir, Store, Portfolio) {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    (d, s, portfolio())
}

/// The fixture's 25-license E3 key redeemed onto a new subscription of the lab tenant.
pub(super) fn redeem_new_on_lab(s: &Store, p: &mut Portfolio) -> Result<Committed, CommitError> {
    redeem(
        s,
        p,
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "lab",
        Target::New,
        Mode::Activate,
    )
}

#[cfg(unix)]
#[test]
fn fresh_open_creates_private_dir_and_file() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("nested/data");
    let s = Store::open(&dir).unwrap();
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        std::fs::metadata(s.path().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
}

#[test]
fn migration_sets_schema_version() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    let v: i64 = s
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema::VERSION);
    drop(s);
    Store::open(d.path()).expect("reopening an up-to-date ledger");
}

#[test]
fn newer_schema_is_refused_with_upgrade_hint() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    s.conn().pragma_update(None, "user_version", 99).unwrap();
    drop(s);
    let e = Store::open(d.path()).err().unwrap();
    assert!(matches!(e, StoreError::NewerSchema { found: 99, .. }));
    assert!(e.to_string().contains("upgrade benefits"));
}

#[test]
fn garbage_file_is_reported_as_corrupt() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join(DB_FILE), vec![0x42u8; 8192]).unwrap();
    let e = Store::open(d.path()).err().unwrap();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("ledger.db"));
}

#[test]
fn commit_applies_and_persists_across_reopen() {
    let (d, s, mut p) = fresh();
    let c = redeem(
        &s,
        &mut p,
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "contoso",
        Target::Existing("sub-e3".into()),
        Mode::Extend,
    )
    .unwrap();
    assert_eq!(c.seq, 1);
    assert_eq!(
        p.subscription("sub-e3").unwrap().1.end_date,
        "2027-06-30".parse().unwrap()
    );
    drop(s);
    let s = Store::open(d.path()).unwrap();
    let mut fresh = portfolio();
    s.fold(&mut fresh).unwrap();
    assert_eq!(fresh.catalog, p.catalog);
    assert_eq!(s.history().unwrap().len(), 1);
}

#[test]
fn same_key_twice_is_refused_by_the_database() {
    let (_d, s, mut p) = fresh();
    redeem_new_on_lab(&s, &mut p).unwrap();
    // A stale view that never saw the first redemption still loses: the constraint decides.
    let mut stale = portfolio();
    let k = ProductKey::parse("E3AAA-AAAAA-AAAAA-AAAAA-AAA25").unwrap();
    let entry = plan_redemption(
        Ctx {
            portfolio: &stale,
            user: &stale.catalog.user,
            today: today(),
        },
        &k,
        "lab",
        None,
        Mode::Activate,
    )
    .unwrap();
    stale.last_seq = 1; // pretend it folded, so the catch-up does not save it
    let r = s.commit(&mut stale, |_| Ok(entry));
    assert!(
        matches!(r, Err(CommitError::Refused(ref x)) if x.code == RefusalCode::KeyAlreadyRedeemed)
    );
    assert_eq!(s.len().unwrap(), 1, "the losing write left nothing behind");
}

#[test]
fn plan_sees_entries_from_other_connections() {
    let d = tempfile::tempdir().unwrap();
    let a = Store::open(d.path()).unwrap();
    let b = Store::open(d.path()).unwrap();
    let mut pa = portfolio();
    let mut pb = portfolio();
    redeem(
        &a,
        &mut pa,
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "contoso",
        Target::Existing("sub-e3".into()),
        Mode::AddLicenses,
    )
    .unwrap();
    // b plans against state that includes a's redemption.
    let c = redeem(
        &b,
        &mut pb,
        "E3AAA-AAAAA-AAAAA-AAAAA-AA100",
        "contoso",
        Target::Existing("sub-e3".into()),
        Mode::AddLicenses,
    )
    .unwrap();
    match c.entry {
        Entry::Redemption { before, .. } => assert_eq!(before.unwrap().total_licenses, 125),
        _ => panic!(),
    }
}

#[test]
fn refused_plan_writes_nothing() {
    let (_d, s, mut p) = fresh();
    let r = redeem(
        &s,
        &mut p,
        "E3AAA-AAAAA-AAAAA-AAAAA-AA301",
        "contoso",
        Target::Existing("sub-e3".into()),
        Mode::Extend,
    );
    assert!(matches!(r, Err(CommitError::Refused(_))));
    assert_eq!(s.len().unwrap(), 0);
}

#[test]
fn threads_racing_for_one_key_exactly_one_wins() {
    let d = tempfile::tempdir().unwrap();
    Store::open(d.path()).unwrap();
    let keys = [
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "E3AAA-AAAAA-AAAAA-AAAAA-AA100",
        "E3AAA-AAAAA-AAAAA-AAAAA-AA301",
    ];
    for key in keys {
        let wins: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        let s = Store::open(d.path()).unwrap();
                        let mut p = portfolio();
                        s.fold(&mut p).unwrap();
                        match redeem(&s, &mut p, key, "lab", Target::New, Mode::Activate) {
                            Ok(_) => 1,
                            Err(CommitError::Refused(r)) => {
                                assert_eq!(r.code, RefusalCode::KeyAlreadyRedeemed);
                                0
                            }
                            Err(CommitError::Store(e)) => {
                                panic!("store error reached the user: {e}")
                            }
                        }
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(wins, 1, "{key}");
    }
}

#[test]
fn ledger_never_holds_a_whole_key() {
    let (d, s, mut p) = fresh();
    redeem_new_on_lab(&s, &mut p).unwrap();
    drop(s);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(d.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("E3AAA-AAAAA-AAAAA-AAAAA-AAA25")
            && !text.contains("E3AAAAAAAAAAAAAAAAAAAAAAA25")
    );
    assert!(text.contains("*****-*****-*****-*****-AAA25"));
}

#[test]
fn entry_whose_key_vanished_from_the_catalog_is_reported() {
    let (_d, s, mut p) = fresh();
    redeem_new_on_lab(&s, &mut p).unwrap();
    let edited = FIXTURE.replace(
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "E3AAA-AAAAA-AAAAA-AAAAA-ZZZ25",
    );
    let mut fresh = Portfolio::new(crate::catalog::load_str(&edited, "edited.yaml").unwrap());
    s.fold(&mut fresh).unwrap();
    assert_eq!(fresh.mismatches.len(), 1);
    assert!(fresh.mismatches[0].problem.contains("AAA25"));
}

#[test]
fn a_write_lock_held_by_another_process_is_waited_out_not_reported() {
    let d = tempfile::tempdir().unwrap();
    let s = Store::open(d.path()).unwrap();
    let other = Connection::open(d.path().join(DB_FILE)).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut p = portfolio();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            other.execute_batch("COMMIT").unwrap();
        });
        let started = Instant::now();
        redeem(
            &s,
            &mut p,
            "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
            "lab",
            Target::New,
            Mode::Activate,
        )
        .expect("the lock was released in time: no \"database is locked\"");
        assert!(started.elapsed() >= Duration::from_millis(250));
    });
    assert_eq!(s.len().unwrap(), 1);
}

#[test]
fn sqlite_failures_become_errors_that_name_the_file_and_a_remedy() {
    let path = Path::new("/data/ledger.db");
    let fail = |code: i32| {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("detail".into()))
    };
    let full = classify(path, fail(rusqlite::ffi::SQLITE_FULL));
    assert!(matches!(full, StoreError::Full { .. }));
    assert!(full.to_string().contains("/data/ledger.db") && full.to_string().contains("free"));
    let ro = classify(path, fail(rusqlite::ffi::SQLITE_READONLY));
    assert!(matches!(ro, StoreError::ReadOnly { .. }));
    assert!(ro.to_string().contains("writable"));
    let busy = classify(path, fail(rusqlite::ffi::SQLITE_BUSY));
    assert!(matches!(busy, StoreError::Busy { .. }));
    assert!(!busy.to_string().contains("database is locked"));
    let corrupt = classify(path, fail(rusqlite::ffi::SQLITE_CORRUPT));
    assert!(matches!(corrupt, StoreError::Corrupt { .. }));
    let cant = classify(path, fail(rusqlite::ffi::SQLITE_CANTOPEN));
    assert!(matches!(cant, StoreError::CannotOpen { .. }));
    let io_full = classify_io(path, std::io::Error::from(std::io::ErrorKind::StorageFull));
    assert!(matches!(io_full, StoreError::Full { .. }));
    let io_denied = classify_io(
        path,
        std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    );
    assert!(matches!(io_denied, StoreError::ReadOnly { .. }));
}

#[test]
fn backoff_is_bounded() {
    let mut b = Backoff::new();
    b.attempt = BUSY_RETRIES - 1;
    assert!(b.wait());
    assert!(!b.wait(), "no more than BUSY_RETRIES retries");
    let mut late = Backoff::new();
    late.deadline = Instant::now();
    assert!(!late.wait(), "no retry after the deadline");
}

#[test]
fn newer_schema_is_refused_before_the_file_is_changed() {
    let d = tempfile::tempdir().unwrap();
    let c = Connection::open(d.path().join(DB_FILE)).unwrap();
    c.pragma_update(None, "user_version", schema::VERSION + 1)
        .unwrap();
    drop(c);
    let e = Store::open(d.path()).unwrap_err();
    assert!(matches!(e, StoreError::NewerSchema { .. }), "{e:?}");
    let c = Connection::open(d.path().join(DB_FILE)).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the journal mode was left alone");
}

/// What the file system says after SQLite's bare "disk I/O error" / "unable to open": the
/// OS errors injected here are the ones a full disk (ENOSPC, EDQUOT, EFBIG) and a read-only
/// mount (EROFS) give; `tests/torture_faults.rs` meets the real ones.
#[test]
fn io_failures_are_told_apart_as_full_or_read_only_by_the_os_error() {
    let path = Path::new("/data/ledger.db");
    for errno in [28, 122, 27] {
        let e = io_cause(path, std::io::Error::from_raw_os_error(errno));
        assert!(matches!(e, Some(StoreError::Full { .. })), "{errno}: {e:?}");
    }
    let ro = io_cause(path, std::io::Error::from_raw_os_error(30)).unwrap();
    assert!(matches!(ro, StoreError::ReadOnly { .. }), "{ro:?}");
    assert!(
        ro.to_string().contains("/data/ledger.db is read-only"),
        "{ro}"
    );
    assert!(io_cause(path, std::io::Error::from_raw_os_error(5)).is_none());
    // A writable directory is neither: SQLite's own words stay, and the probe is gone.
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join(DB_FILE);
    assert!(probe_io(&db).is_none());
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
    let io = classify(
        &db,
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
            Some("disk I/O error".into()),
        ),
    );
    assert!(matches!(io, StoreError::Sqlite { .. }), "{io:?}");
}

#[test]
fn a_reader_reads_what_was_written_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let store = Store::open(d.path()).unwrap();
    let mut p = portfolio();
    let key = "E3AAA-AAAAA-AAAAA-AAAAA-AAA25";
    redeem(
        &store,
        &mut p,
        key,
        "contoso",
        Target::Existing("sub-e3".into()),
        Mode::Extend,
    )
    .unwrap();
    let reader = Store::open_reader(d.path()).unwrap();
    assert_eq!(
        reader.entries_through(i64::MAX).unwrap(),
        store.history().unwrap()
    );
    assert_eq!(reader.entries_through(0).unwrap(), []);
    let fresh = "E3AAA-AAAAA-AAAAA-AAAAA-AA100";
    let write = redeem(
        &reader,
        &mut portfolio(),
        fresh,
        "contoso",
        Target::Existing("sub-e3".into()),
        Mode::Extend,
    );
    assert!(matches!(write, Err(CommitError::Store(_))), "{write:?}");
    assert_eq!(store.history().unwrap().len(), 1);
    assert!(Store::open_reader(&d.path().join("none")).is_err());
}
