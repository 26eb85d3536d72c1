//! Which language to speak: `--lang`, then the config file, then the environment.

/// The languages with a catalog in `assets/i18n/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    EnUs,
    NlNl,
    SvSe,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::EnUs, Lang::NlNl, Lang::SvSe];

    /// A BCP 47 tag or a POSIX locale, any case: `nl-NL`, `nl`, `nl_NL.UTF-8`,
    /// `nl_BE@euro`. Only the language part decides (any `nl-*` is nl-NL); `C`, `POSIX`
    /// and unknown languages give `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let base = s.trim().split(['.', '@']).next()?;
        let language = base.split(['-', '_']).next()?.to_ascii_lowercase();
        match language.as_str() {
            "en" => Some(Lang::EnUs),
            "nl" => Some(Lang::NlNl),
            "sv" => Some(Lang::SvSe),
            _ => None,
        }
    }

    /// The BCP 47 tag, which is also the catalog's file name.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::EnUs => "en-US",
            Lang::NlNl => "nl-NL",
            Lang::SvSe => "sv-SE",
        }
    }

    /// Same as [`resolve`].
    pub fn resolve(flag: Option<&str>, config: Option<&str>, env_lang: Option<&str>) -> Lang {
        resolve(flag, config, env_lang)
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Lang::EnUs => 0,
            Lang::NlNl => 1,
            Lang::SvSe => 2,
        }
    }

    /// The compiled-in catalog text.
    pub(crate) fn source(self) -> &'static str {
        match self {
            Lang::EnUs => include_str!("../../assets/i18n/en-US.yaml"),
            Lang::NlNl => include_str!("../../assets/i18n/nl-NL.yaml"),
            Lang::SvSe => include_str!("../../assets/i18n/sv-SE.yaml"),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The first of `--lang`, the config file's language and the environment's locale
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`: the first that is set and non-empty, see
/// [`env_lang`]) that parses; en-US when none does. A value that does not parse is
/// skipped, not an error.
pub fn resolve(flag: Option<&str>, config: Option<&str>, env_lang: Option<&str>) -> Lang {
    [flag, config, env_lang]
        .into_iter()
        .flatten()
        .find_map(Lang::parse)
        .unwrap_or(Lang::EnUs)
}

/// The locale the environment asks for, POSIX precedence: `LC_ALL`, then `LC_MESSAGES`,
/// then `LANG`, the first that is set and non-empty. `var` is `std::env::var(..).ok()`
/// in production and a fake in tests.
pub fn env_lang(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|name| var(name).filter(|v| !v.trim().is_empty()))
}
