//! The shared loop and its ledger, through the runtime worker: another process (here the
//! CLI) redeems a key while a dashboard is open on the same data directory, and the
//! dashboard shows it with no key pressed; the older history a checkpoint skipped joins
//! after the first frame; and a write that waits for the ledger's lock leaves the
//! dashboard answering keys, shows that it waits, and goes through once the lock is free.

mod common;

use benefits::domain::Portfolio;
use benefits::i18n::Lang;
use benefits::input::{Event, Key, KeyCode};
use benefits::store::Store;
use benefits::tui::{Options, run_loop};
use benefits::ui::Theme;
use common::dash::text;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");

fn key(c: char) -> Option<Event> {
    Some(Event::Key(Key::char(c)))
}

fn options(store: Option<Store>, portfolio: Portfolio) -> Options {
    Options {
        older_through: None,
        portfolio,
        store,
        history: Vec::new(),
        today: common::dash::today(),
        lang: Lang::EnUs,
        no_color: true,
        ascii: false,
        settings: None,
        clipboard: None,
    }
}

fn catalog() -> benefits::domain::Catalog {
    benefits::catalog::load_str(&std::fs::read_to_string(CONFIG).unwrap(), CONFIG).unwrap()
}

/// The ledger of `data`, opened and folded into the test catalog.
fn open(data: &Path) -> (Store, Portfolio, Vec<benefits::store::Logged>) {
    let store = Store::open(data).unwrap();
    let mut portfolio = Portfolio::new(catalog());
    let folded = store.fold(&mut portfolio).unwrap();
    (store, portfolio, folded)
}

/// Runs the loop on `terminal` until `next` says quit, with the test theme and no stop flag.
fn drive<N, S>(terminal: &mut Terminal<TestBackend>, opts: Options, next: N, edge: S)
where
    N: FnMut(Duration) -> std::io::Result<Option<Event>>,
    S: FnMut(&mut Terminal<TestBackend>, bool),
{
    run_loop(
        terminal,
        opts,
        Theme::new(true, false),
        next,
        edge,
        &AtomicBool::new(false),
        |_, _| {},
    )
    .unwrap();
}

#[test]
fn run_loop_draws_and_quits_on_q() {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut events = vec![key('q'), key('2')];
    let mut frames = 0;
    let opts = options(None, Portfolio::new(benefits::catalog::demo()));
    run_loop(
        &mut terminal,
        opts,
        Theme::new(true, false),
        |_| Ok(events.pop().flatten()),
        |_, begin| frames += usize::from(begin),
        &AtomicBool::new(false),
        |_, _| {},
    )
    .unwrap();
    // One frame at start, one after "2" and its burst (q quits before drawing again).
    assert_eq!(frames, 1);
    assert!(text(terminal.backend().buffer()).contains("Microsoft 365 E3"));
}

