//! Faults under the real binary: a read-only data directory, a full disk, a ledger from a
//! newer schema, corrupt ledgers. Each is a clear error (naming the file and what to do) with
//! exit 1, never a panic, never a silently emptied or rewritten ledger.
//!
//! Tests run as root here and in CI, and root ignores permission bits, so read-only and full
//! are real file systems: a read-only bind mount and a tiny tmpfs, each inside a private
//! mount namespace (`unshare -m`) that disappears with the process, so no mount is ever left
//! behind. Where namespaces are not allowed the test says so and skips (under `CI=true` it
//! fails instead); the same error path is covered at the unit level by `store::tests::io_failures_are_told_apart_as_full_or_read_only_by_the_os_error`.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Run `script` with `sh` in a private mount namespace; `None` (with the reason printed) when
/// this machine does not allow one. Under `CI=true` that is a failure, never a skip: CI runs
/// as root where `unshare -m` works, so a skip there would hide a lost guarantee.
fn in_namespace(script: &str) -> Option<std::process::Output> {
    let probe = Command::new("unshare")
        .args(["-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"])
        .output();
    let why = match probe {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!(
            "no private mount namespace here (unshare -m: {})",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Some(format!("unshare is not available ({e})")),
    };
    if let Some(why) = why {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true and {why}: this test must run in CI (as root, with unshare -m)"
        );
        eprintln!(
            "SKIPPED: {why}; the unit test store::tests::io_failures_are_told_apart_as_full_or_read_only_by_the_os_error covers the error path"
        );
        return None;
    }
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", script])
        .output()
        .unwrap();
    Some(out)
}

fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

