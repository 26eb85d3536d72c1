//! Hot reload: the loop asks on each tick whether the settings file changed (a `stat`, at
//! most every `EVERY`), and only then reads it (bounded, a few kilobytes), so no frame
//! waits for it. A file that cannot be used keeps the settings the dashboard has.

use super::{Loaded, load};
use crate::i18n::Messages;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How often the file's modification time is looked at.
pub const EVERY: Duration = Duration::from_millis(500);

/// What the file looked like when it was last read: its modification time and length
/// (None: it did not exist).
type Stamp = Option<(SystemTime, u64)>;

#[derive(Debug)]
pub struct Watch {
    path: PathBuf,
    stamp: Stamp,
    checked: Instant,
}

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

impl Watch {
    /// Read `path` now (the settings to start with) and watch it from here on.
    pub fn start(path: PathBuf, t: &Messages) -> (Watch, Loaded) {
        let stamp = stamp(&path);
        let loaded = load(&path, t);
        let w = Watch {
            path,
            stamp,
            checked: Instant::now(),
        };
        (w, loaded)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file read again, when it changed since it was last read.
    pub fn poll(&mut self, now: Instant, t: &Messages) -> Option<Loaded> {
        if now.duration_since(self.checked) < EVERY {
            return None;
        }
        self.checked = now;
        let stamp = stamp(&self.path);
        if stamp == self.stamp {
            return None;
        }
        self.stamp = stamp;
        Some(load(&self.path, t))
    }
}
