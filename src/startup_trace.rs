//! `BENEFITS_TRACE_STARTUP=FILE` appends one line per start-up phase to FILE: the
//! milliseconds since the process began and the phase just finished. Whole-process
//! benches say how long a start takes; this says where the time went, on the user's own
//! machine and catalog (the way `GIT_TRACE_PERFORMANCE` does for git), and on Linux the
//! peak memory so far.

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

struct Trace {
    start: Instant,
    file: Option<PathBuf>,
}

fn trace() -> &'static Trace {
    static TRACE: OnceLock<Trace> = OnceLock::new();
    TRACE.get_or_init(|| Trace {
        start: Instant::now(),
        file: std::env::var_os("BENEFITS_TRACE_STARTUP")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    })
}

/// Record that `phase` has finished. The first call (at the top of `main`) starts the clock.
/// Tracing is a diagnostic: a file that cannot be written is ignored.
pub fn mark(phase: &str) {
    let t = trace();
    let Some(path) = &t.file else { return };
    let ms = t.start.elapsed().as_secs_f64() * 1000.0;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let thread = std::thread::current();
        // One write per line: the main thread and the worker both trace, and `writeln!`
        // on a File writes each piece apart, which interleaved their lines.
        let line = format!(
            "{ms:8.1} ms  {phase}  [{}]{}\n",
            thread.name().unwrap_or("worker"),
            peak_rss().map_or(String::new(), |kb| format!(
                "  peak {:.1} MB",
                kb as f64 / 1024.0
            ))
        );
        let _ = f.write_all(line.as_bytes());
    }
}

/// The process's peak resident memory so far (Linux: `VmHWM`), in KiB.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}
