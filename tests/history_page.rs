//! The History page tells when each entry was written (the store's stamp: date and time to
//! the minute in UTC on the row, to the second in the entry's details) and, for a
//! redemption, whether Microsoft Graph bore its preview out.

mod common;

use benefits::app::Action;
use benefits::i18n::Lang;
use benefits::store::Logged;
use common::dash::{Dash, demo_with};

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
