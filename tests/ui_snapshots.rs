//! Screens as text: ratatui's TestBackend + insta, at 80x24 and 120x40, on the demo catalog
//! with today pinned to 2026-11-23. Where a colour carries meaning, the cell style is
//! asserted too (text snapshots drop colours).

mod common;

use benefits::app::Effect;
use benefits::domain::Role;
use benefits::i18n::Lang;
use benefits::redeem::Operation;
use benefits::ui::Theme;
use common::dash::{Dash, demo_with, row_of, text};
use ratatui::style::{Color, Modifier};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn dash(lang: Lang, size: (u16, u16)) -> Dash {
    Dash::new(demo_with(|_| {}), lang, size)
}

/// Every English screen is also taken in Dutch (suffix `_nl`), so each page, wizard step,
/// dialog step and refusal is checked in a second language too.
fn langs(name: &str, lang: Lang) -> Vec<(String, Lang)> {
    let mut out = vec![(name.to_string(), lang)];
    if lang == Lang::EnUs {
        out.push((format!("{name}_nl"), Lang::NlNl));
    }
    out
}

/// English and Dutch (suffix `_nl`), each at both sizes.
fn both_langs_at_both_sizes() -> Vec<((String, Lang), (u16, u16))> {
    langs("", Lang::EnUs)
        .into_iter()
        .flat_map(|l| SIZES.map(|s| (l.clone(), s)))
        .collect()
}

/// A fresh dashboard with the $6,000 bulk credit (`azure-bulk`) selected.
fn on_bulk_credit(lang: Lang, size: (u16, u16)) -> Dash {
    let mut d = dash(lang, size);
    d.press("<End>");
    while d
        .app
        .selected_item()
        .is_some_and(|b| d.app.portfolio.cloud(b).id != "azure-bulk")
    {
        d.press("<Up>");
    }
    d
}

/// Snapshot `keys` pressed on a fresh dashboard, at both sizes.
fn shots(name: &str, lang: Lang, keys: &str) {
    for (name, lang) in langs(name, lang) {
        for size in SIZES {
            let mut d = dash(lang, size);
            let effects = d.press(keys);
            assert!(effects.is_empty(), "{name}: nothing written");
            insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), d.screen());
        }
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
    let mut d = dash(Lang::EnUs, (80, 24));
    d.press("?jjjjjjjjjjjjjjjjjjjj");
    insta::assert_snapshot!("help_scrolled_80x24", d.screen());
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
    for ((suffix, lang), size) in both_langs_at_both_sizes() {
        // Through a real ledger, which stamps the time History shows.
        let mut d = dash(lang, size).with_ledger();
        let effects = d.press_and_write(
            "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter>",
        );
        assert!(matches!(
            effects.as_slice(),
            [Effect::Commit(Operation::Redeem { .. })]
        ));
        insta::assert_snapshot!(
            format!("dialog_receipt{suffix}_{}x{}", size.0, size.1),
            d.screen()
        );
        d.press("<Enter>3");
        insta::assert_snapshot!(format!("history{suffix}_{}x{}", size.0, size.1), d.screen());
    }
}

#[test]
fn read_only_user_sees_keys_masked() {
    // (Read-only users may open the redemption dialog to preview; Redeem is what is
    // refused: tests/app_keys.rs.)
    for ((suffix, lang), size) in both_langs_at_both_sizes() {
        let portfolio = demo_with(|c| {
            c.user.role = Role::ReadOnly;
            c.user.can_view_keys = false;
        });
        let mut d = Dash::new(portfolio, lang, size);
        d.press("<Enter>");
        insta::assert_snapshot!(
            format!("read_only{suffix}_{}x{}", size.0, size.1),
            d.screen()
        );
    }
}

#[test]
fn too_small_terminal_says_so() {
    let d = dash(Lang::EnUs, (40, 10));
    insta::assert_snapshot!("too_small", d.screen());
}

#[test]
fn ascii_no_color_dialog() {
    let mut d = dash(Lang::EnUs, (80, 24));
    d.theme = Theme::new(true, true);
    d.press("rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter>");
    let buf = d.buffer();
    insta::assert_snapshot!("dialog_modes_ascii_80x24", text(buf));
    for y in 0..24 {
        for x in 0..80 {
            let cell = &buf[(x, y)];
            assert_eq!(cell.fg, Color::Reset, "no colour at {x},{y}");
        }
    }
}

