//! Cloud and software benefits: each item read into its catalog type with the rules that
//! need only the item (counts above zero, license or credit, credit periods in order).

use super::fields::{Cx, Obj, Value, boolean, count, date, filled, key, one_of, seq, text};
use super::rules::{CloudMeta, SoftwareMeta, Spans};
use super::schema::{
    CLOUD_WALKTHROUGHS, Reader, SOFTWARE_WALKTHROUGHS, at_field, filled_field, positive,
    walkthrough,
};
use crate::catalog::diagnostics::Path;
use crate::domain::{
    CloudBenefit, CloudKey, CreditBenefit, CreditPeriod, Edition, FREE_MAIL_DOMAINS,
    LicenseBenefit, MAX_MONTHLY_REASSIGNMENTS, SoftwareBenefit, SoftwareKey, Subscription,
    SubscriptionStatus,
};

// The fields each mapping accepts (`MAPPINGS` in `validate` lists them all).
pub(super) const CLOUD: &[&str] = &[
    "id",
    "product",
    "offer",
    "type",
    "activate_by",
    "walkthrough",
    "replaced_by",
    "license",
    "credit",
    "sku",
];
pub(super) const LICENSE: &[&str] = &["quantity", "keys", "subscriptions"];
pub(super) const CLOUD_KEY: &[&str] = &["key", "licenses", "redeemed"];
pub(super) const SUBSCRIPTION: &[&str] =
    &["id", "tenant", "licenses", "end_date", "status", "graph_id"];
pub(super) const CREDIT: &[&str] = &[
    "period",
    "amount_usd",
    "tenant",
    "start",
    "end",
    "assigned_to",
    "reassignments",
];
pub(super) const SOFTWARE: &[&str] = &[
    "id",
    "product",
    "offer",
    "family",
    "quantity",
    "activate_by",
    "walkthrough",
    "needs_activation",
    "macos_supported",
    "editions",
    "keys",
    "notes",
];
pub(super) const SOFTWARE_KEY: &[&str] = &["key", "activations_used", "activations_allowed"];
pub(super) const EDITION: &[&str] = &["name", "version", "languages", "architectures"];

pub fn cloud<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    spans: &mut Spans,
) -> Option<(CloudBenefit, CloudMeta)> {
    let o = Obj::open(cx, v, path, CLOUD)?;
    let (id, product, offer) = named(cx, &o, "Microsoft 365 E3");
    let benefit_type = o.req(cx, "type", one_of);
    let activate_by = o.req(cx, "activate_by", date);
    let walkthrough = o.opt(cx, "walkthrough", |cx, v, p| {
        walkthrough(cx, v, p, CLOUD_WALKTHROUGHS)
    });
    let replaced_by = o.opt(cx, "replaced_by", text);
    if let (Some(id), Some(Some(r))) = (&id, &replaced_by)
        && r == id
    {
        at_field(
            cx,
            &o,
            "replaced_by",
            format!("`{r}` is replaced by itself"),
            "point replaced_by at the id of the replacing benefit",
        );
    }
    let sku = o.opt(cx, "sku", |cx, v, p| {
        filled(
            cx,
            v,
            p,
            "sku",
            "write Microsoft's part number, e.g. SPE_E3, or remove sku",
        )
    });
    if let (Some(Some(_)), false) = (&sku, o.has("license")) {
        at_field(
            cx,
            &o,
            "sku",
            "only a license-based benefit has a sku (Azure credit has no Graph subscription)",
            "remove sku, or give the benefit license:",
        );
    }
    let keys_before = spans.cloud_keys.len();
    let subs_before = spans.subs.len();
    let license = o.opt(cx, "license", |cx, v, p| license(cx, v, p, spans));
    let credit = o.opt(cx, "credit", credit);
    match (o.has("license"), o.has("credit")) {
        (false, false) => cx.at(
            o.pos,
            o.path,
            "a cloud benefit needs `license:` (key-based) or `credit:` (Azure credit), and has neither",
            "add one of them",
        ),
        (true, true) => at_field(
            cx,
            &o,
            "credit",
            "a cloud benefit has either `license:` or `credit:`, not both",
            "split it into two benefits",
        ),
        _ => {}
    }
    let credit_at = |name: &str| {
        o.get("credit")
            .and_then(|c| c.field(name))
            .map_or(o.pos, |v| v.pos())
    };
    let meta = CloudMeta {
        item: 0,
        id: o.pos_of("id"),
        offer: o.pos_of("offer"),
        replaced_by: o.pos_of("replaced_by"),
        credit_tenant: credit_at("tenant"),
        assigned_to: credit_at("assigned_to"),
    };
    let benefit = (|| {
        Some(CloudBenefit {
            id: id?,
            product: product?,
            offer: offer?,
            benefit_type: benefit_type?,
            activate_by: activate_by?,
            walkthrough: walkthrough?,
            replaced_by: replaced_by?,
            license: license?,
            credit: credit?,
            sku: sku?,
        })
    })();
    if benefit.is_none() {
        // The spans of an item that is not kept go with it.
        spans.cloud_keys.truncate(keys_before);
        spans.subs.truncate(subs_before);
        spans.graph_ids.truncate(subs_before);
    }
    Some((benefit?, meta))
}

