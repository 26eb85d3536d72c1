//! Windows: stop requests are console control events. The C runtime's signals see only
//! Ctrl-C; closing the console window, log-off and shut-down reach a process only through a
//! handler set with `SetConsoleCtrlHandler`, which Windows runs on a thread of its own.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use windows_sys::Win32::System::Console::{
    CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT, SetConsoleCtrlHandler,
};
use windows_sys::core::BOOL;

static FLAGS: Mutex<Vec<Arc<AtomicBool>>> = Mutex::new(Vec::new());

/// After a close, log-off or shut-down event Windows ends the process as soon as the handler
/// returns (and after 5 s at the latest): the handler waits this long so the main thread can
/// restore the console and finish; the process ends when `main` returns, sooner.
const GRACE: Duration = Duration::from_millis(4500);

unsafe extern "system" fn handler(ctrl_type: u32) -> BOOL {
    let flags = FLAGS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for flag in flags {
        flag.store(true, Ordering::SeqCst);
    }
    if matches!(
        ctrl_type,
        CTRL_CLOSE_EVENT | CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT
    ) {
        std::thread::sleep(GRACE);
    }
    // Handled: Ctrl-C and Ctrl-Break no longer end the process at once, the flag does.
    1
}

pub fn on_stop_request(flag: &Arc<AtomicBool>) -> io::Result<()> {
    static INSTALLED: OnceLock<Option<i32>> = OnceLock::new();
    // SAFETY: `handler` is a plain function that lives as long as the process.
    let failed = INSTALLED.get_or_init(|| {
        (unsafe { SetConsoleCtrlHandler(Some(handler), 1) } == 0)
            .then(|| io::Error::last_os_error().raw_os_error().unwrap_or(0))
    });
    if let Some(code) = failed {
        return Err(io::Error::from_raw_os_error(*code));
    }
    let mut flags = FLAGS.lock().unwrap_or_else(|e| e.into_inner());
    if !flags.iter().any(|f| Arc::ptr_eq(f, flag)) {
        flags.push(Arc::clone(flag));
    }
    Ok(())
}
