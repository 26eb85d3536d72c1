//! The catalog loader from the outside: the embedded demo loads and covers every case the
//! product must show, and each malformed catalog under tests/fixtures/bad/ is refused
//! with every problem at its file:line:column, the field path, a message and a fix.

use benefits::catalog::{self, CatalogError, CatalogErrors, CatalogSource};
use benefits::domain::{
    CreditPeriod, OfferKind, Portfolio, SoftwareFamily, SubscriptionStatus, summary,
};
use chrono::NaiveDate;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

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
    assert!(!opp.macos_supported && !opp.notes.is_empty());
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
fn yaml_syntax_error_is_fatal_with_serde_yaml_position() {
    let e = expect(
        "syntax_error.yaml",
        &[(
            8,
            7,
            "",
            "YAML syntax error: did not find expected ',' or '}'",
        )],
    );
    assert!(
        e.0[0]
            .message
            .contains("while parsing a flow mapping at line 7 column 7")
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
                "invalid type: integer `4876213`, expected a string",
            ),
            (
                11,
                9,
                "user.role",
                "unknown variant `admin`, expected one of `global-admin`",
            ),
            (12, 18, "user.can_view_keys", "expected a boolean"),
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
            (16, 7, "cloud_benefits[0]", "has neither"),
            (29, 13, "cloud_benefits[1].credit", "not both"),
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
                "unknown variant `premium`",
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

// ---- generated inputs ----------------------------------------------------------------

#[test]
fn non_utf8_bytes_are_reported_with_offset_line_and_column() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("latin1.yaml");
    std::fs::write(&p, b"organization:\n  name: Caf\xe9 Contoso\n").unwrap();
    let e = catalog::load_file(&p).unwrap_err();
    assert_eq!(e.len(), 1);
    let CatalogError {
        line,
        column,
        message,
        fix,
        ..
    } = &e.0[0];
    assert_eq!((*line, *column), (2, 12));
    assert!(
        message.contains("not UTF-8") && message.contains("offset 25"),
        "{e}"
    );
    assert!(fix.contains("UTF-8"));
}

#[test]
fn huge_files_are_refused_without_reading_them() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("huge.yaml");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(catalog::MAX_BYTES as u64 + 1).unwrap();
    let e = catalog::load_file(&p).unwrap_err();
    assert!(e.0[0].message.contains("at most"), "{e}");
}

#[test]
fn deep_block_nesting_is_refused_before_serde_yaml() {
    let text: String = (0..200)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let e = catalog::load_str(&text, "deep.yaml").unwrap_err();
    assert!(e.0[0].message.contains("nests deeper"), "{e}");
    let flow = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = catalog::load_str(&flow, "flow.yaml").unwrap_err();
    assert!(e.0[0].message.contains("nests deeper"), "{e}");
}

#[test]
fn missing_file_is_reported_with_its_name() {
    let e = catalog::load_file(Path::new("/nonexistent/benefits.yaml")).unwrap_err();
    assert_eq!(e.0[0].file, "/nonexistent/benefits.yaml");
    assert!(e.0[0].message.contains("cannot read"), "{e}");
}

#[test]
fn config_lookup_is_flag_then_env_then_config_dir_then_demo() {
    use benefits::catalog::locate;
    let d = tempfile::tempdir().unwrap();
    assert_eq!(
        locate(
            Some(Path::new("a.yaml")),
            Some("b.yaml".as_ref()),
            Some(d.path())
        ),
        CatalogSource::File("a.yaml".into())
    );
    assert_eq!(
        locate(None, Some("b.yaml".as_ref()), Some(d.path())),
        CatalogSource::File("b.yaml".into())
    );
    assert_eq!(locate(None, None, Some(d.path())), CatalogSource::Demo);
    std::fs::write(d.path().join("config.yaml"), "x").unwrap();
    assert_eq!(
        locate(None, None, Some(d.path())),
        CatalogSource::File(d.path().join("config.yaml"))
    );
}
