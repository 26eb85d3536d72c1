//! What differs between Unix and Windows, in one place, so the rest of the program has no
//! `cfg` of its own for it: how a request to stop reaches the process. (Owner-only files
//! are `files`' job: 0600/0700 on Unix; on Windows a file inherits the ACL of the directory
//! it is made in, which under the user's profile admits the user, SYSTEM and the
//! administrators only.)

use std::io;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

/// Set `flag` when the user or the system asks the process to end, so a loop that watches it
/// can put the terminal back and return. Unix: SIGTERM, SIGINT, and SIGHUP (the terminal was
/// closed). Windows: Ctrl-C and Ctrl-Break, the console window closed, log-off and shut-down.
/// Each flag stays registered for the life of the process. (Proved through the binary:
/// `tests/torture_pty.rs` closes the terminal and sends SIGTERM.)
pub fn on_stop_request(flag: &Arc<AtomicBool>) -> io::Result<()> {
    imp::on_stop_request(flag)
}
