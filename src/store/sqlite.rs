//! The SQLite backend: one connection, WAL, `BEGIN IMMEDIATE` writes, the busy timeout,
//! and SQLite's errors turned into `StoreError`s that name the file.

use super::error::{CommitError, StoreError, probe_io};
use super::private::{create_private_dir, create_private_file, make_private};
use super::retry::{Backoff, BusyCheck, retry_busy};
use super::{Clock, Committed, DB_FILE, LedgerRow, Logged, fold_rows, marker_digest, schema};
use crate::domain::{Entry, Portfolio, Refusal, RefusalCode};
use chrono::{DateTime, Utc};
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long SQLite itself waits for a lock before reporting the database busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open SQLite ledger. One per process (or thread); several may share a data directory.
pub struct Sqlite {
    pub(super) conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Sqlite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sqlite").field("path", &self.path).finish()
    }
}

impl Sqlite {
    /// Open (creating if needed) the ledger in `data_dir`: private files, WAL journal, busy
    /// timeout, foreign keys, an integrity check and the schema brought up to date.
    pub fn open(data_dir: &Path) -> Result<Sqlite, StoreError> {
        create_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        create_private_file(&path)?;
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&path, e))?;
        let store = Sqlite { conn, path };
        store.check_integrity()?;
        // Refuse a newer schema before anything (even the journal mode) is changed.
        retry_busy(|| schema::check_not_newer(&store.conn)).map_err(|e| store.migrate_error(e))?;
        retry_busy(|| schema::configure(&store.conn)).map_err(|e| store.err(e))?;
        retry_busy(|| schema::migrate(&store.conn)).map_err(|e| store.migrate_error(e))?;
        for suffix in ["-wal", "-shm"] {
            make_private(&store.path.with_file_name(format!("{DB_FILE}{suffix}")))?;
        }
        Ok(store)
    }

    /// A second, read-only connection to a ledger that `open` already checked and migrated
    /// in this process: what a thread that only reads needs, without checking the whole
    /// file again.
    pub fn open_reader(data_dir: &Path) -> Result<Sqlite, StoreError> {
        let path = data_dir.join(DB_FILE);
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&path, e))?;
        Ok(Sqlite { conn, path })
    }

    /// The ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        retry_busy(|| schema::version(&self.conn)).map_err(|e| self.err(e))
    }

    /// Fold every entry newer than `portfolio.last_seq` in, in ledger order: the initial load,
    /// and catching up with what other processes appended since. An entry that does not
    /// parse is reported in `portfolio.mismatches`, never skipped silently.
    /// Returns the entries folded in, oldest first (the dashboard's history, read once).
    pub fn fold(&self, portfolio: &mut Portfolio) -> Result<Vec<Logged>, StoreError> {
        retry_busy(|| {
            let mut folded = Vec::new();
            fold_conn(&self.conn, portfolio, &mut folded).map(|()| folded)
        })
        .map_err(|e| self.err(e))
    }

    /// One operation, one transaction: take the write lock, catch up with other processes,
    /// let `plan` decide against that fresh state, append its entry (and, for a redemption,
    /// claim the key, which the database allows once), commit, then apply to `portfolio`.
    /// Nothing is written when `plan` refuses or anything fails.
    pub fn commit<F>(
        &self,
        portfolio: &mut Portfolio,
        clock: Clock,
        plan: F,
    ) -> Result<Committed, CommitError>
    where
        F: FnOnce(&Portfolio) -> Result<Entry, Refusal>,
    {
        let mut plan = plan;
        let mut backoff = Backoff::new();
        loop {
            match self.attempt(portfolio, clock, plan) {
                Attempt::Done(result) => return result,
                Attempt::Busy(unused, e) => {
                    if !backoff.wait() {
                        return Err(self.err(e).into());
                    }
                    plan = unused;
                }
            }
        }
    }

    /// Busy before `plan` ran hands the plan back for another attempt; after, it is final.
    fn attempt<F>(&self, portfolio: &mut Portfolio, clock: Clock, plan: F) -> Attempt<F>
    where
        F: FnOnce(&Portfolio) -> Result<Entry, Refusal>,
    {
        let tx = match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) if is_busy(&e) => return Attempt::Busy(plan, e),
            Err(e) => return Attempt::Done(Err(self.err(e).into())),
        };
        match fold_conn(&tx, portfolio, &mut Vec::new()) {
            Ok(()) => {}
            Err(e) if is_busy(&e) => return Attempt::Busy(plan, e),
            Err(e) => return Attempt::Done(Err(self.err(e).into())),
        }
        let entry = match plan(portfolio) {
            Ok(entry) => entry,
            // Dropping `tx` rolls back: a refusal writes nothing.
            Err(refusal) => return Attempt::Done(Err(CommitError::Refused(refusal))),
        };
        Attempt::Done(self.append(tx, portfolio, clock, entry))
    }

    fn append(
        &self,
        tx: Transaction<'_>,
        portfolio: &mut Portfolio,
        clock: Clock,
        entry: Entry,
    ) -> Result<Committed, CommitError> {
        let at = clock.now();
        let seq = self.insert(&tx, &entry, at)?;
        tx.commit().map_err(|e| self.err(e))?;
        portfolio.apply(seq, &entry);
        Ok(Committed { seq, entry, at })
    }

    /// Write one entry inside `tx`, stamped `at` (and, for a redemption, claim its key); its
    /// sequence number.
    fn insert(
        &self,
        tx: &Transaction<'_>,
        entry: &Entry,
        at: DateTime<Utc>,
    ) -> Result<i64, CommitError> {
        let (op, benefit, date, key_masked, json) =
            super::columns(entry).map_err(|detail| StoreError::Sqlite {
                path: self.path.clone(),
                detail,
            })?;
        tx.execute(
            "INSERT INTO ledger (op, benefit, date, key_masked, entry, recorded_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![op, benefit, date, key_masked, json, super::stamp_text(at)],
        )
        .map_err(|e| self.err(e))?;
        let seq = tx.last_insert_rowid();
        if let Some(fingerprint) = entry.redeemed_key() {
            match tx.execute(
                "INSERT INTO redeemed_keys (key_fingerprint, seq) VALUES (?1, ?2)",
                params![fingerprint, seq],
            ) {
                Ok(_) => {}
                // The constraint, not an earlier check, decides who redeemed the key first.
                Err(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == ErrorCode::ConstraintViolation =>
                {
                    return Err(CommitError::Refused(Refusal::new(
                        RefusalCode::KeyAlreadyRedeemed,
                    )));
                }
                Err(e) => return Err(self.err(e).into()),
            }
        }
        Ok(seq)
    }

    /// Append the entries `next` plans, each against the state the ones before it left, in
    /// one transaction: for loading a large past ledger (the generator), where a commit and
    /// its fsync per entry would take minutes. All or nothing; on an error `portfolio` may
    /// hold entries that were rolled back, so the caller drops it.
    pub fn commit_batch<F>(
        &self,
        portfolio: &mut Portfolio,
        clock: Clock,
        mut next: F,
    ) -> Result<usize, CommitError>
    where
        F: FnMut(&Portfolio) -> Option<Entry>,
    {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        fold_conn(&tx, portfolio, &mut Vec::new()).map_err(|e| self.err(e))?;
        let mut written = 0;
        while let Some(entry) = next(portfolio) {
            let seq = self.insert(&tx, &entry, clock.now())?;
            portfolio.apply(seq, &entry);
            written += 1;
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(written)
    }

    /// `read_since`, handed to `each` `chunk` rows at a time as they are read, so a start
    /// folds the first rows of a long ledger while the rest are still being read. Each row
    /// is handed over once, also when a busy database makes the read start over.
    pub fn read_since_in_chunks(
        &self,
        after: i64,
        chunk: usize,
        mut each: impl FnMut(Vec<LedgerRow>),
    ) -> Result<(), StoreError> {
        let mut last = after;
        retry_busy(|| read_rows(&self.conn, &mut last, chunk, &mut each)).map_err(|e| self.err(e))
    }

    /// The entries after sequence number `seq`, oldest first (what a history shown since
    /// then lacks). Entries that do not parse are left out, as in `history`.
    pub fn entries_since(&self, seq: i64) -> Result<Vec<Logged>, StoreError> {
        self.entries(
            "SELECT seq, entry, recorded_at FROM ledger WHERE seq > ?1 ORDER BY seq",
            seq,
            0,
        )
    }

    /// Entry `seq`, when the ledger has it and it parses (what a correction names).
    pub fn entry(&self, seq: i64) -> Result<Option<Entry>, StoreError> {
        let found = self.entries(
            "SELECT seq, entry, recorded_at FROM ledger WHERE seq = ?1",
            seq,
            1,
        )?;
        Ok(found.into_iter().next().map(|l| l.entry))
    }

    /// The entries `sql` selects with `seq`, with room reserved for `expected` of them.
    fn entries(&self, sql: &str, seq: i64, expected: usize) -> Result<Vec<Logged>, StoreError> {
        retry_busy(|| {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let mut rows = stmt.query([seq])?;
            let mut out = Vec::with_capacity(expected);
            while let Some(r) = rows.next()? {
                let json: String = r.get(1)?;
                let at: Option<String> = r.get(2)?;
                out.extend(super::logged(r.get(0)?, &json, at.as_deref()));
            }
            Ok(out)
        })
        .map_err(|e| self.err(e))
    }

    /// The entries up to and including `seq`, oldest first: what a start from a checkpoint
    /// did not read. Entries that do not parse are left out, as in `history`.
    pub fn entries_through(&self, seq: i64) -> Result<Vec<Logged>, StoreError> {
        // Entries are numbered from 1 as they are appended: about `seq` of them.
        let expected = usize::try_from(seq).unwrap_or(0).min(1 << 20);
        self.entries(
            "SELECT seq, entry, recorded_at FROM ledger WHERE seq <= ?1 ORDER BY seq",
            seq,
            expected,
        )
    }

    /// What a checkpoint folded through `seq` must still find in the ledger to hold: a
    /// digest of that entry's stored text and of how many entries reach up to it. Entries
    /// are only ever appended, so any other ledger (replaced, restored from a backup,
    /// started afresh) shows another marker, or none (`None`: no entry `seq`).
    pub fn marker(&self, seq: i64) -> Result<Option<[u8; 32]>, StoreError> {
        retry_busy(|| {
            let text: Option<String> = self
                .conn
                .query_row("SELECT entry FROM ledger WHERE seq = ?1", [seq], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(text) = text else { return Ok(None) };
            let count: i64 =
                self.conn
                    .query_row("SELECT COUNT(*) FROM ledger WHERE seq <= ?1", [seq], |r| {
                        r.get(0)
                    })?;
            Ok(Some(marker_digest(seq, count, &text, "")))
        })
        .map_err(|e| self.err(e))
    }

    /// The newest entry's seq (0 when empty): a cheap look whether anyone appended since a
    /// fold, before folding.
    pub fn last_seq(&self) -> Result<i64, StoreError> {
        retry_busy(|| {
            self.conn
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM ledger", [], |r| r.get(0))
        })
        .map_err(|e| self.err(e))
    }

    /// How many entries the ledger holds.
    pub fn len(&self) -> Result<i64, StoreError> {
        retry_busy(|| {
            self.conn
                .query_row("SELECT COUNT(*) FROM ledger", [], |r| r.get(0))
        })
        .map_err(|e| self.err(e))
    }

    fn check_integrity(&self) -> Result<(), StoreError> {
        let result: rusqlite::Result<String> =
            retry_busy(|| self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0)));
        match result {
            Ok(s) if s == "ok" => Ok(()),
            Ok(s) => Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: s,
            }),
            Err(e) => Err(self.err(e)),
        }
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }

    fn migrate_error(&self, e: schema::MigrateError) -> StoreError {
        match e {
            schema::MigrateError::Newer { found, supported } => StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                supported,
            },
            schema::MigrateError::Foreign => StoreError::Corrupt {
                path: self.path.clone(),
                detail: "a SQLite database, but not one benefits wrote".into(),
            },
            schema::MigrateError::Sql(e) => self.err(e),
        }
    }
}

