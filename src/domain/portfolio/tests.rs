use super::*;
use crate::domain::{Entry, MachineChange, Os};

fn activation(benefit: &str, key: &ProductKey) -> Entry {
    Entry::Activation {
        key_fingerprint: key.fingerprint(),
        key_masked: key.masked(),
        benefit: benefit.into(),
        machine: "pc-1".into(),
        change: MachineChange::New,
        os: Os::Windows,
        counted: 1,
        used_before: 0,
        used_after: 1,
        allowed: 10,
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        user: "ada@contoso.onmicrosoft.com".into(),
    }
}

/// Software benefits with keys: (benefit index, its id, its first key).
fn with_keys(p: &Portfolio) -> Vec<(usize, String, ProductKey)> {
    (p.catalog.software_benefits.iter().enumerate())
        .filter_map(|(i, b)| Some((i, b.id.clone(), b.keys.first()?.key.clone())))
        .collect()
}

#[test]
fn fold_finds_a_key_under_the_benefit_its_entry_names() {
    let mut p = Portfolio::new(crate::catalog::demo());
    let (b, id, key) = with_keys(&p).remove(0);
    let before = p.software(b).keys[0].activations_used;
    p.apply(1, &activation(&id, &key));
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
    assert_eq!(p.software(b).keys[0].activations_used, before + 1);
}

#[test]
fn fold_finds_a_key_that_moved_to_another_benefit() {
    let mut p = Portfolio::new(crate::catalog::demo());
    let benefits = with_keys(&p);
    let (b, _, key) = benefits[0].clone();
    let (_, other, _) = benefits[1].clone();
    let before = p.software(b).keys[0].activations_used;
    // The entry names the benefit the key stood under when it was written.
    p.apply(1, &activation(&other, &key));
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
    assert_eq!(p.software(b).keys[0].activations_used, before + 1);
}

#[test]
fn fold_reports_a_key_no_longer_in_the_catalog() {
    let mut p = Portfolio::new(crate::catalog::demo());
    let (_, id, _) = with_keys(&p).remove(0);
    let gone = ProductKey::parse("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ").unwrap();
    p.apply(7, &activation(&id, &gone));
    assert_eq!(p.mismatches.len(), 1);
    assert_eq!(p.mismatches[0].seq, 7);
}

#[test]
fn a_product_under_two_benefits_lists_both_benefits_subscriptions_in_catalog_order() {
    let mut catalog = crate::catalog::demo();
    let (at, original) = (catalog.cloud_benefits.iter().enumerate())
        .find(|(_, b)| {
            b.license
                .as_ref()
                .is_some_and(|l| !l.subscriptions.is_empty())
        })
        .map(|(i, b)| (i, b.clone()))
        .unwrap();
    let mut twin = original.clone();
    twin.id = format!("{}-twin", original.id);
    let lic = twin.license.as_mut().unwrap();
    lic.keys.clear();
    for s in &mut lic.subscriptions {
        s.id = format!("{}-twin", s.id);
    }
    catalog.cloud_benefits.push(twin.clone());
    let p = Portfolio::new(catalog);
    let ids: Vec<&str> = p
        .subscriptions_of_product(&original.product)
        .map(|s| s.id.as_str())
        .collect();
    let subs = |b: &CloudBenefit| -> Vec<String> {
        b.license
            .as_ref()
            .unwrap()
            .subscriptions
            .iter()
            .map(|s| s.id.clone())
            .collect()
    };
    let expected: Vec<String> = (p.catalog.cloud_benefits.iter())
        .filter(|b| b.product == original.product)
        .flat_map(subs)
        .collect();
    assert_eq!(ids, expected);
    assert!(ids.last().unwrap().ends_with("-twin"));
    assert_eq!(
        p.benefit(&twin.id),
        Some(BenefitRef::Cloud(p.catalog.cloud_benefits.len() - 1))
    );
    assert_eq!(p.benefit(&original.id), Some(BenefitRef::Cloud(at)));
    assert!(
        p.subscription(&format!("{}-twin", subs(&original)[0]))
            .is_some()
    );
}
