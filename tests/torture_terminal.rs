//! Hostile input through the app's event API (no terminal): a storm of a million random
//! events (keys, mouse, pastes, resizes from 1x1 to 500x200), rendered into a `TestBackend`
//! every thousand events and at every resize; pasted garbage in every text field. No panic,
//! no control character or escape sequence in any drawn cell, the rules hold throughout, and
//! the app still answers afterwards. `BENEFITS_SOAK=1` storms ten times as long.

mod common;

use benefits::app::{self, App, Context, Effect, Layer};
use benefits::domain::{Entry, Portfolio};
use benefits::i18n::{Lang, Messages};
use benefits::input::{Button, Event, Key, KeyCode, Mods, Mouse, MouseKind};
use benefits::redeem::Operation;
use benefits::redeem::machine::MAX_FIELD_LEN;
use benefits::ui::{self, Theme};
use common::Rng;
use common::dash::today;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::HashSet;

fn new_app(portfolio: Portfolio, lang: Lang) -> App {
    App::new(portfolio, today(), Messages::get(lang))
}

/// A character nobody should ever see drawn: C0/C1 controls (ESC among them), and the
/// invisible bidirectional overrides and isolates that reorder what a terminal shows.
fn hostile(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Draw the app at `w`x`h` (it takes the frame's layout, as in the loop) and return every
/// cell's symbol that carries a hostile character.
fn draw(app: &mut App, theme: &Theme, w: u16, h: u16) -> Vec<(u16, u16, String)> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut layout = None;
    t.draw(|f| layout = Some(ui::render(app, f, theme)))
        .unwrap();
    app.after_frame(layout.unwrap());
    let buf = t.backend().buffer();
    let mut bad = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let s = buf[(x, y)].symbol();
            if s.chars().any(hostile) {
                bad.push((x, y, s.escape_debug().to_string()));
            }
        }
    }
    bad
}

/// Pasted text nobody should be able to smuggle through a field.
fn garbage() -> Vec<String> {
    vec![
        "\u{1b}]0;PWNED\u{7}".into(),
        "\u{1b}[2J\u{1b}[H\u{1b}[31mRED\u{1b}[0m".into(),
        "\u{1b}P+q544e\u{1b}\\".into(),
        "\u{9b}31m\u{90}dcs\u{9c}".into(),
        "a\rb\nc\td\u{8}e\u{7f}f\u{0}g".into(),
        "\u{202E}txt.exe\u{202C} \u{2067}isolate\u{2069}".into(),
        "مرحبا بالعالم שלום עולם".into(),
        "漢字かなカナ한국어 ＷＩＤＥ 🦀👩‍👩‍👧‍👦".into(),
        "e\u{301}\u{302}\u{303}\u{304} zero\u{200B}width\u{200D}joiner\u{FEFF}".into(),
        "x".repeat(10_000),
        "界".repeat(10_000),
        "\u{1b}".repeat(5_000),
    ]
}

fn key(code: KeyCode) -> Event {
    Event::key(code)
}

/// Write in memory: a disk write per effect would make a million events take minutes.
fn write(app: &mut App, effect: &Effect) {
    let Effect::Commit(op) = effect;
    for a in benefits::runtime::in_memory(app, op) {
        app::update(app, a);
    }
}

fn press(app: &mut App, events: &[Event]) {
    for e in events {
        if let Some(effect) = app.handle(e) {
            write(app, &effect);
        }
    }
}

