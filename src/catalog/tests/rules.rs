//! Each consistency rule, on the small valid catalog of `tests/mod.rs` bent one way.

use super::*;

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
fn rule_walkthrough_names_one_of_the_page_s_walkthroughs() {
    let text = with(
        "    type: core\n    activate_by: 2027-06-30\n    license:",
        "    type: core\n    activate_by: 2027-06-30\n    walkthrough: m356\n    license:",
    );
    rule(
        &text,
        "cloud_benefits[0].walkthrough",
        "unknown walkthrough `m356`",
    );
    for w in CLOUD_WALKTHROUGHS {
        load_str(&text.replace("m356", w), "t.yaml").unwrap();
    }
    // A software walkthrough is not a cloud one.
    rule(
        &text.replace("m356", "windows"),
        "cloud_benefits[0].walkthrough",
        "expected one of m365",
    );
}

#[test]
fn every_walkthrough_the_schema_allows_has_texts_in_every_language() {
    for lang in crate::i18n::Lang::ALL {
        for w in CLOUD_WALKTHROUGHS.iter().chain(SOFTWARE_WALKTHROUGHS) {
            assert!(
                crate::i18n::walkthrough::families(lang).contains_key(*w),
                "{lang:?} {w}"
            );
        }
    }
}

#[test]
fn rule_dates_have_four_digit_years() {
    let e = only(&with("end_date: 2027-03-31", "end_date: 27-03-31"));
    assert!(
        e.message
            .contains("found `27-03-31` (the year has four digits)"),
        "{e}"
    );
    assert!(e.fix.contains("four-digit year"), "{e}");
}

#[test]
fn rule_tenant_domains_are_ascii_host_names() {
    // A Cyrillic "о" looks like the Latin one.
    let e = only(&with(
        "domain: contoso.onmicrosoft.com",
        "domain: contos\u{43e}.onmicrosoft.com",
    ));
    assert_eq!(e.path, "tenants[0].domain");
    assert!(
        e.message.contains("U+043E") && e.message.contains("not ASCII"),
        "{e}"
    );
    assert!(e.fix.contains("punycode") && e.fix.contains("xn--"), "{e}");
    for bad in ["contoso_x.com", "-contoso.com", "contoso..com", "contoso"] {
        only(&with(
            "domain: contoso.onmicrosoft.com",
            &format!("domain: {bad}"),
        ));
    }
    load_str(
        &with(
            "domain: contoso.onmicrosoft.com",
            "domain: xn--contos-vjf.onmicrosoft.com",
        ),
        "t.yaml",
    )
    .unwrap();
}

#[test]
fn rule_two_tenants_never_share_a_domain_in_any_case() {
    let text = with(
        "cloud_benefits:\n",
        "  - {id: other, name: Other, domain: CONTOSO.onmicrosoft.com}\ncloud_benefits:\n",
    );
    let e = only(&text);
    assert_eq!(e.path, "tenants[1].domain");
    assert!(e.message.contains("is tenant contoso's already"), "{e}");
}

#[test]
fn aliases_are_followed_and_an_alias_bomb_is_stopped() {
    let text = with(
        "    editions:\n      - {name: Enterprise, version: 24H2, languages: [English], architectures: [64-bit]}\n",
        "    editions: &eds\n      - {name: Enterprise, version: 24H2, languages: &l [English], architectures: [64-bit]}\n      - {name: Pro, languages: *l}\n",
    );
    let c = load_str(&text, "t.yaml").unwrap();
    assert_eq!(c.software_benefits[0].editions[1].languages, ["English"]);
    // A thousand editions, each a thousand languages, written in a few kilobytes.
    let many = |alias: &str| vec![alias; 1000].join(", ");
    let bomb = format!(
        "    x0: &l English\n    x1: &e {{name: E, languages: [{}]}}\n    editions: [{}]\n",
        many("*l"),
        many("*e")
    );
    let text = with(
        "    editions:\n      - {name: Enterprise, version: 24H2, languages: [English], architectures: [64-bit]}\n",
        &bomb,
    );
    let e = errors(&text);
    let bombs: Vec<_> = e
        .iter()
        .filter(|e| e.message.contains("alias bomb"))
        .collect();
    assert_eq!(
        bombs.len(),
        1,
        "reported once:\n{}",
        CatalogErrors(e.clone())
    );
    // Where the alias that passed the budget stands.
    assert_eq!(bombs[0].line, line_of(&text, "    x1: &e"));
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
