//! What a refused catalog is told: every problem with file:line:column, the field path,
//! what is wrong and how to fix it. Catalog text quoted in a problem is shown with its
//! control and bidi characters escaped (`\u{1b}`), so a hostile catalog cannot drive the
//! terminal that reads the report.

use crate::domain::text::is_unsafe;
use std::fmt;

/// 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
}

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

/// `s` with every control and bidi character written as a `\u{…}` escape.
pub fn escaped(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if is_unsafe(c) {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
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
            escaped(&self.file),
            self.line,
            self.column,
            escaped(path),
            escaped(&self.message),
            escaped(&self.fix)
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

/// A report of one problem.
pub fn one(
    file: &str,
    pos: Pos,
    path: &str,
    message: impl Into<String>,
    fix: &str,
) -> CatalogErrors {
    CatalogErrors(vec![CatalogError {
        file: file.into(),
        line: pos.line,
        column: pos.column,
        path: path.into(),
        message: message.into(),
        fix: fix.into(),
    }])
}

/// Where a value stands in the catalog, built as the reading descends and written out only
/// when a problem needs it: a valid catalog never formats a path.
#[derive(Clone, Copy)]
pub enum Path<'p> {
    Root,
    Field(&'p Path<'p>, &'p str),
    Item(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    pub fn field(&'p self, name: &'p str) -> Path<'p> {
        Path::Field(self, name)
    }

    pub fn item(&'p self, index: usize) -> Path<'p> {
        Path::Item(self, index)
    }

    /// The last field name on the path (`licenses` of `keys[0].licenses`).
    pub fn name(&self) -> &'p str {
        match self {
            Path::Root => "",
            Path::Field(_, name) => name,
            Path::Item(parent, _) => parent.name(),
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Item(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Problems collected in one pass over a catalog.
pub struct Report {
    file: String,
    errors: Vec<CatalogError>,
}

impl Report {
    pub fn new(file: &str) -> Report {
        Report {
            file: file.into(),
            errors: Vec::new(),
        }
    }

    pub fn at(
        &mut self,
        pos: Pos,
        path: &dyn fmt::Display,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.errors.push(CatalogError {
            file: self.file.clone(),
            line: pos.line,
            column: pos.column,
            path: path.to_string(),
            message: message.into(),
            fix: fix.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The problems in file order (a problem found later may stand earlier in the file).
    pub fn finish(mut self) -> CatalogErrors {
        self.errors.sort_by_key(|e| (e.line, e.column));
        CatalogErrors(self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_display_is_file_line_column_path_message_and_fix() {
        let e = CatalogError {
            file: "c.yaml".into(),
            line: 3,
            column: 7,
            path: "offers[0].name".into(),
            message: "the offer name is empty".into(),
            fix: "write it".into(),
        };
        assert_eq!(
            e.to_string(),
            "c.yaml:3:7: offers[0].name: the offer name is empty\n  fix: write it"
        );
        let all = CatalogErrors(vec![e.clone(), e]).to_string();
        assert!(all.starts_with("2 problems in the catalog:\nc.yaml:3:7:"));
        assert_eq!(all.matches("fix: write it").count(), 2);
    }

    #[test]
    fn error_display_escapes_controls_and_bidi_in_every_part() {
        let e = CatalogError {
            file: "c\u{1b}[2J.yaml".into(),
            line: 1,
            column: 1,
            path: "user.x\u{1b}]0;title\u{7}".into(),
            message: "role `admin\u{1b}]52;c;AAAA\u{7}` \u{202e}".into(),
            fix: "\u{9b}31m".into(),
        };
        let shown = e.to_string();
        assert!(
            !shown.chars().any(|c| is_unsafe(c) && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains(r"admin\u{1b}]52;c;AAAA\u{7}"), "{shown}");
        assert!(
            shown.contains(r"\u{202e}") && shown.contains(r"\u{9b}"),
            "{shown}"
        );
    }

    #[test]
    fn paths_are_written_as_fields_and_indexes() {
        let root = Path::Root;
        let list = root.field("cloud_benefits");
        let item = list.item(3);
        let keys = item.field("license");
        let key = keys.field("keys");
        let first = key.item(1);
        assert_eq!(first.to_string(), "cloud_benefits[3].license.keys[1]");
        assert_eq!(first.name(), "keys");
        assert_eq!(root.to_string(), "");
    }
}
