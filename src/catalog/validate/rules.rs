//! The catalog's consistency across items: ids unique, references resolve, keys and tenant
//! domains listed once, credits assigned within their tenant. Runs once every item is
//! read, on what was read and where it stood. Ids are also taken from items that failed
//! to read, so that such an item still counts for uniqueness and references.

use super::fields::{Cx, Value, text};
use crate::catalog::diagnostics::{Path, Pos, Report};
use crate::domain::{CloudBenefit, CreditPeriod, Offer, ProductKey, SoftwareBenefit, Tenant};
use std::collections::{HashMap, HashSet};

/// The ids of a section's items that failed to read, with their item index and place (the
/// ids of the items read are in the items).
#[derive(Default)]
pub struct Ids {
    pub failed: Vec<(usize, String, Pos)>,
    /// Every item had a readable id; otherwise references into the section are not
    /// checked (the unreadable item may be the one referred to).
    pub complete: bool,
}

pub struct TenantMeta {
    pub id: Pos,
    pub domain: Pos,
    pub tenant_id: Pos,
    pub location: Pos,
}

pub struct CloudMeta {
    /// The item's index in its section.
    pub item: usize,
    pub id: Pos,
    pub offer: Pos,
    pub replaced_by: Pos,
    pub credit_tenant: Pos,
    pub assigned_to: Pos,
}

pub struct SoftwareMeta {
    pub item: usize,
    pub id: Pos,
    pub offer: Pos,
}

/// Where the keys and subscriptions of the items read stand, in catalog order.
#[derive(Default)]
pub struct Spans {
    pub cloud_keys: Vec<Pos>,
    pub software_keys: Vec<Pos>,
    /// Each subscription's id and tenant.
    pub subs: Vec<(Pos, Pos)>,
    /// Each subscription's graph_id (the subscription's place when it has none).
    pub graph_ids: Vec<Pos>,
}

/// One section as read: its items with their `M`, and every id.
pub struct Listed<T, M> {
    pub items: Vec<(T, M)>,
    pub ids: Ids,
}

impl<T, M> Default for Listed<T, M> {
    fn default() -> Self {
        Listed {
            items: Vec::new(),
            ids: Ids {
                failed: Vec::new(),
                complete: true,
            },
        }
    }
}

/// What has an id.
pub trait Keyed {
    fn id(&self) -> &str;
}

/// Where an item stands: its index and its id's position.
pub trait Placed {
    fn at(&self) -> (usize, Pos);
}

macro_rules! keyed {
    ($($t:ty),*) => { $(impl Keyed for $t { fn id(&self) -> &str { &self.id } })* };
}
keyed!(Offer, Tenant, CloudBenefit, SoftwareBenefit);

impl Placed for (usize, Pos) {
    fn at(&self) -> (usize, Pos) {
        *self
    }
}
impl Placed for (usize, TenantMeta) {
    fn at(&self) -> (usize, Pos) {
        (self.0, self.1.id)
    }
}
impl Placed for CloudMeta {
    fn at(&self) -> (usize, Pos) {
        (self.item, self.id)
    }
}
impl Placed for SoftwareMeta {
    fn at(&self) -> (usize, Pos) {
        (self.item, self.id)
    }
}

impl<T: Keyed, M: Placed> Listed<T, M> {
    /// Every id of the section, read or not, in item order.
    fn all_ids(&self) -> Vec<(usize, &str, Pos)> {
        let read = self.items.iter().map(|(t, m)| {
            let (i, pos) = m.at();
            (i, t.id(), pos)
        });
        let failed = self
            .ids
            .failed
            .iter()
            .map(|(i, id, pos)| (*i, id.as_str(), *pos));
        let mut all: Vec<_> = read.chain(failed).collect();
        all.sort_by_key(|(i, _, _)| *i);
        all
    }

    /// The ids a reference may point at; `None` when the section could not be read whole.
    fn known(&self) -> Option<HashSet<&str>> {
        let ids = self.all_ids();
        self.ids
            .complete
            .then(|| ids.into_iter().map(|(_, id, _)| id).collect())
    }
}

pub struct Parts<'p> {
    pub offers: &'p Listed<Offer, (usize, Pos)>,
    pub tenants: &'p Listed<Tenant, (usize, TenantMeta)>,
    pub cloud: &'p Listed<CloudBenefit, CloudMeta>,
    pub software: &'p Listed<SoftwareBenefit, SoftwareMeta>,
    pub spans: &'p Spans,
}

