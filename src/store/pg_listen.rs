//! Other machines' appends, as the server announces them: a thread on its own connection
//! `LISTEN`s on the ledger's channel and calls `wake` for every notification, and once
//! after every (re)connect (whatever was appended while it was not listening). No polling
//! of the ledger: the thread sleeps in the socket until the server speaks.

use super::location::PgTarget;
use super::postgres::{CHANNEL, connect};
use postgres::fallible_iterator::FallibleIterator;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long the thread waits in the socket before it looks whether it should end.
const WAKE_TO_CHECK: Duration = Duration::from_millis(500);
/// A lost server is tried again this often.
const RECONNECT_EVERY: Duration = Duration::from_millis(500);

/// The listening thread; dropping this ends it (within `WAKE_TO_CHECK`).
pub struct Listener {
    stop: Arc<AtomicBool>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Listener {
    /// Listen on `target`'s server; `wake` returning false ends the thread too.
    pub fn spawn(
        target: PgTarget,
        mut wake: impl FnMut() -> bool + Send + 'static,
    ) -> std::io::Result<Listener> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::Builder::new()
            .name("ledger-listen".into())
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    if !listen(&target, &stopped, &mut wake) {
                        return;
                    }
                    std::thread::sleep(RECONNECT_EVERY);
                }
            })?;
        Ok(Listener { stop })
    }
}

/// One connection's worth of listening; false when the thread should end.
fn listen(target: &PgTarget, stop: &AtomicBool, wake: &mut impl FnMut() -> bool) -> bool {
    let Ok(mut client) = connect(target) else {
        return true;
    };
    if client.batch_execute(&format!("LISTEN {CHANNEL}")).is_err() {
        return true;
    }
    if !wake() {
        return false;
    }
    loop {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let got = client.notifications().timeout_iter(WAKE_TO_CHECK).next();
        match got {
            Ok(Some(_)) => {
                // A burst of appends wakes the reader once.
                while let Ok(Some(_)) = client.notifications().iter().next() {}
                if !wake() {
                    return false;
                }
            }
            Ok(None) if client.is_closed() => return true,
            Ok(None) => {}
            Err(_) => return true,
        }
    }
}
