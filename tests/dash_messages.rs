//! What the dashboard says when a write does not apply or is refused (issue 13, bugs 8
//! and 9): messages that fit the product, credit named as the screens name it, and Remove
//! of a monthly credit's user always possible. Writes go into a real ledger.

mod common;

use benefits::app::{Context, CreditOp, Effect, Notice};
use benefits::i18n::Lang;
use benefits::redeem::Operation;
use common::dash::{Dash, demo_with, select, selected_credit_holder};

/// The status line under the table (the line above the footer).
fn status_line(d: &Dash) -> String {
    let screen = d.screen();
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len() - 2].to_string()
}

/// Bug 8: SQL Server needs no activation: no "0/4", no word about CALs.
#[test]
fn a_product_that_needs_no_activation_shows_no_count_and_says_so_in_its_own_words() {
    let mut d = Dash::demo();
    d.press("2");
    select(&mut d, "SQL Server 2022 Enterprise");
    let screen = d.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("SQL Server 2022"))
        .unwrap();
    assert!(!row.contains("0/4"), "{row}");
    assert!(row.trim_end().ends_with('-'), "{row}");
    d.press("<Enter>");
    assert!(!d.screen().contains("0 of 4 activations"), "{}", d.screen());
    d.press("a");
    assert!(d.app.activation().is_none());
    let said = status_line(&d);
    assert!(said.contains("SQL Server 2022 Enterprise"), "{said}");
    assert!(!said.contains("CAL"), "{said}");
    // Nothing to do on it, so "Not redeemed" does not list it.
    d.press("f");
    let b = d.app.selected_item();
    assert!(
        (d.app.software.rows.iter())
            .all(|&i| d.app.portfolio.software(i).product != "SQL Server 2022 Enterprise"),
        "{b:?} {}",
        d.screen()
    );
}

/// Bug 9: bulk credit has no Remove, so its dialog does not offer it.
#[test]
fn the_bulk_credit_dialog_offers_assign_and_transfer_only() {
    let mut d = Dash::demo();
    select(&mut d, "Azure credit — $6,000 yearly");
    d.press("c");
    assert!(!d.screen().contains("Remove"), "{}", d.screen());
    d.press("<Right>");
    assert_eq!(d.app.credit().unwrap().op, CreditOp::Transfer);
    // Transfer of a credit nobody holds: said with the benefit's name, not its id.
    d.press("<Enter>");
    let screen = d.screen();
    assert!(
        screen.contains("Nobody is assigned to Azure credit — $6,000 yearly"),
        "{screen}"
    );
    assert!(!screen.contains("azure-bulk"), "{screen}");
    // A user holding another credit offer: named, and the offer by its name.
    d.press("<Left><Down><Down><Down><Enter>");
    let screen = d.screen();
    assert!(screen.contains("Dana Eriksson"), "{screen}");
    assert!(
        screen.contains("Azure Pass") && !screen.contains("azure-pass"),
        "{screen}"
    );
}

/// Bug 9: after five reassignments a monthly credit's user can still be removed (someone
/// who left); the write goes to the ledger and the row shows nobody assigned.
#[test]
fn remove_stays_possible_after_five_reassignments() {
    let portfolio = demo_with(|c| {
        let b = c
            .cloud_benefits
            .iter_mut()
            .find(|b| b.id == "azure-monthly");
        b.unwrap().credit.as_mut().unwrap().reassignments = 5;
    });
    let mut d = Dash::new(portfolio, Lang::EnUs, (100, 30)).with_ledger();
    select(&mut d, "Azure credit — $100 monthly");
    d.press("c");
    assert!(
        d.screen().contains("Reassignments used: 5 of 5"),
        "the credit details say how many are used:\n{}",
        d.screen()
    );
    let effects = d.press_and_write("<Right><Enter><Enter>");
    assert_eq!(
        effects,
        [Effect::Commit(Operation::CreditRemove {
            benefit: "azure-monthly".into()
        })]
    );
    assert_eq!(d.app.context(), Context::Browse);
    assert_eq!(selected_credit_holder(&d), None);
    assert!(matches!(d.app.notice, Some(Notice::Info("credit.done"))));
}

/// Credit details: the tenant by name, and in the picker the users who already hold a
/// credit are marked.
#[test]
fn the_credit_dialog_names_the_tenant_and_marks_users_who_hold_a_credit() {
    let mut d = Dash::demo();
    select(&mut d, "Azure credit — $6,000 yearly");
    d.press("c");
    let screen = d.screen();
    assert!(screen.contains("Tenant: Contoso Consulting"), "{screen}");
    assert!(
        screen.contains("<bram@contoso.onmicrosoft.com> · holds Azure credit"),
        "{screen}"
    );
    let chen = screen.lines().find(|l| l.contains("chen@contoso")).unwrap();
    assert!(!chen.contains("holds"), "{chen}");
}
