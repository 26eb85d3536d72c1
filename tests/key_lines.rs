//! Pick, never retype, from a key line of an expanded row (issue 13): `→` moves the
//! cursor into the row's key lines, `↑`/`↓` pick one (highlighted), Enter or `r` opens the
//! redemption dialog with that key validated (straight to the tenant and subscription), a
//! software key opens the activation dialog on it, a key that cannot be redeemed is
//! refused in words, `y`/`Y` copy that key, and the footer offers only what works there.

mod common;

use benefits::app::{Command, Context, KeyCursor, Notice, Page, QuickFilter};
use benefits::domain::{RefusalCode, Role};
use benefits::i18n::Lang;
use benefits::input::{Button, Event, Mouse, MouseKind};
use benefits::redeem::Step;
use common::dash::{Dash, demo_with, row_of, select};
use ratatui::style::Modifier;

const K25: &str = "M3E3A-7QXRT-4HDPC-2VWNB-K25LA";
const K300: &str = "M3E3C-2LPQW-6NBVC-5XKJH-K300C";
const REDEEMED: &str = "M3E3E-4ZXCV-9BNMA-3SDFG-K100E";

fn cursor(d: &Dash) -> Option<KeyCursor> {
    d.app.key_cursor()
}

fn footer(d: &Dash) -> String {
    d.screen().lines().last().unwrap_or_default().to_string()
}

fn read_only() -> Dash {
    let portfolio = demo_with(|c| {
        c.user.role = Role::ReadOnly;
        c.user.can_view_keys = false;
    });
    Dash::new(portfolio, Lang::EnUs, (100, 30))
}

fn click(d: &mut Dash, column: u16, row: u16) {
    d.send(Event::Mouse(Mouse {
        kind: MouseKind::Press(Button::Left),
        column,
        row,
    }));
}

/// Microsoft 365 E3 expanded, the cursor on its key lines.
fn on_e3_keys() -> Dash {
    let mut d = Dash::demo();
    d.press("<Enter><Right>");
    d
}

#[test]
fn right_on_an_expanded_row_moves_into_its_key_lines_and_esc_or_left_back_out() {
    let mut d = Dash::demo();
    d.press("<Right>");
    assert_eq!(d.app.context(), Context::Browse, "the first → expands");
    d.press("<Right>");
    assert_eq!(d.app.context(), Context::KeyLines);
    let first = cursor(&d).unwrap();
    assert_eq!((first.page, first.key), (Page::Cloud, 0));
    d.press("jj<Down>");
    assert_eq!(cursor(&d).unwrap().key, 3);
    d.press("<Down><Down><Down>");
    assert_eq!(cursor(&d).unwrap().key, 4, "bounded by the last key line");
    d.press("<Home>");
    assert_eq!(cursor(&d).unwrap().key, 0);
    d.press("<Esc>");
    assert_eq!((d.app.context(), cursor(&d)), (Context::Browse, None));
    d.press("<Right><End><Left>");
    assert_eq!(d.app.context(), Context::Browse);
    assert_eq!(d.app.table().selected, 0, "back on the row it came from");
}

#[test]
fn the_cursor_starts_on_the_first_key_still_to_use() {
    let mut d = Dash::demo();
    d.press("2");
    select(&mut d, "Office LTSC Professional Plus 2021");
    d.press("<Enter><Right>");
    assert_eq!(cursor(&d).map(|k| k.page), Some(Page::Software));
    let k = cursor(&d).unwrap();
    let key = &d.app.portfolio.software(k.benefit).keys[k.key];
    assert!(key.activations_used < key.activations_allowed);
}

#[test]
fn a_collapsed_row_a_credit_and_history_have_no_key_lines_to_enter() {
    let mut d = Dash::demo();
    select(&mut d, "Azure credit — $6,000 yearly");
    d.press("<Enter><Right>");
    assert_eq!(d.app.context(), Context::Browse);
    d.press("3<Right>");
    assert_eq!(d.app.context(), Context::Browse);
}

