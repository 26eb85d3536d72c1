//! The catalog's own consistency: ids unique, references resolve, keys listed once,
//! numbers that make sense. Each check says what to change.

use super::Report;
use crate::domain::{
    CloudBenefit, CreditPeriod, Offer, ProductKey, SoftwareBenefit, SubscriptionStatus, Tenant,
};
use std::collections::{HashMap, HashSet};

fn unique<'a>(
    report: &mut Report<'_>,
    seen: &mut HashMap<&'a str, String>,
    id: &'a str,
    path: String,
    what: &str,
) {
    if id.trim().is_empty() {
        report.at(
            &path,
            format!("the {what} id is empty"),
            "give it a short unique id, e.g. m365-e3",
        );
    } else if let Some(first) = seen.get(id) {
        report.at(
            &path,
            format!("duplicate {what} id `{id}` (first at {first})"),
            "give each one its own id",
        );
    } else {
        seen.insert(id, path);
    }
}

pub struct RawIds {
    pub offers: Vec<(usize, String)>,
    pub tenants: Vec<(usize, String)>,
    pub cloud: Vec<(usize, String)>,
    pub software: Vec<(usize, String)>,
}

fn unique_ids<'a>(
    report: &mut Report<'_>,
    section: &str,
    ids: &'a [(usize, String)],
    what: &str,
    seen: &mut HashMap<&'a str, String>,
) {
    for (i, id) in ids {
        unique(report, seen, id, format!("{section}[{i}].id"), what);
    }
}

