//! Loader internals (item repair loop, messages, UTF-8 positions) and each consistency
//! rule, on a small valid catalog bent one way at a time.

use super::*;
use crate::domain::CloudKey;

const BASE: &str = "\
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

fn with(find: &str, replace: &str) -> String {
    assert_eq!(
        BASE.matches(find).count(),
        1,
        "BASE must hold {find:?} once"
    );
    BASE.replacen(find, replace, 1)
}

fn errors(text: &str) -> Vec<CatalogError> {
    load_str(text, "t.yaml").expect_err("should be refused").0
}

/// The one problem of `text`, which must have exactly one.
fn only(text: &str) -> CatalogError {
    let mut e = errors(text);
    assert_eq!(e.len(), 1, "{}", CatalogErrors(e.clone()));
    e.remove(0)
}

fn line_of(text: &str, needle: &str) -> usize {
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

// ---- the item repair loop ----------------------------------------------------------

fn report_for(text: &str) -> (Report<'static>, Value) {
    let positions = positions::index(text).unwrap();
    let value: Value = serde_yaml::from_str(text).unwrap();
    (
        Report {
            file: "t.yaml",
            positions,
            errors: Vec::new(),
        },
        value,
    )
}

#[test]
fn item_reports_every_problem_in_one_entry_without_follow_on_errors() {
    let text = "id: m365-e3\nproduct: P\noffer: o\ntype: cor\nactivate_by: 2027-02-30\nlicense:\n  quantity: -1\n  keyz: []\n";
    let (mut r, v) = report_for(text);
    assert!(item::<CloudBenefit>(&mut r, "b", &v).is_none());
    let paths: Vec<_> = r.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "b.type",
            "b.activate_by",
            "b.license.quantity",
            "b.license.keyz"
        ],
        "in reading order"
    );
    assert!(
        r.errors
            .iter()
            .all(|e| !e.message.contains("missing field"))
    );
}

#[test]
fn item_maps_paths_back_after_taking_out_list_elements() {
    let text = "keys:\n- {key: AAAAA-BBBBB-CCCCC-DDDDD-EEEE, licenses: 1}\n- {key: AAAAA-BBBBB-CCCCC-DDDDD-EEEE1, licenses: 1}\n- {key: AAAAA-BBBBB-CCCCC-DDDDD-EEE, licenses: x}\n- {key: AAAAA-BBBBB-CCCCC-DDDDD-EEEE2, licenses: -3}\n";
    let (mut r, v) = report_for(text);
    assert!(item::<Vec<CloudKey>>(&mut r, "keys", &v["keys"]).is_none());
    let got: Vec<_> = r
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.line, e.column))
        .collect();
    assert_eq!(
        got,
        [
            ("keys[0].key", 2, 9),
            ("keys[2].key", 4, 9),
            ("keys[2].licenses", 4, 48),
            ("keys[3].licenses", 5, 50),
        ]
    );
}

