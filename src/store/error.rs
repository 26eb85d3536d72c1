//! Why the ledger cannot be used or a write did not happen; every message names the file
//! and what to do.

use crate::domain::Refusal;
use std::path::{Path, PathBuf};

/// Why the ledger cannot be used; every message names the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot create the data directory {path}: {source}; create it, or pass --data-dir DIR \
         (or set BENEFITS_DATA_DIR) to a writable directory"
    )]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no data directory could be determined (no home directory?); set BENEFITS_DATA_DIR or pass --data-dir DIR"
    )]
    NoDataDir,
    #[error(
        "{path} was written by a newer benefits (schema version {found}; this one knows up to {supported}); \
         upgrade benefits to use this ledger"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path} is not a readable benefits ledger ({detail}); restore it from a backup, or move it \
         aside to start an empty ledger"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path} is read-only ({detail}); make the file and its directory writable, or pass --data-dir DIR"
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "cannot open {path} ({detail}); check that it is a file you may read and write, or pass --data-dir DIR"
    )]
    CannotOpen { path: PathBuf, detail: String },
    #[error("the disk holding {path} is full; free some space and try again (nothing was written)")]
    Full { path: PathBuf },
    #[error(
        "{path} stayed locked by another benefits process; try again in a moment (nothing was written)"
    )]
    Busy { path: PathBuf },
    #[error(
        "cannot make {path} private to its owner: {source}; fix its owner or permissions (chmod 600)"
    )]
    Permissions {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {detail}; if this persists, copy the file aside and report this message")]
    Sqlite { path: PathBuf, detail: String },
    #[error(
        "cannot reach the PostgreSQL server of {server} ({detail}); check that it runs and accepts \
         connections and that --store (or BENEFITS_STORE) names it (nothing was written)"
    )]
    Unreachable { server: String, detail: String },
    #[error(
        "the PostgreSQL server of {server} refused the connection ({detail}); check the user and \
         database in --store and the password (PGPASSWORD or the password file ~/.pgpass)"
    )]
    ServerRefused { server: String, detail: String },
    #[error(
        "the ledger in {server} was written by a newer benefits (schema version {found}; this one \
         knows up to {supported}); upgrade benefits to use this ledger"
    )]
    ServerNewerSchema {
        server: String,
        found: i64,
        supported: i64,
    },
    #[error(
        "{server} holds tables named like a benefits ledger that benefits did not write ({detail}); \
         use another database"
    )]
    ServerForeign { server: String, detail: String },
    #[error(
        "the ledger in {server} stayed locked by another benefits process; try again in a moment \
         (nothing was written)"
    )]
    ServerBusy { server: String },
    #[error("{server}: {detail}; if this persists, report this message")]
    Server { server: String, detail: String },
}

/// A write that did not happen: refused by a rule (or by the one-redemption-per-key
/// constraint), or the ledger failed.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("refused: {0}")]
    Refused(#[source] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// After an open or I/O failure: try to write a page next to the ledger, and say "full" or
/// "read-only" when that is why it fails (nothing else is concluded; the probe is removed).
pub(super) fn probe_io(path: &Path) -> Option<StoreError> {
    use std::io::Write;
    let dir = path.parent()?;
    let probe = dir.join(format!(".{}.probe-{}", super::DB_FILE, std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .and_then(|mut f| {
            let page = [0u8; 4096];
            f.write_all(&page)?;
            f.sync_all()
        });
    let _ = std::fs::remove_file(&probe);
    io_cause(path, written.err()?)
}

/// A full or read-only file system, when that is what `e` says.
pub(super) fn io_cause(path: &Path, e: std::io::Error) -> Option<StoreError> {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
            Some(StoreError::Full {
                path: path.to_path_buf(),
            })
        }
        ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied => Some(StoreError::ReadOnly {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }),
        _ => None,
    }
}

pub(super) fn classify_io(path: &Path, e: std::io::Error) -> StoreError {
    use std::io::ErrorKind;
    let path = path.to_path_buf();
    match e.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => StoreError::ReadOnly {
            path,
            detail: e.to_string(),
        },
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
            StoreError::Full { path }
        }
        _ => StoreError::CannotOpen {
            path,
            detail: e.to_string(),
        },
    }
}
