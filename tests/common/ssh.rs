//! Shared by the `serve` tests: the real server on a loopback ephemeral port with a fresh
//! host key, the system OpenSSH client in a pseudo-terminal (`pty.rs`, the one every pty
//! test drives, so the screen helpers exist once). Every wait has a deadline; servers and
//! clients are killed on drop, also when an assertion fails.
use super::pty::Pty;
use portable_pty::CommandBuilder;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");
pub const ADMIN: &str = "ada@contoso.onmicrosoft.com";
pub const KEY: &str = "E3AAA-AAAAA-AAAAA-AAAAA-AAA25";
pub const WAIT: Duration = Duration::from_secs(10);

pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("benefits")
}

/// An ed25519 client key pair made by ssh-keygen (part of openssh-client).
pub fn client_key(dir: &Path, name: &str, comment: &str) -> PathBuf {
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

pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
    pub data: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// The server for the visitors in `authorized_keys`, one session at a time.
    pub fn start_one_session(data: &Path, authorized_keys: &Path) -> Server {
        Server::start(
            data,
            &[
                "--authorized-keys",
                authorized_keys.to_str().unwrap(),
                "--max-sessions",
                "1",
            ],
        )
    }

    /// Start the server with `args` after `serve` and wait (bounded) for its address.
    pub fn start(data: &Path, args: &[&str]) -> Server {
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

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data.join("serve.log")).unwrap_or_default()
    }

    /// Wait until the log holds `needle`.
    pub fn wait_log(&self, needle: &str) {
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
    pub fn ssh_args(&self, key: Option<&Path>) -> Vec<String> {
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
    pub fn connect(&self, key: Option<&Path>, cols: u16, rows: u16) -> Client {
        self.connect_with(key, cols, rows, &[])
    }

    pub fn connect_with(&self, key: Option<&Path>, cols: u16, rows: u16, extra: &[&str]) -> Client {
        let mut args = self.ssh_args(key);
        let host = args.pop().unwrap();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(host);
        let mut cmd = CommandBuilder::new("ssh");
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let pty = Pty::spawn_tapped(cmd, cols, rows, (), Some(raw.clone()));
        Client { pty, raw }
    }

    /// A non-interactive ssh run (exec, subsystem) with a deadline: its exit status.
    pub fn run_ssh(
        &self,
        key: &Path,
        extra: &[&str],
        command: &[&str],
    ) -> std::process::ExitStatus {
        self.run_ssh_output(key, extra, command).0
    }

    /// The same, with what ssh said on its standard error (its `-v` debug lines).
    pub fn run_ssh_output(
        &self,
        key: &Path,
        extra: &[&str],
        command: &[&str],
    ) -> (std::process::ExitStatus, String) {
        let mut args = self.ssh_args(Some(key));
        let host = args.pop().unwrap();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(host);
        args.extend(command.iter().map(|s| s.to_string()));
        let mut child = Command::new("ssh")
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let said = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(st) = child.try_wait().unwrap() {
                return (st, said.join().unwrap());
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("ssh {args:?} did not end");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The ssh client in its terminal: everything `Pty` offers (screen, keys, paste, resize),
/// plus every byte its terminal received.
pub struct Client {
    pty: Pty,
    pub raw: Arc<Mutex<Vec<u8>>>,
}

impl std::ops::Deref for Client {
    type Target = Pty;
    fn deref(&self) -> &Pty {
        &self.pty
    }
}

impl std::ops::DerefMut for Client {
    fn deref_mut(&mut self) -> &mut Pty {
        &mut self.pty
    }
}

impl Client {
    /// Open the redemption dialog on Microsoft 365 E3 and walk it to "Review order details".
    pub fn redeem_up_to_review(&mut self, key: &str) {
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

    /// Whether ssh ended successfully (bounded wait).
    pub fn wait_exit(&mut self) -> bool {
        self.pty.wait_exit().success()
    }
}

/// `history --json` of the ledger of `data` (the test catalog).
pub fn history(data: &Path) -> serde_json::Value {
    history_through(cli_on(Path::new(CONFIG), data))
}

/// The binary on `config`'s catalog with the data directory `data`, on the pinned date.
pub fn cli_on(config: &Path, data: &Path) -> Command {
    let mut c = Command::new(bin());
    c.args(["--today", "2026-11-23", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data);
    c
}

/// `history --json` through `cmd`, which must succeed.
pub fn history_through(mut cmd: Command) -> serde_json::Value {
    let out = cmd.args(["--json", "history"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Both sessions, each at the review of the same key, press Redeem at once; waits until
/// both answered and asserts that exactly one won. Whether `a` won.
pub fn race_to_redeem(a: &mut Client, b: &mut Client) -> bool {
    a.send(b"\r");
    b.send(b"\r");
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
    won_a
}

/// Whatever the umask: the server refuses an authorized_keys others may write.
pub fn owner_only(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// A data directory with one admin key, authorized as the catalog's user.
pub fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let key = client_key(dir.path(), "id_admin", ADMIN);
    let ak = dir.path().join("authorized_keys");
    std::fs::copy(key.with_extension("pub"), &ak).unwrap();
    owner_only(&ak);
    (dir, key, ak)
}

/// `benefits redeem` from the command line, as another process writing the same ledger.
pub fn cli_redeem(data: &Path, key: &str, mode: &str) {
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
