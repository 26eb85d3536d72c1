//! Every user-facing string, in en-US, nl-NL and sv-SE, from `assets/i18n/*.yaml` (compiled
//! in, parsed once). Lookups fall back to en-US, then to the id itself, so a missing
//! translation shows something readable rather than nothing.

use crate::domain::{Mode, Refusal, SubscriptionStatus};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    EnUs,
    NlNl,
    SvSe,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::EnUs, Lang::NlNl, Lang::SvSe];

    /// Accepts `nl-NL`, `nl_NL.UTF-8`, `nl`, any case.
    pub fn parse(s: &str) -> Option<Lang> {
        let base = s
            .split(['.', '@'])
            .next()?
            .replace('_', "-")
            .to_ascii_lowercase();
        match base.split('-').next()? {
            "en" => Some(Lang::EnUs),
            "nl" => Some(Lang::NlNl),
            "sv" => Some(Lang::SvSe),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::EnUs => "en-US",
            Lang::NlNl => "nl-NL",
            Lang::SvSe => "sv-SE",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::EnUs => include_str!("../../assets/i18n/en-US.yaml"),
            Lang::NlNl => include_str!("../../assets/i18n/nl-NL.yaml"),
            Lang::SvSe => include_str!("../../assets/i18n/sv-SE.yaml"),
        }
    }

    /// The flag, then the config, then the environment (LC_ALL / LANG); en-US otherwise.
    pub fn resolve(flag: Option<&str>, config: Option<&str>, env: Option<&str>) -> Lang {
        [flag, config, env]
            .into_iter()
            .flatten()
            .find_map(Lang::parse)
            .unwrap_or(Lang::EnUs)
    }
}

pub struct Messages {
    lang: Lang,
    texts: HashMap<String, String>,
}

