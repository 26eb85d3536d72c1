//! The catalog file: where it is found, how it is read, and every problem in it reported
//! at once with file:line:column, the field, what is wrong and how to fix it.
//!
//! Reading goes: size guard → one marked parse (yaml-rust2) that indexes every path's
//! position and refuses runaway nesting → serde_yaml into a `Value` (a syntax error stops
//! here) → each section and each list item deserialized on its own, so one bad item does
//! not hide the others → consistency rules (`rules`) over what deserialized.

mod positions;
mod rules;
pub mod snapshot;

use crate::domain::{
    Catalog, CloudBenefit, Offer, Organization, ProductKey, SoftwareBenefit, Tenant, User,
};
use positions::{IndexError, Pos, Positions};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use serde_yaml::Value;
use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

pub use positions::MAX_DEPTH;

/// The demo catalog, compiled in: `cargo run --release` needs no config.
pub const DEMO_YAML: &str = include_str!("../../config.example.yaml");
/// How the embedded demo is named in messages.
pub const DEMO_NAME: &str = "config.example.yaml (embedded demo)";
/// Larger inputs are refused before parsing: a catalog is kilobytes to a few megabytes.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// A list item with more problems than this stops being examined.
const MAX_PROBLEMS_PER_ITEM: usize = 100;

/// One problem: where (1-based line and column), which field, what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// `cloud_benefits[3].license.keys[1].key`; empty for the document as a whole.
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

/// Every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogErrors(pub Vec<CatalogError>);

impl CatalogErrors {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, CatalogError> {
        self.0.iter()
    }
}

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

/// Where the catalog comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    File(PathBuf),
    Demo,
}

/// `--config`, then `BENEFITS_CONFIG` (when set and not empty), then `config.yaml` in the
/// user config directory (when it exists), then the embedded demo. The caller passes
/// `files::default_config_dir()` as `config_dir`.
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

fn one(file: &str, pos: Pos, path: &str, message: impl Into<String>, fix: &str) -> CatalogErrors {
    CatalogErrors(vec![CatalogError {
        file: file.into(),
        line: pos.line,
        column: pos.column,
        path: path.into(),
        message: message.into(),
        fix: fix.into(),
    }])
}

const START: Pos = Pos { line: 1, column: 1 };

/// Read and validate a catalog file. Bytes that are not UTF-8 are reported with their
/// offset, line and column.
pub fn load_file(path: &Path) -> Result<Catalog, CatalogErrors> {
    let (name, bytes) = read_bytes(path)?;
    load_bytes(bytes, &name)
}

/// A catalog as a start gets it.
#[derive(Debug)]
pub struct Loaded {
    pub catalog: Catalog,
    /// The catalog file's identity (none for the embedded demo): what its snapshot and
    /// checkpoints are made under.
    pub identity: Option<snapshot::Identity>,
    /// Parsed from YAML just now: the caller snapshots it once the data directory exists.
    pub parsed: bool,
    /// Taken from a checkpoint: the ledger is folded in up to `folded.through` already.
    pub folded: Option<snapshot::Folded>,
}

