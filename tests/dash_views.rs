//! The Reconcile and Consumption pages: built on `domain::observation::reconcile` and
//! `domain::caps::usage` (what `benefits reconcile` and `benefits usage` print), kept
//! current as the ledger changes, with their own filter, sort and details.

mod common;

use benefits::app::{Context, Page};
use benefits::domain::observation::Verdict;
use common::dash::{Dash, line_of};
use common::views::{E3_K25, e3, import, reconciled, reconciled_through_the_dashboard, redeem};

/// The ledger numbers of the Reconcile rows, top down.
fn seqs(d: &Dash) -> Vec<i64> {
    let v = &d.app.reconcile;
    v.table.rows.iter().map(|&i| v.results[i].seq).collect()
}

#[test]
fn reconcile_view_lists_the_mismatches_first_with_both_numbers() {
    let mut d = Dash::demo();
    reconciled_through_the_dashboard(&mut d);
    d.press("4");
    assert_eq!(d.app.page, Page::Reconcile);
    let screen = d.screen();
    assert!(
        screen.contains("Mismatches: 1 · Matches: 1 · Not observed yet: 1"),
        "{screen}"
    );
    // The day Graph reports short of the preview, beside it, on the first row.
    let first = line_of(&d, "Jun 29, 2028");
    assert!(
        first.contains("✗") && first.contains("100 · Jun 30, 2028"),
        "{first}"
    );
    assert!(first.contains("mismatch"), "{first}");
    assert!(line_of(&d, "100 · Jun 30, 2027 100 · Jun 30, 2027").contains("match"));
    assert!(line_of(&d, "Microsoft 365 E5").contains("not observed yet"));
    // Enter spells both numbers out, and names the import that reported them.
    d.press("<Enter>");
    let screen = d.screen();
    assert!(
        screen.contains("End date: previewed Jun 30, 2028, Microsoft Graph Jun 29, 2028"),
        "{screen}"
    );
    assert!(screen.contains("Total licenses: previewed 100, Microsoft Graph 100"));
    assert!(screen.contains("Reported by Microsoft Graph in import #4 on Nov 23, 2026"));
}

#[test]
fn reconcile_view_agrees_with_the_rule_the_cli_uses() {
    let mut d = Dash::demo().with_ledger();
    reconciled_through_the_dashboard(&mut d);
    let ledger: Vec<_> = (d.app.history.iter().rev())
        .map(|l| (l.seq, l.entry.clone()))
        .collect();
    let cli = benefits::domain::observation::reconcile(&ledger);
    assert_eq!(d.app.reconcile.results, cli);
    assert_eq!(d.app.reconcile.mismatches, 1);
    // History may ask for the verdict on a redemption by its number.
    assert!(matches!(
        d.app.reconcile.verdict_of(3),
        Some(Verdict::Mismatch { .. })
    ));
    assert_eq!(
        d.app.reconcile.verdict_of(2),
        None,
        "an import is no redemption"
    );
}

#[test]
fn reconcile_view_follows_the_ledger_as_it_changes() {
    let mut d = Dash::demo().with_ledger();
    d.press("4");
    assert!(
        d.screen().contains("No redemptions to reconcile yet"),
        "{}",
        d.screen()
    );
    redeem(&mut d, "Microsoft 365 E3", E3_K25);
    d.press("4");
    let screen = d.screen();
    assert!(screen.contains("Nothing observed yet"), "{screen}");
    assert!(line_of(&d, "Microsoft 365 E3").contains("not observed yet"));
    // Graph reports 90 licenses where the preview said 100.
    import(&mut d, "subs.json", &e3(90, "2027-07-01T00:00:00Z", 12));
    let row = line_of(&d, "Microsoft 365 E3");
    assert!(
        row.contains("✗") && row.contains("90 · Jun 30, 2027"),
        "{row}"
    );
}

