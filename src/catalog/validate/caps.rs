//! Locations and license caps (the licensing FAQ): the organization's headquarters and
//! associated locations, each in a country, and per product the most licenses for one
//! country and worldwide. Read here with their rules: location ids once, one headquarters,
//! a tenant's `location` one of them, a cap with at least one maximum above zero.

use super::fields::{Cx, Obj, Value, boolean, count, seq, text};
use super::schema::{at_field, filled_field};
use crate::catalog::diagnostics::{Path, Pos, Report};
use crate::domain::{LicenseCap, Location, Organization, Tenant};
use std::collections::HashMap;

pub(super) const LOCATION: &[&str] = &["id", "name", "country", "headquarters"];
pub(super) const CAP: &[&str] = &["product", "per_country", "worldwide"];

/// `organization.locations`, each with where its id stands.
pub fn locations<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
) -> Option<Vec<(Location, Pos)>> {
    let read = seq(cx, v, path, |cx, v, p| {
        let o = Obj::open(cx, v, p, LOCATION)?;
        let id = o.req(cx, "id", text);
        let name = filled_field(
            cx,
            &o,
            "name",
            "location name",
            "write the office's name, e.g. Amsterdam",
        );
        let country = o.req(cx, "country", text);
        let headquarters = o.opt(cx, "headquarters", boolean);
        Some((
            Location {
                id: id?,
                name: name?,
                country: country?,
                headquarters: headquarters?.unwrap_or(false),
            },
            o.pos_of("id"),
        ))
    })?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, (l, pos)) in read.iter().enumerate() {
        if let Some(first) = seen.insert(l.id.clone(), i) {
            cx.at(
                *pos,
                &path.item(i).field("id"),
                format!(
                    "duplicate location id `{}` (first at locations[{first}].id)",
                    l.id
                ),
                "give each location its own id",
            );
        }
    }
    let hq = read.iter().filter(|(l, _)| l.headquarters).count();
    if !read.is_empty() && hq != 1 {
        cx.at(
            v.pos(),
            path,
            format!("{hq} locations are the headquarters; one is"),
            "write headquarters: true on the one headquarters location",
        );
    }
    Some(read)
}

/// One item of `license_caps`.
pub fn cap<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<LicenseCap> {
    let o = Obj::open(cx, v, path, CAP)?;
    let product = filled_field(
        cx,
        &o,
        "product",
        "product name",
        "write the product the cap is for, e.g. Microsoft 365 E3",
    );
    let per_country = o.opt(cx, "per_country", count);
    let worldwide = o.opt(cx, "worldwide", count);
    let (Some(per_country), Some(worldwide)) = (per_country, worldwide) else {
        return None;
    };
    if per_country.is_none() && worldwide.is_none() {
        cx.at(
            o.pos,
            o.path,
            "a cap without a maximum",
            "give per_country, worldwide or both",
        );
    }
    for (name, n) in [("per_country", per_country), ("worldwide", worldwide)] {
        if n == Some(0) {
            at_field(
                cx,
                &o,
                name,
                "a maximum of 0 licenses",
                "give the most licenses, 1 or more, or remove it",
            );
        }
    }
    Some(LicenseCap {
        product: product?,
        per_country,
        worldwide,
    })
}

/// A tenant's `location` must be a location of the organization.
pub fn check(
    report: &mut Report,
    organization: Option<&Organization>,
    tenants: &[(&Tenant, usize, Pos)],
) {
    let Some(org) = organization else { return };
    for (t, i, pos) in tenants {
        let Some(l) = &t.location else { continue };
        if !org.locations.iter().any(|x| x.id == *l) {
            report.at(
                *pos,
                &format!("tenants[{i}].location"),
                format!("no location of the organization has the id `{l}`"),
                "use the id of an entry under organization.locations:",
            );
        }
    }
}