/// A tenant's domain: an ASCII host name, so that no look-alike letter from another script
/// can pass for the real domain where the target tenant must be unmistakable.
pub fn domain<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<String> {
    let d = text(cx, v, path)?;
    let why = if let Some((i, c)) = d.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        Some(format!(
            "has the character '{c}' (U+{:04X}) at position {}, which is not ASCII",
            c as u32,
            i + 1
        ))
    } else if let Some(c) = d
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        Some(format!(
            "has the character {c:?}, which a host name cannot hold"
        ))
    } else if !d.contains('.') || d.len() > 253 {
        Some("is not a domain".into())
    } else if d
        .split('.')
        .any(|l| l.is_empty() || l.len() > 63 || l.starts_with('-') || l.ends_with('-'))
    {
        Some(
            "has an empty label, a label over 63 characters, or one that starts or ends with '-'"
                .into(),
        )
    } else {
        None
    };
    if let Some(why) = why {
        cx.at(
            v.pos(),
            path,
            format!("`{d}` {why}"),
            "write the tenant domain as an ASCII host name (letters, digits, hyphens and dots), e.g. contoso.onmicrosoft.com; an international name in its punycode form (xn--…)",
        );
    }
    Some(d)
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Ids once per namespace: report blanks and repeats.
fn unique<'i>(
    report: &mut Report,
    seen: &mut HashMap<&'i str, (&'static str, usize)>,
    section: &'static str,
    ids: &[(usize, &'i str, Pos)],
    what: &str,
) {
    for (i, id, pos) in ids {
        let path = || format!("{section}[{i}].id");
        if blank(id) {
            report.at(
                *pos,
                &path(),
                format!("the {what} id is empty"),
                "give it a short unique id, e.g. m365-e3",
            );
        } else if let Some((s, first)) = seen.get(*id) {
            report.at(
                *pos,
                &path(),
                format!("duplicate {what} id `{id}` (first at {s}[{first}].id)"),
                "give each one its own id",
            );
        } else {
            seen.insert(*id, (section, *i));
        }
    }
}

pub fn check(report: &mut Report, parts: &Parts<'_>) {
    let (offer_ids, tenant_ids) = (parts.offers.all_ids(), parts.tenants.all_ids());
    unique(report, &mut HashMap::new(), "offers", &offer_ids, "offer");
    unique(
        report,
        &mut HashMap::new(),
        "tenants",
        &tenant_ids,
        "tenant",
    );
    // Benefit ids share one namespace across both pages: the CLI takes either.
    let mut benefit_ids = HashMap::new();
    let cloud = parts.cloud.all_ids();
    unique(
        report,
        &mut benefit_ids,
        "cloud_benefits",
        &cloud,
        "benefit",
    );
    let software = parts.software.all_ids();
    unique(
        report,
        &mut benefit_ids,
        "software_benefits",
        &software,
        "benefit",
    );
    drop((benefit_ids, software));
    domains(report, parts.tenants);
    super::graph::graph_ids(report, parts);
    keys(report, parts);
    let offers = parts.offers.known();
    let tenants = parts.tenants.known();
    let cloud_ids = parts
        .cloud
        .ids
        .complete
        .then(|| cloud.iter().map(|(_, id, _)| *id).collect::<HashSet<_>>());
    // Subscription id → the benefit and subscription that has it first.
    let mut subs: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut sub_spans = parts.spans.subs.iter();
    // Email (lower case) → the credit benefit path that holds it.
    let mut holders: HashMap<String, String> = HashMap::new();
    for (b, m) in &parts.cloud.items {
        let base = || format!("cloud_benefits[{}]", m.item);
        known_offer(report, offers.as_ref(), &base, &b.offer, m.offer);
        if let Some(r) = &b.replaced_by
            && cloud_ids.as_ref().is_some_and(|c| !c.contains(r.as_str()))
        {
            report.at(
                m.replaced_by,
                &format!("{}.replaced_by", base()),
                format!("no cloud benefit has the id `{r}`"),
                "point replaced_by at the id of the replacing benefit",
            );
        }
        for (s, sub) in b
            .license
            .iter()
            .flat_map(|l| l.subscriptions.iter().enumerate())
        {
            let (id_at, tenant_at) = sub_spans.next().copied().unwrap_or_default();
            let sp = || format!("{}.license.subscriptions[{s}]", base());
            if blank(&sub.id) {
                report.at(
                    id_at,
                    &format!("{}.id", sp()),
                    "the subscription id is empty",
                    "give it a short unique id, e.g. contoso-m365-e3",
                );
            } else if let Some((fb, fs)) = subs.get(sub.id.as_str()) {
                report.at(
                    id_at,
                    &format!("{}.id", sp()),
                    format!(
                        "duplicate subscription id `{}` (first at cloud_benefits[{fb}].license.subscriptions[{fs}].id)",
                        sub.id
                    ),
                    "give each one its own id",
                );
            } else {
                subs.insert(&sub.id, (m.item, s));
            }
            if tenants
                .as_ref()
                .is_some_and(|t| !t.contains(sub.tenant.as_str()))
            {
                report.at(
                    tenant_at,
                    &format!("{}.tenant", sp()),
                    format!("no tenant has the id `{}`", sub.tenant),
                    "use the id of an entry under tenants:",
                );
            }
        }
        let Some(c) = &b.credit else { continue };
        let cp = format!("{}.credit", base());
        let ap = format!("{cp}.assigned_to");
        match parts.tenants.items.iter().find(|(t, _)| t.id == c.tenant) {
            Some((t, _)) => {
                if let Some(a) = &c.assigned_to {
                    match t.users.iter().find(|u| u.email.eq_ignore_ascii_case(a)) {
                        None => report.at(
                            m.assigned_to,
                            &ap,
                            format!("{a} is not a user of tenant {}", t.id),
                            "assign a user listed under that tenant's users:",
                        ),
                        Some(u) if c.period == CreditPeriod::Bulk && !u.other_credits.is_empty() => report.at(
                            m.assigned_to,
                            &ap,
                            format!(
                                "bulk credit cannot be combined with other credit offers, and {a} holds {}",
                                u.other_credits.join(", ")
                            ),
                            "assign the bulk credit to a user without other credit offers",
                        ),
                        Some(_) => {}
                    }
                }
            }
            // A tenant whose item failed to read is not reported again here.
            None if tenants
                .as_ref()
                .is_none_or(|t| t.contains(c.tenant.as_str())) => {}
            None => report.at(
                m.credit_tenant,
                &format!("{cp}.tenant"),
                format!("no tenant has the id `{}`", c.tenant),
                "use the id of an entry under tenants:",
            ),
        }
        if let Some(a) = &c.assigned_to {
            match holders.get(&a.to_ascii_lowercase()) {
                Some(first) => report.at(
                    m.assigned_to,
                    &ap,
                    format!("{a} already holds the credit at {first}; a user holds at most one"),
                    "assign this credit to another user, or leave it unassigned",
                ),
                None => {
                    holders.insert(a.to_ascii_lowercase(), ap);
                }
            }
        }
    }
    for (b, m) in &parts.software.items {
        let base = || format!("software_benefits[{}]", m.item);
        known_offer(report, offers.as_ref(), &base, &b.offer, m.offer);
    }
}

/// A benefit's `offer` must name an offer (unchecked when an offer id was unreadable).
fn known_offer(
    report: &mut Report,
    offers: Option<&HashSet<&str>>,
    base: &dyn Fn() -> String,
    offer: &str,
    at: Pos,
) {
    if offers.is_some_and(|o| !o.contains(offer)) {
        report.at(
            at,
            &format!("{}.offer", base()),
            format!("no offer has the id `{offer}`"),
            "use the id of an entry under offers:",
        );
    }
}

/// Two tenants never share a domain (in any case): the domain picks the tenant.
fn domains(report: &mut Report, tenants: &Listed<Tenant, (usize, TenantMeta)>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (t, (i, m)) in &tenants.items {
        let lower = t.domain.to_ascii_lowercase();
        match seen.get(&lower) {
            Some(first) => report.at(
                m.domain,
                &format!("tenants[{i}].domain"),
                format!("the domain {} is tenant {first}'s already (domains are compared ignoring case)", t.domain),
                "give each tenant its own domain; one tenant is listed once",
            ),
            None => {
                seen.insert(lower, &t.id);
            }
        }
    }
}

/// A product key may appear once in the whole catalog, under one product.
fn keys<'p>(report: &mut Report, parts: &Parts<'p>) {
    /// Where a key stands: cloud or software, the item, the key's index.
    type At = (bool, usize, usize);
    let path = |(cloud, item, k): At| {
        if cloud {
            format!("cloud_benefits[{item}].license.keys[{k}].key")
        } else {
            format!("software_benefits[{item}].keys[{k}].key")
        }
    };
    let mut seen: HashMap<&ProductKey, At> = HashMap::new();
    let mut check = |key: &'p ProductKey, pos: Pos, at: At, product: &str| {
        if let Some(first) = seen.get(key) {
            report.at(
                pos,
                &path(at),
                format!(
                    "the product key {} ({product}) is listed twice (first at {})",
                    key.masked(),
                    path(*first)
                ),
                "a key belongs to one benefit and is listed once: remove the duplicate",
            );
        } else {
            seen.insert(key, at);
        }
    };
    let mut pos = parts.spans.cloud_keys.iter();
    for (b, m) in &parts.cloud.items {
        for (k, key) in b.license.iter().flat_map(|l| l.keys.iter().enumerate()) {
            let p = pos.next().copied().unwrap_or_default();
            check(&key.key, p, (true, m.item, k), &b.product);
        }
    }
    let mut pos = parts.spans.software_keys.iter();
    for (b, m) in &parts.software.items {
        for (k, key) in b.keys.iter().enumerate() {
            let p = pos.next().copied().unwrap_or_default();
            check(&key.key, p, (false, m.item, k), &b.product);
        }
    }
}
