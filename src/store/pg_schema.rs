//! The PostgreSQL ledger's schema: versions and forward migrations, tracked in the one row
//! of `benefits_schema` (which also holds the ledger's id, for checkpoint markers).
//!
//! Append a migration to `MIGRATIONS` to move the schema forward; never edit one that has
//! shipped. A database whose version is newer than `VERSION` is refused before anything in
//! it is touched. Its `VERSION` follows the SQLite schema's: the same tables, columns and
//! constraints, so a ledger copies from one to the other row for row.

use postgres::GenericClient;

/// `MIGRATIONS[i]` migrates from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // v1: the ledger, and the table whose primary key makes a key redeemable once.
    "CREATE TABLE ledger (
        seq BIGINT PRIMARY KEY,
        op TEXT NOT NULL,
        benefit TEXT NOT NULL,
        date TEXT NOT NULL,
        key_masked TEXT,
        entry TEXT NOT NULL
    );
    CREATE TABLE redeemed_keys (
        key_fingerprint TEXT PRIMARY KEY,
        seq BIGINT NOT NULL REFERENCES ledger(seq)
    );",
    // v2: when the store wrote each entry (RFC 3339, UTC); entries from before stay NULL.
    "ALTER TABLE ledger ADD COLUMN recorded_at TEXT;",
];

/// The schema version this binary writes and understands.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// The one advisory lock every write (and a migration) takes first: writers go one at a
/// time, as SQLite's `BEGIN IMMEDIATE` makes them, while readers are never blocked.
pub const WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock(7310021186404427873)";

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("schema version {found} is newer than {supported}")]
    Newer { found: i64, supported: i64 },
    /// Version 0 but a ledger's tables already there: some other program's.
    #[error("a table named {0} exists, but no benefits_schema")]
    Foreign(String),
    #[error(transparent)]
    Sql(#[from] postgres::Error),
}

/// The schema version and ledger id recorded (0 and "": a database without a ledger).
pub fn version(c: &mut impl GenericClient) -> Result<(i64, String), postgres::Error> {
    if !table_exists(c, "benefits_schema")? {
        return Ok((0, String::new()));
    }
    let row = c.query_one("SELECT version, ledger_id FROM benefits_schema", &[])?;
    Ok((row.get(0), row.get(1)))
}

/// Whether the current schema has `table`, read from the catalog with the statement's
/// snapshot: `to_regclass` goes through caches that an advisory lock does not refresh, and
/// would miss a table another machine's migration committed while this one waited.
fn table_exists(c: &mut impl GenericClient, table: &str) -> Result<bool, postgres::Error> {
    Ok(c.query_one(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
         WHERE schemaname = current_schema() AND tablename = $1)",
        &[&table],
    )?
    .get(0))
}

/// Refuse a schema from the future; otherwise the version and ledger id.
pub fn check_not_newer(c: &mut impl GenericClient) -> Result<(i64, String), MigrateError> {
    let (found, id) = version(c)?;
    if found > VERSION {
        return Err(MigrateError::Newer {
            found,
            supported: VERSION,
        });
    }
    Ok((found, id))
}

/// Bring the schema up to `VERSION` in one transaction under the write lock; the ledger id.
pub fn migrate(c: &mut postgres::Client) -> Result<String, MigrateError> {
    let (now, id) = check_not_newer(c)?;
    if now == VERSION {
        return Ok(id);
    }
    let mut tx = c.transaction()?;
    tx.batch_execute(WRITE_LOCK)?;
    // Another machine may have migrated (even to a newer schema) while this one waited.
    let (now, mut id) = check_not_newer(&mut tx)?;
    if now == 0 {
        for table in ["ledger", "redeemed_keys"] {
            if table_exists(&mut tx, table)? {
                return Err(MigrateError::Foreign(table.into()));
            }
        }
        id = new_ledger_id();
        tx.batch_execute(
            "CREATE TABLE benefits_schema (version BIGINT NOT NULL, ledger_id TEXT NOT NULL)",
        )?;
        tx.execute(
            "INSERT INTO benefits_schema (version, ledger_id) VALUES (0, $1)",
            &[&id],
        )?;
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(now as usize) {
        tx.batch_execute(sql)?;
        tx.execute(
            "UPDATE benefits_schema SET version = $1",
            &[&(i as i64 + 1)],
        )?;
    }
    tx.commit()?;
    Ok(id)
}

/// 128 random bits in hex: names this ledger in checkpoint markers, so a checkpoint made
/// against one database is never taken for another's.
fn new_ledger_id() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness the id is only less unique; the marker still has seq and count.
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
