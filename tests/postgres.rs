//! The ledger on a real PostgreSQL server (a throwaway cluster, `common::pg`): every
//! guarantee of the SQLite backend through the same `Store` interface — the schema
//! versioned and a newer one refused untouched, a key redeemable once by the constraint,
//! plans that see other machines' entries, keys only as fingerprint and masked form — and
//! errors that name the server but never the password.

mod common;

use benefits::domain::{Entry, Mode, Portfolio, ProductKey, RefusalCode};
use benefits::redeem::Target;
use benefits::redeem::rules::{Ctx, plan_redemption};
use benefits::store::{Clock, CommitError, Committed, Location, SCHEMA_VERSION, Store, StoreError};
use common::pg::{Cluster, PASSWORD, db_name};
use std::path::Path;
use std::sync::Barrier;

const KEYS: usize = 40;

fn portfolio() -> Portfolio {
    let yaml = common::catalog_yaml(KEYS, true);
    Portfolio::new(benefits::catalog::load_str(&yaml, "catalog.yaml").unwrap())
}

/// The URL with the password in it: in-process tests cannot set `PGPASSWORD` safely.
fn with_password(url: &str) -> String {
    url.replacen("@", &format!(":{PASSWORD}@"), 1)
}

fn open(url: &str, cache: &Path) -> Result<Store, StoreError> {
    Store::connect(&Location::resolve(Some(&with_password(url)), cache).unwrap())
}

fn redeem(store: &Store, p: &mut Portfolio, i: usize) -> Result<Committed, CommitError> {
    let key = ProductKey::parse(&common::cloud_key(i)).unwrap();
    store.commit(p, |p| plan(p, &key))
}

fn plan(p: &Portfolio, key: &ProductKey) -> Result<Entry, benefits::domain::Refusal> {
    plan_redemption(
        Ctx {
            portfolio: p,
            user: &p.catalog.user,
            today: common::TODAY.parse().unwrap(),
        },
        key,
        "lab",
        Some(&Target::New),
        Mode::Activate,
    )
}

fn already_redeemed(r: &Result<Committed, CommitError>) -> bool {
    matches!(r, Err(CommitError::Refused(x)) if x.code == RefusalCode::KeyAlreadyRedeemed)
}

#[test]
fn a_fresh_database_gets_the_versioned_schema_and_keys_only_as_fingerprint_and_mask() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let cache = tempfile::tempdir().unwrap();
    let s = open(&url, cache.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(s.path().is_none());
    assert_eq!(s.place(), url.split('?').next().unwrap());
    let mut p = portfolio();
    let done = redeem(&s, &mut p, 0).unwrap();
    assert_eq!(done.seq, 1);
    // Every text the server holds, scanned for the whole key in every spelling.
    let mut admin = c.admin_on(db_name(&url)).unwrap();
    let dump: Vec<String> = admin
        .query(
            "SELECT l::text FROM ledger l UNION ALL SELECT k::text FROM redeemed_keys k",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let dump = dump.join("\n");
    assert!(
        common::leaked(&dump, [&common::cloud_key(0)]).is_empty(),
        "{dump}"
    );
    assert!(dump.contains("*****-*****-*****-*****-HJKL0"), "{dump}");
    // Opening again migrates nothing and keeps the entry.
    drop(s);
    let s = open(&url, cache.path()).unwrap();
    assert_eq!(s.len().unwrap(), 1);
}

#[test]
fn a_key_is_redeemed_once_because_the_unique_constraint_says_so() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let cache = tempfile::tempdir().unwrap();
    let s = open(&url, cache.path()).unwrap();
    let mut p = portfolio();
    redeem(&s, &mut p, 1).unwrap();
    let again = redeem(&s, &mut p, 1);
    assert!(already_redeemed(&again), "{again:?}");
    // A plan that never looks at the state still loses: the constraint decides.
    let stale = portfolio();
    let key = ProductKey::parse(&common::cloud_key(1)).unwrap();
    let entry = plan(&stale, &key).unwrap();
    let mut target = portfolio();
    let blind = s.commit(&mut target, move |_| Ok(entry));
    assert!(already_redeemed(&blind), "{blind:?}");
    assert_eq!(s.len().unwrap(), 1, "the losing writes left nothing behind");
}

