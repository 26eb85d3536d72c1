//! Current state: the catalog with the ledger folded in, plus the indexes every lookup
//! needs (built once, so nothing scans the catalog per keystroke or per frame).

use super::key::ProductKey;
use super::ledger::{Entry, Target};
use super::model::{Catalog, CloudBenefit, LicenseBenefit, SoftwareBenefit, Subscription, Tenant};
use hashbrown::HashTable;
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
}

fn key_of(c: &Catalog, r: KeyRef) -> &ProductKey {
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

fn id_of(c: &Catalog, r: BenefitRef) -> &str {
    match r {
        BenefitRef::Cloud(b) => &c.cloud_benefits[b].id,
        BenefitRef::Software(b) => &c.software_benefits[b].id,
    }
}

fn subscription_of(c: &Catalog, (b, s): (usize, usize)) -> &Subscription {
    &(c.cloud_benefits[b].license.as_ref())
        .expect("a subscription's benefit is license-based")
        .subscriptions[s]
}

/// Below this many benefits a thread costs more than it saves.
const PARALLEL_FROM: usize = 20_000;

fn index_keys(c: &Catalog) -> HashTable<KeyRef> {
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

fn index_benefits(c: &Catalog) -> HashTable<BenefitRef> {
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

fn index_subscriptions(c: &Catalog) -> HashTable<(usize, usize)> {
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
fn index_products(c: &Catalog) -> (HashTable<usize>, Vec<Option<usize>>) {
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
fn put<T: Copy>(
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

    /// Every subscription of a product, whichever benefit of that product lists it.
    pub fn subscriptions_of_product<'a>(
        &'a self,
        product: &str,
    ) -> impl Iterator<Item = &'a Subscription> + 'a {
        let c = &self.catalog;
        let first = (self.products)
            .find(hash(product), |&b| c.cloud_benefits[b].product == product)
            .copied();
        std::iter::successors(first, |&b| self.same_product[b])
            .filter_map(|b| c.cloud_benefits[b].license.as_ref())
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

    /// Fold one ledger entry in. Entries are applied in ledger order; one that does not fit
    /// the catalog is recorded in `mismatches` and otherwise skipped.
    pub fn apply(&mut self, seq: i64, entry: &Entry) {
        if let Err(problem) = self.try_apply(entry) {
            self.mismatches.push(LedgerMismatch {
                seq,
                op: entry.op(),
                benefit: entry.benefit().to_string(),
                problem,
            });
        }
        self.last_seq = self.last_seq.max(seq);
    }

    fn try_apply(&mut self, entry: &Entry) -> Result<(), String> {
        match entry {
            Entry::Redemption {
                key_fingerprint,
                key_masked,
                benefit: named,
                target,
                tenant,
                after,
                ..
            } => {
                let Some(KeyRef::Cloud { benefit, key }) =
                    self.by_fingerprint(key_fingerprint, named)
                else {
                    return Err(format!("redeemed key {key_masked} is not in the catalog"));
                };
                fn license(c: &mut Catalog, b: usize) -> Option<&mut LicenseBenefit> {
                    c.cloud_benefits[b].license.as_mut()
                }
                license(&mut self.catalog, benefit)
                    .ok_or("benefit is not license-based")?
                    .keys[key]
                    .redeemed = true;
                match target {
                    Target::Existing { subscription } => {
                        let c = &self.catalog;
                        let found = (self.subscriptions).find(hash(subscription), |&x| {
                            subscription_of(c, x).id == *subscription
                        });
                        let (sb, ss) = *found.ok_or_else(|| {
                            format!("subscription {subscription} is not in the catalog")
                        })?;
                        let sub = &mut self.catalog.cloud_benefits[sb]
                            .license
                            .as_mut()
                            .ok_or("subscription holder is not license-based")?
                            .subscriptions[ss];
                        sub.licenses = after.total_licenses;
                        sub.end_date = after.end_date;
                        sub.status = None;
                    }
                    Target::New { subscription, .. } => {
                        let subs = &mut license(&mut self.catalog, benefit)
                            .ok_or("benefit is not license-based")?
                            .subscriptions;
                        subs.push(Subscription {
                            id: subscription.clone(),
                            tenant: tenant.clone(),
                            licenses: after.total_licenses,
                            end_date: after.end_date,
                            status: None,
                        });
                        let at = (benefit, subs.len() - 1);
                        let c = &self.catalog;
                        put(
                            &mut self.subscriptions,
                            |&x| hash(&subscription_of(c, x).id),
                            |&x| subscription_of(c, x).id == *subscription,
                            hash(subscription),
                            at,
                        );
                    }
                }
                Ok(())
            }
            Entry::Activation {
                key_fingerprint,
                key_masked,
                benefit: named,
                counted,
                ..
            } => {
                let Some(KeyRef::Software { benefit, key }) =
                    self.by_fingerprint(key_fingerprint, named)
                else {
                    return Err(format!("activated key {key_masked} is not in the catalog"));
                };
                let k = &mut self.catalog.software_benefits[benefit].keys[key];
                k.activations_used = k.activations_used.saturating_add(*counted);
                Ok(())
            }
            Entry::CreditAssign { benefit, to, .. } => {
                self.credit_mut(benefit)?.assigned_to = Some(to.clone());
                Ok(())
            }
            // Taking the credit from a user opens a reassignment (remove, then assign anew).
            Entry::CreditRemove { benefit, .. } => {
                let c = self.credit_mut(benefit)?;
                c.assigned_to = None;
                c.reassignments += 1;
                Ok(())
            }
            Entry::CreditTransfer { benefit, to, .. } => {
                let c = self.credit_mut(benefit)?;
                c.assigned_to = Some(to.clone());
                c.reassignments += 1;
                Ok(())
            }
        }
    }

    fn credit_mut(&mut self, id: &str) -> Result<&mut super::model::CreditBenefit, String> {
        match self.benefit(id) {
            Some(BenefitRef::Cloud(i)) => self.catalog.cloud_benefits[i]
                .credit
                .as_mut()
                .ok_or_else(|| format!("benefit {id} is not an Azure credit")),
            _ => Err(format!("benefit {id} is not in the catalog")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MachineChange, Os};

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
}
