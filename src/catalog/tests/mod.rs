//! The one-pass reader (every problem of an item, positions, messages, the document's
//! own problems) and each consistency rule, on a small valid catalog bent one way at a time.

use super::*;
use crate::domain::ProductKey;

pub(super) const BASE: &str = "\
organization:
  name: Contoso Consulting Ltd
  partner_id: \"4876213\"
  country: NL
  enrollment_year_end: 2027-06-30
user:
  name: Ada Jansen
  email: ada@contoso.onmicrosoft.com
  role: global-admin
offers:
  - {id: action-pack, name: Microsoft Action Pack, kind: action-pack}
tenants:
  - id: contoso
    name: Contoso Consulting
    domain: contoso.onmicrosoft.com
    users:
      - {name: Ada Jansen, email: ada@contoso.onmicrosoft.com}
      - {name: Bram de Vries, email: bram@contoso.onmicrosoft.com}
      - {name: Dana Eriksson, email: dana@contoso.onmicrosoft.com, other_credits: [azure-pass]}
cloud_benefits:
  - id: m365-e3
    product: Microsoft 365 E3
    offer: action-pack
    type: core
    activate_by: 2027-06-30
    license:
      quantity: 100
      keys:
        - {key: M3E3A-7QXRT-4HDPC-2VWNB-K25LA, licenses: 25}
      subscriptions:
        - {id: contoso-m365-e3, tenant: contoso, licenses: 100, end_date: 2027-03-31}
  - id: azure-monthly
    product: Azure credit
    offer: action-pack
    type: core
    activate_by: 2027-06-30
    credit: {period: monthly, amount_usd: 100, tenant: contoso, assigned_to: bram@contoso.onmicrosoft.com}
  - id: azure-bulk
    product: Azure credit bulk
    offer: action-pack
    type: core
    activate_by: 2027-06-30
    credit: {period: bulk, amount_usd: 6000, tenant: contoso, start: 2026-07-01, end: 2027-06-30}
software_benefits:
  - id: windows-11
    product: Windows 11 Enterprise
    offer: action-pack
    family: windows
    quantity: 10
    activate_by: 2027-06-30
    editions:
      - {name: Enterprise, version: 24H2, languages: [English], architectures: [64-bit]}
    keys:
      - {key: W11EN-8IKMJ-3UHNB-6YGVT-KW11E, activations_used: 3, activations_allowed: 10}
";

pub(super) fn with(find: &str, replace: &str) -> String {
    assert_eq!(
        BASE.matches(find).count(),
        1,
        "BASE must hold {find:?} once"
    );
    BASE.replacen(find, replace, 1)
}

pub(super) fn errors(text: &str) -> Vec<CatalogError> {
    load_str(text, "t.yaml").expect_err("should be refused").0
}

/// The one problem of `text`, which must have exactly one.
pub(super) fn only(text: &str) -> CatalogError {
    let mut e = errors(text);
    assert_eq!(e.len(), 1, "{}", CatalogErrors(e.clone()));
    e.remove(0)
}

pub(super) fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

fn column_of(text: &str, needle: &str) -> usize {
    let line = text.lines().find(|l| l.contains(needle)).expect(needle);
    line[..line.find(needle).unwrap()].chars().count() + 1
}

#[test]
fn base_catalog_is_valid() {
    let c = load_str(BASE, "t.yaml").unwrap();
    assert_eq!(c.cloud_benefits.len(), 3);
}

// ---- one pass, every problem ----------------------------------------------------------

#[test]
fn one_item_reports_every_problem_without_follow_on_errors() {
    let text = with(
        "    type: core\n    activate_by: 2027-06-30\n    license:\n      quantity: 100\n",
        "    type: cor\n    activate_by: 2027-02-30\n    license:\n      quantity: -1\n      keyz: []\n",
    );
    let e = errors(&text);
    let paths: Vec<_> = e.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "cloud_benefits[0].type",
            "cloud_benefits[0].activate_by",
            "cloud_benefits[0].license.quantity",
            "cloud_benefits[0].license.keyz"
        ],
        "in reading order, no missing-field or reference follow-ons:\n{}",
        CatalogErrors(e.clone())
    );
}

#[test]
fn every_bad_list_item_is_reported_at_its_own_index() {
    let text = with(
        "        - {key: M3E3A-7QXRT-4HDPC-2VWNB-K25LA, licenses: 25}\n",
        "        - {key: AAAAA-BBBBB-CCCCC-DDDDD-EEEE, licenses: 1}\n        - {key: AAAAA-BBBBB-CCCCC-DDDDD-EEEE1, licenses: 1}\n        - {key: AAAAA-BBBBB-CCCCC-DDDDD-EEE, licenses: x}\n        - {key: AAAAA-BBBBB-CCCCC-DDDDD-EEEE2, licenses: -3}\n",
    );
    let got: Vec<_> = errors(&text)
        .iter()
        .map(|e| (e.path.clone(), e.column))
        .collect();
    let k = "cloud_benefits[0].license.keys";
    assert_eq!(
        got,
        [
            (format!("{k}[0].key"), 17),
            (format!("{k}[2].key"), 17),
            (format!("{k}[2].licenses"), 56),
            (format!("{k}[3].licenses"), 58),
        ]
    );
}

#[test]
fn a_missing_field_is_reported_at_its_entry() {
    let text = BASE.replacen(
        "    activate_by: 2027-06-30\n    license:",
        "    license:",
        1,
    );
    let e = only(&text);
    assert_eq!(e.path, "cloud_benefits[0]");
    assert!(e.message.contains("missing field `activate_by`"), "{e}");
    assert_eq!(e.line, line_of(&text, "id: m365-e3"));
}

