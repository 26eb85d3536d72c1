//! The catalog loader from the outside: each malformed catalog under tests/fixtures/bad/ is
//! refused with every problem at its file:line:column, the field path, a message and a fix.
//! The embedded demo is in `catalog_demo.rs`, generated inputs in `catalog_input.rs`.

use benefits::catalog::{self, CatalogErrors};
use std::path::{Path, PathBuf};

// ---- the corpus of bad catalogs ------------------------------------------------------

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
}

/// Every fixture a test below reads; `every_bad_fixture_is_exercised` keeps this honest.
const FIXTURES: &[&str] = &[
    "syntax_error.yaml",
    "wrong_type.yaml",
    "unknown_field.yaml",
    "bad_date.yaml",
    "bad_key.yaml",
    "duplicate_key.yaml",
    "key_under_two_products.yaml",
    "dangling_tenant.yaml",
    "dangling_offer.yaml",
    "negative_licenses.yaml",
    "duplicate_id.yaml",
    "deep_nesting.yaml",
    "credit_rules.yaml",
    "counts_and_names.yaml",
    "license_or_credit.yaml",
    "multi_problem.yaml",
    "two_digit_year.yaml",
    "tenant_domains.yaml",
    "escape_sequences.yaml",
    "second_document.yaml",
    "duplicate_mapping_key.yaml",
    "unknown_walkthrough.yaml",
    "count_limits.yaml",
];

fn refused(name: &str) -> CatalogErrors {
    let path = fixture(name);
    let e = catalog::load_file(&path).expect_err("a bad fixture must be refused");
    let file = path.display().to_string();
    for x in e.iter() {
        assert_eq!(x.file, file);
        assert!(!x.fix.is_empty(), "no fix: {x}");
        assert!(x.line >= 1 && x.column >= 1, "{x}");
    }
    assert!(
        e.0.windows(2)
            .all(|w| (w[0].line, w[0].column) <= (w[1].line, w[1].column)),
        "not in file order:\n{e}"
    );
    e
}

/// (line, column, path, a piece of the message)
type Want<'a> = (usize, usize, &'a str, &'a str);

/// The fixture's problems are exactly `want`, in order.
fn expect(name: &str, want: &[Want<'_>]) -> CatalogErrors {
    let e = refused(name);
    let got: Vec<(usize, usize, &str)> = e
        .iter()
        .map(|x| (x.line, x.column, x.path.as_str()))
        .collect();
    let wanted: Vec<(usize, usize, &str)> = want.iter().map(|w| (w.0, w.1, w.2)).collect();
    assert_eq!(got, wanted, "{name}:\n{e}");
    for (x, w) in e.iter().zip(want) {
        assert!(x.message.contains(w.3), "{:?} not in: {x}", w.3);
    }
    e
}

fn fix_of<'a>(e: &'a CatalogErrors, path: &str) -> &'a str {
    &e.iter().find(|x| x.path == path).unwrap().fix
}

#[test]
fn every_bad_fixture_is_exercised() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    for name in FIXTURES {
        refused(name);
    }
}

#[test]
fn yaml_syntax_error_is_fatal_at_the_parser_s_position() {
    let e = expect(
        "syntax_error.yaml",
        &[(
            8,
            7,
            "",
            "YAML syntax error: while parsing a flow mapping, did not find expected ',' or '}'",
        )],
    );
    assert!(
        e.to_string()
            .contains(":8:7: (document): YAML syntax error")
    );
}

#[test]
fn wrong_types_are_each_reported_with_a_fitting_fix() {
    let e = expect(
        "wrong_type.yaml",
        &[
            (
                5,
                15,
                "organization.partner_id",
                "`partner_id` must be text, found the number 4876213",
            ),
            (
                11,
                9,
                "user.role",
                "unknown role `admin`, expected one of `global-admin`",
            ),
            (
                12,
                18,
                "user.can_view_keys",
                "must be true or false, found `maybe`",
            ),
            (17, 10, "tenants", "`tenants` must be a list"),
            (
                25,
                17,
                "cloud_benefits[0].license.quantity",
                "`quantity` must be a whole number, found lots",
            ),
        ],
    );
    assert!(fix_of(&e, "organization.partner_id").contains("quotes"));
    assert!(fix_of(&e, "user.role").contains("listed values"));
}

