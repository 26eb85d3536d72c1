//! The stack of layers: the one on top has the keys, the mouse and the footer and is
//! drawn last; `q` closes it (it quits only from a page), Esc steps back one level; the
//! help scrolls as far as it is long.

mod common;

use benefits::app::{Context, Layer, Timeline};
use benefits::input::{Event, Mouse, MouseKind};
use common::dash::Dash;

fn wheel_down() -> Event {
    Event::Mouse(Mouse {
        kind: MouseKind::WheelDown,
        column: 20,
        row: 10,
    })
}

/// Bug: the wheel always moved the table, also under Help or a dialog.
#[test]
fn the_mouse_wheel_moves_what_is_on_top_never_the_table_under_it() {
    for keys in ["?", "r", "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter>", "w", "t"] {
        let mut d = Dash::demo();
        d.resize(80, 24);
        d.press(keys);
        let context = d.app.context();
        d.send(wheel_down());
        assert_eq!(
            d.app.table().selected,
            0,
            "{keys}: the table under {context:?} moved"
        );
    }
    // On top, it scrolls: the help, the timeline.
    let mut d = Dash::demo();
    d.resize(80, 15);
    d.press("?");
    d.send(wheel_down());
    assert!(matches!(d.app.top(), Some(Layer::Help(h)) if h.scroll == 1));
    d.press("<Esc>t");
    d.send(wheel_down());
    assert_eq!(d.app.timeline().unwrap().offset, 1);
    d.press("<Esc>");
    d.send(wheel_down());
    assert_eq!(d.app.table().selected, 1, "and on the page, the table");
}

/// Bug: focus (`context()`) put the timeline above the wizard, drawing put it below.
#[test]
fn the_layer_with_the_keys_is_the_one_drawn_on_top() {
    let mut d = Dash::demo();
    d.resize(120, 40);
    d.press("w");
    assert!(d.screen().contains("Introduction"));
    let timeline = Timeline::build(&d.app, d.app.page);
    d.app.layers.push(Layer::Timeline(timeline));
    d.frame();
    assert_eq!(d.app.context(), Context::Timeline);
    let screen = d.screen();
    assert!(screen.contains("Timeline"), "{screen}");
    assert!(
        !screen.contains("Introduction"),
        "the wizard is below: {screen}"
    );
    // The footer is the top layer's too (all 11 lanes show, so it offers no scrolling).
    assert!(
        screen.lines().last().unwrap().starts_with("Esc close"),
        "{screen}"
    );
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::Wizard);
    assert!(d.screen().contains("Introduction"));
}

fn help_scroll(d: &Dash) -> usize {
    match d.app.top() {
        Some(Layer::Help(h)) => h.scroll,
        other => panic!("help is not on top: {other:?}"),
    }
}

/// Bug: the help scrolled on (to 500) past its last line, so ↑ seemed dead until it came
/// back; G and End did nothing in help.
#[test]
fn help_scrolls_as_far_as_it_is_long_and_g_and_end_go_there() {
    let mut d = Dash::demo();
    d.resize(80, 24);
    d.press("?");
    let window = d.app.layout.help.expect("the help scrolls at 80x24");
    assert!(window.len > window.visible);
    for _ in 0..window.len + 20 {
        d.press("j");
    }
    assert_eq!(help_scroll(&d), window.max_offset());
    let bottom = d.screen();
    d.press("k");
    assert_eq!(help_scroll(&d), window.max_offset() - 1);
    assert_ne!(
        d.screen(),
        bottom,
        "one ↑ from the end shows one line more above"
    );
    d.press("g");
    assert_eq!(help_scroll(&d), 0);
    d.press("G");
    assert_eq!(help_scroll(&d), window.max_offset());
    assert_eq!(d.screen(), bottom);
    d.press("<Home><End>");
    assert_eq!(d.screen(), bottom);
    // The last binding of the last section is on screen.
    assert!(bottom.contains("stay"), "{bottom}");
}

/// Bug: a long key list ran into its text ("→/l/Tab/←/h/S-Tabaction").
#[test]
fn help_labels_never_run_into_their_text() {
    let mut d = Dash::demo();
    d.resize(80, 200);
    d.press("?");
    let screen = d.screen();
    assert!(screen.contains("→/l/Tab/←/h/S-Tab action"), "{screen}");
    assert!(!screen.contains("S-Tabaction"), "{screen}");
}

#[test]
fn q_closes_the_layer_on_top_and_quits_only_from_a_page() {
    for (keys, below) in [
        ("w", Context::Browse),
        ("t", Context::Browse),
        ("?", Context::Browse),
        ("w?", Context::Wizard),
        ("rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter>", Context::Browse),
        ("<End>c", Context::Browse),
        (
            "wnnvrM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter>",
            Context::WizardActivate,
        ),
    ] {
        let mut d = Dash::demo();
        d.press(keys);
        let on_top = d.app.context();
        assert_ne!(on_top, Context::Browse, "{keys}");
        d.press("q");
        assert!(!d.app.quit, "{keys}: q quit from {on_top:?}");
        assert_eq!(d.app.context(), below, "{keys}: q closes {on_top:?}");
    }
    // In a text field, q is a letter.
    let mut d = Dash::demo();
    d.press("/q");
    assert_eq!((d.app.filter.as_str(), d.app.quit), ("q", false));
    d.press("<Enter>q");
    assert!(d.app.quit, "from the page, q quits");
}

#[test]
fn esc_steps_back_one_level_at_a_time() {
    let mut d = Dash::demo();
    d.press("wnnvrM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>");
    assert_eq!(d.app.context(), Context::ConfirmTenant);
    let levels = [
        Context::ChooseTarget,
        Context::EnterKey,
        Context::WizardActivate,
        Context::Browse,
    ];
    for level in levels {
        d.press("<Esc>");
        assert_eq!(d.app.context(), level);
    }
    d.press("w?");
    assert_eq!(d.app.context(), Context::Help);
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::Wizard);
}
