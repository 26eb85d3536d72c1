//! The portfolio's indexes: positions into the catalog, hashed and compared through it.

use super::hash;
use super::{BenefitRef, KeyRef};
use crate::domain::key::ProductKey;
use crate::domain::model::{Catalog, Subscription};
use hashbrown::HashTable;

pub(super) fn key_of(c: &Catalog, r: KeyRef) -> &ProductKey {
    match r {
        KeyRef::Cloud { benefit, key } => {
            &(c.cloud_benefits[benefit].license.as_ref())
                .expect("a cloud key's benefit is license-based")
                .keys[key]
                .key
        }
        KeyRef::Software { benefit, key } => &c.software_benefits[benefit].keys[key].key,
    }
}

pub(super) fn id_of(c: &Catalog, r: BenefitRef) -> &str {
    match r {
        BenefitRef::Cloud(b) => &c.cloud_benefits[b].id,
        BenefitRef::Software(b) => &c.software_benefits[b].id,
    }
}

pub(super) fn subscription_of(c: &Catalog, (b, s): (usize, usize)) -> &Subscription {
    &(c.cloud_benefits[b].license.as_ref())
        .expect("a subscription's benefit is license-based")
        .subscriptions[s]
}

/// Below this many benefits a thread costs more than it saves.
pub(super) const PARALLEL_FROM: usize = 20_000;

pub(super) fn index_keys(c: &Catalog) -> HashTable<KeyRef> {
    let n = c.keys().count();
    let mut keys = HashTable::with_capacity(n);
    let mut add = |r: KeyRef| {
        let k = key_of(c, r);
        put(
            &mut keys,
            |&x| hash(key_of(c, x)),
            |&x| key_of(c, x) == k,
            hash(k),
            r,
        );
    };
    for (b, benefit) in c.cloud_benefits.iter().enumerate() {
        if let Some(lic) = &benefit.license {
            (0..lic.keys.len()).for_each(|key| add(KeyRef::Cloud { benefit: b, key }));
        }
    }
    for (b, benefit) in c.software_benefits.iter().enumerate() {
        (0..benefit.keys.len()).for_each(|key| add(KeyRef::Software { benefit: b, key }));
    }
    keys
}

pub(super) fn index_benefits(c: &Catalog) -> HashTable<BenefitRef> {
    let mut benefits = HashTable::with_capacity(c.cloud_benefits.len() + c.software_benefits.len());
    let refs = (0..c.cloud_benefits.len()).map(BenefitRef::Cloud);
    for r in refs.chain((0..c.software_benefits.len()).map(BenefitRef::Software)) {
        let id = id_of(c, r);
        put(
            &mut benefits,
            |&x| hash(id_of(c, x)),
            |&x| id_of(c, x) == id,
            hash(id),
            r,
        );
    }
    benefits
}

pub(super) fn index_subscriptions(c: &Catalog) -> HashTable<(usize, usize)> {
    let licenses = || c.cloud_benefits.iter().filter_map(|b| b.license.as_ref());
    let mut subscriptions =
        HashTable::with_capacity(licenses().map(|l| l.subscriptions.len()).sum());
    for (b, benefit) in c.cloud_benefits.iter().enumerate() {
        for s in 0..benefit
            .license
            .as_ref()
            .map_or(0, |l| l.subscriptions.len())
        {
            let id = &subscription_of(c, (b, s)).id;
            let same = |x: &(usize, usize)| subscription_of(c, *x).id == *id;
            let h = |x: &(usize, usize)| hash(&subscription_of(c, *x).id);
            put(&mut subscriptions, h, same, hash(id), (b, s));
        }
    }
    subscriptions
}

/// The first cloud benefit of each product, and for each benefit the next of its product.
pub(super) fn index_products(c: &Catalog) -> (HashTable<usize>, Vec<Option<usize>>) {
    let mut products: HashTable<usize> = HashTable::new();
    let mut same_product = vec![None; c.cloud_benefits.len()];
    // Backwards, so each product's entry ends on its first benefit and the chain runs
    // in catalog order.
    for b in (0..c.cloud_benefits.len()).rev() {
        let product = &c.cloud_benefits[b].product;
        let h = |x: &usize| hash(&c.cloud_benefits[*x].product);
        let same = |x: &usize| c.cloud_benefits[*x].product == *product;
        match products.entry(hash(product), same, h) {
            hashbrown::hash_table::Entry::Occupied(mut o) => {
                same_product[b] = Some(*o.get());
                *o.get_mut() = b;
            }
            hashbrown::hash_table::Entry::Vacant(v) => {
                v.insert(b);
            }
        }
    }
    (products, same_product)
}

/// Put `value` under `hash`, replacing an entry `same` recognises (a later duplicate wins,
/// as in a map).
pub(super) fn put<T: Copy>(
    table: &mut HashTable<T>,
    hash_of: impl Fn(&T) -> u64,
    same: impl Fn(&T) -> bool,
    h: u64,
    value: T,
) {
    match table.entry(h, same, hash_of) {
        hashbrown::hash_table::Entry::Occupied(mut o) => *o.get_mut() = value,
        hashbrown::hash_table::Entry::Vacant(v) => {
            v.insert(value);
        }
    }
}