#[test]
fn unknown_fields_are_named_at_their_key_with_the_expected_ones() {
    let e = expect(
        "unknown_field.yaml",
        &[
            (
                31,
                7,
                "cloud_benefits[0].license.quantitty",
                "unknown field `quantitty`, expected one of `quantity`, `keys`, `subscriptions`",
            ),
            (
                33,
                62,
                "cloud_benefits[0].license.keys[0].redeemd",
                "unknown field `redeemd`, expected one of `key`, `licenses`, `redeemed`",
            ),
            (
                34,
                1,
                "extras",
                "unknown section `extras`, expected one of organization, user",
            ),
        ],
    );
    assert!(e.iter().all(|x| x.fix == "remove it or check its spelling"));
}

#[test]
fn bad_dates_say_expected_a_date_even_several_in_one_benefit() {
    let e = expect(
        "bad_date.yaml",
        &[
            (
                28,
                18,
                "cloud_benefits[0].activate_by",
                "expected a date YYYY-MM-DD, found `2027/06/30`",
            ),
            (
                32,
                75,
                "cloud_benefits[0].license.subscriptions[0].end_date",
                "expected a date YYYY-MM-DD, found `2027-02-30`",
            ),
            (
                37,
                18,
                "cloud_benefits[1].activate_by",
                "expected a date YYYY-MM-DD, found `2027-13-31`",
            ),
            (
                42,
                14,
                "cloud_benefits[1].credit.start",
                "expected a date YYYY-MM-DD, found `2026`",
            ),
        ],
    );
    assert!(e.iter().all(|x| x.fix.contains("YYYY-MM-DD")));
}

#[test]
fn malformed_keys_are_each_reported_with_the_key_rule() {
    let e = expect(
        "bad_key.yaml",
        &[
            (
                32,
                17,
                "cloud_benefits[0].license.keys[0].key",
                "the key has 24 of 25 letters or digits",
            ),
            (
                34,
                17,
                "cloud_benefits[0].license.keys[2].key",
                "character '@' at position 15 is not a letter or digit",
            ),
            (
                43,
                15,
                "software_benefits[0].keys[0].key",
                "dashes must separate five groups of five",
            ),
            (
                44,
                15,
                "software_benefits[0].keys[1].key",
                "the key has 26 letters or digits",
            ),
        ],
    );
    assert!(
        e.iter()
            .all(|x| x.fix.contains("AAAA1-BBBB2-CCCC3-DDDD4-EEEE5"))
    );
}

#[test]
fn a_key_listed_twice_is_caught_whatever_its_spelling() {
    let e = expect(
        "duplicate_key.yaml",
        &[(
            34,
            17,
            "cloud_benefits[0].license.keys[2].key",
            "is listed twice (first at cloud_benefits[0].license.keys[0].key)",
        )],
    );
    assert!(!e.to_string().contains("7QXRT"), "the key is masked:\n{e}");
}

#[test]
fn a_key_under_two_products_is_caught() {
    expect(
        "key_under_two_products.yaml",
        &[(
            41,
            15,
            "software_benefits[0].keys[0].key",
            "(Windows 11 Enterprise) is listed twice (first at cloud_benefits[0].license.keys[0].key)",
        )],
    );
}

#[test]
fn dangling_tenants_are_reported_for_subscriptions_and_credits() {
    expect(
        "dangling_tenant.yaml",
        &[
            (
                32,
                41,
                "cloud_benefits[0].license.subscriptions[0].tenant",
                "no tenant has the id `contosso`",
            ),
            (
                41,
                15,
                "cloud_benefits[1].credit.tenant",
                "no tenant has the id `fabrikam`",
            ),
        ],
    );
}

#[test]
fn dangling_offers_and_replacements_are_reported() {
    expect(
        "dangling_offer.yaml",
        &[
            (
                26,
                12,
                "cloud_benefits[0].offer",
                "no offer has the id `gold-cloud-productivity`",
            ),
            (
                29,
                18,
                "cloud_benefits[0].replaced_by",
                "no cloud benefit has the id `m365-e3`",
            ),
            (
                35,
                12,
                "software_benefits[0].offer",
                "no offer has the id `actionpack`",
            ),
        ],
    );
}

#[test]
fn negative_counts_must_be_zero_or_more() {
    let e = expect(
        "negative_licenses.yaml",
        &[
            (
                32,
                58,
                "cloud_benefits[0].license.keys[0].licenses",
                "`licenses` must be zero or more, found -25",
            ),
            (
                38,
                15,
                "software_benefits[0].quantity",
                "`quantity` must be zero or more, found -10",
            ),
            (
                41,
                64,
                "software_benefits[0].keys[0].activations_used",
                "`activations_used` must be zero or more, found -1",
            ),
        ],
    );
    assert!(e.iter().all(|x| x.fix.contains("without a minus sign")));
}

