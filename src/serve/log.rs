//! The server's log: connections, authentication results, sessions and operations, one
//! `key=value` line each, appended to `serve.log` in the data directory (0600). Never a whole
//! product key: entries carry only the masked key. Nothing here reaches a client's screen.

use crate::domain::{Entry, ProductKey, Refusal};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const LOG_FILE: &str = "serve.log";

pub struct ServeLog {
    file: Mutex<File>,
    path: PathBuf,
}

impl ServeLog {
    pub fn open(data_dir: &Path) -> io::Result<ServeLog> {
        let path = data_dir.join(LOG_FILE);
        let file = crate::files::private_file_options()
            .create(true)
            .append(true)
            .open(&path)?;
        // An older file may have been made with looser permissions.
        crate::files::set_mode(&path, 0o600)?;
        Ok(ServeLog {
            file: Mutex::new(file),
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// One line: the time, the event, its fields (empty ones left out). A failed write is not
    /// worth a session.
    pub fn line(&self, event: &str, fields: &[(&str, &str)]) {
        let mut s = format!(
            "{} {event}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ")
        );
        for (k, v) in fields.iter().filter(|(_, v)| !v.is_empty()) {
            let v = scrub(v);
            s.push(' ');
            s.push_str(k);
            s.push('=');
            // Quoted (and escaped) when it could be mistaken for more than one field or line.
            if v.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '=')
            {
                s.push_str(&format!("{v:?}"));
            } else {
                s.push_str(&v);
            }
        }
        s.push('\n');
        if let Ok(mut f) = self.file.lock() {
            let _ = f.write_all(s.as_bytes());
        }
    }

    /// A committed ledger entry: what, on which benefit, with which (masked) key.
    pub fn committed(&self, session: &str, user: &str, entry: &Entry) {
        let key = match entry {
            Entry::Redemption { key_masked, .. } | Entry::Activation { key_masked, .. } => {
                key_masked.as_str()
            }
            _ => "",
        };
        self.line(
            "operation",
            &[
                ("session", session),
                ("user", user),
                ("op", entry.op()),
                ("benefit", entry.benefit()),
                ("key", key),
            ],
        );
    }

    pub fn refused(&self, session: &str, user: &str, refusal: &Refusal) {
        self.line(
            "refused",
            &[
                ("session", session),
                ("user", user),
                ("code", refusal.code.as_str()),
            ],
        );
    }
}

/// Whatever a client sent (a user name, say) never puts a whole product key in the log.
fn scrub(v: &str) -> String {
    if !v.split_whitespace().any(|w| ProductKey::parse(w).is_ok()) {
        return v.to_string();
    }
    v.split_whitespace()
        .map(|w| ProductKey::parse(w).map_or_else(|_| w.to_string(), |k| k.masked()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_appended_private_and_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let log = ServeLog::open(dir.path()).unwrap();
        log.line(
            "auth",
            &[("user", "ada@contoso.com"), ("note", "two words")],
        );
        drop(log);
        let log = ServeLog::open(dir.path()).unwrap();
        log.line("connect", &[("peer", "127.0.0.1:1")]);
        let text = std::fs::read_to_string(log.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with(" auth user=ada@contoso.com note=\"two words\""));
        assert!(lines[1].ends_with(" connect peer=127.0.0.1:1"));
        log.line(
            "auth",
            &[("ssh-user", "M3E3A-7QXRT-4HDPC-2VWNB-K25LA"), ("x", "a\nb")],
        );
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(!text.contains("7QXRT"), "{text}");
        assert!(
            text.contains("ssh-user=*****-*****-*****-*****-K25LA x=\"a\\nb\""),
            "{text}"
        );
        assert_eq!(text.lines().count(), 3);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(log.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
