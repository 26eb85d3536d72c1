use super::matching::match_records;
use super::*;
use crate::domain::Portfolio;

const DOCS_SUBS: &[u8] =
    include_bytes!("../../tests/fixtures/graph/docs-directory-subscriptions.json");
const DOCS_SKUS: &[u8] = include_bytes!("../../tests/fixtures/graph/docs-subscribed-skus.json");
const PAGE1: &[u8] = include_bytes!("../../tests/fixtures/graph/contoso-page1.json");
const PAGE2: &[u8] = include_bytes!("../../tests/fixtures/graph/contoso-page2.json");
const LAB: &[u8] = include_bytes!("../../tests/fixtures/graph/lab-powershell.json");

fn demo() -> Portfolio {
    Portfolio::new(crate::catalog::demo())
}

fn sub(records: &[Record], i: usize) -> &CompanySubscription {
    match &records[i] {
        Record::Subscription(s) => s,
        Record::Sku(_) => panic!("record {i} is a subscribedSku"),
    }
}

#[test]
fn parse_reads_the_graph_documentation_examples() {
    let subs = parse(DOCS_SUBS, "subs.json").unwrap();
    assert_eq!(subs.len(), 1);
    let s = sub(&subs, 0);
    assert_eq!(s.id, "860697e3-b0aa-4196-a6c6-7ec361ed58f7");
    assert_eq!(
        s.commerce_subscription_id.as_deref(),
        Some("f9c1ea2d-2c6e-4717-8c3b-7130812d70ba")
    );
    assert_eq!(
        (s.sku_part_number.as_str(), s.status, s.total_licenses),
        ("MyPartNumber", GraphStatus::Enabled, 25)
    );
    assert_eq!(
        s.owner_tenant_id.as_deref(),
        Some("331af819-4e0b-49f7-a6bf-14e1165ad3a0")
    );
    assert_eq!(
        s.next_lifecycle.unwrap().to_rfc3339(),
        "2023-02-01T00:00:00+00:00"
    );
    assert!(!s.is_trial);
    let skus = parse(DOCS_SKUS, "skus.json").unwrap();
    let [Record::Sku(a), Record::Sku(b)] = skus.as_slice() else {
        panic!("two subscribedSkus: {skus:?}")
    };
    assert_eq!(
        (
            a.sku_part_number.as_str(),
            a.capability_status,
            a.consumed_units
        ),
        ("ENTERPRISEPREMIUM", GraphStatus::Enabled, 14)
    );
    assert_eq!(a.prepaid_units.enabled, 25);
    assert_eq!(a.subscription_ids, ["43d26afe-cb98-48b9-acc4-ae3ef2ac6c51"]);
    assert_eq!(
        (
            b.capability_status,
            b.prepaid_units.suspended,
            b.prepaid_units.total()
        ),
        (GraphStatus::Suspended, 25, 25)
    );
}

#[test]
fn parse_reads_several_pages_in_one_file_and_a_bare_array() {
    let mut both = PAGE1.to_vec();
    both.extend_from_slice(b"\n");
    both.extend_from_slice(PAGE2);
    assert_eq!(parse(&both, "pages.json").unwrap().len(), 6);
    let bare = br#"[{"id":"x","skuPartNumber":"SPE_E3","status":"Deleted","totalLicenses":1}]"#;
    assert_eq!(
        sub(&parse(bare, "a.json").unwrap(), 0).status,
        GraphStatus::Deleted
    );
    // One record on its own, as ConvertTo-Json writes a single object.
    let one = br#"{"id":"x","skuPartNumber":"SPE_E3","status":"LockedOut","totalLicenses":1}"#;
    assert_eq!(
        sub(&parse(one, "o.json").unwrap(), 0).status,
        GraphStatus::LockedOut
    );
}