#[test]
fn item_reports_a_real_missing_field_at_the_entry() {
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
fn item_whose_whole_value_has_the_wrong_type_is_reported_once() {
    // The offer has no readable id, so references to offers are not checked: no
    // follow-on "no offer has the id" for every benefit.
    let e = only(&with(
        "  - {id: action-pack, name: Microsoft Action Pack, kind: action-pack}",
        "  - action-pack",
    ));
    assert_eq!(e.path, "offers[0]");
    assert!(e.message.contains("invalid type"), "{e}");
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
    assert!(e.message.contains("at most 4294967295"), "{e}");
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

#[test]
fn error_display_is_file_line_column_path_message_and_fix() {
    let e = CatalogError {
        file: "c.yaml".into(),
        line: 3,
        column: 7,
        path: "offers[0].name".into(),
        message: "the offer name is empty".into(),
        fix: "write it".into(),
    };
    assert_eq!(
        e.to_string(),
        "c.yaml:3:7: offers[0].name: the offer name is empty\n  fix: write it"
    );
    let all = CatalogErrors(vec![e.clone(), e]).to_string();
    assert!(all.starts_with("2 problems in the catalog:\nc.yaml:3:7:"));
    assert_eq!(all.matches("fix: write it").count(), 2);
}

// ---- document-level problems ---------------------------------------------------------

#[test]
fn syntax_error_is_fatal_and_positioned_by_serde_yaml() {
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
fn duplicate_mapping_keys_are_a_yaml_error() {
    let e = only(&with("  country: NL\n", "  country: NL\n  country: SE\n"));
    assert!(e.message.contains("duplicate"), "{e}");
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
fn non_utf8_position_counts_characters() {
    let mut bytes = "a: é\nname: Caf".as_bytes().to_vec();
    bytes.push(0xE9);
    let e = decode_utf8(bytes, "x.yaml").unwrap_err().0.remove(0);
    assert_eq!((e.line, e.column), (2, 10));
    assert!(e.message.contains("0xE9 at offset 15"), "{e}");
}

#[test]
fn oversized_text_is_refused_before_parsing() {
    let text = " ".repeat(MAX_BYTES + 1);
    assert!(only(&text).message.contains("at most"));
}

// ---- config lookup -------------------------------------------------------------------

#[test]
fn locate_prefers_flag_then_env_then_config_dir_then_demo() {
    let d = tempfile::tempdir().unwrap();
    let flag = Path::new("flag.yaml");
    let env = OsStr::new("env.yaml");
    assert_eq!(
        locate(Some(flag), Some(env), Some(d.path())),
        CatalogSource::File(flag.into())
    );
    assert_eq!(
        locate(None, Some(env), Some(d.path())),
        CatalogSource::File(env.into())
    );
    assert_eq!(
        locate(None, Some(OsStr::new("")), Some(d.path())),
        CatalogSource::Demo,
        "an empty BENEFITS_CONFIG is unset"
    );
    assert_eq!(locate(None, None, None), CatalogSource::Demo);
    std::fs::write(d.path().join("config.yaml"), "x").unwrap();
    assert_eq!(
        locate(None, None, Some(d.path())),
        CatalogSource::File(d.path().join("config.yaml"))
    );
}

#[test]
fn load_demo_source_is_the_demo() {
    assert_eq!(load(&CatalogSource::Demo).unwrap(), demo());
}

// ---- consistency rules ---------------------------------------------------------------

fn rule(text: &str, path: &str, needle: &str) {
    let e = only(text);
    assert_eq!(e.path, path, "{e}");
    assert!(e.message.contains(needle), "{needle:?} not in: {e}");
    assert!(!e.fix.is_empty());
}

#[test]
fn rule_subscription_needs_licenses() {
    rule(
        &with(
            "tenant: contoso, licenses: 100",
            "tenant: contoso, licenses: 0",
        ),
        "cloud_benefits[0].license.subscriptions[0].licenses",
        "0 licenses",
    );
}

#[test]
fn rule_status_may_only_force_disabled() {
    let text = with(
        "end_date: 2027-03-31}",
        "end_date: 2027-03-31, status: active}",
    );
    rule(
        &text,
        "cloud_benefits[0].license.subscriptions[0].status",
        "only `disabled`",
    );
    load_str(
        &with(
            "end_date: 2027-03-31}",
            "end_date: 2027-03-31, status: disabled}",
        ),
        "t.yaml",
    )
    .unwrap();
}

#[test]
fn rule_replaced_by_must_be_another_cloud_benefit() {
    let text = with(
        "    offer: action-pack\n    type: core\n    activate_by: 2027-06-30\n    license:",
        "    offer: action-pack\n    type: core\n    activate_by: 2027-06-30\n    replaced_by: windows-11\n    license:",
    );
    rule(
        &text,
        "cloud_benefits[0].replaced_by",
        "no cloud benefit has the id `windows-11`",
    );
    let text = text.replace("replaced_by: windows-11", "replaced_by: m365-e3");
    rule(&text, "cloud_benefits[0].replaced_by", "replaced by itself");
}

#[test]
fn rule_credit_assignee_must_be_in_the_tenant_directory() {
    rule(
        &with(
            "assigned_to: bram@contoso.onmicrosoft.com",
            "assigned_to: bram@fabrikam.onmicrosoft.com",
        ),
        "cloud_benefits[1].credit.assigned_to",
        "not a user of tenant contoso",
    );
}

#[test]
fn rule_free_mail_users_cannot_hold_credit() {
    let text = with(
        "      - {name: Ada Jansen, email: ada@contoso.onmicrosoft.com}\n",
        "      - {name: Ada Jansen, email: ada@contoso.onmicrosoft.com}\n      - {name: Gus, email: gus@Hotmail.com}\n",
    )
    .replace(
        "assigned_to: bram@contoso.onmicrosoft.com",
        "assigned_to: gus@Hotmail.com",
    );
    rule(
        &text,
        "cloud_benefits[1].credit.assigned_to",
        "free mail address",
    );
}

#[test]
fn rule_one_user_holds_at_most_one_credit() {
    rule(
        &with(
            "end: 2027-06-30}",
            "end: 2027-06-30, assigned_to: Bram@contoso.onmicrosoft.com}",
        ),
        "cloud_benefits[2].credit.assigned_to",
        "a user holds at most one",
    );
}

#[test]
fn rule_bulk_credit_does_not_combine_with_other_credit_offers() {
    rule(
        &with(
            "end: 2027-06-30}",
            "end: 2027-06-30, assigned_to: dana@contoso.onmicrosoft.com}",
        ),
        "cloud_benefits[2].credit.assigned_to",
        "holds azure-pass",
    );
}

#[test]
fn rule_bulk_credit_needs_a_period_in_order() {
    rule(
        &with("start: 2026-07-01, end: 2027-06-30", "start: 2026-07-01"),
        "cloud_benefits[2].credit",
        "needs an end date",
    );
    rule(
        &with("start: 2026-07-01, end: 2027-06-30", "end: 2027-06-30"),
        "cloud_benefits[2].credit",
        "needs a start date",
    );
    rule(
        &with(
            "start: 2026-07-01, end: 2027-06-30",
            "start: 2026-07-01, end: 2026-06-30",
        ),
        "cloud_benefits[2].credit.end",
        "ends (2026-06-30) before it starts (2026-07-01)",
    );
}

#[test]
fn rule_monthly_credit_allows_five_reassignments() {
    let at = |n: u32| {
        with(
            "assigned_to: bram@contoso.onmicrosoft.com}",
            &format!("assigned_to: bram@contoso.onmicrosoft.com, reassignments: {n}}}"),
        )
    };
    load_str(&at(5), "t.yaml").unwrap();
    rule(
        &at(6),
        "cloud_benefits[1].credit.reassignments",
        "at most 5",
    );
}

#[test]
fn rule_credit_amount_must_be_positive() {
    rule(
        &with("amount_usd: 100,", "amount_usd: 0,"),
        "cloud_benefits[1].credit.amount_usd",
        "amount is 0",
    );
}

#[test]
fn rule_subscription_ids_are_unique_across_benefits() {
    let text = BASE.replace(
        "    credit: {period: monthly, amount_usd: 100, tenant: contoso, assigned_to: bram@contoso.onmicrosoft.com}",
        "    license:\n      quantity: 5\n      subscriptions:\n        - {id: contoso-m365-e3, tenant: contoso, licenses: 5, end_date: 2026-01-31}",
    );
    rule(
        &text,
        "cloud_benefits[1].license.subscriptions[0].id",
        "duplicate subscription id `contoso-m365-e3`",
    );
}

#[test]
fn rule_directory_users_need_a_name_and_an_email() {
    rule(
        &with(
            "{name: Ada Jansen, email: ada@contoso.onmicrosoft.com}",
            "{name: '', email: ada@contoso.onmicrosoft.com}",
        ),
        "tenants[0].users[0].name",
        "user name is empty",
    );
    rule(
        &with(
            "{name: Ada Jansen, email: ada@contoso.onmicrosoft.com}",
            "{name: Ada, email: ada}",
        ),
        "tenants[0].users[0].email",
        "not an email address",
    );
}

#[test]
fn rule_software_product_and_edition_need_names() {
    rule(
        &with("product: Windows 11 Enterprise", "product: ''"),
        "software_benefits[0].product",
        "product name is empty",
    );
    rule(
        &with(
            "{name: Enterprise, version: 24H2",
            "{name: ' ', version: 24H2",
        ),
        "software_benefits[0].editions[0].name",
        "edition name is empty",
    );
}

#[test]
fn rule_typed_problem_does_not_hide_duplicate_ids() {
    // The second offer fails to read (bad kind) but its id still counts.
    let text = with(
        "  - {id: action-pack, name: Microsoft Action Pack, kind: action-pack}\n",
        "  - {id: action-pack, name: Microsoft Action Pack, kind: action-pack}\n  - {id: action-pack, name: Other, kind: platinum}\n",
    );
    let e = errors(&text);
    assert_eq!(e.len(), 2, "{}", CatalogErrors(e.clone()));
    assert!(e.iter().any(|x| x.path == "offers[1].kind"));
    assert!(
        e.iter()
            .any(|x| x.path == "offers[1].id" && x.message.contains("duplicate"))
    );
}

#[test]
fn rule_errors_come_sorted_by_position() {
    let text = with("product: Windows 11 Enterprise", "product: ''")
        .replace("name: Contoso Consulting Ltd", "name: ''");
    let e = errors(&text);
    assert_eq!(e.len(), 2);
    assert!(e[0].line < e[1].line);
    assert_eq!(e[0].path, "organization.name");
}

/// The one-pass reading and the item-by-item one agree: what one accepts the other
/// accepts, as the same catalog; what one refuses the other refuses.
#[test]
fn both_readings_agree_on_valid_and_invalid_catalogs() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut generated = Vec::new();
    crate::cli::generate::write_catalog(
        &mut generated,
        300,
        5,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
    )
    .unwrap();
    let valid = [
        BASE.to_string(),
        DEMO_YAML.to_string(),
        std::fs::read_to_string(format!("{root}/tests/fixtures/cli.yaml")).unwrap(),
        String::from_utf8(generated).unwrap(),
    ];
    for text in &valid {
        let precise = load_reporting(text, "t.yaml").expect("valid");
        assert_eq!(load_valid(text, "t.yaml"), Some(precise));
    }
    let bad = std::fs::read_dir(format!("{root}/tests/fixtures/bad")).unwrap();
    for file in bad {
        let path = file.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        assert!(load_reporting(&text, "t.yaml").is_err(), "{path:?}");
        assert_eq!(load_valid(&text, "t.yaml"), None, "{path:?}");
    }
}

#[test]
fn flow_depth_counts_brackets_outside_quotes_and_comments() {
    assert_eq!(flow_depth("a: [1, {b: [2]}]"), 3);
    assert_eq!(flow_depth("a: \"[[[[\" # [[[[\nb: '[[it''s]]' [x]"), 1);
    assert_eq!(flow_depth("name: it's [here]"), 1);
    assert_eq!(flow_depth(&"[".repeat(100_000)), 100_000);
    assert_eq!(flow_depth("a: \"\\\"[\""), 0);
}
