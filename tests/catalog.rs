//! The catalog loader: the embedded demo covers what it must, and bad catalogs are answered
//! with every problem at file:line:column, the field and a fix.

use benefits::catalog::{self, CatalogErrors};
use benefits::domain::{CreditPeriod, Portfolio, SubscriptionStatus};
use std::collections::HashSet;

fn today() -> chrono::NaiveDate {
    "2026-11-23".parse().unwrap()
}

#[test]
fn embedded_demo_is_valid_and_covers_every_case() {
    let c = catalog::demo();
    assert_eq!(c.offers.len(), 3);
    assert_eq!(c.tenants.len(), 2);
    assert!(c.cloud_benefits.len() >= 10);
    assert!(c.software_benefits.len() >= 8);
    let p = Portfolio::new(c.clone());
    let statuses: HashSet<_> = c
        .cloud_benefits
        .iter()
        .filter(|b| b.license.is_some())
        .map(|b| benefits::domain::summary::product_status(&p, b, today()))
        .collect();
    for s in [
        SubscriptionStatus::Active,
        SubscriptionStatus::NoActiveSubscription,
        SubscriptionStatus::Expired,
        SubscriptionStatus::Disabled,
    ] {
        assert!(statuses.contains(&s), "{s:?} missing from the demo");
    }
    let periods: HashSet<_> = c.cloud_benefits.iter().filter_map(|b| b.credit.as_ref()).map(|c| c.period).collect();
    assert!(periods.contains(&CreditPeriod::Monthly) && periods.contains(&CreditPeriod::Bulk));
    assert!(c.cloud_benefits.iter().any(|b| b.replaced_by.is_some()));
    assert!(c.software_benefits.iter().any(|b| b.is_cal()));
    assert!(c.software_benefits.iter().any(|b| b.family == benefits::domain::SoftwareFamily::Windows));
    assert!(c.software_benefits.iter().any(|b| b.product == "Office Professional Plus 2019" && !b.macos_supported));
    assert!(c.software_benefits.iter().any(|b| b.keys.iter().any(|k| k.activations_allowed - k.activations_used == 1)));
}

fn errors(text: &str) -> CatalogErrors {
    catalog::load_str(text, "bad.yaml").expect_err("should be refused")
}

fn with(find: &str, replace: &str) -> String {
    let demo = catalog::DEMO_YAML;
    assert!(demo.contains(find), "demo lacks {find:?}");
    demo.replacen(find, replace, 1)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let e = errors("organization: {name: x\nuser: [");
    assert_eq!(e.0.len(), 1);
    assert!(e.0[0].message.contains("YAML"), "{e}");
    assert!(e.0[0].line >= 1);
}

#[test]
fn bad_date_names_field_line_and_fix() {
    let text = with("end_date: 2027-03-31", "end_date: 2027-13-31");
    let e = errors(&text);
    assert_eq!(e.0.len(), 1, "{e}");
    let err = &e.0[0];
    assert_eq!(err.path, "cloud_benefits[0].license.subscriptions[0].end_date");
    assert_eq!(err.line, line_of(&text, "2027-13-31"));
    assert!(err.fix.contains("YYYY-MM-DD"));
    assert!(e.to_string().starts_with("1 problem in the catalog:\nbad.yaml:"));
}

#[test]
fn unknown_field_is_named_with_expected_fields() {
    let text = with("      quantity: 25\n", "      quantity: 25\n      quantitty: 3\n");
    let e = errors(&text);
    assert!(e.0[0].message.contains("unknown field `quantitty`"), "{e}");
    assert_eq!(e.0[0].line, line_of(&text, "quantitty"));
    assert!(e.0[0].fix.contains("spelling"));
}

#[test]
fn malformed_key_is_reported_with_the_key_rule() {
    let text = with("M3E3A-7QXRT-4HDPC-2VWNB-K25LA", "M3E3A-7QXRT-4HDPC-2VWNB-K25L");
    let e = errors(&text);
    assert_eq!(e.0[0].path, "cloud_benefits[0].license.keys[0].key");
    assert!(e.0[0].message.contains("24 of 25"), "{e}");
}

