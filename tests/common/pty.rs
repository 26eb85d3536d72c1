//! A program in a pseudo-terminal, its screen read back with vt100: one helper for every
//! pty test (the dashboard, the torture storms, the SSH client). Writes never block (a
//! program that stops reading fails the test instead of hanging it); every wait has a
//! deadline.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any wait for the screen may take.
pub const WAIT: Duration = Duration::from_secs(20);
/// How long the program may go without reading any input before a write fails the test.
pub const STALL: Duration = Duration::from_secs(60);

pub type Parser<C> = Arc<Mutex<vt100::Parser<C>>>;

/// The program, killed when dropped (also when a test fails half-way).
pub struct Program(pub Box<dyn Child + Send + Sync>);

impl std::ops::Deref for Program {
    type Target = Box<dyn Child + Send + Sync>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Program {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Pty<C: vt100::Callbacks + Send + 'static = ()> {
    pub parser: Parser<C>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    pub child: Program,
    reader: std::thread::JoinHandle<()>,
    /// Makes the reader thread drop its copy of the master, as a closing terminal would.
    hang_up: Arc<AtomicBool>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

impl Pty<()> {
    /// `cmd` in a `cols` x `rows` terminal.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty<()> {
        Pty::spawn_with(cmd, cols, rows, ())
    }
}

impl<C: vt100::Callbacks + Send + 'static> Pty<C> {
    /// `spawn`, telling `callbacks` what the program asks of the terminal besides drawing.
    pub fn spawn_with(cmd: CommandBuilder, cols: u16, rows: u16, callbacks: C) -> Pty<C> {
        Pty::spawn_tapped(cmd, cols, rows, callbacks, None)
    }

    /// `spawn_with`, keeping every byte the program writes in `raw` too.
    pub fn spawn_tapped(
        cmd: CommandBuilder,
        cols: u16,
        rows: u16,
        callbacks: C,
        raw: Option<Arc<Mutex<Vec<u8>>>>,
    ) -> Pty<C> {
        let pty = native_pty_system().openpty(size(rows, cols)).unwrap();
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            nz(rows),
            nz(cols),
            0,
            callbacks,
        )));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = parser.clone();
        let hang_up = Arc::new(AtomicBool::new(false));
        let hung_up = hang_up.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if let Some(raw) = &raw {
                            raw.lock().unwrap().extend_from_slice(&buf[..n]);
                        }
                        sink.lock().unwrap().process(&buf[..n]);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        if hung_up.load(Ordering::Relaxed) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
        });
        let writer = pty.master.take_writer().unwrap();
        let fd = pty.master.as_raw_fd().unwrap();
        // SAFETY: fcntl on the open master fd, adding O_NONBLOCK to its flags.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            assert!(flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) == 0);
        }
        Pty {
            parser,
            writer,
            master: pty.master,
            child: Program(child),
            reader,
            hang_up,
        }
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// One screen row's text.
    pub fn row(&self, row: u16) -> String {
        let p = self.parser.lock().unwrap();
        let (_, cols) = p.screen().size();
        p.screen().contents_between(row, 0, row, cols.get())
    }

    /// Wait until the screen shows `needle` (how long it took); fail with the screen if
    /// it never does.
    pub fn wait_for(&self, needle: &str) -> Duration {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.text().contains(needle) {
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("screen never showed {needle:?}:\n{}", self.text());
    }

    pub fn wait_gone(&self, needle: &str) {
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

    /// Write everything, waiting while the pty's input queue is full; fail when the
    /// program has not read anything for `STALL`.
    pub fn send(&mut self, mut bytes: &[u8]) {
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
                        "the program stopped reading input for {STALL:?}:\n{}",
                        self.text()
                    );
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => panic!("writing to the program failed: {e}"),
            }
        }
    }

    /// Type `bytes` as a person does: one key, then a pause long enough for its frame (and
    /// for no two keys to merge into one escape sequence).
    pub fn keys(&mut self, bytes: &str) {
        self.send(bytes.as_bytes());
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Type `text` one character at a time.
    pub fn type_text(&mut self, text: &str) {
        for ch in text.chars() {
            self.keys(&ch.to_string());
        }
    }

    /// A bracketed paste.
    pub fn paste(&mut self, text: &str) {
        self.keys(&format!("\x1b[200~{text}\x1b[201~"));
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.master.resize(size(rows, cols)).unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nz(rows), nz(cols));
    }

    /// The pty's line discipline: (canonical input, echo). Both on for a cooked terminal.
    pub fn cooked(&self) -> (bool, bool) {
        let fd = self.master.as_raw_fd().unwrap();
        // SAFETY: tcgetattr only fills the zeroed struct it is given, on an open fd.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        (t.c_lflag & libc::ICANON != 0, t.c_lflag & libc::ECHO != 0)
    }

    /// Wait (bounded) for the program to end.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "still running:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Close the master side and let the reader drain everything the program wrote.
    pub fn finish(self) -> Parser<C> {
        drop(self.writer);
        drop(self.master);
        let _ = self.reader.join();
        self.parser
    }

    /// Close the terminal as a closing window does (the program gets SIGHUP, reads fail);
    /// the child, to see how it ends.
    pub fn hang_up(self) -> Program {
        let Pty {
            writer,
            master,
            child,
            reader,
            hang_up,
            ..
        } = self;
        drop(writer);
        drop(master);
        hang_up.store(true, Ordering::Relaxed);
        let _ = reader.join();
        child
    }
}
