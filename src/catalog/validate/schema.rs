//! The catalog's schema: each section and item read into its catalog type, with the rules
//! that need only the item itself (names present, addresses, domains). What a rule across
//! items needs (where ids, references and keys stand) is kept in the item's `Meta` and
//! checked by `rules` once everything is read. Benefits are in `benefits`.

use super::fields::{Cx, Obj, Value, boolean, date, filled, one_of, seq, text};
use super::rules::TenantMeta;
use crate::catalog::diagnostics::{Path, Pos};
use crate::domain::{DirectoryUser, Offer, Organization, Tenant, User};
use std::collections::HashMap;

/// The walkthrough texts a benefit may name (`assets/walkthroughs/`), per page.
pub const CLOUD_WALKTHROUGHS: &[&str] = &["m365", "dynamics", "powerbi", "azure-credit"];
pub const SOFTWARE_WALKTHROUGHS: &[&str] = &["windows", "office", "server", "cal"];

// The fields each mapping accepts (`MAPPINGS` in `validate` lists them all).
pub(super) const ORGANIZATION: &[&str] = &[
    "name",
    "partner_id",
    "country",
    "enrollment_year_end",
    "locations",
];
pub(super) const USER: &[&str] = &["name", "email", "role", "can_view_keys"];
pub(super) const OFFER: &[&str] = &[
    "id",
    "name",
    "kind",
    "specialization",
    "country",
    "keyless",
    "end_date",
];
pub(super) const TENANT: &[&str] = &[
    "id",
    "name",
    "domain",
    "tenant_id",
    "location",
    "mca",
    "users",
];
pub(super) const DIRECTORY_USER: &[&str] = &["name", "email", "other_credits"];

pub(super) type Reader<'r, 'a, T> = fn(&mut Cx<'r, 'a>, Value<'r, 'a>, &Path<'_>) -> Option<T>;

pub fn organization<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
) -> Option<Organization> {
    let o = Obj::open(cx, v, path, ORGANIZATION)?;
    let name = filled_field(
        cx,
        &o,
        "name",
        "organization name",
        "write the partner organization's name",
    );
    let partner_id = filled_field(
        cx,
        &o,
        "partner_id",
        "partner id",
        "write the partner id (PartnerID / MPN ID) in quotes",
    );
    let country = o.req(cx, "country", text);
    let enrollment_year_end = o.req(cx, "enrollment_year_end", date);
    let locations = o.opt(cx, "locations", super::caps::locations);
    Some(Organization {
        name: name?,
        partner_id: partner_id?,
        country: country?,
        enrollment_year_end: enrollment_year_end?,
        locations: (locations?.unwrap_or_default().into_iter())
            .map(|(l, _)| l)
            .collect(),
    })
}

fn email<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    fix: &str,
) -> Option<String> {
    let e = text(cx, v, path)?;
    let ok = matches!(e.split_once('@'), Some((user, domain)) if !user.is_empty() && domain.contains('.'));
    if !ok {
        cx.at(v.pos(), path, format!("`{e}` is not an email address"), fix);
    }
    Some(e)
}

pub fn user<'r, 'a>(cx: &mut Cx<'r, 'a>, v: Value<'r, 'a>, path: &Path<'_>) -> Option<User> {
    let o = Obj::open(cx, v, path, USER)?;
    let name = filled_field(
        cx,
        &o,
        "name",
        "user name",
        "write the signed-in user's name",
    );
    let email = o.req(cx, "email", |cx, v, p| {
        email(
            cx,
            v,
            p,
            "write the signed-in user's address, e.g. ada@contoso.onmicrosoft.com",
        )
    });
    let role = o.req(cx, "role", one_of);
    let can_view_keys = o.opt(cx, "can_view_keys", boolean);
    Some(User {
        name: name?,
        email: email?,
        role: role?,
        can_view_keys: can_view_keys?.unwrap_or(false),
    })
}

pub fn offer<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
) -> Option<(Offer, Pos)> {
    let o = Obj::open(cx, v, path, OFFER)?;
    let id = o.req(cx, "id", text);
    let name = filled_field(
        cx,
        &o,
        "name",
        "offer name",
        "write the program name as Partner Center shows it",
    );
    let kind = o.req(cx, "kind", one_of);
    let specialization = o.opt(cx, "specialization", text);
    let country = o.opt(cx, "country", text);
    let keyless = o.opt(cx, "keyless", boolean);
    let end_date = o.opt(cx, "end_date", date);
    let offer = Offer {
        id: id?,
        name: name?,
        kind: kind?,
        specialization: specialization?,
        country: country?,
        keyless: keyless?.unwrap_or(false),
        end_date: end_date?,
    };
    Some((offer, o.pos_of("id")))
}

