//! The catalog's own consistency: ids unique, references resolve, keys listed once,
//! numbers that make sense, names present. Each check says what to change.
//! Runs over the items that deserialized; ids are also read raw (`RawIds`) so that an
//! item with a typing problem still counts for uniqueness and references.

use super::Report;
use crate::domain::{
    CloudBenefit, CreditPeriod, FREE_MAIL_DOMAINS, MAX_MONTHLY_REASSIGNMENTS, Offer, Organization,
    ProductKey, SoftwareBenefit, SubscriptionStatus, Tenant, User,
};
use std::collections::{HashMap, HashSet};

/// The ids of one section, each with its item index.
pub struct Ids {
    pub ids: Vec<(usize, String)>,
    /// Every item had a readable id; otherwise references into the section are not
    /// checked (the unreadable item may be the one referred to).
    pub complete: bool,
}

pub struct RawIds {
    pub offers: Ids,
    pub tenants: Ids,
    pub cloud: Ids,
    pub software: Ids,
}

/// The ids a reference may point at; `None` when the section could not be read whole.
fn known(ids: &Ids) -> Option<HashSet<&str>> {
    ids.complete
        .then(|| ids.ids.iter().map(|(_, id)| id.as_str()).collect())
}

/// What deserialized, each list item with its index in the file.
pub struct Parts<'a> {
    pub organization: Option<&'a Organization>,
    pub user: Option<&'a User>,
    pub offers: &'a [(usize, Offer)],
    pub tenants: &'a [(usize, Tenant)],
    pub cloud: &'a [(usize, CloudBenefit)],
    pub software: &'a [(usize, SoftwareBenefit)],
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Report an empty (or all-blank) text field.
fn filled(report: &mut Report<'_>, path: &str, value: &str, what: &str, fix: &str) {
    if blank(value) {
        report.at(path, format!("the {what} is empty"), fix);
    }
}

