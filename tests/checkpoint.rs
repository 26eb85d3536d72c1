//! A checkpoint (the portfolio folded through entry N, kept in `state.snapshot`) and the
//! entries after N fold to the same state as the whole ledger, wherever N falls.

use benefits::catalog::snapshot::{self, Folded, Identity};
use benefits::cli::generate::{LedgerPlan, write_catalog};
use benefits::domain::Portfolio;
use benefits::store::{LedgerRow, Store, fold_rows};
use chrono::NaiveDate;
use proptest::prelude::*;
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
        write_catalog(&mut yaml, 300, 11, today).unwrap();
        let catalog =
            benefits::catalog::load_str(std::str::from_utf8(&yaml).unwrap(), "c.yaml").unwrap();
        let data = tempfile::tempdir().unwrap();
        let store = Store::open(data.path()).unwrap();
        let mut p = Portfolio::new(catalog.clone());
        let mut plan = LedgerPlan::new(&p, 400, today);
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
    rows.retain(|r| match r {
        LedgerRow::Entry(seq, _) => *seq <= through,
        LedgerRow::Unreadable(m) => m.seq <= through,
    });
    rows
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn checkpoint_then_the_rest_folds_as_the_whole_ledger(at in 0.0f64..=1.0) {
        let f = fixture();
        let store = Store::open(f.data.path()).unwrap();
        let n = ((f.entries as f64 * at) as i64).max(1);

        let mut whole = Portfolio::new(f.catalog.clone());
        fold_rows(&mut whole, rows(&store, 0, i64::MAX));

        // A start that folded through N leaves a checkpoint; the next reads it back.
        let mut first = Portfolio::new(f.catalog.clone());
        fold_rows(&mut first, rows(&store, 0, n));
        let dir = tempfile::tempdir().unwrap();
        let folded = Folded {
            through: first.last_seq,
            marker: store.marker(first.last_seq).unwrap().unwrap(),
            mismatches: first.mismatches.clone(),
        };
        drop(snapshot::write_state_behind(dir.path(), &f.identity, &mut first.catalog, &folded));
        let (catalog, read) = snapshot::read_state_any(dir.path())
            .unwrap()
            .open_folded(&f.identity)
            .unwrap();
        let read = read.unwrap();
        prop_assert_eq!(&read, &folded);
        let mut next = Portfolio::new(catalog);
        next.last_seq = read.through;
        next.mismatches = read.mismatches;
        fold_rows(&mut next, rows(&store, read.through, i64::MAX));

        prop_assert_eq!(&next.catalog, &whole.catalog);
        prop_assert_eq!(&next.mismatches, &whole.mismatches);
        prop_assert_eq!(next.last_seq, whole.last_seq);
        // And every lookup the indexes answer.
        for key in whole.catalog.keys() {
            prop_assert_eq!(next.key(key), whole.key(key));
        }
        for b in &whole.catalog.cloud_benefits {
            prop_assert_eq!(next.benefit(&b.id), whole.benefit(&b.id));
            for s in b.license.iter().flat_map(|l| &l.subscriptions) {
                let id = |p: &Portfolio| p.subscription(&s.id).map(|(b, s)| (b.id.clone(), s.clone()));
                prop_assert_eq!(id(&next), id(&whole));
            }
        }
    }
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
