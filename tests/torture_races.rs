//! Races through the real CLI: eight processes at a time (after a barrier) redeem the same
//! key against one data directory, key after key, with activations in between. Every key ends
//! redeemed exactly once, every loser hears `key-already-redeemed` (exit 3), no activation is
//! lost, the ledger and the derived state agree, and "database is locked" never reaches the
//! user. `BENEFITS_SOAK=1` makes it longer (more racers, keys and rounds).

mod common;

use benefits::domain::ProductKey;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Barrier;
use std::time::Instant;

/// What one racer saw: for each redemption attempt the key index, the output and when
/// its process ran; the machines whose activation reported success.
struct Racer {
    redeemed: Vec<(usize, std::process::Output, Instant, Instant)>,
    activated: Vec<String>,
}

/// One round: `racers` threads, each driving the binary one process at a time, all aiming
/// at the same key at the same moment: a barrier starts every step, and at step j every
/// racer redeems key j of the round. An activation follows every attempt.
fn race(config: &Path, data: &Path, round: usize, racers: usize, keys: usize) -> Vec<Racer> {
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
                    for j in 0..keys {
                        let i = round * keys + j;
                        barrier.wait();
                        let began = Instant::now();
                        let out = benefits(config, data)
                            .args(redeem_args(i))
                            .output()
                            .unwrap();
                        me.redeemed.push((i, out, began, Instant::now()));
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
fn eight_processes_racing_for_the_same_key_at_once_redeem_each_exactly_once() {
    let (racers, keys, rounds): (usize, usize, usize) =
        if soak() { (16, 24, 4) } else { (8, 8, 2) };
    let d = tempfile::tempdir().unwrap();
    let config = write_catalog(d.path(), keys * rounds, true);
    let data = d.path().join("data");
    let mut activated = BTreeSet::new();
    let mut overlapping = 0;
    for round in 0..rounds {
        let seen = race(&config, &data, round, racers, keys);
        let mut winners: BTreeMap<usize, usize> = BTreeMap::new();
        let mut runs: BTreeMap<usize, Vec<(Instant, Instant)>> = BTreeMap::new();
        for racer in &seen {
            for (i, out, began, ended) in &racer.redeemed {
                assert_no_panic_or_lock(out);
                runs.entry(*i).or_default().push((*began, *ended));
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
        // They raced: for a key, every racer's process was running at one same moment.
        for (i, r) in &runs {
            assert_eq!(r.len(), racers, "every racer went for key {i}");
            let latest_start = r.iter().map(|(b, _)| *b).max().unwrap();
            let earliest_end = r.iter().map(|(_, e)| *e).min().unwrap();
            overlapping += usize::from(latest_start < earliest_end);
        }
        assert_eq!(integrity(&data), "ok");
    }
    // Process start-up dwarfs the barrier's spread, so nearly every key sees all racers at
    // once; a machine too busy to manage that for most keys would not test a race.
    assert!(
        overlapping * 4 >= keys * rounds * 3,
        "all {racers} racers overlapped on only {overlapping} of {} keys",
        keys * rounds
    );
    eprintln!(
        "{racers} racers, {} keys, all overlapping on {overlapping}",
        keys * rounds
    );
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
