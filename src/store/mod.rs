//! The ledger: append-only, in embedded SQLite. One operation is one transaction; a key is
//! redeemable once because a PRIMARY KEY says so, not because a check ran first.

mod schema;

use crate::domain::{Entry, LedgerMismatch, Portfolio, Refusal, RefusalCode};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior, params};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DB_FILE: &str = "ledger.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot create the data directory {path}: {source}; pass --data-dir DIR with a writable directory"
    )]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no data directory: set BENEFITS_DATA_DIR or pass --data-dir DIR")]
    NoDataDir,
    #[error(
        "{path} was written by a newer benefits (schema {found}, this one knows {supported}); upgrade benefits"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path} is not a readable ledger ({detail}); restore it from a backup or move it aside"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path} is read-only ({detail}); make it writable or use another --data-dir")]
    ReadOnly { path: PathBuf, detail: String },
    #[error("the disk holding {path} is full; free space and try again (nothing was written)")]
    Full { path: PathBuf },
    #[error("{path}: {detail}")]
    Sqlite { path: PathBuf, detail: String },
    #[error("{path}: cannot set permissions: {source}")]
    Permissions {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug)]
pub enum CommitError {
    Refused(Refusal),
    Store(StoreError),
}

impl From<StoreError> for CommitError {
    fn from(e: StoreError) -> Self {
        CommitError::Store(e)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub seq: i64,
    pub entry: Entry,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// `--data-dir`, then `BENEFITS_DATA_DIR`, then the user data directory.
pub fn resolve_data_dir(flag: Option<&Path>, env: Option<&OsStr>) -> Result<PathBuf, StoreError> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(e) = env.filter(|e| !e.is_empty()) {
        return Ok(PathBuf::from(e));
    }
    default_data_dir().ok_or(StoreError::NoDataDir)
}

pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "benefits", "benefits")
        .map(|d| d.data_dir().to_path_buf())
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const BUSY_RETRIES: u32 = 20;

