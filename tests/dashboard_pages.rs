//! The pages as a user reads them: what the History filter keeps and what an entry holds,
//! what a quick filter brings into view, how sorting reads and what the filter searches.

mod common;

use benefits::i18n::Lang;
use common::dash::{Dash, demo_with};

/// Redeem K25LA (extend) and K100B (add licenses) on Microsoft 365 E3, through the ledger.
fn with_two_redemptions() -> Dash {
    let mut d = Dash::demo().with_ledger();
    d.press_and_write(
        "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter><Enter>",
    );
    d.press_and_write(
        "rM3E3B-9FJKD-3MWQP-8TRZX-K100B<Enter><Enter>contoso.onmicrosoft.com<Enter>ll<Enter><Enter><Enter>",
    );
    assert_eq!(d.app.history.len(), 2, "{}", d.screen());
    d
}

/// Bug 5: `3`, `/ extend` said "2 rows" and still listed the add-licenses entry.
#[test]
fn the_history_filter_keeps_only_the_entries_that_match() {
    let mut d = with_two_redemptions();
    d.press("3/extend");
    let screen = d.screen();
    assert_eq!(d.app.table().rows.len(), 1, "{screen}");
    assert!(screen.contains("Extend end date"), "{screen}");
    assert!(!screen.contains("Add licenses"), "{screen}");
    let one_row = |l: &str| l.ends_with("1 row") || l.contains("1 row ");
    assert!(screen.lines().any(one_row), "{screen}");
    assert!(!screen.contains("1 rows"), "{screen}");
    // Kept with Enter, it still filters; Esc brings both back.
    d.press("<Enter>");
    assert_eq!(d.app.table().rows.len(), 1);
    d.press("<Esc>");
    assert_eq!(d.app.table().rows.len(), 2);
    // Nothing matches: the page says so.
    d.press("/no such thing");
    assert!(
        d.screen().contains("Nothing matches the filter"),
        "{}",
        d.screen()
    );
}

/// Bug 5: Enter (the footer says "details") did nothing on History.
#[test]
fn enter_on_a_history_entry_shows_everything_it_holds() {
    let mut d = with_two_redemptions();
    d.press("3<End>");
    let before = d.screen();
    d.press("<Enter>");
    let screen = d.screen();
    assert_ne!(before, screen, "Enter changed nothing");
    for text in [
        "Entry #1",
        "Operation: Product key redeemed",
        "Date: Nov 23, 2026",
        "By: Ada Jansen · ada@contoso.onmicrosoft.com",
        "Benefit: Microsoft 365 E3 · m365-e3",
        "Mode: Extend end date",
        "Product key: *****-*****-*****-*****-K25LA · 25 licenses",
        "Subscription: contoso-m365-e3",
        "Total licenses: 100 → 100",
        "End date: Mar 31, 2027 → Jun 30, 2027",
    ] {
        assert!(screen.contains(text), "{text:?} missing:\n{screen}");
    }
    d.press("<Enter>");
    assert!(!d.screen().contains("Entry #1"), "Enter closes it again");
}

/// "History tells the whole story": who, and the operation in words, translated.
#[test]
fn history_rows_say_who_did_what_in_words() {
    let mut d = with_two_redemptions();
    d.press("3");
    let screen = d.screen();
    assert!(screen.contains("Ada Jansen"), "{screen}");
    assert!(screen.contains("Product key redeemed"), "{screen}");
    assert!(!screen.contains("redemption"), "{screen}");
    d.app.t = benefits::i18n::Messages::get(Lang::SvSe);
    d.frame();
    assert!(
        d.screen().contains("Produktnyckel inlöst"),
        "{}",
        d.screen()
    );
}

#[test]
fn an_empty_history_says_so() {
    let mut d = Dash::new(demo_with(|_| {}), Lang::NlNl, (80, 24));
    d.press("3");
    let screen = d.screen();
    assert!(
        screen.contains("Nog niets ingewisseld, geactiveerd of toegewezen."),
        "{screen}"
    );
}