#[test]
fn negative_licenses_say_zero_or_more() {
    let e = errors(&with("licenses: 25}", "licenses: -25}"));
    assert!(e.0[0].fix.contains("zero or more"), "{e}");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = with("end_date: 2027-01-15", "end_date: 2027-02-30")
        .replacen("offer: gold-cloud-productivity\n    type: core\n    activate_by: 2026-12-15", "offer: no-such-offer\n    type: core\n    activate_by: 2026-12-15", 1)
        .replacen("tenant: fabrikam-lab, licenses: 20", "tenant: nowhere, licenses: 20", 1)
        .replacen("id: power-bi-pro", "id: m365-e3", 1)
        .replacen("M3E5A-5RTYU-2GHJK-9LZXC-K25E5", "M3E3A-7QXRT-4HDPC-2VWNB-K25LA", 1);
    let e = errors(&text);
    let paths: Vec<_> = e.0.iter().map(|x| x.path.as_str()).collect();
    for expected in [
        "cloud_benefits[2].license.subscriptions[0].end_date",
        "cloud_benefits[1].license.keys[0].key",
        "cloud_benefits[1].offer",
        "cloud_benefits[4].license.subscriptions[0].tenant",
        "cloud_benefits[5].id",
    ] {
        assert!(paths.contains(&expected), "{expected} not in {paths:?}\n{e}");
    }
    assert!(e.0.iter().any(|x| x.message.contains("listed twice")));
    assert!(e.0.iter().any(|x| x.message.contains("duplicate benefit id")));
    assert!(e.0.windows(2).all(|w| w[0].line <= w[1].line), "sorted by position");
}

#[test]
fn dangling_references_and_bad_numbers_are_reported() {
    let text = with("replaced_by: m365-e3", "replaced_by: m365-e9")
        .replacen("activations_used: 9, activations_allowed: 10", "activations_used: 11, activations_allowed: 10", 1)
        .replacen("assigned_to: bram@contoso.onmicrosoft.com", "assigned_to: zed@contoso.onmicrosoft.com", 1)
        .replacen("end_date: 2027-05-31, status: disabled", "end_date: 2027-05-31, status: active", 1);
    let e = errors(&text);
    let all = e.to_string();
    for needle in ["m365-e9", "11 activations used of 10", "zed@contoso", "only `disabled`"] {
        assert!(all.contains(needle), "{needle} missing:\n{all}");
    }
}

#[test]
fn deep_nesting_and_huge_documents_are_refused_quickly() {
    let deep = format!("organization: {}1{}", "[".repeat(5000), "]".repeat(5000));
    let e = errors(&deep);
    assert!(e.0[0].message.contains("nests deeper"), "{e}");
    let huge = "a".repeat(catalog::MAX_BYTES + 1);
    assert!(errors(&huge).0[0].message.contains("at most"));
}

#[test]
fn non_utf8_file_is_reported_with_its_position() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("latin1.yaml");
    std::fs::write(&p, b"organization:\n  name: Caf\xe9\n").unwrap();
    let e = catalog::load_file(&p).unwrap_err();
    assert_eq!((e.0[0].line, e.0[0].column), (2, 12));
    assert!(e.0[0].message.contains("UTF-8"));
}

#[test]
fn wrong_types_and_unknown_sections() {
    let e = errors(&format!("{}\nextras: 1\n", catalog::DEMO_YAML.replacen("quantity: 100", "quantity: lots", 1)));
    let all = e.to_string();
    assert!(all.contains("unknown section `extras`"), "{all}");
    assert!(all.contains("cloud_benefits[0].license.quantity"), "{all}");
}

#[test]
fn config_lookup_order() {
    use benefits::catalog::{CatalogSource, locate};
    use std::path::Path;
    let d = tempfile::tempdir().unwrap();
    assert_eq!(locate(Some(Path::new("a.yaml")), Some("b.yaml".as_ref()), Some(d.path())), CatalogSource::File("a.yaml".into()));
    assert_eq!(locate(None, Some("b.yaml".as_ref()), Some(d.path())), CatalogSource::File("b.yaml".into()));
    assert_eq!(locate(None, None, Some(d.path())), CatalogSource::Demo);
    std::fs::write(d.path().join("config.yaml"), "x").unwrap();
    assert_eq!(locate(None, None, Some(d.path())), CatalogSource::File(d.path().join("config.yaml")));
}
