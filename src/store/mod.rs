//! The ledger: append-only, in embedded SQLite. One operation is one transaction; a key is
//! redeemable once because a PRIMARY KEY says so, not because a check ran first.
//!
//! Files: `<data dir>/ledger.db` (plus SQLite's `-wal` and `-shm`), owner-only (0600, the
//! directory 0700 when this creates it). Journal: WAL, so readers never block the writer.
//! Concurrency: every write starts with `BEGIN IMMEDIATE`, folds in what other processes
//! appended, plans against that fresh state and appends, all under the write lock. Lock
//! waits are absorbed by SQLite's busy timeout and a bounded retry with backoff.

mod schema;

use crate::domain::{Entry, LedgerMismatch, Portfolio, Refusal, RefusalCode, User};
use crate::files;
use crate::redeem::{Ctx, Operation};
use chrono::NaiveDate;
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The ledger's file name inside the data directory.
pub const DB_FILE: &str = "ledger.db";
/// The schema version this binary writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = schema::VERSION;
/// Environment variable naming the data directory (after `--data-dir`, before the default).
pub const DATA_DIR_ENV: &str = "BENEFITS_DATA_DIR";

/// How long SQLite itself waits for a lock before reporting the database busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries on top of the busy timeout (for the busy answers SQLite gives without waiting).
const BUSY_RETRIES: u32 = 10;
/// No retry starts after this much time has passed.
const BUSY_DEADLINE: Duration = Duration::from_secs(20);

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

/// An entry that made it into the ledger, at `seq`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub seq: i64,
    pub entry: Entry,
}

