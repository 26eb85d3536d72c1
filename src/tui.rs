//! The terminal edge: set up, run the loop (events → actions → effects → frame), restore.
//! The loop is generic over ratatui's `Backend` and over where events come from, so tests
//! (`TestBackend`) and other transports share every line of it.

use crate::app::{self, Action, App, Effect};
use crate::ascii::AsciiBackend;
use crate::domain::{Portfolio, User};
use crate::i18n::{Lang, Messages};
use crate::input::{self, Event};
use crate::runtime::{self, Runtime};
use crate::store::Store;
use crate::ui::theme::{Depth, Scheme};
use crate::ui::{self, Theme};
use chrono::NaiveDate;
use crossterm::event::{
    self as ct, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste,
    EnableMouseCapture,
};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use std::io::{self, BufWriter, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Options {
    pub portfolio: Portfolio,
    /// The ledger, for the runtime worker (None: writes are applied in memory only).
    pub store: Option<Store>,
    /// The ledger as folded into `portfolio`, newest first.
    pub history: Vec<crate::store::Logged>,
    /// A start from a checkpoint read the ledger after this seq only: the worker reads
    /// the entries through it once the first frame is up, and they join the history.
    pub older_through: Option<i64>,
    pub today: NaiveDate,
    pub lang: Lang,
    pub no_color: bool,
    pub ascii: bool,
    /// The settings file, applied at the start and whenever it changes (None: defaults).
    pub settings: Option<crate::settings::Live>,
    /// Writes bytes to the user's terminal between frames (an OSC 52 copy); None where
    /// the terminal cannot take a copy.
    pub clipboard: Option<crate::clipboard::Sink>,
}

/// Put the terminal back as we found it. Safe to call more than once.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// On a panic, restore the terminal first, then run the hook that was there before (which
/// prints the message on the restored screen).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Run the dashboard on the process's terminal. The terminal is restored on return, on
/// panic (the hook restores, then chains the previous one) and on a stop request (`platform`).
pub fn run(mut opts: Options) -> io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    crate::platform::on_stop_request(&stop)?;
    install_panic_hook();
    enable_raw_mode()?;
    let setup = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    );
    // Mouse reporting follows the settings (between frames, so nothing is interleaved).
    let set_mouse = |on: bool| {
        let _ = if on {
            execute!(io::stdout(), EnableMouseCapture)
        } else {
            execute!(io::stdout(), DisableMouseCapture)
        };
    };
    match &mut opts.settings {
        Some(live) => live.set_mouse = Some(Box::new(set_mouse)),
        None => set_mouse(true),
    }
    let term = std::env::var("TERM").unwrap_or_default();
    if crate::clipboard::supported(&term) {
        opts.clipboard = Some(Box::new(|bytes: &[u8]| {
            let mut out = io::stdout();
            let _ = out.write_all(bytes).and_then(|_| out.flush());
        }));
    }
    if let Err(e) = setup {
        restore();
        return Err(e);
    }
    // Palette and glyphs from the terminal's type (and --no-color / --ascii).
    let term = std::env::var("TERM").unwrap_or_default();
    let colorterm = std::env::var("COLORTERM").unwrap_or_default();
    let theme = terminal_theme(&term, &colorterm, opts.no_color, opts.ascii);
    // One buffered write per frame; only ASCII when the theme is.
    let backend = CrosstermBackend::new(BufWriter::new(io::stdout()));
    let backend = AsciiBackend::new(backend, theme.ascii);
    let result = Terminal::new(backend).and_then(|mut terminal| {
        let next = |timeout: Duration| -> io::Result<Option<Event>> {
            if ct::poll(timeout)? {
                // What the dashboard has no use for (focus, key releases) counts as nothing.
                ct::read().map(|e| input::terminal::event(&e))
            } else {
                Ok(None)
            }
        };
        let sync = |t: &mut Terminal<LocalBackend>, begin: bool| {
            let w = t.backend_mut().inner_mut();
            let _ = if begin {
                queue!(w, BeginSynchronizedUpdate)
            } else {
                queue!(w, EndSynchronizedUpdate).and_then(|_| Write::flush(w))
            };
        };
        let result = run_loop(&mut terminal, opts, theme, next, sync, &stop, |_, _| {});
        // ratatui's Drop shows the cursor and reports a failure with eprintln!, which panics
        // when the terminal is gone (a closed window). `restore` below shows the cursor
        // without printing: flush what is left and skip that Drop.
        let _ = Write::flush(terminal.backend_mut());
        std::mem::forget(terminal);
        result
    });
    restore();
    result
}

type LocalBackend = AsciiBackend<CrosstermBackend<BufWriter<io::Stdout>>>;

