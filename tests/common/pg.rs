//! A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary directory (as
//! `nobody` when the tests run as root, since the server refuses to run as root), the
//! server on a random loopback port and a socket in that directory, a database per test.
//! It is stopped and removed when it drops; the binary's one shared cluster drops at exit
//! (also after failed tests), and the server is started with a parent-death signal, so not
//! even a killed test binary leaves it running.
//!
//! Without the server programs: a `SKIPPED` line, or under `CI=true` a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The superuser's password: sent only through `PGPASSWORD` or a password file, and
/// looked for in every output the tests read.
pub const PASSWORD: &str = "pw-Zq81-never-shown";
pub const USER: &str = "ledger_admin";

pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    server: Mutex<Option<Child>>,
    next_db: AtomicUsize,
    fsync: bool,
    /// The server's self-signed certificate (PEM), when `openssl` could make one: the
    /// server then offers TLS too.
    pub tls: Option<PathBuf>,
}

/// Where `initdb` and `postgres` are: beside an `initdb` on PATH (links followed), else
/// the newest `/usr/lib/postgresql/*/bin`.
fn server_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| std::fs::canonicalize(d.join("initdb")).ok())
        .filter_map(|p| p.parent().map(Path::to_path_buf));
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    versions.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    versions.reverse();
    on_path
        .chain(versions)
        .find(|d| d.join("initdb").is_file() && d.join("postgres").is_file())
}

/// Root may not run the server: drop to nobody (uid and gid 65534), and have the server
/// killed when the thread that started it ends.
fn as_server_user(program: &Path) -> Command {
    let mut c = Command::new("setpriv");
    if unsafe { libc::geteuid() } == 0 {
        c.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"]);
    }
    c.args(["--pdeathsig", "QUIT", "--"]).arg(program);
    c
}

fn skip_or_fail(why: &str) -> Option<Cluster> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("PostgreSQL is required under CI=true: {why} (.ci/run installs `postgresql`)");
    }
    eprintln!("SKIPPED: the PostgreSQL tests need the server programs: {why}");
    None
}

