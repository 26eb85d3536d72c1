//! Hostile terminals, for real: the binary in a pseudo-terminal under a seeded storm of
//! keystrokes, bracketed pastes of escape sequences and resizes from 1x1 to 500x200, then
//! SIGTERM. It keeps answering, nothing pasted reaches the terminal as a control sequence,
//! and afterwards the terminal is back: main screen, cursor shown, bracketed paste and mouse
//! reporting off, raw mode off. The panic hook's restore is proved the same way, in a child
//! process that installs the library's hook, takes the terminal and panics.

mod common;

use common::Rng;
use common::pty::Pty;
use portable_pty::CommandBuilder;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml");

/// What the terminal was asked to do besides drawing.
#[derive(Default)]
struct Seen {
    titles: Vec<Vec<u8>>,
    bells: usize,
    /// What reached the clipboard (base64, as OSC 52 carries it).
    clipboard: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Seen {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

type Parser = common::pty::Parser<Seen>;
type Term = Pty<Seen>;

fn spawn(cmd: CommandBuilder, rows: u16, cols: u16) -> Term {
    Pty::spawn_with(cmd, cols, rows, Seen::default())
}

fn assert_restored(parser: &Parser, cooked: (bool, bool)) {
    let p = parser.lock().unwrap();
    let s = p.screen();
    assert!(!s.alternate_screen(), "still on the alternate screen");
    assert!(!s.hide_cursor(), "cursor still hidden");
    assert!(!s.bracketed_paste(), "bracketed paste still on");
    assert_eq!(
        s.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting still on"
    );
    assert_eq!(cooked, (true, true), "raw mode still on (ICANON, ECHO)");
}

/// Garbage pasted with bracketed paste: escape sequences, controls, bidi, wide and long.
fn pastes() -> Vec<String> {
    vec![
        "\u{1b}]0;PWNED\u{7}".into(),
        "\u{1b}]52;c;UFdORUQ=\u{7}".into(),
        "\u{1b}[2J\u{1b}[H\u{1b}[31mXQJZ\u{1b}[0m".into(),
        "\u{1b}[?1049l\u{1b}[?25h".into(),
        "\u{9b}31m\u{7}\u{7}\u{7}".into(),
        "\u{202E}txt.exe \u{2067}isolate\u{2069} مرحبا שלום 漢字 🦀".into(),
    ]
}

#[test]
fn keystroke_paste_and_resize_storm_then_sigterm_restores_the_terminal() {
    let data = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_benefits"));
    cmd.args([
        "--today",
        "2026-11-23",
        "--lang",
        "en-US",
        "--config",
        CONFIG,
        "--data-dir",
    ]);
    cmd.arg(data.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    let mut t = spawn(cmd, 40, 120);
    t.wait_for("Microsoft 365 E3");
    assert_eq!(t.cooked(), (false, false), "the dashboard runs in raw mode");
    assert!(t.parser.lock().unwrap().screen().alternate_screen());

    let pid = t.child.process_id().unwrap() as libc::pid_t;
    let started = Instant::now();
    let events = if common::soak() { 40_000 } else { 1_500 };
    let mut rng = Rng::new(0x7E57);
    // No `q` and no Ctrl-C: the storm must not simply quit.
    const KEYS: &[u8] = b"jkhlgGnpsvrwxacftdy /?0123456789-.@ABCDEFHIJKLMNOPRSTUVWXYZ\r\t\x7f";
    let arrows: [&[u8]; 8] = [
        b"\x1b[A", b"\x1b[B", b"\x1b[C", b"\x1b[D", b"\x1b[5~", b"\x1b[6~", b"\x1b[Z", b"\x1b[H",
    ];
    let pastes = pastes();
    // One long paste into the filter field first (10k characters), then the storm.
    t.send(format!("/\x1b[200~{}\x1b[201~\x1b", "x".repeat(10_000)).as_bytes());
    for n in 0..events {
        match rng.below(100) {
            0..=69 => t.send(&[KEYS[rng.below(KEYS.len() as u64) as usize]]),
            70..=89 => t.send(arrows[rng.below(arrows.len() as u64) as usize]),
            90..=95 => t.send(b"\x1b"),
            _ => {
                let p = &pastes[rng.below(pastes.len() as u64) as usize];
                t.send(format!("\x1b[200~{p}\x1b[201~").as_bytes());
            }
        }
        // A typist's burst, not a flood a debug build cannot draw.
        if n % 20 == 0 {
            std::thread::sleep(Duration::from_millis(15));
        }
    }
    eprintln!(
        "{events} keystrokes and pastes taken in {:?}",
        started.elapsed()
    );
    // The resize storm, keys in between: down to 1x1, up to 500x200.
    let resizes = if common::soak() { 400 } else { 40 };
    for n in 0..resizes {
        let (rows, cols) = match n % 5 {
            0 => (1, 1),
            1 => (200, 500),
            2 => (14, 59),
            _ => (rng.below(200) as u16 + 1, rng.below(500) as u16 + 1),
        };
        t.resize(cols, rows);
        t.send(arrows[rng.below(arrows.len() as u64) as usize]);
        std::thread::sleep(Duration::from_millis(40));
    }
    assert!(
        t.child.try_wait().unwrap().is_none(),
        "the storm ended the dashboard"
    );

    // Still answering: back to a known size, out of every layer, then the help screen.
    t.resize(120, 40);
    for _ in 0..8 {
        t.send(b"\x1b");
        std::thread::sleep(Duration::from_millis(60));
        t.send(b"n");
        std::thread::sleep(Duration::from_millis(60));
    }
    t.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(200));
    t.send(b"?");
    t.wait_for("╭ Keys ─");
    {
        let p = t.parser.lock().unwrap();
        let seen = p.callbacks();
        assert!(seen.titles.is_empty(), "a paste set the window title");
        // `y`/`Y` in the storm copy ids, domains and keys; a paste never reaches it.
        for data in &seen.clipboard {
            use base64::Engine;
            let text = base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap();
            assert!(
                text.iter()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(b)),
                "a paste reached the clipboard: {:?}",
                String::from_utf8_lossy(&text)
            );
        }
        assert_eq!(seen.bells, 0, "a paste rang the bell");
        assert!(
            p.screen().alternate_screen(),
            "a paste left the alternate screen"
        );
        assert!(p.screen().hide_cursor(), "a paste showed the cursor");
    }

    // SAFETY: a plain kill(2) of the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    let cooked = t.cooked();
    let parser = t.finish();
    assert_restored(&parser, cooked);
    let text = parser.lock().unwrap().screen().contents();
    assert!(!text.contains("panicked"), "{text}");
}

const PANIC_CHILD: &str = "BENEFITS_TORTURE_PANIC_CHILD";

/// In the child (the same test re-run in a pty): take the terminal like the dashboard does,
/// with the library's hook installed, then panic. In the parent: check the terminal is back
/// and the panic message was printed on the restored screen.
#[test]
fn panic_hook_restores_the_terminal_then_reports_the_panic() {
    use crossterm::{cursor, event, execute, terminal};
    if std::env::var_os(PANIC_CHILD).is_some() {
        benefits::tui::install_panic_hook();
        terminal::enable_raw_mode().unwrap();
        execute!(
            std::io::stdout(),
            terminal::EnterAlternateScreen,
            event::EnableBracketedPaste,
            event::EnableMouseCapture,
            cursor::Hide
        )
        .unwrap();
        print!("READY");
        std::io::stdout().flush().unwrap();
        let mut b = [0u8; 1];
        let _ = std::io::stdin().read(&mut b);
        panic!("deliberate panic for the hook test");
    }
    let mut cmd = CommandBuilder::new(std::env::current_exe().unwrap());
    cmd.args([
        "panic_hook_restores_the_terminal_then_reports_the_panic",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ]);
    cmd.env(PANIC_CHILD, "1");
    cmd.env("TERM", "xterm-256color");
    let mut t = spawn(cmd, 30, 100);
    t.wait_for("READY");
    assert_eq!(t.cooked(), (false, false), "the child took raw mode");
    assert!(t.parser.lock().unwrap().screen().alternate_screen());
    t.send(b"x");
    let status = t.wait_exit();
    assert!(!status.success(), "the child test panicked, so it failed");
    let cooked = t.cooked();
    let parser = t.finish();
    assert_restored(&parser, cooked);
    let text = parser.lock().unwrap().screen().contents();
    assert!(
        text.contains("deliberate panic for the hook test"),
        "the previous hook still reports the panic:\n{text}"
    );
}

/// Closing the terminal (the pty's master side goes away: SIGHUP, then reads fail) ends the
/// dashboard promptly instead of leaving it spinning on a dead terminal.
#[test]
fn closing_the_terminal_ends_the_dashboard() {
    let data = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_benefits"));
    cmd.args(["--today", "2026-11-23", "--config", CONFIG, "--data-dir"]);
    cmd.arg(data.path());
    cmd.env("TERM", "xterm-256color");
    let t = spawn(cmd, 30, 100);
    t.wait_for("Microsoft 365 E3");
    let mut child = t.hang_up();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the dashboard kept running after its terminal closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // SIGHUP stops the loop (exit 0), or the dead terminal's read error ends it (exit 1);
    // never a panic (101) from writing to the closed terminal.
    // (101 was ratatui's Drop panicking on eprintln! to the closed terminal.)
    assert!(matches!(status.exit_code(), 0 | 1), "ended with {status:?}");
}