/// A shell function `B` running the binary with this catalog and data directory.
fn shell_benefits(config: &Path, data: &Path) -> String {
    format!(
        "B() {{ LANG=en_US.UTF-8 {} --today {TODAY} --config {} --data-dir {} --json \"$@\"; }}\n",
        env!("CARGO_BIN_EXE_benefits"),
        quote(config),
        quote(data)
    )
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ledger_bytes(data: &Path) -> Vec<u8> {
    std::fs::read(data.join("ledger.db")).unwrap()
}

fn redeem_ok(config: &Path, data: &Path, i: usize) {
    let out = benefits(config, data)
        .args(redeem_args(i))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn read_only_data_directory_is_a_clear_error_and_the_ledger_stays_whole() {
    let d = tempfile::tempdir().unwrap();
    let config = write_catalog(d.path(), 4, true);
    let data = d.path().join("data");
    redeem_ok(&config, &data, 0);
    let before = ledger_bytes(&data);
    let out_dir = d.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let parent = d.path().join("parent");
    std::fs::create_dir(&parent).unwrap();
    let o = |name: &str| quote(&out_dir.join(name));
    let redeem = format!("B {}", redeem_args(1)[1..].join(" "));
    let newdir = format!(
        "mount --bind {p} {p} && mount -o remount,bind,ro {p} && \
         LANG=en_US.UTF-8 {bin} --today {TODAY} --config {c} --data-dir {p}/fresh --json history > {n} 2>&1; echo $? > {n}.rc",
        p = quote(&parent),
        bin = env!("CARGO_BIN_EXE_benefits"),
        c = quote(&config),
        n = o("newdir"),
    );
    let script = format!(
        "set -u\n{b}\
         mount --bind {data} {data} && mount -o remount,bind,ro {data} || exit 97\n\
         if touch {data}/probe 2>/dev/null; then exit 98; fi\n\
         B history > {h} 2>&1; echo $? > {h}.rc\n\
         B list cloud > {l} 2>&1; echo $? > {l}.rc\n\
         {redeem} > {r} 2>&1; echo $? > {r}.rc\n\
         B activate --key {SOFTWARE_KEY} --machine m1 --change new > {a} 2>&1; echo $? > {a}.rc\n\
         {newdir}\n\
         umount {data}\n",
        b = shell_benefits(&config, &data),
        data = quote(&data),
        h = o("history"),
        l = o("list"),
        r = o("redeem"),
        a = o("activate"),
    );
    let Some(out) = in_namespace(&script) else {
        return;
    };
    assert!(out.status.success(), "{}", text(&out));
    for name in ["history", "list", "redeem", "activate"] {
        let rc = read(&out_dir.join(format!("{name}.rc")));
        let said = read(&out_dir.join(name));
        assert_eq!(rc.trim(), "1", "{name}: {said}");
        let v: serde_json::Value = serde_json::from_str(&said).unwrap();
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(
            msg.contains(&format!(
                "{} is read-only",
                data.join("ledger.db").display()
            )) && msg.contains("writable"),
            "{name}: {msg}"
        );
        assert!(!said.contains("panicked"), "{said}");
    }
    let said = read(&out_dir.join("newdir"));
    assert_eq!(read(&out_dir.join("newdir.rc")).trim(), "1", "{said}");
    assert!(
        said.contains("cannot create the data directory") && said.contains("Read-only"),
        "{said}"
    );
    assert!(!parent.join("fresh").exists());
    // Nothing lost, nothing changed; once writable again everything works.
    assert_eq!(ledger_bytes(&data), before, "the ledger was changed");
    assert_eq!(history(&config, &data).len(), 1);
    redeem_ok(&config, &data, 1);
    assert_eq!(history(&config, &data).len(), 2);
}

#[test]
fn full_disk_at_any_point_is_a_clear_error_and_loses_nothing_reported() {
    let d = tempfile::tempdir().unwrap();
    let keys = 14;
    let config = write_catalog(d.path(), keys, true);
    let mnt = d.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let data = mnt.join("data");
    let out_dir = d.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    // Key 0 on a roomy disk; then, for each key, fill the disk up to `slack` KiB and try.
    let slacks = [0, 0, 4, 8, 12, 16, 20, 24, 32, 40, 48, 64, 96, 160];
    let mut script = format!(
        "set -u\n{b}mount -t tmpfs -o size=768k tmpfs {m} || exit 97\n\
         B {r0} > {o}/r0 2>&1; echo $? > {o}/r0.rc\n",
        b = shell_benefits(&config, &data),
        m = quote(&mnt),
        o = quote(&out_dir),
        r0 = redeem_args(0)[1..].join(" "),
    );
    for (i, slack) in slacks.iter().enumerate().skip(1) {
        script.push_str(&format!(
            "rm -f {m}/fill; avail=$(df -k --output=avail {m} | tail -1)\n\
             n=$((avail - {slack})); [ $n -gt 0 ] && dd if=/dev/zero of={m}/fill bs=1k count=$n 2>/dev/null\n\
             B {r} > {o}/r{i} 2>&1; echo $? > {o}/r{i}.rc\n",
            m = quote(&mnt),
            o = quote(&out_dir),
            r = redeem_args(i)[1..].join(" "),
        ));
    }
    // Room again: what does the ledger hold, and may every failed key now be redeemed?
    script.push_str(&format!(
        "rm -f {m}/fill\nB history > {o}/history 2>&1; echo $? > {o}/history.rc\n\
         for i in $(seq 1 {last}); do\n\
           if [ \"$(cat {o}/r$i.rc)\" != 0 ]; then\n\
             B redeem --key $(sed -n \"$((i+1))p\" {o}/keys) --tenant lab --subscription new --mode activate --yes > {o}/retry$i 2>&1; echo $? > {o}/retry$i.rc\n\
           fi\n\
         done\n\
         cp {m}/data/ledger.db {o}/ledger.db\numount {m}\n",
        m = quote(&mnt),
        o = quote(&out_dir),
        last = slacks.len() - 1,
    ));
    let key_list: Vec<String> = (0..slacks.len()).map(cloud_key).collect();
    std::fs::write(out_dir.join("keys"), key_list.join("\n") + "\n").unwrap();
    let Some(out) = in_namespace(&script) else {
        return;
    };
    assert!(out.status.success(), "{}", text(&out));
    let mut ok = Vec::new();
    let mut full = Vec::new();
    for (i, slack) in slacks.iter().enumerate() {
        let said = read(&out_dir.join(format!("r{i}")));
        assert!(!said.contains("panicked"), "{said}");
        match read(&out_dir.join(format!("r{i}.rc"))).trim() {
            "0" => ok.push(i),
            "1" => {
                let v: serde_json::Value = serde_json::from_str(&said).unwrap();
                let msg = v["error"]["message"].as_str().unwrap();
                assert!(
                    msg.contains(&format!(
                        "the disk holding {} is full",
                        data.join("ledger.db").display()
                    )) && msg.contains("nothing was written"),
                    "key {i} with {slack} KiB free: {msg}"
                );
                full.push(i);
            }
            other => panic!("key {i}: exit {other}: {said}"),
        }
    }
    assert!(ok.contains(&0));
    assert!(full.len() >= 3, "the disk was never full: {ok:?}");
    eprintln!("succeeded {ok:?}, disk full {full:?}");
    // The ledger holds exactly what reported success; failed keys were not half-claimed.
    let h: serde_json::Value =
        serde_json::from_str(&read(&out_dir.join("history"))).expect("history with room");
    let fingerprints: Vec<String> = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key_fingerprint"].as_str().unwrap().to_string())
        .collect();
    let want = |i: &usize| {
        benefits::domain::ProductKey::parse(&cloud_key(*i))
            .unwrap()
            .fingerprint()
    };
    assert_eq!(fingerprints.len(), ok.len(), "{h}");
    for i in &ok {
        assert!(fingerprints.contains(&want(i)), "key {i} lost");
    }
    for i in &full {
        let retry = read(&out_dir.join(format!("retry{i}")));
        assert_eq!(
            read(&out_dir.join(format!("retry{i}.rc"))).trim(),
            "0",
            "key {i}: {retry}"
        );
    }
    let copy: PathBuf = out_dir.join("ledger.db");
    let c = rusqlite::Connection::open(&copy).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let n: i64 = c
        .query_row("SELECT COUNT(*) FROM ledger", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n as usize, slacks.len(), "every key once, in the end");
}

/// Every command that touches the ledger, with the exit code and the words it must give.
fn refuses_untouched(config: &Path, data: &Path, words: &[&str]) {
    let before = ledger_bytes(data);
    let commands: Vec<Vec<String>> = vec![
        vec!["--json".into(), "history".into()],
        vec!["history".into()],
        vec!["--json".into(), "list".into(), "cloud".into()],
        vec!["show".into(), "m365e3".into()],
        redeem_args(3),
        activate_args("m9"),
    ];
    for args in commands {
        let out = benefits(config, data).args(&args).output().unwrap();
        assert_no_panic_or_lock(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        let said = text(&out);
        for w in words {
            assert!(said.contains(w), "{args:?}: {said}");
        }
        assert!(said.contains(&data.join("ledger.db").display().to_string()));
        assert_eq!(ledger_bytes(data), before, "{args:?} changed the ledger");
    }
}

#[test]
fn a_ledger_from_a_newer_schema_is_refused_untouched_by_every_command() {
    let d = tempfile::tempdir().unwrap();
    let config = write_catalog(d.path(), 4, true);
    let data = d.path().join("data");
    redeem_ok(&config, &data, 0);
    {
        let c = rusqlite::Connection::open(data.join("ledger.db")).unwrap();
        c.pragma_update(None, "user_version", 7).unwrap();
    }
    refuses_untouched(&config, &data, &["newer", "schema version 7", "upgrade"]);
    // Nothing was lost: back at the known version the entry is there.
    {
        let c = rusqlite::Connection::open(data.join("ledger.db")).unwrap();
        c.pragma_update(None, "user_version", benefits::store::SCHEMA_VERSION)
            .unwrap();
    }
    assert_eq!(history(&config, &data).len(), 1);
}

#[test]
fn corrupt_ledgers_are_refused_untouched_by_every_command() {
    let d = tempfile::tempdir().unwrap();
    let config = write_catalog(d.path(), 40, true);
    // A file of garbage, one of zeros after the header, a damaged page, a truncated file.
    let good = d.path().join("good");
    for i in 0..30 {
        redeem_ok(&config, &good, i);
    }
    let good_bytes = ledger_bytes(&good);
    assert!(good_bytes.len() >= 4 * 4096, "a ledger of several pages");
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "garbage",
            (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect(),
        ),
        (
            "truncated",
            good_bytes[..good_bytes.len() / 2 + 100].to_vec(),
        ),
    ];
    let mut damaged = good_bytes.clone();
    for b in &mut damaged[2 * 4096 + 8..2 * 4096 + 600] {
        *b = 0xA5;
    }
    cases.push(("damaged page", damaged));
    let mut header = good_bytes.clone();
    for b in &mut header[16..100] {
        *b = 0xFF;
    }
    cases.push(("damaged header", header));
    for (name, bytes) in cases {
        let data = d.path().join(name.replace(' ', "-"));
        std::fs::create_dir(&data).unwrap();
        std::fs::write(data.join("ledger.db"), &bytes).unwrap();
        eprintln!("{name}");
        refuses_untouched(
            &config,
            &data,
            &["is not a readable benefits ledger", "backup"],
        );
    }
}

/// Output to a reader that went away (`benefits list | head -0`) ends quietly with exit 0,
/// and output to a full device is a failure (exit 1) that says so: never the panic a
/// `println!` gives when its write fails.
#[test]
fn a_closed_pipe_or_a_full_device_on_standard_output_is_never_a_panic() {
    let d = tempfile::tempdir().unwrap();
    let config = write_catalog(d.path(), 40, true);
    let data = d.path().join("data");
    redeem_ok(&config, &data, 0);
    let commands: Vec<Vec<&str>> = vec![
        vec!["list", "cloud"],
        vec!["--json", "list", "cloud"],
        vec!["list", "software"],
        vec!["show", "m365e3"],
        vec!["--json", "show", "m365e3"],
        vec!["history"],
        vec!["--json", "history"],
        vec!["preview", "--key", "T0001-QWERT-YUIOP-ASDFG-HJKL1"],
        calc_extend_args("2027-03-31").to_vec(),
    ];
    let full = Path::new("/dev/full").exists();
    for args in &commands {
        let mut child = benefits(&config, &data)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before anything is written
        let out = child.wait_with_output().unwrap();
        assert_no_panic_or_lock(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        if full {
            let out = benefits(&config, &data)
                .args(args)
                .stdout(
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open("/dev/full")
                        .unwrap(),
                )
                .output()
                .unwrap();
            assert_no_panic_or_lock(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
            // With --json the error belongs on standard output too, which is full.
            if args[0] != "--json" {
                assert!(
                    text(&out).contains("cannot write the output"),
                    "{args:?}: {}",
                    text(&out)
                );
            }
        }
    }
}
