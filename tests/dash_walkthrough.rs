//! The walkthrough pane (`w`) as an admin uses it, to its end: "Activate benefits" opens
//! the dialog that fits the benefit — redemption for keys, activation for software, the
//! credit dialog for Azure credit — and the footer says which (issue 13, bug 1). Writes go
//! through the runtime worker into a real ledger in a temporary directory.

mod common;

use benefits::app::{Context, Effect, Page};
use benefits::redeem::Operation;
use common::dash::{Dash, select};

/// The footer: the last line of the screen.
fn footer(d: &Dash) -> String {
    d.screen().lines().last().unwrap_or_default().to_string()
}

#[test]
fn the_walkthrough_of_software_ends_in_the_activation_dialog() {
    let mut d = Dash::demo().with_ledger();
    d.press("2");
    select(&mut d, "Office LTSC Professional Plus 2021");
    let benefit = d.app.selected_item().unwrap();
    d.press("ws");
    assert!(footer(&d).contains("Enter activate"), "{}", d.screen());
    assert!(!footer(&d).contains("redeem"), "{}", d.screen());
    // Software is not redeemed on a tenant: nothing to verify first.
    assert!(
        !d.screen().contains("I have verified the tenant account"),
        "{}",
        d.screen()
    );
    d.press("<Enter>");
    assert_eq!(d.app.context(), Context::Activation, "{}", d.screen());
    assert_eq!(d.app.activation().unwrap().benefit, benefit);
    // The activation goes through to the ledger; the wizard is still there below.
    let effects = d.press_and_write("<Tab>ltsc-pc-1<Enter><Enter>");
    assert!(matches!(
        effects.as_slice(),
        [Effect::Commit(Operation::Activate { .. })]
    ));
    assert_eq!(
        d.app.portfolio.software(benefit).keys[0].activations_used,
        10
    );
    assert_eq!(d.app.context(), Context::WizardSoftware);
}

#[test]
fn the_walkthrough_of_azure_credit_ends_in_the_credit_dialog() {
    let mut d = Dash::demo().with_ledger();
    select(&mut d, "Azure credit — $6,000 yearly");
    let benefit = d.app.selected_item().unwrap();
    d.press("ws");
    assert!(footer(&d).contains("Enter assign credit"), "{}", d.screen());
    d.press("<Enter>");
    assert_eq!(
        d.app.notice,
        Some(benefits::app::Notice::Info("wizard.verify-first"))
    );
    d.press(" <Enter>");
    assert_eq!(d.app.context(), Context::Credit, "{}", d.screen());
    assert_eq!(d.app.credit().unwrap().benefit, benefit);
    let effects = d.press_and_write("<Down><Down><Enter><Enter>");
    assert_eq!(
        effects,
        [Effect::Commit(Operation::CreditAssign {
            benefit: "azure-bulk".into(),
            to: "chen@contoso.onmicrosoft.com".into()
        })]
    );
    let credit = d.app.portfolio.cloud(benefit).credit.clone().unwrap();
    assert_eq!(
        credit.assigned_to.as_deref(),
        Some("chen@contoso.onmicrosoft.com")
    );
    assert_eq!(d.app.page, Page::Cloud);
}

#[test]
fn the_walkthrough_of_a_license_benefit_still_ends_in_the_redemption_dialog() {
    let mut d = Dash::demo();
    d.press("ws");
    assert!(footer(&d).contains("Enter redeem"), "{}", d.screen());
    d.press(" <Enter>");
    assert_eq!(d.app.context(), Context::EnterKey);
}

/// Pick, never retype: Get keys lists the keys, ↑/↓ pick one, Enter opens the redemption
/// dialog with it validated (straight to the target), whole for a user who may view keys.
#[test]
fn a_key_picked_from_get_keys_opens_the_dialog_already_validated() {
    let mut d = Dash::demo().with_ledger();
    d.press("ws g");
    // Microsoft 365 E3's unredeemed keys; the second is picked.
    d.press("<Down>");
    assert!(
        d.screen().contains("M3E3B-9FJKD-3MWQP-8TRZX-K100B"),
        "{}",
        d.screen()
    );
    assert!(footer(&d).contains("pick a key"), "{}", d.screen());
    d.press("<Enter>");
    assert_eq!(d.app.context(), Context::ChooseTarget, "{}", d.screen());
    let key = d.app.redemption().unwrap().key.clone().unwrap();
    assert_eq!(key.key.formatted(), "M3E3B-9FJKD-3MWQP-8TRZX-K100B");
    assert!(
        d.screen()
            .contains("Product key: M3E3B-9FJKD-3MWQP-8TRZX-K100B · Microsoft 365 E3"),
        "the whole key after validation, for a user who may view keys:\n{}",
        d.screen()
    );
    let effects = d.press_and_write("<Enter>contoso.onmicrosoft.com<Enter><Enter><Enter>");
    assert!(matches!(
        effects.as_slice(),
        [Effect::Commit(Operation::Redeem { key, .. })] if key.formatted().ends_with("K100B")
    ));
    assert_eq!(d.app.context(), Context::Receipt, "{}", d.screen());
}

/// Stepping back from a picked key empties the key field: a user who may not view keys
/// never sees the whole key there.
#[test]
fn a_picked_key_is_never_shown_whole_to_a_user_who_may_not_view_keys() {
    let portfolio = common::dash::demo_with(|c| c.user.can_view_keys = false);
    let mut d = Dash::new(portfolio, benefits::i18n::Lang::EnUs, (100, 30));
    d.press("ws g<Enter>");
    assert_eq!(d.app.context(), Context::ChooseTarget, "{}", d.screen());
    assert!(
        d.screen().contains("*****-*****-*****-*****-K25LA"),
        "{}",
        d.screen()
    );
    d.press("<Esc>");
    assert_eq!(d.app.context(), Context::EnterKey);
    assert!(d.app.redemption().unwrap().key_input.is_empty());
    assert!(!d.screen().contains("M3E3A-7QXRT"), "{}", d.screen());
}

/// Bug 12: the Office walkthrough spoke of Office Professional Plus 2019 on macOS for
/// every Office product; the macOS note belongs to the benefit that has it.
#[test]
fn the_office_walkthrough_speaks_of_macos_only_for_the_product_that_has_the_note() {
    let mut d = Dash::demo();
    d.press("2");
    select(&mut d, "Office LTSC Professional Plus 2021");
    d.press("wn");
    let screen = d.screen();
    assert!(screen.contains("Activation walkthrough"), "{screen}");
    assert!(
        !screen.contains("Office Professional Plus 2019"),
        "{screen}"
    );
    d.press("<Esc>");
    select(&mut d, "Office Professional Plus 2019");
    d.press("wn");
    let screen = d.screen();
    assert!(screen.contains("do not work on macOS"), "{screen}");
}
