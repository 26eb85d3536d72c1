use super::*;
use crate::domain::{Param, RefusalCode, Totals};
use crate::licensing;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn parse_accepts_tags_and_posix_locales() {
    for s in ["nl-NL", "nl", "NL", "nl_NL.UTF-8", "nl_BE@euro", " nl-nl "] {
        assert_eq!(Lang::parse(s), Some(Lang::NlNl), "{s}");
    }
    for s in ["sv-SE", "sv", "sv_SE.utf8", "sv_FI"] {
        assert_eq!(Lang::parse(s), Some(Lang::SvSe), "{s}");
    }
    for s in ["en-US", "en", "en_GB.UTF-8"] {
        assert_eq!(Lang::parse(s), Some(Lang::EnUs), "{s}");
    }
    for s in ["", "C", "C.UTF-8", "POSIX", "fr_FR.UTF-8", "nld", "english"] {
        assert_eq!(Lang::parse(s), None, "{s}");
    }
    for l in Lang::ALL {
        assert_eq!(Lang::parse(l.as_str()), Some(l));
        assert_eq!(l.to_string(), l.as_str());
    }
}

#[test]
fn resolve_takes_flag_then_config_then_environment() {
    assert_eq!(
        resolve(Some("sv-SE"), Some("nl"), Some("en_US.UTF-8")),
        Lang::SvSe
    );
    assert_eq!(resolve(None, Some("nl"), Some("sv_SE.UTF-8")), Lang::NlNl);
    assert_eq!(resolve(None, None, Some("nl_NL.UTF-8")), Lang::NlNl);
    assert_eq!(resolve(Some("fr"), Some("xx"), Some("sv")), Lang::SvSe);
    assert_eq!(resolve(Some("fr"), None, Some("C.UTF-8")), Lang::EnUs);
    assert_eq!(resolve(None, None, None), Lang::EnUs);
    assert_eq!(Lang::resolve(None, Some("sv"), None), Lang::SvSe);
}

#[test]
fn env_lang_follows_posix_precedence() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(
        env_lang(env(&[("LANG", "nl_NL.UTF-8"), ("LC_ALL", "sv_SE.UTF-8")])).as_deref(),
        Some("sv_SE.UTF-8")
    );
    assert_eq!(
        env_lang(env(&[
            ("LANG", "nl_NL.UTF-8"),
            ("LC_ALL", ""),
            ("LC_MESSAGES", "sv")
        ]))
        .as_deref(),
        Some("sv")
    );
    assert_eq!(
        env_lang(env(&[("LANG", "nl_NL.UTF-8")])).as_deref(),
        Some("nl_NL.UTF-8")
    );
    assert_eq!(env_lang(env(&[])), None);
}

#[test]
fn every_catalog_parses_and_is_cached() {
    for lang in Lang::ALL {
        let m = Messages::get(lang);
        assert_eq!(m.lang(), lang);
        assert!(std::ptr::eq(m, Messages::get(lang)));
        assert!(m.ids().count() > 50, "{lang}");
    }
}

#[test]
fn text_falls_back_to_english() {
    let nl = Messages::get(Lang::NlNl);
    assert_eq!(nl.text("label.end-date"), "Einddatum");
    // A catalog that lacks a text shows the English one.
    let partial = Messages {
        lang: Lang::NlNl,
        texts: HashMap::new(),
    };
    assert_eq!(partial.text("label.end-date"), "End date");
    assert_eq!(partial.status(SubscriptionStatus::Expired), "Expired");
}

#[test]
#[cfg_attr(debug_assertions, should_panic(expected = "is in no catalog"))]
fn an_id_in_no_catalog_is_a_defect_never_shown_raw() {
    let shown = Messages::get(Lang::NlNl).text("no.such-id");
    // A release build cannot stop: it shows a placeholder, never the id.
    assert_ne!(shown, "no.such-id");
}

#[test]
fn fmt_fills_and_blanks_missing_params() {
    assert_eq!(fill("{n} licenses", &[("n", "25")]), "25 licenses");
    assert_eq!(fill("a {x} b", &[]), "a  b");
    assert_eq!(fill("{a}{a}{b}", &[("a", "1"), ("b", "2")]), "112");
    assert_eq!(fill("no params", &[("unused", "1")]), "no params");
    assert_eq!(fill("open { brace", &[]), "open { brace");
    assert_eq!(fill("{a} then { b", &[("a", "x")]), "x then { b");
    let en = Messages::get(Lang::EnUs);
    assert_eq!(en.fmt("quantity.licenses", &[("n", "5")]), "5 licenses");
    assert_eq!(en.fmt("quantity.licenses", &[]), " licenses");
    let sv = Messages::get(Lang::SvSe);
    assert_eq!(
        sv.fmt("quantity.activations", &[("n", "10")]),
        "10 aktiveringar"
    );
}

#[test]
fn placeholders_lists_names_in_order() {
    assert_eq!(placeholders("{a} and {b} and {a}"), ["a", "b", "a"]);
    assert!(placeholders("none { here").is_empty());
}

#[test]
fn screen_texts_match_partner_center() {
    let en = Messages::get(Lang::EnUs);
    let r = Refusal::new(RefusalCode::KeyAlreadyRedeemed).with(Param::Key, "XXXXX-…-EEEE5");
    assert_eq!(
        en.refusal(&r),
        "This product key has already been used. Enter a different product key."
    );
    let r = Refusal::new(RefusalCode::ExtensionExceedsThreeYears)
        .with(Param::KeyLicenses, 301u32)
        .with(Param::Licenses, 100u32);
    assert_eq!(
        en.refusal(&r),
        "Create a new subscription. This code would put your current subscription's end date \
         past the limit. (301 licenses are more than 3 × 100 active licenses: the end date can \
         be extended by at most three years.)"
    );
    let r = Refusal::new(RefusalCode::MaxActivationsReached)
        .with(Param::Used, 10u32)
        .with(Param::Allowed, 10u32);
    assert!(en.refusal(&r).starts_with(
        "You've reached the maximum available activations for this product key; \
         you can't activate more licenses using it."
    ));
    assert_eq!(
        en.text("label.no-further-details"),
        "No further details available"
    );
    assert_eq!(
        en.text("label.enter-key"),
        "Enter your 25-character product key"
    );
}