/// An open ledger. One per process (or thread); several may share a data directory.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
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
    /// Open (creating if needed) the ledger in `data_dir`: private files, WAL journal, busy
    /// timeout, foreign keys, an integrity check and the schema brought up to date.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
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
        let store = Store { conn, path };
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
    pub fn open_reader(data_dir: &Path) -> Result<Store, StoreError> {
        let path = data_dir.join(DB_FILE);
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&path, e))?;
        Ok(Store { conn, path })
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
    pub fn fold(&self, portfolio: &mut Portfolio) -> Result<Vec<(i64, Entry)>, StoreError> {
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
    pub fn commit<F>(&self, portfolio: &mut Portfolio, plan: F) -> Result<Committed, CommitError>
    where
        F: FnOnce(&Portfolio) -> Result<Entry, Refusal>,
    {
        let mut plan = plan;
        let mut backoff = Backoff::new();
        loop {
            match self.attempt(portfolio, plan) {
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

    /// Busy before `plan` ran hands the plan back for another attempt; after, it is final.
    fn attempt<F>(&self, portfolio: &mut Portfolio, plan: F) -> Attempt<F>
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
        Attempt::Done(self.append(tx, portfolio, entry))
    }

    fn append(
        &self,
        tx: Transaction<'_>,
        portfolio: &mut Portfolio,
        entry: Entry,
    ) -> Result<Committed, CommitError> {
        let seq = self.insert(&tx, &entry)?;
        tx.commit().map_err(|e| self.err(e))?;
        portfolio.apply(seq, &entry);
        Ok(Committed { seq, entry })
    }

    /// Write one entry inside `tx` (and, for a redemption, claim its key); its sequence number.
    fn insert(&self, tx: &Transaction<'_>, entry: &Entry) -> Result<i64, CommitError> {
        let json = serde_json::to_string(entry).map_err(|e| StoreError::Sqlite {
            path: self.path.clone(),
            detail: format!("cannot encode the ledger entry: {e}"),
        })?;
        let key_masked = match entry {
            Entry::Redemption { key_masked, .. } | Entry::Activation { key_masked, .. } => {
                Some(key_masked.as_str())
            }
            _ => None,
        };
        tx.execute(
            "INSERT INTO ledger (op, benefit, date, key_masked, entry) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                entry.op(),
                entry.benefit(),
                entry.date().to_string(),
                key_masked,
                json
            ],
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
            let seq = self.insert(&tx, &entry)?;
            portfolio.apply(seq, &entry);
            written += 1;
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(written)
    }

    /// The rows after sequence number `after`, in ledger order, for `fold_rows`: reading can
    /// then run while the catalog loads.
    pub fn read_since(&self, after: i64) -> Result<Vec<LedgerRow>, StoreError> {
        let mut rows = Vec::new();
        self.read_since_in_chunks(after, usize::MAX, |chunk| rows.extend(chunk))?;
        Ok(rows)
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

    /// The ledger, newest first. Entries that do not parse are left out here; `fold` reports
    /// them as mismatches.
    pub fn history(&self) -> Result<Vec<(i64, Entry)>, StoreError> {
        let mut entries = self.entries_since(0)?;
        entries.reverse();
        Ok(entries)
    }

    /// The entries after sequence number `seq`, oldest first (what a history shown since
    /// then lacks). Entries that do not parse are left out, as in `history`.
    pub fn entries_since(&self, seq: i64) -> Result<Vec<(i64, Entry)>, StoreError> {
        self.entries(
            "SELECT seq, entry FROM ledger WHERE seq > ?1 ORDER BY seq",
            seq,
            0,
        )
    }

    /// The entries `sql` selects with `seq`, with room reserved for `expected` of them.
    fn entries(
        &self,
        sql: &str,
        seq: i64,
        expected: usize,
    ) -> Result<Vec<(i64, Entry)>, StoreError> {
        retry_busy(|| {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows =
                stmt.query_map([seq], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            let mut out = Vec::with_capacity(expected);
            for row in rows {
                let (seq, json) = row?;
                if let Ok(entry) = serde_json::from_str(&json) {
                    out.push((seq, entry));
                }
            }
            Ok(out)
        })
        .map_err(|e| self.err(e))
    }

    /// The entries up to and including `seq`, oldest first: what a start from a checkpoint
    /// did not read. Entries that do not parse are left out, as in `history`.
    pub fn entries_through(&self, seq: i64) -> Result<Vec<(i64, Entry)>, StoreError> {
        // Entries are numbered from 1 as they are appended: about `seq` of them.
        let expected = usize::try_from(seq).unwrap_or(0).min(1 << 20);
        self.entries(
            "SELECT seq, entry FROM ledger WHERE seq <= ?1 ORDER BY seq",
            seq,
            expected,
        )
    }

    /// What a checkpoint folded through `seq` must still find in the ledger to hold: a
    /// digest of that entry's stored text and of how many entries reach up to it. Entries
    /// are only ever appended, so any other ledger (replaced, restored from a backup,
    /// started afresh) shows another marker, or none (`None`: no entry `seq`).
    pub fn marker(&self, seq: i64) -> Result<Option<[u8; 32]>, StoreError> {
        use sha2::{Digest, Sha256};
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
            let mut h = Sha256::new();
            h.update(b"benefits ledger marker");
            h.update(seq.to_le_bytes());
            h.update(count.to_le_bytes());
            h.update(text.as_bytes());
            Ok(Some(h.finalize().into()))
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

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
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

/// A row of the ledger as read, before it meets a catalog.
#[derive(Debug)]
pub enum LedgerRow {
    Entry(i64, Entry),
    /// A row whose entry does not parse: a mismatch once folded, never dropped silently.
    Unreadable(LedgerMismatch),
}

/// The rows after `*last`, in chunks of `chunk`; `*last` follows what was handed over.
fn read_rows(
    conn: &Connection,
    last: &mut i64,
    chunk: usize,
    each: &mut impl FnMut(Vec<LedgerRow>),
) -> rusqlite::Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, benefit, entry FROM ledger WHERE seq > ?1 ORDER BY seq")?;
    let mut rows = stmt.query([*last])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let json: String = row.get(2)?;
        out.push(match serde_json::from_str::<Entry>(&json) {
            Ok(entry) => LedgerRow::Entry(seq, entry),
            Err(e) => LedgerRow::Unreadable(LedgerMismatch {
                seq,
                op: "unreadable",
                benefit: row.get(1)?,
                problem: format!("the ledger entry does not parse: {e}"),
            }),
        });
        if out.len() >= chunk {
            *last = seq;
            each(std::mem::take(&mut out));
        }
    }
    if let Some(LedgerRow::Entry(seq, _) | LedgerRow::Unreadable(LedgerMismatch { seq, .. })) =
        out.last()
    {
        *last = *seq;
        each(out);
    }
    Ok(())
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

/// Fold the entries after `portfolio.last_seq` in; those that parse are also pushed to `folded`.
fn fold_conn(
    conn: &Connection,
    portfolio: &mut Portfolio,
    folded: &mut Vec<(i64, Entry)>,
) -> rusqlite::Result<()> {
    let mut last = portfolio.last_seq;
    read_rows(conn, &mut last, usize::MAX, &mut |rows| {
        folded.extend(fold_rows(portfolio, rows))
    })
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Bounded exponential backoff with a little jitter, so racing processes spread out.
struct Backoff {
    attempt: u32,
    deadline: Instant,
}

impl Backoff {
    fn new() -> Self {
        Backoff {
            attempt: 0,
            deadline: Instant::now() + BUSY_DEADLINE,
        }
    }

    /// Sleep before the next try; `false` when retries are used up.
    fn wait(&mut self) -> bool {
        if self.attempt >= BUSY_RETRIES || Instant::now() >= self.deadline {
            return false;
        }
        let base = (10u64 << self.attempt.min(6)).min(500);
        let jitter = u64::from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0),
        ) % base;
        std::thread::sleep(Duration::from_millis(base + jitter));
        self.attempt += 1;
        true
    }
}

fn retry_busy<T, E: BusyCheck>(mut f: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    let mut backoff = Backoff::new();
    loop {
        match f() {
            Err(e) if e.busy() && backoff.wait() => {}
            r => return r,
        }
    }
}

trait BusyCheck {
    fn busy(&self) -> bool;
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
fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
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

/// After an open or I/O failure: try to write a page next to the ledger, and say "full" or
/// "read-only" when that is why it fails (nothing else is concluded; the probe is removed).
fn probe_io(path: &Path) -> Option<StoreError> {
    use std::io::Write;
    let dir = path.parent()?;
    let probe = dir.join(format!(".{DB_FILE}.probe-{}", std::process::id()));
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
fn io_cause(path: &Path, e: std::io::Error) -> Option<StoreError> {
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

fn classify_io(path: &Path, e: std::io::Error) -> StoreError {
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

/// Create `dir` (and missing parents) owner-only; an existing directory is left as it is.
fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
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
fn create_private_file(path: &Path) -> Result<(), StoreError> {
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
fn make_private(path: &Path) -> Result<(), StoreError> {
    files::make_private(path).map_err(|source| permissions(path, source))
}

fn set_mode(path: &Path, mode: u32) -> Result<(), StoreError> {
    files::set_mode(path, mode).map_err(|source| permissions(path, source))
}

fn permissions(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Permissions {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests;
