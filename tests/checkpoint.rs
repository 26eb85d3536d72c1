//! A checkpoint (the portfolio folded through entry N, kept in `state.snapshot`) and the
//! entries after N fold to the same state as the whole ledger, wherever N falls: every N
//! of the ledger is tried.

use benefits::catalog::snapshot::{self, Folded, Identity};
use benefits::cli::generate::{LedgerPlan, write_catalog};
use benefits::domain::Portfolio;
use benefits::store::{LedgerRow, Store, fold_rows};
use chrono::NaiveDate;
use std::sync::OnceLock;

struct Fixture {
    catalog: benefits::domain::Catalog,
    identity: Identity,
    data: tempfile::TempDir,
    entries: i64,
}

/// One catalog and one ledger for every case: building them is the slow part.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut yaml = Vec::new();
        write_catalog(&mut yaml, 80, 11, today).unwrap();
        let catalog =
            benefits::catalog::load_str(std::str::from_utf8(&yaml).unwrap(), "c.yaml").unwrap();
        let data = tempfile::tempdir().unwrap();
        let store = Store::open(data.path()).unwrap();
        let mut p = Portfolio::new(catalog.clone());
        let mut plan = LedgerPlan::new(&p, 160, today);
        let entries = store.commit_batch(&mut p, |p| plan.next(p)).unwrap() as i64;
        assert!(entries > 100, "a ledger worth checkpointing: {entries}");
        Fixture {
            identity: Identity::of(&yaml, "test"),
            catalog,
            data,
            entries,
        }
    })
}

fn rows(store: &Store, after: i64, through: i64) -> Vec<LedgerRow> {
    let mut rows = store.read_since(after).unwrap();
    rows.retain(|r| seq(r) <= through);
    rows
}

/// Wherever N falls: every entry of the ledger, from the first to the last (an empty
/// tail), not a sample of them.
#[test]
fn checkpoint_then_the_rest_folds_as_the_whole_ledger() {
    let f = fixture();
    let store = Store::open(f.data.path()).unwrap();
    let mut whole = Portfolio::new(f.catalog.clone());
    fold_rows(&mut whole, rows(&store, 0, i64::MAX));
    // Each checkpoint is written and synced: on a memory file system where there is one, so
    // a few hundred of them take seconds, not a minute of disk flushes.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    for n in 1..=f.entries {
        // A start that folded through N leaves a checkpoint; the next reads it back.
        let mut first = Portfolio::new(f.catalog.clone());
        fold_rows(&mut first, rows(&store, 0, n));
        let folded = Folded {
            through: first.last_seq,
            marker: store.marker(first.last_seq).unwrap().unwrap(),
            mismatches: first.mismatches.clone(),
            corrections: first.corrections.clone(),
        };
        drop(snapshot::write_state_behind(
            dir.path(),
            &f.identity,
            &mut first.catalog,
            &folded,
        ));
        let (catalog, read) = snapshot::read_state_any(dir.path())
            .unwrap()
            .open_folded(&f.identity)
            .unwrap();
        let read = read.unwrap();
        assert_eq!(&read, &folded, "N = {n}");
        let mut next = Portfolio::new(catalog);
        next.last_seq = read.through;
        next.mismatches = read.mismatches;
        next.corrections = read.corrections;
        fold_rows(&mut next, rows(&store, read.through, i64::MAX));

        assert_eq!(next.last_seq, whole.last_seq, "N = {n}");
        assert_eq!(&next.mismatches, &whole.mismatches, "N = {n}");
        assert_eq!(&next.corrections, &whole.corrections, "N = {n}");
        assert!(
            next.catalog == whole.catalog,
            "N = {n}: the catalogs differ"
        );
        // And every lookup the indexes answer.
        for key in whole.catalog.keys() {
            assert_eq!(next.key(key), whole.key(key), "N = {n}");
        }
        for b in &whole.catalog.cloud_benefits {
            assert_eq!(next.benefit(&b.id), whole.benefit(&b.id), "N = {n}");
            for s in b.license.iter().flat_map(|l| &l.subscriptions) {
                let id = |p: &Portfolio| {
                    p.subscription(&s.id)
                        .map(|(b, s)| (b.id.clone(), s.clone()))
                };
                assert_eq!(id(&next), id(&whole), "N = {n}");
            }
        }
    }
}

fn seq(r: &LedgerRow) -> i64 {
    r.seq()
}

#[test]
fn a_marker_names_one_ledger_up_to_one_entry() {
    let f = fixture();
    let store = Store::open(f.data.path()).unwrap();
    let m = store.marker(f.entries).unwrap().unwrap();
    assert_ne!(store.marker(f.entries - 1).unwrap(), Some(m));
    assert_eq!(
        store.marker(f.entries + 1).unwrap(),
        None,
        "no such entry yet"
    );
    // Another ledger with as many entries of its own.
    let other = tempfile::tempdir().unwrap();
    let store2 = Store::open(other.path()).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut p = Portfolio::new(f.catalog.clone());
    let mut plan = LedgerPlan::new(&p, f.entries as usize, today);
    store2.commit_batch(&mut p, |p| plan.next(p)).unwrap();
    assert_ne!(store2.marker(f.entries).unwrap(), Some(m));
}