/// `load`, taking the catalog from its snapshot in `dir` when the file is byte for byte the
/// one `build` validated before. The embedded demo is small and never snapshotted. With
/// `checkpoint`, a checkpoint of the same file is taken before the snapshot: the caller
/// then folds only the ledger's entries after it (and checks that the ledger still holds
/// what it was folded from). `before_parse(bytes)` is called when there is no snapshot and
/// the YAML is about to be parsed (a large one takes seconds), so the caller can say so.
pub fn load_with_snapshot(
    source: &CatalogSource,
    dir: &Path,
    build: &str,
    checkpoint: bool,
    before_parse: impl FnOnce(&Path, u64),
) -> Result<Loaded, CatalogErrors> {
    let CatalogSource::File(path) = source else {
        return load(source).map(|catalog| Loaded {
            catalog,
            identity: None,
            parsed: false,
            folded: None,
        });
    };
    // Hashing a large file and decoding its snapshot take about as long: do both at once.
    let (identity, state) = std::thread::scope(|s| {
        let file = s.spawn(|| {
            let identity = hash_file(path, build);
            crate::startup_trace::mark("catalog file hashed");
            identity
        });
        let state = match checkpoint.then(|| snapshot::read_state_any(dir)).flatten() {
            Some(state) => (Some(state), true),
            None => (snapshot::read_any(dir), false),
        };
        if state.0.is_some() {
            crate::startup_trace::mark("snapshot decoded");
        }
        (file.join(), state)
    });
    let (state, from_checkpoint) = state;
    let identity = identity.map_err(|_| {
        one(
            &path.display().to_string(),
            START,
            "",
            "reading the file failed unexpectedly",
            "try again; if it persists, check the file and the disk",
        )
    })??;
    // A checkpoint of another catalog is no use, but the snapshot may still be.
    let opened = state.and_then(|s| s.open_folded(&identity)).or_else(|| {
        from_checkpoint
            .then(|| snapshot::read_any(dir)?.open_folded(&identity))
            .flatten()
    });
    if let Some((catalog, folded)) = opened {
        crate::startup_trace::mark(if folded.is_some() {
            "checkpoint opened"
        } else {
            "snapshot opened"
        });
        return Ok(Loaded {
            catalog,
            identity: Some(identity),
            parsed: false,
            folded,
        });
    }
    // No snapshot of these bytes: read them (again, in case the file changed since it was
    // hashed) and snapshot what is parsed under the identity of exactly those bytes.
    let (name, bytes) = read_bytes(path)?;
    before_parse(path, bytes.len() as u64);
    let identity = snapshot::Identity::of(&bytes, build);
    let text = decode_utf8(bytes, &name)?;
    let catalog = load_str(&text, &name)?;
    crate::startup_trace::mark("catalog parsed from YAML");
    Ok(Loaded {
        catalog,
        identity: Some(identity),
        parsed: true,
        folded: None,
    })
}

/// The identity of the file's bytes, read in small pieces; refused like `read_bytes`
/// refuses (unreadable, too big) so both paths report the same errors.
fn hash_file(path: &Path, build: &str) -> Result<snapshot::Identity, CatalogErrors> {
    let name = path.display().to_string();
    let cannot_read = cannot_read(&name);
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let len = file.metadata().map_err(cannot_read)?.len();
    if len > MAX_BYTES as u64 {
        return Err(too_big(&name, len));
    }
    snapshot::Identity::of_reader(file, build).map_err(cannot_read)
}

fn cannot_read(name: &str) -> impl Fn(std::io::Error) -> CatalogErrors + Copy + '_ {
    move |e| {
        one(
            name,
            START,
            "",
            format!("cannot read the file: {e}"),
            "check the path given to --config or BENEFITS_CONFIG, and its permissions",
        )
    }
}

fn read_bytes(path: &Path) -> Result<(String, Vec<u8>), CatalogErrors> {
    let name = path.display().to_string();
    let cannot_read = cannot_read(&name);
    let meta = std::fs::metadata(path).map_err(cannot_read)?;
    if meta.len() > MAX_BYTES as u64 {
        return Err(too_big(&name, meta.len()));
    }
    let bytes = std::fs::read(path).map_err(cannot_read)?;
    Ok((name, bytes))
}

/// Validate a catalog given as the bytes of file `name`: its size, UTF-8, then `load_str`.
pub fn load_bytes(bytes: Vec<u8>, name: &str) -> Result<Catalog, CatalogErrors> {
    if bytes.len() > MAX_BYTES {
        return Err(too_big(name, bytes.len() as u64));
    }
    let text = decode_utf8(bytes, name)?;
    load_str(&text, name)
}

fn decode_utf8(bytes: Vec<u8>, name: &str) -> Result<String, CatalogErrors> {
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        // Valid up to here, so the line so far decodes; count characters, not bytes.
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        one(
            name,
            Pos { line, column },
            "",
            format!(
                "the file is not UTF-8: invalid byte 0x{:02X} at offset {}",
                e.as_bytes()[good.len()],
                good.len()
            ),
            "save the file as UTF-8 (e.g. convert it from Latin-1 or Windows-1252)",
        )
    })
}

fn too_big(name: &str, len: u64) -> CatalogErrors {
    one(
        name,
        START,
        "",
        format!("the file is {len} bytes; a catalog may be at most {MAX_BYTES} bytes"),
        "split the catalog or remove what it does not need",
    )
}

/// Collects problems with their positions while the sections are read and checked.
pub(crate) struct Report<'a> {
    file: &'a str,
    positions: Positions,
    errors: Vec<CatalogError>,
}

