//! The catalog fields `benefits import graph` matches by (`tenant_id`, `graph_id`, `sku`),
//! each refused at its file:line:column with the field and a fix.

use benefits::catalog;

const HEAD: &str = r#"organization: {name: Contoso, partner_id: "1", country: NL, enrollment_year_end: 2027-06-30}
user: {name: Ada, email: ada@contoso.onmicrosoft.com, role: global-admin}
offers:
  - {id: sp, name: Solutions Partner, kind: solutions-partner}
tenants:
  - id: contoso
    name: Contoso
    domain: contoso.onmicrosoft.com
    tenant_id: 5f1e6a3c-9b2d-4c8e-a1f0-3d7b9e2c4a61
  - id: lab
    name: Lab
    domain: lab.onmicrosoft.com
    tenant_id: 5F1E6A3C-9B2D-4C8E-A1F0-3D7B9E2C4A61
  - id: bad
    name: Bad
    domain: bad.onmicrosoft.com
    tenant_id: not-a-guid
cloud_benefits:
  - id: e3
    product: Microsoft 365 E3
    offer: sp
    type: core
    activate_by: 2027-06-30
    sku: SPE_E3
    license:
      quantity: 10
      subscriptions:
        - {id: a, tenant: contoso, licenses: 5, end_date: 2027-01-01, graph_id: 1b8e5c2a-7d4f-4a9e-b3c1-6e2d8f0a4b75}
        - {id: b, tenant: lab, licenses: 5, end_date: 2027-01-01, graph_id: 1B8E5C2A-7D4F-4A9E-B3C1-6E2D8F0A4B75}
        - {id: c, tenant: lab, licenses: 5, end_date: 2027-01-01, graph_id: 2c9f6d3b-8e5a-4b0f-c4d2-7f3e9a1b5c86}
  - id: credit
    product: Azure credit
    offer: sp
    type: core
    activate_by: 2027-06-30
    sku: AZURE
    credit: {period: monthly, amount_usd: 100, tenant: contoso}
"#;

#[test]
fn graph_ids_are_guids_named_once_and_sku_is_for_license_benefits() {
    let e = catalog::load_str(HEAD, "graph.yaml").expect_err("refused");
    let got: Vec<(usize, usize, &str)> = e
        .iter()
        .map(|x| (x.line, x.column, x.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (13, 16, "tenants[1].tenant_id"),
            (17, 16, "tenants[2].tenant_id"),
            (
                29,
                77,
                "cloud_benefits[0].license.subscriptions[1].graph_id"
            ),
            (36, 10, "cloud_benefits[1].sku"),
        ],
        "{e}"
    );
    let text = e.to_string();
    assert!(text.contains("`not-a-guid` is not a GUID"), "{text}");
    assert!(text.contains("is tenant contoso's already"), "{text}");
    assert!(text.contains("is subscription a's already"), "{text}");
    assert!(
        text.contains("only a license-based benefit has a sku"),
        "{text}"
    );
}

#[test]
fn the_demo_shows_every_graph_field() {
    let demo = catalog::demo();
    assert!(demo.tenants.iter().all(|t| t.tenant_id.is_some()));
    assert!(demo.cloud_benefits.iter().any(|b| b.sku.is_some()));
    let subs = demo
        .cloud_benefits
        .iter()
        .filter_map(|b| b.license.as_ref())
        .flat_map(|l| &l.subscriptions);
    assert!(subs.clone().any(|s| s.graph_id.is_some()));
}

const CAPS: &str = r#"organization:
  name: Contoso
  partner_id: "1"
  country: NL
  enrollment_year_end: 2027-06-30
  locations:
    - {id: ams, name: Amsterdam, country: NL, headquarters: true}
    - {id: ams, name: Utrecht, country: NL, headquarters: true}
user: {name: Ada, email: ada@contoso.onmicrosoft.com, role: global-admin}
tenants:
  - {id: contoso, name: Contoso, domain: contoso.onmicrosoft.com, location: oslo}
license_caps:
  - {product: Microsoft 365 E3}
  - {product: Microsoft 365 E5, per_country: 0}
"#;

#[test]
fn locations_and_caps_are_checked_at_their_place() {
    let e = catalog::load_str(CAPS, "caps.yaml").expect_err("refused");
    let got: Vec<(usize, &str)> = e.iter().map(|x| (x.line, x.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (7, "organization.locations"),
            (8, "organization.locations[1].id"),
            (11, "tenants[0].location"),
            (13, "license_caps[0]"),
            (14, "license_caps[1].per_country"),
        ],
        "{e}"
    );
    let text = e.to_string();
    for piece in [
        "2 locations are the headquarters",
        "duplicate location id `ams`",
        "no location of the organization has the id `oslo`",
        "a cap without a maximum",
        "a maximum of 0 licenses",
    ] {
        assert!(text.contains(piece), "{piece}: {text}");
    }
}