#[test]
fn the_key_line_under_the_cursor_is_marked_and_highlighted_and_the_row_is_not() {
    let mut d = on_e3_keys();
    d.press("jj");
    let screen = d.screen();
    assert!(
        screen.contains(&format!("  > Product key: {K300}")),
        "{screen}"
    );
    assert_eq!(screen.matches("  > Product key").count(), 1, "{screen}");
    let buf = d.buffer().clone();
    let line = row_of(&buf, K300);
    assert!(buf[(10, line)].modifier.contains(Modifier::REVERSED));
    let row = row_of(&buf, "Microsoft 365 E3");
    assert!(!buf[(4, row)].modifier.contains(Modifier::REVERSED));
    assert!(buf[(4, row)].modifier.contains(Modifier::BOLD));
    let other = row_of(&buf, K25);
    assert!(!buf[(10, other)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn enter_or_r_on_a_key_line_opens_the_dialog_with_that_key_validated() {
    for pick in ["<Enter>", "r"] {
        let mut d = on_e3_keys();
        d.press("jj");
        d.press(pick);
        let dialog = d.app.redemption().expect("the dialog opens");
        assert!(
            matches!(dialog.step, Step::ChooseTarget { .. }),
            "{pick}: straight to the tenant and subscription: {:?}",
            dialog.step
        );
        assert_eq!(dialog.key.as_ref().unwrap().key.formatted(), K300);
        // Esc twice: the key field, then back on the key line it was picked from.
        d.press("<Esc><Esc>");
        assert_eq!(d.app.context(), Context::KeyLines, "{}", d.screen());
        assert_eq!(cursor(&d).unwrap().key, 2);
    }
}

#[test]
fn a_redeemed_key_refuses_in_words_and_the_footer_does_not_offer_it() {
    let mut d = on_e3_keys();
    d.press("<End>");
    assert!(d.screen().contains(&format!("  > Product key: {REDEEMED}")));
    assert!(!d.app.offers(Context::KeyLines, Command::Open));
    assert!(!footer(&d).contains("Enter"), "{}", footer(&d));
    d.press("<Enter>");
    assert!(d.app.redemption().is_none());
    assert_eq!(d.app.context(), Context::KeyLines);
    match &d.app.notice {
        Some(Notice::Refused(r)) => assert_eq!(r.code, RefusalCode::KeyAlreadyRedeemed),
        other => panic!("a refusal, not {other:?}"),
    }
    assert!(
        d.screen()
            .contains("This product key has already been used"),
        "{}",
        d.screen()
    );
}

#[test]
fn a_key_of_a_benefit_past_activate_by_refuses_in_words() {
    let mut d = Dash::demo();
    select(&mut d, "Project Plan 3");
    d.press("<Enter><Right>");
    assert_eq!(d.app.context(), Context::KeyLines);
    d.press("<Enter>");
    assert!(d.app.redemption().is_none());
    match &d.app.notice {
        Some(Notice::Refused(r)) => assert_eq!(r.code, RefusalCode::BenefitExpired),
        other => panic!("a refusal, not {other:?}"),
    }
}

#[test]
fn a_software_key_line_opens_the_activation_dialog_on_that_key() {
    let mut d = Dash::demo();
    d.press("2");
    select(&mut d, "Windows 11 Enterprise");
    d.press("<Enter><Right>");
    assert!(footer(&d).contains("Enter activate"), "{}", footer(&d));
    let k = cursor(&d).unwrap();
    d.press("r");
    assert!(d.app.activation().is_none(), "r redeems cloud keys only");
    d.press("a");
    let dialog = d.app.activation().expect("the activation dialog");
    assert_eq!((dialog.benefit, dialog.key), (k.benefit, k.key));
    assert_eq!(dialog.focus, benefits::app::ActivationField::Machine);
}

#[test]
fn y_and_shift_y_copy_the_key_of_the_line() {
    for copy in ["y", "Y"] {
        let mut d = on_e3_keys();
        d.press("jj");
        d.press(copy);
        assert_eq!(d.app.clipboard.as_deref(), Some(K300), "{copy}");
        assert!(d.screen().contains("Copied *****-*****-*****-*****-K300C"));
    }
    let mut d = read_only();
    d.press("<Enter><Right>y");
    assert_eq!(d.app.clipboard, None, "keys are masked for this user");
    assert_eq!(d.app.notice, Some(Notice::Info("copy.key-not-permitted")));
    assert!(!footer(&d).contains("copy"), "{}", footer(&d));
}

#[test]
fn a_read_only_user_previews_from_a_key_line_and_is_offered_no_write() {
    let mut d = read_only();
    d.press("<Enter><Right>");
    let footer = footer(&d);
    assert!(footer.contains("Enter preview"), "{footer}");
    assert!(!footer.contains("redeem"), "{footer}");
    d.press("<Enter>");
    let dialog = d.app.redemption().expect("the preview opens");
    assert!(matches!(dialog.step, Step::ChooseTarget { .. }));
}

#[test]
fn the_browse_footer_offers_the_key_lines_only_on_an_expanded_row_that_has_them() {
    let mut d = Dash::demo();
    assert!(!d.app.offers(Context::Browse, Command::Expand));
    d.press("<Enter>");
    assert!(d.app.offers(Context::Browse, Command::Expand));
    assert!(footer(&d).contains("→ keys"), "{}", footer(&d));
    select(&mut d, "Azure credit — $6,000 yearly");
    d.press("<Enter>");
    assert!(!d.app.offers(Context::Browse, Command::Expand));
}

/// The footer on a key line offers what works: each key it shows does something.
#[test]
fn every_key_the_key_lines_footer_offers_does_something() {
    for setup in ["", "jj", "<End>"] {
        let offered: Vec<_> = {
            let mut d = on_e3_keys();
            d.press(setup);
            (d.app.keymap.bindings(Context::KeyLines).iter())
                .filter(|b| b.footer && d.app.offers(Context::KeyLines, b.command))
                .map(|b| (b.command, b.keys[0]))
                .collect()
        };
        assert!(!offered.is_empty());
        for (c, key) in offered {
            let mut d = on_e3_keys();
            d.press(setup);
            let (before, context) = (d.buffer().clone(), d.app.context());
            let effect = d.send(Event::Key(key));
            let acted = effect.is_some() || d.app.context() != context || *d.buffer() != before;
            // ↑ on the first line and ↓ on the last share "↑/↓ key": one of them moves.
            let pair = matches!(c, Command::Up | Command::Down);
            assert!(acted || pair, "{setup:?}: the footer's {c:?} does nothing");
        }
    }
}

#[test]
fn a_click_on_a_redeemed_key_line_refuses_in_words_too() {
    let mut d = Dash::demo();
    d.press("<Enter>");
    let buf = d.buffer().clone();
    click(&mut d, 10, row_of(&buf, REDEEMED));
    assert!(d.app.redemption().is_none());
    assert!(
        matches!(&d.app.notice, Some(Notice::Refused(r)) if r.code == RefusalCode::KeyAlreadyRedeemed)
    );
}

#[test]
fn a_click_while_on_the_key_lines_answers_as_the_page_does() {
    let mut d = on_e3_keys();
    let buf = d.buffer().clone();
    click(&mut d, 10, row_of(&buf, "Power BI Pro"));
    assert_eq!(d.app.context(), Context::Browse);
    assert_eq!(
        d.app
            .portfolio
            .cloud(d.app.selected_item().unwrap())
            .product,
        "Power BI Pro"
    );
    let mut d = on_e3_keys();
    let buf = d.buffer().clone();
    click(&mut d, 10, row_of(&buf, K300));
    let dialog = d.app.redemption().expect("a click on a key line picks it");
    assert_eq!(dialog.key.as_ref().unwrap().key.formatted(), K300);
}

/// The ledger takes a redemption picked from a key line: the receipt closes back onto the
/// line, which now reads Redeemed, and Enter is no longer offered there.
#[test]
fn after_a_redemption_from_a_key_line_the_line_reads_redeemed() {
    let mut d = Dash::demo().with_ledger();
    d.press("<Enter><Right>jj<Enter>");
    d.press("<Enter>contoso.onmicrosoft.com<Enter><Enter>");
    assert_eq!(d.app.context(), Context::Review, "{}", d.screen());
    let effects = d.press_and_write("<Enter>");
    assert_eq!(effects.len(), 1);
    assert_eq!(d.app.context(), Context::Receipt, "{}", d.screen());
    d.press("<Enter>");
    assert_eq!(d.app.context(), Context::KeyLines, "{}", d.screen());
    let screen = d.screen();
    let line = screen.lines().find(|l| l.contains(K300)).unwrap();
    assert!(
        line.starts_with("  > ") && line.ends_with("Redeemed"),
        "{line}"
    );
    assert!(!d.app.offers(Context::KeyLines, Command::Open));
}

/// A row that leaves the table (the quick filter no longer keeps it once its last key is
/// redeemed) takes the cursor with it: the page has the keyboard again.
#[test]
fn the_cursor_goes_with_its_row_when_the_row_leaves_the_table() {
    let mut d = Dash::demo().with_ledger();
    d.press("f");
    assert_eq!(d.app.quick, QuickFilter::NotRedeemed);
    select(&mut d, "Microsoft 365 E5");
    d.press("<Enter><Right><Enter>");
    d.press("<Enter>contoso.onmicrosoft.com<Enter><Enter>");
    d.press_and_write("<Enter>");
    assert_eq!(d.app.context(), Context::Receipt, "{}", d.screen());
    assert_eq!(cursor(&d), None);
    d.press("<Enter>");
    assert_eq!(d.app.context(), Context::Browse);
}

#[test]
fn help_lists_the_key_lines_keys() {
    let mut d = on_e3_keys();
    d.resize(240, 80);
    d.press("?");
    assert!(
        d.screen().contains("Key lines of an expanded row"),
        "{}",
        d.screen()
    );
}

/// Found in the trial at 60x15: the details of Microsoft 365 E3 are taller than the
/// table, and the cursor walked off the bottom onto lines nobody could see. The line it
/// is on stays in view: the details above it give way, the row itself stays on top.
#[test]
fn on_a_small_terminal_the_key_line_under_the_cursor_stays_in_view() {
    let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, (60, 15));
    d.press("<Enter><Right>");
    for _ in 0..4 {
        d.press("<Down>");
        let k = cursor(&d).unwrap();
        let key = d
            .app
            .portfolio
            .cloud(k.benefit)
            .license
            .as_ref()
            .unwrap()
            .keys[k.key]
            .key
            .formatted();
        let screen = d.screen();
        assert!(
            screen.contains(&format!("> Product key: {key}")),
            "{key}:\n{screen}"
        );
        assert!(
            screen.contains("▾ Microsoft 3"),
            "the row stays on top:\n{screen}"
        );
    }
    // A click on a key line still picks the key drawn there.
    let buf = d.buffer().clone();
    click(&mut d, 10, row_of(&buf, "K400D"));
    let dialog = d
        .app
        .redemption()
        .expect("the click picks the key drawn there");
    assert!(
        dialog
            .key
            .as_ref()
            .unwrap()
            .key
            .formatted()
            .ends_with("K400D")
    );
}
