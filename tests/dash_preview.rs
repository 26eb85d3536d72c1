//! What the redemption dialog's preview ("Review order details") refuses before anything
//! is written: the license caps (issue 15 §4), in words with the numbers, with no way on to
//! Redeem. The same `domain::caps::check` the plan runs at Redeem decides it.

mod common;

use benefits::app::Context;
use benefits::domain::RefusalCode;
use benefits::i18n::Lang;
use common::dash::{Dash, demo_with};

/// The demo with Microsoft 365 E3's 400-license key redeemed for Amsterdam: with the 100 of
/// the key the catalog marks redeemed, 500 are used in NL, the per-country cap.
fn at_the_country_cap() -> benefits::domain::Portfolio {
    demo_with(|c| {
        let e3 = c.cloud_benefits.iter_mut().find(|b| b.id == "m365-e3");
        let key = &mut e3.unwrap().license.as_mut().unwrap().keys[3];
        assert_eq!(key.licenses, 400);
        key.redeemed = true;
        key.location = Some("amsterdam".into());
    })
}

/// The 25-license key typed into `r`'s dialog, the `down`-th target chosen and its
/// `domain` typed back: at the mode choice, every mode previewed.
fn to_the_modes(portfolio: benefits::domain::Portfolio, down: usize, domain: &str) -> Dash {
    let mut d = Dash::new(portfolio, Lang::EnUs, (120, 40));
    d.press("rM3E3A-7QXRT-4HDPC-2VWNB-K25LA<Enter>");
    d.press(&"<Down>".repeat(down));
    d.press(&format!("<Enter>{domain}<Enter>"));
    assert_eq!(d.app.context(), Context::ChooseMode, "{}", d.screen());
    d
}

/// The previews of the mode choice on top.
fn previews(d: &Dash) -> benefits::redeem::machine::Previews {
    match &d.app.redemption().unwrap().step {
        benefits::redeem::Step::ChooseMode(m) => m.previews.clone(),
        step => panic!("{step:?}"),
    }
}

fn footer(d: &Dash) -> String {
    d.screen().lines().last().unwrap_or_default().to_string()
}

#[test]
fn a_license_cap_is_refused_at_preview_time_with_the_numbers() {
    // Microsoft 365 E3's 25-license key on Contoso, which serves Amsterdam.
    let mut d = to_the_modes(at_the_country_cap(), 0, "contoso.onmicrosoft.com");
    // Extend and Add licenses, each in its column: the cap and the numbers.
    let screen = d.screen();
    assert_eq!(
        screen.matches("✗ 500 is the most Microsoft 365 E3").count(),
        2,
        "{screen}"
    );
    assert_eq!(
        screen.matches("in NL, this key adds 25.").count(),
        2,
        "{screen}"
    );
    let cap = previews(&d)[1].1.clone().unwrap_err();
    assert_eq!(
        d.app.t.refusal(&cap),
        "500 is the most Microsoft 365 E3 licenses for one country: 500 used in NL, this key adds 25."
    );
    // No mode goes on to the review, so nothing offers Redeem.
    assert!(
        !footer(&d).contains("Review order details"),
        "{}",
        d.screen()
    );
    assert!(
        !footer(&d).contains("How is the end date"),
        "{}",
        d.screen()
    );
    for _ in 0..3 {
        d.press("<Enter>");
        assert_eq!(d.app.context(), Context::ChooseMode, "{}", d.screen());
        let error = d.app.redemption().unwrap().error.clone();
        assert!(error.is_some(), "Enter says why");
        d.press("<Right>");
    }
}

#[test]
fn the_cap_holds_on_every_tenant_and_under_it_the_preview_goes_on_to_redeem() {
    // Fabrikam Lab names no location: it serves the headquarters, in NL too.
    let d = to_the_modes(at_the_country_cap(), 2, "fabrikam-lab.onmicrosoft.com");
    let refused = previews(&d)[0].1.clone().err();
    assert_eq!(
        refused.map(|r| r.code),
        Some(RefusalCode::CountryCapExceeded)
    );
    // Without the 400-license key redeemed, the same key previews and goes on to Redeem.
    let mut d = to_the_modes(demo_with(|_| {}), 0, "contoso.onmicrosoft.com");
    assert!(
        footer(&d).contains("Review order details"),
        "{}",
        d.screen()
    );
    d.press("<Enter>");
    assert_eq!(d.app.context(), Context::Review, "{}", d.screen());
    assert!(footer(&d).contains("Redeem"), "{}", d.screen());
}