impl Report<'_> {
    /// A problem with the value at `path`.
    pub(crate) fn at(&mut self, path: &str, message: impl Into<String>, fix: impl Into<String>) {
        let pos = self.positions.find(path);
        self.push(pos, path, message.into(), fix.into());
    }

    /// A problem with the key of the entry at `path` (unknown field or section).
    fn at_key(&mut self, path: &str, message: impl Into<String>, fix: impl Into<String>) {
        let pos = self.positions.find_key(path);
        self.push(pos, path, message.into(), fix.into());
    }

    fn push(&mut self, pos: Pos, path: &str, message: String, fix: String) {
        self.errors.push(CatalogError {
            file: self.file.to_string(),
            line: pos.line,
            column: pos.column,
            path: path.to_string(),
            message,
            fix,
        });
    }
}

const CHRONO_PARSE_ERRORS: &[&str] = &[
    "input is out of range",
    "input contains invalid characters",
    "premature end of input",
    "trailing input",
    "no possible date and time matching input",
    "input is not enough for unique date and time",
];

/// A short rendering of a scalar for messages.
fn shown(raw: Option<&Value>) -> String {
    match raw {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Null) => "nothing".into(),
        Some(Value::Sequence(_)) => "a list".into(),
        Some(Value::Mapping(_)) => "a mapping".into(),
        Some(Value::Tagged(t)) => format!("a value tagged {}", t.tag),
        None => "?".into(),
    }
}

/// Message and fix for a deserialization error, from serde's message and the raw value.
fn describe(msg: &str, raw: Option<&Value>, field: &str) -> (String, String) {
    let field = if field.is_empty() { "the value" } else { field };
    if msg.starts_with("unknown field") {
        return (msg.into(), "remove it or check its spelling".into());
    }
    if msg.starts_with("missing field") {
        return (
            msg.into(),
            "add the field (config.example.yaml documents every field)".into(),
        );
    }
    if let Some(Value::String(s)) = raw
        && let Err(e) = ProductKey::parse(s)
        && msg == e.to_string()
    {
        return (
            format!("malformed product key: {e}"),
            "write the key as five groups of five letters or digits: AAAA1-BBBB2-CCCC3-DDDD4-EEEE5"
                .into(),
        );
    }
    if msg.contains("formatted date string") || CHRONO_PARSE_ERRORS.contains(&msg) {
        let why = if msg.contains("formatted date string") {
            String::new()
        } else {
            format!(" ({msg})")
        };
        return (
            format!("expected a date YYYY-MM-DD, found `{}`{why}", shown(raw)),
            "write a real calendar date as YYYY-MM-DD, e.g. 2027-06-30".into(),
        );
    }
    if msg.ends_with("expected u32") {
        return if msg.starts_with("invalid value: integer `-") {
            (
                format!("`{field}` must be zero or more, found {}", shown(raw)),
                "write a whole number of 0 or more, without a minus sign".into(),
            )
        } else if msg.starts_with("invalid value: integer") {
            (
                format!(
                    "`{field}` must be at most {}, found {}",
                    u32::MAX,
                    shown(raw)
                ),
                "write a smaller whole number".into(),
            )
        } else {
            (
                format!("`{field}` must be a whole number, found {}", shown(raw)),
                "write a whole number of 0 or more, e.g. 25".into(),
            )
        };
    }
    if msg.starts_with("unknown variant") {
        return (msg.into(), "use one of the listed values".into());
    }
    if msg.starts_with("invalid type") && msg.ends_with("expected a string") {
        return (
            msg.into(),
            "put the value in quotes, e.g. \"4876213\" (YAML reads bare digits as a number)".into(),
        );
    }
    if msg.starts_with("invalid type") {
        return (
            msg.into(),
            "give a value of the expected type (see config.example.yaml)".into(),
        );
    }
    (msg.into(), "correct the value".into())
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn missing_field(msg: &str) -> Option<&str> {
    msg.strip_prefix("missing field `")?.split('`').next()
}

/// The value at `segs` inside `v`.
fn value_at<'v>(v: &'v Value, segs: &[Segment]) -> Option<&'v Value> {
    segs.iter().try_fold(v, |v, s| match s {
        Segment::Seq { index } => v.as_sequence()?.get(*index),
        Segment::Map { key } => v.as_mapping()?.get(key.as_str()),
        _ => None,
    })
}

