//! Schema versions and forward migrations, tracked in `PRAGMA user_version`.
//!
//! Append a migration to `MIGRATIONS` to move the schema forward; never edit one that has
//! shipped. A database whose version is newer than `VERSION` is refused before anything in
//! it is touched (see `version` and `Store::open`).

use rusqlite::{Connection, TransactionBehavior};

/// `MIGRATIONS[i]` migrates from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // v1: the ledger, and the table whose primary key makes a key redeemable once.
    "CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op TEXT NOT NULL,
        benefit TEXT NOT NULL,
        date TEXT NOT NULL,
        key_masked TEXT,
        entry TEXT NOT NULL
    );
    CREATE TABLE redeemed_keys (
        key_fingerprint TEXT PRIMARY KEY,
        seq INTEGER NOT NULL REFERENCES ledger(seq)
    );",
    // v2: when the store wrote each entry (RFC 3339, UTC); entries from before stay NULL.
    "ALTER TABLE ledger ADD COLUMN recorded_at TEXT;",
];

/// The schema version this binary writes and understands.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Why the schema cannot be brought up to date; `Store` turns it into a `StoreError` that
/// names the file.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("schema version {found} is newer than {supported}")]
    Newer { found: i64, supported: i64 },
    /// Version 0 but tables already there: some other program's database.
    #[error("a SQLite database, but not one benefits wrote")]
    Foreign,
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

/// The schema version recorded in the file (0: a new, empty database).
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Refuse a schema from the future; otherwise nothing.
pub fn check_not_newer(conn: &Connection) -> Result<i64, MigrateError> {
    let found = version(conn)?;
    if found > VERSION {
        return Err(MigrateError::Newer {
            found,
            supported: VERSION,
        });
    }
    Ok(found)
}

/// Per-connection settings plus the persistent WAL journal mode.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Bring the schema up to `VERSION`, all steps in one write transaction.
pub fn migrate(conn: &Connection) -> Result<(), MigrateError> {
    if check_not_newer(conn)? == VERSION {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // Another process may have migrated (even to a newer schema) while this one waited.
    let now = check_not_newer(&tx)?;
    if now == 0 {
        let tables: i64 = tx.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(MigrateError::Foreign);
        }
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(now as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
