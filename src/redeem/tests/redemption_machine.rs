//! The redemption dialog's machine, step by step.

use super::*;
use crate::domain::Mode;
use crate::redeem::Operation;
use crate::redeem::machine::{Effect, Intent, Redemption, Step, TextEdit};

// --- The state machine ---

fn type_key(m: &mut Redemption, c: Ctx<'_>, s: &str) {
    m.update(c, Intent::EditKey(TextEdit::Clear));
    m.update(c, Intent::EditKey(TextEdit::Insert(s.into())));
}

/// From a validated key: choose the existing subscription and confirm its tenant by name.
fn confirm_contoso(m: &mut Redemption, c: Ctx<'_>) {
    m.update(c, Intent::ChooseTarget);
    m.update(
        c,
        Intent::EditConfirmation(TextEdit::Insert("contoso.onmicrosoft.com".into())),
    );
    m.update(c, Intent::ConfirmTenant);
}

/// A new dialog with `key` validated and contoso's subscription confirmed: at the mode choice.
fn choosing_mode(c: Ctx<'_>, key: &str) -> Redemption {
    let mut m = Redemption::new(None);
    type_key(&mut m, c, key);
    m.update(c, Intent::Validate);
    confirm_contoso(&mut m, c);
    m
}

#[test]
fn machine_walks_enter_validate_target_confirm_mode_review_redeem_receipt() {
    let mut p = portfolio();
    let mut m = Redemption::new(None);
    {
        let c = ctx(&p);
        type_key(&mut m, c, "e3aaa aaaaa aaaaa aaaaa aaa25");
        assert!(m.key_feedback().unwrap().is_ok());
        assert_eq!(m.update(c, Intent::Validate), None);
        assert!(matches!(m.step, Step::ChooseTarget { .. }));
        confirm_contoso(&mut m, c);
        let Step::ChooseMode(choice) = &m.step else {
            panic!("{:?}", m.step)
        };
        assert_eq!(
            choice.mode,
            Mode::Extend,
            "first allowed mode on an Active subscription"
        );
        m.update(c, Intent::MoveMode(1));
        m.update(c, Intent::Review);
        assert!(matches!(&m.step, Step::Review(r) if r.mode == Mode::AddLicenses));
    }
    let effect = m.update(ctx(&p), Intent::Redeem);
    let Some(Effect::Commit(op)) = effect else {
        panic!("Redeem commits")
    };
    assert_eq!(
        op,
        Operation::Redeem {
            key: key("E3AAA-AAAAA-AAAAA-AAAAA-AAA25"),
            tenant: "contoso".into(),
            target: existing("sub-e3"),
            mode: Mode::AddLicenses,
            location: None,
        }
    );
    let entry = op.plan(ctx(&p)).unwrap();
    apply(&mut p, entry.clone());
    m.update(ctx(&p), Intent::Committed(entry));
    assert!(matches!(m.step, Step::Receipt { .. }));
    // Same key again in the same dialog: "already entered".
    m.update(ctx(&p), Intent::RedeemAnother);
    type_key(&mut m, ctx(&p), "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    m.update(ctx(&p), Intent::Validate);
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::KeyAlreadyEntered
    );
}

#[test]
fn machine_error_keeps_what_the_user_typed() {
    let p = portfolio();
    let mut m = Redemption::new(None);
    type_key(&mut m, ctx(&p), "E3AAA-AAAAA-AAAAA-AAAAA-USED1");
    m.update(ctx(&p), Intent::Validate);
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::KeyAlreadyRedeemed
    );
    assert_eq!(m.key_input, "E3AAA-AAAAA-AAAAA-AAAAA-USED1");
    assert!(matches!(m.step, Step::EnterKey));
}

#[test]
fn machine_refused_mode_keeps_dialog_open_with_reason() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = choosing_mode(c, "E3AAA-AAAAA-AAAAA-AAAAA-AA301");
    m.update(c, Intent::SelectMode(Mode::Extend));
    m.update(c, Intent::Review);
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::ExtensionExceedsThreeYears
    );
    assert!(matches!(m.step, Step::ChooseMode { .. }));
}

