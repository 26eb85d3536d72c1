//! The dashboard's "need attention" marks and counts follow the one rule in
//! `domain::attention` (issue 13, bug 2), and a benefit past its activate-by reads as
//! expired wherever it shows (bug 3). Writes go through the runtime worker into a real
//! ledger in a temporary directory.

mod common;

use benefits::app::Context;
use common::dash::{Dash, line_of, row_of, select};

/// The flag cell in front of the row's name (after the ▸/▾ marker).
fn flag_of(d: &Dash, name: &str) -> String {
    let buf = d.buffer();
    let y = row_of(buf, name);
    buf[(1, y)].symbol().to_string()
}

#[test]
fn attention_clears_when_the_only_key_is_redeemed_through_the_dashboard() {
    let mut d = Dash::demo().with_ledger();
    let before = d.app.attention_count();
    assert_eq!(flag_of(&d, "Microsoft 365 E5"), "!", "{}", d.screen());
    assert!(d.screen().contains(&format!("{before} need attention")));
    select(&mut d, "Microsoft 365 E5");
    d.press_and_write(
        "rM3E5A-5RTYU-2GHJK-9LZXC-K25E5<Enter><Enter>contoso.onmicrosoft.com<Enter><Enter><Enter>",
    );
    assert_eq!(d.app.context(), Context::Receipt, "{}", d.screen());
    d.press("<Enter>");
    assert_eq!(d.app.attention_count(), before - 1, "{}", d.screen());
    assert_eq!(flag_of(&d, "Microsoft 365 E5"), " ", "{}", d.screen());
    assert!(
        d.screen()
            .contains(&format!("{} need attention", before - 1)),
        "{}",
        d.screen()
    );
}

/// Project Plan 3's activate-by (Oct 31, 2026) is past on Nov 23: its key can no longer be
/// redeemed, so neither the row, the details nor the key reads "Ready to redeem".
#[test]
fn a_benefit_past_its_activate_by_reads_as_expired_on_the_row_details_and_keys() {
    let mut d = Dash::demo();
    select(&mut d, "Project Plan 3");
    let row = line_of(&d, "Project Plan 3");
    assert!(row.contains("Benefit expired"), "{row}");
    d.press("<Enter>");
    let screen = d.screen();
    assert!(
        screen.contains("Benefit redemption status: Benefit expired"),
        "{screen}"
    );
    let key = screen.lines().find(|l| l.contains("PRJP3-")).unwrap();
    assert!(key.ends_with("· Expired"), "{key}");
    assert!(!screen.contains("Ready to redeem"), "{screen}");
    // A benefit still in time keeps reading as before.
    select(&mut d, "Microsoft 365 E5");
    let row = line_of(&d, "Microsoft 365 E5");
    assert!(
        row.contains("Expired") && !row.contains("Benefit expired"),
        "{row}"
    );
}

#[test]
fn the_redemption_dialog_says_a_benefit_expired_when_it_opens() {
    let mut d = Dash::demo();
    select(&mut d, "Project Plan 3");
    d.press("r");
    assert_eq!(d.app.context(), Context::EnterKey);
    let screen = d.screen();
    assert!(
        screen.contains("could be activated until Oct 31, 2026"),
        "said when the dialog opens, before any key is typed:\n{screen}"
    );
    assert!(
        !screen.contains("Enter your 25-character product key"),
        "{screen}"
    );
    // Nothing to type into: the key field is not offered.
    d.press("prjp3");
    assert!(d.app.redemption().unwrap().key_input.is_empty());
    d.press("<Esc>");
    assert!(d.app.redemption().is_none());
}

/// Details explain themselves: an expanded row that needs attention says why.
#[test]
fn the_details_of_a_row_that_needs_attention_say_why() {
    let mut d = Dash::demo();
    select(&mut d, "Microsoft 365 E5");
    d.press("<Enter>");
    let screen = d.screen();
    assert!(
        screen.contains("Needs attention: 22 days left to activate (product keys not redeemed: 1)"),
        "{screen}"
    );
    select(&mut d, "Project Plan 3");
    d.press("<Enter>");
    assert!(
        d.screen()
            .contains("Needs attention: activate by passed 23 days ago"),
        "{}",
        d.screen()
    );
    // A row with nothing to do says nothing of the kind (Project Plan 3 folded again).
    d.press(" ");
    select(&mut d, "Microsoft 365 Business Premium");
    d.press("<Enter>");
    let screen = d.screen();
    let details = &screen[screen.find("Microsoft 365 Business").unwrap()..];
    assert!(!details.contains("Needs attention"), "{screen}");
}