fn unique<'a>(
    report: &mut Report<'_>,
    seen: &mut HashMap<&'a str, String>,
    id: &'a str,
    path: String,
    what: &str,
) {
    if blank(id) {
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

fn unique_ids<'a>(
    report: &mut Report<'_>,
    section: &str,
    ids: &'a Ids,
    what: &str,
    seen: &mut HashMap<&'a str, String>,
) {
    for (i, id) in &ids.ids {
        unique(report, seen, id, format!("{section}[{i}].id"), what);
    }
}

fn email_like(s: &str) -> bool {
    matches!(s.split_once('@'), Some((user, domain)) if !user.is_empty() && domain.contains('.'))
}

fn free_mail(email: &str) -> bool {
    email
        .rsplit_once('@')
        .is_some_and(|(_, d)| FREE_MAIL_DOMAINS.iter().any(|f| d.eq_ignore_ascii_case(f)))
}

/// A product key may appear once in the whole catalog.
#[derive(Default)]
struct Keys(HashMap<ProductKey, String>);

impl Keys {
    fn check(&mut self, report: &mut Report<'_>, key: &ProductKey, path: String, product: &str) {
        if let Some(first) = self.0.get(key) {
            report.at(
                &path,
                format!(
                    "the product key {} ({product}) is listed twice (first at {first})",
                    key.masked()
                ),
                "a key belongs to one benefit and is listed once: remove the duplicate",
            );
        } else {
            self.0.insert(key.clone(), path);
        }
    }
}

pub fn check(report: &mut Report<'_>, raw: &RawIds, parts: &Parts<'_>) {
    let mut offer_ids = HashMap::new();
    unique_ids(report, "offers", &raw.offers, "offer", &mut offer_ids);
    let mut tenant_ids = HashMap::new();
    unique_ids(report, "tenants", &raw.tenants, "tenant", &mut tenant_ids);
    // Benefit ids share one namespace across both pages: the CLI takes either.
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
    let offers = known(&raw.offers);
    let tenant_known = known(&raw.tenants);
    let cloud_ids = known(&raw.cloud);

    if let Some(o) = parts.organization {
        filled(
            report,
            "organization.name",
            &o.name,
            "organization name",
            "write the partner organization's name",
        );
        filled(
            report,
            "organization.partner_id",
            &o.partner_id,
            "partner id",
            "write the partner id (PartnerID / MPN ID) in quotes",
        );
    }
    if let Some(u) = parts.user {
        filled(
            report,
            "user.name",
            &u.name,
            "user name",
            "write the signed-in user's name",
        );
        if !email_like(&u.email) {
            report.at(
                "user.email",
                format!("`{}` is not an email address", u.email),
                "write the signed-in user's address, e.g. ada@contoso.onmicrosoft.com",
            );
        }
    }
    for (i, o) in parts.offers {
        filled(
            report,
            &format!("offers[{i}].name"),
            &o.name,
            "offer name",
            "write the program name as Partner Center shows it",
        );
    }
    tenants(report, parts.tenants);
    let mut keys = Keys::default();
    let mut sub_ids = HashMap::new();
    // Email (lower case) → the credit benefit path that holds it.
    let mut credit_holders: HashMap<String, String> = HashMap::new();
    for (i, b) in parts.cloud {
        let base = format!("cloud_benefits[{i}]");
        filled(
            report,
            &format!("{base}.product"),
            &b.product,
            "product name",
            "write the product name, e.g. Microsoft 365 E3",
        );
        known_offer(report, offers.as_ref(), &base, &b.offer);
        if let Some(r) = &b.replaced_by {
            if cloud_ids.as_ref().is_some_and(|c| !c.contains(r.as_str())) {
                report.at(
                    &format!("{base}.replaced_by"),
                    format!("no cloud benefit has the id `{r}`"),
                    "point replaced_by at the id of the replacing benefit",
                );
            } else if r == &b.id {
                report.at(
                    &format!("{base}.replaced_by"),
                    format!("`{r}` is replaced by itself"),
                    "point replaced_by at the id of the replacing benefit",
                );
            }
        }
        match (&b.license, &b.credit) {
            (None, None) => report.at(
                &base,
                "a cloud benefit needs `license:` (key-based) or `credit:` (Azure credit), and has neither",
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
                keys.check(report, &key.key, format!("{kp}.key"), &b.product);
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
                if tenant_known
                    .as_ref()
                    .is_some_and(|t| !t.contains(sub.tenant.as_str()))
                {
                    report.at(
                        &format!("{sp}.tenant"),
                        format!("no tenant has the id `{}`", sub.tenant),
                        "use the id of an entry under tenants:",
                    );
                }
                if sub.licenses == 0 {
                    report.at(
                        &format!("{sp}.licenses"),
                        "a subscription with 0 licenses",
                        "give its active licenses, 1 or more (or remove the subscription)",
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
            }
        }
        if let Some(c) = &b.credit {
            let cp = format!("{base}.credit");
            match parts.tenants.iter().find(|(_, t)| t.id == c.tenant) {
                Some((_, t)) => {
                    if let Some(a) = &c.assigned_to {
                        match t.users.iter().find(|u| u.email.eq_ignore_ascii_case(a)) {
                            None => report.at(
                                &format!("{cp}.assigned_to"),
                                format!("{a} is not a user of tenant {}", t.id),
                                "assign a user listed under that tenant's users:",
                            ),
                            Some(u) if c.period == CreditPeriod::Bulk && !u.other_credits.is_empty() => report.at(
                                &format!("{cp}.assigned_to"),
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
                None if tenant_known
                    .as_ref()
                    .is_none_or(|t| t.contains(c.tenant.as_str())) => {}
                None => report.at(
                    &format!("{cp}.tenant"),
                    format!("no tenant has the id `{}`", c.tenant),
                    "use the id of an entry under tenants:",
                ),
            }
            if let Some(a) = &c.assigned_to {
                let ap = format!("{cp}.assigned_to");
                if free_mail(a) {
                    report.at(
                        &ap,
                        format!("{a} is a free mail address, which cannot hold Azure credit"),
                        "assign a work account of the tenant",
                    );
                }
                match credit_holders.get(&a.to_ascii_lowercase()) {
                    Some(first) => report.at(
                        &ap,
                        format!(
                            "{a} already holds the credit at {first}; a user holds at most one"
                        ),
                        "assign this credit to another user, or leave it unassigned",
                    ),
                    None => {
                        credit_holders.insert(a.to_ascii_lowercase(), ap);
                    }
                }
            }
            if c.amount_usd == 0 {
                report.at(
                    &format!("{cp}.amount_usd"),
                    "the credit amount is 0",
                    "give the amount in US dollars, e.g. 100",
                );
            }
            match c.period {
                CreditPeriod::Bulk => match (c.start, c.end) {
                    (Some(s), Some(e)) if e < s => report.at(
                        &format!("{cp}.end"),
                        format!("the bulk credit ends ({e}) before it starts ({s})"),
                        "make end later than start",
                    ),
                    (Some(_), Some(_)) => {}
                    (None, _) => report.at(
                        &cp,
                        "bulk credit needs a start date",
                        "add start: YYYY-MM-DD (bulk credit is granted once for start to end)",
                    ),
                    (_, None) => report.at(
                        &cp,
                        "bulk credit needs an end date",
                        "add end: YYYY-MM-DD (bulk credit is granted once for start to end)",
                    ),
                },
                CreditPeriod::Monthly => {
                    if c.reassignments > MAX_MONTHLY_REASSIGNMENTS {
                        report.at(
                            &format!("{cp}.reassignments"),
                            format!(
                                "{} reassignments; monthly credit allows at most {MAX_MONTHLY_REASSIGNMENTS}",
                                c.reassignments
                            ),
                            format!("write a number from 0 to {MAX_MONTHLY_REASSIGNMENTS}"),
                        );
                    }
                }
            }
        }
    }
    for (i, b) in parts.software {
        let base = format!("software_benefits[{i}]");
        filled(
            report,
            &format!("{base}.product"),
            &b.product,
            "product name",
            "write the product name, e.g. Windows 11 Enterprise",
        );
        known_offer(report, offers.as_ref(), &base, &b.offer);
        if b.quantity == 0 {
            report.at(
                &format!("{base}.quantity"),
                "the quantity is 0",
                "give the number of activations, 1 or more",
            );
        }
        for (e, ed) in b.editions.iter().enumerate() {
            filled(
                report,
                &format!("{base}.editions[{e}].name"),
                &ed.name,
                "edition name",
                "write the edition, e.g. Enterprise",
            );
        }
        for (k, key) in b.keys.iter().enumerate() {
            let kp = format!("{base}.keys[{k}]");
            keys.check(report, &key.key, format!("{kp}.key"), &b.product);
            if key.activations_allowed == 0 {
                report.at(
                    &format!("{kp}.activations_allowed"),
                    "a key with 0 activations allowed",
                    "give the number of activations the key allows, 1 or more",
                );
            } else if key.activations_used > key.activations_allowed {
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

fn tenants(report: &mut Report<'_>, tenants: &[(usize, Tenant)]) {
    for (i, t) in tenants {
        let base = format!("tenants[{i}]");
        filled(
            report,
            &format!("{base}.name"),
            &t.name,
            "tenant name",
            "write the tenant's display name",
        );
        if blank(&t.domain) || !t.domain.contains('.') || t.domain.contains(char::is_whitespace) {
            report.at(
                &format!("{base}.domain"),
                format!("`{}` is not a domain", t.domain),
                "write the tenant domain, e.g. contoso.onmicrosoft.com",
            );
        }
        let mut emails = HashMap::new();
        for (j, u) in t.users.iter().enumerate() {
            let up = format!("{base}.users[{j}]");
            filled(
                report,
                &format!("{up}.name"),
                &u.name,
                "user name",
                "write the user's display name",
            );
            if !email_like(&u.email) {
                report.at(
                    &format!("{up}.email"),
                    format!("`{}` is not an email address", u.email),
                    "write the user's sign-in address, e.g. ada@contoso.onmicrosoft.com",
                );
            }
            match emails.get(&u.email.to_ascii_lowercase()) {
                Some(first) => report.at(
                    &format!("{up}.email"),
                    format!(
                        "{} is listed twice in this directory (first at {first})",
                        u.email
                    ),
                    "remove the duplicate user",
                ),
                None => {
                    emails.insert(u.email.to_ascii_lowercase(), format!("{up}.email"));
                }
            }
        }
    }
}

/// A benefit's `offer` must name an offer (unchecked when an offer id was unreadable).
fn known_offer(report: &mut Report<'_>, offers: Option<&HashSet<&str>>, base: &str, offer: &str) {
    if offers.is_some_and(|o| !o.contains(offer)) {
        report.at(
            &format!("{base}.offer"),
            format!("no offer has the id `{offer}`"),
            "use the id of an entry under offers:",
        );
    }
}