#[test]
fn an_entry_another_process_appends_shows_without_a_key() {
    let data = tempfile::tempdir().unwrap();
    let (store, portfolio, folded) = open(data.path());
    assert!(folded.is_empty());
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let mut calls = 0;
    let seen = std::cell::Cell::new(false);
    let started = Instant::now();
    let next = |timeout: Duration| {
        calls += 1;
        Ok(match calls {
            1 => key('3'),
            // The dashboard is idle; meanwhile another process redeems a key.
            2 => {
                redeem(data.path(), "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
                None
            }
            _ if seen.get() || started.elapsed() > Duration::from_secs(20) => key('q'),
            _ => {
                std::thread::sleep(timeout);
                None
            }
        })
    };
    let edge = |t: &mut Terminal<TestBackend>, begin: bool| {
        if !begin && text(t.backend().buffer()).contains("Product key redeemed") {
            seen.set(true);
        }
    };
    drive(&mut terminal, options(Some(store), portfolio), next, edge);
    let screen = text(terminal.backend().buffer());
    assert!(screen.contains("Product key redeemed"), "{screen}");
    assert!(screen.contains("Microsoft 365 E3"), "{screen}");
}

/// Another process (the CLI) redeems `key` on contoso, extending.
fn redeem(data: &Path, key: &str) {
    let st = assert_cmd::Command::cargo_bin("benefits")
        .unwrap()
        .args(["--today", "2026-11-23", "--config", CONFIG, "--data-dir"])
        .arg(data)
        .args(["redeem", "--key", key])
        .args(["--tenant", "contoso", "--mode", "extend", "--yes"])
        .output()
        .unwrap();
    assert!(st.status.success(), "{st:?}");
}

#[test]
fn older_entries_a_checkpoint_skipped_join_the_history_after_the_first_frame() {
    let data = tempfile::tempdir().unwrap();
    for key in [
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "E3AAA-AAAAA-AAAAA-AAAAA-AA100",
    ] {
        redeem(data.path(), key);
    }
    let (store, portfolio, all) = open(data.path());
    assert_eq!(all.len(), 2);
    // As after a start from a checkpoint through the first entry: the second was read, the
    // first comes later. (What the History page says meanwhile: `app_keys`.)
    let opts = Options {
        older_through: Some(1),
        history: vec![all[1].clone()],
        ..options(Some(store), portfolio)
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let both = std::cell::Cell::new(false);
    let started = Instant::now();
    let mut calls = 0;
    let next = |timeout: Duration| {
        calls += 1;
        Ok(match calls {
            1 => key('3'),
            _ if both.get() || started.elapsed() > Duration::from_secs(20) => key('q'),
            _ => {
                std::thread::sleep(timeout);
                None
            }
        })
    };
    let edge = |t: &mut Terminal<TestBackend>, begin: bool| {
        if begin {
            return;
        }
        let screen = text(t.backend().buffer());
        both.set(both.get() || screen.matches("Product key redeemed").count() == 2);
    };
    drive(&mut terminal, opts, next, edge);
    let screen = text(terminal.backend().buffer());
    assert_eq!(
        screen.matches("Product key redeemed").count(),
        2,
        "{screen}"
    );
    assert!(!screen.contains("reading older entries"), "{screen}");
}

/// Holds the ledger's write lock from another connection: from `take()` until `release()`.
struct Holder {
    take: std::sync::mpsc::Sender<()>,
    taken: std::sync::mpsc::Receiver<()>,
    release: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Holder {
    fn new(db: std::path::PathBuf) -> Holder {
        use std::sync::mpsc::channel;
        let (take, take_rx) = channel::<()>();
        let (taken_tx, taken) = channel();
        let (release, release_rx) = channel::<()>();
        let thread = std::thread::spawn(move || {
            let c = rusqlite::Connection::open(db).unwrap();
            if take_rx.recv().is_err() {
                return;
            }
            c.execute_batch("BEGIN IMMEDIATE").unwrap();
            taken_tx.send(()).unwrap();
            let _ = release_rx.recv();
            c.execute_batch("COMMIT").unwrap();
        });
        Holder {
            take,
            taken,
            release,
            thread,
        }
    }
}

/// Bug: the write ran on the UI thread, so a ledger another process held froze the
/// dashboard for up to the store's 20 s deadline, and `Step::Committing` was never drawn.
#[test]
fn a_write_waiting_for_the_ledger_keeps_the_dashboard_answering_and_goes_through() {
    let data = tempfile::tempdir().unwrap();
    let (store, portfolio, _) = open(data.path());
    let holder = Holder::new(data.path().join(benefits::store::DB_FILE));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let enter = || Some(Event::key(KeyCode::Enter));
    let mut script = vec![
        key('r'),
        Some(Event::Paste("E3AAA-AAAAA-AAAAA-AAAAA-AAA25".into())),
        enter(),
        enter(),
        Some(Event::Paste("contoso.onmicrosoft.com".into())),
        enter(),
        enter(),
    ];
    script.reverse();
    #[derive(Default, Debug)]
    struct Seen {
        locked: bool,
        waiting: bool,
        asked_help: bool,
        help: bool,
        released: bool,
        receipt: bool,
    }
    let seen = std::cell::RefCell::new(Seen::default());
    let started = Instant::now();
    let next = |timeout: Duration| {
        if let Some(e) = script.pop() {
            return Ok(e);
        }
        let mut s = seen.borrow_mut();
        if started.elapsed() > Duration::from_secs(25) || s.receipt {
            return Ok(key('q'));
        }
        if !s.locked {
            // On the review: another connection takes the lock, then Redeem.
            holder.take.send(()).unwrap();
            holder.taken.recv().unwrap();
            s.locked = true;
            return Ok(enter());
        }
        if s.waiting && !s.asked_help {
            s.asked_help = true;
            return Ok(key('?'));
        }
        if s.help && !s.released {
            s.released = true;
            holder.release.send(()).unwrap();
            return Ok(Some(Event::key(KeyCode::Esc)));
        }
        drop(s);
        std::thread::sleep(timeout);
        Ok(None)
    };
    let edge = |t: &mut Terminal<TestBackend>, begin: bool| {
        if begin {
            return;
        }
        let screen = text(t.backend().buffer());
        let mut s = seen.borrow_mut();
        s.waiting |=
            screen.contains("Redeeming…") && screen.contains("The ledger has not answered yet");
        // The help opened over the waiting dialog before the lock was released.
        s.help |= s.waiting && !s.released && screen.contains("╭ Keys");
        s.receipt |= s.released && screen.contains("Redeemed");
    };
    drive(&mut terminal, options(Some(store), portfolio), next, edge);
    // Whatever happened, the other connection lets go (a failed run must not hang here).
    let Holder {
        take,
        release,
        thread,
        ..
    } = holder;
    drop((take, release));
    thread.join().unwrap();
    let s = seen.into_inner();
    assert!(s.waiting, "the waiting step was drawn: {s:?}");
    assert!(
        s.help,
        "keys were answered while the ledger was busy: {s:?}"
    );
    assert!(
        s.receipt,
        "the redemption went through once the lock was free: {s:?}"
    );
    let (_, _, entries) = open(data.path());
    assert_eq!(entries.len(), 1, "written once");
}
