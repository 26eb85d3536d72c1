//! The authorized keys as the file says now, read again when it changes: an admin's key is
//! added, and a removed line revoked, without a restart.

use super::auth::{AuthorizedKeys, Identity, fingerprint};
use super::log::ServeLog;
use crate::domain::User;
use crate::i18n::Messages;
use russh::keys::ssh_key::PublicKey;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// The authorized keys as the file says now: read again on a sign-in after the file changed,
/// so an admin's key is added, and a removed line revoked, without a restart. Every line
/// stands on its own: a broken line is left out (and logged), the others take effect. A
/// file that cannot be trusted as a whole (gone, unreadable, writable by others) admits
/// nobody until it is fixed.
pub struct KeyRing {
    path: PathBuf,
    user: User,
    t: &'static Messages,
    state: Mutex<(Option<Stamp>, AuthorizedKeys)>,
}

/// What tells a changed file: its modification and change times (a chmod changes only the
/// latter), size and inode.
type Stamp = (SystemTime, i64, i64, u64, u64);

impl KeyRing {
    pub fn new(path: PathBuf, user: User, t: &'static Messages, keys: AuthorizedKeys) -> Self {
        let stamp = stamp(&path);
        KeyRing {
            path,
            user,
            t,
            state: Mutex::new((stamp, keys)),
        }
    }

    /// The identity of `key` for a client at `ip`, after re-reading the file if it changed.
    /// What was left out of a re-read file, and why a key's lines refused it, go to `log`.
    pub fn find(
        &self,
        key: &PublicKey,
        ip: Option<IpAddr>,
        log: &ServeLog,
        conn: &str,
    ) -> Option<Identity> {
        let Ok(mut state) = self.state.lock() else {
            return None;
        };
        let stamp = stamp(&self.path);
        if stamp != state.0 {
            state.0 = stamp;
            let shown = self.path.display().to_string();
            let reread = if stamp.is_some() {
                AuthorizedKeys::load(&self.path, &self.user, self.t)
            } else {
                Ok(Default::default())
            };
            state.1 = match reread {
                Ok((keys, skipped)) => {
                    for e in skipped {
                        log.line("authorized-keys-skipped", &[("detail", &e.0)]);
                    }
                    let count = keys.len().to_string();
                    log.line("authorized-keys", &[("path", &shown), ("keys", &count)]);
                    keys
                }
                Err(e) => {
                    log.line("authorized-keys-refused", &[("detail", &e.0)]);
                    AuthorizedKeys::default()
                }
            };
        }
        let now = chrono::Utc::now().timestamp();
        match state.1.find(key, ip, now) {
            Ok(id) => Some(id.clone()),
            Err(refusals) => {
                let fp = fingerprint(key);
                for why in refusals {
                    let fields = [("conn", conn), ("key", fp.as_str()), ("detail", &why)];
                    log.line("key-refused", &fields);
                }
                None
            }
        }
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let (ctime, ctime_ns, ino) = {
        use std::os::unix::fs::MetadataExt;
        (m.ctime(), m.ctime_nsec(), m.ino())
    };
    #[cfg(not(unix))]
    let (ctime, ctime_ns, ino) = (0, 0, 0);
    Some((m.modified().ok()?, ctime, ctime_ns, m.len(), ino))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::serve::auth::AUTHORIZED_KEYS_FILE;
    use crate::serve::auth::tests::{ada, public};

    #[test]
    fn a_changed_file_takes_effect_line_by_line_and_removals_revoke() {
        let t = Messages::get(Lang::EnUs);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(AUTHORIZED_KEYS_FILE);
        let (one, two) = (public(1, "ada@contoso.com"), public(2, "ada@contoso.com"));
        std::fs::write(&path, format!("{one}\n{two}\n")).unwrap();
        let (keys, _) = AuthorizedKeys::load(&path, &ada(), t).unwrap();
        let ring = KeyRing::new(path.clone(), ada(), t, keys);
        let log = ServeLog::open(dir.path()).unwrap();
        let k1: PublicKey = one.parse().unwrap();
        let k2: PublicKey = two.parse().unwrap();
        assert!(ring.find(&k1, None, &log, "c1").is_some());
        // Key 1 removed in the same edit that adds a line naming nobody: 1 is revoked.
        std::fs::write(&path, format!("{}\n{two}\n", public(3, "bob@contoso.com"))).unwrap();
        assert!(ring.find(&k1, None, &log, "c2").is_none());
        assert!(ring.find(&k2, None, &log, "c3").is_some());
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(text.contains("authorized-keys-skipped"), "{text}");
        assert!(text.contains("bob@contoso.com"), "{text}");
        // Writable by others: nobody, until it is fixed.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(ring.find(&k2, None, &log, "c4").is_none());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(ring.find(&k2, None, &log, "c5").is_some());
        std::fs::remove_file(&path).unwrap();
        assert!(ring.find(&k2, None, &log, "c6").is_none());
    }
}
