//! The embedded demo from the outside: it loads and covers every case the product must show.

use benefits::catalog::{self, CatalogSource};
use benefits::domain::{
    CreditPeriod, OfferKind, Portfolio, SoftwareFamily, SubscriptionStatus, summary,
};
use chrono::NaiveDate;
use std::collections::HashSet;

fn today() -> NaiveDate {
    "2026-11-23".parse().unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

// ---- the embedded demo ---------------------------------------------------------------

#[test]
fn demo_loads_from_the_embedded_source() {
    assert_eq!(
        catalog::load(&CatalogSource::Demo).unwrap(),
        catalog::demo()
    );
    assert_eq!(
        catalog::load_str(catalog::DEMO_YAML, "x").unwrap(),
        catalog::demo()
    );
}

#[test]
fn demo_has_an_organization_an_admin_who_may_view_keys_and_three_offer_kinds() {
    let c = catalog::demo();
    assert_eq!(c.organization.enrollment_year_end, date("2027-06-30"));
    assert!(c.user.role.may_redeem() && c.user.can_view_keys);
    let kinds: Vec<_> = c.offers.iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        [
            OfferKind::ActionPack,
            OfferKind::SolutionsPartner,
            OfferKind::GoldCompetency
        ]
    );
    assert!(
        c.offers
            .iter()
            .any(|o| o.kind == OfferKind::SolutionsPartner && o.specialization.is_some())
    );
}

#[test]
fn demo_has_two_tenants_with_small_directories_and_no_free_mail_users() {
    let c = catalog::demo();
    assert_eq!(c.tenants.len(), 2);
    for t in &c.tenants {
        assert!((3..=5).contains(&t.users.len()), "{}", t.id);
        for u in &t.users {
            let domain = u.email.rsplit('@').next().unwrap();
            assert!(!benefits::domain::FREE_MAIL_DOMAINS.contains(&domain));
        }
    }
    assert!(
        c.tenants
            .iter()
            .flat_map(|t| &t.users)
            .any(|u| u.other_credits.iter().any(|o| o == "azure-pass"))
    );
}

#[test]
fn demo_shows_every_subscription_status_on_2026_11_23() {
    let c = catalog::demo();
    let subs: Vec<_> = c
        .cloud_benefits
        .iter()
        .filter_map(|b| b.license.as_ref())
        .flat_map(|l| &l.subscriptions)
        .collect();
    let statuses: HashSet<_> = subs.iter().map(|s| s.status(today())).collect();
    for s in [
        SubscriptionStatus::Active,
        SubscriptionStatus::Expired,
        SubscriptionStatus::Disabled,
        SubscriptionStatus::NoActiveSubscription,
    ] {
        assert!(statuses.contains(&s), "no subscription is {s:?}");
    }
    // Disabled both ways: by the lifecycle, and forced by `status: disabled`.
    assert!(
        subs.iter()
            .any(|s| s.status.is_none() && s.status(today()) == SubscriptionStatus::Disabled)
    );
    assert!(
        subs.iter()
            .any(|s| s.status == Some(SubscriptionStatus::Disabled) && s.end_date >= today())
    );
    // No Active Subscription also as a benefit without any subscription.
    let p = Portfolio::new(c.clone());
    assert!(c.cloud_benefits.iter().any(|b| {
        b.license
            .as_ref()
            .is_some_and(|l| l.subscriptions.is_empty())
            && summary::product_status(&p, b, today()) == SubscriptionStatus::NoActiveSubscription
    }));
}

#[test]
fn demo_m365_e3_is_active_with_keys_to_extend_add_and_exceed_three_times() {
    let c = catalog::demo();
    let b = c
        .cloud_benefits
        .iter()
        .find(|b| b.product == "Microsoft 365 E3")
        .unwrap();
    let l = b.license.as_ref().unwrap();
    let sub = &l.subscriptions[0];
    assert_eq!((sub.licenses, sub.end_date), (100, date("2027-03-31")));
    assert_eq!(sub.status(today()), SubscriptionStatus::Active);
    let open: HashSet<u32> = l
        .keys
        .iter()
        .filter(|k| !k.redeemed)
        .map(|k| k.licenses)
        .collect();
    for n in [25, 100, 300, 400] {
        assert!(open.contains(&n), "no unredeemed key of {n} licenses");
    }
}

