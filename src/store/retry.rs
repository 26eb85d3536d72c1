//! Waiting out a busy ledger: a bounded exponential backoff with a little jitter, on top
//! of the backend's own lock timeout.

use std::time::{Duration, Instant};

/// Retries on top of the busy timeout (for the busy answers SQLite gives without waiting).
pub(super) const BUSY_RETRIES: u32 = 10;
/// No retry starts after this much time has passed.
const BUSY_DEADLINE: Duration = Duration::from_secs(20);

/// Bounded exponential backoff with a little jitter, so racing processes spread out.
pub(super) struct Backoff {
    pub(super) attempt: u32,
    pub(super) deadline: Instant,
}

impl Backoff {
    pub(super) fn new() -> Self {
        Backoff {
            attempt: 0,
            deadline: Instant::now() + BUSY_DEADLINE,
        }
    }

    /// Sleep before the next try; `false` when retries are used up.
    pub(super) fn wait(&mut self) -> bool {
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

pub(super) fn retry_busy<T, E: BusyCheck>(mut f: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    let mut backoff = Backoff::new();
    loop {
        match f() {
            Err(e) if e.busy() && backoff.wait() => {}
            r => return r,
        }
    }
}

/// Whether an error means "busy, try again".
pub(super) trait BusyCheck {
    fn busy(&self) -> bool;
}
