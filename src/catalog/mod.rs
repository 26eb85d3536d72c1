//! The catalog file: where it is found, how it is read, and every problem in it reported
//! at once with file:line:column, the field, what is wrong and how to fix it.

mod positions;
mod rules;

use crate::domain::{Catalog, CloudBenefit, Offer, Organization, SoftwareBenefit, Tenant, User};
use positions::{IndexError, Pos, Positions};
use serde::de::DeserializeOwned;
use serde_yaml::Value;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

/// The demo catalog, compiled in: `cargo run --release` needs no config.
pub const DEMO_YAML: &str = include_str!("../../config.example.yaml");
pub const DEMO_NAME: &str = "config.example.yaml (embedded demo)";
/// Larger inputs are refused before parsing: a catalog is kilobytes to a few megabytes.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub path: String,
    pub message: String,
    pub fix: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(document)"
        } else {
            &self.path
        };
        write!(
            f,
            "{}:{}:{}: {}: {}\n  fix: {}",
            self.file, self.line, self.column, path, self.message, self.fix
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogErrors(pub Vec<CatalogError>);

impl fmt::Display for CatalogErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the catalog:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogErrors {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    File(PathBuf),
    Demo,
}

/// `--config`, then `BENEFITS_CONFIG`, then `config.yaml` in the user config directory
/// (when it exists), then the embedded demo.
pub fn locate(
    flag: Option<&Path>,
    env_config: Option<&OsStr>,
    config_dir: Option<&Path>,
) -> CatalogSource {
    if let Some(p) = flag {
        return CatalogSource::File(p.to_path_buf());
    }
    if let Some(e) = env_config.filter(|e| !e.is_empty()) {
        return CatalogSource::File(PathBuf::from(e));
    }
    if let Some(dir) = config_dir {
        let p = dir.join("config.yaml");
        if p.is_file() {
            return CatalogSource::File(p);
        }
    }
    CatalogSource::Demo
}

pub fn load(source: &CatalogSource) -> Result<Catalog, CatalogErrors> {
    match source {
        CatalogSource::File(p) => load_file(p),
        CatalogSource::Demo => load_str(DEMO_YAML, DEMO_NAME),
    }
}

/// The embedded demo; a test keeps it valid.
pub fn demo() -> Catalog {
    load_str(DEMO_YAML, DEMO_NAME).expect("the embedded demo catalog is valid")
}

fn one(
    file: &str,
    line: usize,
    column: usize,
    path: &str,
    message: impl Into<String>,
    fix: &str,
) -> CatalogErrors {
    CatalogErrors(vec![CatalogError {
        file: file.into(),
        line,
        column,
        path: path.into(),
        message: message.into(),
        fix: fix.into(),
    }])
}

pub fn load_file(path: &Path) -> Result<Catalog, CatalogErrors> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| {
        one(
            &name,
            1,
            1,
            "",
            format!("cannot read the file: {e}"),
            "check the path given to --config or BENEFITS_CONFIG",
        )
    })?;
    if meta.len() > MAX_BYTES as u64 {
        return Err(too_big(&name, meta.len() as usize));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        one(
            &name,
            1,
            1,
            "",
            format!("cannot read the file: {e}"),
            "check the path and its permissions",
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => load_str(&text, &name),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            Err(one(
                &name,
                line,
                column,
                "",
                format!(
                    "the file is not UTF-8 (invalid byte at offset {})",
                    good.len()
                ),
                "save the file as UTF-8",
            ))
        }
    }
}

fn too_big(name: &str, len: usize) -> CatalogErrors {
    one(
        name,
        1,
        1,
        "",
        format!("the file is {len} bytes; a catalog may be at most {MAX_BYTES} bytes"),
        "split the catalog or remove what it does not need",
    )
}

/// Collects problems with their positions while the sections are read.
pub(crate) struct Report<'a> {
    file: &'a str,
    positions: Positions,
    errors: Vec<CatalogError>,
}

impl Report<'_> {
    pub(crate) fn at(&mut self, path: &str, message: impl Into<String>, fix: impl Into<String>) {
        let Pos { line, column } = self.positions.find(path);
        self.errors.push(CatalogError {
            file: self.file.to_string(),
            line,
            column,
            path: path.to_string(),
            message: message.into(),
            fix: fix.into(),
        });
    }

    fn serde_error(&mut self, base: &str, e: serde_path_to_error::Error<serde_yaml::Error>) {
        let inner = e.path().to_string();
        let path = match (base.is_empty(), inner.as_str()) {
            (_, ".") => base.to_string(),
            (true, p) => p.to_string(),
            (false, p) if p.starts_with('[') => format!("{base}{p}"),
            (false, p) => format!("{base}.{p}"),
        };
        let message = e.inner().to_string();
        let fix = fix_for(&message);
        self.at(&path, message, fix);
    }
}

/// A fix that fits the kind of serde error.
fn fix_for(message: &str) -> String {
    if message.contains("unknown field") {
        "remove it or check its spelling against the expected fields".into()
    } else if message.contains("missing field") {
        "add the field (see config.example.yaml for an example)".into()
    } else if message.contains("expected u32") && message.contains('-') {
        "must be zero or more: write a whole number without a sign".into()
    } else if message.contains("premature end of input")
        || message.contains("input contains invalid characters")
        || message.contains("input is out of range")
        || message.contains("trailing input")
    {
        "write dates as YYYY-MM-DD, a real calendar date (e.g. 2027-06-30)".into()
    } else if message.contains("product key")
        || message.contains("letters or digits")
        || message.contains("dashes")
    {
        "write the key as five groups of five letters or digits: AAAA1-BBBB2-CCCC3-DDDD4-EEEE5"
            .into()
    } else if message.contains("unknown variant") {
        "use one of the listed values".into()
    } else if message.contains("invalid type") {
        "give a value of the expected type".into()
    } else {
        "correct the value".into()
    }
}