#[test]
fn an_item_of_the_wrong_type_is_reported_once() {
    // The offer has no readable id, so references to offers are not checked: no
    // follow-on "no offer has the id" for every benefit.
    let e = only(&with(
        "  - {id: action-pack, name: Microsoft Action Pack, kind: action-pack}",
        "  - action-pack",
    ));
    assert_eq!(e.path, "offers[0]");
    assert!(e.message.contains("expected a mapping of fields"), "{e}");
}

// ---- messages ------------------------------------------------------------------------

#[test]
fn negative_count_says_zero_or_more() {
    let text = with("quantity: 100", "quantity: -100");
    let e = only(&text);
    assert_eq!(e.path, "cloud_benefits[0].license.quantity");
    assert_eq!(e.message, "`quantity` must be zero or more, found -100");
    assert!(e.fix.contains("0 or more"));
    assert_eq!(
        (e.line, e.column),
        (line_of(&text, "-100"), column_of(&text, "-100"))
    );
}

#[test]
fn count_too_large_or_not_whole_is_explained() {
    let e = only(&with("quantity: 100", "quantity: 5000000000"));
    assert!(e.message.contains(&format!("at most {MAX_COUNT}")), "{e}");
    let e = only(&with(
        "quantity: 100",
        &format!("quantity: {}", MAX_COUNT + 1),
    ));
    assert!(e.message.contains(&format!("at most {MAX_COUNT}")), "{e}");
    load_str(
        &with("quantity: 100", &format!("quantity: {MAX_COUNT}")),
        "t.yaml",
    )
    .unwrap();
    let e = only(&with("quantity: 100", "quantity: 2.5"));
    assert!(
        e.message.contains("must be a whole number, found 2.5"),
        "{e}"
    );
}

#[test]
fn bad_date_says_expected_a_date() {
    let e = only(&with("end_date: 2027-03-31", "end_date: 31-03-2027"));
    assert!(
        e.message
            .starts_with("expected a date YYYY-MM-DD, found `31-03-2027`"),
        "{e}"
    );
    assert!(e.fix.contains("YYYY-MM-DD"));
}

#[test]
fn malformed_key_uses_the_key_format_message() {
    let e = only(&with(
        "M3E3A-7QXRT-4HDPC-2VWNB-K25LA",
        "M3E3A-7QXRT-4HDPC-2VWNB-K25L!",
    ));
    assert_eq!(e.path, "cloud_benefits[0].license.keys[0].key");
    let why = ProductKey::parse("M3E3A-7QXRT-4HDPC-2VWNB-K25L!").unwrap_err();
    assert_eq!(e.message, format!("malformed product key: {why}"));
}

#[test]
fn unknown_field_points_at_the_key_and_lists_expected_fields() {
    let text = with("  country: NL\n", "  country: NL\n  contry: NL\n");
    let e = only(&text);
    assert_eq!(e.path, "organization.contry");
    assert_eq!((e.line, e.column), (line_of(&text, "contry"), 3));
    assert!(
        e.message
            .contains("expected one of `name`, `partner_id`, `country`"),
        "{e}"
    );
    assert_eq!(e.fix, "remove it or check its spelling");
}

#[test]
fn bare_number_for_text_suggests_quotes() {
    let e = only(&with("partner_id: \"4876213\"", "partner_id: 4876213"));
    assert!(e.fix.contains("quotes"), "{e}");
}

// ---- document-level problems ---------------------------------------------------------

#[test]
fn syntax_error_is_fatal_and_positioned_by_the_parser() {
    let e = only("organization:\n  name: [unclosed\nuser: x\n");
    assert!(e.message.starts_with("YAML syntax error:"), "{e}");
    assert!(e.path.is_empty());
    assert!(e.line >= 2, "{e}");
    assert!(
        !e.message
            .contains(&format!("at line {} column {}", e.line, e.column)),
        "position not repeated: {e}"
    );
}

#[test]
fn a_duplicate_mapping_key_is_reported_at_the_duplicate() {
    let text = with("  country: NL\n", "  country: NL\n  country: SE\n");
    let e = only(&text);
    assert!(e.message.contains("duplicate field `country`"), "{e}");
    assert_eq!((e.line, e.column), (line_of(&text, "country: SE"), 3));
    assert_eq!(e.path, "organization.country");
    let text = with("offers:\n", "user: {name: X}\noffers:\n");
    let e = only(&text);
    assert!(e.message.contains("duplicate section `user`"), "{e}");
    assert_eq!((e.line, e.column), (line_of(&text, "user: {name: X}"), 1));
}

#[test]
fn a_second_document_is_reported_at_its_marker() {
    let text = format!("{BASE}---\norganization: x\n");
    let e = only(&text);
    assert!(e.message.contains("a second YAML document"), "{e}");
    assert_eq!((e.line, e.column), (line_of(&text, "---"), 1));
    // An explicit first document is one document.
    load_str(&format!("---\n{BASE}...\n"), "t.yaml").unwrap();
}

#[test]
fn empty_document_and_non_mapping_are_refused() {
    assert!(only("").message.contains("must be a mapping"));
    assert!(only("- a\n- b\n").message.contains("found a list"));
}

#[test]
fn missing_sections_are_named() {
    let text = BASE.split("user:").next().unwrap();
    let e = only(text);
    assert_eq!(e.message, "missing section `user`");
}

#[test]
fn oversized_text_is_refused_before_parsing() {
    let text = " ".repeat(MAX_BYTES + 1);
    assert!(only(&text).message.contains("at most"));
}

// ---- config lookup -------------------------------------------------------------------
#[test]
fn load_demo_source_is_the_demo() {
    assert_eq!(load(&CatalogSource::Demo).unwrap(), demo());
}

mod rules;