/// Remove the node at `segs` from `v`; false when it cannot be found.
fn remove_at(v: &mut Value, segs: &[Segment]) -> bool {
    let Some((last, parent)) = segs.split_last() else {
        return false;
    };
    let mut cur = v;
    for s in parent {
        let next = match s {
            Segment::Seq { index } => cur.as_sequence_mut().and_then(|q| q.get_mut(*index)),
            Segment::Map { key } => cur.as_mapping_mut().and_then(|m| m.get_mut(key.as_str())),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
    match last {
        Segment::Seq { index } => match cur.as_sequence_mut() {
            Some(q) if *index < q.len() => {
                q.remove(*index);
                true
            }
            _ => false,
        },
        Segment::Map { key } => cur
            .as_mapping_mut()
            // shift_remove keeps document order, so problems are found in reading order.
            .is_some_and(|m| m.shift_remove(key.as_str()).is_some()),
        _ => false,
    }
}

/// What the repair loop has taken out of an item, to map paths back to the original.
#[derive(Default)]
struct Removed {
    /// Original path of a sequence → original indices removed from it.
    elements: HashMap<String, Vec<usize>>,
    /// Original paths of removed mapping entries.
    fields: HashSet<String>,
}

impl Removed {
    /// The original path for a path into the repaired value.
    fn original(&self, base: &str, segs: &[Segment]) -> Option<String> {
        let mut path = base.to_string();
        for s in segs {
            match s {
                Segment::Map { key } => path = join(&path, key),
                Segment::Seq { index } => {
                    let gone = self.elements.get(&path);
                    let orig = (0..)
                        .filter(|i| gone.is_none_or(|g| !g.contains(i)))
                        .nth(*index)?;
                    path = format!("{path}[{orig}]");
                }
                _ => return None,
            }
        }
        Some(path)
    }

    fn note(&mut self, orig: &str, last: &Segment) {
        match last {
            Segment::Map { .. } => {
                self.fields.insert(orig.to_string());
            }
            Segment::Seq { .. } => {
                if let Some(i) = orig.rfind('[') {
                    let index = orig[i + 1..orig.len() - 1].parse().unwrap_or(usize::MAX);
                    self.elements
                        .entry(orig[..i].to_string())
                        .or_default()
                        .push(index);
                }
            }
            _ => {}
        }
    }
}

/// Deserialize one item, reporting every problem in it: after each error the offending
/// node is taken out and the item read again, until it reads or nothing more can be
/// taken out. A "missing field" that only follows from such a removal is not reported
/// (its cause already was); the structure lacking it is taken out in turn.
/// Returns the item only when it had no problem at all.
fn item<T: DeserializeOwned>(report: &mut Report<'_>, base: &str, value: &Value) -> Option<T> {
    let mut v = value.clone();
    let mut removed = Removed::default();
    let mut problems = 0;
    while problems < MAX_PROBLEMS_PER_ITEM {
        let e = match serde_path_to_error::deserialize::<_, T>(v.clone()) {
            Ok(t) => return (problems == 0).then_some(t),
            Err(e) => e,
        };
        let segs: Vec<Segment> = e.path().iter().cloned().collect();
        let orig = removed.original(base, &segs);
        let path = orig.as_deref().unwrap_or(base);
        let msg = e.inner().to_string();
        let missing = missing_field(&msg);
        let artifact = missing.is_some_and(|f| removed.fields.contains(&join(path, f)));
        if !artifact {
            problems += 1;
            let field = match segs.last() {
                Some(Segment::Map { key }) => key.as_str(),
                _ => "",
            };
            let (message, fix) = describe(&msg, value_at(&v, &segs), field);
            if msg.starts_with("unknown field") || missing.is_some() {
                report.at_key(path, message, fix);
            } else {
                report.at(path, message, fix);
            }
        }
        let (Some(orig), Some(last)) = (orig, segs.last()) else {
            break;
        };
        if !remove_at(&mut v, &segs) {
            break;
        }
        removed.note(&orig, last);
    }
    None
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
        Some(other) => {
            report.at(
                name,
                format!("`{name}` must be a list, found {}", shown(Some(other))),
                format!("write `{name}:` followed by `- ` items"),
            );
            Vec::new()
        }
    }
}

/// The `id` of every item of a section, read before typing so that an item with another
/// problem still counts for uniqueness and references. `complete` is false when some
/// item has no readable id: references into the section are then not checked, as a
/// reference to that item would be reported wrongly.
fn raw_ids(root: &serde_yaml::Mapping, name: &str) -> rules::Ids {
    let items = match root.get(name) {
        Some(Value::Sequence(items)) => items.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            return rules::Ids {
                ids: Vec::new(),
                complete: false,
            };
        }
    };
    let ids: Vec<(usize, String)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.get("id")
                .and_then(Value::as_str)
                .map(|id| (i, id.to_string()))
        })
        .collect();
    rules::Ids {
        complete: ids.len() == items.len(),
        ids,
    }
}

