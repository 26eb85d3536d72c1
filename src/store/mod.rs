//! The ledger: append-only. One operation is one transaction; a key is redeemable once
//! because the database's unique constraint says so, not because a check ran first.
//!
//! The interface is backend-neutral: `Store::commit` lets a plan decide inside the write
//! transaction, `Store::execute` writes an `Operation` (planned by `Operation::plan` there),
//! and reads hand `LedgerRow`s to `fold_rows`. The one backend today is embedded SQLite
//! (`sqlite.rs`, `schema.rs`); what a second backend would share lives apart from it:
//! errors (`error.rs`), busy retries (`retry.rs`), the data directory's private files
//! (`private.rs`).
//!
//! Files: `<data dir>/ledger.db` (plus SQLite's `-wal` and `-shm`), owner-only (0600, the
//! directory 0700 when this creates it). Journal: WAL, so readers never block the writer.
//! Concurrency: every write starts with `BEGIN IMMEDIATE`, folds in what other processes
//! appended, plans against that fresh state and appends, all under the write lock. Lock
//! waits are absorbed by SQLite's busy timeout and a bounded retry with backoff.

mod error;
mod private;
mod retry;
mod schema;
mod sqlite;

pub use error::{CommitError, StoreError};
pub use sqlite::Store;

use crate::domain::{Entry, LedgerMismatch, Portfolio, User};
use crate::redeem::{Ctx, Operation};
use chrono::NaiveDate;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The ledger's file name inside the data directory.
pub const DB_FILE: &str = "ledger.db";
/// The schema version this binary writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::VERSION;
/// Environment variable naming the data directory (after `--data-dir`, before the default).
pub const DATA_DIR_ENV: &str = "BENEFITS_DATA_DIR";

/// An entry that made it into the ledger, at `seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub seq: i64,
    pub entry: Entry,
}

/// A row of the ledger as read, before it meets a catalog.
#[derive(Debug)]
pub enum LedgerRow {
    Entry(i64, Entry),
    /// A row whose entry does not parse: a mismatch once folded, never dropped silently.
    Unreadable(LedgerMismatch),
}

/// Fold rows read after `portfolio.last_seq` in, in order; the entries that parsed.
pub fn fold_rows(portfolio: &mut Portfolio, rows: Vec<LedgerRow>) -> Vec<(i64, Entry)> {
    let mut folded = Vec::with_capacity(rows.len());
    for row in rows {
        match row {
            LedgerRow::Entry(seq, entry) => {
                portfolio.apply(seq, &entry);
                folded.push((seq, entry));
            }
            LedgerRow::Unreadable(m) => {
                portfolio.last_seq = portfolio.last_seq.max(m.seq);
                portfolio.mismatches.push(m);
            }
        }
    }
    folded
}

/// `--data-dir`, then the value of `BENEFITS_DATA_DIR` (ignored when empty), then the user
/// data directory.
pub fn resolve_data_dir(flag: Option<&Path>, env: Option<&OsStr>) -> Result<PathBuf, StoreError> {
    if let Some(p) = flag.filter(|p| !p.as_os_str().is_empty()) {
        return Ok(p.to_path_buf());
    }
    if let Some(e) = env.filter(|e| !e.is_empty()) {
        return Ok(PathBuf::from(e));
    }
    default_data_dir().ok_or(StoreError::NoDataDir)
}

/// The platform's data directory for benefits (e.g. `~/.local/share/benefits` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    crate::files::default_data_dir()
}

/// Whether `data_dir` holds a ledger already (nothing is created to find out).
pub fn exists(data_dir: &Path) -> bool {
    data_dir.join(DB_FILE).is_file()
}

impl Store {
    /// `commit` of one operation, planned by `Operation::plan` as `user` on `today`: what the
    /// dashboard, `serve` and the CLI write through.
    pub fn execute(
        &self,
        portfolio: &mut Portfolio,
        user: &User,
        today: NaiveDate,
        operation: &Operation,
    ) -> Result<Committed, CommitError> {
        self.commit(portfolio, |p| {
            operation.plan(Ctx {
                portfolio: p,
                user,
                today,
            })
        })
    }
}

#[cfg(test)]
mod tests;
