use super::*;
use crate::domain::model::{LicenseCap, Location};
use crate::domain::{Entry, Mode, Param, RefusalCode, Target, Totals};

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// The demo with an Amsterdam headquarters, a Stockholm office, and E3 capped at 500 per
/// country and 700 worldwide.
fn portfolio() -> Portfolio {
    let mut c = crate::catalog::demo();
    c.organization.locations = vec![
        Location {
            id: "ams".into(),
            name: "Amsterdam".into(),
            country: "NL".into(),
            headquarters: true,
        },
        Location {
            id: "sto".into(),
            name: "Stockholm".into(),
            country: "SE".into(),
            headquarters: false,
        },
    ];
    c.license_caps = vec![LicenseCap {
        product: "Microsoft 365 E3".into(),
        per_country: Some(500),
        worldwide: Some(700),
    }];
    Portfolio::new(c)
}

fn redeemed(p: &mut Portfolio, seq: i64, key: &str, licenses: u32, location: &str) {
    let key = crate::domain::ProductKey::parse(key).unwrap();
    p.apply(
        seq,
        &Entry::Redemption {
            key_fingerprint: key.fingerprint(),
            key_masked: key.masked(),
            benefit: "m365-e3".into(),
            target: Target::New {
                tenant: "contoso".into(),
                subscription: format!("s{seq}"),
            },
            tenant: "contoso".into(),
            mode: Mode::Activate,
            key_licenses: licenses,
            before: None,
            after: Totals {
                total_licenses: licenses,
                end_date: day("2027-11-23"),
            },
            date: day("2026-11-23"),
            user: "ada@contoso.onmicrosoft.com".into(),
            location: Some(location.into()),
        },
    );
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
}

fn at(p: &Portfolio, id: &str) -> Location {
    location_for(p, "contoso", Some(id)).unwrap()
}

#[test]
fn licenses_are_shared_across_countries_within_the_per_country_maximum() {
    let mut p = portfolio();
    let e3 = p.cloud_by_id("m365-e3").unwrap().clone();
    // The catalog's redeemed 100-license key counts at the headquarters.
    assert_eq!(used(&p, "Microsoft 365 E3").get("NL"), Some(&100));
    redeemed(&mut p, 1, "M3E3C-2LPQW-6NBVC-5XKJH-K300C", 300, "ams");
    // 400 used in NL: 100 more is the most, 101 is refused.
    assert!(check(&p, &e3, &at(&p, "ams"), 100).is_ok());
    let r = check(&p, &e3, &at(&p, "ams"), 101).unwrap_err();
    assert_eq!(r.code, RefusalCode::CountryCapExceeded);
    assert_eq!(r.param(Param::Used), Some(&400u32.into()));
    assert_eq!(r.param(Param::Max), Some(&500u32.into()));
    // The same licenses in Sweden are within both maximums.
    assert!(check(&p, &e3, &at(&p, "sto"), 101).is_ok());
}

#[test]
fn licenses_stay_within_the_worldwide_maximum() {
    let mut p = portfolio();
    let e3 = p.cloud_by_id("m365-e3").unwrap().clone();
    redeemed(&mut p, 1, "M3E3D-8HGFD-1QWER-7TYUI-K400D", 400, "sto");
    redeemed(&mut p, 2, "M3E3B-9FJKD-3MWQP-8TRZX-K100B", 100, "ams");
    // 200 in NL, 400 in SE: 600 of 700 worldwide.
    assert!(check(&p, &e3, &at(&p, "ams"), 100).is_ok());
    let r = check(&p, &e3, &at(&p, "ams"), 101).unwrap_err();
    assert_eq!(r.code, RefusalCode::WorldwideCapExceeded);
    assert_eq!(r.param(Param::Used), Some(&600u32.into()));
}

#[test]
fn action_pack_licenses_only_within_their_own_country() {
    let p = portfolio();
    let bp = p.cloud_by_id("m365-business-premium").unwrap().clone();
    assert!(check(&p, &bp, &at(&p, "ams"), 5).is_ok());
    let r = check(&p, &bp, &at(&p, "sto"), 5).unwrap_err();
    assert_eq!(r.code, RefusalCode::ActionPackOtherCountry);
}

#[test]
fn licenses_are_never_shared_across_organizations() {
    let p = portfolio();
    let r = location_for(&p, "contoso", Some("fabrikam-oslo")).unwrap_err();
    assert_eq!(r.code, RefusalCode::LocationNotInOrganization);
    // Without a location: the tenant's (contoso's names one this catalog lacks), else the
    // headquarters.
    assert_eq!(location_for(&p, "fabrikam-lab", None).unwrap().id, "ams");
    assert!(location_for(&p, "contoso", None).is_err());
}