const SECTIONS: &[&str] = &[
    "organization",
    "user",
    "offers",
    "tenants",
    "cloud_benefits",
    "software_benefits",
    "language",
];

/// Parse with serde_yaml; its syntax errors carry their own position.
fn parse_value(text: &str, file: &str) -> Result<Value, CatalogErrors> {
    serde_yaml::from_str(text).map_err(|e| {
        let pos = e.location().map_or(START, |l| Pos {
            line: l.line(),
            column: l.column(),
        });
        // The position leads the line already.
        let msg = e.to_string().replacen(
            &format!(" at line {} column {}", pos.line, pos.column),
            "",
            1,
        );
        one(
            file,
            pos,
            "",
            format!("YAML syntax error: {msg}"),
            "fix the YAML at this position (indentation, quotes, a missing colon or bracket)",
        )
    })
}

/// Parse and validate a catalog; `file` names it in errors.
pub fn load_str(text: &str, file: &str) -> Result<Catalog, CatalogErrors> {
    if text.len() > MAX_BYTES {
        return Err(too_big(file, text.len() as u64));
    }
    match load_valid(text, file) {
        Some(catalog) => Ok(catalog),
        None => load_reporting(text, file),
    }
}

/// The common case, a valid catalog, in one typed parse and the rules: about ten times
/// faster than `load_reporting` and without its position index. `None` as soon as
/// anything is wrong; `load_reporting` then finds every problem and where it stands.
fn load_valid(text: &str, file: &str) -> Option<Catalog> {
    // serde_yaml slows down with the square of flow nesting ([[[[...); the marked parse of
    // `load_reporting` refuses such a document at once, so it goes there.
    if flow_depth(text) > MAX_DEPTH {
        return None;
    }
    let catalog: Catalog = serde_yaml::from_str(text).ok()?;
    if catalog
        .language
        .as_deref()
        .is_some_and(|l| crate::i18n::Lang::parse(l).is_none())
    {
        return None;
    }
    let Catalog {
        organization,
        user,
        offers,
        tenants,
        cloud_benefits,
        software_benefits,
        language,
    } = catalog;
    let offers: Vec<(usize, Offer)> = offers.into_iter().enumerate().collect();
    let tenants: Vec<(usize, Tenant)> = tenants.into_iter().enumerate().collect();
    let cloud: Vec<(usize, CloudBenefit)> = cloud_benefits.into_iter().enumerate().collect();
    let software: Vec<(usize, SoftwareBenefit)> =
        software_benefits.into_iter().enumerate().collect();
    let raw = rules::RawIds {
        offers: typed_ids(&offers, |o| &o.id),
        tenants: typed_ids(&tenants, |t| &t.id),
        cloud: typed_ids(&cloud, |b| &b.id),
        software: typed_ids(&software, |b| &b.id),
    };
    let mut report = Report {
        file,
        positions: Positions::default(),
        errors: Vec::new(),
    };
    rules::check(
        &mut report,
        &raw,
        &rules::Parts {
            organization: Some(&organization),
            user: Some(&user),
            offers: &offers,
            tenants: &tenants,
            cloud: &cloud,
            software: &software,
        },
    );
    report.errors.is_empty().then(|| Catalog {
        organization,
        user,
        offers: unindex(offers),
        tenants: unindex(tenants),
        cloud_benefits: unindex(cloud),
        software_benefits: unindex(software),
        language,
    })
}

fn unindex<T>(items: Vec<(usize, T)>) -> Vec<T> {
    items.into_iter().map(|(_, t)| t).collect()
}

