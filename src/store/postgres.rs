//! The PostgreSQL backend: one connection (made again after it drops), every write one
//! READ COMMITTED transaction behind one advisory lock, and the server's errors turned into
//! `StoreError`s that name the server and never its password.
//!
//! Why an advisory lock and not SERIALIZABLE: the ledger's sequence numbers must become
//! visible in order (a reader that has seen entry 7 must never later find a 6 committed
//! behind it), which needs one writer at a time however the isolation level is set; and
//! with one writer at a time no plan is ever thrown away by a serialization failure.
//! READ COMMITTED, because each statement then sees everything committed before the lock
//! was granted (a REPEATABLE READ snapshot would be taken before the wait, and stale).

use super::error::{CommitError, StoreError};
use super::location::PgTarget;
use super::pg_connect::transient;
pub(super) use super::pg_connect::{classify, connect};
use super::pg_schema::{self, MigrateError, WRITE_LOCK};
use super::private::create_private_dir;
use super::retry::Backoff;
use super::{Clock, Committed, LedgerRow, Logged, fold_rows, marker_digest, parse_row};
use crate::domain::{Entry, Portfolio, Refusal, RefusalCode};
use chrono::{DateTime, Utc};
use postgres::error::SqlState;
use postgres::{Client, GenericClient};
use std::cell::RefCell;

/// The channel every append is announced on (delivered when its transaction commits).
pub(super) const CHANNEL: &str = "benefits_ledger";
/// Rows read per query: a long ledger is read page by page, never held twice.
const PAGE: i64 = 4096;

/// An open PostgreSQL ledger.
pub struct Postgres {
    target: PgTarget,
    /// None after the connection dropped: the next operation connects again.
    client: RefCell<Option<Client>>,
    ledger_id: String,
}

/// What ends a step of a write: the server, or a refusal.
enum Step {
    Pg(postgres::Error),
    Refused(Refusal),
    Store(StoreError),
}

impl From<postgres::Error> for Step {
    fn from(e: postgres::Error) -> Self {
        Step::Pg(e)
    }
}

impl Postgres {
    /// Connect, refuse a newer schema before anything is written, migrate. The data
    /// directory is made too: it keeps this machine's caches.
    pub fn open(target: &PgTarget) -> Result<Postgres, StoreError> {
        create_private_dir(&target.cache_dir)?;
        let mut store = Postgres {
            target: target.clone(),
            client: RefCell::new(None),
            ledger_id: String::new(),
        };
        let mut backoff = Backoff::new();
        store.ledger_id = loop {
            let result = store.with_client(|c| match pg_schema::migrate(c) {
                Err(MigrateError::Sql(e)) => Err(e),
                other => Ok(other),
            })?;
            match result {
                Ok(id) => break id,
                Err(MigrateError::Newer { found, supported }) => {
                    return Err(StoreError::ServerNewerSchema {
                        server: target.shown().into(),
                        found,
                        supported,
                    });
                }
                Err(MigrateError::Foreign(detail)) => {
                    return Err(StoreError::ServerForeign {
                        server: target.shown().into(),
                        detail,
                    });
                }
                Err(MigrateError::Sql(e)) if transient(&e) && backoff.wait() => {}
                Err(MigrateError::Sql(e)) => return Err(store.classify(e)),
            }
        };
        Ok(store)
    }

    pub fn target(&self) -> &PgTarget {
        &self.target
    }

