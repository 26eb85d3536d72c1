//! The whole program in a pseudo-terminal at 120x40, as a person meets it: start to first
//! complete frame, bytes per frame, key press to finished frame, peak memory, at 1k / 10k
//! / 100k benefits with a ledger of a tenth as many past operations, and 100k with as many.
//!
//! `cargo bench --bench tty` prints a table; `cargo bench --bench tty -- --readme` also
//! writes it into README.md between the `perf:tty` markers. `--rows 1000,10000` picks sizes
//! (each with a ledger a tenth its size); `--rows 100000:100000` sets the ledger's size too.
//!
//! First frames: one cold start (the catalog parsed from YAML), then the median of
//! `WARM_STARTS` warm ones (from the snapshot).
//!
//! Beside them, the same dashboard on each store: SQLite in the data directory and, when
//! the PostgreSQL server programs are there (a throwaway cluster as the tests start, with
//! fsync on as SQLite's `synchronous=FULL`), a local PostgreSQL ledger: the warm first
//! frame, and a commit's latency (the store's write transaction: lock, catch up, plan,
//! append, commit; the median and the slowest of `COMMITS`). `--stores` runs only that.
//!
//! A frame is complete when the synchronized-update end marker (`CSI ? 2026 l`) that
//! closes each frame arrives, so "finished frame" is measured from the key's write to the
//! last byte of the frame it caused.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_benefits");
const TODAY: &str = "2026-11-23";
const FRAME_END: &[u8] = b"\x1b[?2026l";
const COLS: u16 = 120;
const LINES: u16 = 40;
const REPEAT: usize = 15;
const WARM_STARTS: usize = 5;
const COMMITS: usize = 50;

#[allow(dead_code)]
#[path = "../tests/common/pg.rs"]
mod pg;

struct Tty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Receiver<Vec<u8>>,
    /// Bytes received but not yet assigned to a frame.
    pending: Vec<u8>,
}

/// One frame: how long from the cause to its last byte, and how many bytes it took.
struct Frame {
    time: Duration,
    bytes: usize,
}

impl Tty {
    fn start(config: &Path, data: &Path) -> (Tty, Instant) {
        Tty::start_on(config, data, None)
    }

    /// `start` with the ledger on `store` (a URL without its password; PGPASSWORD has it).
    fn start_on(config: &Path, data: &Path, store: Option<&str>) -> (Tty, Instant) {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: LINES,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(["--today", TODAY, "--lang", "en-US", "--config"]);
        cmd.arg(config);
        cmd.arg("--data-dir");
        cmd.arg(data);
        cmd.env("TERM", "xterm-256color");
        if let Some(url) = store {
            cmd.args(["--store", url]);
            cmd.env("PGPASSWORD", pg::PASSWORD);
        }
        let started = Instant::now();
        let child = pty.slave.spawn_command(cmd).expect("spawn benefits");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let (tx, output) = channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let writer = pty.master.take_writer().unwrap();
        // The master must outlive the session: leak it for the process's short life.
        std::mem::forget(pty.master);
        let tty = Tty {
            child,
            writer,
            output,
            pending: Vec::new(),
        };
        (tty, started)
    }

