//! Schema versions and forward migrations, tracked in `PRAGMA user_version`.

use rusqlite::Connection;

/// Each entry migrates from version i to i+1.
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
];

pub const VERSION: i64 = MIGRATIONS.len() as i64;

pub enum MigrateError {
    Newer { found: i64, supported: i64 },
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}

pub fn migrate(conn: &Connection) -> Result<(), MigrateError> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > VERSION {
        return Err(MigrateError::Newer {
            found,
            supported: VERSION,
        });
    }
    if found == VERSION {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have migrated while this one waited for the lock.
    let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(now as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