#[test]
fn parse_reads_graph_powershell_names_and_dates_and_utf16() {
    let lab = parse(LAB, "lab.json").unwrap();
    let s = sub(&lab, 0);
    assert_eq!(
        (s.sku_part_number.as_str(), s.status),
        ("SPB", GraphStatus::LockedOut)
    );
    assert_eq!(
        s.next_lifecycle.unwrap().to_rfc3339(),
        "2027-01-16T00:00:00+00:00"
    );
    // Windows PowerShell's `>` writes UTF-16 with a byte-order mark.
    let text = std::str::from_utf8(LAB).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(parse(&utf16, "lab16.json").unwrap(), lab);
}

#[test]
fn malformed_json_names_the_json_path_and_line_and_column() {
    let bad = include_bytes!("../../tests/fixtures/graph/malformed.json");
    let e = parse(bad, "malformed.json").unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.line, e.column),
        ("$.value[0]", 8, 5),
        "{e}"
    );
    assert!(e.message.contains("trailing comma"), "{e}");
    let mistyped = include_bytes!("../../tests/fixtures/graph/mistyped.json");
    let e = parse(mistyped, "mistyped.json").unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.line),
        ("$.value[0].totalLicenses", 3),
        "{e}"
    );
    assert!(e.to_string().starts_with("mistyped.json:3:"), "{e}");
    // The second document of a file: its position counts from the file's start.
    let mut two = PAGE2.to_vec();
    two.extend_from_slice(b"\n{\"value\": [{\"status\": \"Enabled\", \"id\": 7}]}");
    let e = parse(&two, "two.json").unwrap_err();
    let lines = PAGE2.iter().filter(|b| **b == b'\n').count() + 2;
    assert_eq!((e.path.as_str(), e.line), ("$.value[0].id", lines), "{e}");
    assert!(
        parse(b"  \n", "empty.json")
            .unwrap_err()
            .message
            .contains("no JSON")
    );
}