#[test]
fn machine_back_steps_out_one_level_and_cancel_closes() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = Redemption::new(None);
    type_key(&mut m, c, "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    m.update(c, Intent::Validate);
    m.update(c, Intent::ChooseTarget);
    m.update(c, Intent::EditConfirmation(TextEdit::Insert("typo".into())));
    m.update(c, Intent::ConfirmTenant);
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::TenantNotConfirmed
    );
    m.update(c, Intent::Back);
    assert!(matches!(m.step, Step::ChooseTarget { .. }));
    m.update(c, Intent::Back);
    assert!(matches!(m.step, Step::EnterKey));
    assert_eq!(m.key_input, "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    m.update(c, Intent::Cancel);
    assert!(m.is_closed());
}

#[test]
fn machine_commit_failure_returns_to_review_with_reason() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = choosing_mode(c, "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    m.update(c, Intent::Review);
    assert!(m.update(c, Intent::Redeem).is_some());
    assert_eq!(
        m.update(c, Intent::Cancel),
        None,
        "cancel waits for the write under way"
    );
    m.update(
        c,
        Intent::CommitFailed(Refusal::new(RefusalCode::KeyAlreadyRedeemed)),
    );
    assert!(matches!(m.step, Step::Review { .. }));
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::KeyAlreadyRedeemed
    );
}

#[test]
fn text_fields_drop_control_characters_and_cap_length() {
    let mut s = String::new();
    TextEdit::Insert("a\x1b[2Jb\u{7}c".into()).apply(&mut s);
    assert_eq!(s, "a[2Jbc");
    TextEdit::Insert("x".repeat(10_000)).apply(&mut s);
    assert_eq!(s.chars().count(), crate::redeem::MAX_FIELD_LEN);
}

#[test]
fn machine_store_failure_returns_to_review_without_a_rule_refusal() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = choosing_mode(c, "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    m.update(c, Intent::Review);
    assert!(m.update(c, Intent::Redeem).is_some());
    m.update(c, Intent::Back);
    assert!(matches!(m.step, Step::Review { .. }));
    assert_eq!(m.error, None);
}

#[test]
fn a_dialog_for_a_benefit_past_its_activate_by_refuses_before_a_key_is_typed() {
    let p = portfolio();
    let c = ctx(&p);
    let late = (p.catalog.cloud_benefits.iter())
        .position(|b| b.id == "m365e3-ap")
        .unwrap();
    let mut m = Redemption::for_benefit(c, late);
    assert_eq!(
        m.expired.as_ref().map(|r| r.code),
        Some(RefusalCode::BenefitExpired)
    );
    type_key(&mut m, c, "E3BBB-BBBBB-BBBBB-BBBBB-LATE1");
    assert!(m.key_input.is_empty(), "no key is taken");
    assert_eq!(m.update(c, Intent::Validate), None);
    assert!(matches!(m.step, Step::EnterKey));
    assert_eq!(
        m.error.as_ref().map(|r| r.code),
        Some(RefusalCode::BenefitExpired)
    );
    // A benefit still in time takes keys as before.
    let m = Redemption::for_benefit(c, 0);
    assert!(m.expired.is_none());
    assert_eq!(m.expected_product.as_deref(), Some("Microsoft 365 E3"));
}

#[test]
fn redeem_another_key_on_a_tenant_confirmed_in_this_dialog_asks_for_its_domain_once() {
    let mut p = portfolio();
    let mut m = choosing_mode(ctx(&p), "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    let c = ctx(&p);
    m.update(c, Intent::Review);
    let Some(Effect::Commit(op)) = m.update(c, Intent::Redeem) else {
        panic!("{:?}", m.step)
    };
    let entry = op.plan(ctx(&p)).unwrap();
    apply(&mut p, entry.clone());
    let c = ctx(&p);
    m.update(c, Intent::Committed(entry));
    m.update(c, Intent::RedeemAnother);
    type_key(&mut m, c, "E3AAA-AAAAA-AAAAA-AAAAA-AA100");
    m.update(c, Intent::Validate);
    m.update(c, Intent::ChooseTarget);
    assert!(
        matches!(m.step, Step::ChooseMode(_)),
        "contoso was confirmed by name in this dialog: not asked again ({:?})",
        m.step
    );
    // Back from the modes goes to the confirmation, which holds the domain typed before.
    m.update(c, Intent::Back);
    let Step::ConfirmTenant(choice) = &m.step else {
        panic!("{:?}", m.step)
    };
    assert_eq!(choice.typed, "contoso.onmicrosoft.com");
}
