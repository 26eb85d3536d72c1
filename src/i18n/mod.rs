//! Every user-facing string, in en-US, nl-NL and sv-SE, from `assets/i18n/*.yaml`
//! (compiled in with `include_str!`, each parsed once, lazily).
//!
//! The catalogs are flat maps `group.name: "text with {placeholders}"`; en-US is the
//! reference and its header documents, per refusal, the params callers supply. Lookups
//! fall back to en-US; an id that is in no catalog is a defect that `tests/i18n.rs`
//! catches (it collects every id the code uses, literal or built from a typed value). A
//! param a caller does not supply renders as "".
//!
//! Dates, per locale convention (CLDR):
//! - en-US: medium date, `Mar 31, 2027`
//! - nl-NL: short date, `31-03-2027`
//! - sv-SE: short date (ISO 8601), `2027-03-31`

mod correction;
mod explain;
mod lang;
mod number;
mod template;
pub mod walkthrough;

pub use explain::explain;
pub use lang::{Lang, env_lang, resolve};
pub use template::{fill, placeholders};

use crate::domain::{MachineChange, Mode, Os, Param, Refusal, SubscriptionStatus, Value};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One language's catalog.
#[derive(Debug)]
pub struct Messages {
    lang: Lang,
    texts: HashMap<String, String>,
}

static CATALOGS: [OnceLock<Messages>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

impl Messages {
    /// The catalog for `lang`, parsed on first use.
    pub fn get(lang: Lang) -> &'static Messages {
        CATALOGS[lang.index()].get_or_init(|| Messages {
            lang,
            // Compiled in and parsed by the tests: a parse failure is a build defect.
            texts: serde_saphyr::from_str(lang.source()).unwrap_or_else(|e| {
                panic!("assets/i18n/{}.yaml does not parse: {e}", lang.as_str())
            }),
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The ids this catalog itself defines (no fallback).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    /// Whether this catalog itself defines `id` (no fallback).
    pub fn has(&self, id: &str) -> bool {
        self.texts.contains_key(id)
    }

    /// The text for `id`; en-US when this language lacks it. An id no catalog has is a
    /// defect `tests/i18n.rs` finds (it collects every id the code uses): a debug build
    /// stops on it, a release build shows a neutral placeholder rather than the raw id.
    pub fn text(&self, id: &str) -> &str {
        self.texts
            .get(id)
            .or_else(|| Messages::get(Lang::EnUs).texts.get(id))
            .map_or_else(|| missing(id), String::as_str)
    }

    /// The text for `id` with `{name}` placeholders filled from `params`; missing ones
    /// become empty.
    pub fn fmt(&self, id: &str, params: &[(&str, &str)]) -> String {
        fill(self.text(id), params)
    }

    /// `refusal.<code>` filled from `r.params`, each value rendered for this language: a
    /// date in its date format, a status in words, a credit offer by its name, a role as
    /// the header names it.
    pub fn refusal(&self, r: &Refusal) -> String {
        let shown: Vec<(&str, String)> = r
            .params
            .iter()
            .map(|(name, value)| {
                let role = match (name, value) {
                    (Param::Role, Value::Text(role)) => Some(format!("role.{role}")),
                    _ => None,
                };
                let shown = match role {
                    Some(id) if Messages::get(Lang::EnUs).has(&id) => self.text(&id).to_string(),
                    _ => self.value(value),
                };
                (name.as_str(), shown)
            })
            .collect();
        let params: Vec<(&str, &str)> = shown.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.fmt(&r.code.message_id(), &params)
    }

    /// One refusal param as this language shows it.
    pub fn value(&self, v: &Value) -> String {
        match v {
            Value::Text(s) => s.clone(),
            Value::Count(n) => n.to_string(),
            Value::Date(d) => self.date(*d),
            Value::Status(s) => self.status(*s).to_string(),
            Value::CreditOffers(offers) => offers
                .iter()
                .map(|o| {
                    let id = format!("other-credit.{o}");
                    if self.has(&id) || Messages::get(Lang::EnUs).has(&id) {
                        self.text(&id).to_string()
                    } else {
                        o.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// "Active", "No Active Subscription", "Expired", "Disabled".
    pub fn status(&self, s: SubscriptionStatus) -> &str {
        self.text(&format!("status.{}", s.as_str()))
    }

    /// "Activate", "Extend end date", "Add licenses".
    pub fn mode(&self, m: Mode) -> &str {
        self.text(&format!("mode.{}", m.as_str()))
    }

    /// "New machine", "Same machine, no hardware change", ...
    pub fn change(&self, c: MachineChange) -> &str {
        self.text(&format!("activation.change-{}", c.as_str()))
    }

    /// "Windows", "macOS".
    pub fn os(&self, os: Os) -> &str {
        self.text(&format!("activation.os-{}", os.as_str()))
    }

    /// en-US `Mar 31, 2027`; nl-NL `31-03-2027`; sv-SE `2027-03-31` (see the module docs).
    pub fn date(&self, d: NaiveDate) -> String {
        let pattern = match self.lang {
            Lang::EnUs => "%b %-d, %Y",
            Lang::NlNl => "%d-%m-%Y",
            Lang::SvSe => "%Y-%m-%d",
        };
        d.format(pattern).to_string()
    }

    /// When the ledger recorded an entry, to the minute: its UTC date as `date` writes
    /// it, the time (24-hour) and the zone ("Dec 1, 2026 14:05 UTC"). UTC, so a ledger
    /// shared by machines in several countries reads the same on each.
    pub fn recorded(&self, at: DateTime<Utc>) -> String {
        format!("{} {} UTC", self.date(at.date_naive()), at.format("%H:%M"))
    }

    /// `recorded` to the second (the History entry's detail view).
    pub fn recorded_full(&self, at: DateTime<Utc>) -> String {
        format!(
            "{} {} UTC",
            self.date(at.date_naive()),
            at.format("%H:%M:%S")
        )
    }
}

/// What `text` answers for an id that is in no catalog.
fn missing(id: &str) -> &'static str {
    debug_assert!(
        false,
        "message id {id:?} is in no catalog (assets/i18n/en-US.yaml)"
    );
    "…"
}

#[cfg(test)]
mod tests;
