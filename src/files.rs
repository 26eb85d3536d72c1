//! benefits' own files: where they go by default (the platform's directories, named once
//! here), and how they are made private to their owner from the first byte (files 0600,
//! directories 0700 on Unix; on Windows the access list they inherit, which under the user's
//! profile is owner-only: see `platform` and the README's "Where data lives").

use std::fs::{DirBuilder, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("com", "benefits", "benefits")
}

/// The platform's data directory for benefits (e.g. `~/.local/share/benefits` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

/// The platform's config directory for benefits (e.g. `~/.config/benefits` on Linux).
pub fn default_config_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().to_path_buf())
}

/// Options that create a file readable and writable by its owner only; the caller says
/// how to open it (`write`, `append`, `create`, `create_new`).
pub fn private_file_options() -> OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut opts = OpenOptions::new();
        opts.mode(0o600);
        opts
    }
    #[cfg(not(unix))]
    OpenOptions::new()
}

/// A builder that creates a directory, and its missing parents, owner-only. The umask may
/// still take bits away: `set_mode` what it created.
pub fn private_dir_builder() -> DirBuilder {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
}

/// Set `path`'s permission bits (Unix; nothing elsewhere).
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Take group and other permissions away from an existing file (absent: nothing to do).
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else {
            return Ok(());
        };
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_file() && mode & 0o077 != 0 {
            return set_mode(path, mode & 0o700);
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn private_files_and_directories_are_owner_only_from_the_start() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("a/b");
        private_dir_builder().create(&dir).unwrap();
        set_mode(&dir, 0o700).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let f = dir.join("f");
        private_file_options()
            .write(true)
            .create_new(true)
            .open(&f)
            .unwrap();
        assert_eq!(mode(&f) & 0o077, 0, "{:o}", mode(&f));
        set_mode(&f, 0o644).unwrap();
        make_private(&f).unwrap();
        assert_eq!(mode(&f), 0o600);
        make_private(&dir.join("absent")).unwrap();
    }
}