pub fn tenant<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
) -> Option<(Tenant, TenantMeta)> {
    let o = Obj::open(cx, v, path, TENANT)?;
    let id = o.req(cx, "id", text);
    let name = filled_field(
        cx,
        &o,
        "name",
        "tenant name",
        "write the tenant's display name",
    );
    let domain = o.req(cx, "domain", super::rules::domain);
    let tenant_id = o.opt(cx, "tenant_id", guid);
    let location = o.opt(cx, "location", text);
    let mca = o.opt(cx, "mca", boolean);
    let users = o.opt(cx, "users", |cx, v, p| seq(cx, v, p, directory_user));
    let users = users?.unwrap_or_default();
    // One directory lists a user once, whatever the case of the address.
    let mut emails: HashMap<String, usize> = HashMap::new();
    let list = o.path.field("users");
    for (j, u) in users.iter().enumerate() {
        let lower = u.email.to_ascii_lowercase();
        if let Some(first) = emails.get(&lower) {
            let user = list.item(j);
            let at = email_pos(&o, j).unwrap_or(o.pos);
            cx.at(
                at,
                &user.field("email"),
                format!(
                    "{} is listed twice in this directory (first at {list}[{first}].email)",
                    u.email
                ),
                "remove the duplicate user",
            );
        } else {
            emails.insert(lower, j);
        }
    }
    let meta = TenantMeta {
        id: o.pos_of("id"),
        domain: o.pos_of("domain"),
        tenant_id: o.pos_of("tenant_id"),
        location: o.pos_of("location"),
    };
    Some((
        Tenant {
            id: id?,
            name: name?,
            domain: domain?,
            tenant_id: tenant_id?,
            location: location?,
            mca: mca?.unwrap_or(false),
            users,
        },
        meta,
    ))
}

/// Where the `email` of the `j`th directory user stands.
fn email_pos(o: &Obj<'_, '_, '_>, j: usize) -> Option<Pos> {
    o.get("users")?.nth(j)?.field("email").map(|v| v.pos())
}

fn directory_user<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
) -> Option<DirectoryUser> {
    let o = Obj::open(cx, v, path, DIRECTORY_USER)?;
    let name = filled_field(cx, &o, "name", "user name", "write the user's display name");
    let email = o.req(cx, "email", |cx, v, p| {
        email(
            cx,
            v,
            p,
            "write the user's sign-in address, e.g. ada@contoso.onmicrosoft.com",
        )
    });
    let other_credits = o.opt(cx, "other_credits", |cx, v, p| seq(cx, v, p, text));
    Some(DirectoryUser {
        name: name?,
        email: email?,
        other_credits: other_credits?.unwrap_or_default(),
    })
}

pub(super) fn walkthrough<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    allowed: &[&str],
) -> Option<String> {
    let w = text(cx, v, path)?;
    if !allowed.contains(&w.as_str()) {
        cx.at(
            v.pos(),
            path,
            format!(
                "unknown walkthrough `{w}`, expected one of {}",
                allowed.join(", ")
            ),
            "name one of the walkthroughs listed, or remove `walkthrough`",
        );
        return None;
    }
    Some(w)
}

/// A required text field that must not be blank: `what` names it in the message.
pub(super) fn filled_field<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    o: &Obj<'r, 'a, '_>,
    name: &'static str,
    what: &str,
    fix: &str,
) -> Option<String> {
    o.req(cx, name, |cx, v, p| filled(cx, v, p, what, fix))
}

pub(super) fn positive(
    cx: &mut Cx<'_, '_>,
    o: &Obj<'_, '_, '_>,
    name: &'static str,
    n: Option<u32>,
    message: &str,
    fix: &str,
) {
    if n == Some(0) {
        at_field(cx, o, name, message, fix);
    }
}

/// Reports at field `name` of `o`: its position and path.
pub(super) fn at_field(
    cx: &mut Cx<'_, '_>,
    o: &Obj<'_, '_, '_>,
    name: &'static str,
    message: impl Into<String>,
    fix: impl Into<String>,
) {
    cx.at(o.pos_of(name), &o.path.field(name), message, fix);
}

/// A directory or subscription id as Microsoft writes one: a GUID,
/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal digits.
pub(super) fn guid<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    v: Value<'r, 'a>,
    path: &Path<'_>,
) -> Option<String> {
    let g = text(cx, v, path)?;
    let groups: Vec<&str> = g.split('-').collect();
    let ok = groups.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()));
    if !ok {
        cx.at(
            v.pos(),
            path,
            format!("`{g}` is not a GUID"),
            "copy it from Microsoft Graph or the Entra admin center, e.g. 331af819-4e0b-49f7-a6bf-14e1165ad3a0",
        );
        return None;
    }
    Some(g)
}
