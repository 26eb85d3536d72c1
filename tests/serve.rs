//! `benefits serve` sessions end to end: the dashboard over the system OpenSSH client,
//! redemptions, races between sessions, resizes, colours and languages per client, and
//! stopping the server. Helpers (server, client, screen) are in `common/ssh.rs`.

mod common;
use common::ssh::*;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn an_admin_redeems_over_ssh_and_the_ledger_and_log_agree() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut c = server.connect(Some(&key), 120, 40);
    c.wait_for("Ada Admin");
    // A keystroke's round trip: the key to the server, the History page back on screen.
    c.send(b"3");
    let round_trip = c.wait_for("Operation");
    eprintln!("keystroke round trip (key to redrawn page): {round_trip:?}");
    assert!(round_trip < Duration::from_secs(2), "{round_trip:?}");
    c.keys("1");
    c.redeem_up_to_review(KEY);
    c.keys("\r"); // Redeem
    c.wait_for("Redeemed");
    assert!(c.text().contains("Jun 30, 2027"), "{}", c.text());
    c.keys("\r");
    c.keys("3");
    c.wait_for("Product key redeemed");
    c.keys("q");
    assert!(
        c.wait_exit(),
        "quitting the dashboard ends the ssh session cleanly"
    );

    let v = history(dir.path());
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["mode"], "extend");
    assert_eq!(entries[0]["key_masked"], "*****-*****-*****-*****-AAA25");

    server.wait_log("session-end");
    let log = server.log();
    assert!(log.contains("result=accepted key=SHA256:"), "{log}");
    assert!(
        log.contains(&format!("as={ADMIN} role=global-admin")),
        "{log}"
    );
    assert!(log.contains("operation "), "{log}");
    assert!(log.contains("key=*****-*****-*****-*****-AAA25"), "{log}");
    assert!(!log.contains(KEY), "never a whole key in the log:\n{log}");
    assert!(log.contains("reason=quit"), "{log}");
}

#[test]
fn a_guest_browses_with_keys_masked_and_is_refused_redemption() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--guest"]);
    let dutch = server.connect_with(None, 120, 40, &["-o", "SetEnv=LANG=nl_NL.UTF-8"]);
    dutch.wait_for("Gast (Gast");
    drop(dutch);
    let mut c = server.connect(None, 120, 40);
    c.wait_for("Guest (Guest");
    c.keys("\r"); // expand the first benefit's details
    c.wait_for("Product key:");
    c.wait_for("*****-*****-*****-*****-AAA25");
    assert!(!c.text().contains(KEY), "keys are masked:\n{}", c.text());
    // Escape sequences over the channel: Down, then Enter expands the second benefit.
    c.keys("\x1b[B");
    c.keys("\r");
    c.wait_for("*****-*****-*****-*****-LATE1");
    assert!(!c.text().contains("E3BBB"), "{}", c.text());
    // A lone Esc (flushed after its timeout) closes the help overlay.
    c.keys("?");
    c.wait_for("Browsing");
    c.keys("\x1b");
    c.wait_gone("Browsing");
    // The second benefit's activate-by has passed: the dialog says so as it opens.
    c.keys("r");
    c.wait_for("could be activated until");
    assert!(!c.text().contains("Enter your 25-character product key"));
    c.keys("\x1b");
    c.wait_gone("could be activated until");
    // A guest previews a redemption up to its review; only Redeem is refused.
    c.keys("\x1b[A");
    c.redeem_up_to_review(KEY);
    c.keys("\r");
    c.wait_for("You must be a Global admin or MPN Partner Admin");
    c.keys("q");
    c.keys("q");
    c.wait_exit();
    assert_eq!(history(dir.path())["entries"].as_array().unwrap().len(), 0);
    server.wait_log("session-end");
    assert!(server.log().contains("method=keyboard-interactive"));
    assert!(server.log().contains("as=guest role=guest"));
}

#[test]
fn two_sessions_race_for_one_key_and_exactly_one_wins_and_both_see_it() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut a = server.connect(Some(&key), 120, 40);
    let mut b = server.connect(Some(&key), 120, 40);
    a.redeem_up_to_review(KEY);
    b.redeem_up_to_review(KEY);
    race_to_redeem(&mut a, &mut b);
    let v = history(dir.path());
    assert_eq!(v["entries"].as_array().unwrap().len(), 1);
    let log = server.log();
    assert_eq!(log.matches("operation ").count(), 1, "{log}");
    assert_eq!(log.matches("code=key-already-redeemed").count(), 1, "{log}");
}

#[test]
fn a_redemption_in_one_session_shows_in_another_within_a_second() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut watcher = server.connect(Some(&key), 120, 40);
    watcher.wait_for("Microsoft 365 E3");
    watcher.keys("3");
    watcher.wait_for("History");
    assert!(!watcher.text().contains("Product key redeemed"));
    let mut actor = server.connect(Some(&key), 120, 40);
    actor.redeem_up_to_review(KEY);
    actor.keys("\r");
    actor.wait_for("Redeemed");
    let seen = watcher.wait_for("Product key redeemed");
    eprintln!("the other session showed the redemption after {seen:?}");
    assert!(seen < Duration::from_secs(1), "{seen:?}");
}

