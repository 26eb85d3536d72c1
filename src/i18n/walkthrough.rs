//! Activation walkthrough texts per product family and language, from
//! `assets/walkthroughs/*.yaml` (compiled in, parsed once).

use super::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

type Families = HashMap<String, Vec<String>>;

fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::EnUs => include_str!("../../assets/walkthroughs/en-US.yaml"),
        Lang::NlNl => include_str!("../../assets/walkthroughs/nl-NL.yaml"),
        Lang::SvSe => include_str!("../../assets/walkthroughs/sv-SE.yaml"),
    }
}

static PARSED: [OnceLock<Families>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

pub fn families(lang: Lang) -> &'static Families {
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    // Compiled in and checked by tests: an unparsable file is a build defect, shown as empty.
    PARSED[i].get_or_init(|| serde_saphyr::from_str(source(lang)).unwrap_or_default())
}

/// The steps for `family` in `lang`, falling back to en-US; None for an unknown family.
pub fn steps(lang: Lang, family: &str) -> Option<&'static [String]> {
    families(lang)
        .get(family)
        .or_else(|| families(Lang::EnUs).get(family))
        .map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_family_with_the_same_number_of_steps() {
        let en = families(Lang::EnUs);
        assert!(!en.is_empty());
        for lang in [Lang::NlNl, Lang::SvSe] {
            let other = families(lang);
            assert_eq!(other.len(), en.len(), "{lang:?}");
            for (family, steps) in en {
                assert_eq!(
                    other.get(family).map(Vec::len),
                    Some(steps.len()),
                    "{lang:?} {family}"
                );
            }
        }
    }

    #[test]
    fn every_walkthrough_the_demo_names_exists() {
        let demo = crate::catalog::demo();
        let named = demo
            .cloud_benefits
            .iter()
            .filter_map(|b| b.walkthrough.as_deref())
            .chain(
                demo.software_benefits
                    .iter()
                    .filter_map(|b| b.walkthrough.as_deref()),
            );
        for family in named {
            for lang in Lang::ALL {
                assert!(steps(lang, family).is_some(), "{family} in {lang:?}");
            }
        }
    }

    #[test]
    fn cloud_walkthrough_starts_with_get_keys() {
        assert!(steps(Lang::EnUs, "m365").unwrap()[0].starts_with("Get keys."));
    }
}
