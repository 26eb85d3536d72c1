//! Unix: stop requests are signals.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::io;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub fn on_stop_request(flag: &Arc<AtomicBool>) -> io::Result<()> {
    for sig in [SIGTERM, SIGHUP, SIGINT] {
        signal_hook::flag::register(sig, Arc::clone(flag))?;
    }
    Ok(())
}
