//! The serde shape of `settings.yaml`. Every value that can be wrong on its own is
//! `Spanned`, so a problem names its line and column; the shape itself (unknown fields,
//! types) is serde-saphyr's to refuse, at the position it reports.

use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::HashMap;

pub type Text = Spanned<String>;
/// A mapping whose keys and values are positioned (key → value).
pub type Map<V> = HashMap<Text, V>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SettingsFile {
    /// Per context (`browse`, `palette`, `enter-key`, …): key → action, or `none`.
    pub keys: Map<Map<Text>>,
    pub theme: ThemeFile,
    pub language: Option<Text>,
    /// Per page (`cloud`, `software`): the sort it starts with.
    pub sort: Map<Text>,
    pub mouse: Option<bool>,
    pub copy: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeFile {
    /// `dark`, `light` or `high-contrast`.
    pub name: Option<Text>,
    /// Role → colour.
    pub colors: Map<Text>,
}

/// The file's shape, or where and why it is not of it (line, column, detail).
pub fn read(text: &str) -> Result<SettingsFile, (u64, u64, String)> {
    // A file of nothing but comments is the defaults.
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank {
        return Ok(SettingsFile::default());
    }
    serde_saphyr::from_str::<SettingsFile>(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        (line, column, first_line(&e.to_string()))
    })
}

/// serde-saphyr's message without the source excerpt it appends.
fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

/// A map's entries in the order they are written.
pub fn in_order<V>(map: &Map<V>) -> Vec<(&Text, &V)> {
    let mut v: Vec<(&Text, &V)> = map.iter().collect();
    v.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    v
}
