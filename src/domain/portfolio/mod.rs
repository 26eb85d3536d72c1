//! Current state: the catalog with the ledger folded in, plus the indexes every lookup
//! needs (built once, so nothing scans the catalog per keystroke or per frame).

mod fold;
mod index;

use super::correction::Corrections;
use super::key::ProductKey;
use super::model::{Catalog, CloudBenefit, SoftwareBenefit, Subscription, Tenant};
use hashbrown::HashTable;
use index::{
    PARALLEL_FROM, id_of, index_benefits, index_keys, index_products, index_subscriptions, key_of,
    subscription_of,
};
use serde::Serialize;

/// The indexes hash trusted, local data, so a fast hasher does.
type HashMap<K, V> = foldhash::HashMap<K, V>;

fn hash<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6265_6e65_6669_7473).hash_one(value)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRef {
    Cloud { benefit: usize, key: usize },
    Software { benefit: usize, key: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BenefitRef {
    Cloud(usize),
    Software(usize),
}

/// A ledger entry that does not fit the catalog (e.g. its key vanished from the config).
/// Reported, never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerMismatch {
    pub seq: i64,
    pub op: &'static str,
    pub benefit: String,
    pub problem: String,
}

/// The indexes hold positions only: each hashes and compares through the catalog, so a
/// 100k-benefit catalog is indexed without copying a string (fresh memory is what start-up
/// pays for most).
#[derive(Debug, Clone)]
pub struct Portfolio {
    pub catalog: Catalog,
    keys: HashTable<KeyRef>,
    /// Key digests, built only for a ledger entry whose key moved to another benefit.
    fingerprints: HashMap<[u8; 32], KeyRef>,
    benefits: HashTable<BenefitRef>,
    subscriptions: HashTable<(usize, usize)>,
    /// The first cloud benefit of each product; `same_product[b]` is the next after `b`.
    products: HashTable<usize>,
    same_product: Vec<Option<usize>>,
    /// Ledger sequence number of the last entry folded in (0: none).
    pub last_seq: i64,
    pub mismatches: Vec<LedgerMismatch>,
    /// What the corrections folded in so far leave for the next plan.
    pub corrections: Corrections,
}

impl Portfolio {
    /// Index a validated catalog. A large catalog's indexes are built on two threads: at
    /// 100k benefits they are a quarter of a start, and the second core is idle by then.
    pub fn new(catalog: Catalog) -> Self {
        let c = &catalog;
        let keys_and_subscriptions = || (index_keys(c), index_subscriptions(c));
        let benefits_and_products = || (index_benefits(c), index_products(c));
        let ((keys, subscriptions), (benefits, (products, same_product))) =
            if c.cloud_benefits.len() + c.software_benefits.len() >= PARALLEL_FROM {
                std::thread::scope(|s| {
                    let other = s.spawn(keys_and_subscriptions);
                    let mine = benefits_and_products();
                    (other.join().expect("indexing cannot panic"), mine)
                })
            } else {
                (keys_and_subscriptions(), benefits_and_products())
            };
        Portfolio {
            keys,
            fingerprints: HashMap::default(),
            benefits,
            subscriptions,
            products,
            same_product,
            catalog,
            last_seq: 0,
            mismatches: Vec::new(),
            corrections: Corrections::default(),
        }
    }

    pub fn key(&self, key: &ProductKey) -> Option<KeyRef> {
        let c = &self.catalog;
        self.keys.find(hash(key), |&r| key_of(c, r) == key).copied()
    }

    /// The catalog key a ledger fingerprint stands for. An entry names its benefit, so its
    /// few keys are hashed first; only a key that moved to another benefit since needs the
    /// index of every key's digest (built then, once: hashing 100k keys takes a while).
    fn by_fingerprint(&mut self, fp: &str, benefit: &str) -> Option<KeyRef> {
        let digest = super::key::fingerprint_digest(fp)?;
        let own = match self.benefit(benefit) {
            Some(BenefitRef::Cloud(b)) => (self.catalog.cloud_benefits[b].license.iter())
                .flat_map(|l| l.keys.iter().enumerate())
                .find(|(_, k)| k.key.digest() == digest)
                .map(|(key, _)| KeyRef::Cloud { benefit: b, key }),
            Some(BenefitRef::Software(b)) => (self.catalog.software_benefits[b].keys.iter())
                .position(|k| k.key.digest() == digest)
                .map(|key| KeyRef::Software { benefit: b, key }),
            None => None,
        };
        if own.is_some() {
            return own;
        }
        if self.fingerprints.is_empty() && !self.keys.is_empty() {
            let c = &self.catalog;
            self.fingerprints = (self.keys.iter())
                .map(|&r| (key_of(c, r).digest(), r))
                .collect();
        }
        self.fingerprints.get(&digest).copied()
    }

    pub fn benefit(&self, id: &str) -> Option<BenefitRef> {
        let c = &self.catalog;
        self.benefits
            .find(hash(id), |&r| id_of(c, r) == id)
            .copied()
    }

    pub fn cloud(&self, i: usize) -> &CloudBenefit {
        &self.catalog.cloud_benefits[i]
    }

    pub fn software(&self, i: usize) -> &SoftwareBenefit {
        &self.catalog.software_benefits[i]
    }

    pub fn cloud_by_id(&self, id: &str) -> Option<&CloudBenefit> {
        match self.benefit(id)? {
            BenefitRef::Cloud(i) => Some(self.cloud(i)),
            BenefitRef::Software(_) => None,
        }
    }

    pub fn tenant(&self, id_or_domain: &str) -> Option<&Tenant> {
        self.catalog
            .tenants
            .iter()
            .find(|t| t.id == id_or_domain || t.domain.eq_ignore_ascii_case(id_or_domain))
    }

    pub fn subscription(&self, id: &str) -> Option<(&CloudBenefit, &Subscription)> {
        let c = &self.catalog;
        let (b, s) = *(self.subscriptions).find(hash(id), |&x| subscription_of(c, x).id == id)?;
        let benefit = &self.catalog.cloud_benefits[b];
        Some((benefit, &benefit.license.as_ref()?.subscriptions[s]))
    }

    /// Every cloud benefit of a product, in catalog order (from the index: the cost is
    /// the product's benefits, not the catalog's).
    pub fn cloud_of_product<'a>(
        &'a self,
        product: &str,
    ) -> impl Iterator<Item = &'a CloudBenefit> + 'a {
        let c = &self.catalog;
        let first = (self.products)
            .find(hash(product), |&b| c.cloud_benefits[b].product == product)
            .copied();
        std::iter::successors(first, |&b| self.same_product[b]).map(|b| &c.cloud_benefits[b])
    }

    /// Every subscription of a product, whichever benefit of that product lists it.
    pub fn subscriptions_of_product<'a>(
        &'a self,
        product: &str,
    ) -> impl Iterator<Item = &'a Subscription> + 'a {
        (self.cloud_of_product(product))
            .filter_map(|b| b.license.as_ref())
            .flat_map(|l| l.subscriptions.iter())
    }

    /// Id for a subscription created by a redemption: stable, derived from the ledger position.
    pub fn next_subscription_id(&self, tenant: &str, product: &str) -> String {
        let slug: String = product
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let mut n = self.last_seq + 1;
        loop {
            let id = format!("{tenant}-{slug}-{n}");
            if self.subscription(&id).is_none() {
                return id;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests;
