//! The shared loop keeps up with a ledger that others write to: another process (here the
//! CLI) redeems a key while a dashboard is open on the same data directory, and the
//! dashboard shows it after its next idle tick, with no key pressed in between. This is what
//! lets SSH sessions (and two local dashboards) see each other's work.

use benefits::domain::Portfolio;
use benefits::i18n::Lang;
use benefits::store::Store;
use benefits::tui::{Options, run_loop};
use benefits::ui::Theme;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::atomic::AtomicBool;

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");

fn key(c: char) -> Option<Event> {
    Some(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

#[test]
fn an_entry_another_process_appends_shows_after_an_idle_tick() {
    let data = tempfile::tempdir().unwrap();
    let catalog =
        benefits::catalog::load_str(&std::fs::read_to_string(CONFIG).unwrap(), CONFIG).unwrap();
    let store = Store::open(data.path()).unwrap();
    let mut portfolio = Portfolio::new(catalog);
    assert!(store.fold(&mut portfolio).unwrap().is_empty());
    let opts = Options {
        older_history: None,
        portfolio,
        store: Some(store),
        history: Vec::new(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        lang: Lang::EnUs,
        no_color: true,
        ascii: false,
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let mut calls = 0;
    let next = |_| {
        calls += 1;
        Ok(match calls {
            // The dashboard is idle; meanwhile another process redeems a key.
            1 => {
                redeem(data.path(), "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
                None
            }
            2 => key('3'),
            3 => None,
            _ => key('q'),
        })
    };
    run_loop(
        &mut terminal,
        opts,
        Theme::new(true, false),
        next,
        |_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let screen = screen_of(&terminal);
    assert!(screen.contains("redemption"), "{screen}");
    assert!(screen.contains("Microsoft 365 E3"), "{screen}");
}

/// Another process (the CLI) redeems `key` on contoso, extending.
fn redeem(data: &std::path::Path, key: &str) {
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

fn screen_of(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn older_entries_a_checkpoint_skipped_join_the_history_after_the_first_frame() {
    let data = tempfile::tempdir().unwrap();
    for key in [
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "E3AAA-AAAAA-AAAAA-AAAAA-AA100",
    ] {
        let st = assert_cmd::Command::cargo_bin("benefits")
            .unwrap()
            .args(["--today", "2026-11-23", "--config", CONFIG, "--data-dir"])
            .arg(data.path())
            .args(["redeem", "--key", key])
            .args(["--tenant", "contoso", "--mode", "extend", "--yes"])
            .output()
            .unwrap();
        assert!(st.status.success(), "{st:?}");
    }
    let catalog =
        benefits::catalog::load_str(&std::fs::read_to_string(CONFIG).unwrap(), CONFIG).unwrap();
    let store = Store::open(data.path()).unwrap();
    let mut portfolio = Portfolio::new(catalog);
    let all = store.fold(&mut portfolio).unwrap();
    assert_eq!(all.len(), 2);
    // As after a start from a checkpoint through the first entry: the second was read, the
    // first comes later. It comes with the second again, as a commit's read may overlap.
    let (tx, rx) = std::sync::mpsc::channel();
    let opts = Options {
        older_history: Some(rx),
        portfolio,
        store: Some(store),
        history: vec![all[1].clone()],
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        lang: Lang::EnUs,
        no_color: true,
        ascii: false,
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let calls = std::cell::Cell::new(0);
    let mut shown_before = String::new();
    let mut tx = Some(tx);
    let next = |_| {
        calls.set(calls.get() + 1);
        Ok(match calls.get() {
            1 => key('3'),
            2 => None,
            3 => {
                tx.take().unwrap().send(all.clone()).unwrap();
                None
            }
            4 => None,
            _ => key('q'),
        })
    };
    run_loop(
        &mut terminal,
        opts,
        Theme::new(true, false),
        next,
        |t, begin| {
            if !begin && shown_before.is_empty() && calls.get() == 2 {
                shown_before = screen_of(t);
            }
        },
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(
        shown_before.matches("redemption").count(),
        1,
        "{shown_before}"
    );
    assert!(
        shown_before.contains("reading older entries"),
        "{shown_before}"
    );
    let screen = screen_of(&terminal);
    assert_eq!(screen.matches("redemption").count(), 2, "{screen}");
    assert!(!screen.contains("reading older entries"), "{screen}");
}
