//! Hostile terminals, for real: the binary in a pseudo-terminal under a seeded storm of
//! keystrokes, bracketed pastes of escape sequences and resizes from 1x1 to 500x200, then
//! SIGTERM. It keeps answering, nothing pasted reaches the terminal as a control sequence,
//! and afterwards the terminal is back: main screen, cursor shown, bracketed paste and mouse
//! reporting off, raw mode off. The panic hook's restore is proved the same way, in a child
//! process that installs the library's hook, takes the terminal and panics.

mod common;

use common::Rng;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml");
/// How long the dashboard may go without reading any input before the test fails.
const STALL: Duration = Duration::from_secs(60);

/// What the terminal was asked to do besides drawing.
#[derive(Default)]
struct Seen {
    titles: Vec<Vec<u8>>,
    bells: usize,
    clipboard: usize,
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
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], _: &[u8]) {
        self.clipboard += 1;
    }
}

type Parser = Arc<Mutex<vt100::Parser<Seen>>>;

struct Term {
    parser: Parser,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    reader: std::thread::JoinHandle<()>,
    /// Makes the reader thread drop its copy of the master, as a closing terminal would.
    hang_up: Arc<std::sync::atomic::AtomicBool>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn spawn(cmd: CommandBuilder, rows: u16, cols: u16) -> Term {
    let pty = native_pty_system().openpty(size(rows, cols)).unwrap();
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let parser: Parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
        std::num::NonZeroU16::new(rows).unwrap(),
        std::num::NonZeroU16::new(cols).unwrap(),
        0,
        Seen::default(),
    )));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let sink = parser.clone();
    let hang_up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hung_up = hang_up.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => sink.lock().unwrap().process(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if hung_up.load(std::sync::atomic::Ordering::Relaxed) {
                        break; // dropping this end of the master too
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    });
    let writer = pty.master.take_writer().unwrap();
    // Non-blocking writes: a dashboard that stops reading fails the test instead of hanging it.
    let fd = pty.master.as_raw_fd().unwrap();
    // SAFETY: fcntl on the open master fd, adding O_NONBLOCK to its flags.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        assert!(flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) == 0);
    }
    Term {
        parser,
        writer,
        master: pty.master,
        child,
        reader,
        hang_up,
    }
}

impl Term {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("screen never showed {needle:?}:\n{}", self.text());
    }

    /// Write everything, waiting while the pty's input queue is full; fail when the dashboard
    /// has not read anything for `STALL`.
    fn send(&mut self, mut bytes: &[u8]) {
        let mut last_progress = Instant::now();
        while !bytes.is_empty() {
            match self.writer.write(bytes) {
                Ok(n) => {
                    bytes = &bytes[n..];
                    last_progress = Instant::now();
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    assert!(
                        last_progress.elapsed() < STALL,
                        "the dashboard stopped reading input for {STALL:?}:\n{}",
                        self.text()
                    );
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => panic!("writing to the dashboard failed: {e}"),
            }
        }
    }

    fn resize(&self, rows: u16, cols: u16) {
        self.master.resize(size(rows, cols)).unwrap();
        self.parser.lock().unwrap().screen_mut().set_size(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
        );
    }

    /// The pty's line discipline: (canonical input, echo). Both on for a cooked terminal.
    fn cooked(&self) -> (bool, bool) {
        let fd = self.master.as_raw_fd().unwrap();
        // SAFETY: tcgetattr only fills the zeroed struct it is given, on an open fd.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        (t.c_lflag & libc::ICANON != 0, t.c_lflag & libc::ECHO != 0)
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "still running:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Close the master side and let the reader drain everything the child wrote.
    fn finish(self) -> Parser {
        drop(self.writer);
        drop(self.master);
        let _ = self.reader.join();
        self.parser
    }
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
        t.resize(rows, cols);
        t.send(arrows[rng.below(arrows.len() as u64) as usize]);
        std::thread::sleep(Duration::from_millis(40));
    }
    assert!(
        t.child.try_wait().unwrap().is_none(),
        "the storm ended the dashboard"
    );

    // Still answering: back to a known size, out of every layer, then the help screen.
    t.resize(40, 120);
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
        assert_eq!(seen.clipboard, 0, "a paste reached the clipboard");
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
    let Term {
        writer,
        master,
        mut child,
        reader,
        hang_up,
        ..
    } = t;
    drop(writer);
    drop(master);
    hang_up.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = reader.join();
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