fn chars(s: &str) -> Vec<Event> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// The text fields, each reached by keys from a fresh app, with a probe of its content.
type Field = (&'static str, Vec<Event>, fn(&App) -> String);

fn fields() -> Vec<Field> {
    vec![
        ("filter", chars("/"), |a| a.filter.clone()),
        ("redeem key", chars("r"), |a| {
            a.redemption().unwrap().key_input.clone()
        }),
        (
            "tenant confirmation",
            {
                let mut e = chars("r");
                e.extend(chars("M3E3A-7QXRT-4HDPC-2VWNB-K25LA"));
                e.push(key(KeyCode::Enter));
                e.push(key(KeyCode::Enter));
                e
            },
            |a| match &a.redemption().unwrap().step {
                benefits::redeem::Step::ConfirmTenant(choice) => choice.typed.clone(),
                other => panic!("not confirming the tenant: {other:?}"),
            },
        ),
        // Tab: the machine name has the focus (typing goes only into the focused field).
        (
            "activation machine",
            {
                let mut e = chars("2a");
                e.push(key(KeyCode::Tab));
                e
            },
            |a| a.activation().unwrap().machine.clone(),
        ),
    ]
}

#[test]
fn pasted_garbage_in_every_text_field_is_neutralised_and_never_drawn() {
    let theme = Theme::new(false, false);
    for (name, reach, probe) in fields() {
        for lang in [Lang::EnUs, Lang::SvSe] {
            for g in garbage() {
                let mut app = new_app(Portfolio::new(benefits::catalog::demo()), lang);
                press(&mut app, &reach);
                let context = app.context();
                assert!(context.text_field(), "{name}: reached {context:?}");
                press(&mut app, &[Event::Paste(g.clone())]);
                assert_eq!(app.context(), context, "{name}: a paste moved the focus");
                let content = probe(&app);
                assert!(
                    !content.chars().any(hostile),
                    "{name}: {:?} kept in the field",
                    content.escape_debug().to_string()
                );
                assert!(
                    content.chars().count() <= MAX_FIELD_LEN,
                    "{name}: unbounded"
                );
                for (w, h) in [(80, 24), (120, 40), (60, 15), (20, 5)] {
                    let bad = draw(&mut app, &theme, w, h);
                    assert!(bad.is_empty(), "{name} at {w}x{h}: {bad:?}");
                }
                // The field still edits: clear it by backspacing, then type.
                for _ in 0..=MAX_FIELD_LEN {
                    press(&mut app, &[key(KeyCode::Backspace)]);
                }
                assert_eq!(probe(&app), "", "{name}");
                press(&mut app, &chars("ok"));
                assert!(probe(&app).to_lowercase().contains("ok"), "{name}");
            }
        }
    }
}

/// One random event. Keys are weighted towards the ones the keymap knows; pastes carry
/// the demo's keys and tenant domains (so dialogs get far), or garbage.
fn random_event(rng: &mut Rng, keys: &[String], garbage: &[String]) -> Event {
    const CHARS: &[u8] = b"jkhlgGnpsvrwxacfqtdyY /?0123456789-.@abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let codes = [
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Enter,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Insert,
        KeyCode::F(1),
        KeyCode::F(12),
    ];
    match rng.below(1000) {
        0..=599 => key(KeyCode::Char(
            CHARS[rng.below(CHARS.len() as u64) as usize] as char,
        )),
        600..=899 => key(codes[rng.below(codes.len() as u64) as usize]),
        900..=929 => {
            let mods = [
                Mods::CTRL,
                Mods::ALT,
                Mods::SHIFT,
                Mods::CTRL.union(Mods::ALT),
            ][rng.below(4) as usize];
            let c = CHARS[rng.below(CHARS.len() as u64) as usize] as char;
            Event::Key(Key::new(KeyCode::Char(c), mods))
        }
        930..=959 => {
            let kind = [
                MouseKind::Press(Button::Left),
                MouseKind::Press(Button::Right),
                MouseKind::Release(Button::Left),
                MouseKind::WheelDown,
                MouseKind::WheelUp,
                MouseKind::Moved,
            ][rng.below(6) as usize];
            Event::Mouse(Mouse {
                kind,
                column: rng.below(600) as u16,
                row: rng.below(300) as u16,
            })
        }
        960..=979 => Event::Paste(keys[rng.below(keys.len() as u64) as usize].clone()),
        980..=989 => Event::Paste(garbage[rng.below(garbage.len() as u64) as usize].clone()),
        990..=994 => Event::Key(Key::new(KeyCode::Up, Mods::SHIFT)),
        _ => Event::Paste(String::new()),
    }
}

fn random_size(rng: &mut Rng) -> (u16, u16) {
    match rng.below(6) {
        0 => (1, 1),
        1 => (500, 200),
        2 => (rng.below(4) as u16 + 1, rng.below(4) as u16 + 1),
        3 => (59 + rng.below(3) as u16, 14 + rng.below(3) as u16),
        _ => (rng.below(500) as u16 + 1, rng.below(200) as u16 + 1),
    }
}

/// The rules that must hold whatever was typed: no key redeemed twice, activations within
/// what keys allow, no subscription without licenses.
fn check_rules(app: &App) {
    let mut seen = HashSet::new();
    for e in app.history.iter().map(|l| &l.entry) {
        if let Entry::Redemption {
            key_fingerprint, ..
        } = e
        {
            assert!(seen.insert(key_fingerprint.clone()), "a key redeemed twice");
        }
    }
    for b in &app.portfolio.catalog.software_benefits {
        for k in &b.keys {
            assert!(k.activations_used <= k.activations_allowed, "{}", b.id);
        }
    }
    for b in &app.portfolio.catalog.cloud_benefits {
        if let Some(l) = &b.license {
            for s in &l.subscriptions {
                assert!(s.licenses > 0, "{} has a subscription of 0", b.id);
            }
        }
    }
}