pub fn check(
    report: &mut Report<'_>,
    raw: &RawIds,
    offers: &[(usize, Offer)],
    tenants: &[(usize, Tenant)],
    cloud: &[(usize, CloudBenefit)],
    software: &[(usize, SoftwareBenefit)],
) {
    let mut offer_ids = HashMap::new();
    unique_ids(report, "offers", &raw.offers, "offer", &mut offer_ids);
    let mut tenant_ids = HashMap::new();
    unique_ids(report, "tenants", &raw.tenants, "tenant", &mut tenant_ids);
    let mut benefit_ids = HashMap::new();
    unique_ids(
        report,
        "cloud_benefits",
        &raw.cloud,
        "benefit",
        &mut benefit_ids,
    );
    unique_ids(
        report,
        "software_benefits",
        &raw.software,
        "benefit",
        &mut benefit_ids,
    );
    for (i, o) in offers {
        if o.name.trim().is_empty() {
            report.at(
                &format!("offers[{i}].name"),
                "the offer name is empty",
                "write the program name as Partner Center shows it",
            );
        }
    }
    for (i, t) in tenants {
        if !t.domain.contains('.') {
            report.at(
                &format!("tenants[{i}].domain"),
                format!("`{}` is not a domain", t.domain),
                "write the tenant domain, e.g. contoso.onmicrosoft.com",
            );
        }
        let mut emails = HashSet::new();
        for (j, u) in t.users.iter().enumerate() {
            if !u.email.contains('@') {
                report.at(
                    &format!("tenants[{i}].users[{j}].email"),
                    format!("`{}` is not an email address", u.email),
                    "write the user's sign-in address, e.g. ada@contoso.onmicrosoft.com",
                );
            }
            if !emails.insert(u.email.to_ascii_lowercase()) {
                report.at(
                    &format!("tenants[{i}].users[{j}].email"),
                    format!("{} is listed twice in this directory", u.email),
                    "remove the duplicate user",
                );
            }
        }
    }
    let mut key_seen: HashMap<ProductKey, String> = HashMap::new();
    let mut sub_ids = HashMap::new();
    let mut check_key = |report: &mut Report<'_>, key: &ProductKey, path: String| {
        if let Some(first) = key_seen.get(key) {
            report.at(
                &path,
                format!(
                    "the product key {} is listed twice (first at {first})",
                    key.masked()
                ),
                "a key belongs to one benefit: remove the duplicate",
            );
        } else {
            key_seen.insert(key.clone(), path);
        }
    };
    let cloud_ids: HashSet<&str> = raw.cloud.iter().map(|(_, id)| id.as_str()).collect();
    let mut product_tenant_subs: HashSet<(String, String, String)> = HashSet::new();
    for (i, b) in cloud {
        let base = format!("cloud_benefits[{i}]");
        if b.product.trim().is_empty() {
            report.at(
                &format!("{base}.product"),
                "the product name is empty",
                "write the product name, e.g. Microsoft 365 E3",
            );
        }
        if !offer_ids.contains_key(b.offer.as_str()) {
            report.at(
                &format!("{base}.offer"),
                format!("no offer has the id `{}`", b.offer),
                "use the id of an entry under offers:",
            );
        }
        if let Some(r) = &b.replaced_by
            && !cloud_ids.contains(r.as_str())
        {
            report.at(
                &format!("{base}.replaced_by"),
                format!("no cloud benefit has the id `{r}`"),
                "point replaced_by at the id of the replacing benefit",
            );
        }
        match (&b.license, &b.credit) {
            (None, None) => report.at(
                &base,
                "a cloud benefit needs `license:` (key-based) or `credit:` (Azure credit)",
                "add one of them",
            ),
            (Some(_), Some(_)) => report.at(
                &format!("{base}.credit"),
                "a cloud benefit has either `license:` or `credit:`, not both",
                "split it into two benefits",
            ),
            _ => {}
        }
        if let Some(l) = &b.license {
            if l.quantity == 0 {
                report.at(
                    &format!("{base}.license.quantity"),
                    "the quantity is 0",
                    "give the number of licenses, 1 or more",
                );
            }
            for (k, key) in l.keys.iter().enumerate() {
                let kp = format!("{base}.license.keys[{k}]");
                check_key(report, &key.key, format!("{kp}.key"));
                if key.licenses == 0 {
                    report.at(
                        &format!("{kp}.licenses"),
                        "a key with 0 licenses",
                        "give the number of licenses on the key, 1 or more",
                    );
                }
            }
            for (s, sub) in l.subscriptions.iter().enumerate() {
                let sp = format!("{base}.license.subscriptions[{s}]");
                unique(
                    report,
                    &mut sub_ids,
                    &sub.id,
                    format!("{sp}.id"),
                    "subscription",
                );
                if !tenant_ids.contains_key(sub.tenant.as_str()) {
                    report.at(
                        &format!("{sp}.tenant"),
                        format!("no tenant has the id `{}`", sub.tenant),
                        "use the id of an entry under tenants:",
                    );
                }
                if let Some(st) = sub.status
                    && st != SubscriptionStatus::Disabled
                {
                    report.at(
                        &format!("{sp}.status"),
                        "only `disabled` may be set; every other status follows from end_date",
                        "remove status, or write status: disabled",
                    );
                }
                product_tenant_subs.insert((b.product.clone(), sub.tenant.clone(), sub.id.clone()));
            }
        }
        if let Some(c) = &b.credit {
            let cp = format!("{base}.credit");
            let tenant = tenants.iter().find(|(_, t)| t.id == c.tenant);
            match tenant {
                None => report.at(
                    &format!("{cp}.tenant"),
                    format!("no tenant has the id `{}`", c.tenant),
                    "use the id of an entry under tenants:",
                ),
                Some((_, t)) => {
                    if let Some(a) = &c.assigned_to
                        && !t.users.iter().any(|u| u.email.eq_ignore_ascii_case(a))
                    {
                        report.at(
                            &format!("{cp}.assigned_to"),
                            format!("{a} is not a user of tenant {}", t.id),
                            "assign a user listed under that tenant's users:",
                        );
                    }
                }
            }
            if c.amount_usd == 0 {
                report.at(
                    &format!("{cp}.amount_usd"),
                    "the credit amount is 0",
                    "give the amount in US dollars",
                );
            }
            if c.period == CreditPeriod::Bulk {
                match (c.start, c.end) {
                    (Some(s), Some(e)) if e < s => report.at(
                        &format!("{cp}.end"),
                        "the bulk credit ends before it starts",
                        "make end later than start",
                    ),
                    (Some(_), Some(_)) => {}
                    _ => report.at(
                        &cp,
                        "bulk credit needs start and end dates",
                        "add start: YYYY-MM-DD and end: YYYY-MM-DD",
                    ),
                }
            }
        }
    }
    for (i, b) in software {
        let base = format!("software_benefits[{i}]");
        if !offer_ids.contains_key(b.offer.as_str()) {
            report.at(
                &format!("{base}.offer"),
                format!("no offer has the id `{}`", b.offer),
                "use the id of an entry under offers:",
            );
        }
        if b.quantity == 0 {
            report.at(
                &format!("{base}.quantity"),
                "the quantity is 0",
                "give the number of activations, 1 or more",
            );
        }
        for (k, key) in b.keys.iter().enumerate() {
            let kp = format!("{base}.keys[{k}]");
            check_key(report, &key.key, format!("{kp}.key"));
            if key.activations_allowed == 0 {
                report.at(
                    &format!("{kp}.activations_allowed"),
                    "a key with 0 activations allowed",
                    "give the number of activations the key allows",
                );
            }
            if key.activations_used > key.activations_allowed {
                report.at(
                    &format!("{kp}.activations_used"),
                    format!(
                        "{} activations used of {} allowed",
                        key.activations_used, key.activations_allowed
                    ),
                    "activations_used cannot exceed activations_allowed",
                );
            }
        }
    }
}
