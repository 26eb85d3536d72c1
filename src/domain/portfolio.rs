//! Current state: the catalog with the ledger folded in, plus the indexes every lookup
//! needs (built once, so nothing scans the catalog per keystroke or per frame).

use super::key::ProductKey;
use super::ledger::{Entry, Target};
use super::model::{Catalog, CloudBenefit, SoftwareBenefit, Subscription, Tenant};
use serde::Serialize;
use std::collections::HashMap;

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

impl Portfolio {
    /// Index a validated catalog.
    pub fn new(catalog: Catalog) -> Self {
        let mut p = Portfolio {
            catalog,
            keys: HashMap::new(),
            fingerprints: HashMap::new(),
            benefits: HashMap::new(),
            subscriptions: HashMap::new(),
            products: HashMap::new(),
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

    fn by_fingerprint(&mut self, fp: &str) -> Option<KeyRef> {
        if self.fingerprints.is_empty() && !self.keys.is_empty() {
            // Hashing every key costs time at 100k keys; only a non-empty ledger needs it.
            self.fingerprints = self.keys.iter().map(|(k, r)| (k.digest(), *r)).collect();
        }
        self.fingerprints
            .get(&super::key::fingerprint_digest(fp)?)
            .copied()
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
                target,
                tenant,
                after,
                ..
            } => {
                let Some(KeyRef::Cloud { benefit, key }) = self.by_fingerprint(key_fingerprint)
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
                counted,
                ..
            } => {
                let Some(KeyRef::Software { benefit, key }) = self.by_fingerprint(key_fingerprint)
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