#[test]
fn threads_on_their_own_connections_racing_for_each_key_exactly_one_wins() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let cache = tempfile::tempdir().unwrap();
    drop(open(&url, cache.path()).unwrap());
    let barrier = Barrier::new(4);
    let results: Vec<Vec<Result<Committed, CommitError>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let (url, barrier, cache) = (&url, &barrier, cache.path());
                scope.spawn(move || {
                    let s = open(url, cache).unwrap();
                    let mut p = portfolio();
                    s.fold(&mut p).unwrap();
                    barrier.wait();
                    // Half plan through the rules, half blindly from a stale state.
                    (0..10)
                        .map(|i| {
                            let key = ProductKey::parse(&common::cloud_key(i)).unwrap();
                            if t % 2 == 0 {
                                redeem(&s, &mut p, i)
                            } else {
                                let entry = plan(&portfolio(), &key).unwrap();
                                s.commit(&mut p, move |_| Ok(entry))
                            }
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for i in 0..10 {
        let wins = results.iter().filter(|r| r[i].is_ok()).count();
        assert_eq!(wins, 1, "key {i}");
        assert!(
            results
                .iter()
                .all(|r| r[i].is_ok() || already_redeemed(&r[i]))
        );
    }
    let s = open(&url, cache.path()).unwrap();
    let history = s.history().unwrap();
    let seqs: Vec<i64> = history.iter().rev().map(|l| l.seq).collect();
    assert_eq!(seqs, (1..=10).collect::<Vec<_>>(), "dense, in commit order");
    let mut p = portfolio();
    s.fold(&mut p).unwrap();
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
}

#[test]
fn a_plan_sees_what_another_machine_appended() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let (ca, cb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = open(&url, ca.path()).unwrap();
    let b = open(&url, cb.path()).unwrap();
    let (mut pa, mut pb) = (portfolio(), portfolio());
    redeem(&a, &mut pa, 2).unwrap();
    // b never folded a's redemption, yet its plan runs against a state holding it.
    let mut seen = 0;
    let key = ProductKey::parse(&common::cloud_key(2)).unwrap();
    let r = b.commit(&mut pb, |p| {
        seen = p.last_seq;
        plan(p, &key)
    });
    assert_eq!(seen, 1);
    assert!(already_redeemed(&r), "{r:?}");
    let done = redeem(&b, &mut pb, 3).unwrap();
    assert_eq!(done.seq, 2);
    a.fold(&mut pa).unwrap();
    assert_eq!(pa.catalog, pb.catalog);
    // A checkpoint marker names this ledger: the same entries in another database differ.
    let other = c.database();
    let o = open(&other, ca.path()).unwrap();
    let mut po = portfolio();
    redeem(&o, &mut po, 2).unwrap();
    assert!(a.marker(1).unwrap().is_some());
    assert_ne!(a.marker(1).unwrap(), o.marker(1).unwrap());
    assert_eq!(a.marker(1).unwrap(), b.marker(1).unwrap());
}

#[test]
fn a_newer_schema_is_refused_untouched_and_a_foreign_database_too() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let cache = tempfile::tempdir().unwrap();
    let s = open(&url, cache.path()).unwrap();
    redeem(&s, &mut portfolio(), 4).unwrap();
    drop(s);
    let mut admin = c.admin_on(db_name(&url)).unwrap();
    admin
        .batch_execute("UPDATE benefits_schema SET version = 99")
        .unwrap();
    let dump = |admin: &mut postgres::Client| -> String {
        admin
            .query_one(
                "SELECT (SELECT string_agg(l::text, '|' ORDER BY seq) FROM ledger l) || \
                 (SELECT string_agg(s::text, '|') FROM benefits_schema s)",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let before = dump(&mut admin);
    let e = open(&url, cache.path()).unwrap_err();
    assert!(
        matches!(e, StoreError::ServerNewerSchema { found: 99, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("upgrade benefits"), "{e}");
    assert_eq!(dump(&mut admin), before, "refused untouched");

    let foreign = c.database();
    c.admin_on(db_name(&foreign))
        .unwrap()
        .batch_execute("CREATE TABLE ledger (id int)")
        .unwrap();
    let e = open(&foreign, cache.path()).unwrap_err();
    assert!(matches!(e, StoreError::ServerForeign { .. }), "{e:?}");
}

#[test]
fn errors_name_the_server_and_never_the_password() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let cache = tempfile::tempdir().unwrap();
    let wrong = url.replacen("@", ":not-the-password-7@", 1);
    let e = Store::connect(&Location::resolve(Some(&wrong), cache.path()).unwrap()).unwrap_err();
    assert!(matches!(e, StoreError::ServerRefused { .. }), "{e:?}");
    let said = format!("{e} {e:?}");
    assert!(!said.contains("not-the-password-7"), "{said}");
    assert!(said.contains(&format!("127.0.0.1:{}", c.port)), "{said}");
    // Nobody listens on this port: unreachable, named, no password.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = with_password(&format!("postgres://ledger_admin@127.0.0.1:{port}/x"));
    let e = Store::connect(&Location::resolve(Some(&nowhere), cache.path()).unwrap()).unwrap_err();
    assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
    let said = format!("{e} {e:?}");
    assert!(said.contains(&format!("127.0.0.1:{port}")), "{said}");
    assert!(!said.contains(PASSWORD), "{said}");
}

#[test]
fn every_sslmode_a_client_honours_connects_as_it_says() {
    let Some(c) = Cluster::shared() else { return };
    let Some(root) = &c.tls else { return };
    let url = c.database();
    let cache = tempfile::tempdir().unwrap();
    let base = url.split('?').next().unwrap().to_string();
    let encrypted = |store: &Store| -> bool {
        store.len().unwrap();
        let mut admin = c.admin_on("postgres").unwrap();
        admin
            .query_one(
                "SELECT bool_or(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
                 WHERE a.application_name = 'benefits' AND a.datname = $1",
                &[&db_name(&url)],
            )
            .unwrap()
            .get::<_, Option<bool>>(0)
            .unwrap_or(false)
    };
    let root = root.display().to_string();
    for (query, tls) in [
        ("sslmode=disable".to_string(), false),
        ("sslmode=prefer".to_string(), true),
        ("sslmode=require".to_string(), true),
        (format!("sslmode=verify-ca&sslrootcert={root}"), true),
        (format!("sslmode=verify-full&sslrootcert={root}"), true),
    ] {
        let s = open(&format!("{base}?{query}"), cache.path())
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        assert_eq!(encrypted(&s), tls, "{query}");
        drop(s);
        // Wait until that connection is gone before the next one is looked at.
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Without the root the self-signed certificate is not trusted: refused, named.
    let e = open(&format!("{base}?sslmode=verify-full"), cache.path()).unwrap_err();
    let said = e.to_string();
    assert!(said.contains(&format!("127.0.0.1:{}", c.port)), "{said}");
    assert!(!said.contains(PASSWORD), "{said}");
}

/// Schema v2 on the server too: each write stamped with the store's clock, and a v1
/// ledger (no `recorded_at`) moved forward, its old entries keeping the date alone.
#[test]
fn writes_are_stamped_and_a_v1_ledger_migrates_forward_without_times() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let cache = tempfile::tempdir().unwrap();
    let stamp = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc();
    let s = open(&url, cache.path())
        .unwrap()
        .with_clock(Clock::Fixed(stamp("2026-12-01T14:05:09Z")));
    let mut p = portfolio();
    let old = redeem(&s, &mut p, 0).unwrap();
    assert_eq!(old.at, stamp("2026-12-01T14:05:09Z"));
    assert_eq!(s.history().unwrap(), vec![old.logged()]);
    drop(s);
    let mut admin = c.admin_on(db_name(&url)).unwrap();
    admin
        .batch_execute(
            "ALTER TABLE ledger DROP COLUMN recorded_at; UPDATE benefits_schema SET version = 1",
        )
        .unwrap();
    let s = open(&url, cache.path())
        .unwrap()
        .with_clock(Clock::Fixed(stamp("2026-12-02T08:00:00Z")));
    assert_eq!(s.schema_version().unwrap(), 2);
    let mut p = portfolio();
    let folded = s.fold(&mut p).unwrap();
    assert_eq!((folded.len(), folded[0].at), (1, None));
    let new = redeem(&s, &mut p, 1).unwrap();
    let ats: Vec<_> = s.history().unwrap().iter().map(|l| l.at).collect();
    assert_eq!(ats, [Some(stamp("2026-12-02T08:00:00Z")), None]);
    assert_eq!(new.seq, 2);
}
