//! Who gets in to `benefits serve`, and what else is refused: keys and guests, exec, sftp
//! and forwarding, bad flags and files, session and pre-authentication limits, idle and
//! login timeouts, authorized_keys edits while the server runs. Helpers are in
//! `common/ssh.rs`.

mod common;
use common::ssh::*;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn without_guest_a_visitor_without_a_key_is_turned_away() {
    let (dir, _key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut c = server.connect(None, 80, 24);
    // ssh gives up (no method left); the dashboard never shows.
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(st) = c.child.try_wait().unwrap() {
            break st;
        }
        assert!(
            Instant::now() < deadline,
            "ssh still running:\n{}",
            c.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(!status.success());
    // ssh's last words may still be on their way through the pty.
    c.wait_for("Permission denied");
    assert!(!c.text().contains("Microsoft 365 E3"));
    assert!(
        server
            .log()
            .contains("method=none ssh-user=ada result=rejected")
    );
    assert!(!server.log().contains("session-start"));
}

#[test]
fn exec_and_sftp_are_refused_and_nothing_runs() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let marker = dir.path().join("pwned");
    let cmd = format!("touch {}", marker.display());
    let st = server.run_ssh(&key, &[], &[&cmd]);
    assert!(!st.success());
    let st = server.run_ssh(&key, &["-s"], &["sftp"]);
    assert!(!st.success());
    // Forwarding, remote and direct (stdio): refused, ssh exits instead of forwarding.
    let st = server.run_ssh(
        &key,
        &[
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-R",
            "0:127.0.0.1:9",
        ],
        &[],
    );
    assert!(!st.success());
    let st = server.run_ssh(&key, &["-W", "127.0.0.1:9"], &[]);
    assert!(!st.success());
    assert!(!marker.exists());
    let log = server.log();
    assert!(log.contains("refused conn="), "{log}");
    assert!(log.contains("request=exec"), "{log}");
    assert!(log.contains("request=subsystem detail=sftp"), "{log}");
    assert!(log.contains("request=tcpip-forward"), "{log}");
    assert!(
        log.contains("request=direct-tcpip detail=127.0.0.1:9"),
        "{log}"
    );
    assert_eq!(history(dir.path())["entries"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_flags_and_files_exit_2_naming_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(bin())
            .args(["--config", CONFIG, "--lang", "en-US", "--data-dir"])
            .arg(dir.path())
            .arg("serve")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let missing = dir.path().join("nope");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--listen", "localhost"], "--listen localhost"),
        (
            vec!["--guest", "--idle-timeout", "5 days"],
            "--idle-timeout",
        ),
        (vec!["--guest", "--max-sessions", "0"], "--max-sessions"),
        (vec!["--guest", "--max-startups", "0"], "--max-startups"),
        (
            vec!["--authorized-keys", missing.to_str().unwrap()],
            missing.to_str().unwrap(),
        ),
        (vec![], "--guest"),
    ];
    for (args, needle) in cases {
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let bob = client_key(dir.path(), "id_bob", "bob@contoso.onmicrosoft.com");
    owner_only(&bob.with_extension("pub"));
    let out = run(&[
        "--authorized-keys",
        bob.with_extension("pub").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("id_bob.pub:1"), "{err}");
    assert!(err.contains(ADMIN), "{err}");
}

#[test]
fn max_sessions_turns_the_next_visitor_away_until_a_slot_frees() {
    let (dir, key, ak) = setup();
    let server = Server::start_one_session(dir.path(), &ak);
    let mut first = server.connect(Some(&key), 80, 24);
    first.wait_for("Microsoft 365 E3");
    let mut second = server.connect(Some(&key), 80, 24);
    second.wait_for("the server is full");
    assert!(!second.wait_exit());
    first.keys("q");
    assert!(first.wait_exit());
    server.wait_log("reason=quit");
    let third = server.connect(Some(&key), 80, 24);
    third.wait_for("Microsoft 365 E3");
}

/// Idle sockets to the server from one address: connected, never a word.
fn idle_sockets(port: u16, n: usize) -> Vec<std::net::TcpStream> {
    (0..n)
        .map(|_| {
            let s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.set_nonblocking(true).unwrap();
            s
        })
        .collect()
}

/// How many of `socks` the server has closed.
fn closed(socks: &[std::net::TcpStream]) -> usize {
    let mut buf = [0u8; 256];
    socks
        .iter()
        .filter(|s| {
            let mut r: &std::net::TcpStream = s;
            loop {
                match r.read(&mut buf) {
                    Ok(0) => break true,
                    Ok(_) => continue,
                    Err(e) => break e.kind() != std::io::ErrorKind::WouldBlock,
                }
            }
        })
        .count()
}

#[test]
fn a_flood_of_idle_connections_from_one_address_cannot_keep_an_admin_out() {
    let (dir, key, ak) = setup();
    // The default --max-startups (10), against 50 idle sockets held open, and 50 more
    // after each sign-in: the flood goes on while people sign in.
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut flood = idle_sockets(server.port, 50);
    // The slots are full and the rest turned away: the flood is in place.
    let deadline = Instant::now() + WAIT;
    while closed(&flood) < 40 {
        assert!(Instant::now() < deadline, "{}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    for _ in 0..3 {
        let mut c = server.connect(Some(&key), 80, 24);
        c.wait_for("Microsoft 365 E3");
        c.keys("q");
        assert!(c.wait_exit());
        flood.extend(idle_sockets(server.port, 50));
    }
    assert_eq!(server.log().matches("result=accepted").count(), 3);
    server.wait_log("dropped for a newer connection");
    // Each newcomer made room: all but the last ten idle ones were closed.
    let deadline = Instant::now() + WAIT;
    while closed(&flood) < flood.len() - 10 {
        assert!(Instant::now() < deadline, "idle sockets were left open");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_idle_session_ends_after_the_idle_timeout() {
    let (dir, key, ak) = setup();
    let server = Server::start(
        dir.path(),
        &[
            "--authorized-keys",
            ak.to_str().unwrap(),
            "--idle-timeout",
            "1s",
        ],
    );
    // Connections that never sign in are closed too: one that never says a word, one that
    // sends its version line and then nothing (it never finishes the key exchange).
    let mut silent = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut stalled = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stalled
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stalled.write_all(b"SSH-2.0-stalled\r\n").unwrap();
    let mut c = server.connect(Some(&key), 80, 24);
    c.wait_for("Microsoft 365 E3");
    let started = Instant::now();
    assert!(c.wait_exit(), "an idle session ends like a quit");
    assert!(started.elapsed() >= Duration::from_millis(500));
    server.wait_log("reason=idle");
    let mut rest = Vec::new();
    // The server's version line, then the end: closed, not timed out.
    silent.read_to_end(&mut rest).expect("closed by the server");
    assert!(rest.starts_with(b"SSH-2.0-"), "{rest:?}");
    server.wait_log("request=version");
    let mut rest = Vec::new();
    stalled
        .read_to_end(&mut rest)
        .expect("closed by the server");
    server.wait_log("request=key-exchange");
}

#[test]
fn an_admin_key_added_to_authorized_keys_works_without_a_restart() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let newcomer = client_key(dir.path(), "id_new", ADMIN);
    let st = server.run_ssh(&newcomer, &[], &["x"]);
    assert_eq!(st.code(), Some(255), "not authorized yet");
    assert!(server.log().contains("method=publickey"));

    // A broken line is left out and logged; every other line still holds.
    let mut text = std::fs::read_to_string(&ak).unwrap();
    std::fs::write(&ak, format!("{text}ssh-ed25519 garbage\n")).unwrap();
    let c = server.connect(Some(&key), 80, 24);
    c.wait_for("Microsoft 365 E3");
    drop(c);
    server.wait_log("authorized-keys-skipped");

    text.push_str(&std::fs::read_to_string(newcomer.with_extension("pub")).unwrap());
    std::fs::write(&ak, text).unwrap();
    let c = server.connect(Some(&newcomer), 80, 24);
    c.wait_for("Ada Admin");
}

/// A public key file's line with `options` in front.
fn with_options(options: &str, key: &Path) -> String {
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    format!("{options} {}\n", public.trim())
}

#[test]
fn removing_a_key_revokes_it_even_when_the_same_edit_breaks_another_line() {
    let (dir, key, ak) = setup();
    let other = client_key(dir.path(), "id_other", ADMIN);
    let both = std::fs::read_to_string(&ak).unwrap() + &with_options("", &other);
    std::fs::write(&ak, &both).unwrap();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    server.connect(Some(&key), 80, 24).wait_for("Ada Admin");
    // One edit: the first key's line goes, a line naming nobody of the catalog comes.
    let bob = client_key(dir.path(), "id_bob", "bob@contoso.onmicrosoft.com");
    let edit = with_options("", &other) + &with_options("", &bob);
    std::fs::write(&ak, edit).unwrap();
    let st = server.run_ssh(&key, &[], &["x"]);
    assert_eq!(st.code(), Some(255), "the removed key is revoked");
    server.wait_log("authorized-keys-skipped");
    assert!(
        server.log().contains("bob@contoso.onmicrosoft.com"),
        "{}",
        server.log()
    );
    // The line that stayed still holds.
    server.connect(Some(&other), 80, 24).wait_for("Ada Admin");
    let log = server.log();
    let accepted = log.matches("result=accepted").count();
    assert_eq!(accepted, 2, "{log}");
}

#[test]
fn from_and_expiry_time_in_authorized_keys_are_honoured_and_other_options_refuse_the_line() {
    let (dir, _key, ak) = setup();
    let elsewhere = client_key(dir.path(), "id_elsewhere", ADMIN);
    let expired = client_key(dir.path(), "id_expired", ADMIN);
    let local = client_key(dir.path(), "id_local", ADMIN);
    let until = client_key(dir.path(), "id_until", ADMIN);
    let text = std::fs::read_to_string(&ak).unwrap()
        + &with_options("from=\"192.0.2.1\"", &elsewhere)
        + &with_options("restrict,expiry-time=\"20200101\"", &expired)
        + &with_options("from=\"10.0.0.0/8,127.0.0.0/8,!127.0.0.2\"", &local)
        + &with_options("no-pty,expiry-time=\"29991231Z\"", &until);
    std::fs::write(&ak, &text).unwrap();
    // At start, an option that cannot be honoured stops the server, naming line and option.
    let forced = client_key(dir.path(), "id_forced", ADMIN);
    let bad = dir.path().join("ak_bad");
    std::fs::write(
        &bad,
        text.clone() + &with_options("command=\"/bin/sh\"", &forced),
    )
    .unwrap();
    owner_only(&bad);
    let out = Command::new(env!("CARGO_BIN_EXE_benefits"))
        .args(["--config", CONFIG, "--lang", "en-US", "--data-dir"])
        .arg(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--authorized-keys"])
        .arg(&bad)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ak_bad:6: command= cannot be honoured"),
        "{err}"
    );

    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    for (refused, why) in [
        (
            &elsewhere,
            "from=\\\"192.0.2.1\\\" does not admit 127.0.0.1",
        ),
        (&expired, "expiry-time passed"),
    ] {
        let st = server.run_ssh(refused, &[], &["x"]);
        assert_eq!(st.code(), Some(255), "{why}");
        server.wait_log(why);
    }
    server.connect(Some(&local), 80, 24).wait_for("Ada Admin");
    server.connect(Some(&until), 80, 24).wait_for("Ada Admin");
    // Added while running: the line is left out and logged, the key does not get in.
    std::fs::write(&ak, text + &with_options("command=\"/bin/sh\"", &forced)).unwrap();
    let st = server.run_ssh(&forced, &[], &["x"]);
    assert_eq!(st.code(), Some(255));
    server.wait_log("command= cannot be honoured");
    assert_eq!(
        server.log().matches("result=accepted").count(),
        2,
        "{}",
        server.log()
    );
}

#[test]
fn before_sign_in_only_modern_key_exchange_deferred_compression_and_a_versionless_banner() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let (_, said) = server.run_ssh_output(&key, &["-vvv", "-o", "Compression=yes"], &["x"]);
    // OpenSSH prints its own proposal first, then the server's.
    let theirs = said
        .split("peer server KEXINIT proposal")
        .nth(1)
        .unwrap_or_else(|| panic!("{said}"));
    let offered = |what: &str| {
        theirs
            .lines()
            .find_map(|l| l.split_once(&format!("debug2: {what}: ")).map(|(_, v)| v))
            .unwrap_or_else(|| panic!("no {what} in {theirs}"))
            .trim()
            .to_string()
    };
    assert_eq!(
        offered("KEX algorithms"),
        "mlkem768x25519-sha256,curve25519-sha256,ext-info-s,kex-strict-s-v00@openssh.com"
    );
    assert_eq!(offered("compression ctos"), "none,zlib@openssh.com");
    assert_eq!(offered("compression stoc"), "none,zlib@openssh.com");
    assert!(said.contains("will use strict KEX ordering"), "{said}");
    assert!(
        said.contains("Remote protocol version 2.0, remote software version benefits\r")
            || said.contains("Remote protocol version 2.0, remote software version benefits\n"),
        "{said}"
    );
    assert!(said.contains("compression: zlib@openssh.com"), "{said}");

    // A client that wants anything else does not get a key exchange at all.
    for kex in [
        "diffie-hellman-group16-sha512",
        "diffie-hellman-group18-sha512",
        "diffie-hellman-group-exchange-sha256",
        "ecdh-sha2-nistp256",
    ] {
        let (st, said) =
            server.run_ssh_output(&key, &["-v", "-o", &format!("KexAlgorithms={kex}")], &["x"]);
        assert_eq!(st.code(), Some(255), "{kex}: {said}");
        assert!(
            said.contains("no matching key exchange method found"),
            "{kex}: {said}"
        );
    }
    // Compressed after sign-in, the dashboard works.
    let c = server.connect_with(Some(&key), 80, 24, &["-C"]);
    c.wait_for("Microsoft 365 E3");
}
