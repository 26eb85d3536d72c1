use super::credit::{is_free_mail, plan_assign, plan_remove, plan_transfer};
use super::machine::{Effect, Intent, Redemption, Step, TextEdit};
use super::rules::{self, Ctx};
use super::software::{activations_counted, plan_activation};
use crate::domain::*;
use chrono::NaiveDate;

const FIXTURE: &str = include_str!("fixture.yaml");

fn portfolio() -> Portfolio {
    Portfolio::new(
        crate::catalog::load_str(FIXTURE, "fixture.yaml").expect("the fixture is a valid catalog"),
    )
}

fn today() -> NaiveDate {
    "2026-11-23".parse().unwrap()
}

fn ctx(p: &Portfolio) -> Ctx<'_> {
    Ctx {
        portfolio: p,
        user: &p.catalog.user,
        today: today(),
    }
}

fn key(s: &str) -> ProductKey {
    ProductKey::parse(s).unwrap()
}

fn code<T: std::fmt::Debug>(r: Result<T, Refusal>) -> RefusalCode {
    r.expect_err("refused").code
}

fn apply(p: &mut Portfolio, e: Entry) {
    let seq = p.last_seq + 1;
    p.apply(seq, &e);
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
}

// --- Key validation, one rule each ---

#[test]
fn invalid_key_is_refused_with_specific_reason() {
    let p = portfolio();
    let r = rules::validate_cloud_key(ctx(&p), "E3AAA-AAAAA", None).unwrap_err();
    assert_eq!(r.code, RefusalCode::InvalidKeyFormat);
    assert!(r.param("detail").unwrap().contains("10 of 25"));
}

#[test]
fn unknown_key_is_refused() {
    let p = portfolio();
    assert_eq!(
        code(rules::validate_cloud_key(
            ctx(&p),
            "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ",
            None
        )),
        RefusalCode::UnknownKey
    );
}

#[test]
fn key_redeemed_once_ever_second_attempt_refused() {
    let p = portfolio();
    assert_eq!(
        code(rules::validate_cloud_key(
            ctx(&p),
            "E3AAA-AAAAA-AAAAA-AAAAA-USED1",
            None
        )),
        RefusalCode::KeyAlreadyRedeemed
    );
}

#[test]
fn key_for_another_product_is_refused() {
    let p = portfolio();
    let r = rules::validate_cloud_key(
        ctx(&p),
        "DYNAA-AAAAA-AAAAA-AAAAA-AAA10",
        Some("Microsoft 365 E3"),
    );
    assert_eq!(code(r), RefusalCode::KeyProductMismatch);
}

#[test]
fn redemption_after_activate_by_is_refused() {
    let p = portfolio();
    assert_eq!(
        code(rules::validate_cloud_key(
            ctx(&p),
            "E3BBB-BBBBB-BBBBB-BBBBB-LATE1",
            None
        )),
        RefusalCode::BenefitExpired
    );
}

#[test]
fn user_without_role_is_refused_redemption() {
    let mut p = portfolio();
    p.catalog.user.role = Role::BillingAdmin;
    let r = rules::validate_cloud_key(ctx(&p), "E3AAA-AAAAA-AAAAA-AAAAA-AAA25", None).unwrap_err();
    assert_eq!(r.code, RefusalCode::RoleNotPermitted);
    assert_eq!(r.param("role"), Some("billing-admin"));
}

#[test]
fn global_admin_and_mpn_partner_admin_may_redeem() {
    assert!(Role::GlobalAdmin.may_redeem());
    assert!(Role::MpnPartnerAdmin.may_redeem());
    for r in [
        Role::BillingAdmin,
        Role::AccountAdmin,
        Role::Guest,
        Role::ReadOnly,
    ] {
        assert!(!r.may_redeem());
    }
}

#[test]
fn software_key_is_not_a_cloud_key() {
    let p = portfolio();
    assert_eq!(
        code(rules::validate_cloud_key(
            ctx(&p),
            "WINAP-AAAAA-AAAAA-AAAAA-AAAAA",
            None
        )),
        RefusalCode::NotACloudKey
    );
}

