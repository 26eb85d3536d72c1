//! The worker thread that owns the ledger. The loop hands it writes over a channel and
//! keeps drawing and answering keys; the worker plans each write again inside the store's
//! write transaction (which may wait up to the store's busy deadline for another process)
//! and sends the outcome back as actions. Between writes it looks for entries other
//! processes appended, and once after the first frame it reads the older history a start
//! from a checkpoint skipped: everything the ledger tells the app comes down one channel.
//!
//! How the worker learns of other processes' entries depends on the store: a SQLite ledger
//! is looked at every `CATCH_UP_EVERY`; a PostgreSQL server announces every append
//! (LISTEN/NOTIFY), and a listener thread wakes the worker, which otherwise sleeps until
//! a job comes (no polling, and another machine's redemption shows within milliseconds).
//!
//! The app's portfolio is shared with the worker as an `Arc`: a write copies it on the
//! worker's thread (never the UI's), so the frame never waits for the ledger or a copy.

use crate::app::{Action, App};
use crate::domain::{Portfolio, User};
use crate::redeem::Operation;
use crate::store::{CommitError, LedgerRow, Listener, Logged, Store};
use chrono::NaiveDate;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::{Duration, Instant};

/// How often the worker looks for entries other processes appended.
const CATCH_UP_EVERY: Duration = Duration::from_millis(200);

/// A write that has not answered in this long is waiting for the ledger's lock (a write
/// itself takes milliseconds): the dialog says so.
const BUSY_AFTER: Duration = Duration::from_millis(500);

enum Job {
    Write {
        operation: Operation,
        portfolio: Arc<Portfolio>,
    },
    /// Read the entries up to and including this seq (oldest first).
    Older(i64),
    /// The server announced an append (or the listener reconnected): catch up.
    CatchUp,
}

/// The loop's handle on the worker. Dropping it ends the worker once its job is done.
pub struct Runtime {
    jobs: Sender<Job>,
    results: Receiver<Action>,
    /// When the write under way was sent (None: none is).
    writing: Option<Instant>,
    told_busy: bool,
    /// A PostgreSQL ledger's listener; it ends with this handle.
    _listener: Option<Listener>,
}

/// Who writes and on which day: what every plan needs besides the portfolio.
struct Writer {
    store: Store,
    user: User,
    today: NaiveDate,
    /// The newest entry the app has been sent (or held at the start).
    seen: i64,
    /// Look for others' entries this often (None: the listener says when).
    look_every: Option<Duration>,
}

impl Runtime {
    /// Start the worker on `store`, for `user` on `today`; the app's portfolio holds the
    /// ledger through `seen`.
    pub fn spawn(store: Store, seen: i64, user: User, today: NaiveDate) -> std::io::Result<Self> {
        let (jobs, inbox) = mpsc::channel();
        let (outbox, results) = mpsc::channel();
        let listener = match store.notifications() {
            Some(target) => {
                let wake = jobs.clone();
                Some(Listener::spawn(target, move || {
                    wake.send(Job::CatchUp).is_ok()
                })?)
            }
            None => None,
        };
        let writer = Writer {
            look_every: listener.is_none().then_some(CATCH_UP_EVERY),
            store,
            user,
            today,
            seen,
        };
        std::thread::Builder::new()
            .name("ledger".into())
            .spawn(move || writer.work(&inbox, &outbox))?;
        Ok(Runtime {
            jobs,
            results,
            writing: None,
            told_busy: false,
            _listener: listener,
        })
    }

    /// A write, planned against `portfolio` as the worker finds the ledger.
    pub fn submit(&mut self, operation: Operation, portfolio: Arc<Portfolio>) {
        self.writing = Some(Instant::now());
        self.told_busy = false;
        let job = Job::Write {
            operation,
            portfolio,
        };
        if self.jobs.send(job).is_err() {
            // The worker is gone (it only ends with this handle): nothing was written.
            self.writing = None;
        }
    }

    /// Read the older entries (through `seq`) a start from a checkpoint skipped.
    pub fn load_older(&self, seq: i64) {
        let _ = self.jobs.send(Job::Older(seq));
    }

    /// A write is under way.
    pub fn writing(&self) -> bool {
        self.writing.is_some()
    }

