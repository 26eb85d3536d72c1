//! Key validation, targets and tenants, and the modes against a target: one rule each.

use super::*;
use crate::domain::{Mode, Param, Role, Value};
use crate::redeem::rules;

// --- Key validation, one rule each ---

#[test]
fn invalid_key_is_refused_with_specific_reason() {
    let p = portfolio();
    let r = rules::validate_cloud_key(ctx(&p), "E3AAA-AAAAA", None).unwrap_err();
    assert_eq!(r.code, RefusalCode::InvalidKeyFormat);
    assert!(
        r.param(Param::Detail)
            .unwrap()
            .to_string()
            .contains("10 of 25")
    );
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
    assert_eq!(r.param(Param::Role), Some(&Value::from("billing-admin")));
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
    assert_eq!(t[0].target(), existing("sub-e3"));
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
    let target =
        rules::find_target(c, &valid.product, "contoso", Some(&existing("sub-e3"))).unwrap();
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
        Some(&existing("sub-e3")),
        Mode::Extend,
    );
    assert_eq!(code(r), RefusalCode::ExtensionExceedsThreeYears);
    // The same key activates a new subscription.
    let ok = rules::plan_redemption(
        ctx(&p),
        &key("E3AAA-AAAAA-AAAAA-AAAAA-AA301"),
        "contoso",
        Some(&Target::New),
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
            Some(&existing("sub-dyn")),
            Mode::Extend
        )),
        RefusalCode::SubscriptionNotActive
    );
    let e = rules::plan_redemption(
        ctx(&p),
        &k,
        "contoso",
        Some(&existing("sub-dyn")),
        Mode::Activate,
    )
    .unwrap();
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
    let e = rules::plan_redemption(
        ctx(&p),
        &k,
        "contoso",
        Some(&existing("sub-e3")),
        Mode::AddLicenses,
    )
    .unwrap();
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