// --- Targets and tenants ---

#[test]
fn keys_can_be_used_on_any_tenant_of_the_organization() {
    let p = portfolio();
    let t = rules::targets(ctx(&p), "Microsoft 365 E3");
    let tenants: Vec<_> = t.iter().map(|o| o.tenant.as_str()).collect();
    assert_eq!(tenants, ["contoso", "contoso", "lab"]);
    assert_eq!(t[0].subscription.as_deref(), Some("sub-e3"));
    assert_eq!(t[1].subscription, None);
}

#[test]
fn tenant_confirmation_requires_the_exact_domain() {
    let p = portfolio();
    let t = &rules::targets(ctx(&p), "Microsoft 365 E3")[0];
    assert!(rules::check_tenant_confirmation(t, " Contoso.onmicrosoft.com ").is_ok());
    assert_eq!(
        code(rules::check_tenant_confirmation(t, "contoso")),
        RefusalCode::TenantNotConfirmed
    );
}

#[test]
fn seats_once_redeemed_on_a_tenant_stay_on_that_tenant() {
    // A redemption names its tenant; the fold puts the seats on that tenant's subscription only.
    let mut p = portfolio();
    let e = rules::plan_redemption(
        ctx(&p),
        &key("E3AAA-AAAAA-AAAAA-AAAAA-AAA25"),
        "lab",
        None,
        Mode::Activate,
    )
    .unwrap();
    apply(&mut p, e);
    let on_lab: Vec<_> = p
        .subscriptions_of_product("Microsoft 365 E3")
        .filter(|s| s.tenant == "lab")
        .collect();
    assert_eq!(on_lab.len(), 1);
    assert_eq!(on_lab[0].licenses, 25);
    let (_, contoso) = p.subscription("sub-e3").unwrap();
    assert_eq!(contoso.licenses, 100);
}

// --- Modes against targets ---

#[test]
fn preview_shows_every_mode_side_by_side() {
    let p = portfolio();
    let c = ctx(&p);
    let valid = rules::validate_cloud_key(c, "E3AAA-AAAAA-AAAAA-AAAAA-AAA25", None).unwrap();
    let target = rules::find_target(c, &valid.product, "contoso", Some("sub-e3")).unwrap();
    let pv = rules::preview(&valid, &target, today());
    assert_eq!(pv.len(), 3);
    assert_eq!(
        pv[0].1.as_ref().unwrap_err().code,
        RefusalCode::SubscriptionActive
    );
    assert_eq!(
        pv[1].1.as_ref().unwrap().after.end_date,
        "2027-06-30".parse().unwrap()
    );
    assert_eq!(pv[2].1.as_ref().unwrap().after.total_licenses, 125);
}

#[test]
fn new_subscription_can_only_be_activated() {
    let p = portfolio();
    let c = ctx(&p);
    let valid = rules::validate_cloud_key(c, "E3AAA-AAAAA-AAAAA-AAAAA-AAA25", None).unwrap();
    let target = rules::find_target(c, &valid.product, "lab", None).unwrap();
    let pv = rules::preview(&valid, &target, today());
    assert!(pv[0].1.is_ok());
    assert_eq!(
        pv[1].1.as_ref().unwrap_err().code,
        RefusalCode::ModeNotApplicable
    );
}

#[test]
fn over_three_times_suggests_a_new_subscription() {
    let p = portfolio();
    let r = rules::plan_redemption(
        ctx(&p),
        &key("E3AAA-AAAAA-AAAAA-AAAAA-AA301"),
        "contoso",
        Some("sub-e3"),
        Mode::Extend,
    );
    assert_eq!(code(r), RefusalCode::ExtensionExceedsThreeYears);
    // The same key activates a new subscription.
    let ok = rules::plan_redemption(
        ctx(&p),
        &key("E3AAA-AAAAA-AAAAA-AAAAA-AA301"),
        "contoso",
        Some("new"),
        Mode::Activate,
    );
    assert!(ok.is_ok());
}

