//! The whole program as a person uses it: the real binary in a pseudo-terminal, keys typed,
//! the screen read back. Redeems a key by keyboard alone through the wizard, checks the
//! previewed Total licenses and End date, confirms, and finds it on the History page and
//! in `benefits history --json`.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml");

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Wait until the screen shows `needle`; fail with the screen if it never does.
    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("screen never showed {needle:?}:\n{}", self.text());
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // One key at a time, as a person types: each gets its own frame.
        std::thread::sleep(Duration::from_millis(60));
    }
}

fn start(data: &Path) -> (Screen, Box<dyn portable_pty::Child + Send + Sync>) {
    start_with(data, &[])
}

fn start_with(
    data: &Path,
    envs: &[(&str, &Path)],
) -> (Screen, Box<dyn portable_pty::Child + Send + Sync>) {
    start_on(Path::new(CONFIG), data, envs)
}

fn start_on(
    config: &Path,
    data: &Path,
    envs: &[(&str, &Path)],
) -> (Screen, Box<dyn portable_pty::Child + Send + Sync>) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 160,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin("benefits"));
    cmd.args(["--today", "2026-11-23", "--lang", "en-US", "--config"]);
    cmd.arg(config);
    cmd.arg("--data-dir");
    cmd.arg(data);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(40).unwrap(),
        std::num::NonZeroU16::new(160).unwrap(),
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
    // Keep the master alive as long as the writer: leak it into the thread's lifetime.
    std::mem::forget(pty.master);
    (Screen { parser, writer }, child)
}

fn wait_exit(s: &Screen, child: &mut Box<dyn portable_pty::Child + Send + Sync>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(
            Instant::now() < deadline,
            "the dashboard did not quit:\n{}",
            s.text()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
}

#[test]
fn startup_trace_names_each_phase_up_to_the_first_frame() {
    let data = tempfile::tempdir().unwrap();
    let trace = data.path().join("trace.txt");
    // The first start parses the YAML and leaves a snapshot; the second opens it.
    for _ in 0..2 {
        let (mut s, mut child) = start_with(data.path(), &[("BENEFITS_TRACE_STARTUP", &trace)]);
        s.wait_for("Microsoft 365 E3");
        s.keys("q");
        wait_exit(&s, &mut child);
    }
    let text = std::fs::read_to_string(&trace).unwrap();
    let starts: Vec<&str> = text.split_inclusive("first frame drawn").collect();
    assert!(starts.len() >= 2, "two starts traced:\n{text}");
    for phase in [
        "main",
        "catalog file hashed",
        "indexes built",
        "ledger folded",
        "dashboard state built",
    ] {
        assert!(starts[0].contains(phase), "{phase} missing:\n{text}");
    }
    assert!(
        starts[0].contains("catalog parsed from YAML") && !starts[0].contains("snapshot opened"),
        "no snapshot yet:\n{text}"
    );
    assert!(
        starts[1].contains("snapshot opened"),
        "second start:\n{text}"
    );
    // Each line: milliseconds since start, then the phase.
    for line in text.lines() {
        let ms = line.split_whitespace().next().unwrap();
        assert!(ms.parse::<f64>().is_ok(), "{line}");
    }
}

#[test]
fn first_start_on_a_large_catalog_says_why_it_takes_longer() {
    let dir = tempfile::tempdir().unwrap();
    // The demo catalog made larger than the notice's 4 MiB by a comment, which parses fast.
    let config = dir.path().join("large.yaml");
    let mut text = std::fs::read_to_string(CONFIG).unwrap();
    text.push_str(&"# padding padding padding padding padding padding padding\n".repeat(80_000));
    std::fs::write(&config, text).unwrap();
    let data = dir.path().join("data");
    for start in ["first", "second"] {
        let (mut s, mut child) = start_on(&config, &data, &[]);
        s.wait_for("Microsoft 365 E3");
        s.keys("q");
        wait_exit(&s, &mut child);
        // Back on the main screen, the notice is what was written before the dashboard.
        let shown = s.text().contains("MB). Later starts use a snapshot of it");
        assert_eq!(shown, start == "first", "{start} start:\n{}", s.text());
    }
}

#[test]
fn redeem_by_keyboard_through_the_wizard_then_find_it_in_history() {
    let data = tempfile::tempdir().unwrap();
    let (mut s, mut child) = start(data.path());
    s.wait_for("Microsoft 365 E3");

    // The first row is Microsoft 365 E3 (Active, 100 licenses until Mar 31, 2027).
    s.keys("w");
    s.wait_for("Introduction");
    s.keys("n");
    s.keys("n");
    s.wait_for("I have verified the tenant account");
    s.keys("v");
    s.keys("r");
    s.wait_for("Enter your 25-character product key");

    // Forgiving input: lower case, spaces instead of dashes.
    for ch in "m3e3a 7qxrt 4hdpc 2vwnb k25la".chars() {
        s.keys(&ch.to_string());
    }
    s.keys("\r");
    s.wait_for("contoso.onmicrosoft.com");
    s.keys("\r");
    for ch in "contoso.onmicrosoft.com".chars() {
        s.keys(&ch.to_string());
    }
    s.keys("\r");

    // Every mode side by side: Extend (25 on 100 → +3 months) and Add licenses (125, averaged).
    s.wait_for("Review order details");
    let screen = s.text();
    // The three columns wrap, so the year may sit on the next line.
    assert!(screen.contains("100 → 100"), "extend licenses:\n{screen}");
    assert!(
        screen.contains("Mar 31, 2027 → Jun 30,"),
        "extend end date:\n{screen}"
    );
    assert!(
        screen.contains("100 → 125"),
        "add-licenses licenses:\n{screen}"
    );
    assert!(
        screen.contains("Mar 31, 2027 → May 17,"),
        "add-licenses end date:\n{screen}"
    );

    s.keys("\r"); // review the selected mode (Extend end date)
    s.wait_for("Jun 30, 2027");
    s.keys("\r"); // Redeem
    s.wait_for("Redeemed");
    assert!(s.text().contains("Jun 30, 2027"));

    // Back out of receipt and wizard, then the History page.
    s.keys("\r");
    s.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300)); // a lone Esc needs its timeout
    s.keys("3");
    s.wait_for("redemption");
    assert!(s.text().contains("Jun 30, 2027"), "history:\n{}", s.text());
    s.keys("q");
    wait_exit(&s, &mut child);

    let out = assert_cmd::Command::cargo_bin("benefits")
        .unwrap()
        .args([
            "--today",
            "2026-11-23",
            "--config",
            CONFIG,
            "--json",
            "--data-dir",
        ])
        .arg(data.path())
        .arg("history")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["entries"][0];
    assert_eq!(e["op"], "redemption");
    assert_eq!(e["mode"], "extend");
    assert_eq!(e["key_masked"], "*****-*****-*****-*****-K25LA");
    assert_eq!(e["before"]["end_date"], "2027-03-31");
    assert_eq!(e["after"]["end_date"], "2027-06-30");
    assert_eq!(e["after"]["total_licenses"], 100);
}
