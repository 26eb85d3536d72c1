//! The dashboard's "need attention" marks and counts follow the one rule in
//! `domain::attention` (issue 13, bug 2), and a benefit past its activate-by reads as
//! expired wherever it shows (bug 3). Writes go through the runtime worker into a real
//! ledger in a temporary directory.

mod common;

use benefits::app::Context;
use common::dash::{Dash, row_of, select};

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
