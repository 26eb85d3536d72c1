//! The ledger: append-only. One operation is one transaction; a key is redeemable once
//! because the database's unique constraint says so, not because a check ran first.
//!
//! One interface, two backends: `Store` (`backend.rs`) is the ledger whichever it is, and
//! the rest of the program never asks which. `Store::commit` lets a plan decide inside the
//! write transaction, `Store::execute` writes an `Operation` (planned by `Operation::plan`
//! there), and reads hand `LedgerRow`s to `fold_rows`. Embedded SQLite (`sqlite.rs`,
//! `schema.rs`) is the default; PostgreSQL (`postgres.rs`, `pg_schema.rs`, `pg_connect.rs`,
//! `pg_listen.rs`) is chosen by `--store URL` (`location.rs`). Both share errors
//! (`error.rs`), busy retries (`retry.rs`), the data directory's private files
//! (`private.rs`) and the clock that stamps each entry as it is written (`stamp.rs`: the
//! store is the edge that reads the time, never the core); `copy.rs` moves a ledger from
//! one to the other.
//!
//! SQLite: `<data dir>/ledger.db` (plus `-wal` and `-shm`), owner-only (0600, the directory
//! 0700 when this creates it). Journal: WAL, so readers never block the writer. Every write
//! starts with `BEGIN IMMEDIATE`, folds in what other processes appended, plans against that
//! fresh state and appends, all under the write lock.
//!
//! PostgreSQL: every write is one READ COMMITTED transaction that first takes one
//! transaction-scoped advisory lock, the same one-writer-at-a-time that `BEGIN IMMEDIATE`
//! gives, then folds, plans and appends; readers are never blocked. Lock waits on either
//! are absorbed by the backend's lock timeout and a bounded retry with backoff.

mod backend;
mod copy;
mod error;
mod location;
mod pg_connect;
mod pg_listen;
mod pg_schema;
mod postgres;
mod private;
mod retry;
mod schema;
mod sqlite;
mod stamp;

pub use backend::Store;
pub use copy::{Copied, CopyError, copy_into};
pub use error::{CommitError, StoreError};
pub use location::{BadLocation, Location, STORE_ENV};
pub use pg_listen::Listener;
use stamp::parse_stamp;
pub use stamp::{Clock, stamp_text};

use crate::domain::{Entry, LedgerMismatch, Portfolio};
use chrono::{DateTime, Utc};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The ledger's file name inside the data directory.
pub const DB_FILE: &str = "ledger.db";
/// The schema version this binary writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::VERSION;
/// Environment variable naming the data directory (after `--data-dir`, before the default).
pub const DATA_DIR_ENV: &str = "BENEFITS_DATA_DIR";

/// An entry that made it into the ledger, at `seq`, written at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub seq: i64,
    pub entry: Entry,
    pub at: DateTime<Utc>,
}

impl Committed {
    /// The entry as a read of the ledger gives it back.
    pub fn logged(&self) -> Logged {
        Logged {
            seq: self.seq,
            at: Some(self.at),
            entry: self.entry.clone(),
        }
    }
}

/// An entry as the ledger holds it: its number, when the store wrote it (UTC, to the
/// second; None for entries written before the ledger recorded times) and the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub seq: i64,
    pub at: Option<DateTime<Utc>>,
    pub entry: Entry,
}

impl Logged {
    /// Its number and entry, as the pure rules take them (`reconcile_newest_first`).
    pub fn pair(&self) -> (i64, &Entry) {
        (self.seq, &self.entry)
    }
}

/// A row of the ledger as read, before it meets a catalog.
#[derive(Debug)]
pub enum LedgerRow {
    Entry(Logged),
    /// A row whose entry does not parse: a mismatch once folded, never dropped silently.
    Unreadable(LedgerMismatch),
}

impl LedgerRow {
    pub fn seq(&self) -> i64 {
        match self {
            LedgerRow::Entry(l) => l.seq,
            LedgerRow::Unreadable(m) => m.seq,
        }
    }
}

/// Fold rows read after `portfolio.last_seq` in, in order; the entries that parsed.
pub fn fold_rows(portfolio: &mut Portfolio, rows: Vec<LedgerRow>) -> Vec<Logged> {
    let mut folded = Vec::with_capacity(rows.len());
    for row in rows {
        match row {
            LedgerRow::Entry(logged) => {
                portfolio.apply(logged.seq, &logged.entry);
                folded.push(logged);
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

/// One row of the ledger as stored, text and all: what `store copy` moves and verifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub seq: i64,
    pub op: String,
    pub benefit: String,
    pub date: String,
    pub key_masked: Option<String>,
    pub entry: String,
    pub recorded_at: Option<String>,
}

/// A whole ledger as stored: its rows and its redeemed keys (fingerprint, seq), in order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RawLedger {
    pub rows: Vec<RawRow>,
    pub keys: Vec<(String, i64)>,
}

/// What a checkpoint through `seq` must find again: a digest of that entry's stored text,
/// of how many entries reach up to it and (for a server's ledger) of the ledger's id.
fn marker_digest(seq: i64, count: i64, text: &str, ledger_id: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"benefits ledger marker");
    h.update(seq.to_le_bytes());
    h.update(count.to_le_bytes());
    h.update(text.as_bytes());
    if !ledger_id.is_empty() {
        h.update(b"ledger id");
        h.update(ledger_id.as_bytes());
    }
    h.finalize().into()
}

/// The ledger's columns for an entry: op, benefit, date, masked key and the JSON itself.
fn columns(entry: &Entry) -> Result<(String, String, String, Option<String>, String), String> {
    let json =
        serde_json::to_string(entry).map_err(|e| format!("cannot encode the ledger entry: {e}"))?;
    let key_masked = match entry {
        Entry::Redemption { key_masked, .. } | Entry::Activation { key_masked, .. } => {
            Some(key_masked.clone())
        }
        _ => None,
    };
    Ok((
        entry.op().to_string(),
        entry.benefit().to_string(),
        entry.date().to_string(),
        key_masked,
        json,
    ))
}

/// A row read back as an entry, when it parses (the reads that leave mismatches to `fold`).
fn logged(seq: i64, json: &str, at: Option<&str>) -> Option<Logged> {
    let entry = serde_json::from_str(json).ok()?;
    Some(Logged {
        seq,
        at: parse_stamp(at),
        entry,
    })
}

/// A row read back: the entry it holds, or a mismatch saying why it does not parse.
fn parse_row(seq: i64, benefit: String, json: &str, at: Option<&str>) -> LedgerRow {
    match serde_json::from_str::<Entry>(json) {
        Ok(entry) => LedgerRow::Entry(Logged {
            seq,
            at: parse_stamp(at),
            entry,
        }),
        Err(e) => LedgerRow::Unreadable(LedgerMismatch {
            seq,
            op: "unreadable",
            benefit,
            problem: format!("the ledger entry does not parse: {e}"),
        }),
    }
}

#[cfg(test)]
mod tests;
