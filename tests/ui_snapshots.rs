//! Screens as text: ratatui's TestBackend + insta, at 80x24 and 120x40, on the demo catalog
//! with today pinned to 2026-11-23. Where a colour carries meaning, the cell style is
//! asserted too (text snapshots drop colours).

use benefits::app::{self, Action, App, Effect};
use benefits::domain::{Portfolio, Role};
use benefits::i18n::{Lang, Messages};
use benefits::ui::{self, Theme};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn app_with(lang: Lang, edit: impl FnOnce(&mut benefits::domain::Catalog)) -> App {
    let mut catalog = benefits::catalog::demo();
    edit(&mut catalog);
    App::new(Portfolio::new(catalog), today(), Messages::get(lang))
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut rest = keys;
    while !rest.is_empty() {
        let (ev, len) = if let Some(end) = rest.strip_prefix('<').and_then(|r| r.find('>')) {
            let code = match &rest[1..=end] {
                "Down" => KeyCode::Down,
                "Right" => KeyCode::Right,
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "End" => KeyCode::End,
                other => panic!("unknown key <{other}>"),
            };
            (KeyEvent::new(code, KeyModifiers::NONE), end + 2)
        } else {
            let ch = rest.chars().next().unwrap();
            (
                KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE),
                ch.len_utf8(),
            )
        };
        rest = &rest[len..];
        effects.extend(app.handle_key(ev));
    }
    effects
}

fn draw(app: &mut App, (w, h): (u16, u16), theme: Theme) -> Buffer {
    app::update(
        app,
        Action::Resize {
            width: w,
            height: h,
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::render(app, f, &theme)).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Snapshot `keys` pressed on a fresh app, at both sizes.
/// Every English screen is also taken in Dutch (suffix `_nl`), so each page, wizard step,
/// dialog step and refusal is checked in a second language too.
fn langs(name: &str, lang: Lang) -> Vec<(String, Lang)> {
    let mut out = vec![(name.to_string(), lang)];
    if lang == Lang::EnUs {
        out.push((format!("{name}_nl"), Lang::NlNl));
    }
    out
}

fn shots(name: &str, lang: Lang, keys: &str) {
    for (name, lang) in langs(name, lang) {
        shots_in(&name, lang, keys);
    }
}

fn shots_in(name: &str, lang: Lang, keys: &str) {
    for size in SIZES {
        let mut app = app_with(lang, |_| {});
        // Size first: the window (scroll offset) depends on it.
        app::update(
            &mut app,
            Action::Resize {
                width: size.0,
                height: size.1,
            },
        );
        let effects = press(&mut app, keys);
        assert!(effects.is_empty(), "{name}: nothing written");
        let buf = draw(&mut app, size, Theme::default());
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), text(&buf));
    }
}

#[test]
fn cloud_page() {
    shots("cloud", Lang::EnUs, "");
}

#[test]
fn cloud_page_expanded_row() {
    shots("cloud_expanded", Lang::EnUs, "<Enter>");
}

#[test]
fn cloud_page_expanded_credit_row_in_dutch() {
    shots("cloud_credit_nl", Lang::NlNl, "<End><Enter>");
}

#[test]
fn software_page_expanded() {
    shots("software", Lang::EnUs, "2<Enter>j<Enter>");
}

#[test]
fn software_page_in_swedish() {
    shots("software_sv", Lang::SvSe, "2<Enter>");
}

#[test]
fn filtered_cloud_page() {
    shots("cloud_filtered", Lang::EnUs, "/dyn");
}

#[test]
fn help_overlay() {
    shots("help", Lang::EnUs, "?");
}

#[test]
fn help_overlay_scrolled() {
    let mut app = app_with(Lang::EnUs, |_| {});
    press(&mut app, "?jjjjjjjjjjjjjjjjjjjj");
    let buf = draw(&mut app, (80, 24), Theme::default());
    insta::assert_snapshot!("help_scrolled_80x24", text(&buf));
}

#[test]
fn dialog_enter_key_with_live_feedback() {
    shots("dialog_enter_key", Lang::EnUs, "rm3e3a 7qxrt");
}

#[test]
fn dialog_refusal_key_already_redeemed() {
    shots(
        "dialog_refused_used_key",
        Lang::EnUs,
        "rM3E3E-4ZXCV-9BNMA-3SDFG-K100E<Enter>",
    );
}

#[test]
fn dialog_choose_target() {
    shots(
        "dialog_choose_target",
        Lang::EnUs,
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter>",
    );
}

#[test]
fn dialog_confirm_tenant() {
    shots(
        "dialog_confirm_tenant",
        Lang::EnUs,
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicro",
    );
}

#[test]
fn dialog_modes_side_by_side() {
    shots(
        "dialog_modes",
        Lang::EnUs,
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter>",
    );
}

#[test]
fn dialog_modes_refused_over_three_times() {
    shots(
        "dialog_modes_over_3x",
        Lang::EnUs,
        "rM3E3D-8HGFD-1QWER-7TYUI-K400D<Enter><Enter>contoso.onmicrosoft.com<Enter>h<Enter>",
    );
}

