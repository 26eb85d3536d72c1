//! Matching Graph's records to the catalog, guessing nothing: the product by `sku` or the
//! part-number table, the tenant by `--tenant` or `tenant_id` against `ownerTenantId`, the
//! subscription by `graph_id`, else the tenant's only subscription of the product, else a
//! subscription known only from Graph. Whatever does not match is reported with the reason
//! and changes nothing.

use super::products::{Mapped, product_of};
use super::{CompanySubscription, Record, SubscribedSku};
use crate::domain::observation::{GraphStatus, Observation, Source, Unmatched, end_date};
use crate::domain::{Entry, Param, Portfolio, Refusal, RefusalCode, Tenant};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What an import makes of its records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matched {
    pub observations: Vec<Observation>,
    pub unmatched: Vec<Unmatched>,
}

/// An import as the edge hands it over: the records read, `--tenant`, the files they came
/// from and when (RFC 3339, UTC: the clock is the edge's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub records: Vec<Record>,
    pub tenant: Option<String>,
    pub sources: Vec<Source>,
    pub imported_at: String,
}

impl Import {
    /// The ledger entry: the records matched against `portfolio`, the import's day and user.
    pub fn plan(
        &self,
        portfolio: &Portfolio,
        today: NaiveDate,
        user: &str,
    ) -> Result<Entry, Refusal> {
        let m = match_records(portfolio, &self.records, self.tenant.as_deref())?;
        Ok(Entry::GraphImport {
            date: today,
            imported_at: self.imported_at.clone(),
            sources: self.sources.clone(),
            observations: m.observations,
            unmatched: m.unmatched,
            user: user.to_string(),
        })
    }
}

/// A record whose product and tenant are known; its subscription is settled next.
struct Candidate {
    graph_id: String,
    commerce_id: Option<String>,
    sku: String,
    product: String,
    tenant: String,
    status: GraphStatus,
    licenses: u32,
    end_date: Option<chrono::NaiveDate>,
    next_lifecycle: Option<String>,
    is_trial: bool,
    consumed: Option<u32>,
}

/// Match `records` against `portfolio`; `tenant` is `--tenant` (an id or a domain), which
/// every record is then taken to be of.
pub fn match_records(
    portfolio: &Portfolio,
    records: &[Record],
    tenant: Option<&str>,
) -> Result<Matched, Refusal> {
    let forced = match tenant {
        Some(t) => Some(
            portfolio
                .tenant(t)
                .ok_or_else(|| Refusal::new(RefusalCode::UnknownTenant).with(Param::Tenant, t))?,
        ),
        None => None,
    };
    let mut out = Matched::default();
    let mut candidates = Vec::new();
    let subs: Vec<&CompanySubscription> = (records.iter())
        .filter_map(|r| match r {
            Record::Subscription(s) => Some(s),
            Record::Sku(_) => None,
        })
        .collect();
    let skus: Vec<&SubscribedSku> = (records.iter())
        .filter_map(|r| match r {
            Record::Sku(s) => Some(s),
            Record::Subscription(_) => None,
        })
        .collect();
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let is = |s: &CompanySubscription, id: &str| {
        same(&s.id, id)
            || s.commerce_subscription_id
                .as_deref()
                .is_some_and(|c| same(c, id))
    };
    let mut reject = |record: &str, sku: &str, reason: String| {
        out.unmatched.push(Unmatched {
            record: record.into(),
            sku: sku.into(),
            reason,
        })
    };
    for s in &subs {
        let Some(product) = product(portfolio, &s.sku_part_number, &s.id, &mut reject) else {
            continue;
        };
        let tenant = match (forced, &s.owner_tenant_id) {
            (Some(t), Some(owner)) if t.tenant_id.as_deref().is_some_and(|g| !same(g, owner)) => {
                reject(
                    &s.id,
                    &s.sku_part_number,
                    format!(
                        "reported for tenant {owner}, but --tenant {} is tenant {}",
                        t.id,
                        t.tenant_id.as_deref().unwrap_or_default()
                    ),
                );
                continue;
            }
            (Some(t), _) => t,
            (None, Some(owner)) => match by_guid(portfolio, owner) {
                Some(t) => t,
                None => {
                    reject(
                        &s.id,
                        &s.sku_part_number,
                        format!(
                            "ownerTenantId {owner} is no tenant's tenant_id: set tenant_id on the tenant in the catalog, or pass --tenant"
                        ),
                    );
                    continue;
                }
            },
            (None, None) => {
                reject(
                    &s.id,
                    &s.sku_part_number,
                    "the record names no ownerTenantId: pass --tenant".into(),
                );
                continue;
            }
        };
        // A SKU's consumed units are this subscription's only when it is the SKU's one.
        let consumed = (skus.iter())
            .find(|k| k.subscription_ids.iter().any(|id| is(s, id)))
            .filter(|k| k.subscription_ids.len() == 1)
            .map(|k| k.consumed_units);
        candidates.push(Candidate {
            graph_id: s.id.clone(),
            commerce_id: s.commerce_subscription_id.clone(),
            sku: s.sku_part_number.clone(),
            product,
            tenant: tenant.id.clone(),
            status: s.status,
            licenses: s.total_licenses,
            end_date: (s.status == GraphStatus::Enabled)
                .then_some(s.next_lifecycle)
                .flatten()
                .map(end_date),
            next_lifecycle: s
                .next_lifecycle
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            is_trial: s.is_trial,
            consumed,
        });
    }
    for k in &skus {
        // A SKU whose subscriptions this import reports one by one adds only their use.
        if k.subscription_ids
            .iter()
            .any(|id| subs.iter().any(|s| is(s, id)))
        {
            continue;
        }
        let record = k
            .subscription_ids
            .first()
            .cloned()
            .unwrap_or_else(|| k.sku_part_number.clone());
        let Some(product) = product(portfolio, &k.sku_part_number, &record, &mut reject) else {
            continue;
        };
        let [id] = k.subscription_ids.as_slice() else {
            reject(
                &record,
                &k.sku_part_number,
                format!(
                    "the subscribedSku lists {} subscriptions, so its units are no one subscription's: import directory/subscriptions too",
                    k.subscription_ids.len()
                ),
            );
            continue;
        };
        let tenant = forced.map(|t| t.id.clone()).or_else(|| {
            (portfolio.subscriptions_of_product(&product))
                .find(|s| s.graph_id.as_deref().is_some_and(|g| same(g, id)))
                .map(|s| s.tenant.clone())
        });
        let Some(tenant) = tenant else {
            reject(
                &record,
                &k.sku_part_number,
                "a subscribedSku does not name its tenant: pass --tenant".into(),
            );
            continue;
        };
        candidates.push(Candidate {
            graph_id: id.clone(),
            commerce_id: None,
            sku: k.sku_part_number.clone(),
            product,
            tenant,
            status: k.capability_status,
            licenses: k.prepaid_units.total(),
            end_date: None,
            next_lifecycle: None,
            is_trial: false,
            consumed: Some(k.consumed_units),
        });
    }
    settle(portfolio, candidates, &mut out);
    Ok(out)
}

