//! `benefits store copy`: a SQLite ledger into an empty PostgreSQL one, row for row (the
//! stored text as it is, so markers, mismatches and history read the same from both),
//! verified entry by entry inside the same transaction before it commits. A target that
//! holds anything is refused untouched.

use super::backend::{Backend, Store};
use super::error::StoreError;
use super::postgres::CHANNEL;
use super::sqlite::classify;
use super::{RawLedger, RawRow};

/// Rows sent to the server per statement.
const BATCH: usize = 5000;

/// Why nothing was copied.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "{target} already holds a ledger ({entries} entries, {keys} redeemed keys); store copy \
         copies only into an empty one: create a new database and name it in --to"
    )]
    NotEmpty {
        target: String,
        entries: i64,
        keys: i64,
    },
    #[error(
        "the copy in {target} differs from {ledger} at {what}; nothing was copied (the \
         transaction was rolled back): report this message"
    )]
    Differs {
        target: String,
        ledger: String,
        what: String,
    },
    #[error("store copy copies the SQLite ledger of --data-dir into PostgreSQL: {0}")]
    Kinds(&'static str),
}

/// What a copy moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub entries: usize,
    pub keys: usize,
}

/// Copy the SQLite ledger `source` into the PostgreSQL ledger `target`, which must be empty.
pub fn copy_into(source: &Store, target: &Store) -> Result<Copied, CopyError> {
    let Backend::Sqlite(src) = &source.0 else {
        return Err(CopyError::Kinds("the source is not a SQLite ledger"));
    };
    let Backend::Postgres(dst) = &target.0 else {
        return Err(CopyError::Kinds("--to must be a postgres:// URL"));
    };
    let raw = read_sqlite(&src.conn).map_err(|e| classify(src.path(), e))?;
    let copied = Copied {
        entries: raw.rows.len(),
        keys: raw.keys.len(),
    };
    let (shown_target, shown_source) = (target.place(), source.place());
    dst.in_write_transaction(|tx| {
        let entries: i64 = tx.query_one("SELECT COUNT(*) FROM ledger", &[])?.get(0);
        let keys: i64 = tx
            .query_one("SELECT COUNT(*) FROM redeemed_keys", &[])?
            .get(0);
        if entries > 0 || keys > 0 {
            return Ok(Err(CopyError::NotEmpty {
                target: shown_target.clone(),
                entries,
                keys,
            }));
        }
        for rows in raw.rows.chunks(BATCH) {
            insert_rows(tx, rows)?;
        }
        for keys in raw.keys.chunks(BATCH) {
            let (fps, seqs): (Vec<&str>, Vec<i64>) =
                keys.iter().map(|(f, s)| (f.as_str(), *s)).unzip();
            tx.execute(
                "INSERT INTO redeemed_keys (key_fingerprint, seq) \
                 SELECT * FROM unnest($1::text[], $2::bigint[])",
                &[&fps, &seqs],
            )?;
        }
        let back = read_back(tx)?;
        if let Some(what) = first_difference(&raw, &back) {
            return Ok(Err(CopyError::Differs {
                target: shown_target.clone(),
                ledger: shown_source.clone(),
                what,
            }));
        }
        tx.execute("SELECT pg_notify($1, 'copy')", &[&CHANNEL])?;
        Ok(Ok(copied))
    })?
}

fn insert_rows(tx: &mut postgres::Transaction<'_>, rows: &[RawRow]) -> Result<(), postgres::Error> {
    let seq: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    let op: Vec<&str> = rows.iter().map(|r| r.op.as_str()).collect();
    let benefit: Vec<&str> = rows.iter().map(|r| r.benefit.as_str()).collect();
    let date: Vec<&str> = rows.iter().map(|r| r.date.as_str()).collect();
    let key: Vec<Option<&str>> = rows.iter().map(|r| r.key_masked.as_deref()).collect();
    let entry: Vec<&str> = rows.iter().map(|r| r.entry.as_str()).collect();
    let at: Vec<Option<&str>> = rows.iter().map(|r| r.recorded_at.as_deref()).collect();
    tx.execute(
        "INSERT INTO ledger (seq, op, benefit, date, key_masked, entry, recorded_at) \
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::text[], $7::text[])",
        &[&seq, &op, &benefit, &date, &key, &entry, &at],
    )?;
    Ok(())
}