fn license<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    spans: &mut Spans,
) -> Option<LicenseBenefit> {
    let o = Obj::open(cx, v, path, LICENSE)?;
    let quantity = o.req(cx, "quantity", count);
    positive(
        cx,
        &o,
        "quantity",
        quantity,
        "the quantity is 0",
        "give the number of licenses, 1 or more",
    );
    let (keys_before, subs_before) = (spans.cloud_keys.len(), spans.subs.len());
    let keys = o.opt(cx, "keys", |cx, v, p| {
        seq(cx, v, p, |cx, v, p| {
            let k = Obj::open(cx, v, p, CLOUD_KEY)?;
            let key = k.req(cx, "key", key);
            let licenses = k.req(cx, "licenses", count);
            positive(
                cx,
                &k,
                "licenses",
                licenses,
                "a key with 0 licenses",
                "give the number of licenses on the key, 1 or more",
            );
            let redeemed = k.opt(cx, "redeemed", boolean);
            spans.cloud_keys.push(k.pos_of("key"));
            Some(CloudKey {
                key: key?,
                licenses: licenses?,
                redeemed: redeemed?.unwrap_or(false),
                location: None,
                without_key: false,
            })
        })
    });
    let subscriptions = o.opt(cx, "subscriptions", |cx, v, p| {
        seq(cx, v, p, |cx, v, p| {
            let s = Obj::open(cx, v, p, SUBSCRIPTION)?;
            let id = s.req(cx, "id", text);
            let tenant = s.req(cx, "tenant", text);
            let licenses = s.req(cx, "licenses", count);
            positive(
                cx,
                &s,
                "licenses",
                licenses,
                "a subscription with 0 licenses",
                "give its active licenses, 1 or more (or remove the subscription)",
            );
            let end_date = s.req(cx, "end_date", date);
            let status: Option<Option<SubscriptionStatus>> = s.opt(cx, "status", one_of);
            if let Some(Some(st)) = status
                && st != SubscriptionStatus::Disabled
            {
                at_field(
                    cx,
                    &s,
                    "status",
                    "only `disabled` may be set; every other status follows from end_date",
                    "remove status, or write status: disabled",
                );
            }
            let graph_id = s.opt(cx, "graph_id", super::schema::guid);
            spans.subs.push((s.pos_of("id"), s.pos_of("tenant")));
            spans.graph_ids.push(s.pos_of("graph_id"));
            Some(Subscription {
                id: id?,
                tenant: tenant?,
                licenses: licenses?,
                end_date: end_date?,
                status: status?,
                graph_id: graph_id?,
                observed: None,
            })
        })
    });
    let (Some(quantity), Some(keys), Some(subscriptions)) = (quantity, keys, subscriptions) else {
        spans.cloud_keys.truncate(keys_before);
        spans.subs.truncate(subs_before);
        spans.graph_ids.truncate(subs_before);
        return None;
    };
    Some(LicenseBenefit {
        quantity,
        keys: keys.unwrap_or_default(),
        subscriptions: subscriptions.unwrap_or_default(),
        keyless_redeemed: None,
    })
}

fn credit<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<CreditBenefit> {
    let o = Obj::open(cx, v, path, CREDIT)?;
    let period = o.req(cx, "period", one_of);
    let amount_usd = o.req(cx, "amount_usd", count);
    positive(
        cx,
        &o,
        "amount_usd",
        amount_usd,
        "the credit amount is 0",
        "give the amount in US dollars, e.g. 100",
    );
    let tenant = o.req(cx, "tenant", text);
    let start = o.opt(cx, "start", date);
    let end = o.opt(cx, "end", date);
    let assigned_to = o.opt(cx, "assigned_to", text);
    let reassignments = o.opt(cx, "reassignments", count);
    if let Some(Some(a)) = &assigned_to {
        let free = (a.rsplit_once('@'))
            .is_some_and(|(_, d)| FREE_MAIL_DOMAINS.iter().any(|f| d.eq_ignore_ascii_case(f)));
        if free {
            at_field(
                cx,
                &o,
                "assigned_to",
                format!("{a} is a free mail address, which cannot hold Azure credit"),
                "assign a work account of the tenant",
            );
        }
    }
    match period {
        Some(CreditPeriod::Bulk) => match (start, end) {
            (Some(Some(s)), Some(Some(e))) if e < s => at_field(
                cx,
                &o,
                "end",
                format!("the bulk credit ends ({e}) before it starts ({s})"),
                "make end later than start",
            ),
            (Some(None), _) => cx.at(
                o.pos,
                o.path,
                "bulk credit needs a start date",
                "add start: YYYY-MM-DD (bulk credit is granted once for start to end)",
            ),
            (_, Some(None)) => cx.at(
                o.pos,
                o.path,
                "bulk credit needs an end date",
                "add end: YYYY-MM-DD (bulk credit is granted once for start to end)",
            ),
            _ => {}
        },
        Some(CreditPeriod::Monthly) => {
            if let Some(Some(n)) = reassignments
                && n > MAX_MONTHLY_REASSIGNMENTS
            {
                at_field(
                    cx,
                    &o,
                    "reassignments",
                    format!(
                        "{n} reassignments; monthly credit allows at most {MAX_MONTHLY_REASSIGNMENTS}"
                    ),
                    format!("write a number from 0 to {MAX_MONTHLY_REASSIGNMENTS}"),
                );
            }
        }
        None => {}
    }
    Some(CreditBenefit {
        period: period?,
        amount_usd: amount_usd?,
        tenant: tenant?,
        start: start?,
        end: end?,
        assigned_to: assigned_to?,
        reassignments: reassignments?.unwrap_or(0),
    })
}