#[test]
fn a_million_random_events_and_resizes_from_1x1_to_500x200_never_panic() {
    let started = std::time::Instant::now();
    let total: u64 = if common::soak() {
        10_000_000
    } else {
        1_000_000
    };
    let theme = Theme::new(false, false);
    let demo = benefits::catalog::demo();
    let mut keys: Vec<String> = demo.keys().map(|k| k.formatted()).collect();
    keys.extend(demo.tenants.iter().map(|t| t.domain.clone()));
    let garbage = garbage();
    let mut rng = Rng::new(0x5EED_0001);
    let mut app = new_app(Portfolio::new(demo), Lang::EnUs);
    let mut size = (100, 30);
    let (mut renders, mut commits, mut restarts) = (0u64, 0u64, 0u64);
    for n in 0..total {
        let event = if rng.below(2_000) == 0 {
            size = random_size(&mut rng);
            Event::Resize(size.0, size.1)
        } else {
            random_event(&mut rng, &keys, &garbage)
        };
        let before = app.context();
        if let Some(effect) = app.handle(&event) {
            // Nothing is written unless the matching confirmation was on screen.
            let Effect::Commit(op) = &effect;
            let allowed = match op {
                Operation::Redeem { .. } => before == Context::Review,
                Operation::Activate { .. } => before == Context::Activation,
                _ => before == Context::Credit,
            };
            assert!(allowed, "{effect:?} from {before:?} on {event:?}");
            write(&mut app, &effect);
            commits += 1;
            check_rules(&app);
        }
        if matches!(event, Event::Resize(..)) || n % 1_000 == 0 {
            let bad = draw(&mut app, &theme, size.0.max(1), size.1.max(1));
            assert!(bad.is_empty(), "event {n}: {bad:?}");
            renders += 1;
        }
        if app.quit {
            // The loop would end here; start again on the same ledger state.
            app = new_app(Portfolio::clone(&app.portfolio), Lang::EnUs);
            restarts += 1;
        }
    }
    check_rules(&app);
    eprintln!(
        "{total} events, {renders} renders, {commits} effects, {restarts} quits in {:?}",
        started.elapsed()
    );
    assert!(commits > 0, "the storm never reached a confirmation");

    // Still answering: back out of everything, then drive a known path.
    press(&mut app, &[Event::Resize(100, 30)]);
    for _ in 0..20 {
        if app.context() == Context::Browse {
            break;
        }
        press(&mut app, &[key(KeyCode::Esc)]);
        if app.context() == Context::ConfirmQuit {
            press(&mut app, &chars("n"));
        }
    }
    assert_eq!(
        app.context(),
        Context::Browse,
        "Esc backs out of every layer"
    );
    press(&mut app, &chars("?"));
    assert_eq!(app.context(), Context::Help);
    press(&mut app, &[key(KeyCode::Esc)]);
    press(&mut app, &chars("/zz"));
    assert_eq!(app.context(), Context::Filter);
    assert!(app.filter.ends_with("zz"));
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(app.filter, "");
    press(&mut app, &chars("q"));
    assert!(app.quit || app.context() == Context::ConfirmQuit);
}

/// Catalog text is shown too: names laced with escape sequences and bidi overrides are
/// drawn without them on every page, dialog and overlay a short seeded walk reaches.
#[test]
fn catalog_names_with_escape_sequences_are_drawn_without_them() {
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml"))
        .unwrap();
    let mut laced = String::new();
    for line in demo.lines() {
        let trimmed = line.trim_start();
        let field = ["name: ", "product: ", "specialization: "]
            .into_iter()
            .find(|f| trimmed.starts_with(f));
        match field {
            Some(f) if !trimmed.contains('{') => {
                let indent = &line[..line.len() - trimmed.len()];
                let value = &trimmed[f.len()..];
                laced.push_str(&format!(
                    "{indent}{f}\"\\e]0;PWNED\\a\\u202E{value}\\e[31m\\r\"\n"
                ));
            }
            _ => {
                laced.push_str(line);
                laced.push('\n');
            }
        }
    }
    assert!(laced.contains("PWNED"));
    let catalog = match benefits::catalog::load_str(&laced, "laced.yaml") {
        Ok(c) => c,
        Err(e) => {
            eprintln!("refused at load: {e}");
            // Refusing such names at load is as good as never drawing them.
            let text = e.to_string();
            assert!(!text.chars().any(hostile), "{}", text.escape_debug());
            return;
        }
    };
    let theme = Theme::new(false, true);
    let mut app = new_app(Portfolio::new(catalog), Lang::EnUs);
    let mut rng = Rng::new(7);
    let script = chars(" j j j j j ");
    press(&mut app, &script);
    for n in 0..600 {
        let ev = match n % 50 {
            0 => key(KeyCode::Tab),
            1 => key(KeyCode::Char('w')),
            2 => key(KeyCode::Char('t')),
            3 => key(KeyCode::Char('?')),
            _ => {
                let c = b"jk lnprvc ?txa\t"[rng.below(15) as usize] as char;
                if rng.chance(15) {
                    key(KeyCode::Esc)
                } else {
                    key(KeyCode::Char(c))
                }
            }
        };
        press(&mut app, &[ev]);
        app.quit = false;
        app.layers.retain(|l| *l != Layer::ConfirmQuit);
        for (w, h) in [(120, 40), (80, 24)] {
            let bad = draw(&mut app, &theme, w, h);
            assert!(bad.is_empty(), "step {n} in {:?}: {bad:?}", app.context());
        }
    }
}