/// The theme for a terminal of type `term` (COLORTERM `colorterm`): as many colours as it
/// says it shows (none with `no_color`), ASCII glyphs with `ascii` or where it shows no
/// more (dumb, the DEC VTs).
pub fn terminal_theme(term: &str, colorterm: &str, no_color: bool, ascii: bool) -> Theme {
    let depth = if no_color {
        Depth::None
    } else {
        Depth::detect(term, colorterm)
    };
    let ascii = ascii || crate::ascii::term_is_ascii(term);
    Theme::with(Scheme::Dark, &[], depth, ascii)
}

/// How long to wait for input: short while a write is under way, so its answer shows as
/// soon as it comes; otherwise the worker's catch-up pace.
fn input_timeout(runtime: Option<&Runtime>) -> Duration {
    if runtime.is_some_and(Runtime::writing) {
        Duration::from_millis(15)
    } else {
        Duration::from_millis(250)
    }
}

/// The loop: draw, wait for events, turn them into actions, hand effects to the runtime
/// worker, draw again only when something happened. `next_event(timeout)` returns `None` on
/// timeout (so a stop request and the worker's answers are noticed without input); bursts
/// of events are drained before the next frame. `frame_edge` is called before (true) and
/// after (false) each frame (synchronized-update markers).
/// `observe` is told each answer the runtime gives (an entry written, a refusal, a ledger
/// failure) with the user who acted: the SSH server logs operations so.
pub fn run_loop<B, N, S, O>(
    terminal: &mut Terminal<B>,
    opts: Options,
    mut theme: Theme,
    mut next_event: N,
    mut frame_edge: S,
    stop: &AtomicBool,
    mut observe: O,
) -> io::Result<()>
where
    B: Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
    N: FnMut(Duration) -> io::Result<Option<Event>>,
    S: FnMut(&mut Terminal<B>, bool),
    O: FnMut(&User, &Action),
{
    let Options {
        portfolio,
        store,
        history,
        mut older_through,
        today,
        lang,
        mut settings,
        mut clipboard,
        ..
    } = opts;
    let mut app = App::new(portfolio, today, Messages::get(lang));
    if let Some(live) = &mut settings {
        live.begin(&mut app, &mut theme);
    }
    app::update(&mut app, Action::History(history));
    app.history_loading = older_through.is_some() && store.is_some();
    let mut runtime = match store {
        Some(s) => Some(Runtime::spawn(
            s,
            app.portfolio.last_seq,
            app.user.clone(),
            today,
        )?),
        None => None,
    };
    crate::startup_trace::mark("dashboard state built");
    let mut dirty = true;
    let mut first_frame = true;
    let mut apply = |app: &mut App, action: Action| {
        observe(&app.user, &action);
        app::update(app, action);
    };
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if dirty {
            frame_edge(terminal, true);
            let mut layout = None;
            terminal
                .draw(|f| layout = Some(ui::render(&app, f, &theme)))
                .map_err(io::Error::other)?;
            frame_edge(terminal, false);
            app.after_frame(layout.unwrap_or_default());
            if std::mem::take(&mut first_frame) {
                crate::startup_trace::mark("first frame drawn");
                if let (Some(rt), Some(seq)) = (&runtime, older_through.take()) {
                    rt.load_older(seq);
                }
            }
            dirty = false;
        }
        let mut timeout = input_timeout(runtime.as_ref());
        while let Some(ev) = next_event(timeout)? {
            dirty = true;
            let effect = app.handle(&ev);
            if let Some(text) = app.clipboard.take() {
                let on = settings.as_ref().is_none_or(|l| l.current.copy);
                match &mut clipboard {
                    Some(write) if on => write(&crate::clipboard::osc52(&text)),
                    _ => app.notice = Some(app::Notice::Info("copy.unavailable")),
                }
            }
            if let Some(Effect::Commit(operation)) = effect {
                match &mut runtime {
                    Some(rt) => rt.submit(operation, Arc::clone(&app.portfolio)),
                    None => {
                        for action in runtime::in_memory(&app, &operation) {
                            apply(&mut app, action);
                        }
                    }
                }
            }
            if app.quit {
                break;
            }
            // Coalesce a burst (a paste, key repeat) into one frame.
            timeout = Duration::ZERO;
        }
        if let Some(rt) = &mut runtime {
            for action in rt.poll(Instant::now()) {
                dirty = true;
                apply(&mut app, action);
            }
        }
        if let Some(live) = &mut settings {
            dirty |= live.tick(&mut app, &mut theme, Instant::now());
        }
    }
    // Quit with a write under way (the user said yes): its answer is awaited, within the
    // store's own deadline, so the outcome is observed (logged) rather than left behind.
    if let Some(rt) = &mut runtime
        && rt.writing()
        && !stop.load(Ordering::Relaxed)
    {
        while let Some(action) = rt.wait(Duration::from_secs(30)) {
            apply(&mut app, action);
            if !rt.writing() {
                break;
            }
        }
    }
    Ok(())
}
