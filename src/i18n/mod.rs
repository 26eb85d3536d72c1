//! Every user-facing string, in en-US, nl-NL and sv-SE, from `assets/i18n/*.yaml`
//! (compiled in with `include_str!`, each parsed once, lazily).
//!
//! The catalogs are flat maps `group.name: "text with {placeholders}"`; en-US is the
//! reference and its header documents, per refusal, the params callers supply. Lookups
//! fall back to en-US, then to the id itself, so a missing translation shows something
//! readable rather than nothing. A param a caller does not supply renders as "".
//!
//! Dates, per locale convention (CLDR):
//! - en-US: medium date, `Mar 31, 2027`
//! - nl-NL: short date, `31-03-2027`
//! - sv-SE: short date (ISO 8601), `2027-03-31`

mod explain;
mod lang;
mod template;
pub mod walkthrough;

pub use explain::explain;
pub use lang::{Lang, env_lang, resolve};
pub use template::{fill, placeholders};

use crate::domain::{Mode, Refusal, SubscriptionStatus};
use chrono::NaiveDate;
use std::borrow::Cow;
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

    /// The text for `id`; en-US when this language lacks it; the id itself when en-US
    /// lacks it too.
    pub fn text<'a>(&'a self, id: &'a str) -> &'a str {
        match self.texts.get(id) {
            Some(t) => t,
            None if self.lang != Lang::EnUs => Messages::get(Lang::EnUs).text(id),
            None => id,
        }
    }

    /// The text for `id` with `{name}` placeholders filled from `params`; missing ones
    /// become empty.
    pub fn fmt(&self, id: &str, params: &[(&str, &str)]) -> String {
        fill(self.text(id), params)
    }

    /// `refusal.<code>` filled from `r.params`. A `status` param (a status code such as
    /// `expired`) is shown in words, a `date` param (ISO `yyyy-mm-dd`) in this locale's
    /// date format; anything else is shown as given.
    pub fn refusal(&self, r: &Refusal) -> String {
        let shown: Vec<(&str, Cow<'_, str>)> = r
            .params
            .iter()
            .map(|(name, value)| (*name, self.param_value(name, value)))
            .collect();
        let params: Vec<(&str, &str)> = shown.iter().map(|(n, v)| (*n, v.as_ref())).collect();
        self.fmt(&format!("refusal.{}", r.code.as_str()), &params)
    }

    fn param_value<'v>(&self, name: &str, value: &'v str) -> Cow<'v, str> {
        let localized = match name {
            "status" => status_from_code(value).map(|s| self.status(s).to_owned()),
            "date" => value.parse::<NaiveDate>().ok().map(|d| self.date(d)),
            _ => None,
        };
        localized.map_or(Cow::Borrowed(value), Cow::Owned)
    }

    /// "Active", "No Active Subscription", "Expired", "Disabled".
    pub fn status(&self, s: SubscriptionStatus) -> &str {
        self.text(match s {
            SubscriptionStatus::Active => "status.active",
            SubscriptionStatus::NoActiveSubscription => "status.no-active-subscription",
            SubscriptionStatus::Expired => "status.expired",
            SubscriptionStatus::Disabled => "status.disabled",
        })
    }

    /// "Activate", "Extend end date", "Add licenses".
    pub fn mode(&self, m: Mode) -> &str {
        self.text(match m {
            Mode::Activate => "mode.activate",
            Mode::Extend => "mode.extend",
            Mode::AddLicenses => "mode.add",
        })
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
}

/// The codes `licensing` puts in a `status` param (`SubscriptionStatus` in kebab-case).
fn status_from_code(code: &str) -> Option<SubscriptionStatus> {
    Some(match code {
        "active" => SubscriptionStatus::Active,
        "no-active-subscription" => SubscriptionStatus::NoActiveSubscription,
        "expired" => SubscriptionStatus::Expired,
        "disabled" => SubscriptionStatus::Disabled,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