    /// `f` on the connection (made first when there is none), retried when the server says
    /// busy, or once on a fresh connection when the old one had dropped (nothing of `f` can
    /// have happened on a closed connection).
    fn with_client<T>(
        &self,
        mut f: impl FnMut(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        self.run(|c, _| f(c).map_err(Step::Pg))
            .map_err(|e| match e {
                CommitError::Store(e) => e,
                CommitError::Refused(_) => unreachable!("reads are never refused"),
            })
    }

    /// `f` on the connection, tried again (busy, or a connection found dropped) only while
    /// it has not set its `past_return` flag: a write sets it once its plan has run.
    fn run<T>(
        &self,
        mut f: impl FnMut(&mut Client, &mut bool) -> Result<T, Step>,
    ) -> Result<T, CommitError> {
        let mut backoff = Backoff::new();
        let mut reconnected = false;
        loop {
            let mut slot = self.client.borrow_mut();
            let client = match slot.as_mut() {
                Some(c) => c,
                None => slot.insert(connect(&self.target)?),
            };
            let fresh = std::mem::replace(&mut reconnected, true);
            let mut past_return = false;
            match f(client, &mut past_return) {
                Ok(v) => return Ok(v),
                Err(Step::Refused(r)) => return Err(CommitError::Refused(r)),
                Err(Step::Store(e)) => return Err(e.into()),
                Err(Step::Pg(e)) => {
                    let closed = client.is_closed() || e.as_db_error().is_none();
                    if closed {
                        *slot = None;
                    }
                    let again = (closed && !fresh) || (transient(&e) && backoff.wait());
                    if again && !past_return {
                        continue;
                    }
                    return Err(self.classify(e).into());
                }
            }
        }
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.with_client(|c| pg_schema::version(c).map(|(v, _)| v))
    }

    pub fn fold(&self, portfolio: &mut Portfolio) -> Result<Vec<Logged>, StoreError> {
        self.with_client(|c| {
            let mut folded = Vec::new();
            let mut last = portfolio.last_seq;
            read_rows(c, &mut last, usize::MAX, &mut |rows| {
                folded.extend(fold_rows(portfolio, rows))
            })
            .map(|()| folded)
        })
    }

    /// See `Store::commit`. A busy server (the lock not granted within the lock timeout)
    /// or a connection found dropped before `plan` ran is tried again; after `plan` ran,
    /// an error is final (nothing was committed: the transaction rolls back).
    pub fn commit<F>(
        &self,
        portfolio: &mut Portfolio,
        clock: Clock,
        plan: F,
    ) -> Result<Committed, CommitError>
    where
        F: FnOnce(&Portfolio) -> Result<Entry, Refusal>,
    {
        let mut plan = Some(plan);
        let mut at = None;
        let (seq, mut entries) = self.write(portfolio, |tx, seq, portfolio| {
            let plan = plan.take().expect("a write runs its body once");
            let entry = plan(portfolio).map_err(Step::Refused)?;
            let now = *at.insert(clock.now());
            insert(tx, seq, &entry, now)?;
            Ok(vec![entry])
        })?;
        let entry = entries.pop().expect("one entry");
        portfolio.apply(seq, &entry);
        let at = at.expect("stamped when written");
        Ok(Committed { seq, entry, at })
    }

    /// See `Store::commit_batch`.
    pub fn commit_batch<F>(
        &self,
        portfolio: &mut Portfolio,
        clock: Clock,
        mut next: F,
    ) -> Result<usize, CommitError>
    where
        F: FnMut(&Portfolio) -> Option<Entry>,
    {
        let (_, written) = self.write(portfolio, |tx, mut seq, portfolio| {
            let mut written = Vec::new();
            while let Some(entry) = next(portfolio) {
                insert(tx, seq, &entry, clock.now())?;
                portfolio.apply(seq, &entry);
                written.push(entry);
                seq += 1;
            }
            Ok(written)
        })?;
        Ok(written.len())
    }

    /// One write transaction: lock, fold, `body` appends from the next seq on, announce,
    /// commit; the first seq and what `body` appended. `body` runs at most once: a failure
    /// before it is tried again, one after it is final.
    fn write(
        &self,
        portfolio: &mut Portfolio,
        mut body: impl FnMut(
            &mut postgres::Transaction<'_>,
            i64,
            &mut Portfolio,
        ) -> Result<Vec<Entry>, Step>,
    ) -> Result<(i64, Vec<Entry>), CommitError> {
        self.run(|client, ran| {
            let mut tx = client.transaction()?;
            tx.batch_execute(WRITE_LOCK)?;
            let mut last = portfolio.last_seq;
            read_rows(&mut tx, &mut last, usize::MAX, &mut |rows| {
                fold_rows(portfolio, rows);
            })?;
            let first = next_seq(&mut tx)?;
            *ran = true;
            let entries = body(&mut tx, first, portfolio)?;
            if !entries.is_empty() {
                tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &first.to_string()])?;
            }
            tx.commit()?;
            Ok((first, entries))
        })
    }

    pub fn read_since_in_chunks(
        &self,
        after: i64,
        chunk: usize,
        mut each: impl FnMut(Vec<LedgerRow>),
    ) -> Result<(), StoreError> {
        let mut last = after;
        self.with_client(|c| read_rows(c, &mut last, chunk, &mut each))
    }

    pub fn entries_since(&self, seq: i64) -> Result<Vec<Logged>, StoreError> {
        self.entries("seq > $1", seq)
    }

    pub fn entries_through(&self, seq: i64) -> Result<Vec<Logged>, StoreError> {
        self.entries("seq <= $1", seq)
    }

    /// Entry `seq`, when the ledger has it and it parses (what a correction names).
    pub fn entry(&self, seq: i64) -> Result<Option<Entry>, StoreError> {
        Ok(self
            .entries("seq = $1", seq)?
            .into_iter()
            .next()
            .map(|l| l.entry))
    }

    fn entries(&self, filter: &str, seq: i64) -> Result<Vec<Logged>, StoreError> {
        let sql = format!("SELECT seq, entry, recorded_at FROM ledger WHERE {filter} ORDER BY seq");
        self.with_client(|c| {
            let rows = c.query(sql.as_str(), &[&seq])?;
            Ok(rows
                .iter()
                .filter_map(|r| super::logged(r.get(0), r.get(1), r.get(2)))
                .collect())
        })
    }

    pub fn marker(&self, seq: i64) -> Result<Option<[u8; 32]>, StoreError> {
        self.with_client(|c| {
            let Some(row) = c.query_opt("SELECT entry FROM ledger WHERE seq = $1", &[&seq])? else {
                return Ok(None);
            };
            let text: &str = row.get(0);
            let count: i64 = c
                .query_one("SELECT COUNT(*) FROM ledger WHERE seq <= $1", &[&seq])?
                .get(0);
            Ok(Some(marker_digest(seq, count, text, &self.ledger_id)))
        })
    }

    pub fn last_seq(&self) -> Result<i64, StoreError> {
        self.with_client(|c| {
            Ok(
                c.query_one("SELECT COALESCE(MAX(seq), 0) FROM ledger", &[])?
                    .get(0),
            )
        })
    }

    pub fn len(&self) -> Result<i64, StoreError> {
        self.with_client(|c| Ok(c.query_one("SELECT COUNT(*) FROM ledger", &[])?.get(0)))
    }

    /// `f` in one write transaction under the lock, for `store copy`: committed when `f`
    /// answers `Ok(Ok(_))`, rolled back otherwise.
    pub(super) fn in_write_transaction<T, E>(
        &self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<Result<T, E>, postgres::Error>,
    ) -> Result<Result<T, E>, StoreError> {
        let mut f = Some(f);
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            tx.batch_execute(WRITE_LOCK)?;
            let Some(f) = f.take() else {
                // Only a connection that dropped before `f` ran is tried again.
                unreachable!("store copy runs once")
            };
            let v = f(&mut tx)?;
            if v.is_ok() {
                tx.commit()?;
            }
            Ok(v)
        })
    }

    /// The server's error as a `StoreError` that names the server, never the password.
    pub(super) fn classify(&self, e: postgres::Error) -> StoreError {
        classify(&self.target, &e)
    }
}

