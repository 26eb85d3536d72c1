//! The message catalogs in `assets/i18n/`: complete, consistent and documented.

use benefits::domain::{
    MachineChange, Mode, Os, Param, Refusal, RefusalCode, Role, SubscriptionStatus,
};
use benefits::i18n::{Lang, Messages, fill, placeholders, resolve};
use benefits::redeem::CreditOp;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

const EN_US: &str = include_str!("../assets/i18n/en-US.yaml");
const SOURCES: [(&str, &str); 3] = [
    ("en-US", EN_US),
    ("nl-NL", include_str!("../assets/i18n/nl-NL.yaml")),
    ("sv-SE", include_str!("../assets/i18n/sv-SE.yaml")),
];

fn ids(lang: Lang) -> BTreeSet<&'static str> {
    Messages::get(lang).ids().collect()
}

/// The header of en-US.yaml: `#   refusal.<code>: name, name (note)` or `: -`.
fn documented_refusal_params() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut out = BTreeMap::new();
    for line in EN_US
        .lines()
        .take_while(|l| l.starts_with('#') || l.is_empty())
    {
        let Some(rest) = line.trim_start_matches('#').trim().strip_prefix("refusal.") else {
            continue;
        };
        let (code, names) = rest.split_once(':').expect("`code: names`");
        let names = names.split('(').next().unwrap();
        let names: BTreeSet<&str> = names
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != "-")
            .collect();
        assert!(
            out.insert(code.trim(), names).is_none(),
            "refusal.{code} documented twice"
        );
    }
    out
}

#[test]
fn every_refusal_code_has_a_message_in_every_language() {
    for lang in Lang::ALL {
        let m = Messages::get(lang);
        for code in RefusalCode::ALL {
            let id = format!("refusal.{}", code.as_str());
            assert!(m.has(&id), "{lang} lacks {id}");
            let text = m.refusal(&Refusal::new(*code));
            assert!(!text.trim().is_empty() && text != id, "{lang} {id}");
        }
    }
}

#[test]
fn every_language_has_the_same_ids() {
    let en = ids(Lang::EnUs);
    for lang in [Lang::NlNl, Lang::SvSe] {
        let other = ids(lang);
        let missing: Vec<_> = en.difference(&other).collect();
        let extra: Vec<_> = other.difference(&en).collect();
        assert!(missing.is_empty(), "missing in {lang}: {missing:?}");
        assert!(extra.is_empty(), "only in {lang}, not in en-US: {extra:?}");
    }
}

#[test]
fn translations_use_only_placeholders_the_english_text_has() {
    let en = Messages::get(Lang::EnUs);
    for lang in [Lang::NlNl, Lang::SvSe] {
        let m = Messages::get(lang);
        for id in m.ids() {
            let ours: BTreeSet<_> = placeholders(en.text(id)).into_iter().collect();
            for p in placeholders(m.text(id)) {
                assert!(ours.contains(p), "{lang} {id} uses {{{p}}}, en-US does not");
            }
        }
    }
}

#[test]
fn translations_keep_every_placeholder_of_the_english_text() {
    // Not strictly required, but a dropped number in a refusal is a lost fact.
    let en = Messages::get(Lang::EnUs);
    for lang in [Lang::NlNl, Lang::SvSe] {
        let m = Messages::get(lang);
        for id in en.ids() {
            let theirs: BTreeSet<_> = placeholders(m.text(id)).into_iter().collect();
            for p in placeholders(en.text(id)) {
                assert!(theirs.contains(p), "{lang} {id} drops {{{p}}}");
            }
        }
    }
}

#[test]
fn every_refusal_placeholder_is_documented_in_the_en_us_header() {
    let documented = documented_refusal_params();
    let codes: BTreeSet<&str> = RefusalCode::ALL.iter().map(|c| c.as_str()).collect();
    let listed: BTreeSet<&str> = documented.keys().copied().collect();
    assert_eq!(listed, codes, "the header lists exactly the refusal codes");
    for (code, names) in &documented {
        for n in names {
            assert!(
                n.parse::<Param>().is_ok(),
                "refusal.{code} documents {n}, which is no Param"
            );
        }
    }
    let en = Messages::get(Lang::EnUs);
    for code in RefusalCode::ALL {
        let id = format!("refusal.{}", code.as_str());
        for p in placeholders(en.text(&id)) {
            assert!(
                documented[code.as_str()].contains(p),
                "{id} uses {{{p}}}, not documented in the en-US.yaml header"
            );
        }
    }
}

#[test]
fn every_placeholder_is_a_plain_name() {
    for lang in Lang::ALL {
        let m = Messages::get(lang);
        for id in m.ids() {
            for p in placeholders(m.text(id)) {
                assert!(
                    !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{lang} {id}: {{{p}}}"
                );
            }
        }
    }
}