#[test]
fn duplicate_ids_are_reported_per_namespace() {
    expect(
        "duplicate_id.yaml",
        &[
            (
                13,
                10,
                "offers[1].id",
                "duplicate offer id `action-pack` (first at offers[0].id)",
            ),
            (16, 10, "tenants[1].id", "duplicate tenant id `contoso`"),
            (
                35,
                16,
                "cloud_benefits[1].license.subscriptions[0].id",
                "duplicate subscription id `contoso-m365`",
            ),
            (
                37,
                9,
                "software_benefits[0].id",
                "duplicate benefit id `m365-e3` (first at cloud_benefits[0].id)",
            ),
        ],
    );
}

#[test]
fn deep_nesting_is_refused_at_the_first_level_too_deep() {
    expect(
        "deep_nesting.yaml",
        &[(
            2,
            15 + catalog::MAX_DEPTH - 1,
            "",
            "nests deeper than 64 levels",
        )],
    );
}

#[test]
fn credit_rules_are_checked() {
    expect(
        "credit_rules.yaml",
        &[
            (
                29,
                78,
                "cloud_benefits[0].credit.assigned_to",
                "zed@contoso.onmicrosoft.com is not a user of tenant contoso",
            ),
            (
                29,
                122,
                "cloud_benefits[0].credit.reassignments",
                "6 reassignments; monthly credit allows at most 5",
            ),
            (
                35,
                78,
                "cloud_benefits[1].credit.assigned_to",
                "gus@gmail.com is a free mail address",
            ),
            (
                47,
                87,
                "cloud_benefits[3].credit.end",
                "ends (2026-06-30) before it starts (2026-07-01)",
            ),
            (
                47,
                112,
                "cloud_benefits[3].credit.assigned_to",
                "already holds the credit at cloud_benefits[2].credit.assigned_to",
            ),
            (
                53,
                13,
                "cloud_benefits[4].credit",
                "bulk credit needs a start date",
            ),
            (
                53,
                93,
                "cloud_benefits[4].credit.assigned_to",
                "cannot be combined with other credit offers",
            ),
        ],
    );
}

#[test]
fn impossible_counts_empty_names_and_duplicate_users_are_reported() {
    expect(
        "counts_and_names.yaml",
        &[
            (4, 9, "organization.name", "the organization name is empty"),
            (10, 10, "user.email", "`ada` is not an email address"),
            (13, 29, "offers[0].name", "the offer name is empty"),
            (17, 13, "tenants[0].domain", "`contoso` is not a domain"),
            (
                20,
                31,
                "tenants[0].users[1].email",
                "listed twice in this directory",
            ),
            (22, 9, "cloud_benefits[0].id", "the benefit id is empty"),
            (
                28,
                17,
                "cloud_benefits[0].license.quantity",
                "the quantity is 0",
            ),
            (
                30,
                58,
                "cloud_benefits[0].license.keys[0].licenses",
                "a key with 0 licenses",
            ),
            (
                32,
                60,
                "cloud_benefits[0].license.subscriptions[0].licenses",
                "a subscription with 0 licenses",
            ),
            (
                32,
                93,
                "cloud_benefits[0].license.subscriptions[0].status",
                "only `disabled` may be set",
            ),
            (38, 15, "software_benefits[0].quantity", "the quantity is 0"),
            (
                41,
                64,
                "software_benefits[0].keys[0].activations_used",
                "11 activations used of 10 allowed",
            ),
            (
                42,
                67,
                "software_benefits[0].keys[1].activations_allowed",
                "a key with 0 activations allowed",
            ),
        ],
    );
}

#[test]
fn a_cloud_benefit_needs_exactly_one_of_license_and_credit() {
    expect(
        "license_or_credit.yaml",
        &[
            (16, 5, "cloud_benefits[0]", "has neither"),
            (29, 7, "cloud_benefits[1].credit", "not both"),
        ],
    );
}

#[test]
fn every_problem_of_a_many_problem_file_is_reported_in_file_order() {
    let e = expect(
        "multi_problem.yaml",
        &[
            (
                8,
                24,
                "organization.enrollment_year_end",
                "expected a date YYYY-MM-DD, found `2027-06-31`",
            ),
            (9, 3, "organization.website", "unknown field `website`"),
            (
                34,
                41,
                "cloud_benefits[0].license.subscriptions[0].tenant",
                "no tenant has the id `fabrikam`",
            ),
            (
                38,
                11,
                "cloud_benefits[1].type",
                "unknown type `premium`, expected one of `core`, `incremental`",
            ),
            (
                41,
                17,
                "cloud_benefits[1].license.quantity",
                "must be zero or more, found -25",
            ),
            (43, 17, "cloud_benefits[1].license.keys[0].key", "24 of 25"),
            (
                46,
                12,
                "cloud_benefits[2].offer",
                "no offer has the id `gold-cloud-productivity`",
            ),
            (
                49,
                78,
                "cloud_benefits[2].credit.assigned_to",
                "not a user of tenant contoso",
            ),
            (
                51,
                9,
                "software_benefits[0].id",
                "duplicate benefit id `m365-e3`",
            ),
            (58, 15, "software_benefits[0].keys[0].key", "listed twice"),
            (
                58,
                64,
                "software_benefits[0].keys[0].activations_used",
                "12 activations used of 10 allowed",
            ),
        ],
    );
    let text = e.to_string();
    assert!(text.starts_with("11 problems in the catalog:\n"), "{text}");
    assert_eq!(text.matches("\n  fix: ").count(), 11);
}