#[test]
fn due_soon_and_past_rows_stand_out_in_colour_and_without() {
    let mut d = dash(Lang::EnUs, (120, 40));
    let buf = d.buffer().clone();
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
    d.theme = Theme::new(true, false);
    let buf = d.frame();
    let y = row_of(buf, "Microsoft 365 E5");
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
    let mut d = dash(Lang::EnUs, (80, 24));
    d.press_and_write("2<Down><Down><Down>a<Tab>pc01<Enter><Enter>");
    d.press("a<Tab>pc02");
    let screen = d.screen();
    assert!(screen.contains("Activations used: 10 of 10"), "{screen}");
    assert!(!screen.contains("→ 11"), "{screen}");
    insta::assert_snapshot!("activation_at_the_maximum_80x24", screen);
}

#[test]
fn credit_dialog_review() {
    // Assign the $6,000 bulk credit to Chen Li: the holder before → after, then Enter.
    for ((suffix, lang), size) in both_langs_at_both_sizes() {
        let mut d = on_bulk_credit(lang, size);
        assert!(d.press("c<Down><Down><Enter>").is_empty());
        insta::assert_snapshot!(
            format!("credit_review{suffix}_{}x{}", size.0, size.1),
            d.screen()
        );
    }
}

#[test]
fn credit_dialog_bulk_offers_no_remove() {
    // Bulk credit has no Remove: → goes from Assign to Transfer.
    for ((suffix, lang), size) in both_langs_at_both_sizes() {
        let mut d = on_bulk_credit(lang, size);
        d.press("c<Right>");
        assert!(d.app.credit().is_some());
        insta::assert_snapshot!(format!("credit{suffix}_{}x{}", size.0, size.1), d.screen());
    }
}

#[test]
fn timeline() {
    shots("timeline", Lang::EnUs, "t");
}

#[test]
fn timeline_in_dutch() {
    let mut d = dash(Lang::NlNl, (80, 24));
    d.press("t");
    let buf = d.buffer();
    insta::assert_snapshot!("timeline_nl_80x24", text(buf));
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
    let mut d = dash(Lang::EnUs, (80, 24));
    d.theme = Theme::new(true, true);
    d.press("2t");
    insta::assert_snapshot!("timeline_ascii_80x24", d.screen());
}

/// A Swedish snapshot of each page (Software is `software_sv`): Cloud services and History
/// after a redemption, at both sizes.
#[test]
fn swedish_pages() {
    for size in SIZES {
        let mut d = dash(Lang::SvSe, size).with_ledger();
        insta::assert_snapshot!(format!("cloud_sv_{}x{}", size.0, size.1), d.screen());
        d.press_and_write(
            "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter><Enter>3<Enter>",
        );
        insta::assert_snapshot!(format!("history_sv_{}x{}", size.0, size.1), d.screen());
    }
}

/// The Reconcile and Consumption pages on a ledger with a match, a mismatch and a
/// redemption not observed yet (`common::views::reconciled`), in every language at both
/// sizes; Reconcile also with the mismatch opened into both numbers.
#[test]
fn reconcile_and_consumption_pages() {
    for (suffix, lang) in [("", Lang::EnUs), ("_nl", Lang::NlNl), ("_sv", Lang::SvSe)] {
        for size in SIZES {
            let mut d = dash(lang, size);
            common::views::reconciled(&mut d);
            let at = format!("{}x{}", size.0, size.1);
            d.press("4");
            insta::assert_snapshot!(format!("reconcile{suffix}_{at}"), d.screen());
            d.press("<Enter>");
            insta::assert_snapshot!(format!("reconcile_details{suffix}_{at}"), d.screen());
            d.press("5");
            insta::assert_snapshot!(format!("consumption{suffix}_{at}"), d.screen());
        }
    }
}

/// With nothing in the ledger, each page says what to do.
#[test]
fn reconcile_and_consumption_pages_empty() {
    for size in SIZES {
        let mut d = dash(Lang::EnUs, size);
        let at = format!("{}x{}", size.0, size.1);
        d.press("4");
        insta::assert_snapshot!(format!("reconcile_empty_{at}"), d.screen());
        d.press("5");
        insta::assert_snapshot!(format!("consumption_unobserved_{at}"), d.screen());
    }
}