enum Attempt<F> {
    Done(Result<Committed, CommitError>),
    Busy(F, rusqlite::Error),
}

/// The rows after `*last`, in chunks of `chunk`; `*last` follows what was handed over.
fn read_rows(
    conn: &Connection,
    last: &mut i64,
    chunk: usize,
    each: &mut impl FnMut(Vec<LedgerRow>),
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, benefit, entry, recorded_at FROM ledger WHERE seq > ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([*last])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let json: String = row.get(2)?;
        let at = match row.get_ref(3)? {
            rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).ok(),
            _ => None,
        };
        out.push(super::parse_row(seq, row.get(1)?, &json, at));
        if out.len() >= chunk {
            *last = seq;
            each(std::mem::take(&mut out));
        }
    }
    if let Some(row) = out.last() {
        *last = row.seq();
        each(out);
    }
    Ok(())
}

/// Fold the entries after `portfolio.last_seq` in; those that parse are also pushed to `folded`.
fn fold_conn(
    conn: &Connection,
    portfolio: &mut Portfolio,
    folded: &mut Vec<Logged>,
) -> rusqlite::Result<()> {
    let mut last = portfolio.last_seq;
    read_rows(conn, &mut last, usize::MAX, &mut |rows| {
        folded.extend(fold_rows(portfolio, rows))
    })
}

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

impl BusyCheck for rusqlite::Error {
    fn busy(&self) -> bool {
        is_busy(self)
    }
}

impl BusyCheck for schema::MigrateError {
    fn busy(&self) -> bool {
        matches!(self, schema::MigrateError::Sql(e) if is_busy(e))
    }
}

/// Turn SQLite's error into one that names the file and what to do.
pub(super) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let detail = msg.clone().unwrap_or_else(|| f.to_string());
        return match f.code {
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                StoreError::Corrupt { path, detail }
            }
            ErrorCode::ReadOnly | ErrorCode::PermissionDenied => {
                StoreError::ReadOnly { path, detail }
            }
            // SQLite does not say why it could not open or write; the file system can.
            ErrorCode::CannotOpen | ErrorCode::SystemIoFailure => {
                probe_io(&path).unwrap_or(if f.code == ErrorCode::CannotOpen {
                    StoreError::CannotOpen { path, detail }
                } else {
                    StoreError::Sqlite { path, detail }
                })
            }
            ErrorCode::DiskFull => StoreError::Full { path },
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy { path },
            _ => StoreError::Sqlite { path, detail },
        };
    }
    StoreError::Sqlite {
        path,
        detail: e.to_string(),
    }
}