impl Cluster {
    /// The test binary's cluster, started on first use; None (SKIPPED) without a server.
    pub fn shared() -> Option<&'static Cluster> {
        static SHARED: OnceLock<Option<&'static Cluster>> = OnceLock::new();
        *SHARED.get_or_init(|| {
            let c: &'static Cluster = Box::leak(Box::new(Cluster::start()?));
            extern "C" fn stop_at_exit() {
                if let Some(Some(c)) = SHARED.get() {
                    c.stop();
                    let _ = std::fs::remove_dir_all(c.dir.path());
                }
            }
            unsafe { libc::atexit(stop_at_exit) };
            Some(c)
        })
    }

    /// A cluster of its own (for a test that stops and restarts the server).
    pub fn start() -> Option<Cluster> {
        Cluster::start_with(false)
    }

    /// A cluster that syncs its writes to disk, as a real one does (for the bench).
    pub fn start_durable() -> Option<Cluster> {
        Cluster::start_with(true)
    }

    fn start_with(fsync: bool) -> Option<Cluster> {
        let Some(bin) = server_bin() else {
            return skip_or_fail("no initdb and postgres on PATH or in /usr/lib/postgresql/*/bin");
        };
        let dir = tempfile::Builder::new()
            .prefix("benefits-pg")
            .tempdir()
            .unwrap();
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        if unsafe { libc::geteuid() } == 0 {
            let chown = Command::new("chown")
                .args(["-R", "65534:65534"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(chown.success());
        }
        let out = as_server_user(&bin.join("initdb"))
            .arg("-D")
            .arg(dir.path().join("data"))
            .args([
                "-U",
                USER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ])
            .args(["--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&pwfile);
        if !out.status.success() {
            return skip_or_fail(&format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let tls = self_signed(&dir.path().join("data"));
        let cluster = Cluster {
            bin,
            dir,
            port: free_port(),
            server: Mutex::new(None),
            next_db: AtomicUsize::new(0),
            fsync,
            tls,
        };
        cluster.run();
        Some(cluster)
    }

    /// Start the server (again) on the same port and data.
    pub fn run(&self) {
        let data = self.dir.path().join("data");
        let port = self.port;
        let bin = self.bin.clone();
        let sock = self.dir.path().to_path_buf();
        let fsync = if self.fsync { "fsync=on" } else { "fsync=off" };
        // Started from a thread that lives as long as the process: the parent-death signal
        // fires when the *thread* that forked ends.
        let tls: Vec<String> = match &self.tls {
            Some(_) => [
                "ssl=on",
                "ssl_cert_file=server.crt",
                "ssl_key_file=server.key",
            ]
            .iter()
            .flat_map(|o| ["-c".to_string(), o.to_string()])
            .collect(),
            None => Vec::new(),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let child = as_server_user(&bin.join("postgres"))
                .arg("-D")
                .arg(&data)
                .arg("-k")
                .arg(&sock)
                .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
                .args(["-c", fsync, "-c", "max_connections=200"])
                .args(&tls)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            let _ = tx.send(child);
            loop {
                std::thread::park();
            }
        });
        let child = rx.recv().unwrap().expect("postgres starts");
        *self.server.lock().unwrap() = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.admin_on("postgres").is_err() {
            assert!(
                Instant::now() < deadline,
                "postgres did not get ready on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Fast shutdown (and a kill after 20 s); waits until the server is gone.
    pub fn stop(&self) {
        let Some(mut child) = self.server.lock().unwrap().take() else {
            return;
        };
        // setpriv execs the server: the child's pid is the postmaster's.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A connection as the superuser to `db`.
    pub fn admin_on(&self, db: &str) -> Result<postgres::Client, postgres::Error> {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(USER)
            .password(PASSWORD)
            .dbname(db)
            .connect(postgres::NoTls)
    }

    /// A new, empty database; its URL (no password in it: pass `PGPASSWORD`).
    pub fn database(&self) -> String {
        let n = self.next_db.fetch_add(1, Ordering::Relaxed);
        let name = format!("ledger_{}_{n}", std::process::id());
        // One at a time, and again after a moment: CREATE DATABASE copies template1 and
        // is refused while another copy of it is under way.
        static CREATING: Mutex<()> = Mutex::new(());
        let _one = CREATING.lock().unwrap_or_else(|e| e.into_inner());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let made = self
                .admin_on("postgres")
                .and_then(|mut c| c.batch_execute(&format!("CREATE DATABASE {name}")));
            match made {
                Ok(()) => return self.url(&name),
                Err(e) if Instant::now() < deadline => {
                    eprintln!("CREATE DATABASE {name}: {e}; again");
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("CREATE DATABASE {name}: {e:?}"),
            }
        }
    }

    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://{USER}@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A certificate for `localhost` and 127.0.0.1 and its key in the cluster's data directory
/// (the server's user owning both); a copy of the certificate beside it for clients.
fn self_signed(data: &Path) -> Option<PathBuf> {
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(data.join("server.key"))
        .arg("-out")
        .arg(data.join("server.crt"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("openssl is required under CI=true to give the test server a certificate");
        }
        eprintln!("SKIPPED: no openssl to make a certificate: the test server offers no TLS");
        return None;
    }
    use std::os::unix::fs::PermissionsExt;
    let key = data.join("server.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    if unsafe { libc::geteuid() } == 0 {
        for f in ["server.key", "server.crt"] {
            std::os::unix::fs::chown(data.join(f), Some(65534), Some(65534)).unwrap();
        }
    }
    let client_copy = data.parent()?.join("root.crt");
    std::fs::copy(data.join("server.crt"), &client_copy).ok()?;
    Some(client_copy)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The database name at the end of a URL made by `Cluster::database`.
pub fn db_name(url: &str) -> &str {
    let path = url.rsplit('/').next().unwrap_or_default();
    path.split('?').next().unwrap_or_default()
}