#[test]
fn demo_covers_products_credits_and_a_discontinued_benefit() {
    let c = catalog::demo();
    assert!(c.cloud_benefits.len() >= 10);
    for product in ["Dynamics 365", "Power BI Pro", "Microsoft 365 E5"] {
        assert!(
            c.cloud_benefits
                .iter()
                .any(|b| b.product.starts_with(product)),
            "{product}"
        );
    }
    let credits: Vec<_> = c
        .cloud_benefits
        .iter()
        .filter_map(|b| b.credit.as_ref())
        .collect();
    assert!(credits.iter().any(|c| c.period == CreditPeriod::Monthly
        && c.amount_usd == 100
        && c.assigned_to.is_some()));
    assert!(credits.iter().any(|c| c.period == CreditPeriod::Bulk
        && c.amount_usd == 6000
        && c.start.is_some()
        && c.end.is_some()
        && c.assigned_to.is_none()));
    let o365 = c
        .cloud_benefits
        .iter()
        .find(|b| b.product == "Office 365 E3")
        .unwrap();
    let replacement = o365.replaced_by.as_deref().unwrap();
    assert_eq!(
        c.cloud_benefits
            .iter()
            .find(|b| b.id == replacement)
            .unwrap()
            .product,
        "Microsoft 365 E3"
    );
}

#[test]
fn demo_has_activate_by_dates_soon_and_past() {
    let c = catalog::demo();
    let dates = c
        .cloud_benefits
        .iter()
        .map(|b| b.activate_by)
        .chain(c.software_benefits.iter().map(|b| b.activate_by));
    let soon = today() + chrono::Days::new(30);
    let (mut within, mut past) = (0, 0);
    for d in dates {
        if d < today() {
            past += 1;
        } else if d <= soon {
            within += 1;
        }
    }
    assert!(within >= 2 && past >= 1, "within {within}, past {past}");
}

#[test]
fn demo_software_has_a_cal_windows_office_near_its_limit_and_office_2019_not_on_macos() {
    let c = catalog::demo();
    let s = &c.software_benefits;
    assert!(s.len() >= 8);
    assert!(
        s.iter()
            .any(|b| b.is_cal() && b.editions.is_empty() && b.keys.is_empty())
    );
    assert!(
        s.iter()
            .any(|b| b.family == SoftwareFamily::Windows && b.needs_activation())
    );
    assert!(s.iter().any(|b| {
        b.family == SoftwareFamily::Office
            && b.keys
                .iter()
                .any(|k| k.activations_allowed - k.activations_used == 1)
    }));
    let opp = s
        .iter()
        .find(|b| b.product == "Office Professional Plus 2019")
        .unwrap();
    // The macOS limit is the flag (shown translated), not a second, English-only note.
    assert!(!opp.macos_supported);
    assert!(
        !opp.notes.iter().any(|n| n.contains("macOS")),
        "{:?}",
        opp.notes
    );
    for product in ["SQL Server", "Visual Studio", "Windows Server 2022"] {
        assert!(
            s.iter().any(|b| b.product.starts_with(product)),
            "{product}"
        );
    }
    let ws = s
        .iter()
        .find(|b| b.product.starts_with("Windows Server 2022"))
        .unwrap();
    assert!(
        ws.editions
            .iter()
            .any(|e| !e.languages.is_empty() && !e.architectures.is_empty())
    );
}

#[test]
fn demo_keys_are_distinct_and_every_benefit_names_a_walkthrough() {
    let c = catalog::demo();
    let keys: Vec<_> = c.keys().collect();
    let distinct: HashSet<_> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len());
    let families: HashSet<_> = c
        .cloud_benefits
        .iter()
        .map(|b| b.walkthrough.as_deref())
        .chain(c.software_benefits.iter().map(|b| b.walkthrough.as_deref()))
        .collect();
    assert!(!families.contains(&None));
    for f in [
        "m365",
        "dynamics",
        "powerbi",
        "azure-credit",
        "windows",
        "office",
        "server",
        "cal",
    ] {
        assert!(families.contains(&Some(f)), "{f}");
    }
}