/// The whole SQLite ledger as stored, read in one transaction (one consistent state).
fn read_sqlite(conn: &rusqlite::Connection) -> rusqlite::Result<RawLedger> {
    let tx = conn.unchecked_transaction()?;
    let mut stmt = tx.prepare(
        "SELECT seq, op, benefit, date, key_masked, entry, recorded_at FROM ledger ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(RawRow {
                seq: r.get(0)?,
                op: r.get(1)?,
                benefit: r.get(2)?,
                date: r.get(3)?,
                key_masked: r.get(4)?,
                entry: r.get(5)?,
                recorded_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt =
        tx.prepare("SELECT key_fingerprint, seq FROM redeemed_keys ORDER BY seq, key_fingerprint")?;
    let keys = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(RawLedger { rows, keys })
}

/// The PostgreSQL ledger as stored, in the same order as `read_sqlite`.
fn read_back(tx: &mut postgres::Transaction<'_>) -> Result<RawLedger, postgres::Error> {
    let rows = tx
        .query(
            "SELECT seq, op, benefit, date, key_masked, entry, recorded_at FROM ledger ORDER BY seq",
            &[],
        )?
        .iter()
        .map(|r| RawRow {
            seq: r.get(0),
            op: r.get(1),
            benefit: r.get(2),
            date: r.get(3),
            key_masked: r.get(4),
            entry: r.get(5),
            recorded_at: r.get(6),
        })
        .collect();
    let keys = tx
        .query(
            "SELECT key_fingerprint, seq FROM redeemed_keys ORDER BY seq, key_fingerprint COLLATE \"C\"",
            &[],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok(RawLedger { rows, keys })
}

/// Where `copy` first differs from `original`, entry by entry (None: the same).
fn first_difference(original: &RawLedger, copy: &RawLedger) -> Option<String> {
    for (i, row) in original.rows.iter().enumerate() {
        match copy.rows.get(i) {
            Some(c) if c == row => {}
            Some(c) => return Some(format!("entry {} (copied as entry {})", row.seq, c.seq)),
            None => return Some(format!("entry {} (missing)", row.seq)),
        }
    }
    if copy.rows.len() > original.rows.len() {
        return Some(format!(
            "{} extra entries",
            copy.rows.len() - original.rows.len()
        ));
    }
    if original.keys != copy.keys {
        return Some("the redeemed keys".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, entry: &str) -> RawRow {
        RawRow {
            seq,
            op: "redemption".into(),
            benefit: "b".into(),
            date: "2026-01-01".into(),
            key_masked: None,
            entry: entry.into(),
            recorded_at: Some("2026-01-01T09:30:00Z".into()),
        }
    }

    #[test]
    fn a_copy_is_verified_entry_by_entry() {
        let a = RawLedger {
            rows: vec![row(1, "{}"), row(2, "{\"x\":1}")],
            keys: vec![("f".into(), 1)],
        };
        let same = RawLedger {
            rows: a.rows.clone(),
            keys: a.keys.clone(),
        };
        assert_eq!(first_difference(&a, &same), None);
        let changed = RawLedger {
            rows: vec![row(1, "{}"), row(2, "{\"x\":2}")],
            keys: a.keys.clone(),
        };
        assert_eq!(
            first_difference(&a, &changed).as_deref(),
            Some("entry 2 (copied as entry 2)")
        );
        let short = RawLedger {
            rows: vec![row(1, "{}")],
            keys: a.keys.clone(),
        };
        assert_eq!(
            first_difference(&a, &short).as_deref(),
            Some("entry 2 (missing)")
        );
        // When an entry was written travels with it.
        let mut restamped = same.rows.clone();
        restamped[0].recorded_at = None;
        let restamped = RawLedger {
            rows: restamped,
            keys: a.keys.clone(),
        };
        assert_eq!(
            first_difference(&a, &restamped).as_deref(),
            Some("entry 1 (copied as entry 1)")
        );
        let no_keys = RawLedger {
            rows: a.rows.clone(),
            keys: vec![],
        };
        assert_eq!(
            first_difference(&a, &no_keys).as_deref(),
            Some("the redeemed keys")
        );
    }
}
