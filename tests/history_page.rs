//! The History page tells when each entry was written (the store's stamp: date and time to
//! the minute in UTC on the row, to the second in the entry's details) and, for a
//! redemption, whether Microsoft Graph bore its preview out.

mod common;

use benefits::app::Action;
use benefits::domain::Entry;
use benefits::domain::observation::{GraphStatus, Observation};
use benefits::i18n::Lang;
use benefits::store::{LedgerRow, Logged};
use common::dash::{Dash, demo_with};
use ratatui::style::Style;

const REDEEM_K25: &str = "rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter><Enter>";

/// The demo in `lang` at `size`, with K25LA redeemed (extend) through a ledger whose
/// clock reads 09:30 UTC on the pinned day.
fn redeemed(lang: Lang, size: (u16, u16)) -> Dash {
    let mut d = Dash::new(demo_with(|_| {}), lang, size).with_ledger();
    d.press_and_write(REDEEM_K25);
    assert_eq!(d.app.history.len(), 1, "{}", d.screen());
    d
}

#[test]
fn history_rows_say_when_each_entry_was_written_to_the_minute_in_utc() {
    for (lang, size, shown) in [
        (Lang::EnUs, (120, 40), "Nov 23, 2026 09:30 UTC"),
        (Lang::EnUs, (80, 24), "Nov 23, 2026 09:30 UTC"),
        (Lang::NlNl, (80, 24), "23-11-2026 09:30 UTC"),
        (Lang::SvSe, (80, 24), "2026-11-23 09:30 UTC"),
    ] {
        let mut d = redeemed(lang, size);
        d.press("3");
        let screen = d.screen();
        let row = screen.lines().find(|l| l.starts_with("  1 ")).unwrap_or("");
        assert!(row.contains(shown), "{lang:?} {size:?}: {screen}");
        d.press("<Enter>");
        let screen = d.screen();
        let full = shown.replace("09:30", "09:30:00");
        assert!(screen.contains(&full), "{lang:?} {size:?}: {screen}");
    }
}

#[test]
fn the_details_give_the_rules_date_and_the_full_stamp() {
    let mut d = redeemed(Lang::EnUs, (120, 40));
    d.press("3<Enter>");
    let screen = d.screen();
    for text in ["Date: Nov 23, 2026", "Recorded: Nov 23, 2026 09:30:00 UTC"] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
}

/// Entries written before the ledger recorded times show the date alone, and their
/// details have no "Recorded" line.
#[test]
fn an_entry_from_before_times_were_recorded_shows_the_date_only() {
    let mut d = redeemed(Lang::EnUs, (120, 40));
    let old: Vec<Logged> = (d.app.history.iter())
        .map(|l| Logged {
            at: None,
            ..l.clone()
        })
        .collect();
    d.update(Action::History(old));
    d.press("3");
    let screen = d.screen();
    let row = screen.lines().find(|l| l.starts_with("  1 ")).unwrap_or("");
    assert!(row.contains("Nov 23, 2026"), "{screen}");
    assert!(!screen.contains("UTC"), "{screen}");
    d.press("<Enter>");
    let screen = d.screen();
    assert!(screen.contains("Date: Nov 23, 2026"), "{screen}");
    assert!(!screen.contains("Recorded"), "{screen}");
}

/// The History filter finds an entry by the time it was written, as the row shows it.
#[test]
fn the_history_filter_finds_an_entry_by_its_time() {
    let mut d = redeemed(Lang::EnUs, (120, 40));
    d.press("3/09:30");
    assert_eq!(d.app.table().rows.len(), 1, "{}", d.screen());
    d.press("<Esc>/10:45");
    assert_eq!(d.app.table().rows.len(), 0, "{}", d.screen());
}

/// What Microsoft Graph reported about the redeemed subscription, appended to the ledger
/// as an import (seq 2) the way the runtime announces any new entry.
fn import_reporting(d: &mut Dash, licenses: u32, end: &str, status: GraphStatus) {
    let Entry::Redemption { target, .. } = &d.app.history[0].entry else {
        panic!("the first entry is the redemption");
    };
    let subscription = target.subscription_id().to_string();
    import_on(d, &subscription, licenses, end, status);
}

/// An import reporting `subscription` of the contoso tenant.
fn import_on(d: &mut Dash, subscription: &str, licenses: u32, end: &str, status: GraphStatus) {
    let observation = Observation {
        graph_id: "g-1".into(),
        sku: "SPE_E3".into(),
        product: "Microsoft 365 E3".into(),
        tenant: "contoso".into(),
        subscription: subscription.into(),
        graph_only: false,
        status,
        licenses,
        end_date: Some(end.parse().unwrap()),
        next_lifecycle: None,
        is_trial: false,
        consumed: None,
    };
    let entry = Entry::GraphImport {
        date: common::dash::today(),
        imported_at: "2026-11-23T10:00:00Z".into(),
        sources: vec![],
        observations: vec![observation],
        unmatched: vec![],
        user: "ada@contoso.onmicrosoft.com".into(),
    };
    let seq = d.app.portfolio.last_seq + 1;
    d.update(Action::Appended(vec![LedgerRow::Entry(Logged {
        seq,
        at: None,
        entry,
    })]));
}

