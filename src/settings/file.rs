//! The serde shape of `settings.yaml`. Every value that can be wrong on its own is
//! `Spanned`, so a problem names its line and column; the shape itself (unknown fields,
//! types) is serde-saphyr's to refuse, at the position it reports.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};

pub type Text = Spanned<String>;
/// A mapping whose keys and values are positioned (key → value).
pub type Map<V> = HashMap<Text, V>;

/// The dashboard's settings. The schema is generated from these types (`schema`), each
/// `Spanned` value described as the plain value it holds.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SettingsFile {
    /// Key bindings per context (browse, palette, enter-key, ...): KEY: ACTION adds the key
    /// to the action, KEY: none unbinds it.
    #[schemars(with = "BTreeMap<String, BTreeMap<String, String>>")]
    pub keys: Map<Map<Text>>,
    /// Colours: a scheme and custom colours per role.
    pub theme: ThemeFile,
    /// The dashboard's language when --lang is not given: en-US, nl-NL or sv-SE.
    #[schemars(with = "Option<String>")]
    pub language: Option<Text>,
    /// The sort each page starts with (cloud, software).
    #[schemars(with = "BTreeMap<String, String>")]
    pub sort: Map<Text>,
    /// Mouse reporting: clicks and the wheel (false leaves the mouse to the terminal).
    pub mouse: Option<bool>,
    /// y / Y copy to the clipboard over OSC 52.
    pub copy: Option<bool>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeFile {
    /// The built-in scheme: dark, light or high-contrast.
    #[schemars(with = "Option<String>")]
    pub name: Option<Text>,
    /// Role (title, dim, due, past, ok, error, warning, key) to colour: a name (red,
    /// light-blue), an index 0-255 or #rrggbb.
    #[schemars(with = "BTreeMap<String, String>")]
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
