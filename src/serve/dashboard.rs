//! One session's dashboard, on a thread of its own: its own ledger connection and state,
//! the same loop (`tui::run_loop`) as the local terminal, fed the channel's bytes and
//! drawing into the channel at the client's size.

use super::auth::{self, Identity};
use super::output::{FrameWriter, SessionBackend, SharedSize};
use super::shared::{Sending, Shared, SlotGuard};
use crate::app::Action;
use crate::ascii::AsciiBackend;
use crate::i18n::{Lang, Messages};
use crate::input::Event;
use crate::input::ssh::InputParser;
use crate::store::Store;
use crate::tui::{self, Options};
use crate::ui::theme::Depth;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use russh::ChannelId;
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

/// Input chunks (SSH data packets) waiting for the dashboard, at most.
const INPUT_QUEUE: usize = 1024;

/// Input for a session's thread, from the connection.
pub(super) enum Input {
    Bytes(Vec<u8>),
    Resize(u16, u16),
}

/// Colours unless the client asks for none (NO_COLOR) or its terminal has none (TERM unset,
/// `dumb`, or a monochrome DEC VT): the client's terminal, never the server's.
pub fn wants_color(term: &str, no_color: bool) -> bool {
    !no_color && Depth::detect(term, "") != Depth::None
}

/// What a session's thread starts from.
pub(super) struct SessionSetup {
    pub(super) shared: Arc<Shared>,
    pub(super) id: String,
    pub(super) identity: Identity,
    pub(super) color: bool,
    pub(super) lang: Lang,
    pub(super) size: Arc<SharedSize>,
    pub(super) term: String,
}