    /// The worker's answers so far, and `LedgerBusy` once when a write has waited long.
    pub fn poll(&mut self, now: Instant) -> Vec<Action> {
        let mut out = Vec::new();
        loop {
            match self.results.try_recv() {
                Ok(action) => out.push(self.seen(action)),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.writing = None;
                    break;
                }
            }
        }
        if let Some(since) = self.writing
            && !self.told_busy
            && now.duration_since(since) >= BUSY_AFTER
        {
            self.told_busy = true;
            out.push(Action::LedgerBusy);
        }
        out
    }

    /// Wait up to `timeout` for the worker's next answer.
    pub fn wait(&mut self, timeout: Duration) -> Option<Action> {
        let action = self.results.recv_timeout(timeout).ok()?;
        Some(self.seen(action))
    }

    /// Apply every answer to `app` until no write is under way (or `timeout` passes):
    /// for tests, and for a session that ends while its write is still on its way.
    pub fn settle(&mut self, app: &mut App, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.writing() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.wait(left) {
                Some(action) => {
                    crate::app::update(app, action);
                }
                None => return,
            }
        }
        for action in self.poll(Instant::now()) {
            crate::app::update(app, action);
        }
    }

    fn seen(&mut self, action: Action) -> Action {
        if matches!(
            action,
            Action::Committed(_) | Action::CommitFailed(_) | Action::StoreFailed(_)
        ) {
            self.writing = None;
        }
        action
    }
}

impl Writer {
    fn work(mut self, inbox: &Receiver<Job>, outbox: &Sender<Action>) {
        loop {
            let job = match self.look_every {
                Some(every) => inbox.recv_timeout(every),
                None => inbox.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            let sent = match job {
                Ok(Job::Write {
                    operation,
                    portfolio,
                }) => self.write(&operation, portfolio, outbox),
                Ok(Job::Older(seq)) => {
                    let older = self.store.entries_through(seq).ok();
                    outbox.send(Action::OlderHistory(older)).is_ok()
                }
                Ok(Job::CatchUp) | Err(RecvTimeoutError::Timeout) => self.catch_up(outbox),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if !sent {
                return;
            }
        }
    }

    /// One write through the store, then everything appended since the app last heard
    /// (other processes' entries the write folded in, and its own).
    fn write(
        &mut self,
        operation: &Operation,
        portfolio: Arc<Portfolio>,
        outbox: &Sender<Action>,
    ) -> bool {
        let mut scratch = Portfolio::clone(&portfolio);
        drop(portfolio);
        let result = self
            .store
            .execute(&mut scratch, &self.user, self.today, operation);
        drop(scratch);
        let answer = match result {
            Ok(c) => Action::Committed(c.entry),
            Err(CommitError::Refused(r)) => Action::CommitFailed(r),
            Err(CommitError::Store(e)) => Action::StoreFailed(e.to_string()),
        };
        self.send_new(outbox) && outbox.send(answer).is_ok()
    }

    /// Look whether anyone appended since the app last heard; a failed look is tried
    /// again on the next tick.
    fn catch_up(&mut self, outbox: &Sender<Action>) -> bool {
        match self.store.last_seq() {
            Ok(seq) if seq > self.seen => self.send_new(outbox),
            _ => true,
        }
    }

    fn send_new(&mut self, outbox: &Sender<Action>) -> bool {
        let Ok(rows) = self.store.read_since(self.seen) else {
            return true;
        };
        let Some(last) = rows.last() else {
            return true;
        };
        self.seen = last.seq();
        outbox.send(Action::Appended(rows)).is_ok()
    }
}

/// A write planned and applied in memory, without a ledger: what the dashboard does with
/// no store (tests that storm the app with events, where a disk write per event would
/// cost minutes). The same plan, the same actions back as from the worker.
pub fn in_memory(app: &App, operation: &Operation) -> Vec<Action> {
    match operation.plan(app.ctx()) {
        Ok(entry) => {
            let seq = app.portfolio.last_seq + 1;
            vec![
                Action::Appended(vec![LedgerRow::Entry(Logged {
                    seq,
                    at: None,
                    entry: entry.clone(),
                })]),
                Action::Committed(entry),
            ]
        }
        Err(r) => vec![Action::CommitFailed(r)],
    }
}