#[test]
fn files_have_one_quoted_entry_per_line_and_no_duplicates() {
    for (name, src) in SOURCES {
        let mut seen = BTreeSet::new();
        for (n, line) in src.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, value) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("{name}:{}: not `id: \"text\"`", n + 1));
            assert!(
                id.split('.').count() >= 2
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-.".contains(c)),
                "{name}:{}: id {id:?} is not group.kebab-name",
                n + 1
            );
            assert!(
                value.starts_with('"') && value.ends_with('"'),
                "{name}:{}: quote the text",
                n + 1
            );
            assert!(seen.insert(id), "{name}:{}: {id} twice", n + 1);
        }
    }
}

#[test]
fn fmt_substitutes_and_blanks_missing_params() {
    let en = Messages::get(Lang::EnUs);
    assert_eq!(en.fmt("quantity.licenses", &[("n", "5")]), "5 licenses");
    assert_eq!(
        en.fmt("warning.less-than-12-months", &[]),
        "The subscription will have less than 12 months left ( days). To keep a full year, \
         extend the end date instead, or wait and renew."
    );
    assert_eq!(fill("{a}-{b}", &[("b", "2")]), "-2");
    let nl = Messages::get(Lang::NlNl);
    assert_eq!(nl.fmt("quantity.licenses", &[("n", "5")]), "5 licenties");
    let r = Refusal::new(RefusalCode::UserNotInDirectory).with(Param::User, "ann@contoso.com");
    let s = nl.refusal(&r);
    assert!(s.starts_with("ann@contoso.com is geen gebruiker"), "{s}");
    assert!(!s.contains('{'), "{s}");
}

#[test]
fn missing_params_never_show_braces() {
    for lang in Lang::ALL {
        let m = Messages::get(lang);
        for code in RefusalCode::ALL {
            let s = m.refusal(&Refusal::new(*code));
            assert!(!s.contains('{') && !s.contains('}'), "{lang} {code}: {s}");
        }
    }
}

#[test]
fn dates_follow_each_locale() {
    let d = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
    assert_eq!(Messages::get(Lang::EnUs).date(d), "Mar 31, 2027");
    assert_eq!(Messages::get(Lang::NlNl).date(d), "31-03-2027");
    assert_eq!(Messages::get(Lang::SvSe).date(d), "2027-03-31");
    let r = Refusal::new(RefusalCode::SubscriptionActive).with(Param::Date, d);
    assert_eq!(
        Messages::get(Lang::EnUs).refusal(&r),
        "This subscription is active until Mar 31, 2027. To renew it for a full year, wait \
         until it expires; otherwise extend the end date or add licenses."
    );
    assert!(Messages::get(Lang::SvSe).refusal(&r).contains("2027-03-31"));
}

#[test]
fn resolve_order_is_flag_config_environment_default() {
    assert_eq!(
        resolve(Some("nl"), Some("sv-SE"), Some("en_US.UTF-8")),
        Lang::NlNl
    );
    assert_eq!(
        resolve(None, Some("sv-SE"), Some("nl_NL.UTF-8")),
        Lang::SvSe
    );
    assert_eq!(resolve(None, None, Some("nl_NL.UTF-8")), Lang::NlNl);
    assert_eq!(resolve(Some("de"), None, Some("sv_SE")), Lang::SvSe);
    assert_eq!(resolve(None, None, Some("C")), Lang::EnUs);
    assert_eq!(resolve(None, None, None), Lang::EnUs);
}

#[test]
fn terminology_follows_the_seed_documents() {
    let nl = Messages::get(Lang::NlNl);
    assert_eq!(nl.text("label.key"), "Productcode");
    assert_eq!(nl.text("label.redeem"), "Inwisselen");
    assert_eq!(nl.text("label.validate"), "Valideren");
    assert_eq!(nl.text("label.end-date"), "Einddatum");
    let sv = Messages::get(Lang::SvSe);
    assert_eq!(sv.text("label.key"), "Produktnyckel");
    assert_eq!(sv.text("label.redeem"), "Lös in");
    assert_eq!(sv.text("label.validate"), "Verifiera");
    assert_eq!(sv.text("label.end-date"), "Slutdatum");
    assert_eq!(sv.text("label.subscription"), "Prenumeration");
    assert_eq!(sv.text("label.tenant"), "Klientorganisation");
}