/// Start a session's dashboard on a thread of its own, and the task that carries its
/// frames to `channel`; the sender for the channel's input. When the dashboard ends (quit),
/// the channel is closed as a shell would close it.
pub(super) fn start(
    setup: SessionSetup,
    slot: SlotGuard,
    channel: ChannelId,
    handle: russh::server::Handle,
) -> io::Result<SyncSender<Input>> {
    let (input_tx, input_rx) = mpsc::sync_channel(INPUT_QUEUE);
    let (out_tx, mut out_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
    let sending = Sending::new(setup.shared.clone());
    tokio::spawn(async move {
        let _sending = sending;
        while let Some(chunk) = out_rx.recv().await {
            if handle.data(channel, chunk).await.is_err() {
                return;
            }
        }
        let _ = handle.exit_status_request(channel, 0).await;
        let _ = handle.eof(channel).await;
        let _ = handle.close(channel).await;
    });
    std::thread::Builder::new()
        .name(format!("serve-{}", setup.id))
        .spawn(move || {
            let (shared, id) = (setup.shared.clone(), setup.id.clone());
            let out_after_panic = out_tx.clone();
            // A bug in one session must not take the server down; its slot and channel
            // are freed by unwinding, and the log says what happened.
            let run = std::panic::AssertUnwindSafe(|| run_dashboard(setup, slot, input_rx, out_tx));
            if let Err(panic) = std::panic::catch_unwind(run) {
                let _ = out_after_panic.blocking_send(restore_sequence());
                let detail = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                shared.log.line(
                    "session-end",
                    &[("conn", &id), ("reason", "panic"), ("detail", &detail)],
                );
            }
        })?;
    Ok(input_tx)
}

/// The dashboard of one session, on its own thread: its own ledger connection and state,
/// the same loop as the local terminal. Returns when the user quits or the client is gone.
fn run_dashboard(
    setup: SessionSetup,
    slot: SlotGuard,
    input: Receiver<Input>,
    out: tokio::sync::mpsc::Sender<Vec<u8>>,
) {
    let SessionSetup {
        shared,
        id,
        identity,
        color,
        lang,
        size,
        term,
    } = setup;
    // A guest is named in the session's language, known only now (after the env requests).
    let identity = if identity.is_guest() {
        auth::guest(Messages::get(lang))
    } else {
        identity
    };
    let user = identity.user.email.clone();
    let shown = size.get();
    shared.log.line(
        "session-start",
        &[
            ("conn", &id),
            ("user", &user),
            ("role", identity.user.role.as_str()),
            ("term", &term),
            ("size", &format!("{}x{}", shown.width, shown.height)),
            ("color", if color { "yes" } else { "no" }),
            ("lang", lang.as_str()),
        ],
    );
    let stop = AtomicBool::new(false);
    let idled = AtomicBool::new(false);
    let stopped = AtomicBool::new(false);
    // A copy (OSC 52) goes down the same channel as the frames, between two of them.
    let clipboard: Option<crate::clipboard::Sink> = crate::clipboard::supported(&term).then(|| {
        let out = out.clone();
        Box::new(move |bytes: &[u8]| {
            let _ = out.blocking_send(bytes.to_vec());
        }) as crate::clipboard::Sink
    });
    let mut writer = FrameWriter::new(out);
    let result = (|| -> io::Result<()> {
        // Start from the server's fold and read only what was appended since.
        let mut portfolio = shared.base.clone();
        let opened = Store::connect(&shared.store).and_then(|s| {
            let s = s.with_clock(shared.clock);
            let newer = s.fold(&mut portfolio)?;
            Ok((s, newer))
        });
        let (store, mut history) = match opened {
            Ok(s) => s,
            Err(e) => {
                // Said on the client's screen too: otherwise the session would just vanish.
                let t = Messages::get(lang);
                let msg = t.fmt("serve.session-failed", &[("detail", &e.to_string())]);
                let _ = write!(writer, "{msg}\r\n");
                let _ = writer.flush();
                return Err(io::Error::other(e));
            }
        };
        history.reverse();
        history.extend(shared.base_history.iter().cloned());
        // The catalog's user is whoever signed in: a guest browses as a guest.
        portfolio.catalog.user = identity.user.clone();
        execute!(
            writer,
            EnterAlternateScreen,
            EnableBracketedPaste,
            EnableMouseCapture,
            cursor::Hide
        )?;
        // Palette and glyphs from the client's TERM (its COLORTERM is not sent by default).
        let theme = tui::terminal_theme(&term, "", !color, false);
        let backend = SessionBackend::new(writer, size.clone());
        let mut terminal = Terminal::new(AsciiBackend::new(backend, theme.ascii))?;
        let mut parser = InputParser::default();
        let opts = Options {
            older_through: None,
            portfolio,
            store: Some(store),
            history,
            today: shared.today,
            lang,
            no_color: !color,
            ascii: false,
            settings: None,
            clipboard,
        };
        let mut last_input = Instant::now();
        let next = |timeout| {
            let ev = next_event(&input, &mut parser, &size, timeout, &stop)?;
            if shared.shutdown.load(Ordering::Relaxed) {
                stopped.store(true, Ordering::Relaxed);
                stop.store(true, Ordering::Relaxed);
            } else if ev.is_some() {
                last_input = Instant::now();
            } else if shared
                .idle_timeout
                .is_some_and(|d| last_input.elapsed() >= d)
            {
                idled.store(true, Ordering::Relaxed);
                stop.store(true, Ordering::Relaxed);
            }
            Ok(ev)
        };
        let edge = |t: &mut Terminal<AsciiBackend<SessionBackend>>, begin: bool| {
            let b = t.backend_mut().inner_mut();
            let _ = if begin {
                b.begin_frame()
            } else {
                b.end_frame()
            };
        };
        let observe = |u: &crate::domain::User, action: &Action| match action {
            Action::Committed(entry) => shared.log.committed(&id, &u.email, entry),
            Action::CommitFailed(r) => shared.log.refused(&id, &u.email, r),
            Action::StoreFailed(e) => shared.log.line(
                "store-failed",
                &[("conn", &id), ("user", &u.email), ("detail", e)],
            ),
            _ => {}
        };
        let result = tui::run_loop(&mut terminal, opts, theme, next, edge, &stop, observe);
        let _ = terminal.backend_mut().write_all(&restore_sequence());
        let _ = Write::flush(terminal.backend_mut());
        result
    })();
    let reason = if idled.load(Ordering::Relaxed) {
        "idle"
    } else if stopped.load(Ordering::Relaxed) {
        "server-stopped"
    } else if stop.load(Ordering::Relaxed) {
        "disconnected"
    } else if result.is_ok() {
        "quit"
    } else {
        "error"
    };
    let detail = result.err().map(|e| e.to_string()).unwrap_or_default();
    // The slot is free before the log says the session ended.
    drop(slot);
    shared.log.line(
        "session-end",
        &[
            ("conn", &id),
            ("user", &user),
            ("reason", reason),
            ("detail", &detail),
        ],
    );
}

/// What puts the client's terminal back as the session found it (modes the session set).
fn restore_sequence() -> Vec<u8> {
    let mut v = Vec::new();
    let _ = execute!(
        v,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    v
}

/// The next event for the loop: parsed from the channel's bytes, a window change, or None
/// when `timeout` passes. A pending lone Esc is flushed after its own short timeout. A gone
/// connection stops the loop.
fn next_event(
    input: &Receiver<Input>,
    parser: &mut InputParser,
    size: &SharedSize,
    timeout: Duration,
    stop: &AtomicBool,
) -> io::Result<Option<Event>> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(ev) = parser.next_event() {
            return Ok(Some(ev));
        }
        let now = Instant::now();
        let until = parser.deadline().map_or(deadline, |d| d.min(deadline));
        match input.recv_timeout(until.saturating_duration_since(now)) {
            Ok(Input::Bytes(b)) => parser.feed(&b, Instant::now()),
            Ok(Input::Resize(w, h)) => {
                size.set(w, h);
                return Ok(Some(Event::Resize(w, h)));
            }
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                parser.flush_stale(now);
                if let Some(ev) = parser.next_event() {
                    return Ok(Some(ev));
                }
                if now >= deadline {
                    return Ok(None);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                stop.store(true, Ordering::Relaxed);
                return Ok(None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_clients_terminal_and_no_color() {
        assert!(wants_color("xterm-256color", false));
        assert!(!wants_color("xterm-256color", true));
        assert!(!wants_color("dumb", false));
        assert!(!wants_color("", false));
        assert!(!wants_color("vt100", false));
        assert!(!wants_color("vt220-am", false));
        assert!(wants_color("vte-256color", false));
        assert!(wants_color("screen", false));
        assert!(wants_color("linux", false));
    }

    #[test]
    fn a_lone_esc_is_flushed_and_a_gone_client_stops_the_loop() {
        let (tx, rx) = std::sync::mpsc::sync_channel(8);
        let size = SharedSize::new(80, 24);
        let stop = AtomicBool::new(false);
        let mut p = InputParser::default();
        tx.send(Input::Bytes(b"\x1b".to_vec())).unwrap();
        tx.send(Input::Resize(100, 30)).unwrap();
        let started = Instant::now();
        let ev = next_event(&rx, &mut p, &size, Duration::from_secs(5), &stop).unwrap();
        // The window change came first; the Esc is still waiting for a possible sequence.
        assert_eq!(ev, Some(Event::Resize(100, 30)));
        assert_eq!(size.get(), ratatui::layout::Size::new(100, 30));
        let ev = next_event(&rx, &mut p, &size, Duration::from_secs(5), &stop).unwrap();
        assert_eq!(ev, Some(Event::key(crate::input::KeyCode::Esc)));
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(
            next_event(&rx, &mut p, &size, Duration::ZERO, &stop).unwrap(),
            None
        );
        drop(tx);
        assert_eq!(
            next_event(&rx, &mut p, &size, Duration::from_secs(5), &stop).unwrap(),
            None
        );
        assert!(stop.load(Ordering::Relaxed));
    }
}