/// The catalog product of `sku`, or the record reported unmatched.
fn product(
    portfolio: &Portfolio,
    sku: &str,
    record: &str,
    reject: &mut impl FnMut(&str, &str, String),
) -> Option<String> {
    match product_of(portfolio, sku) {
        Mapped::Catalog(p) | Mapped::Table(p) => Some(p),
        Mapped::NotInCatalog(p) => {
            reject(
                record,
                sku,
                format!("{sku} is {p}, which no license benefit of the catalog holds"),
            );
            None
        }
        Mapped::Unknown => {
            reject(
                record,
                sku,
                format!(
                    "unknown SKU {sku}: no cloud benefit has sku: {sku}, and it is none of the part numbers this program knows"
                ),
            );
            None
        }
    }
}

fn by_guid<'p>(portfolio: &'p Portfolio, guid: &str) -> Option<&'p Tenant> {
    (portfolio.catalog.tenants.iter()).find(|t| {
        t.tenant_id
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case(guid))
    })
}

/// Each candidate's subscription: by `graph_id`, else its tenant's only subscription of the
/// product without a `graph_id` (when it is the only such record), else Graph-only.
fn settle(portfolio: &Portfolio, candidates: Vec<Candidate>, out: &mut Matched) {
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let by_id = |c: &Candidate| {
        portfolio.subscriptions_of_product(&c.product).find(|s| {
            s.graph_id.as_deref().is_some_and(|g| {
                same(g, &c.graph_id) || c.commerce_id.as_deref().is_some_and(|m| same(g, m))
            })
        })
    };
    // Records of one tenant and product that no graph_id claims.
    let mut open: HashMap<(String, String), usize> = HashMap::new();
    for c in &candidates {
        if by_id(c).is_none() {
            *open
                .entry((c.tenant.clone(), c.product.clone()))
                .or_default() += 1;
        }
    }
    for c in candidates {
        let settled = match by_id(&c) {
            Some(s) if s.tenant != c.tenant => Err(format!(
                "graph_id {} is subscription {} of tenant {}, but the record is of tenant {}",
                c.graph_id, s.id, s.tenant, c.tenant
            )),
            Some(s) => Ok((s.id.clone(), false)),
            None => {
                let free: Vec<_> = (portfolio.subscriptions_of_product(&c.product))
                    .filter(|s| s.tenant == c.tenant && s.graph_id.is_none())
                    .collect();
                let records = open[&(c.tenant.clone(), c.product.clone())];
                match (free.as_slice(), records) {
                    ([one], 1) => Ok((one.id.clone(), false)),
                    ([], _) if c.end_date.is_none() => Err(format!(
                        "tenant {} has no catalog subscription of {} for it, and Graph reports no end date to keep one from Graph alone (only an Enabled companySubscription's nextLifecycleDateTime gives one): import directory/subscriptions, or set graph_id on the catalog subscription it is",
                        c.tenant, c.product
                    )),
                    ([], _) => Ok((c.graph_id.clone(), true)),
                    (many, _) => Err(format!(
                        "tenant {} has {} subscriptions of {} without graph_id and this import {} record(s) of it: set graph_id on the catalog subscription it is",
                        c.tenant,
                        many.len(),
                        c.product,
                        records
                    )),
                }
            }
        };
        match settled {
            Err(reason) => out.unmatched.push(Unmatched {
                record: c.graph_id,
                sku: c.sku,
                reason,
            }),
            Ok((subscription, graph_only)) => out.observations.push(Observation {
                graph_id: c.graph_id,
                sku: c.sku,
                product: c.product,
                tenant: c.tenant,
                subscription,
                graph_only,
                status: c.status,
                licenses: c.licenses,
                end_date: c.end_date,
                next_lifecycle: c.next_lifecycle,
                is_trial: c.is_trial,
                consumed: c.consumed,
            }),
        }
    }
}