/// The screen line of History row `seq` (the mark is its first cell).
fn history_row(d: &Dash, seq: i64) -> String {
    let screen = d.screen();
    let lead = format!(" {seq} ");
    (screen.lines())
        .find(|l| l.chars().skip(1).collect::<String>().starts_with(&lead))
        .unwrap_or_else(|| panic!("no row #{seq}: {screen}"))
        .to_string()
}

#[test]
fn a_redemption_graph_bears_out_carries_a_check_mark_and_says_so_in_its_details() {
    let mut d = redeemed(Lang::EnUs, (120, 40));
    d.press("3");
    assert!(
        history_row(&d, 1).starts_with(' '),
        "not observed yet: no mark"
    );
    import_reporting(&mut d, 100, "2027-06-30", GraphStatus::Enabled);
    let row = history_row(&d, 1);
    assert!(row.starts_with('✓'), "{row}");
    // The import came without a time (as from a ledger-less write): the redemption's
    // time still fits its column.
    assert!(row.contains("Nov 23, 2026 09:30 UTC"), "{row}");
    assert!(history_row(&d, 2).starts_with(' '), "an import has no mark");
    // The mark is green: its colour is the success colour.
    let ok = d.theme.ok();
    mark_coloured_then_details(
        &mut d,
        &row,
        ok,
        &[
            "Microsoft Graph: ✓ bears the preview out: #2 reported 100 licenses and the end date Jun 30, 2027",
            "On the row: ✓ Microsoft Graph bears the preview out, ✗ it differs, no mark: not observed yet",
        ],
    );
}

/// The mark on `row` has `style`'s colour, and the opened entry's details hold `texts`.
fn mark_coloured_then_details(d: &mut Dash, row: &str, style: Style, texts: &[&str]) {
    let y = common::dash::row_of(d.buffer(), &row[3..20]);
    assert_eq!(d.buffer()[(0, y)].style().fg, style.fg, "{row}");
    d.press("<End><Enter>");
    let screen = d.screen();
    for text in texts {
        assert!(screen.contains(text), "{text}: {screen}");
    }
}

#[test]
fn a_mismatch_carries_a_cross_and_its_details_give_both_numbers() {
    let mut d = redeemed(Lang::EnUs, (120, 40));
    import_reporting(&mut d, 90, "2027-07-01", GraphStatus::Warning);
    d.press("3");
    let row = history_row(&d, 1);
    assert!(row.starts_with('✗'), "{row}");
    let error = d.theme.error();
    mark_coloured_then_details(
        &mut d,
        &row,
        error,
        &[
            "Microsoft Graph: ✗ differs from the preview (#2 is the first import after it)",
            "Total licenses: previewed 100, reported 90",
            "End date: previewed Jun 30, 2027, reported Jul 1, 2027",
            "Status reported: Warning (Expired)",
        ],
    );
}

/// Not observed yet: no mark. Once anything was imported from Graph the details say how
/// to check the redemption; before that they say nothing about Graph at all.
#[test]
fn not_observed_yet_is_no_mark_and_the_details_say_how_to_check() {
    let mut d = redeemed(Lang::EnUs, (120, 40));
    d.press("3<Enter>");
    let screen = d.screen();
    assert!(history_row(&d, 1).starts_with(' '), "{screen}");
    assert!(!screen.contains("Microsoft Graph"), "{screen}");
    // An import that reports another subscription leaves this one unobserved.
    let mut d = redeemed(Lang::EnUs, (120, 40));
    import_on(
        &mut d,
        "contoso-m365-bp",
        15,
        "2027-06-30",
        GraphStatus::Enabled,
    );
    d.press("3<End><Enter>");
    let screen = d.screen();
    assert!(history_row(&d, 1).starts_with(' '), "{screen}");
    assert!(
        screen.contains("Microsoft Graph: not observed yet: export the subscriptions"),
        "{screen}"
    );
}

#[test]
fn the_marks_are_ascii_with_ascii_and_read_in_every_language() {
    let mut d = redeemed(Lang::EnUs, (80, 24));
    d.theme = benefits::ui::theme::Theme::new(false, true);
    import_reporting(&mut d, 90, "2027-07-01", GraphStatus::Enabled);
    d.press("3");
    assert!(history_row(&d, 1).starts_with('x'), "{}", d.screen());
    for (lang, text) in [
        (Lang::NlNl, "wijkt af van het voorbeeld"),
        (Lang::SvSe, "avviker från förhandsvisningen"),
    ] {
        let mut d = redeemed(lang, (80, 24));
        import_reporting(&mut d, 90, "2027-07-01", GraphStatus::Enabled);
        d.press("3");
        assert!(history_row(&d, 1).starts_with('✗'), "{}", d.screen());
        d.press("<End><Enter>");
        assert!(d.screen().contains(text), "{lang:?}: {}", d.screen());
    }
}