#[test]
fn dates_have_four_digit_years() {
    let e = expect(
        "two_digit_year.yaml",
        &[
            (
                28,
                18,
                "cloud_benefits[0].activate_by",
                "found `27-06-30` (the year has four digits)",
            ),
            (
                32,
                72,
                "cloud_benefits[0].license.subscriptions[0].end_date",
                "found `27-01-15` (the year has four digits)",
            ),
        ],
    );
    assert!(e.iter().all(|x| x.fix.contains("four-digit year")));
}

#[test]
fn tenant_domains_are_ascii_host_names_and_never_shared() {
    let e = expect(
        "tenant_domains.yaml",
        &[
            (
                23,
                13,
                "tenants[1].domain",
                "has the character 'о' (U+043E) at position 7, which is not ASCII",
            ),
            (26, 13, "tenants[2].domain", "has the character '_'"),
            (
                29,
                13,
                "tenants[3].domain",
                "is tenant contoso's already (domains are compared ignoring case)",
            ),
        ],
    );
    for x in e.iter().take(2) {
        assert!(
            x.fix.contains("letters, digits, hyphens and dots") && x.fix.contains("xn--"),
            "{x}"
        );
    }
}

#[test]
fn escape_sequences_in_values_and_field_names_are_reported_escaped() {
    let e = expect(
        "escape_sequences.yaml",
        &[
            (
                11,
                9,
                "user.role",
                "unknown role `global-admin\u{1b}]52;c;SGVsbG8=\u{7}`",
            ),
            (
                12,
                3,
                "user.can_view_keys\u{1b}]0;pwned\u{7}\u{1b}[2J",
                "unknown field",
            ),
        ],
    );
    // The report itself, as check-config prints it, holds no control character.
    let shown = e.to_string();
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "{shown:?}"
    );
    assert!(shown.contains(r"\u{1b}]52;c;SGVsbG8=\u{7}"), "{shown}");
}

#[test]
fn a_second_document_is_reported_at_its_marker() {
    expect(
        "second_document.yaml",
        &[(34, 1, "", "a second YAML document starts here")],
    );
}

#[test]
fn a_duplicate_mapping_key_is_reported_at_the_duplicate_s_own_line() {
    expect(
        "duplicate_mapping_key.yaml",
        &[
            (
                6,
                3,
                "organization.country",
                "duplicate field `country` (first at line 5, column 3)",
            ),
            (
                35,
                63,
                "cloud_benefits[0].license.keys[2].licenses",
                "duplicate field `licenses` (first at line 35, column 48)",
            ),
        ],
    );
}

#[test]
fn a_walkthrough_is_one_the_page_has() {
    expect(
        "unknown_walkthrough.yaml",
        &[
            (
                29,
                18,
                "cloud_benefits[0].walkthrough",
                "unknown walkthrough `m356`, expected one of m365, dynamics, powerbi, azure-credit",
            ),
            (
                42,
                18,
                "software_benefits[0].walkthrough",
                "unknown walkthrough `m365`, expected one of windows, office, server, cal",
            ),
        ],
    );
}

#[test]
fn counts_are_bounded_so_that_no_sum_of_two_overflows() {
    assert_eq!(catalog::MAX_COUNT, 1_000_000_000);
    assert!(u64::from(catalog::MAX_COUNT) * 2 <= u64::from(u32::MAX));
    let e = expect(
        "count_limits.yaml",
        &[
            (
                31,
                17,
                "cloud_benefits[0].license.quantity",
                "must be at most 1000000000, found 4294967295",
            ),
            (
                33,
                58,
                "cloud_benefits[0].license.keys[0].licenses",
                "must be at most 1000000000, found 3000000000",
            ),
            (
                36,
                57,
                "cloud_benefits[0].license.subscriptions[0].licenses",
                "found 4294967296",
            ),
        ],
    );
    assert!(e.iter().all(|x| x.fix.contains("from 0 to 1000000000")));
}
