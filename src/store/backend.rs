//! `Store`: the ledger, whichever backend holds it. Every method means the same on both
//! (see the module docs of `store`); the rest of the program never asks which it has.

use super::location::{Location, PgTarget};
use super::postgres::Postgres;
use super::sqlite::Sqlite;
use super::{Clock, CommitError, Committed, LedgerRow, Logged, StoreError};
use crate::domain::{Entry, Portfolio, Refusal, User};
use crate::redeem::{Ctx, Operation};
use chrono::NaiveDate;
use std::fmt;
use std::path::Path;

/// An open ledger. One per process (or thread); several may share a ledger. Its clock
/// stamps every entry it writes.
pub struct Store(pub(super) Backend, Clock);

pub(super) enum Backend {
    Sqlite(Sqlite),
    Postgres(Box<Postgres>),
}

/// The same call on whichever backend this is.
macro_rules! each {
    ($self:ident, $b:ident => $e:expr) => {
        match &$self.0 {
            Backend::Sqlite($b) => $e,
            Backend::Postgres($b) => $e,
        }
    };
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Store({})", self.place())
    }
}

impl Store {
    /// Open (creating if needed) the SQLite ledger in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        Sqlite::open(data_dir).map(|s| Store(Backend::Sqlite(s), Clock::System))
    }

    /// The same ledger, stamping its writes with `clock`'s time.
    pub fn with_clock(self, clock: Clock) -> Store {
        Store(self.0, clock)
    }

    pub fn clock(&self) -> Clock {
        self.1
    }

    /// Open the ledger at `location`: the SQLite file, or the PostgreSQL database (schema
    /// brought up to date, a newer one refused untouched).
    pub fn connect(location: &Location) -> Result<Store, StoreError> {
        match location {
            Location::Sqlite(dir) => Store::open(dir),
            Location::Postgres(t) => {
                Postgres::open(t).map(|p| Store(Backend::Postgres(Box::new(p)), Clock::System))
            }
        }
    }

    /// A second, read-only connection to a SQLite ledger `open` already checked in this
    /// process.
    pub fn open_reader(data_dir: &Path) -> Result<Store, StoreError> {
        Sqlite::open_reader(data_dir).map(|s| Store(Backend::Sqlite(s), Clock::System))
    }

    /// The SQLite ledger file (None: the ledger is on a server).
    pub fn path(&self) -> Option<&Path> {
        match &self.0 {
            Backend::Sqlite(s) => Some(s.path()),
            Backend::Postgres(_) => None,
        }
    }

    /// Where the ledger is, as messages name it (a server without its password).
    pub fn place(&self) -> String {
        match &self.0 {
            Backend::Sqlite(s) => s.path().display().to_string(),
            Backend::Postgres(p) => p.target().shown().to_string(),
        }
    }

    /// The server to listen on for other machines' appends (None: SQLite, which has no
    /// notifications; its readers look instead).
    pub fn notifications(&self) -> Option<PgTarget> {
        match &self.0 {
            Backend::Sqlite(_) => None,
            Backend::Postgres(p) => Some(p.target().clone()),
        }
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        each!(self, b => b.schema_version())
    }

    /// Fold every entry newer than `portfolio.last_seq` in, in ledger order; an entry that
    /// does not parse is reported in `portfolio.mismatches`. Returns the entries folded.
    pub fn fold(&self, portfolio: &mut Portfolio) -> Result<Vec<Logged>, StoreError> {
        each!(self, b => b.fold(portfolio))
    }

    /// One operation, one transaction: take the write lock, catch up, let `plan` decide
    /// against that fresh state, append (a redemption also claims its key, once), commit,
    /// then apply to `portfolio`. Nothing is written when `plan` refuses or anything fails.
    /// The entry is stamped with the store's clock as it is written.
    pub fn commit<F>(&self, portfolio: &mut Portfolio, plan: F) -> Result<Committed, CommitError>
    where
        F: FnOnce(&Portfolio) -> Result<Entry, Refusal>,
    {
        each!(self, b => b.commit(portfolio, self.1, plan))
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

    /// The entries `next` plans, each against the state the ones before left, in one
    /// transaction (the generator's large past). All or nothing.
    pub fn commit_batch<F>(&self, portfolio: &mut Portfolio, next: F) -> Result<usize, CommitError>
    where
        F: FnMut(&Portfolio) -> Option<Entry>,
    {
        each!(self, b => b.commit_batch(portfolio, self.1, next))
    }

    /// The rows after `after`, in ledger order, for `fold_rows`.
    pub fn read_since(&self, after: i64) -> Result<Vec<LedgerRow>, StoreError> {
        let mut rows = Vec::new();
        self.read_since_in_chunks(after, usize::MAX, |chunk| rows.extend(chunk))?;
        Ok(rows)
    }

    /// `read_since`, handed to `each` `chunk` rows at a time as they are read; each row
    /// once, also when a busy ledger makes the read start over.
    pub fn read_since_in_chunks(
        &self,
        after: i64,
        chunk: usize,
        each: impl FnMut(Vec<LedgerRow>),
    ) -> Result<(), StoreError> {
        each!(self, b => b.read_since_in_chunks(after, chunk, each))
    }

    /// The ledger, newest first (entries that do not parse left out; `fold` reports them).
    pub fn history(&self) -> Result<Vec<Logged>, StoreError> {
        let mut entries = self.entries_since(0)?;
        entries.reverse();
        Ok(entries)
    }

    /// Entry `seq`, when the ledger has it and it parses (what a correction names).
    pub fn entry(&self, seq: i64) -> Result<Option<Entry>, StoreError> {
        each!(self, b => b.entry(seq))
    }

    /// The entries after `seq`, oldest first.
    pub fn entries_since(&self, seq: i64) -> Result<Vec<Logged>, StoreError> {
        each!(self, b => b.entries_since(seq))
    }

    /// The entries up to and including `seq`, oldest first.
    pub fn entries_through(&self, seq: i64) -> Result<Vec<Logged>, StoreError> {
        each!(self, b => b.entries_through(seq))
    }

    /// What a checkpoint folded through `seq` must still find in the ledger to hold (None:
    /// no entry `seq`). Another ledger, or this one replaced, shows another marker.
    pub fn marker(&self, seq: i64) -> Result<Option<[u8; 32]>, StoreError> {
        each!(self, b => b.marker(seq))
    }

    /// The newest entry's seq (0 when empty).
    pub fn last_seq(&self) -> Result<i64, StoreError> {
        each!(self, b => b.last_seq())
    }

    /// How many entries the ledger holds.
    pub fn len(&self) -> Result<i64, StoreError> {
        each!(self, b => b.len())
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    #[cfg(test)]
    pub(super) fn conn(&self) -> &rusqlite::Connection {
        match &self.0 {
            Backend::Sqlite(s) => &s.conn,
            Backend::Postgres(_) => panic!("not a SQLite store"),
        }
    }
}
