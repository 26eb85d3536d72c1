//! What every connection of the server shares, and the guards that keep its counts right
//! however a session ends.

use super::auth::KeyRing;
use super::log::ServeLog;
use super::startups::Startups;
use crate::domain::Portfolio;
use crate::i18n::Messages;
use chrono::NaiveDate;
use russh::{MethodKind, MethodSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

/// What every connection shares: the catalog, where the ledger is, who may sign in.
pub struct Shared {
    /// The catalog folded with the ledger at start-up; each session catches up from here.
    pub base: Portfolio,
    /// The ledger folded into `base`, newest first.
    pub base_history: Vec<crate::store::Logged>,
    /// Where the ledger is: each session opens it for itself.
    pub store: crate::store::Location,
    pub today: NaiveDate,
    /// The clock each session's ledger stamps its writes with (`--now` pins it).
    pub clock: crate::store::Clock,
    /// `--lang`, and the catalog's `language`: the client's LANG comes after both.
    pub lang_flag: Option<String>,
    pub catalog_lang: Option<String>,
    /// Messages for what the server says before a session has a language of its own.
    pub t: &'static Messages,
    pub keys: KeyRing,
    pub guest: bool,
    pub max_sessions: usize,
    /// Connections that have not signed in yet (as OpenSSH's MaxStartups): the accept loop
    /// gives each a place, and its `Connection` gives it back when it signs in or ends.
    pub startups: Startups,
    /// A dashboard that gets no input for this long ends (None: never).
    pub idle_timeout: Option<Duration>,
    pub sessions: AtomicUsize,
    /// Connections open, signed in or not.
    pub connections: AtomicUsize,
    /// Sessions whose last bytes (and channel close) are still on their way to the client.
    pub sending: AtomicUsize,
    pub next_id: AtomicU64,
    /// Set on SIGTERM / SIGINT / SIGHUP: every dashboard ends, leaving its client's terminal
    /// as it found it, before the server goes.
    pub shutdown: Arc<AtomicBool>,
    pub log: ServeLog,
}

impl Shared {
    /// The methods a client may go on with after a refusal.
    pub fn methods(&self) -> MethodSet {
        let mut m = vec![MethodKind::PublicKey];
        if self.guest {
            m.push(MethodKind::KeyboardInteractive);
        }
        MethodSet::from(&m[..])
    }
}

/// Counts a session's output task while it runs, so a stopping server lets it finish.
pub(super) struct Sending(Arc<Shared>);

impl Sending {
    pub(super) fn new(shared: Arc<Shared>) -> Self {
        shared.sending.fetch_add(1, Ordering::SeqCst);
        Sending(shared)
    }
}

impl Drop for Sending {
    fn drop(&mut self) {
        self.0.sending.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Frees a session slot when the session's thread ends, however it ends.
pub(super) struct SlotGuard(Arc<Shared>);

impl SlotGuard {
    /// For a slot already counted in `Shared::sessions`.
    pub(super) fn new(shared: Arc<Shared>) -> Self {
        SlotGuard(shared)
    }
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.0.sessions.fetch_sub(1, Ordering::SeqCst);
    }
}