impl Store {
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        create_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let existed = path.exists();
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&path, e))?;
        if !existed {
            set_mode(&path, 0o600)?;
        }
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&path, e))?;
        let store = Store { conn, path };
        store.check_integrity()?;
        retry_busy(|| schema::migrate(&store.conn)).map_err(|e| match e {
            schema::MigrateError::Newer { found, supported } => StoreError::NewerSchema {
                path: store.path.clone(),
                found,
                supported,
            },
            schema::MigrateError::Sql(e) => classify(&store.path, e),
        })?;
        for suffix in ["-wal", "-shm"] {
            let side = store.path.with_file_name(format!("{DB_FILE}{suffix}"));
            if side.exists() {
                set_mode(&side, 0o600)?;
            }
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn check_integrity(&self) -> Result<(), StoreError> {
        let result: Result<String, _> =
            retry_busy(|| self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0)));
        match result {
            Ok(s) if s == "ok" => Ok(()),
            Ok(s) => Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: s,
            }),
            Err(e) => Err(classify(&self.path, e)),
        }
    }

    /// Fold every entry newer than `portfolio.last_seq` in, in ledger order.
    pub fn fold(&self, portfolio: &mut Portfolio) -> Result<(), StoreError> {
        fold_conn(&self.conn, portfolio).map_err(|e| classify(&self.path, e))
    }

    /// One operation, one transaction: take the write lock, catch up with other processes,
    /// plan against that fresh state, append, commit, then apply to `portfolio`.
    pub fn commit<F>(&self, portfolio: &mut Portfolio, plan: F) -> Result<Committed, CommitError>
    where
        F: FnOnce(&Portfolio) -> Result<Entry, Refusal>,
    {
        let mut plan = Some(plan);
        let mut attempt = 0;
        loop {
            match self.try_commit(portfolio, &mut plan) {
                Err(CommitError::Store(StoreError::Sqlite { .. })) | Ok(None)
                    if attempt < BUSY_RETRIES && plan.is_some() =>
                {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(10 * u64::from(attempt)));
                }
                Ok(Some(c)) => return Ok(c),
                Ok(None) => {
                    return Err(CommitError::Store(StoreError::Sqlite {
                        path: self.path.clone(),
                        detail: "the ledger stayed busy; try again".into(),
                    }));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// `Ok(None)`: the database was busy before anything was planned; try again.
    fn try_commit<F>(
        &self,
        portfolio: &mut Portfolio,
        plan: &mut Option<F>,
    ) -> Result<Option<Committed>, CommitError>
    where
        F: FnOnce(&Portfolio) -> Result<Entry, Refusal>,
    {
        let tx = match rusqlite::Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        ) {
            Ok(tx) => tx,
            Err(e) if is_busy(&e) => return Ok(None),
            Err(e) => return Err(classify(&self.path, e).into()),
        };
        fold_conn(&tx, portfolio).map_err(|e| classify(&self.path, e))?;
        let entry =
            (plan.take().expect("planned once"))(portfolio).map_err(CommitError::Refused)?;
        let json = serde_json::to_string(&entry).expect("entries serialize");
        let key_masked = match &entry {
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
        .map_err(|e| classify(&self.path, e))?;
        let seq = tx.last_insert_rowid();
        if let Some(fp) = entry.redeemed_key() {
            match tx.execute(
                "INSERT INTO redeemed_keys (key_fingerprint, seq) VALUES (?1, ?2)",
                params![fp, seq],
            ) {
                Ok(_) => {}
                Err(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == ErrorCode::ConstraintViolation =>
                {
                    return Err(CommitError::Refused(Refusal::new(
                        RefusalCode::KeyAlreadyRedeemed,
                    )));
                }
                Err(e) => return Err(classify(&self.path, e).into()),
            }
        }
        tx.commit().map_err(|e| classify(&self.path, e))?;
        portfolio.apply(seq, &entry);
        Ok(Some(Committed { seq, entry }))
    }

    /// The whole ledger, newest first.
    pub fn history(&self) -> Result<Vec<(i64, Entry)>, StoreError> {
        let mut out = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT seq, entry FROM ledger ORDER BY seq DESC")
            .map_err(|e| classify(&self.path, e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| classify(&self.path, e))?;
        for row in rows {
            let (seq, json) = row.map_err(|e| classify(&self.path, e))?;
            if let Ok(e) = serde_json::from_str(&json) {
                out.push((seq, e));
            }
        }
        Ok(out)
    }

    pub fn len(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM ledger", [], |r| r.get(0))
            .map_err(|e| classify(&self.path, e))
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }
}

fn fold_conn(conn: &Connection, portfolio: &mut Portfolio) -> rusqlite::Result<()> {
    let mut stmt = conn
        .prepare_cached("SELECT seq, op, benefit, entry FROM ledger WHERE seq > ?1 ORDER BY seq")?;
    let mut rows = stmt.query([portfolio.last_seq])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let json: String = row.get(3)?;
        match serde_json::from_str::<Entry>(&json) {
            Ok(entry) => portfolio.apply(seq, &entry),
            Err(e) => {
                // Unreadable entries are reported, never dropped silently.
                let benefit: String = row.get(2)?;
                portfolio.mismatches.push(LedgerMismatch {
                    seq,
                    op: "unreadable",
                    benefit,
                    problem: format!("entry does not parse: {e}"),
                });
                portfolio.last_seq = portfolio.last_seq.max(seq);
            }
        }
    }
    Ok(())
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

fn retry_busy<T, E>(mut f: impl FnMut() -> Result<T, E>) -> Result<T, E>
where
    E: BusyCheck,
{
    let mut attempt = 0;
    loop {
        match f() {
            Err(e) if e.busy() && attempt < BUSY_RETRIES => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(10 * u64::from(attempt)));
            }
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
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                StoreError::ReadOnly { path, detail }
            }
            ErrorCode::DiskFull => StoreError::Full { path },
            _ => StoreError::Sqlite { path, detail },
        };
    }
    StoreError::Sqlite {
        path,
        detail: e.to_string(),
    }
}

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })
}

fn set_mode(path: &Path, mode: u32) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|source| {
            StoreError::Permissions {
                path: path.to_path_buf(),
                source,
            }
        })
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