#[test]
fn dialog_review_with_explanation() {
    shots(
        "dialog_review",
        Lang::EnUs,
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter>x",
    );
}

#[test]
fn dialog_receipt_and_history() {
    for ((suffix, lang), size) in langs("", Lang::EnUs)
        .into_iter()
        .flat_map(|l| SIZES.map(|s| (l.clone(), s)))
    {
        let mut app = app_with(lang, |_| {});
        let effects = press(
            &mut app,
            "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter>",
        );
        let [Effect::Commit(req)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        for action in benefits::tui::execute_commit(&mut app, None, req.clone()) {
            app::update(&mut app, action);
        }
        let buf = draw(&mut app, size, Theme::default());
        insta::assert_snapshot!(
            format!("dialog_receipt{suffix}_{}x{}", size.0, size.1),
            text(&buf)
        );
        press(&mut app, "<Enter>3");
        let buf = draw(&mut app, size, Theme::default());
        insta::assert_snapshot!(format!("history{suffix}_{}x{}", size.0, size.1), text(&buf));
    }
}

#[test]
fn read_only_user_is_refused_and_keys_are_masked() {
    for ((suffix, lang), size) in langs("", Lang::EnUs)
        .into_iter()
        .flat_map(|l| SIZES.map(|s| (l.clone(), s)))
    {
        let mut app = app_with(lang, |c| {
            c.user.role = Role::ReadOnly;
            c.user.can_view_keys = false;
        });
        press(&mut app, "<Enter>r");
        let buf = draw(&mut app, size, Theme::default());
        insta::assert_snapshot!(
            format!("read_only{suffix}_{}x{}", size.0, size.1),
            text(&buf)
        );
    }
}

#[test]
fn too_small_terminal_says_so() {
    let mut app = app_with(Lang::EnUs, |_| {});
    let buf = draw(&mut app, (40, 10), Theme::default());
    insta::assert_snapshot!("too_small", text(&buf));
}

#[test]
fn ascii_no_color_dialog() {
    let mut app = app_with(Lang::EnUs, |_| {});
    press(
        &mut app,
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter>",
    );
    let buf = draw(&mut app, (80, 24), Theme::new(true, true));
    insta::assert_snapshot!("dialog_modes_ascii_80x24", text(&buf));
    for y in 0..24 {
        for x in 0..80 {
            let cell = &buf[(x, y)];
            assert_eq!(cell.fg, Color::Reset, "no colour at {x},{y}");
        }
    }
}

/// Find the row of the table showing `needle` and return its y.
fn row_of(buf: &Buffer, needle: &str) -> u16 {
    (0..buf.area.height)
        .find(|y| {
            let line: String = (0..buf.area.width)
                .map(|x| buf[(x, *y)].symbol().to_string())
                .collect();
            line.contains(needle)
        })
        .unwrap_or_else(|| panic!("{needle} not on screen"))
}

#[test]
fn due_soon_and_past_rows_stand_out_in_colour_and_without() {
    let mut app = app_with(Lang::EnUs, |_| {});
    let buf = draw(&mut app, (120, 40), Theme::default());
    // Microsoft 365 E5: activate by 2026-12-15, 22 days away.
    let y = row_of(&buf, "Microsoft 365 E5");
    let cell = &buf[(5, y)];
    assert_eq!(cell.fg, Color::Yellow);
    assert!(cell.modifier.contains(Modifier::BOLD));
    assert_eq!(buf[(1, y)].symbol(), "!");
    // Project Plan 3: activate by 2026-10-31, past.
    let y = row_of(&buf, "Project Plan 3");
    assert_eq!(buf[(5, y)].fg, Color::Red);
    // Microsoft 365 E3 (June 2027) is plain.
    let y = row_of(&buf, "Microsoft 365 E3");
    assert_ne!(buf[(5, y)].fg, Color::Yellow);
    assert_eq!(buf[(1, y)].symbol(), " ");

    // NO_COLOR: the symbol and bold still carry it.
    let buf = draw(&mut app, (120, 40), Theme::new(true, false));
    let y = row_of(&buf, "Microsoft 365 E5");
    assert_eq!(buf[(5, y)].fg, Color::Reset);
    assert!(buf[(5, y)].modifier.contains(Modifier::BOLD));
    assert_eq!(buf[(1, y)].symbol(), "!");
}

#[test]
fn wizard_introduction() {
    shots("wizard_intro", Lang::EnUs, "w");
}

#[test]
fn wizard_walkthrough_software() {
    shots("wizard_walkthrough_software", Lang::EnUs, "2wl");
}

#[test]
fn wizard_activate_verified_with_keys() {
    shots("wizard_activate", Lang::EnUs, "wll g");
}

#[test]
fn wizard_activate_in_dutch() {
    shots("wizard_first_activation_nl", Lang::NlNl, "jwll");
}

#[test]
fn run_loop_draws_and_quits_on_q() {
    use benefits::tui::{Options, run_loop};
    use crossterm::event::Event;
    use std::sync::atomic::AtomicBool;
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut events = vec![
        Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
        Event::Key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE)),
    ];
    let mut frames = 0;
    let opts = Options {
        older_history: None,
        portfolio: Portfolio::new(benefits::catalog::demo()),
        store: None,
        history: Vec::new(),
        today: today(),
        lang: Lang::EnUs,
        no_color: true,
        ascii: false,
    };
    run_loop(
        &mut terminal,
        opts,
        Theme::new(true, false),
        |_| Ok(events.pop()),
        |_, begin| frames += usize::from(begin),
        &AtomicBool::new(false),
    )
    .unwrap();
    // One frame at start, one after "2" and its burst (q quits before drawing again).
    assert_eq!(frames, 1);
    let screen = text(terminal.backend().buffer());
    assert!(screen.contains("Cloud services"));
}

