//! One pass over the document that reads every section into catalog types and collects
//! every problem: types, unknown and repeated fields, values out of range, then the rules
//! across items. The root mapping and the list sections are streamed (see `document`), so
//! a 100k-benefit catalog is read one benefit at a time.

mod benefits;
mod caps;
mod fields;
mod graph;
mod rules;
mod schema;
mod value;

pub use fields::MAX_COUNT;
pub use schema::{CLOUD_WALKTHROUGHS, SOFTWARE_WALKTHROUGHS};

use super::diagnostics::{CatalogErrors, Path, Pos, Report};
use super::document::{Arena, Fatal, MAX_DEPTH, Next, Reader};
use crate::domain::{Catalog, Organization, User};
use fields::{Cx, Value, shown, text};
use rules::{Ids, Listed, Spans};

/// Every mapping the validator reads and the fields it accepts there, by where the mapping
/// stands (`[]` is any item of a list): what the catalog's JSON Schema is kept in step with.
pub const MAPPINGS: &[(&str, &[&str])] = &[
    ("", SECTIONS),
    ("organization", schema::ORGANIZATION),
    ("user", schema::USER),
    ("offers[]", schema::OFFER),
    ("organization.locations[]", caps::LOCATION),
    ("license_caps[]", caps::CAP),
    ("tenants[]", schema::TENANT),
    ("tenants[].users[]", schema::DIRECTORY_USER),
    ("cloud_benefits[]", benefits::CLOUD),
    ("cloud_benefits[].license", benefits::LICENSE),
    ("cloud_benefits[].license.keys[]", benefits::CLOUD_KEY),
    (
        "cloud_benefits[].license.subscriptions[]",
        benefits::SUBSCRIPTION,
    ),
    ("cloud_benefits[].credit", benefits::CREDIT),
    ("software_benefits[]", benefits::SOFTWARE),
    ("software_benefits[].editions[]", benefits::EDITION),
    ("software_benefits[].keys[]", benefits::SOFTWARE_KEY),
];

const SECTIONS: &[&str] = &[
    "organization",
    "user",
    "offers",
    "tenants",
    "cloud_benefits",
    "software_benefits",
    "language",
    "license_caps",
];

/// What the sections read so far hold.
#[derive(Default)]
struct Read {
    organization: Option<Organization>,
    user: Option<User>,
    language: Option<String>,
    license_caps: Vec<crate::domain::LicenseCap>,
    offers: Listed<crate::domain::Offer, (usize, Pos)>,
    tenants: Listed<crate::domain::Tenant, (usize, rules::TenantMeta)>,
    cloud: Listed<crate::domain::CloudBenefit, rules::CloudMeta>,
    software: Listed<crate::domain::SoftwareBenefit, rules::SoftwareMeta>,
    spans: Spans,
}

/// Read and check the catalog in `text`; `file` names it in problems.
pub fn catalog(text: &str, file: &str) -> Result<Catalog, CatalogErrors> {
    let mut report = Report::new(file);
    let mut read = Read::default();
    let mut reader = Reader::new(text);
    // A benefit takes a few hundred bytes of YAML: reserved once, the lists never grow by
    // doubling (a copy of the largest part of a 100k catalog). What is never filled is
    // never touched, so it costs no memory.
    read.cloud.items.reserve(text.len() / 256);
    read.software.items.reserve(text.len() / 256);
    let root = match document(&mut reader, &mut report, &mut read) {
        Ok(root) => root,
        Err(fatal) => {
            // What was found before it still stands; what it cut off is not judged.
            let (pos, message, fix) = match fatal {
                Fatal::Syntax { pos, message } => (
                    pos,
                    format!("YAML syntax error: {message}"),
                    "fix the YAML at this position (indentation, quotes, a missing colon or bracket)",
                ),
                Fatal::TooDeep(pos) => (
                    pos,
                    format!("the document nests deeper than {MAX_DEPTH} levels"),
                    "a catalog is a few levels deep: check for runaway brackets or indentation",
                ),
                Fatal::SecondDocument(pos) => (
                    pos,
                    "a second YAML document starts here; a catalog is one document".into(),
                    "remove this `---` and what follows it, or merge it into the first document",
                ),
            };
            report.at(pos, &"", message, fix);
            return Err(report.finish());
        }
    };
    let Some(root) = root else {
        return Err(report.finish());
    };
    for (name, fix) in [
        (
            "organization",
            "add organization: with name, partner_id, country and enrollment_year_end",
        ),
        ("user", "add user: with name, email, role and can_view_keys"),
    ] {
        let missing = match name {
            "organization" => read.organization.is_none() && !root.seen(name),
            _ => read.user.is_none() && !root.seen(name),
        };
        if missing {
            report.at(root.pos, &"", format!("missing section `{name}`"), fix);
        }
    }
    rules::check(
        &mut report,
        &rules::Parts {
            offers: &read.offers,
            tenants: &read.tenants,
            cloud: &read.cloud,
            software: &read.software,
            spans: &read.spans,
        },
    );
    let tenants: Vec<_> = (read.tenants.items.iter())
        .map(|(t, (i, m))| (t, *i, m.location))
        .collect();
    caps::check(&mut report, read.organization.as_ref(), &tenants);
    match (read.organization, read.user) {
        (Some(organization), Some(user)) if report.is_empty() => Ok(Catalog {
            organization,
            user,
            // Collected in place: the items' places are dropped without a second copy.
            offers: read.offers.items.into_iter().map(|(o, _)| o).collect(),
            tenants: read.tenants.items.into_iter().map(|(t, _)| t).collect(),
            cloud_benefits: read.cloud.items.into_iter().map(|(b, _)| b).collect(),
            software_benefits: read.software.items.into_iter().map(|(b, _)| b).collect(),
            language: read.language,
            license_caps: read.license_caps,
        }),
        _ => Err(report.finish()),
    }
}

