//! Loading: the catalog from YAML and from its snapshot, the ledger fold (SQLite read,
//! parse, apply) of 100k entries, and the redemption preview.

mod common;

use benefits::catalog::snapshot::{self, Identity};
use benefits::domain::Portfolio;
use benefits::redeem::rules::{self, Ctx};
use benefits::store::Store;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("catalog_load");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for rows in [1_000, 10_000] {
        let text = common::yaml(rows);
        g.bench_function(format!("yaml/{rows}"), |b| {
            b.iter(|| benefits::catalog::load_str(black_box(&text), "bench.yaml").unwrap())
        });
    }
    let dir = tempfile::tempdir().unwrap();
    for rows in [10_000, 100_000] {
        let text = common::yaml(rows);
        let catalog = benefits::catalog::load_str(&text, "bench.yaml").unwrap();
        let fp = Identity::of(text.as_bytes(), "bench");
        snapshot::write(dir.path(), &fp, &mut catalog.clone()).unwrap();
        g.bench_function(format!("snapshot/{rows}"), |b| {
            b.iter(|| {
                // What a start pays: fingerprint the file's bytes, then read the snapshot.
                let fp = Identity::of(black_box(text.as_bytes()), "bench");
                snapshot::read(dir.path(), &fp).unwrap()
            })
        });
        g.bench_function(format!("portfolio_index/{rows}"), |b| {
            b.iter_batched(|| catalog.clone(), Portfolio::new, BatchSize::LargeInput)
        });
    }
    g.finish();
}

fn fold(c: &mut Criterion) {
    let catalog = common::catalog(100_000);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut p = Portfolio::new(catalog.clone());
    let mut plan = benefits::cli::generate::LedgerPlan::new(&p, 100_000, common::today());
    let written = store.commit_batch(&mut p, |p| plan.next(p)).unwrap();
    assert_eq!(written, 100_000);
    let mut g = c.benchmark_group("ledger_fold");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("100k_entries_on_100k_rows", |b| {
        b.iter_batched(
            || Portfolio::new(catalog.clone()),
            |mut p| {
                let folded = store.fold(&mut p).unwrap();
                assert!(p.mismatches.is_empty());
                (p, folded)
            },
            BatchSize::LargeInput,
        )
    });
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