#[test]
fn a_record_without_its_required_fields_is_an_error() {
    let e = parse(
        br#"{"value":[{"id":"x","status":"Enabled","skuPartNumber":"SPE_E3"}]}"#,
        "f",
    )
    .unwrap_err();
    assert!(e.message.contains("missing field `totalLicenses`"), "{e}");
    assert_eq!(e.path, "$.value[0]");
    let e = parse(br#"[{"skuPartNumber":"SPE_E3","totalLicenses":3}]"#, "f").unwrap_err();
    assert!(e.message.contains("neither a companySubscription"), "{e}");
    let e = parse(
        br#"[{"id":"x","skuPartNumber":"S","status":"Paused","totalLicenses":3}]"#,
        "f",
    )
    .unwrap_err();
    assert!(e.message.contains("unknown variant `Paused`"), "{e}");
}

#[test]
fn import_maps_products_tenants_and_subscriptions() {
    let p = demo();
    let mut records = parse(PAGE1, "1").unwrap();
    records.extend(parse(PAGE2, "2").unwrap());
    records.extend(parse(LAB, "3").unwrap());
    let m = match_records(&p, &records, None).unwrap();
    let by_sku = |sku: &str| m.observations.iter().find(|o| o.sku == sku).unwrap();
    // graph_id first.
    let e3 = by_sku("SPE_E3");
    assert_eq!(
        (e3.subscription.as_str(), e3.licenses),
        ("contoso-m365-e3", 125)
    );
    assert_eq!(e3.end_date, Some("2027-05-31".parse().unwrap()));
    // Else the tenant's only subscription of the product.
    assert_eq!(by_sku("SPE_E5").subscription, "contoso-m365-e5");
    assert_eq!(
        by_sku("SPE_E5").end_date,
        None,
        "only Enabled reports an end date"
    );
    assert_eq!(by_sku("SPB").subscription, "lab-m365-bp");
    // Else one known only from Graph.
    let pbi = by_sku("POWER_BI_PRO");
    assert!(pbi.graph_only && pbi.subscription == pbi.graph_id && pbi.is_trial);
    assert_eq!(m.unmatched.len(), 1);
    assert!(m.unmatched[0].reason.contains("unknown SKU FLOW_FREE"));
}

#[test]
fn import_matches_nothing_it_would_have_to_guess() {
    let p = demo();
    let docs = parse(DOCS_SUBS, "docs").unwrap();
    // The docs' tenant is none of the catalog's.
    let m = match_records(&p, &docs, None).unwrap();
    assert!(m.observations.is_empty());
    assert!(m.unmatched[0].reason.contains("unknown SKU MyPartNumber"));
    let e3 = br#"[{"id":"0f0f0f0f-0000-4000-8000-000000000001","skuPartNumber":"SPE_E3","status":"Enabled","totalLicenses":3,"ownerTenantId":"331af819-4e0b-49f7-a6bf-14e1165ad3a0"}]"#;
    let m = match_records(&p, &parse(e3, "e3").unwrap(), None).unwrap();
    assert!(
        m.unmatched[0].reason.contains("is no tenant's tenant_id"),
        "{m:?}"
    );
    // --tenant names the tenant, but not one the records say they are not of.
    let m = match_records(&p, &parse(e3, "e3").unwrap(), Some("fabrikam-lab")).unwrap();
    assert!(
        m.unmatched[0].reason.contains("--tenant fabrikam-lab"),
        "{m:?}"
    );
    assert!(match_records(&p, &[], Some("nowhere")).is_err());
    // The SKUs of the docs: one product the catalog lacks, one SKU nobody knows.
    let skus = parse(DOCS_SKUS, "skus").unwrap();
    let m = match_records(&p, &skus, Some("contoso")).unwrap();
    assert!(m.observations.is_empty());
    assert!(
        m.unmatched[0]
            .reason
            .contains("Office 365 E5, which no license benefit")
    );
    assert!(m.unmatched[1].reason.contains("unknown SKU CRMSTANDARD"));
}

#[test]
fn import_refuses_to_pick_one_of_several_subscriptions() {
    let p = demo();
    // Two Graph E5 subscriptions on contoso, one catalog E5 subscription without graph_id.
    let two = br#"[
      {"id":"00000000-0000-4000-8000-000000000001","skuPartNumber":"SPE_E5","status":"Enabled","totalLicenses":3,"nextLifecycleDateTime":"2027-01-01T10:00:00Z"},
      {"id":"00000000-0000-4000-8000-000000000002","skuPartNumber":"SPE_E5","status":"Enabled","totalLicenses":4,"nextLifecycleDateTime":"2027-01-01T10:00:00Z"}]"#;
    let m = match_records(&p, &parse(two, "two").unwrap(), Some("contoso")).unwrap();
    assert!(m.observations.is_empty(), "{m:?}");
    assert!(
        m.unmatched
            .iter()
            .all(|u| u.reason.contains("set graph_id"))
    );
}

#[test]
fn a_subscribed_sku_alone_observes_its_one_subscription() {
    let p = demo();
    let sku =
        br#"{"value":[{"skuPartNumber":"SPE_E3","capabilityStatus":"Enabled","consumedUnits":90,
      "prepaidUnits":{"enabled":110,"warning":0,"suspended":0,"lockedOut":0},
      "subscriptionIds":["1b8e5c2a-7d4f-4a9e-b3c1-6e2d8f0a4b75"]}]}"#;
    let m = match_records(&p, &parse(sku, "sku").unwrap(), None).unwrap();
    let o = &m.observations[0];
    assert_eq!(
        (o.subscription.as_str(), o.licenses, o.consumed, o.end_date),
        ("contoso-m365-e3", 110, Some(90), None)
    );
    // With the companySubscription in the same import, the SKU adds only its use.
    let mut both = parse(PAGE1, "1").unwrap();
    both.extend(parse(sku, "sku").unwrap());
    let m = match_records(&p, &both, None).unwrap();
    let o = m.observations.iter().find(|o| o.sku == "SPE_E3").unwrap();
    assert_eq!((o.licenses, o.consumed), (125, Some(90)));
}