#[test]
fn refusal_shows_status_in_words_and_dates_in_the_locale() {
    let r = Refusal::new(RefusalCode::SubscriptionNotActive)
        .with(Param::Status, SubscriptionStatus::Expired);
    assert!(Messages::get(Lang::NlNl).refusal(&r).contains("Verlopen"));
    assert!(
        Messages::get(Lang::EnUs)
            .refusal(&r)
            .contains("this one is Expired.")
    );
    let r = Refusal::new(RefusalCode::BenefitExpired).with(Param::Date, day("2026-11-01"));
    assert!(Messages::get(Lang::NlNl).refusal(&r).contains("01-11-2026"));
    assert!(
        Messages::get(Lang::EnUs)
            .refusal(&r)
            .contains("until Nov 1, 2026.")
    );
    assert!(Messages::get(Lang::SvSe).refusal(&r).contains("2026-11-01"));
    // Text is shown as given.
    let r = Refusal::new(RefusalCode::SubscriptionNotActive).with(Param::Status, "odd");
    assert!(
        Messages::get(Lang::EnUs)
            .refusal(&r)
            .contains("this one is odd.")
    );
    // Credit offers by their name where the language has one, else as written.
    let r = Refusal::new(RefusalCode::BulkCreditNotCombinable).with(
        Param::Other,
        crate::domain::Value::CreditOffers(vec!["azure-pass".into(), "some-offer".into()]),
    );
    assert!(
        Messages::get(Lang::EnUs)
            .refusal(&r)
            .contains("holds Azure Pass, some-offer."),
        "{}",
        Messages::get(Lang::EnUs).refusal(&r)
    );
}

#[test]
fn refusal_blanks_missing_params() {
    let en = Messages::get(Lang::EnUs);
    let s = en.refusal(&Refusal::new(RefusalCode::RoleNotPermitted));
    assert_eq!(
        s,
        "You must be a Global admin or MPN Partner Admin to do this. Your role is ."
    );
    assert!(!s.contains('{'));
}

#[test]
fn status_and_mode_words() {
    let en = Messages::get(Lang::EnUs);
    assert_eq!(en.status(SubscriptionStatus::Active), "Active");
    assert_eq!(
        en.status(SubscriptionStatus::NoActiveSubscription),
        "No Active Subscription"
    );
    assert_eq!(en.status(SubscriptionStatus::Expired), "Expired");
    assert_eq!(en.status(SubscriptionStatus::Disabled), "Disabled");
    assert_eq!(en.mode(Mode::Activate), "Activate");
    assert_eq!(en.mode(Mode::Extend), "Extend end date");
    assert_eq!(en.mode(Mode::AddLicenses), "Add licenses");
    let nl = Messages::get(Lang::NlNl);
    assert_eq!(nl.mode(Mode::Extend), "Einddatum verlengen");
    assert_eq!(nl.status(SubscriptionStatus::Disabled), "Uitgeschakeld");
    let sv = Messages::get(Lang::SvSe);
    assert_eq!(sv.mode(Mode::Extend), "Utöka slutdatum");
    assert_eq!(sv.mode(Mode::AddLicenses), "Lägg till licenser");
}

#[test]
fn dates_per_locale() {
    let d = day("2027-03-31");
    assert_eq!(Messages::get(Lang::EnUs).date(d), "Mar 31, 2027");
    assert_eq!(Messages::get(Lang::NlNl).date(d), "31-03-2027");
    assert_eq!(Messages::get(Lang::SvSe).date(d), "2027-03-31");
    let d = day("2026-01-05");
    assert_eq!(Messages::get(Lang::EnUs).date(d), "Jan 5, 2026");
    assert_eq!(Messages::get(Lang::NlNl).date(d), "05-01-2026");
    assert_eq!(Messages::get(Lang::SvSe).date(d), "2026-01-05");
}

#[test]
fn explanations_spell_out_the_numbers() {
    let en = Messages::get(Lang::EnUs);
    let o = licensing::activate(25, day("2026-01-31"));
    assert_eq!(
        explain(&o, en),
        "25 licenses for 12 months from Jan 31, 2026: Jan 31, 2027."
    );
    let active = Totals {
        total_licenses: 100,
        end_date: day("2026-06-30"),
    };
    let o = licensing::extend(active, 25).unwrap();
    let s = explain(&o, en);
    assert!(s.starts_with("12 × 25 / 100 = 3 months"), "{s}");
    assert!(
        s.contains("3 months after Jun 30, 2026 is the new end date Sep 30, 2026"),
        "{s}"
    );
    assert!(!s.contains("0/100"), "a zero fraction is left out: {s}");
    assert!(!s.contains('{'), "{s}");
    // A fraction that is not zero is spelled out.
    let s = explain(&licensing::extend(active, 30).unwrap(), en);
    assert!(s.contains("3 months and 60/100 of a month"), "{s}");
    let o = licensing::add_licenses(active, 100, day("2026-01-01")).unwrap();
    let s = explain(&o, Messages::get(Lang::SvSe));
    assert!(s.contains("÷ 200 licenser"), "{s}");
    assert!(s.contains("från 2026-01-01"), "{s}");
    assert!(!s.contains('{'), "{s}");
}