#[test]
fn a_resize_mid_session_redraws_at_the_new_size() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut c = server.connect(Some(&key), 80, 24);
    c.wait_for("Microsoft 365 E3");
    let footer = |c: &Client, row| c.row(row).contains("q quit");
    assert!(footer(&c, 23), "{}", c.text());
    // The mouse over the channel (SGR): a click on the first row's ▸ expands it.
    c.keys("\x1b[<0;1;5M\x1b[<0;1;5m");
    c.wait_for("Benefit details");
    c.resize(120, 40);
    let deadline = Instant::now() + WAIT;
    while !footer(&c, 39) {
        assert!(
            Instant::now() < deadline,
            "no redraw at 120x40:\n{}",
            c.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Redrawn whole: the old footer row now holds table content or nothing, not the footer.
    assert!(!footer(&c, 23), "{}", c.text());
    assert!(c.row(0).contains("Contoso"), "{}", c.text());
    // Smaller again.
    c.resize(70, 20);
    let deadline = Instant::now() + WAIT;
    while !footer(&c, 19) {
        assert!(
            Instant::now() < deadline,
            "no redraw at 70x20:\n{}",
            c.text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(c.row(0).contains("Contoso"), "{}", c.text());
}

#[test]
fn a_client_killed_mid_dialog_leaves_nothing_written() {
    let (dir, key, ak) = setup();
    // One session at most: the next one only gets in if the killed one let go of its slot.
    let server = Server::start_one_session(dir.path(), &ak);
    let mut c = server.connect(Some(&key), 120, 40);
    c.redeem_up_to_review(KEY);
    // At "Review order details", one key from Redeem: the client dies.
    c.child.kill().unwrap();
    c.child.wait().unwrap();
    server.wait_log("reason=disconnected");
    assert_eq!(history(dir.path())["entries"].as_array().unwrap().len(), 0);
    // Nothing held (no slot, lock or thread): the next session redeems the same key.
    let mut again = server.connect(Some(&key), 120, 40);
    again.redeem_up_to_review(KEY);
    again.keys("\r");
    again.wait_for("Redeemed");
    assert_eq!(history(dir.path())["entries"].as_array().unwrap().len(), 1);
}

#[test]
fn colour_and_language_follow_each_client_not_the_server() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let coloured = |c: &Client| {
        let p = c.parser.lock().unwrap();
        let (rows, cols) = p.screen().size();
        (0..rows.get()).any(|r| {
            (0..cols.get()).any(|col| {
                p.screen()
                    .cell(r, col)
                    .is_some_and(|cell| cell.fgcolor() != vt100::Color::Default)
            })
        })
    };
    let plain = server.connect_with(
        Some(&key),
        120,
        40,
        &["-o", "SetEnv=NO_COLOR=1 LANG=nl_NL.UTF-8"],
    );
    let colour = server.connect(Some(&key), 120, 40);
    plain.wait_for("Cloudservices");
    colour.wait_for("Cloud services");
    let deadline = Instant::now() + WAIT;
    while !coloured(&colour) {
        assert!(Instant::now() < deadline, "no colours:\n{}", colour.text());
        std::thread::sleep(Duration::from_millis(10));
    }
    // The whole first frame is in (its last row drawn) before looking for an absence.
    while plain.row(39).trim().is_empty() {
        assert!(Instant::now() < deadline, "{}", plain.text());
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        !coloured(&plain),
        "NO_COLOR from the client:\n{}",
        plain.text()
    );
    server.wait_log("color=no lang=nl-NL");
    server.wait_log("color=yes lang=en-US");
}

#[test]
fn stopping_the_server_ends_sessions_and_restores_each_clients_terminal() {
    let (dir, key, ak) = setup();
    let mut server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut c = server.connect(Some(&key), 80, 24);
    c.wait_for("Microsoft 365 E3");
    let modes = |c: &Client| {
        let p = c.parser.lock().unwrap();
        let s = p.screen();
        (
            s.alternate_screen(),
            s.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
            s.bracketed_paste(),
            s.hide_cursor(),
        )
    };
    assert_eq!(modes(&c), (true, true, true, true));
    let st = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    c.wait_exit();
    // ssh has gone; its last output may still be on its way through the pty.
    let deadline = Instant::now() + WAIT;
    while modes(&c) != (false, false, false, false) {
        assert!(
            Instant::now() < deadline,
            "{:?}\n{}\n{}",
            modes(&c),
            c.text(),
            server.log()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(st) = server.child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        server.log().contains("reason=server-stopped"),
        "{}",
        server.log()
    );
}

#[test]
fn a_session_that_cannot_open_the_ledger_says_why_on_screen() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("ledger.db{suffix}")));
    }
    std::fs::write(dir.path().join("ledger.db"), vec![b'x'; 4096]).unwrap();
    let mut c = server.connect(Some(&key), 120, 40);
    c.wait_for("the dashboard cannot start");
    c.wait_for("ledger.db");
    c.wait_exit();
    server.wait_log("reason=error");
}

#[test]
fn a_session_shows_the_ledger_from_before_the_server_and_from_other_processes() {
    let (dir, key, ak) = setup();
    cli_redeem(dir.path(), KEY, "extend");
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    cli_redeem(dir.path(), "E3AAA-AAAAA-AAAAA-AAAAA-AA100", "extend");
    let mut c = server.connect(Some(&key), 120, 40);
    c.wait_for("Microsoft 365 E3");
    c.keys("3");
    c.wait_for("*****-*****-*****-*****-AAA25");
    c.wait_for("*****-*****-*****-*****-AA100");
    // And while it is open: the third key, by another process, within a tick.
    cli_redeem(dir.path(), "E3AAA-AAAAA-AAAAA-AAAAA-AA301", "add");
    let seen = c.wait_for("*****-*****-*****-*****-AA301");
    assert!(seen < Duration::from_secs(1), "{seen:?}");
}
