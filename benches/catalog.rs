//! Catalog load, Portfolio::new + ledger fold, and the redemption preview.

mod common;

use benefits::domain::{Entry, MachineChange, Os, Portfolio};
use benefits::redeem::rules::{self, Ctx};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("catalog_load");
    g.sample_size(10);
    for rows in [1_000, 10_000] {
        let text = common::yaml(rows);
        g.bench_function(format!("{rows}_rows"), |b| {
            b.iter(|| benefits::catalog::load_str(black_box(&text), "bench.yaml").unwrap())
        });
    }
    g.finish();
}

/// `entries` activations spread over the software keys of a 10k-row catalog.
fn ledger(catalog: &benefits::domain::Catalog, entries: usize) -> Vec<(i64, Entry)> {
    let keys: Vec<_> = catalog
        .software_benefits
        .iter()
        .flat_map(|b| b.keys.iter().map(move |k| (b.id.clone(), k.key.clone())))
        .collect();
    (0..entries)
        .map(|i| {
            let (benefit, key) = &keys[i % keys.len()];
            let entry = Entry::Activation {
                key_fingerprint: key.fingerprint(),
                key_masked: key.masked(),
                benefit: benefit.clone(),
                machine: format!("machine-{i}"),
                change: MachineChange::New,
                os: Os::Windows,
                counted: 0,
                used_before: 0,
                used_after: 0,
                allowed: 10,
                date: common::today(),
                user: "ada@tenant-1.onmicrosoft.com".into(),
            };
            (i as i64 + 1, entry)
        })
        .collect()
}

fn fold(c: &mut Criterion) {
    let catalog = common::catalog(10_000);
    let mut g = c.benchmark_group("portfolio_fold_10k_rows");
    g.sample_size(10);
    for entries in [0, 10_000, 100_000] {
        let entries_v = ledger(&catalog, entries);
        g.bench_function(format!("{entries}_entries"), |b| {
            b.iter_batched(
                || catalog.clone(),
                |cat| {
                    let mut p = Portfolio::new(cat);
                    for (seq, e) in &entries_v {
                        p.apply(*seq, e);
                    }
                    assert!(p.mismatches.is_empty());
                    p
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn preview(c: &mut Criterion) {
    let portfolio = Portfolio::new(common::catalog(1_000));
    let user = portfolio.catalog.user.clone();
    let ctx = Ctx {
        portfolio: &portfolio,
        user: &user,
        today: common::today(),
    };
    let (key, target) = portfolio
        .catalog
        .cloud_benefits
        .iter()
        .filter_map(|b| b.license.as_ref())
        .flat_map(|l| l.keys.iter())
        .find_map(|k| {
            let valid = rules::validate_cloud_key(ctx, &k.key.formatted(), None).ok()?;
            let target = rules::targets(ctx, &valid.product)
                .into_iter()
                .find(|t| t.subscription.is_some())?;
            Some((valid, target))
        })
        .expect("a redeemable key with a subscription");
    c.bench_function("preview_all_modes", |b| {
        b.iter(|| rules::preview(black_box(&key), black_box(&target), common::today()))
    });
}

criterion_group!(benches, load, fold, preview);
criterion_main!(benches);