fn item<T: DeserializeOwned>(report: &mut Report<'_>, path: &str, value: &Value) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value.clone()) {
        Ok(t) => Some(t),
        Err(e) => {
            report.serde_error(path, e);
            None
        }
    }
}

/// One list section, item by item, so one bad item does not hide the problems of the others.
fn section<T: DeserializeOwned>(
    report: &mut Report<'_>,
    root: &serde_yaml::Mapping,
    name: &str,
) -> Vec<(usize, T)> {
    match root.get(name) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| item(report, &format!("{name}[{i}]"), v).map(|t| (i, t)))
            .collect(),
        Some(_) => {
            report.at(
                name,
                format!("`{name}` must be a list"),
                format!("write `{name}:` followed by `- ` items"),
            );
            Vec::new()
        }
    }
}

/// The `id` of every item of a section, read before typing so that an item with another
/// problem still counts for uniqueness and references.
fn raw_ids(root: &serde_yaml::Mapping, name: &str) -> Vec<(usize, String)> {
    match root.get(name) {
        Some(Value::Sequence(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                v.get("id")
                    .and_then(Value::as_str)
                    .map(|id| (i, id.to_string()))
            })
            .collect(),
        _ => Vec::new(),
    }
}

const SECTIONS: &[&str] = &[
    "organization",
    "user",
    "offers",
    "tenants",
    "cloud_benefits",
    "software_benefits",
];

/// Parse and validate a catalog; `file` names it in errors.
pub fn load_str(text: &str, file: &str) -> Result<Catalog, CatalogErrors> {
    if text.len() > MAX_BYTES {
        return Err(too_big(file, text.len()));
    }
    let positions = match positions::index(text) {
        Ok(p) => p,
        Err(IndexError::TooDeep(p)) => {
            return Err(one(
                file,
                p.line,
                p.column,
                "",
                format!(
                    "the document nests deeper than {} levels",
                    positions::MAX_DEPTH
                ),
                "a catalog is a few levels deep: check for runaway brackets or indentation",
            ));
        }
        Err(IndexError::Syntax { pos, message }) => {
            return Err(one(
                file,
                pos.line,
                pos.column,
                "",
                format!("YAML syntax error: {message}"),
                "fix the YAML syntax at this position (indentation, quotes, a missing colon)",
            ));
        }
    };
    let root: Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        one(
            file,
            line,
            column,
            "",
            format!("YAML error: {e}"),
            "fix the YAML at this position",
        )
    })?;
    let mut report = Report {
        file,
        positions,
        errors: Vec::new(),
    };
    let Value::Mapping(root) = root else {
        report.at("", "the catalog must be a mapping with organization, user, offers, tenants, cloud_benefits and software_benefits", "start from config.example.yaml");
        return Err(CatalogErrors(report.errors));
    };
    for key in root.keys() {
        let name = key.as_str().unwrap_or("?");
        if !SECTIONS.contains(&name) {
            report.at(
                name,
                format!(
                    "unknown section `{name}`, expected one of {}",
                    SECTIONS.join(", ")
                ),
                "remove it or check its spelling",
            );
        }
    }
    let organization: Option<Organization> = match root.get("organization") {
        Some(v) => item(&mut report, "organization", v),
        None => {
            report.at(
                "",
                "missing section `organization`",
                "add organization: {name, partner_id, country, enrollment_year_end}",
            );
            None
        }
    };
    let user: Option<User> = match root.get("user") {
        Some(v) => item(&mut report, "user", v),
        None => {
            report.at(
                "",
                "missing section `user`",
                "add user: {name, email, role, can_view_keys}",
            );
            None
        }
    };
    let offers: Vec<(usize, Offer)> = section(&mut report, &root, "offers");
    let tenants: Vec<(usize, Tenant)> = section(&mut report, &root, "tenants");
    let cloud: Vec<(usize, CloudBenefit)> = section(&mut report, &root, "cloud_benefits");
    let software: Vec<(usize, SoftwareBenefit)> = section(&mut report, &root, "software_benefits");
    let raw = rules::RawIds {
        offers: raw_ids(&root, "offers"),
        tenants: raw_ids(&root, "tenants"),
        cloud: raw_ids(&root, "cloud_benefits"),
        software: raw_ids(&root, "software_benefits"),
    };
    rules::check(&mut report, &raw, &offers, &tenants, &cloud, &software);
    match (organization, user) {
        (Some(organization), Some(user)) if report.errors.is_empty() => Ok(Catalog {
            organization,
            user,
            offers: offers.into_iter().map(|(_, o)| o).collect(),
            tenants: tenants.into_iter().map(|(_, t)| t).collect(),
            cloud_benefits: cloud.into_iter().map(|(_, b)| b).collect(),
            software_benefits: software.into_iter().map(|(_, b)| b).collect(),
        }),
        _ => {
            report.errors.sort_by_key(|e| (e.line, e.column));
            Err(CatalogErrors(report.errors))
        }
    }
}
