//! The data directory's own files, owner-only from the first byte (`crate::files` does the
//! creating; this names the file in the error).

use super::error::{StoreError, classify_io};
use crate::files;
use std::path::Path;

/// Create `dir` (and missing parents) owner-only; an existing directory is left as it is.
pub(super) fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    let missing: Vec<&Path> = dir
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
        .collect();
    files::private_dir_builder()
        .create(dir)
        .map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    // The umask may have taken bits away (or a racing process made it): set it explicitly.
    for p in missing {
        set_mode(p, 0o700)?;
    }
    Ok(())
}

/// Create the empty ledger file owner-only before SQLite opens it, so it is never readable
/// by others, not even for a moment. An existing file is left to `make_private`.
pub(super) fn create_private_file(path: &Path) -> Result<(), StoreError> {
    match files::private_file_options()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(_) => set_mode(path, 0o600),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => make_private(path),
        Err(e) => Err(classify_io(path, e)),
    }
}

/// Take group and other permissions away from an existing file (absent: nothing to do).
pub(super) fn make_private(path: &Path) -> Result<(), StoreError> {
    files::make_private(path).map_err(|source| permissions(path, source))
}

pub(super) fn set_mode(path: &Path, mode: u32) -> Result<(), StoreError> {
    files::set_mode(path, mode).map_err(|source| permissions(path, source))
}

pub(super) fn permissions(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Permissions {
        path: path.to_path_buf(),
        source,
    }
}