/// The string literals of Rust source, with their line numbers (comments, raw strings and
/// char literals skipped; escapes left as written, which no message id has).
fn string_literals(src: &str) -> Vec<(usize, &str)> {
    let b = src.as_bytes();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src[i..].find("*/").map_or(b.len(), |e| i + e + 2);
                line += src[i..end].matches('\n').count();
                i = end;
                continue;
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') || b[i..].starts_with(b"'\\''") => {
                i += if b.get(i + 1) == Some(&b'\\') { 4 } else { 3 };
                continue;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && !ident(b.get(i.wrapping_sub(1))) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                let close = format!("\"{}", "#".repeat(hashes));
                let start = i + 2 + hashes;
                let end = src[start..].find(&close).map_or(b.len(), |e| start + e);
                line += src[i..end].matches('\n').count();
                i = end + close.len();
                continue;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let lit = &src[start..j.min(b.len())];
                out.push((line, lit));
                line += lit.matches('\n').count();
                i = j + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn ident(c: Option<&u8>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// `group.name` as the catalogs spell ids.
fn looks_like_id(s: &str) -> bool {
    let mut parts = s.split('.');
    let segment = |p: &str| {
        !p.is_empty()
            && p.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    parts.next().is_some_and(segment) && s.contains('.') && parts.all(segment)
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Literals in `src/` that look like message ids of a catalog group but are not ids.
const NOT_MESSAGE_IDS: &[&str] = &["serve.log", "settings.yaml"];

#[test]
fn every_message_id_the_code_uses_is_in_every_language() {
    let en = ids(Lang::EnUs);
    let groups: BTreeSet<&str> = en.iter().filter_map(|id| id.split('.').next()).collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    // id -> where the code uses it first
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    // The prefixes of ids the code builds at run time (`format!("status.{}", ..)`).
    let mut built = BTreeSet::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let at = path.strip_prefix(root).unwrap().display().to_string();
        for (line, lit) in string_literals(&text) {
            let group = lit.split('.').next().unwrap_or_default();
            if !groups.contains(group) || NOT_MESSAGE_IDS.contains(&lit) {
                continue;
            }
            if looks_like_id(lit) {
                used.entry(lit.to_string())
                    .or_insert_with(|| format!("{at}:{line}"));
            } else if let Some((prefix, _)) = lit.split_once('{')
                && looks_like_id(&format!("{prefix}x"))
            {
                built.insert(prefix.to_string());
            }
        }
    }
    // Ids built from typed values: every value of each enum, through the same function
    // the code calls.
    let typed: Vec<(&str, Vec<String>)> = vec![
        (
            "refusal.",
            RefusalCode::ALL.iter().map(|c| c.message_id()).collect(),
        ),
        (
            "status.",
            SubscriptionStatus::ALL
                .iter()
                .map(|s| format!("status.{}", s.as_str()))
                .collect(),
        ),
        (
            "mode.",
            Mode::ALL
                .iter()
                .map(|m| format!("mode.{}", m.as_str()))
                .collect(),
        ),
        (
            "activation.change-",
            MachineChange::ALL
                .iter()
                .map(|c| format!("activation.change-{}", c.as_str()))
                .collect(),
        ),
        (
            "activation.os-",
            Os::ALL
                .iter()
                .map(|o| format!("activation.os-{}", o.as_str()))
                .collect(),
        ),
        (
            "credit.",
            CreditOp::ALL.iter().map(|o| o.label_id()).collect(),
        ),
        (
            "role.",
            Role::ALL
                .iter()
                .map(|r| format!("role.{}", r.as_str()))
                .collect(),
        ),
        // Looked up only when the catalog has one (`has`), else the offer is shown as
        // written: nothing to require.
        ("other-credit.", Vec::new()),
        (
            "op.",
            <benefits::domain::Entry as strum::VariantNames>::VARIANTS
                .iter()
                .map(|op| format!("op.{op}"))
                .collect(),
        ),
    ];
    let known: BTreeSet<String> = typed.iter().map(|(p, _)| p.to_string()).collect();
    let unknown: Vec<_> = built.difference(&known).collect();
    assert!(
        unknown.is_empty(),
        "ids built at run time with no enumeration here: {unknown:?}"
    );
    for (prefix, ids) in typed {
        for id in ids {
            used.entry(id).or_insert_with(|| format!("every {prefix}*"));
        }
    }
    assert!(
        used.len() > 250,
        "the scan found only {} ids: is it still reading src/?",
        used.len()
    );
    for lang in Lang::ALL {
        let m = Messages::get(lang);
        let missing: Vec<String> = used
            .iter()
            .filter(|(id, _)| !m.has(id))
            .map(|(id, at)| format!("{id} ({at})"))
            .collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:#?}");
    }
}

#[test]
fn the_source_scan_finds_ids_and_skips_comments_and_raw_strings() {
    let src = "let a = t.text(\"label.key\"); // \"label.not-code\"\n\
               /* \"label.in-block\" */ let c = '\"'; let r = r#\"label.raw\"#;\n\
               help: \"key.quit\", format!(\"status.{}\", s)";
    let lits: Vec<_> = string_literals(src).into_iter().collect();
    assert_eq!(lits, [(1, "label.key"), (3, "key.quit"), (3, "status.{}")]);
    assert!(looks_like_id("activation.change-new") && looks_like_id("label.key"));
    assert!(!looks_like_id("label.") && !looks_like_id("Label.key") && !looks_like_id("x"));
}