#[test]
fn activation_dialog() {
    // Office LTSC 2021 has one activation left; a new machine takes it.
    shots("activation", Lang::EnUs, "2<Down><Down><Down>a<Tab>pc01");
}

#[test]
fn activation_dialog_review() {
    // Enter on the form: activations used before → after, waiting for Enter to confirm.
    shots(
        "activation_review",
        Lang::EnUs,
        "2<Down><Down><Down>a<Tab>pc01<Enter>",
    );
}

#[test]
fn activation_dialog_at_the_maximum() {
    // Office LTSC 2021 after its last activation: the preview refuses, no "10 → 11 of 10".
    let mut app = app_with(Lang::EnUs, |_| {});
    let size = (80, 24);
    app::update(
        &mut app,
        Action::Resize {
            width: size.0,
            height: size.1,
        },
    );
    for effect in press(&mut app, "2<Down><Down><Down>a<Tab>pc01<Enter><Enter>") {
        for action in benefits::tui::execute_effect(&mut app, None, effect) {
            app::update(&mut app, action);
        }
    }
    press(&mut app, "a<Tab>pc02");
    let screen = text(&draw(&mut app, size, Theme::default()));
    assert!(screen.contains("Activations used: 10 of 10"), "{screen}");
    assert!(!screen.contains("→ 11"), "{screen}");
    insta::assert_snapshot!("activation_at_the_maximum_80x24", screen);
}

#[test]
fn credit_dialog_review() {
    // Assign the $6,000 bulk credit to Chen Li: the holder before → after, then Enter.
    for ((suffix, lang), size) in langs("", Lang::EnUs)
        .into_iter()
        .flat_map(|l| SIZES.map(|s| (l.clone(), s)))
    {
        let mut app = app_with(lang, |_| {});
        app::update(
            &mut app,
            Action::Resize {
                width: size.0,
                height: size.1,
            },
        );
        press(&mut app, "<End>");
        while app
            .selected_item()
            .is_some_and(|b| app.portfolio.cloud(b).id != "azure-bulk")
        {
            app::update(&mut app, Action::Up);
        }
        assert!(press(&mut app, "c<Down><Down><Enter>").is_empty());
        let buf = draw(&mut app, size, Theme::default());
        insta::assert_snapshot!(
            format!("credit_review{suffix}_{}x{}", size.0, size.1),
            text(&buf)
        );
    }
}

#[test]
fn credit_dialog_bulk_remove_refused() {
    for ((suffix, lang), size) in langs("", Lang::EnUs)
        .into_iter()
        .flat_map(|l| SIZES.map(|s| (l.clone(), s)))
    {
        let mut app = app_with(lang, |_| {});
        app::update(
            &mut app,
            Action::Resize {
                width: size.0,
                height: size.1,
            },
        );
        press(&mut app, "<End>");
        while app
            .selected_item()
            .is_some_and(|b| app.portfolio.cloud(b).id != "azure-bulk")
        {
            app::update(&mut app, Action::Up);
        }
        press(&mut app, "c<Right>");
        assert!(app.credit.is_some());
        let buf = draw(&mut app, size, Theme::default());
        insta::assert_snapshot!(format!("credit{suffix}_{}x{}", size.0, size.1), text(&buf));
    }
}

#[test]
fn timeline() {
    shots("timeline", Lang::EnUs, "t");
}

#[test]
fn timeline_in_dutch() {
    let mut app = app_with(Lang::NlNl, |_| {});
    press(&mut app, "t");
    let buf = draw(&mut app, (80, 24), Theme::default());
    insta::assert_snapshot!("timeline_nl_80x24", text(&buf));
    // Microsoft 365 E5's activate-by is within 30 days: yellow; Project Plan 3's is past,
    // clamped to the left edge: red.
    let marker = |y: u16, symbol: &str| {
        (0..80)
            .map(|x| &buf[(x, y)])
            .find(|c| c.symbol() == symbol)
            .unwrap()
            .fg
    };
    assert_eq!(marker(6, "◆"), Color::Yellow);
    assert_eq!(marker(11, "◂"), Color::Red);
}

#[test]
fn timeline_ascii_no_color() {
    let mut app = app_with(Lang::EnUs, |_| {});
    press(&mut app, "2t");
    let buf = draw(&mut app, (80, 24), Theme::new(true, true));
    insta::assert_snapshot!("timeline_ascii_80x24", text(&buf));
}
