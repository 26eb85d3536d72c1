use super::*;
use crate::domain::{Portfolio, RefusalCode, User};

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn plan(
    p: &Portfolio,
    user: &User,
    today: &str,
    benefit: &str,
    tenant: &str,
) -> Result<Entry, Refusal> {
    let ctx = Ctx {
        portfolio: p,
        user,
        today: day(today),
    };
    plan_keyless(ctx, benefit, tenant, None, None)
}

#[test]
fn keyless_end_date_aligns_to_the_membership_offer_end_date() {
    let p = Portfolio::new(crate::catalog::demo());
    let user = p.catalog.user.clone();
    // Disabled Dynamics 365 Sales: starts over with the benefit's 10 licenses.
    let Entry::KeylessRedemption {
        after,
        before,
        licenses,
        ..
    } = plan(&p, &user, "2026-11-23", "dynamics-sales", "contoso").unwrap()
    else {
        panic!("a keyless redemption")
    };
    assert_eq!(
        (licenses, after.total_licenses, after.end_date),
        (10, 10, day("2027-09-30"))
    );
    assert_eq!(before.map(|b| b.total_licenses), Some(10));
    // Not today + 12 months, whatever the day.
    let Entry::KeylessRedemption { after, .. } =
        plan(&p, &user, "2027-06-30", "dynamics-sales", "contoso").unwrap()
    else {
        panic!()
    };
    assert_eq!(after.end_date, day("2027-09-30"));
}

#[test]
fn keyless_is_refused_in_words_for_each_reason() {
    let mut p = Portfolio::new(crate::catalog::demo());
    let user = p.catalog.user.clone();
    let code = |r: Result<Entry, Refusal>| r.unwrap_err().code;
    assert_eq!(
        code(plan(&p, &user, "2026-11-23", "power-bi-pro", "contoso")),
        RefusalCode::BenefitNotKeyless
    );
    assert_eq!(
        code(plan(&p, &user, "2026-11-23", "azure-bulk", "contoso")),
        RefusalCode::BenefitNotKeyless
    );
    assert_eq!(
        code(plan(&p, &user, "2027-07-01", "dynamics-sales", "contoso")),
        RefusalCode::BenefitExpired
    );
    assert_eq!(
        code(plan(
            &p,
            &user,
            "2026-11-23",
            "dynamics-sales",
            "fabrikam-lab"
        )),
        RefusalCode::TenantNotUnderBillingAccount
    );
    let reader = User {
        role: crate::domain::Role::ReadOnly,
        ..user.clone()
    };
    assert_eq!(
        code(plan(&p, &reader, "2026-11-23", "dynamics-sales", "contoso")),
        RefusalCode::RoleNotPermitted
    );
    // Once its licenses are redeemed, nothing is left to redeem without a key.
    let entry = plan(&p, &user, "2026-11-23", "dynamics-sales", "contoso").unwrap();
    p.apply(1, &entry);
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
    assert_eq!(
        p.subscription("contoso-d365-sales").unwrap().1.end_date,
        day("2027-09-30")
    );
    assert_eq!(
        code(plan(&p, &user, "2026-11-23", "dynamics-sales", "contoso")),
        RefusalCode::KeylessAlreadyRedeemed
    );
    // An E3 benefit whose 100 licenses a key took already.
    assert_eq!(
        code(plan(&p, &user, "2026-11-23", "m365-e3", "contoso")),
        RefusalCode::KeylessAlreadyRedeemed
    );
}