    /// Read until the end of the next frame; the bytes up to it, measured from `since`.
    fn frame(&mut self, since: Instant) -> Frame {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(at) = find(&self.pending, FRAME_END) {
                let end = at + FRAME_END.len();
                let time = since.elapsed();
                self.pending.drain(..end);
                return Frame { time, bytes: end };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(chunk) => self.pending.extend_from_slice(&chunk),
                Err(_) => panic!(
                    "no complete frame within 60 s; the program wrote:\n{}",
                    String::from_utf8_lossy(&self.pending)
                ),
            }
        }
    }

    /// Type `key` and measure the frame it causes.
    fn key(&mut self, key: &str) -> Frame {
        // Let the previous frame settle so each key gets a frame of its own.
        std::thread::sleep(Duration::from_millis(30));
        while let Ok(chunk) = self.output.try_recv() {
            self.pending.extend_from_slice(&chunk);
        }
        self.pending.clear();
        let sent = Instant::now();
        self.writer.write_all(key.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        self.frame(sent)
    }

    fn peak_rss_kb(&self) -> u64 {
        let pid = self.child.process_id().expect("a pid");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn quit(mut self) {
        let _ = self.writer.write_all(b"q");
        let _ = self.writer.flush();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Median time and median bytes of `REPEAT` presses of each key in `keys`, cycled.
fn keys(tty: &mut Tty, keys: &[&str]) -> (Duration, usize) {
    let mut frames: Vec<Frame> = (0..REPEAT).map(|i| tty.key(keys[i % keys.len()])).collect();
    frames.sort_by_key(|f| f.time);
    let time = frames[frames.len() / 2].time;
    frames.sort_by_key(|f| f.bytes);
    (time, frames[frames.len() / 2].bytes)
}

struct Row {
    rows: usize,
    ledger: usize,
    cold_first: Frame,
    warm_first: Frame,
    row_move: (Duration, usize),
    expand: (Duration, usize),
    page: (Duration, usize),
    filter: (Duration, usize),
    /// Peak memory of the cold start, up to its first frame.
    cold_rss_kb: u64,
    rss_kb: u64,
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run benefits");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn measure(dir: &Path, (rows, ledger): (usize, usize)) -> Row {
    let config = dir.join(format!("catalog-{rows}.yaml"));
    let data = dir.join(format!("data-{rows}-{ledger}"));
    if !config.exists() {
        let file = std::fs::File::create(&config).unwrap();
        let mut out = std::io::BufWriter::new(file);
        let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
        benefits::cli::generate::write_catalog(&mut out, rows, 1, today).unwrap();
    }
    // The ledger is written first, so the dashboard's first start finds no snapshot:
    // generate-ledger takes the catalog from YAML and leaves its snapshot behind, which
    // is removed here to measure a cold start.
    run(Command::new(BIN)
        .args(["--today", TODAY, "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .args(["generate-ledger", "--entries", &ledger.to_string()]));
    let _ = std::fs::remove_file(data.join(benefits::catalog::snapshot::FILE));

    let (mut tty, started) = Tty::start(&config, &data);
    let cold_first = tty.frame(started);
    // The snapshot is written behind the first frame: let that finish, so the peak is the
    // whole cold start's.
    std::thread::sleep(Duration::from_millis(1000));
    let cold_rss_kb = tty.peak_rss_kb();
    tty.quit();

    // Start-up varies more than key presses: the median of a few warm starts.
    let mut starts: Vec<Frame> = (1..WARM_STARTS)
        .map(|_| {
            let (mut tty, started) = Tty::start(&config, &data);
            let frame = tty.frame(started);
            tty.quit();
            frame
        })
        .collect();
    let (mut tty, started) = Tty::start(&config, &data);
    starts.push(tty.frame(started));
    starts.sort_by_key(|f| f.time);
    let warm_first = starts.swap_remove(starts.len() / 2);
    let row_move = keys(&mut tty, &["j", "k"]);
    let expand = keys(&mut tty, &["l", "h"]);
    let page = keys(&mut tty, &["\t"]);
    tty.key("1");
    tty.key("/");
    let filter = keys(&mut tty, &["3", "\x7f"]);
    let rss_kb = tty.peak_rss_kb();
    tty.quit();
    Row {
        rows,
        ledger,
        cold_first,
        warm_first,
        row_move,
        expand,
        page,
        filter,
        cold_rss_kb,
        rss_kb,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn table(rows: &[Row]) -> String {
    let mut s = String::from(
        "| benefits (ledger) | first frame, cold | first frame, warm | first frame bytes | row move | expand / collapse | page switch | filter keystroke | peak RSS, cold | peak RSS |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let pair = |(t, b): (Duration, usize)| format!("{} / {b} B", ms(t));
        s.push_str(&format!(
            "| {} ({}) | {} | {} | {} B | {} | {} | {} | {} | {:.1} MB | {:.1} MB |\n",
            r.rows,
            r.ledger,
            ms(r.cold_first.time),
            ms(r.warm_first.time),
            r.warm_first.bytes,
            pair(r.row_move),
            pair(r.expand),
            pair(r.page),
            pair(r.filter),
            r.cold_rss_kb as f64 / 1024.0,
            r.rss_kb as f64 / 1024.0,
        ));
    }
    s
}

fn write_readme(table: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(&path).expect("README.md");
    let (begin, end) = ("<!-- perf:tty:begin -->\n", "<!-- perf:tty:end -->");
    let (Some(b), Some(e)) = (text.find(begin), text.find(end)) else {
        eprintln!("README.md has no perf:tty markers; not written");
        return;
    };
    let updated = format!("{}{table}{}", &text[..b + begin.len()], &text[e..]);
    std::fs::write(&path, updated).expect("write README.md");
    eprintln!("wrote the table into README.md");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: only run when benched.
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    // `N` is N benefits with a ledger of N/10 entries; `N:L` sets the ledger's size.
    let size = |s: &str| -> Option<(usize, usize)> {
        match s.split_once(':') {
            Some((n, l)) => Some((n.parse().ok()?, l.parse().ok()?)),
            None => s.parse().ok().map(|n: usize| (n, n / 10)),
        }
    };
    let sizes: Vec<(usize, usize)> = args
        .iter()
        .position(|a| a == "--rows")
        .and_then(|i| args.get(i + 1))
        .map(|v| v.split(',').filter_map(size).collect())
        .unwrap_or_else(|| {
            vec![
                (1_000, 100),
                (10_000, 1_000),
                (100_000, 10_000),
                (100_000, 100_000),
            ]
        });
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    println!("{}", stores(dir.path()));
    if args.iter().any(|a| a == "--stores") {
        return;
    }
    let rows: Vec<Row> = sizes
        .iter()
        .map(|&size| measure(dir.path(), size))
        .collect();
    let table = table(&rows);
    println!("{table}");
    eprintln!("measured in {:.1} s", started.elapsed().as_secs_f64());
    if args.iter().any(|a| a == "--readme") {
        write_readme(&table);
    }
}

/// The warm first frame and a commit's latency on each store, for a 1k catalog with a
/// 100-entry ledger.
fn stores(dir: &Path) -> String {
    let config = dir.join("catalog-stores.yaml");
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let file = std::fs::File::create(&config).unwrap();
    let mut out = std::io::BufWriter::new(file);
    benefits::cli::generate::write_catalog(&mut out, 1000, 1, today).unwrap();
    drop(out);
    let mut table = String::from(
        "| store (1k benefits, 100 past entries) | first frame, warm | commit, median | commit, slowest |\n|---|---|---|---|\n",
    );
    let sqlite = dir.join("stores-sqlite");
    table.push_str(&store_row(
        &config,
        "SQLite (WAL, synchronous=FULL)",
        &sqlite,
        None,
    ));
    match pg::Cluster::start_durable() {
        Some(cluster) => {
            let url = cluster.database();
            let line = store_row(
                &config,
                "PostgreSQL (local, fsync on)",
                &dir.join("stores-pg"),
                Some(&url),
            );
            table.push_str(&line);
        }
        None => table.push_str("| PostgreSQL | no server programs here (SKIPPED) | | |\n"),
    }
    table
}

fn store_row(config: &Path, label: &str, data: &Path, url: Option<&str>) -> String {
    let mut generate = Command::new(BIN);
    generate
        .args(["--today", TODAY, "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .args(["generate-ledger", "--entries", "100"])
        .env("PGPASSWORD", pg::PASSWORD);
    if let Some(url) = url {
        generate.args(["--store", url]);
    }
    run(&mut generate);
    let mut starts: Vec<Duration> = (0..WARM_STARTS)
        .map(|_| {
            let (mut tty, started) = Tty::start_on(config, data, url);
            let frame = tty.frame(started);
            tty.quit();
            frame.time
        })
        .collect();
    starts.sort();
    let with_password = url.map(|u| u.replacen('@', &format!(":{}@", pg::PASSWORD), 1));
    let location = benefits::store::Location::resolve(with_password.as_deref(), data).unwrap();
    let store = benefits::store::Store::connect(&location).unwrap();
    let yaml = std::fs::read_to_string(config).unwrap();
    let catalog = benefits::catalog::load_str(&yaml, "catalog.yaml").unwrap();
    let mut portfolio = benefits::domain::Portfolio::new(catalog);
    store.fold(&mut portfolio).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let mut plan = benefits::cli::generate::LedgerPlan::new(&portfolio, COMMITS, today);
    let mut commits: Vec<Duration> = (0..COMMITS)
        .map(|_| {
            let began = Instant::now();
            store
                .commit(&mut portfolio, |p| {
                    plan.next(p).ok_or(benefits::domain::Refusal::new(
                        benefits::domain::RefusalCode::KeyAlreadyRedeemed,
                    ))
                })
                .expect("a commit");
            began.elapsed()
        })
        .collect();
    commits.sort();
    format!(
        "| {label} | {} | {} | {} |\n",
        ms(starts[starts.len() / 2]),
        ms(commits[commits.len() / 2]),
        ms(commits[commits.len() - 1])
    )
}