#[test]
fn expired_subscription_is_activated_not_extended() {
    let p = portfolio();
    let k = key("DYNAA-AAAAA-AAAAA-AAAAA-AAA10");
    assert_eq!(
        code(rules::plan_redemption(
            ctx(&p),
            &k,
            "contoso",
            Some("sub-dyn"),
            Mode::Extend
        )),
        RefusalCode::SubscriptionNotActive
    );
    let e =
        rules::plan_redemption(ctx(&p), &k, "contoso", Some("sub-dyn"), Mode::Activate).unwrap();
    match e {
        Entry::Redemption { after, before, .. } => {
            assert_eq!(after.total_licenses, 10);
            assert_eq!(after.end_date, "2027-11-23".parse().unwrap());
            assert_eq!(before.unwrap().end_date, "2026-11-01".parse().unwrap());
        }
        _ => panic!(),
    }
}

#[test]
fn key_used_whole_on_one_subscription_and_one_mode() {
    let mut p = portfolio();
    let k = key("E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    let e =
        rules::plan_redemption(ctx(&p), &k, "contoso", Some("sub-e3"), Mode::AddLicenses).unwrap();
    apply(&mut p, e);
    let (_, s) = p.subscription("sub-e3").unwrap();
    assert_eq!(s.licenses, 125);
    // The key is spent: no second subscription or mode can take the rest of it.
    assert_eq!(
        code(rules::plan_redemption(
            ctx(&p),
            &k,
            "lab",
            None,
            Mode::Activate
        )),
        RefusalCode::KeyAlreadyRedeemed
    );
}

// --- The state machine ---

fn type_key(m: &mut Redemption, c: Ctx<'_>, s: &str) {
    m.update(c, Intent::EditKey(TextEdit::Clear));
    m.update(c, Intent::EditKey(TextEdit::Insert(s.into())));
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
        m.update(c, Intent::ChooseTarget);
        m.update(
            c,
            Intent::EditConfirmation(TextEdit::Insert("contoso.onmicrosoft.com".into())),
        );
        m.update(c, Intent::ConfirmTenant);
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
    let Some(Effect::Commit(req)) = effect else {
        panic!("Redeem commits")
    };
    assert_eq!(req.mode, Mode::AddLicenses);
    let entry = rules::plan_redemption(
        ctx(&p),
        &req.key,
        &req.tenant,
        req.subscription.as_deref(),
        req.mode,
    )
    .unwrap();
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
    let mut m = Redemption::new(None);
    type_key(&mut m, c, "E3AAA-AAAAA-AAAAA-AAAAA-AA301");
    m.update(c, Intent::Validate);
    m.update(c, Intent::ChooseTarget);
    m.update(
        c,
        Intent::EditConfirmation(TextEdit::Insert("contoso.onmicrosoft.com".into())),
    );
    m.update(c, Intent::ConfirmTenant);
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
    let mut m = Redemption::new(None);
    type_key(&mut m, c, "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    m.update(c, Intent::Validate);
    m.update(c, Intent::ChooseTarget);
    m.update(
        c,
        Intent::EditConfirmation(TextEdit::Insert("contoso.onmicrosoft.com".into())),
    );
    m.update(c, Intent::ConfirmTenant);
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
    assert_eq!(s.chars().count(), super::machine::MAX_FIELD_LEN);
}

// --- Software activations ---

#[test]
fn activation_new_machine_counts_one() {
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::New),
        1
    );
}

#[test]
fn activation_same_machine_no_hardware_change_counts_none() {
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::None),
        0
    );
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::Reimage),
        0
    );
}

#[test]
fn activation_same_machine_significant_hardware_change_counts_one() {
    assert_eq!(
        activations_counted(OfferKind::ActionPack, MachineChange::Hardware),
        1
    );
}

#[test]
fn activation_competency_and_solutions_partner_keys_count_every_activation_reimages_included() {
    for offer in [
        OfferKind::SolutionsPartner,
        OfferKind::GoldCompetency,
        OfferKind::SilverCompetency,
    ] {
        for change in [
            MachineChange::New,
            MachineChange::None,
            MachineChange::Hardware,
            MachineChange::Reimage,
        ] {
            assert_eq!(
                activations_counted(offer, change),
                1,
                "{offer:?} {change:?}"
            );
        }
    }
}

