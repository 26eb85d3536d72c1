//! `benefits serve` end to end: the real server on a loopback ephemeral port with a fresh
//! host key, the system OpenSSH client in a pseudo-terminal, the screen read back with vt100.
//! Every wait has a deadline; servers and clients are killed on drop, also when an
//! assertion fails.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{BufRead, BufReader, Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");
const ADMIN: &str = "ada@contoso.onmicrosoft.com";
const KEY: &str = "E3AAA-AAAAA-AAAAA-AAAAA-AAA25";
const WAIT: Duration = Duration::from_secs(10);

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("benefits")
}

/// An ed25519 client key pair made by ssh-keygen (part of openssh-client).
fn client_key(dir: &Path, name: &str, comment: &str) -> PathBuf {
    let path = dir.join(name);
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(&path)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen (openssh-client) is needed: .ci/run installs it");
    assert!(st.success());
    path
}

struct Server {
    child: std::process::Child,
    port: u16,
    data: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Start the server with `args` after `serve` and wait (bounded) for its address.
    fn start(data: &Path, args: &[&str]) -> Server {
        let mut cmd = Command::new(bin());
        cmd.args(["--today", "2026-11-23", "--config", CONFIG])
            .arg("--data-dir")
            .arg(data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .arg("--host-key")
            .arg(data.join("test_host_key"))
            .args(args)
            // English start-up lines to read; each session's language is its own.
            .env("LANG", "en_US.UTF-8")
            // Nor do the server's colours reach a client (see the colour test).
            .env("NO_COLOR", "1")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            port: 0,
            data: data.to_path_buf(),
        };
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        while server.port == 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(addr) = line.strip_prefix("Listening on ") {
                        server.port = addr.rsplit(':').next().unwrap().parse().unwrap();
                    }
                    seen.push(line);
                }
                Err(_) => {
                    let _ = server.child.kill();
                    let mut err = String::new();
                    if let Some(mut e) = server.child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    panic!("the server never listened:\n{}\n{err}", seen.join("\n"));
                }
            }
        }
        assert!(
            seen.iter().any(|l| l.starts_with("Host key SHA256:")),
            "{seen:?}"
        );
        server
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.data.join("serve.log")).unwrap_or_default()
    }

    /// Wait until the log holds `needle`.
    fn wait_log(&self, needle: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.log().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "the log never showed {needle:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// OpenSSH options every connection uses: no known-hosts, no user config, no agent.
    fn ssh_args(&self, key: Option<&Path>) -> Vec<String> {
        let mut a: Vec<String> = [
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=5",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-p",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.push(self.port.to_string());
        match key {
            Some(k) => {
                a.extend(["-o".into(), "BatchMode=yes".into(), "-i".into()]);
                a.push(k.display().to_string());
            }
            None => a.extend([
                "-o".into(),
                "PubkeyAuthentication=no".into(),
                "-o".into(),
                "PreferredAuthentications=keyboard-interactive".into(),
            ]),
        }
        a.push("ada@127.0.0.1".into());
        a
    }

    /// An interactive session in a pseudo-terminal of `cols` x `rows`.
    fn connect(&self, key: Option<&Path>, cols: u16, rows: u16) -> Client {
        self.connect_with(key, cols, rows, &[])
    }

    fn connect_with(&self, key: Option<&Path>, cols: u16, rows: u16, extra: &[&str]) -> Client {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut args = self.ssh_args(key);
        let host = args.pop().unwrap();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(host);
        let mut cmd = CommandBuilder::new("ssh");
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        Client {
            parser,
            writer,
            master: pty.master,
            child,
        }
    }

    /// A non-interactive ssh run (exec, subsystem) with a deadline: its exit status.
    fn run_ssh(&self, key: &Path, extra: &[&str], command: &[&str]) -> std::process::ExitStatus {
        let mut args = self.ssh_args(Some(key));
        let host = args.pop().unwrap();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(host);
        args.extend(command.iter().map(|s| s.to_string()));
        let mut child = Command::new("ssh")
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(st) = child.try_wait().unwrap() {
                return st;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("ssh {args:?} did not end");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

struct Client {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Client {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn row(&self, row: u16) -> String {
        let p = self.parser.lock().unwrap();
        let (_, cols) = p.screen().size();
        p.screen().contents_between(row, 0, row, cols.get())
    }

    fn wait_for(&self, needle: &str) -> Duration {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.text().contains(needle) {
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("screen never showed {needle:?}:\n{}", self.text());
    }

    fn wait_gone(&self, needle: &str) {
        let start = Instant::now();
        while self.text().contains(needle) {
            assert!(
                start.elapsed() < WAIT,
                "{needle:?} stayed:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Each key its own packet, as typed: no two merge into one escape sequence.
        std::thread::sleep(Duration::from_millis(60));
    }

    fn paste(&mut self, text: &str) {
        self.keys(&format!("\x1b[200~{text}\x1b[201~"));
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.lock().unwrap().set_size(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
        );
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// Open the redemption dialog on Microsoft 365 E3 and walk it to "Review order details".
    fn redeem_up_to_review(&mut self, key: &str) {
        self.wait_for("Microsoft 365 E3");
        self.keys("r");
        self.wait_for("Enter your 25-character product key");
        self.paste(key);
        self.keys("\r");
        self.wait_for("contoso.onmicrosoft.com");
        self.keys("\r");
        self.paste("contoso.onmicrosoft.com");
        self.keys("\r");
        self.wait_for("Review order details");
        self.keys("\r");
        self.wait_for("Jun 30, 2027");
    }

    fn wait_exit(&mut self) -> bool {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st.success();
            }
            assert!(
                Instant::now() < deadline,
                "ssh did not exit:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn history(data: &Path) -> serde_json::Value {
    let out = Command::new(bin())
        .args(["--today", "2026-11-23", "--config", CONFIG, "--json"])
        .arg("--data-dir")
        .arg(data)
        .arg("history")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Whatever the umask: the server refuses an authorized_keys others may write.
fn owner_only(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// A data directory with one admin key, authorized as the catalog's user.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let key = client_key(dir.path(), "id_admin", ADMIN);
    let ak = dir.path().join("authorized_keys");
    std::fs::copy(key.with_extension("pub"), &ak).unwrap();
    owner_only(&ak);
    (dir, key, ak)
}

#[test]
fn an_admin_redeems_over_ssh_and_the_ledger_and_log_agree() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut c = server.connect(Some(&key), 120, 40);
    c.wait_for("Ada Admin");
    // A keystroke's round trip: the key to the server, the History page back on screen.
    c.writer.write_all(b"3").unwrap();
    c.writer.flush().unwrap();
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
    c.wait_for("redemption");
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
    c.keys("r");
    c.wait_for("You must be a Global admin or MPN Partner Admin");
    assert!(!c.text().contains("Enter your 25-character product key"));
    c.keys("q");
    c.wait_exit();
    assert_eq!(history(dir.path())["entries"].as_array().unwrap().len(), 0);
    server.wait_log("session-end");
    assert!(server.log().contains("method=keyboard-interactive"));
    assert!(server.log().contains("as=guest role=guest"));
}

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
fn two_sessions_race_for_one_key_and_exactly_one_wins_and_both_see_it() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let mut a = server.connect(Some(&key), 120, 40);
    let mut b = server.connect(Some(&key), 120, 40);
    a.redeem_up_to_review(KEY);
    b.redeem_up_to_review(KEY);
    // Both press Redeem at once.
    a.writer.write_all(b"\r").unwrap();
    b.writer.write_all(b"\r").unwrap();
    a.writer.flush().unwrap();
    b.writer.flush().unwrap();
    let refused = "This product key has already been used";
    let deadline = Instant::now() + WAIT;
    let (won_a, won_b) = loop {
        let (ta, tb) = (a.text(), b.text());
        let done = |t: &str| t.contains("Redeemed") || t.contains(refused);
        if done(&ta) && done(&tb) {
            break (ta.contains("Redeemed"), tb.contains("Redeemed"));
        }
        assert!(Instant::now() < deadline, "A:\n{ta}\nB:\n{tb}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        won_a ^ won_b,
        "exactly one wins:\nA:\n{}\nB:\n{}",
        a.text(),
        b.text()
    );
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
    assert!(!watcher.text().contains("redemption"));
    let mut actor = server.connect(Some(&key), 120, 40);
    actor.redeem_up_to_review(KEY);
    actor.keys("\r");
    actor.wait_for("Redeemed");
    let seen = watcher.wait_for("redemption");
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
    let server = Server::start(
        dir.path(),
        &[
            "--authorized-keys",
            ak.to_str().unwrap(),
            "--max-sessions",
            "1",
        ],
    );
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
fn max_sessions_turns_the_next_visitor_away_until_a_slot_frees() {
    let (dir, key, ak) = setup();
    let server = Server::start(
        dir.path(),
        &[
            "--authorized-keys",
            ak.to_str().unwrap(),
            "--max-sessions",
            "1",
        ],
    );
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

#[test]
fn connections_that_do_not_sign_in_cannot_crowd_out_the_next_visitor() {
    let (dir, key, ak) = setup();
    let args = [
        "--authorized-keys",
        ak.to_str().unwrap(),
        "--max-startups",
        "2",
    ];
    let server = Server::start(dir.path(), &args);
    // The first bytes of an SSH server: its version line. Closed at once: none.
    let banner = |s: &mut std::net::TcpStream| {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 8];
        let n = s.read(&mut buf).unwrap_or(0);
        buf[..n].starts_with(b"SSH-2.0")
    };
    let connect = || std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    // Two sockets that say nothing, and hold their places until the grace time ends.
    let mut idle = [connect(), connect()];
    for s in &mut idle {
        assert!(banner(s), "the first two are served");
    }
    let mut third = connect();
    assert!(!banner(&mut third), "a third is closed without a word");
    server.wait_log("connections still signing in");
    drop(idle);
    server.wait_log("disconnect");
    // Their places are free again: a person with a key signs in.
    let mut c = server.connect(Some(&key), 80, 24);
    c.wait_for("Microsoft 365 E3");
    c.keys("q");
    assert!(c.wait_exit());
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
    // A connection that never signs in (here: never says a word) is closed too.
    let mut silent = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
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
    server.wait_log("request=login");
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
fn an_admin_key_added_to_authorized_keys_works_without_a_restart() {
    let (dir, key, ak) = setup();
    let server = Server::start(dir.path(), &["--authorized-keys", ak.to_str().unwrap()]);
    let newcomer = client_key(dir.path(), "id_new", ADMIN);
    let st = server.run_ssh(&newcomer, &[], &["x"]);
    assert_eq!(st.code(), Some(255), "not authorized yet");
    assert!(server.log().contains("method=publickey"));

    // A broken edit is not taken: the keys that worked still work, the log says why.
    let mut text = std::fs::read_to_string(&ak).unwrap();
    std::fs::write(&ak, format!("{text}ssh-ed25519 garbage\n")).unwrap();
    let c = server.connect(Some(&key), 80, 24);
    c.wait_for("Microsoft 365 E3");
    drop(c);
    server.wait_log("authorized-keys-kept");

    text.push_str(&std::fs::read_to_string(newcomer.with_extension("pub")).unwrap());
    std::fs::write(&ak, text).unwrap();
    let c = server.connect(Some(&newcomer), 80, 24);
    c.wait_for("Ada Admin");
}

/// `benefits redeem` from the command line, as another process writing the same ledger.
fn cli_redeem(data: &Path, key: &str, mode: &str) {
    let out = Command::new(bin())
        .args(["--today", "2026-11-23", "--config", CONFIG, "--data-dir"])
        .arg(data)
        .args([
            "redeem", "--key", key, "--tenant", "contoso", "--mode", mode,
        ])
        .arg("--yes")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
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
