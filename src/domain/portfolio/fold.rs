//! Folding the ledger into the portfolio, one entry at a time, in ledger order.

use super::index::{put, subscription_of};
use super::{BenefitRef, KeyRef, LedgerMismatch, Portfolio, hash};
use crate::domain::correction::Undo;
use crate::domain::ledger::{Entry, Target};
use crate::domain::model::{Catalog, CreditBenefit, LicenseBenefit, Subscription};
use crate::domain::observation::{Observation, Observed};
use chrono::NaiveDate;

impl Portfolio {
    /// Fold one ledger entry in. Entries are applied in ledger order; one that does not fit
    /// the catalog is recorded in `mismatches` and otherwise skipped.
    pub fn apply(&mut self, seq: i64, entry: &Entry) {
        match self.try_apply(entry) {
            Ok(()) => match entry {
                Entry::CreditAssign { benefit, .. }
                | Entry::CreditRemove { benefit, .. }
                | Entry::CreditTransfer { benefit, .. } => {
                    self.corrections.credit_changed(benefit, seq)
                }
                Entry::Correction {
                    corrects, benefit, ..
                } => self.corrections.corrected(*corrects, seq, benefit),
                _ => {}
            },
            Err(problem) => self.mismatches.push(LedgerMismatch {
                seq,
                op: entry.op(),
                benefit: entry.benefit().to_string(),
                problem,
            }),
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
                location,
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
                let k = &mut license(&mut self.catalog, benefit)
                    .ok_or("benefit is not license-based")?
                    .keys[key];
                k.redeemed = true;
                k.location = location.clone();
                self.redeemed_onto(benefit, target, tenant, after)
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
            Entry::Correction { benefit, undo, .. } => self.undo(benefit, undo),
            Entry::GraphImport {
                date, observations, ..
            } => self.observe(*date, observations),
            Entry::KeylessRedemption {
                benefit,
                target,
                tenant,
                licenses,
                after,
                location,
                ..
            } => {
                let Some(BenefitRef::Cloud(b)) = self.benefit(benefit) else {
                    return Err(format!("benefit {benefit} is not in the catalog"));
                };
                let l = self.catalog.cloud_benefits[b]
                    .license
                    .as_mut()
                    .ok_or("benefit is not license-based")?;
                let before = l.keyless_redeemed.as_ref().map_or(0, |(n, _)| *n);
                l.keyless_redeemed = Some((before.saturating_add(*licenses), location.clone()));
                // It took every license not yet redeemed: the keys that held them are used.
                for k in l.keys.iter_mut().filter(|k| !k.redeemed) {
                    k.redeemed = true;
                    k.without_key = true;
                    k.location = location.clone();
                }
                self.redeemed_onto(b, target, tenant, after)
            }
        }
    }

    /// A redemption's totals onto its subscription: an existing one, or a new one of
    /// `benefit` on `tenant`.
    fn redeemed_onto(
        &mut self,
        benefit: usize,
        target: &Target,
        tenant: &str,
        after: &crate::domain::ledger::Totals,
    ) -> Result<(), String> {
        match target {
            Target::Existing { subscription } => {
                let c = &self.catalog;
                let found = (self.subscriptions).find(hash(subscription), |&x| {
                    subscription_of(c, x).id == *subscription
                });
                let (sb, ss) = *found
                    .ok_or_else(|| format!("subscription {subscription} is not in the catalog"))?;
                let sub = &mut self.catalog.cloud_benefits[sb]
                    .license
                    .as_mut()
                    .ok_or("subscription holder is not license-based")?
                    .subscriptions[ss];
                sub.licenses = after.total_licenses;
                sub.end_date = after.end_date;
                sub.status = None;
                sub.observed = None;
            }
            Target::New { subscription, .. } => {
                if self.catalog.cloud_benefits[benefit].license.is_none() {
                    return Err("benefit is not license-based".into());
                }
                self.add_subscription(
                    benefit,
                    Subscription {
                        id: subscription.clone(),
                        tenant: tenant.to_string(),
                        licenses: after.total_licenses,
                        end_date: after.end_date,
                        status: None,
                        graph_id: None,
                        observed: None,
                    },
                );
            }
        }
        Ok(())
    }