/// Bug 6: expand every row, go to the end, `f f`: one row showed under 28 empty lines and
/// the row that needs attention was scrolled off above.
#[test]
fn a_quick_filter_brings_the_matching_rows_into_view() {
    for size in [(80, 24), (120, 40)] {
        let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, size);
        d.press("+<End>ff");
        let screen = d.screen();
        assert_eq!(d.app.table().rows.len(), 2, "{screen}");
        for name in ["Microsoft 365 E5", "Power BI Pro"] {
            assert!(screen.contains(name), "{name} is out of view:\n{screen}");
        }
        // No blank table lines while a row is out of view above.
        let window = d.app.layout.table.unwrap().window;
        assert_eq!(window.offset, 0, "{screen}");
    }
}

#[test]
fn expand_all_and_collapse_all() {
    let mut d = Dash::demo();
    d.press("+");
    assert_eq!(d.app.table().expanded.len(), d.app.table().rows.len());
    d.press("-");
    assert!(d.app.table().expanded.is_empty());
}

/// Bug 13: one glyph for both directions; no sort by status or benefit type.
#[test]
fn sorting_says_its_direction_and_covers_status_and_benefit_type() {
    use benefits::app::SortKey;
    let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, (120, 40));
    let names = |d: &Dash| -> Vec<String> {
        d.app
            .table()
            .rows
            .iter()
            .map(|&i| d.app.portfolio.cloud(i).product.clone())
            .collect()
    };
    d.press("s");
    assert_eq!(d.app.sort, SortKey::Name);
    let up = d.screen();
    assert!(up.contains("Benefit name ▴"), "{up}");
    d.press("S");
    let down = d.screen();
    assert!(down.contains("Benefit name ▾"), "{down}");
    assert_ne!(up, down);
    // Benefit type: core before incremental, and reversed.
    d.press("ss");
    assert_eq!(d.app.sort, SortKey::BenefitType);
    assert!(d.screen().contains("Benefit type ▴"), "{}", d.screen());
    let first_incremental = names(&d)
        .iter()
        .position(|n| n == "Dynamics 365 Sales Enterprise");
    assert!(
        first_incremental.unwrap()
            > names(&d)
                .iter()
                .position(|n| n == "Microsoft 365 E3")
                .unwrap()
    );
    // Status: active subscriptions first.
    d.press("sss");
    assert_eq!(d.app.sort, SortKey::Status);
    let screen = d.screen();
    assert!(screen.contains("Product subscription status ▴"), "{screen}");
    let rows = names(&d);
    let pos = |n: &str| rows.iter().position(|r| r == n).unwrap();
    assert!(
        pos("Microsoft 365 E3") < pos("Microsoft 365 E5"),
        "active before expired: {rows:?}"
    );
    assert!(
        pos("Microsoft 365 E5") < pos("Power BI Pro"),
        "expired before none: {rows:?}"
    );
}

/// Bug 13: "→ next mode" stayed in the footer on the last mode, where it does nothing.
#[test]
fn the_footer_drops_next_mode_on_the_last_mode() {
    let mut d = Dash::new(demo_with(|_| {}), Lang::EnUs, (120, 40));
    d.press("rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter>");
    let footer = |d: &Dash| d.screen().lines().last().unwrap().to_string();
    assert!(footer(&d).contains("next mode"), "{}", footer(&d));
    d.press("<Right><Right><Right>");
    assert!(!footer(&d).contains("next mode"), "{}", footer(&d));
}

/// Bug 14: `/` did not search the status column (`disabled` → 0 rows).
#[test]
fn the_filter_searches_the_status_column() {
    let mut d = Dash::demo();
    d.press("/disabled");
    let names: Vec<String> = d
        .app
        .table()
        .rows
        .iter()
        .map(|&i| d.app.portfolio.cloud(i).product.clone())
        .collect();
    assert_eq!(
        names,
        [
            "Dynamics 365 Sales Enterprise",
            "Dynamics 365 Customer Service Enterprise"
        ]
    );
    // In the language shown, and who holds a credit too.
    let mut d = Dash::new(demo_with(|_| {}), Lang::NlNl, (100, 30));
    d.press("/uitgeschakeld");
    assert_eq!(d.app.table().rows.len(), 2);
    d.press("<C-u>niet toegewezen");
    assert_eq!(d.app.table().rows.len(), 1);
}