#[test]
fn activation_at_the_maximum_is_refused() {
    let mut p = portfolio();
    let k = key("OFFSP-AAAAA-AAAAA-AAAAA-AAAAA");
    let e = plan_activation(ctx(&p), &k, "pc-1", MachineChange::New, Os::Windows).unwrap();
    apply(&mut p, e);
    let r = plan_activation(ctx(&p), &k, "pc-2", MachineChange::New, Os::Windows).unwrap_err();
    assert_eq!(r.code, RefusalCode::MaxActivationsReached);
    assert_eq!(
        (r.param("used"), r.param("allowed")),
        (Some("10"), Some("10"))
    );
}

#[test]
fn activation_that_counts_nothing_is_allowed_at_the_maximum() {
    let mut p = portfolio();
    let k = key("WINAP-AAAAA-AAAAA-AAAAA-AAAAA");
    {
        let e = plan_activation(ctx(&p), &k, "pc-1", MachineChange::New, Os::Windows).unwrap();
        apply(&mut p, e);
    }
    let e = plan_activation(ctx(&p), &k, "pc-1", MachineChange::None, Os::Windows).unwrap();
    assert!(matches!(
        e,
        Entry::Activation {
            counted: 0,
            used_after: 10,
            ..
        }
    ));
}

#[test]
fn office_professional_plus_2019_iur_keys_do_not_work_on_macos() {
    let p = portfolio();
    let k = key("OPP19-AAAAA-AAAAA-AAAAA-AAAAA");
    assert_eq!(
        code(plan_activation(
            ctx(&p),
            &k,
            "mac",
            MachineChange::New,
            Os::Macos
        )),
        RefusalCode::NotSupportedOnMacos
    );
    assert!(plan_activation(ctx(&p), &k, "pc", MachineChange::New, Os::Windows).is_ok());
}

#[test]
fn cals_are_not_activated() {
    let p = portfolio();
    let b = p.software(3);
    assert!(b.is_cal() && !b.needs_activation());
}

#[test]
fn windows_and_office_need_activation() {
    let p = portfolio();
    assert!(p.software(0).needs_activation());
    assert!(p.software(1).needs_activation());
}

// --- Azure credit ---

#[test]
fn credit_user_must_exist_in_tenant_directory() {
    let mut p = portfolio();
    {
        let e = plan_remove(ctx(&p), "az-monthly").unwrap();
        apply(&mut p, e);
    }
    assert_eq!(
        code(plan_assign(
            ctx(&p),
            "az-monthly",
            "zed@contoso.onmicrosoft.com"
        )),
        RefusalCode::UserNotInDirectory
    );
    assert!(plan_assign(ctx(&p), "az-monthly", "bob@contoso.onmicrosoft.com").is_ok());
}

#[test]
fn credit_free_mail_domains_cannot_be_assigned() {
    let p = portfolio();
    assert!(
        is_free_mail("x@Hotmail.com") && is_free_mail("x@live.com") && is_free_mail("x@gmail.com")
    );
    assert_eq!(
        code(plan_assign(ctx(&p), "az-bulk", "gee@gmail.com")),
        RefusalCode::FreeMailDomain
    );
}

#[test]
fn credit_one_credit_has_one_user() {
    let p = portfolio();
    assert_eq!(
        code(plan_assign(
            ctx(&p),
            "az-monthly",
            "bob@contoso.onmicrosoft.com"
        )),
        RefusalCode::CreditAlreadyAssigned
    );
}

#[test]
fn credit_one_user_holds_at_most_one_active_credit() {
    let p = portfolio();
    assert_eq!(
        code(plan_assign(
            ctx(&p),
            "az-bulk",
            "ada@contoso.onmicrosoft.com"
        )),
        RefusalCode::UserAlreadyHasCredit
    );
}