    /// A subscription a redemption or an import brings, indexed under its id.
    fn add_subscription(&mut self, benefit: usize, sub: Subscription) {
        let Some(license) = self.catalog.cloud_benefits[benefit].license.as_mut() else {
            return;
        };
        let id = sub.id.clone();
        license.subscriptions.push(sub);
        let at = (benefit, license.subscriptions.len() - 1);
        let c = &self.catalog;
        put(
            &mut self.subscriptions,
            |&x| hash(&subscription_of(c, x).id),
            |&x| subscription_of(c, x).id == id,
            hash(&id),
            at,
        );
    }

    /// Each observation onto its subscription; one known only from Graph is added to the
    /// first license benefit of its product.
    fn observe(&mut self, date: NaiveDate, observations: &[Observation]) -> Result<(), String> {
        let mut missing = Vec::new();
        for o in observations {
            let observed = Observed {
                status: o.status,
                date,
                consumed: o.consumed,
                is_trial: o.is_trial,
            };
            let c = &self.catalog;
            let found = (self.subscriptions)
                .find(hash(&o.subscription), |&x| {
                    subscription_of(c, x).id == o.subscription
                })
                .copied();
            match found {
                Some((b, s)) => {
                    let Some(l) = self.catalog.cloud_benefits[b].license.as_mut() else {
                        continue;
                    };
                    let sub = &mut l.subscriptions[s];
                    sub.licenses = o.licenses;
                    if let Some(end) = o.end_date {
                        sub.end_date = end;
                    }
                    sub.graph_id.get_or_insert_with(|| o.graph_id.clone());
                    sub.observed = Some(observed);
                }
                None if o.graph_only => {
                    let holder = (self.catalog.cloud_benefits.iter())
                        .position(|b| b.product == o.product && b.license.is_some());
                    let (Some(b), Some(end)) = (holder, o.end_date) else {
                        missing.push(o.subscription.as_str());
                        continue;
                    };
                    self.add_subscription(
                        b,
                        Subscription {
                            id: o.subscription.clone(),
                            tenant: o.tenant.clone(),
                            licenses: o.licenses,
                            end_date: end,
                            status: None,
                            graph_id: Some(o.graph_id.clone()),
                            observed: Some(observed),
                        },
                    );
                }
                None => missing.push(o.subscription.as_str()),
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "observed subscriptions no longer in the catalog: {}",
                missing.join(", ")
            ))
        }
    }

    /// What a correction undoes; the entry it corrects is not needed (see `correction`).
    fn undo(&mut self, named: &str, undo: &Undo) -> Result<(), String> {
        match undo {
            Undo::Nothing => Ok(()),
            Undo::Activation {
                key_fingerprint,
                counted,
            } => {
                let Some(KeyRef::Software { benefit, key }) =
                    self.by_fingerprint(key_fingerprint, named)
                else {
                    return Err("the corrected activation's key is not in the catalog".into());
                };
                let k = &mut self.catalog.software_benefits[benefit].keys[key];
                k.activations_used = k.activations_used.saturating_sub(*counted);
                Ok(())
            }
            Undo::Credit {
                assigned_to,
                reassignments,
            } => {
                let c = self.credit_mut(named)?;
                c.assigned_to = assigned_to.clone();
                c.reassignments = *reassignments;
                Ok(())
            }
        }
    }

    fn credit_mut(&mut self, id: &str) -> Result<&mut CreditBenefit, String> {
        match self.benefit(id) {
            Some(BenefitRef::Cloud(i)) => self.catalog.cloud_benefits[i]
                .credit
                .as_mut()
                .ok_or_else(|| format!("benefit {id} is not an Azure credit")),
            _ => Err(format!("benefit {id} is not in the catalog")),
        }
    }
}
