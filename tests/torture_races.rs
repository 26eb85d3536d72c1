//! Races through the real CLI: at least eight processes at a time redeem overlapping sets of
//! keys (and record activations in between) against one data directory. Every key ends
//! redeemed exactly once, every loser hears `key-already-redeemed` (exit 3), no activation is
//! lost, the ledger and the derived state agree, and "database is locked" never reaches the
//! user. `BENEFITS_SOAK=1` makes it longer (more racers, keys and rounds).

mod common;

use benefits::domain::ProductKey;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Barrier;

/// What one racer saw: for each redemption attempt the key index and the output; the
/// machines whose activation reported success.
struct Racer {
    redeemed: Vec<(usize, std::process::Output)>,
    activated: Vec<String>,
}

/// One round: `racers` threads, each driving the binary one process at a time through its
/// window of `window` keys (racer r starts at key r·stride), so every key is wanted by
/// several racers at once, with an activation after every redemption attempt.
fn race(
    config: &Path,
    data: &Path,
    round: usize,
    racers: usize,
    keys: usize,
    window: usize,
) -> Vec<Racer> {
    let stride = keys.div_ceil(racers);
    let barrier = Barrier::new(racers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..racers)
            .map(|r| {
                let barrier = &barrier;
                scope.spawn(move || {
                    let mut me = Racer {
                        redeemed: Vec::new(),
                        activated: Vec::new(),
                    };
                    barrier.wait();
                    for j in 0..window {
                        let i = round * keys + (r * stride + j) % keys;
                        let out = benefits(config, data)
                            .args(redeem_args(i))
                            .output()
                            .unwrap();
                        me.redeemed.push((i, out));
                        let machine = format!("m-{round}-{r}-{j}");
                        let out = benefits(config, data)
                            .args(activate_args(&machine))
                            .output()
                            .unwrap();
                        assert_no_panic_or_lock(&out);
                        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
                        me.activated.push(machine);
                    }
                    me
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn eight_processes_racing_over_overlapping_keys_redeem_each_exactly_once() {
    let (racers, keys, window, rounds): (usize, usize, usize, usize) = if soak() {
        (16, 48, 12, 4)
    } else {
        (8, 24, 8, 2)
    };
    assert!(window > keys.div_ceil(racers), "windows must overlap");
    let d = tempfile::tempdir().unwrap();
    let config = write_catalog(d.path(), keys * rounds, true);
    let data = d.path().join("data");
    let mut activated = BTreeSet::new();
    for round in 0..rounds {
        let seen = race(&config, &data, round, racers, keys, window);
        let mut winners: BTreeMap<usize, usize> = BTreeMap::new();
        for racer in &seen {
            for (i, out) in &racer.redeemed {
                assert_no_panic_or_lock(out);
                match out.status.code() {
                    Some(0) => {
                        let v = json(out);
                        assert_eq!(v["after"]["total_licenses"], 5, "{v}");
                        *winners.entry(*i).or_default() += 1;
                    }
                    Some(3) => {
                        assert_eq!(
                            json(out)["error"]["code"],
                            "key-already-redeemed",
                            "{}",
                            text(out)
                        );
                    }
                    other => panic!("exit {other:?}: {}", text(out)),
                }
            }
            activated.extend(racer.activated.iter().cloned());
        }
        let wanted: BTreeSet<usize> = (round * keys..(round + 1) * keys).collect();
        assert_eq!(
            winners.keys().copied().collect::<BTreeSet<_>>(),
            wanted,
            "every key of round {round} redeemed"
        );
        assert!(
            winners.values().all(|&n| n == 1),
            "a key redeemed twice: {winners:?}"
        );
        assert_eq!(integrity(&data), "ok");
    }
    check_ledger_and_state(&config, &data, keys * rounds, &activated);
}

/// The ledger holds each key's redemption once and every activation that reported success,
/// and the derived state (`list --json`) says the same.
fn check_ledger_and_state(config: &Path, data: &Path, keys: usize, activated: &BTreeSet<String>) {
    let entries = history(config, data);
    let mut fingerprints = BTreeMap::new();
    let mut machines = BTreeSet::new();
    for e in &entries {
        match e["op"].as_str() {
            Some("redemption") => {
                *fingerprints
                    .entry(e["key_fingerprint"].as_str().unwrap().to_string())
                    .or_insert(0) += 1
            }
            Some("activation") => {
                assert!(machines.insert(e["machine"].as_str().unwrap().to_string()));
            }
            other => panic!("unexpected entry {other:?}: {e}"),
        }
    }
    let want: BTreeMap<String, i32> = (0..keys)
        .map(|i| (ProductKey::parse(&cloud_key(i)).unwrap().fingerprint(), 1))
        .collect();
    assert_eq!(fingerprints, want, "one redemption per key, no other");
    assert_eq!(&machines, activated, "every reported activation, no other");

    let out = benefits(config, data)
        .args(["--json", "list", "cloud"])
        .output()
        .unwrap();
    let cloud = json(&out);
    let m365 = &cloud.as_array().unwrap()[0];
    assert_eq!(m365["id"], "m365e3");
    let keys_state = m365["keys"].as_array().unwrap_or_else(|| panic!("{m365}"));
    assert_eq!(keys_state.len(), keys);
    assert!(keys_state.iter().all(|k| k["redeemed"] == true), "{m365}");
    let subs = m365["subscriptions"]
        .as_array()
        .unwrap_or_else(|| panic!("{m365}"));
    assert_eq!(
        subs.iter().filter(|s| s["tenant"] == "lab").count(),
        keys,
        "one new subscription per redemption"
    );

    let out = benefits(config, data)
        .args(["--json", "list", "software"])
        .output()
        .unwrap();
    let software = json(&out);
    assert_eq!(
        software[0]["keys"][0]["activations_used"].as_u64(),
        Some(activated.len() as u64),
        "{software}"
    );
}
