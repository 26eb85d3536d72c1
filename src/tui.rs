//! The terminal edge: set up, run the loop (events → actions → effects → frame), restore.
//! The loop is generic over ratatui's `Backend` and over where events come from, so tests
//! (`TestBackend`) and other transports share every line of it.

use crate::app::{self, Action, App, Effect};
use crate::domain::{Portfolio, User};
use crate::i18n::{Lang, Messages};
use crate::redeem::{Ctx, Operation};
use crate::store::{CommitError, Store};
use crate::ui::{self, Theme};
use chrono::NaiveDate;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
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
use std::time::Duration;

pub struct Options {
    pub portfolio: Portfolio,
    pub store: Option<Store>,
    /// The ledger as folded into `portfolio`, newest first.
    pub history: Vec<(i64, crate::domain::Entry)>,
    /// The older entries a start from a checkpoint did not read, oldest first, arriving
    /// after the first frame: appended to the history when they come.
    pub older_history: Option<std::sync::mpsc::Receiver<Vec<(i64, crate::domain::Entry)>>>,
    pub today: NaiveDate,
    pub lang: Lang,
    pub no_color: bool,
    pub ascii: bool,
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
pub fn run(opts: Options) -> io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    crate::platform::on_stop_request(&stop)?;
    install_panic_hook();
    enable_raw_mode()?;
    let setup = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        EnableMouseCapture,
        cursor::Hide
    );
    if let Err(e) = setup {
        restore();
        return Err(e);
    }
    // One buffered write per frame.
    let backend = CrosstermBackend::new(BufWriter::new(io::stdout()));
    let result = Terminal::new(backend).and_then(|mut terminal| {
        let theme = Theme::new(opts.no_color, opts.ascii);
        let next = |timeout: Duration| -> io::Result<Option<Event>> {
            if event::poll(timeout)? {
                event::read().map(Some)
            } else {
                Ok(None)
            }
        };
        let sync = |t: &mut Terminal<CrosstermBackend<BufWriter<io::Stdout>>>, begin: bool| {
            let w = t.backend_mut();
            let _ = if begin {
                queue!(w, BeginSynchronizedUpdate)
            } else {
                queue!(w, EndSynchronizedUpdate).and_then(|_| Write::flush(w))
            };
        };
        let result = run_loop(&mut terminal, opts, theme, next, sync, &stop);
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

/// The loop: draw, wait for events, turn them into actions, run effects, draw again only when
/// something happened. `next_event(timeout)` returns `None` on timeout (so a stop request is
/// noticed without input); bursts of events are drained before the next frame. `frame_edge`
/// is called before (true) and after (false) each frame (synchronized-update markers).
pub fn run_loop<B, N, S>(
    terminal: &mut Terminal<B>,
    opts: Options,
    theme: Theme,
    next_event: N,
    frame_edge: S,
    stop: &AtomicBool,
) -> io::Result<()>
where
    B: Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
    N: FnMut(Duration) -> io::Result<Option<Event>>,
    S: FnMut(&mut Terminal<B>, bool),
{
    run_loop_with(
        terminal,
        opts,
        theme,
        next_event,
        frame_edge,
        stop,
        |_, _| {},
    )
}

/// `run_loop`, telling `observe` each result of an effect (an entry written, a refusal, a
/// ledger failure) with the user who acted: the SSH server logs operations this way.
pub fn run_loop_with<B, N, S, O>(
    terminal: &mut Terminal<B>,
    opts: Options,
    theme: Theme,
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
        mut older_history,
        today,
        lang,
        ..
    } = opts;
    let mut app = App::new(portfolio, today, Messages::get(lang));
    let size = terminal.size().map_err(io::Error::other)?;
    app::update(
        &mut app,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    app::update(&mut app, Action::History(history));
    app.history_loading = older_history.is_some();
    crate::startup_trace::mark("dashboard state built");
    let mut dirty = true;
    let mut first_frame = true;
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if dirty {
            frame_edge(terminal, true);
            terminal
                .draw(|f| ui::render(&app, f, &theme))
                .map_err(io::Error::other)?;
            frame_edge(terminal, false);
            if std::mem::take(&mut first_frame) {
                crate::startup_trace::mark("first frame drawn");
            }
            dirty = false;
        }
        let mut timeout = Duration::from_millis(250);
        while let Some(ev) = next_event(timeout)? {
            dirty = true;
            if let Some(effect) = app.handle(&ev) {
                for action in execute_effect(&mut app, store.as_ref(), effect) {
                    observe(&app.user, &action);
                    app::update(&mut app, action);
                }
            }
            if app.quit {
                break;
            }
            // Coalesce a burst (a paste, key repeat) into one frame.
            timeout = Duration::ZERO;
        }
        if let Some(s) = &store {
            dirty |= catch_up(&mut app, s);
        }
        if let Some(older) = &older_history {
            match older.try_recv() {
                Ok(entries) => {
                    append_older(&mut app, entries);
                    older_history = None;
                    app.history_loading = false;
                    dirty = true;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    older_history = None;
                    app.history_loading = false;
                    dirty = true;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
        }
    }
    Ok(())
}

/// Put the entries a checkpoint skipped (oldest first) behind the history. A commit made
/// before they came may have read some of them already: only those older than the oldest
/// shown are added.
fn append_older(app: &mut App, entries: Vec<(i64, crate::domain::Entry)>) {
    let oldest = app.history.last().map(|(seq, _)| *seq);
    let mut history = std::mem::take(&mut app.history);
    // Reserved once: at 100k entries, growing by doubling would hold two copies at a time.
    history.reserve(entries.len());
    let older = entries.into_iter().rev();
    history.extend(older.filter(|(seq, _)| oldest.is_none_or(|o| *seq < o)));
    app::update(app, Action::History(history));
}

/// Fold in what other sessions and processes appended since we last looked, and refresh the
/// rows and history. Runs on every idle tick, so it asks the ledger only for its newest seq
/// first and reads just the new entries. A failed look is retried on the next tick.
fn catch_up(app: &mut App, store: &Store) -> bool {
    match store.last_seq() {
        Ok(seq) if seq > app.portfolio.last_seq => {}
        _ => return false,
    }
    let Ok(mut history) = store.fold(&mut app.portfolio) else {
        return false;
    };
    app.refilter();
    // The new entries, newest first, in front of what the history held.
    history.reverse();
    history.append(&mut app.history);
    app::update(app, Action::History(history));
    true
}

/// Run any effect at the edge; the results come back as actions.
pub fn execute_effect(app: &mut App, store: Option<&Store>, effect: Effect) -> Vec<Action> {
    match effect {
        Effect::Commit(operation) => execute_commit(app, store, operation),
    }
}

/// Write an operation through the store (which re-plans it against the freshest ledger
/// inside its write transaction), or plan and fold it in memory when there is no store;
/// the results come back as actions.
pub fn execute_commit(app: &mut App, store: Option<&Store>, operation: Operation) -> Vec<Action> {
    let user = app.user.clone();
    let today = app.today;
    let result = match store {
        Some(s) => s
            .execute(&mut app.portfolio, &user, today, &operation)
            .map(|c| (c.seq, c.entry)),
        None => operation
            .plan(Ctx {
                portfolio: &app.portfolio,
                user: &user,
                today,
            })
            .map_err(CommitError::Refused)
            .map(|e| {
                let seq = app.portfolio.last_seq + 1;
                app.portfolio.apply(seq, &e);
                (seq, e)
            }),
    };
    match result {
        Ok((seq, entry)) => {
            // What the ledger gained since the history was read (this entry, and any other
            // process's), newest first, in front of what the history held.
            let shown = app.history.first().map_or(0, |(s, _)| *s);
            let mut history = match store {
                Some(s) => s.entries_since(shown).unwrap_or_default(),
                None => vec![(seq, entry.clone())],
            };
            history.reverse();
            history.append(&mut app.history);
            vec![Action::History(history), Action::Committed(entry)]
        }
        Err(CommitError::Refused(r)) => vec![Action::CommitFailed(r)],
        Err(CommitError::Store(e)) => vec![Action::StoreFailed(e.to_string())],
    }
}