/// The root mapping as read: where it stands and which sections it has.
struct Root {
    pos: Pos,
    sections: u32,
}

impl Root {
    fn seen(&self, name: &str) -> bool {
        SECTIONS
            .iter()
            .position(|s| *s == name)
            .is_some_and(|i| self.sections & (1 << i) != 0)
    }
}

/// The document, section by section. `Ok(None)` when it is not a mapping (reported).
fn document<'a>(
    reader: &mut Reader<'a>,
    report: &mut Report,
    read: &mut Read,
) -> Result<Option<Root>, Fatal> {
    let mut arena = Arena::default();
    let (pos, map) = match reader.next()? {
        Next::End => (None, false),
        Next::Node {
            pos,
            collection,
            seq,
        } => (Some(pos), collection && !seq),
    };
    let not_a_mapping = |report: &mut Report, pos: Pos, found: &str| {
        report.at(
            pos,
            &"",
            format!(
                "the catalog must be a mapping with the sections {}; found {found}",
                SECTIONS.join(", ")
            ),
            "start from config.example.yaml",
        );
    };
    let Some(pos) = pos else {
        not_a_mapping(report, Pos::START, "nothing");
        return Ok(None);
    };
    if !map {
        let id = reader.read(&mut arena)?;
        not_a_mapping(report, pos, &shown(Value::new(&arena, id)));
        return Ok(None);
    }
    reader.enter()?;
    let mut root = Root { pos, sections: 0 };
    let mut keys: Vec<(String, Pos)> = Vec::new();
    while !reader.end()? {
        arena.clear();
        let key = reader.read(&mut arena)?;
        let key_pos = arena.get(key).pos;
        let name = Value::new(&arena, key).text().unwrap_or("?").to_owned();
        let index = SECTIONS.iter().position(|s| *s == name);
        if let Some(first) = keys.iter().find(|(k, _)| *k == name).map(|(_, p)| *p) {
            report.at(
                key_pos,
                &name,
                format!(
                    "duplicate section `{name}` (first at line {}, column {})",
                    first.line, first.column
                ),
                "keep one of them: a section may appear once",
            );
            arena.clear();
            reader.read(&mut arena)?;
            continue;
        }
        keys.push((name.clone(), key_pos));
        let Some(index) = index else {
            report.at(
                key_pos,
                &name,
                format!(
                    "unknown section `{name}`, expected one of {}",
                    SECTIONS.join(", ")
                ),
                "remove it or check its spelling",
            );
            arena.clear();
            reader.read(&mut arena)?;
            continue;
        };
        root.sections |= 1 << index;
        section(reader, report, read, &mut arena, SECTIONS[index])?;
    }
    reader.finish()?;
    Ok(Some(root))
}