#[test]
fn usage_is_entitled_used_per_country_and_worldwide_against_the_caps() {
    let mut p = portfolio();
    redeemed(&mut p, 1, "M3E3D-8HGFD-1QWER-7TYUI-K400D", 400, "sto");
    let u = usage(&p);
    let e3 = u.iter().find(|u| u.product == "Microsoft 365 E3").unwrap();
    assert_eq!((e3.entitled, e3.used_worldwide), (100, 500));
    assert_eq!(
        (e3.used.get("NL"), e3.used.get("SE")),
        (Some(&100), Some(&400))
    );
    assert_eq!((e3.per_country, e3.worldwide), (Some(500), Some(700)));
}

#[test]
fn the_room_a_country_has_left_is_what_check_still_allows() {
    let mut p = portfolio();
    let e3 = p.cloud_by_id("m365-e3").unwrap().clone();
    let room = |p: &Portfolio, country: &str| {
        let u = usage(p);
        (u.iter().find(|u| u.product == e3.product).unwrap()).room_in(country)
    };
    // 100 in NL: the country cap (500) leaves 400, the worldwide one (700) 600.
    assert_eq!(room(&p, "NL"), Some(400));
    redeemed(&mut p, 1, "M3E3D-8HGFD-1QWER-7TYUI-K400D", 400, "sto");
    // 100 in NL, 400 in SE: 200 left worldwide is less than either country's room.
    assert_eq!((room(&p, "NL"), room(&p, "SE")), (Some(200), Some(100)));
    for (id, country) in [("ams", "NL"), ("sto", "SE")] {
        let n = room(&p, country).unwrap();
        assert!(check(&p, &e3, &at(&p, id), n).is_ok(), "{country}: {n}");
        assert!(
            check(&p, &e3, &at(&p, id), n + 1).is_err(),
            "{country}: {n} + 1"
        );
    }
    let uncapped = usage(&p)
        .into_iter()
        .find(|u| u.product == "Microsoft 365 E5");
    assert_eq!(uncapped.and_then(|u| u.room_in("NL")), None);
}

/// Found in review: licenses redeemed without a key were never counted against a cap, and
/// the keys they took must not count a second time.
#[test]
fn licenses_redeemed_without_a_key_count_once_against_the_caps() {
    let mut p = portfolio();
    p.apply(
        1,
        &Entry::KeylessRedemption {
            benefit: "m365-e3".into(),
            target: Target::New {
                tenant: "contoso".into(),
                subscription: "s1".into(),
            },
            tenant: "contoso".into(),
            licenses: 450,
            before: None,
            after: Totals {
                total_licenses: 450,
                end_date: day("2027-09-30"),
            },
            date: day("2026-11-23"),
            user: "ada@contoso.onmicrosoft.com".into(),
            location: Some("sto".into()),
        },
    );
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
    let e3 = p.cloud_by_id("m365-e3").unwrap().clone();
    let keys = &e3.license.as_ref().unwrap().keys;
    assert!(
        keys.iter().all(|k| k.redeemed),
        "every key's licenses are taken"
    );
    assert_eq!(
        used(&p, "Microsoft 365 E3"),
        [("NL".to_string(), 100), ("SE".to_string(), 450)].into()
    );
    let r = check(&p, &e3, &at(&p, "sto"), 51).unwrap_err();
    assert_eq!(r.code, RefusalCode::CountryCapExceeded);
}

#[test]
fn usage_costs_the_catalog_not_products_times_benefits() {
    let mut c = crate::catalog::demo();
    let e3 = c
        .cloud_benefits
        .iter()
        .find(|b| b.id == "m365-e3")
        .unwrap()
        .clone();
    for i in 0..20_000 {
        let mut b = e3.clone();
        b.id = format!("generated-{i}");
        b.product = format!("Generated product {i}");
        if let Some(l) = b.license.as_mut() {
            l.keys.clear();
            l.subscriptions.clear();
        }
        c.cloud_benefits.push(b);
    }
    let p = Portfolio::new(c);
    // One pass over 20k products (a scan of the catalog per product took 15 s in a debug
    // build); how long it takes is for the benches to say, not a test.
    let u = usage(&p);
    let demo = usage(&Portfolio::new(crate::catalog::demo()));
    assert_eq!(u.len(), demo.len() + 20_000);
    assert_eq!(u[..demo.len()], demo[..]);
    assert_eq!(
        (u[demo.len()].product.as_str(), u[demo.len()].entitled),
        ("Generated product 0", 100)
    );
}