/// The deepest nesting of flow brackets (`[`, `{`) outside quotes and comments. Exact for
/// well-formed YAML; on anything else it may over-count, which only costs speed.
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut bytes = text.bytes().peekable();
    let mut previous = b'\n';
    while let Some(b) = bytes.next() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => {
                while let Some(c) = bytes.next() {
                    match c {
                        b'\\' => {
                            bytes.next();
                        }
                        b'"' => break,
                        _ => {}
                    }
                }
            }
            // A quote inside a word (it's) is an apostrophe, not a quoted scalar.
            b'\'' if !previous.is_ascii_alphanumeric() => {
                while let Some(c) = bytes.next() {
                    // '' is an escaped quote inside single quotes.
                    if c == b'\'' && bytes.next_if_eq(&b'\'').is_none() {
                        break;
                    }
                }
            }
            b'#' if previous.is_ascii_whitespace() => {
                while bytes.next_if(|c| *c != b'\n').is_some() {}
            }
            _ => {}
        }
        previous = b;
    }
    deepest
}

fn typed_ids<T>(items: &[(usize, T)], id: impl Fn(&T) -> &String) -> rules::Ids {
    rules::Ids {
        ids: items.iter().map(|(i, t)| (*i, id(t).clone())).collect(),
        complete: true,
    }
}

/// Every problem of a catalog, each at its file:line:column: a marked parse indexes the
/// positions, then each section and item is read on its own.
fn load_reporting(text: &str, file: &str) -> Result<Catalog, CatalogErrors> {
    let (positions, root) = match positions::index(text) {
        Ok(p) => (p, parse_value(text, file)?),
        Err(IndexError::TooDeep(p)) => {
            return Err(one(
                file,
                p,
                "",
                format!("the document nests deeper than {MAX_DEPTH} levels"),
                "a catalog is a few levels deep: check for runaway brackets or indentation",
            ));
        }
        // serde_yaml decides what is a syntax error (and says where); should it read what
        // yaml-rust2 did not, go on with the positions indexed so far.
        Err(IndexError::Syntax { partial }) => (partial, parse_value(text, file)?),
    };
    let mut report = Report {
        file,
        positions,
        errors: Vec::new(),
    };
    let Value::Mapping(root) = root else {
        report.at(
            "",
            format!(
                "the catalog must be a mapping with the sections {}; found {}",
                SECTIONS.join(", "),
                shown(Some(&root))
            ),
            "start from config.example.yaml",
        );
        return Err(CatalogErrors(report.errors));
    };
    for key in root.keys() {
        let name = match key {
            Value::String(s) => s.clone(),
            other => shown(Some(other)),
        };
        if !SECTIONS.contains(&name.as_str()) {
            report.at_key(
                &name,
                format!(
                    "unknown section `{name}`, expected one of {}",
                    SECTIONS.join(", ")
                ),
                "remove it or check its spelling",
            );
        }
    }
    let required = |report: &mut Report<'_>, name: &str, fix: &str| match root.get(name) {
        Some(v) => Some(v.clone()),
        None => {
            report.at("", format!("missing section `{name}`"), fix);
            None
        }
    };
    let organization = required(
        &mut report,
        "organization",
        "add organization: with name, partner_id, country and enrollment_year_end",
    );
    let user = required(
        &mut report,
        "user",
        "add user: with name, email, role and can_view_keys",
    );
    let organization: Option<Organization> =
        organization.and_then(|v| item(&mut report, "organization", &v));
    let user: Option<User> = user.and_then(|v| item(&mut report, "user", &v));
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
    let parts = rules::Parts {
        organization: organization.as_ref(),
        user: user.as_ref(),
        offers: &offers,
        tenants: &tenants,
        cloud: &cloud,
        software: &software,
    };
    rules::check(&mut report, &raw, &parts);
    let language = match root.get("language") {
        None | Some(Value::Null) => None,
        Some(Value::String(l)) if crate::i18n::Lang::parse(l).is_some() => Some(l.clone()),
        Some(other) => {
            report.at(
                "language",
                format!(
                    "unknown language {}",
                    serde_yaml::to_string(other).unwrap_or_default().trim()
                ),
                "write one of en-US, nl-NL, sv-SE, or remove `language`",
            );
            None
        }
    };
    match (organization, user) {
        (Some(organization), Some(user)) if report.errors.is_empty() => Ok(Catalog {
            organization,
            user,
            offers: offers.into_iter().map(|(_, o)| o).collect(),
            tenants: tenants.into_iter().map(|(_, t)| t).collect(),
            cloud_benefits: cloud.into_iter().map(|(_, b)| b).collect(),
            software_benefits: software.into_iter().map(|(_, b)| b).collect(),
            language,
        }),
        _ => {
            report.errors.sort_by_key(|e| (e.line, e.column));
            Err(CatalogErrors(report.errors))
        }
    }
}

#[cfg(test)]
mod tests;