#[test]
fn bulk_credit_cannot_be_combined_with_other_credit_offers() {
    let p = portfolio();
    assert_eq!(
        code(plan_assign(
            ctx(&p),
            "az-bulk",
            "cy@contoso.onmicrosoft.com"
        )),
        RefusalCode::BulkCreditNotCombinable
    );
}

#[test]
fn bulk_credit_remove_is_not_available_only_transfer() {
    let mut p = portfolio();
    {
        let e = plan_assign(ctx(&p), "az-bulk", "bob@contoso.onmicrosoft.com").unwrap();
        apply(&mut p, e);
    }
    assert_eq!(
        code(plan_remove(ctx(&p), "az-bulk")),
        RefusalCode::RemoveNotAvailableForBulk
    );
    {
        let e = plan_remove(ctx(&p), "az-monthly").unwrap();
        apply(&mut p, e);
    }
    let e = plan_transfer(ctx(&p), "az-bulk", "ada@contoso.onmicrosoft.com").unwrap();
    apply(&mut p, e);
    assert_eq!(
        p.cloud_by_id("az-bulk")
            .unwrap()
            .credit
            .as_ref()
            .unwrap()
            .assigned_to
            .as_deref(),
        Some("ada@contoso.onmicrosoft.com")
    );
}

#[test]
fn bulk_credit_transfer_only_during_enrollment_year() {
    let mut p = portfolio();
    {
        let e = plan_assign(ctx(&p), "az-bulk", "bob@contoso.onmicrosoft.com").unwrap();
        apply(&mut p, e);
    }
    p.catalog.organization.enrollment_year_end = "2026-11-01".parse().unwrap();
    let r = plan_transfer(ctx(&p), "az-bulk", "cy@contoso.onmicrosoft.com");
    assert_eq!(code(r), RefusalCode::TransferOutsideEnrollmentYear);
}

#[test]
fn monthly_credit_at_most_five_reassignments() {
    let mut p = portfolio();
    let users = ["bob@contoso.onmicrosoft.com", "ada@contoso.onmicrosoft.com"];
    for i in 0..5 {
        {
            let e = plan_remove(ctx(&p), "az-monthly").unwrap();
            apply(&mut p, e);
        }
        {
            let e = plan_assign(ctx(&p), "az-monthly", users[i % 2]).unwrap();
            apply(&mut p, e);
        }
    }
    assert_eq!(
        code(plan_remove(ctx(&p), "az-monthly")),
        RefusalCode::ReassignmentLimitReached
    );
}

#[test]
fn every_write_path_refuses_a_user_without_the_role() {
    let mut p = portfolio();
    p.catalog.user.role = Role::ReadOnly;
    let c = ctx(&p);
    assert_eq!(
        code(rules::plan_redemption(
            c,
            &key("E3AAA-AAAAA-AAAAA-AAAAA-AAA25"),
            "lab",
            None,
            Mode::Activate
        )),
        RefusalCode::RoleNotPermitted
    );
    assert_eq!(
        code(plan_activation(
            c,
            &key("OFFSP-AAAAA-AAAAA-AAAAA-AAAAA"),
            "pc",
            MachineChange::New,
            Os::Windows
        )),
        RefusalCode::RoleNotPermitted
    );
    assert_eq!(
        code(plan_assign(c, "az-bulk", "bob@contoso.onmicrosoft.com")),
        RefusalCode::RoleNotPermitted
    );
    assert_eq!(
        code(plan_remove(c, "az-monthly")),
        RefusalCode::RoleNotPermitted
    );
    assert_eq!(
        code(plan_transfer(
            c,
            "az-monthly",
            "bob@contoso.onmicrosoft.com"
        )),
        RefusalCode::RoleNotPermitted
    );
}

#[test]
fn ledger_entry_for_unknown_key_is_reported_not_dropped() {
    let mut p = portfolio();
    let other = key("QQQQQ-QQQQQ-QQQQQ-QQQQQ-QQQQQ");
    let e = Entry::Activation {
        key_fingerprint: other.fingerprint(),
        key_masked: other.masked(),
        benefit: "gone".into(),
        machine: "pc".into(),
        change: MachineChange::New,
        os: Os::Windows,
        counted: 1,
        used_before: 0,
        used_after: 1,
        allowed: 1,
        date: today(),
        user: "x".into(),
    };
    p.apply(7, &e);
    assert_eq!(p.mismatches.len(), 1);
    assert_eq!(p.mismatches[0].seq, 7);
}