/// The ledger's next sequence number, under the write lock: dense, as SQLite's.
fn next_seq(c: &mut impl GenericClient) -> Result<i64, postgres::Error> {
    Ok(
        c.query_one("SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger", &[])?
            .get(0),
    )
}

/// Write one entry at `seq`, stamped `at` (and, for a redemption, claim its key).
fn insert(
    tx: &mut postgres::Transaction<'_>,
    seq: i64,
    entry: &Entry,
    at: DateTime<Utc>,
) -> Result<(), Step> {
    let (op, benefit, date, key_masked, json) = super::columns(entry).map_err(|detail| {
        Step::Store(StoreError::Server {
            server: String::new(),
            detail,
        })
    })?;
    tx.execute(
        "INSERT INTO ledger (seq, op, benefit, date, key_masked, entry, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &seq,
            &op,
            &benefit,
            &date,
            &key_masked,
            &json,
            &super::stamp_text(at),
        ],
    )?;
    if let Some(fingerprint) = entry.redeemed_key() {
        match tx.execute(
            "INSERT INTO redeemed_keys (key_fingerprint, seq) VALUES ($1, $2)",
            &[&fingerprint, &seq],
        ) {
            Ok(_) => {}
            // The constraint, not an earlier check, decides who redeemed the key first.
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                return Err(Step::Refused(Refusal::new(RefusalCode::KeyAlreadyRedeemed)));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The rows after `*last`, page by page, handed over `chunk` at a time; `*last` follows
/// what was handed over.
fn read_rows(
    c: &mut impl GenericClient,
    last: &mut i64,
    chunk: usize,
    each: &mut impl FnMut(Vec<LedgerRow>),
) -> Result<(), postgres::Error> {
    let mut cursor = *last;
    let mut out = Vec::new();
    loop {
        let rows = c.query(
            "SELECT seq, benefit, entry, recorded_at FROM ledger WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&cursor, &PAGE],
        )?;
        let n = rows.len();
        for r in rows {
            let seq: i64 = r.get(0);
            cursor = seq;
            out.push(parse_row(seq, r.get(1), r.get(2), r.get(3)));
            if out.len() >= chunk {
                *last = seq;
                each(std::mem::take(&mut out));
            }
        }
        if (n as i64) < PAGE {
            break;
        }
    }
    if !out.is_empty() {
        *last = cursor;
        each(out);
    }
    Ok(())
}
