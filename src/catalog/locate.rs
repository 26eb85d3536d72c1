//! Where the catalog comes from: `--config`, then `BENEFITS_CONFIG` (when set and not
//! empty), then `config.yaml` in the user config directory (when it exists), then the
//! embedded demo.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Where the catalog comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    File(PathBuf),
    Demo,
}

/// The caller passes `files::default_config_dir()` as `config_dir`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_prefers_flag_then_env_then_config_dir_then_demo() {
        let d = tempfile::tempdir().unwrap();
        let flag = Path::new("flag.yaml");
        let env = OsStr::new("env.yaml");
        assert_eq!(
            locate(Some(flag), Some(env), Some(d.path())),
            CatalogSource::File(flag.into())
        );
        assert_eq!(
            locate(None, Some(env), Some(d.path())),
            CatalogSource::File(env.into())
        );
        assert_eq!(
            locate(None, Some(OsStr::new("")), Some(d.path())),
            CatalogSource::Demo,
            "an empty BENEFITS_CONFIG is unset"
        );
        assert_eq!(locate(None, None, None), CatalogSource::Demo);
        std::fs::write(d.path().join("config.yaml"), "x").unwrap();
        assert_eq!(
            locate(None, None, Some(d.path())),
            CatalogSource::File(d.path().join("config.yaml"))
        );
    }
}
