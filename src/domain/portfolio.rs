//! Current state: the catalog with the ledger folded in, plus the indexes every lookup
//! needs (built once, so nothing scans the catalog per keystroke or per frame).

use super::key::ProductKey;
use super::ledger::{Entry, Target};
use super::model::{Catalog, CloudBenefit, SoftwareBenefit, Subscription, Tenant};
use serde::Serialize;

/// The indexes hash trusted, local data, so a fast hasher does (SipHash doubled their build
/// time at 100k benefits, which every start pays).
type HashMap<K, V> = foldhash::HashMap<K, V>;

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

#[derive(Debug, Clone)]
pub struct Portfolio {
    pub catalog: Catalog,
    keys: HashMap<ProductKey, KeyRef>,
    /// Key digests, built on the first ledger entry that needs them.
    fingerprints: HashMap<[u8; 32], KeyRef>,
    benefits: HashMap<String, BenefitRef>,
    subscriptions: HashMap<String, (usize, usize)>,
    products: HashMap<String, Vec<usize>>,
    /// Ledger sequence number of the last entry folded in (0: none).
    pub last_seq: i64,
    pub mismatches: Vec<LedgerMismatch>,
}

fn sized<K, V>(capacity: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(capacity, Default::default())
}

impl Portfolio {
    /// Index a validated catalog.
    pub fn new(catalog: Catalog) -> Self {
        let c = &catalog;
        let licenses = || c.cloud_benefits.iter().filter_map(|b| b.license.as_ref());
        let keys = licenses().map(|l| l.keys.len()).sum::<usize>()
            + c.software_benefits
                .iter()
                .map(|b| b.keys.len())
                .sum::<usize>();
        let subscriptions = licenses().map(|l| l.subscriptions.len()).sum();
        let benefits = c.cloud_benefits.len() + c.software_benefits.len();
        let mut p = Portfolio {
            keys: sized(keys),
            fingerprints: HashMap::default(),
            benefits: sized(benefits),
            subscriptions: sized(subscriptions),
            products: HashMap::default(),
            catalog,
            last_seq: 0,
            mismatches: Vec::new(),
        };
        for (b, benefit) in p.catalog.cloud_benefits.iter().enumerate() {
            p.benefits.insert(benefit.id.clone(), BenefitRef::Cloud(b));
            p.products
                .entry(benefit.product.clone())
                .or_default()
                .push(b);
            if let Some(lic) = &benefit.license {
                for (k, key) in lic.keys.iter().enumerate() {
                    p.keys
                        .insert(key.key.clone(), KeyRef::Cloud { benefit: b, key: k });
                }
                for (s, sub) in lic.subscriptions.iter().enumerate() {
                    p.subscriptions.insert(sub.id.clone(), (b, s));
                }
            }
        }
        for (b, benefit) in p.catalog.software_benefits.iter().enumerate() {
            p.benefits
                .insert(benefit.id.clone(), BenefitRef::Software(b));
            for (k, key) in benefit.keys.iter().enumerate() {
                p.keys
                    .insert(key.key.clone(), KeyRef::Software { benefit: b, key: k });
            }
        }
        p
    }

    pub fn key(&self, key: &ProductKey) -> Option<KeyRef> {
        self.keys.get(key).copied()
    }

    /// The catalog key a ledger fingerprint stands for. An entry names its benefit, so its
    /// few keys are hashed first; only a key that moved to another benefit since needs the
    /// index of every key's digest (built then, once: hashing 100k keys takes a while).
    fn by_fingerprint(&mut self, fp: &str, benefit: &str) -> Option<KeyRef> {
        let digest = super::key::fingerprint_digest(fp)?;
        let own = match self.benefits.get(benefit) {
            Some(BenefitRef::Cloud(b)) => (self.catalog.cloud_benefits[*b].license.iter())
                .flat_map(|l| l.keys.iter().enumerate())
                .find(|(_, k)| k.key.digest() == digest)
                .map(|(key, _)| KeyRef::Cloud { benefit: *b, key }),
            Some(BenefitRef::Software(b)) => (self.catalog.software_benefits[*b].keys.iter())
                .position(|k| k.key.digest() == digest)
                .map(|key| KeyRef::Software { benefit: *b, key }),
            None => None,
        };
        if own.is_some() {
            return own;
        }
        if self.fingerprints.is_empty() && !self.keys.is_empty() {
            self.fingerprints = self.keys.iter().map(|(k, r)| (k.digest(), *r)).collect();
        }
        self.fingerprints.get(&digest).copied()
    }

    pub fn benefit(&self, id: &str) -> Option<BenefitRef> {
        self.benefits.get(id).copied()
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
        let (b, s) = *self.subscriptions.get(id)?;
        let benefit = &self.catalog.cloud_benefits[b];
        Some((benefit, &benefit.license.as_ref()?.subscriptions[s]))
    }

    /// Every subscription of a product, whichever benefit of that product lists it.
    pub fn subscriptions_of_product<'a>(
        &'a self,
        product: &str,
    ) -> impl Iterator<Item = &'a Subscription> + 'a {
        self.products
            .get(product)
            .into_iter()
            .flatten()
            .filter_map(|&b| self.catalog.cloud_benefits[b].license.as_ref())
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
            if !self.subscriptions.contains_key(&id) {
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
                let b = &mut self.catalog.cloud_benefits[benefit];
                let lic = b.license.as_mut().ok_or("benefit is not license-based")?;
                lic.keys[key].redeemed = true;
                match target {
                    Target::Existing { subscription } => {
                        let (sb, ss) = *self.subscriptions.get(subscription).ok_or_else(|| {
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
                        lic.subscriptions.push(Subscription {
                            id: subscription.clone(),
                            tenant: tenant.clone(),
                            licenses: after.total_licenses,
                            end_date: after.end_date,
                            status: None,
                        });
                        self.subscriptions
                            .insert(subscription.clone(), (benefit, lic.subscriptions.len() - 1));
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
        match self.benefits.get(id) {
            Some(BenefitRef::Cloud(i)) => self.catalog.cloud_benefits[*i]
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
}
