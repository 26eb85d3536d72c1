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
                let st = assert_cmd::Command::cargo_bin("benefits")
                    .unwrap()
                    .args(["--today", "2026-11-23", "--config", CONFIG, "--data-dir"])
                    .arg(data.path())
                    .args(["redeem", "--key", "E3AAA-AAAAA-AAAAA-AAAAA-AAA25"])
                    .args(["--tenant", "contoso", "--mode", "extend", "--yes"])
                    .output()
                    .unwrap();
                assert!(st.status.success(), "{st:?}");
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
    let buf = terminal.backend().buffer();
    let screen: String = (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(screen.contains("redemption"), "{screen}");
    assert!(screen.contains("Microsoft 365 E3"), "{screen}");
}