/// Read one section's value.
fn section<'a>(
    reader: &mut Reader<'a>,
    report: &mut Report,
    read: &mut Read,
    arena: &mut Arena<'a>,
    name: &'static str,
) -> Result<(), Fatal> {
    let path = Path::Root;
    let path = path.field(name);
    let listed = matches!(
        name,
        "offers" | "tenants" | "cloud_benefits" | "software_benefits"
    );
    if listed && matches!(reader.next()?, Next::Node { seq: true, .. }) {
        reader.enter()?;
        let mut i = 0;
        while !reader.end()? {
            arena.clear();
            let id = reader.read(arena)?;
            let item = path.item(i);
            let mut cx = Cx { report, reader };
            list_item(&mut cx, read, Value::new(arena, id), &item, name, i);
            i += 1;
        }
        return Ok(());
    }
    // A section read whole, or something else where a list belongs.
    arena.clear();
    let id = reader.read(arena)?;
    let v = Value::new(arena, id);
    let mut cx = Cx { report, reader };
    match name {
        "organization" => {
            read.organization = cx
                .resolve(v, &path)
                .and_then(|v| schema::organization(&mut cx, v, &path))
        }
        "user" => {
            read.user = cx
                .resolve(v, &path)
                .and_then(|v| schema::user(&mut cx, v, &path))
        }
        "license_caps" => {
            read.license_caps = match cx.resolve(v, &path) {
                Some(v) => fields::seq(&mut cx, v, &path, caps::cap).unwrap_or_default(),
                None => Vec::new(),
            }
        }
        "language" => {
            read.language = match cx.resolve(v, &path) {
                Some(v) if v.is_null() => None,
                Some(v) => text(&mut cx, v, &path).and_then(|l| {
                    if crate::i18n::Lang::parse(&l).is_some() {
                        return Some(l);
                    }
                    cx.at(
                        v.pos(),
                        &path,
                        format!("unknown language `{l}`"),
                        "write one of en-US, nl-NL, sv-SE, or remove `language`",
                    );
                    None
                }),
                None => None,
            }
        }
        _ => {
            // A list section written as something else (or an alias to a list).
            let Some(v) = cx.resolve(v, &path) else {
                incomplete(read, name);
                return Ok(());
            };
            if v.is_null() {
                return Ok(());
            }
            match fields::seq(&mut cx, v, &path, |_, v, _| Some(v)) {
                Some(items) => {
                    for (i, item) in items.into_iter().enumerate() {
                        list_item(&mut cx, read, item, &path.item(i), name, i);
                    }
                }
                None => incomplete(read, name),
            }
        }
    }
    Ok(())
}

/// A list section whose items could not be read: references into it are not checked.
fn incomplete(read: &mut Read, name: &str) {
    let ids = match name {
        "offers" => &mut read.offers.ids,
        "tenants" => &mut read.tenants.ids,
        "cloud_benefits" => &mut read.cloud.ids,
        _ => &mut read.software.ids,
    };
    ids.complete = false;
}

/// The id of an item, read without judging it (for an item that failed to read).
fn raw_id(v: Value<'_, '_>) -> Option<(String, Pos)> {
    let id = v.field("id")?;
    Some((id.text()?.to_owned(), id.pos()))
}

fn note_id(ids: &mut Ids, i: usize, id: Option<(String, Pos)>) {
    match id {
        Some((id, pos)) => ids.failed.push((i, id, pos)),
        None => ids.complete = false,
    }
}

/// One item of a list section.
fn list_item<'r, 'a>(
    cx: &mut Cx<'r, 'a>,
    read: &mut Read,
    v: Value<'r, 'a>,
    path: &Path<'_>,
    name: &str,
    i: usize,
) {
    let raw = || raw_id(v);
    match name {
        "offers" => match schema::offer(cx, v, path) {
            Some((o, pos)) => read.offers.items.push((o, (i, pos))),
            None => note_id(&mut read.offers.ids, i, raw()),
        },
        "tenants" => match schema::tenant(cx, v, path) {
            Some((t, meta)) => read.tenants.items.push((t, (i, meta))),
            None => note_id(&mut read.tenants.ids, i, raw()),
        },
        "cloud_benefits" => match benefits::cloud(cx, v, path, &mut read.spans) {
            Some((b, mut meta)) => {
                meta.item = i;
                read.cloud.items.push((b, meta));
            }
            None => note_id(&mut read.cloud.ids, i, raw()),
        },
        _ => match benefits::software(cx, v, path, &mut read.spans) {
            Some((b, mut meta)) => {
                meta.item = i;
                read.software.items.push((b, meta));
            }
            None => note_id(&mut read.software.ids, i, raw()),
        },
    }
}