// --- The machine under random intent sequences ---

mod random_intents {
    use super::*;
    use proptest::prelude::*;

    const KEYS: &[&str] = &[
        "E3AAA-AAAAA-AAAAA-AAAAA-AAA25",
        "e3aaaaaaaaaaaaaaaaaaaaa100",
        "E3AAA-AAAAA-AAAAA-AAAAA-AA301",
        "E3AAA-AAAAA-AAAAA-AAAAA-USED1",
        "DYNAA-AAAAA-AAAAA-AAAAA-AAA10",
        "WINAP-AAAAA-AAAAA-AAAAA-AAAAA",
        "not a key",
        "",
    ];

    fn intent() -> impl Strategy<Value = Intent> {
        prop_oneof![
            (0..KEYS.len()).prop_map(|i| Intent::EditKey(TextEdit::Insert(KEYS[i].into()))),
            Just(Intent::EditKey(TextEdit::Clear)),
            Just(Intent::EditKey(TextEdit::Backspace)),
            Just(Intent::Validate),
            (-3i32..3).prop_map(Intent::MoveTarget),
            Just(Intent::ChooseTarget),
            prop_oneof![
                Just("contoso.onmicrosoft.com"),
                Just("fabrikam-lab.onmicrosoft.com"),
                Just("x")
            ]
            .prop_map(|s| Intent::EditConfirmation(TextEdit::Insert(s.into()))),
            Just(Intent::EditConfirmation(TextEdit::Clear)),
            Just(Intent::ConfirmTenant),
            (-2i32..3).prop_map(Intent::MoveMode),
            Just(Intent::ToggleExplanation),
            Just(Intent::Review),
            Just(Intent::Redeem),
            Just(Intent::Back),
            Just(Intent::Cancel),
            Just(Intent::RedeemAnother),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn prop_machine_never_panics_writes_only_on_redeem_and_never_twice(
            intents in proptest::collection::vec(intent(), 0..80)
        ) {
            let mut p = portfolio();
            let mut m = Redemption::new(None);
            let mut redeemed = std::collections::HashSet::new();
            for i in intents {
                if m.is_closed() {
                    m = Redemption::new(None);
                }
                let was_review = matches!(m.step, Step::Review { .. });
                let is_redeem = i == Intent::Redeem;
                let effect = m.update(ctx(&p), i);
                if let Some(Effect::Commit(req)) = effect {
                    prop_assert!(was_review && is_redeem, "a write only follows Redeem on the review");
                    match rules::plan_redemption(ctx(&p), &req.key, &req.tenant, req.subscription.as_deref(), req.mode) {
                        Ok(entry) => {
                            prop_assert!(redeemed.insert(req.key.clone()), "key redeemed twice");
                            let seq = p.last_seq + 1;
                            p.apply(seq, &entry);
                            m.update(ctx(&p), Intent::Committed(entry));
                        }
                        Err(r) => { m.update(ctx(&p), Intent::CommitFailed(r)); }
                    }
                }
            }
            prop_assert!(p.mismatches.is_empty());
        }
    }
}

#[test]
fn machine_store_failure_returns_to_review_without_a_rule_refusal() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = Redemption::new(None);
    type_key(&mut m, c, "E3AAA-AAAAA-AAAAA-AAAAA-AAA25");
    m.update(c, Intent::Validate);
    m.update(c, Intent::ChooseTarget);
    m.update(
        c,
        Intent::EditConfirmation(TextEdit::Insert("contoso.onmicrosoft.com".into())),
    );
    m.update(c, Intent::ConfirmTenant);
    m.update(c, Intent::Review);
    assert!(m.update(c, Intent::Redeem).is_some());
    m.update(c, Intent::Back);
    assert!(matches!(m.step, Step::Review { .. }));
    assert_eq!(m.error, None);
}
