//! The real binary on a shared PostgreSQL ledger (a throwaway cluster, `common::pg`):
//! processes with data directories of their own stand in for machines. They race over
//! overlapping keys, get killed at random points, lose the server mid-session, and copy a
//! SQLite ledger in; the password (given through `PGPASSWORD` or a password file) never
//! shows in anything they print.

mod common;

use common::pg::{Cluster, PASSWORD, db_name};
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Barrier;
use std::time::{Duration, Instant};

const KEYS: usize = 24;

/// The binary on `url`'s ledger with this machine's `data` directory; the password in the
/// environment, as a user would set it.
fn on(url: &str, config: &Path, data: &Path) -> Command {
    let mut c = benefits(config, data);
    c.env("PGPASSWORD", PASSWORD)
        .env_remove("PGPASSFILE")
        .args(["--store", url]);
    c
}

#[track_caller]
fn no_password(out: &Output) {
    let t = text(out);
    assert!(!t.contains(PASSWORD), "the password was shown: {t}");
}

/// `history --json` through `cmd`, as printed (exit 0, no mismatch).
fn history_json(mut cmd: Command) -> serde_json::Value {
    let out = cmd.args(["--json", "history"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    no_password(&out);
    let v = json(&out);
    assert_eq!(v["mismatches"].as_array().map(Vec::len), Some(0), "{v}");
    v
}

#[test]
fn eight_machines_racing_over_overlapping_keys_redeem_each_exactly_once() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let dir = tempfile::tempdir().unwrap();
    let config = write_catalog(dir.path(), KEYS, true);
    // Half the machines find the password in a password file instead of PGPASSWORD.
    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!("127.0.0.1:{}:*:{}:{PASSWORD}\n", c.port, common::pg::USER),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let machines: Vec<_> = (0..8)
        .map(|m| dir.path().join(format!("machine-{m}")))
        .collect();
    let barrier = Barrier::new(8);
    let outcomes: Vec<Vec<(usize, Output)>> = std::thread::scope(|s| {
        let handles: Vec<_> = machines
            .iter()
            .enumerate()
            .map(|(m, data)| {
                let (url, config, pgpass, barrier) = (&url, &config, &pgpass, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    // Each machine tries 12 of the 24 keys, starting at its own offset.
                    (0..12)
                        .map(|j| {
                            let i = (m * 3 + j) % KEYS;
                            let mut cmd = on(url, config, data);
                            if m % 2 == 1 {
                                cmd.env_remove("PGPASSWORD").env("PGPASSFILE", pgpass);
                            }
                            (i, cmd.args(redeem_args(i)).output().unwrap())
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut wins: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, out) in outcomes.iter().flatten() {
        no_password(out);
        assert_no_panic_or_lock(out);
        match out.status.code() {
            Some(0) => *wins.entry(*i).or_default() += 1,
            Some(3) => assert_eq!(
                json(out)["error"]["code"],
                "key-already-redeemed",
                "{}",
                text(out)
            ),
            other => panic!("key {i}: exit {other:?}: {}", text(out)),
        }
    }
    assert_eq!(wins.len(), KEYS, "every key redeemed: {wins:?}");
    assert!(
        wins.values().all(|&n| n == 1),
        "each exactly once: {wins:?}"
    );
    let first = history_json(on(&url, &config, &machines[0]));
    assert_eq!(first["entries"].as_array().unwrap().len(), KEYS);
    for data in &machines[1..] {
        assert_eq!(history_json(on(&url, &config, data)), first);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Redeem(usize),
    Activate(String),
}

/// The ledger as operations, and whether the unique-key table agrees with it entry by entry.
fn ledger_ops(c: &Cluster, url: &str, config: &Path, data: &Path) -> Vec<Op> {
    let fingerprints: BTreeMap<String, usize> = (0..KEYS * 4)
        .map(|i| {
            (
                benefits::domain::ProductKey::parse(&cloud_key(i))
                    .unwrap()
                    .fingerprint(),
                i,
            )
        })
        .collect();
    let mut entries = history_json(on(url, config, data))["entries"]
        .as_array()
        .unwrap()
        .clone();
    entries.reverse();
    let ops: Vec<Op> = entries
        .iter()
        .map(|e| match e["op"].as_str() {
            Some("redemption") => Op::Redeem(fingerprints[e["key_fingerprint"].as_str().unwrap()]),
            Some("activation") => Op::Activate(e["machine"].as_str().unwrap().into()),
            _ => panic!("unexpected entry {e}"),
        })
        .collect();
    let mut admin = c.admin_on(db_name(url)).unwrap();
    let orphans: i64 = admin
        .query_one(
            "SELECT COUNT(*) FROM redeemed_keys k LEFT JOIN ledger l ON l.seq = k.seq \
             WHERE l.seq IS NULL OR l.op <> 'redemption'",
            &[],
        )
        .unwrap()
        .get(0);
    let claimed: i64 = admin
        .query_one("SELECT COUNT(*) FROM redeemed_keys", &[])
        .unwrap()
        .get(0);
    let redemptions = ops.iter().filter(|o| matches!(o, Op::Redeem(_))).count();
    assert_eq!(
        (orphans, claimed as usize),
        (0, redemptions),
        "keys table and ledger agree"
    );
    ops
}

#[test]
fn sigkill_of_clients_at_random_points_loses_no_reported_success_and_leaves_nothing_partial() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let dir = tempfile::tempdir().unwrap();
    let config = write_catalog(dir.path(), KEYS * 4, true);
    let ops_per_machine = if soak() { 200 } else { 24 };
    // Three machines at once, so kills land while others hold the write lock too.
    let results: Vec<(BTreeSet<Op>, BTreeSet<Op>, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|m| {
                let (url, config) = (&url, &config);
                let data = dir.path().join(format!("machine-{m}"));
                s.spawn(move || {
                    let mut rng = Rng::new(0x5eed + m as u64);
                    let (mut reported, mut started, mut kills) =
                        (BTreeSet::new(), BTreeSet::new(), 0);
                    for n in 0..ops_per_machine {
                        let op = if n % 3 == 2 {
                            Op::Activate(format!("m{m}-{n}"))
                        } else {
                            Op::Redeem(m * KEYS + n)
                        };
                        let args = match &op {
                            Op::Redeem(i) => redeem_args(*i),
                            Op::Activate(name) => activate_args(name),
                        };
                        started.insert(op.clone());
                        let mut child = on(url, config, &data)
                            .args(args)
                            .stdout(Stdio::piped())
                            .stderr(Stdio::piped())
                            .spawn()
                            .unwrap();
                        let kill = rng
                            .chance(60)
                            .then(|| Duration::from_millis(rng.below(120)));
                        if let Some(after) = kill {
                            std::thread::sleep(after);
                            let _ = child.kill();
                        }
                        let out = child.wait_with_output().unwrap();
                        no_password(&out);
                        use std::os::unix::process::ExitStatusExt;
                        if out.status.signal() == Some(libc::SIGKILL) {
                            kills += 1;
                        } else {
                            assert_eq!(out.status.code(), Some(0), "{op:?}: {}", text(&out));
                            reported.insert(op);
                        }
                    }
                    (reported, started, kills)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let reported: BTreeSet<Op> = results.iter().flat_map(|r| r.0.clone()).collect();
    let started: BTreeSet<Op> = results.iter().flat_map(|r| r.1.clone()).collect();
    let kills: usize = results.iter().map(|r| r.2).sum();
    assert!(kills > 5, "the kills must land: {kills}");
    let ledger = ledger_ops(c, &url, &config, &dir.path().join("machine-0"));
    let held: BTreeSet<Op> = ledger.iter().cloned().collect();
    assert_eq!(held.len(), ledger.len(), "no operation twice: {ledger:?}");
    for op in &reported {
        assert!(held.contains(op), "reported but lost: {op:?}");
    }
    for op in &held {
        assert!(started.contains(op), "never started: {op:?}");
    }
}

#[test]
fn a_server_stopped_mid_session_is_exit_1_naming_it_and_everything_is_there_after_restart() {
    let Some(c) = Cluster::start() else { return };
    let url = c.database();
    let dir = tempfile::tempdir().unwrap();
    let config = write_catalog(dir.path(), KEYS, true);
    let data = dir.path().join("machine");
    for i in 0..3 {
        let out = on(&url, &config, &data)
            .args(redeem_args(i))
            .output()
            .unwrap();
        assert_success(&out);
    }
    let before = history_json(on(&url, &config, &data));
    // A session that holds a connection when the server goes (the library's, as the
    // dashboard's runtime holds one): it fails naming the server, then reconnects.
    let location = benefits::store::Location::resolve(
        Some(&url.replacen('@', &format!(":{PASSWORD}@"), 1)),
        &data,
    )
    .unwrap();
    let store = benefits::store::Store::connect(&location).unwrap();
    c.stop();
    let server = format!("127.0.0.1:{}", c.port);
    for args in [
        redeem_args(3),
        vec!["--json".into(), "history".into()],
        vec!["list".into(), "cloud".into()],
    ] {
        let out = on(&url, &config, &data).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        no_password(&out);
        assert!(
            text(&out).contains(&server),
            "names the server: {}",
            text(&out)
        );
        assert_no_panic_or_lock(&out);
    }
    let e = store.last_seq().unwrap_err();
    assert!(
        e.to_string().contains(&server) && !e.to_string().contains(PASSWORD),
        "{e}"
    );
    c.run();
    assert_eq!(store.last_seq().unwrap(), 3, "the same store reconnects");
    assert_eq!(
        history_json(on(&url, &config, &data)),
        before,
        "everything still there"
    );
    let out = on(&url, &config, &data)
        .args(redeem_args(3))
        .output()
        .unwrap();
    assert_success(&out);
}

#[test]
fn store_copy_moves_thousands_of_entries_verified_and_refuses_a_non_empty_target() {
    let Some(c) = Cluster::shared() else { return };
    let url = c.database();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("big.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_benefits"))
        .args([
            "--today",
            TODAY,
            "generate-catalog",
            "--rows",
            "1500",
            "--seed",
            "3",
        ])
        .output()
        .unwrap();
    assert_success(&out);
    std::fs::write(&config, &out.stdout).unwrap();
    let sqlite = dir.path().join("laptop");
    let out = benefits(&config, &sqlite)
        .args(["--now", "2026-11-23T09:30:00Z"])
        .args(["--json", "generate-ledger", "--entries", "3000"])
        .output()
        .unwrap();
    assert_success(&out);
    let written = json(&out)["written"].as_u64().unwrap();
    assert!(written >= 2000, "thousands of entries: {written}");

    let started = Instant::now();
    let out = benefits(&config, &sqlite)
        .env("PGPASSWORD", PASSWORD)
        .args(["--json", "store", "copy", "--to", &url])
        .output()
        .unwrap();
    assert_success(&out);
    no_password(&out);
    let copied = json(&out);
    assert_eq!(copied["copied"].as_u64(), Some(written), "{copied}");
    assert_eq!(copied["verified"], true);
    eprintln!("store copy of {written} entries: {:?}", started.elapsed());

    let from_sqlite = history_json(benefits(&config, &sqlite));
    // When each entry was written travels with it.
    let entries = from_sqlite["entries"].as_array().unwrap();
    assert!(
        entries
            .iter()
            .all(|e| e["recorded_at"] == "2026-11-23T09:30:00Z"),
        "{}",
        entries[0]
    );
    let elsewhere = dir.path().join("other-machine");
    assert_eq!(history_json(on(&url, &config, &elsewhere)), from_sqlite);

    // A second copy finds the target holding a ledger: refused, nothing added.
    let out = benefits(&config, &sqlite)
        .env("PGPASSWORD", PASSWORD)
        .args(["--json", "store", "copy", "--to", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(json(&out)["error"]["code"], "target-not-empty");
    assert_eq!(history_json(on(&url, &config, &elsewhere)), from_sqlite);
}
