//! Pick, never retype, from an expanded row, as a person does it: the real binary in a
//! pseudo-terminal, Microsoft 365 E3 expanded, the cursor moved into its key lines and onto
//! the 300-license key, Enter, and the dialog opens with that key validated; redeemed
//! without typing a character of the key, the line then reads Redeemed, and the ledger
//! (`benefits history --json`) holds it.

mod common;

use common::program::{dashboard_sized, redeem_on_first_contoso_target};
use std::path::Path;

use common::program::CONFIG;

#[test]
fn a_key_picked_from_an_expanded_rows_key_lines_is_redeemed_without_typing_it() {
    let data = tempfile::tempdir().unwrap();
    let mut s = dashboard_sized(Path::new(CONFIG), data.path(), 120, 40, &[]);
    s.wait_for("Microsoft 365 E3");
    s.keys("\r"); // expand
    s.wait_for("Benefit details");
    s.wait_for("→ keys");
    s.keys("\x1b[C"); // → into the key lines
    s.wait_for("  > Product key: M3E3A-7QXRT-4HDPC-2VWNB-K25LA");
    s.wait_for("Enter redeem");
    s.keys("jj");
    s.wait_for("  > Product key: M3E3C-2LPQW-6NBVC-5XKJH-K300C");
    s.keys("\r");
    // Validated already: straight to the tenant and subscription.
    s.wait_for("Choose tenant and subscription");
    assert!(
        s.text()
            .contains("Product key: M3E3C-2LPQW-6NBVC-5XKJH-K300C · Microsoft 365 E3"),
        "{}",
        s.text()
    );
    redeem_on_first_contoso_target(&mut s);
    s.keys("\r"); // close the receipt: back on the key line
    s.wait_for("  > Product key: M3E3C-2LPQW-6NBVC-5XKJH-K300C · 300 licenses · Redeemed");
    s.wait_gone("Enter redeem");
    // The redeemed key refuses in words.
    s.keys("\r");
    s.wait_for("This product key has already been used");
    s.keys("h"); // back to the row, then quit
    s.wait_for("→ keys");
    s.keys("q");
    assert!(
        s.wait_exit().success(),
        "the dashboard did not quit cleanly"
    );
    let entries = common::history(Path::new(CONFIG), data.path());
    let e = entries.last().expect("the redemption is in the ledger");
    assert_eq!(e["op"], "redemption");
    assert_eq!(e["key_masked"], "*****-*****-*****-*****-K300C");
}