pub fn software<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    spans: &mut Spans,
) -> Option<(SoftwareBenefit, SoftwareMeta)> {
    let o = Obj::open(cx, v, path, SOFTWARE)?;
    let (id, product, offer) = named(cx, &o, "Windows 11 Enterprise");
    let family = o.req(cx, "family", one_of);
    let quantity = o.req(cx, "quantity", count);
    positive(
        cx,
        &o,
        "quantity",
        quantity,
        "the quantity is 0",
        "give the number of activations, 1 or more",
    );
    let activate_by = o.req(cx, "activate_by", date);
    let walkthrough = o.opt(cx, "walkthrough", |cx, v, p| {
        walkthrough(cx, v, p, SOFTWARE_WALKTHROUGHS)
    });
    let needs_activation = o.opt(cx, "needs_activation", boolean);
    let macos_supported = o.opt(cx, "macos_supported", boolean);
    let editions = o.opt(cx, "editions", |cx, v, p| seq(cx, v, p, edition));
    let keys_before = spans.software_keys.len();
    let keys = o.opt(cx, "keys", |cx, v, p| {
        seq(cx, v, p, |cx, v, p| {
            let k = Obj::open(cx, v, p, SOFTWARE_KEY)?;
            let key = k.req(cx, "key", key);
            let used = k.opt(cx, "activations_used", count);
            let allowed = k.req(cx, "activations_allowed", count);
            match (used, allowed) {
                (_, Some(0)) => at_field(
                    cx,
                    &k,
                    "activations_allowed",
                    "a key with 0 activations allowed",
                    "give the number of activations the key allows, 1 or more",
                ),
                (Some(Some(u)), Some(a)) if u > a => at_field(
                    cx,
                    &k,
                    "activations_used",
                    format!("{u} activations used of {a} allowed"),
                    "activations_used cannot exceed activations_allowed",
                ),
                _ => {}
            }
            spans.software_keys.push(k.pos_of("key"));
            Some(SoftwareKey {
                key: key?,
                activations_used: used?.unwrap_or(0),
                activations_allowed: allowed?,
            })
        })
    });
    let notes = o.opt(cx, "notes", |cx, v, p| seq(cx, v, p, text));
    let meta = SoftwareMeta {
        item: 0,
        id: o.pos_of("id"),
        offer: o.pos_of("offer"),
    };
    let benefit = (|| {
        Some(SoftwareBenefit {
            id: id?,
            product: product?,
            offer: offer?,
            family: family?,
            quantity: quantity?,
            activate_by: activate_by?,
            walkthrough: walkthrough?,
            needs_activation: needs_activation?,
            macos_supported: macos_supported?.unwrap_or(true),
            editions: editions?.unwrap_or_default(),
            keys: keys?.unwrap_or_default(),
            notes: notes?.unwrap_or_default(),
        })
    })();
    if benefit.is_none() {
        spans.software_keys.truncate(keys_before);
    }
    Some((benefit?, meta))
}

fn edition<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<Edition> {
    let o = Obj::open(cx, v, path, EDITION)?;
    let name = filled_field(
        cx,
        &o,
        "name",
        "edition name",
        "write the edition, e.g. Enterprise",
    );
    let version = o.opt(cx, "version", text);
    let texts: Reader<'r, 'a, Vec<String>> = |cx, v, p| seq(cx, v, p, text);
    let languages = o.opt(cx, "languages", texts);
    let architectures = o.opt(cx, "architectures", texts);
    Some(Edition {
        name: name?,
        version: version?,
        languages: languages?.unwrap_or_default(),
        architectures: architectures?.unwrap_or_default(),
    })
}

/// The id, product and offer every benefit starts with.
fn named<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    o: &Obj<'r, 'a, '_>,
    example: &str,
) -> (Option<String>, Option<String>, Option<String>) {
    let id = o.req(cx, "id", text);
    let fix = format!("write the product name, e.g. {example}");
    let product = filled_field(cx, o, "product", "product name", &fix);
    let offer = o.req(cx, "offer", text);
    (id, product, offer)
}