static CATALOGS: [OnceLock<Messages>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

impl Messages {
    pub fn get(lang: Lang) -> &'static Messages {
        let i = Lang::ALL.iter().position(|l| *l == lang).expect("listed");
        CATALOGS[i].get_or_init(|| Messages {
            lang,
            // The files are compiled in and checked by tests: a parse failure is a build defect.
            texts: serde_yaml::from_str(lang.source()).expect("assets/i18n file parses"),
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    pub fn has(&self, id: &str) -> bool {
        self.texts.contains_key(id)
    }

    pub fn text<'a>(&'a self, id: &'a str) -> &'a str {
        if let Some(t) = self.texts.get(id) {
            return t;
        }
        if self.lang != Lang::EnUs {
            return Messages::get(Lang::EnUs).text(id);
        }
        id
    }

    /// Fill `{name}` placeholders; unknown or missing ones become empty.
    pub fn fmt(&self, id: &str, params: &[(&str, &str)]) -> String {
        fill(self.text(id), params)
    }

    pub fn refusal(&self, r: &Refusal) -> String {
        let id = format!("refusal.{}", r.code.as_str());
        let params: Vec<(&str, &str)> = r.params.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let mut params = params;
        // A status param is a code; show it in words.
        let status_words;
        if let Some(s) = r.param("status").and_then(status_from_code) {
            status_words = self.status(s).to_string();
            params.retain(|(n, _)| *n != "status");
            params.push(("status", &status_words));
        }
        let date_words;
        if let Some(d) = r.param("date").and_then(|d| d.parse::<NaiveDate>().ok()) {
            date_words = self.date(d);
            params.retain(|(n, _)| *n != "date");
            params.push(("date", &date_words));
        }
        self.fmt(&id, &params)
    }

    pub fn status(&self, s: SubscriptionStatus) -> &str {
        self.text(match s {
            SubscriptionStatus::Active => "status.active",
            SubscriptionStatus::NoActiveSubscription => "status.no-active-subscription",
            SubscriptionStatus::Expired => "status.expired",
            SubscriptionStatus::Disabled => "status.disabled",
        })
    }

    pub fn mode(&self, m: Mode) -> &str {
        self.text(match m {
            Mode::Activate => "mode.activate",
            Mode::Extend => "mode.extend",
            Mode::AddLicenses => "mode.add",
        })
    }

    /// en-US "Mar 31, 2027"; nl-NL "31-03-2027"; sv-SE "2027-03-31" (each locale's short form).
    pub fn date(&self, d: NaiveDate) -> String {
        match self.lang {
            Lang::EnUs => d.format("%b %-d, %Y").to_string(),
            Lang::NlNl => d.format("%d-%m-%Y").to_string(),
            Lang::SvSe => d.format("%Y-%m-%d").to_string(),
        }
    }
}

fn status_from_code(s: &str) -> Option<SubscriptionStatus> {
    Some(match s {
        "active" => SubscriptionStatus::Active,
        "no-active-subscription" => SubscriptionStatus::NoActiveSubscription,
        "expired" => SubscriptionStatus::Expired,
        "disabled" => SubscriptionStatus::Disabled,
        _ => return None,
    })
}

/// Replace `{name}` with its value; a `{` without a closing `}` is kept as is.
pub fn fill(template: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if let Some((_, v)) = params.iter().find(|(n, _)| *n == name) {
                    out.push_str(v);
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names a template uses.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RefusalCode;

    #[test]
    fn every_refusal_code_has_a_message_in_every_language() {
        for lang in Lang::ALL {
            let m = Messages::get(lang);
            for code in RefusalCode::ALL {
                let id = format!("refusal.{}", code.as_str());
                assert!(m.has(&id), "{} lacks {id}", lang.as_str());
            }
        }
    }

    #[test]
    fn every_language_has_the_same_ids() {
        let en: std::collections::BTreeSet<_> = Messages::get(Lang::EnUs).ids().collect();
        for lang in [Lang::NlNl, Lang::SvSe] {
            let other: std::collections::BTreeSet<_> = Messages::get(lang).ids().collect();
            assert_eq!(
                en.difference(&other).collect::<Vec<_>>(),
                Vec::<&&str>::new(),
                "missing in {}",
                lang.as_str()
            );
            assert_eq!(
                other.difference(&en).collect::<Vec<_>>(),
                Vec::<&&str>::new(),
                "extra in {}",
                lang.as_str()
            );
        }
    }

    #[test]
    fn translations_use_only_placeholders_the_english_text_has() {
        let en = Messages::get(Lang::EnUs);
        for lang in [Lang::NlNl, Lang::SvSe] {
            let m = Messages::get(lang);
            for id in m.ids() {
                let theirs: std::collections::BTreeSet<_> =
                    placeholders(m.text(id)).into_iter().collect();
                let ours: std::collections::BTreeSet<_> =
                    placeholders(en.text(id)).into_iter().collect();
                assert_eq!(theirs, ours, "{} {id}", lang.as_str());
            }
        }
    }

    #[test]
    fn fmt_fills_and_blanks_missing_params() {
        assert_eq!(fill("{n} licenses", &[("n", "25")]), "25 licenses");
        assert_eq!(fill("a {x} b", &[]), "a  b");
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }

    #[test]
    fn screen_texts_match_partner_center() {
        let en = Messages::get(Lang::EnUs);
        let r = Refusal::new(RefusalCode::KeyAlreadyRedeemed);
        assert_eq!(
            en.refusal(&r),
            "This product key has already been used. Enter a different product key."
        );
        let r = Refusal::new(RefusalCode::ExtensionExceedsThreeYears)
            .with("key_licenses", 301)
            .with("licenses", 100);
        assert!(en.refusal(&r).starts_with(
            "Create a new subscription. This code would put your current subscription's end date past the limit."
        ));
        assert_eq!(
            en.text("label.no-further-details"),
            "No further details available"
        );
    }

    #[test]
    fn refusal_params_in_words_and_local_dates() {
        let nl = Messages::get(Lang::NlNl);
        let r = Refusal::new(RefusalCode::SubscriptionNotActive).with("status", "expired");
        assert!(nl.refusal(&r).contains("Verlopen"));
        let r = Refusal::new(RefusalCode::BenefitExpired).with("date", "2026-11-01");
        assert!(nl.refusal(&r).contains("01-11-2026"));
    }

    #[test]
    fn dates_per_locale() {
        let d: NaiveDate = "2027-03-31".parse().unwrap();
        assert_eq!(Messages::get(Lang::EnUs).date(d), "Mar 31, 2027");
        assert_eq!(Messages::get(Lang::NlNl).date(d), "31-03-2027");
        assert_eq!(Messages::get(Lang::SvSe).date(d), "2027-03-31");
    }

    #[test]
    fn language_resolves_flag_then_config_then_environment() {
        assert_eq!(
            Lang::resolve(Some("sv-SE"), Some("nl"), Some("en_US.UTF-8")),
            Lang::SvSe
        );
        assert_eq!(
            Lang::resolve(None, Some("nl"), Some("sv_SE.UTF-8")),
            Lang::NlNl
        );
        assert_eq!(Lang::resolve(None, None, Some("nl_NL.UTF-8")), Lang::NlNl);
        assert_eq!(Lang::resolve(Some("fr"), None, Some("C.UTF-8")), Lang::EnUs);
    }
}