#[test]
fn reconcile_view_filters_by_result_and_text_and_sorts() {
    let mut d = Dash::demo();
    reconciled(&mut d);
    d.press("4f");
    assert_eq!(d.app.reconcile.table.rows.len(), 1);
    assert!(d.screen().contains("[Mismatches only]"), "{}", d.screen());
    d.press("f");
    assert!(line_of(&d, "Microsoft 365 E5").contains("not observed yet"));
    assert_eq!(d.app.reconcile.table.rows.len(), 1);
    d.press("<Esc>");
    assert_eq!(d.app.reconcile.table.rows.len(), 3);
    d.press("/e5<Enter>");
    assert_eq!(d.app.reconcile.table.rows.len(), 1, "{}", d.screen());
    d.press("<Esc>");
    // Newest first: the E5 redemption (#5) on top.
    d.press("s");
    assert!(d.screen().contains("Sort: newest first"), "{}", d.screen());
    assert_eq!(seqs(&d), vec![5, 3, 1]);
    d.press("S");
    assert_eq!(seqs(&d), vec![1, 3, 5]);
}

#[test]
fn consumption_view_shows_entitled_used_per_country_and_worldwide_against_each_cap() {
    let mut d = Dash::demo();
    reconciled(&mut d);
    d.press("5");
    assert_eq!(d.app.page, Page::Consumption);
    // E3: 100 licenses the catalog marks redeemed and 25 + 100 redeemed here, all at the
    // Amsterdam headquarters; 500 per country, 800 worldwide; Graph: 91 assigned.
    let e3 = line_of(&d, "Microsoft 365 E3");
    let cells: Vec<&str> = e3.split_whitespace().collect();
    assert_eq!(
        &cells[cells.len() - 5..],
        ["100", "225", "91", "800", "575"],
        "{e3}"
    );
    let nl = line_of(&d, "NL (Amsterdam)");
    let cells: Vec<&str> = nl.split_whitespace().collect();
    assert_eq!(&cells[cells.len() - 3..], ["225", "500", "275"], "{nl}");
    let se = line_of(&d, "SE (Stockholm)");
    let cells: Vec<&str> = se.split_whitespace().collect();
    assert_eq!(&cells[cells.len() - 3..], ["0", "500", "500"], "{se}");
    // Uncapped, nothing used: no country lines under it.
    let screen = d.screen();
    let bp = screen
        .lines()
        .position(|l| l.contains("Business Premium"))
        .unwrap();
    assert!(!screen.lines().nth(bp + 1).unwrap().contains("(Amsterdam)"));
    // Sorted by the room the caps leave: the capped product first.
    d.press("sss");
    assert!(d.screen().contains("Sort: Left"), "{}", d.screen());
    assert_eq!(
        d.app
            .consumption
            .selected()
            .map(|p| p.usage.product.as_str()),
        Some("Microsoft 365 E3")
    );
    d.press("/dynamics<Enter>");
    assert_eq!(d.app.consumption.table.rows.len(), 2);
}

#[test]
fn the_views_offer_no_writes_and_tab_walks_every_page() {
    let mut d = Dash::demo();
    reconciled(&mut d);
    for page in ["4", "5"] {
        d.press(page);
        let footer = d.screen().lines().last().unwrap().to_string();
        for word in [" redeem ", " activate ", " credit ", "walkthrough"] {
            assert!(!footer.contains(word), "{page}: {footer}");
        }
        assert_eq!(d.app.context(), Context::Browse);
    }
    d.press("1");
    let mut seen = Vec::new();
    for _ in 0..5 {
        seen.push(d.app.page);
        d.press("<Tab>");
    }
    assert_eq!(seen, Page::ALL);
    assert_eq!(d.app.page, Page::Cloud);
    d.press("<S-Tab>");
    assert_eq!(d.app.page, Page::Consumption);
}

/// A catalog's products are counted when the page is looked at, not at every start (and
/// the ledger moving on while another page shows costs nothing there).
#[test]
fn consumption_is_counted_when_its_page_is_shown() {
    let mut d = Dash::demo();
    assert!(d.app.consumption.products.is_empty());
    d.press("5");
    let before = d.app.consumption.products[0].usage.used_worldwide;
    d.press("1");
    redeem(&mut d, "Microsoft 365 E3", E3_K25);
    d.press("5");
    assert_eq!(
        d.app.consumption.products[0].usage.used_worldwide,
        before + 25
    );
    assert!(
        line_of(&d, "Microsoft 365 E3").contains(" 125 "),
        "{}",
        d.screen()
    );
}
