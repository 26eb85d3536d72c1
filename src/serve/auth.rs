//! Who may connect, and as whom: the host key, the authorized keys (each mapped to the
//! catalog's user by its comment), and the read-only guest.

use crate::domain::{Role, User};
use crate::i18n::Messages;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// The host key's file name in the data directory (as OpenSSH names its own).
pub const HOST_KEY_FILE: &str = "ssh_host_ed25519_key";
/// The authorized keys' file name in the data directory.
pub const AUTHORIZED_KEYS_FILE: &str = "authorized_keys";

/// Why the server cannot start: the file, what is wrong, what to do.
#[derive(Debug, PartialEq, Eq)]
pub struct SetupError(pub String);

/// Someone signed in: the catalog user they act as, and how they proved it.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub user: User,
    /// The key's SHA-256 fingerprint, or `guest`.
    pub via: String,
}

/// How a guest signed in (`Identity::via`): without a key.
const GUEST: &str = "guest";

impl Identity {
    pub fn is_guest(&self) -> bool {
        self.via == GUEST
    }
}

/// A read-only visitor: browses, keys masked, every write refused (`role-not-permitted`).
pub fn guest(t: &Messages) -> Identity {
    Identity {
        user: User {
            name: t.text("serve.guest-name").to_string(),
            email: "guest".into(),
            role: Role::Guest,
            can_view_keys: false,
        },
        via: GUEST.into(),
    }
}

/// The host key: read from `path`, or generated there (ed25519, 0600) when there is none.
/// True when it was generated.
pub fn host_key(path: &Path, t: &Messages) -> Result<(PrivateKey, bool), SetupError> {
    let shown = path.display().to_string();
    if path.exists() {
        let key = PrivateKey::read_openssh_file(path).map_err(|e| {
            SetupError(t.fmt(
                "serve.host-key-unreadable",
                &[("path", &shown), ("detail", &e.to_string())],
            ))
        })?;
        if key.is_encrypted() {
            return Err(SetupError(
                t.fmt("serve.host-key-encrypted", &[("path", &shown)]),
            ));
        }
        return Ok((key, false));
    }
    let failed = |e: &dyn std::fmt::Display| {
        SetupError(t.fmt(
            "serve.host-key-unwritable",
            &[("path", &shown), ("detail", &e.to_string())],
        ))
    };
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| failed(&e))?;
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    let pem = key.to_openssh(LineEnding::LF).map_err(|e| failed(&e))?;
    let mut file = crate::files::private_file_options()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| failed(&e))?;
    file.write_all(pem.as_bytes()).map_err(|e| failed(&e))?;
    Ok((key, true))
}

pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The keys that may sign in, each with the user it signs in as.
#[derive(Debug, Default)]
pub struct AuthorizedKeys {
    keys: Vec<(PublicKey, Identity)>,
}

impl AuthorizedKeys {
    /// Parse an OpenSSH `authorized_keys` file. A key's comment names the catalog user it
    /// signs in as (their email); any other comment is an error, so a typo never admits
    /// someone under a role nobody meant to give.
    pub fn parse(
        text: &str,
        path: &Path,
        catalog_user: &User,
        t: &Messages,
    ) -> Result<AuthorizedKeys, SetupError> {
        let shown = path.display().to_string();
        let mut keys = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = format!("{shown}:{}", i + 1);
            let entry: russh::keys::ssh_key::authorized_keys::Entry =
                line.parse().map_err(|e: russh::keys::ssh_key::Error| {
                    SetupError(t.fmt(
                        "serve.authorized-key-invalid",
                        &[("at", &at), ("detail", &e.to_string())],
                    ))
                })?;
            let key = entry.public_key().clone();
            let comment: &str = key.comment().as_ref();
            if !comment.trim().eq_ignore_ascii_case(&catalog_user.email) {
                return Err(SetupError(t.fmt(
                    "serve.authorized-key-unknown-user",
                    &[
                        ("at", &at),
                        ("comment", comment),
                        ("email", &catalog_user.email),
                    ],
                )));
            }
            let via = fingerprint(&key);
            keys.push((
                key,
                Identity {
                    user: catalog_user.clone(),
                    via,
                },
            ));
        }
        Ok(AuthorizedKeys { keys })
    }

    pub fn load(path: &Path, catalog_user: &User, t: &Messages) -> Result<Self, SetupError> {
        // As OpenSSH's StrictModes: whoever may write the file may let themselves in.
        #[cfg(unix)]
        if let Ok(meta) = std::fs::metadata(path) {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o022 != 0 {
                return Err(SetupError(t.fmt(
                    "serve.authorized-keys-writable",
                    &[("path", &path.display().to_string())],
                )));
            }
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            SetupError(t.fmt(
                "serve.authorized-keys-unreadable",
                &[
                    ("path", &path.display().to_string()),
                    ("detail", &e.to_string()),
                ],
            ))
        })?;
        Self::parse(&text, path, catalog_user, t)
    }

    /// The identity of a key, compared by key material (comments do not matter here).
    pub fn find(&self, key: &PublicKey) -> Option<&Identity> {
        self.keys
            .iter()
            .find(|(k, _)| k.key_data() == key.key_data())
            .map(|(_, id)| id)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The authorized keys as the file says now: read again on a sign-in after the file changed,
/// so an admin's key is added without a restart. A file that no longer parses leaves the
/// keys as they were (and `reload` says why).
pub struct KeyRing {
    path: PathBuf,
    user: User,
    t: &'static Messages,
    state: Mutex<(Option<SystemTime>, AuthorizedKeys)>,
}

impl KeyRing {
    pub fn new(path: PathBuf, user: User, t: &'static Messages, keys: AuthorizedKeys) -> Self {
        let stamp = modified(&path);
        KeyRing {
            path,
            user,
            t,
            state: Mutex::new((stamp, keys)),
        }
    }

    /// The identity of `key`, after re-reading the file if it changed (a removed file
    /// revokes every key). The second value says why a changed file was not taken: then the
    /// previous keys still apply.
    pub fn find(&self, key: &PublicKey) -> (Option<Identity>, Option<SetupError>) {
        let Ok(mut state) = self.state.lock() else {
            return (None, None);
        };
        let stamp = modified(&self.path);
        let mut problem = None;
        if stamp != state.0 {
            state.0 = stamp;
            let reread = if stamp.is_some() {
                AuthorizedKeys::load(&self.path, &self.user, self.t)
            } else {
                Ok(AuthorizedKeys::default())
            };
            match reread {
                Ok(keys) => state.1 = keys,
                Err(e) => problem = Some(e),
            }
        }
        (state.1.find(key).cloned(), problem)
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn ada() -> User {
        User {
            name: "Ada".into(),
            email: "ada@contoso.com".into(),
            role: Role::GlobalAdmin,
            can_view_keys: true,
        }
    }

    fn public(seed: u8, comment: &str) -> String {
        let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]));
        key.set_comment(comment);
        key.public_key().to_openssh().unwrap()
    }

    #[test]
    fn a_key_signs_in_as_the_catalog_user_its_comment_names() {
        let t = Messages::get(Lang::EnUs);
        let text = format!(
            "# admins\n\n{}\nrestrict,pty {}\n",
            public(1, "ada@contoso.com"),
            public(2, "ADA@contoso.com")
        );
        let keys = AuthorizedKeys::parse(&text, Path::new("ak"), &ada(), t).unwrap();
        assert_eq!(keys.len(), 2);
        let other: PublicKey = public(2, "whatever").parse().unwrap();
        let id = keys.find(&other).unwrap();
        assert_eq!(id.user, ada());
        assert!(id.via.starts_with("SHA256:"));
        let stranger: PublicKey = public(3, "ada@contoso.com").parse().unwrap();
        assert!(keys.find(&stranger).is_none());
    }

    #[test]
    fn an_unknown_comment_is_refused_with_its_line_and_the_fix() {
        let t = Messages::get(Lang::EnUs);
        let text = format!("{}\n", public(1, "bob@contoso.com"));
        let err = AuthorizedKeys::parse(&text, Path::new("ak"), &ada(), t).unwrap_err();
        assert!(err.0.contains("ak:1"), "{}", err.0);
        assert!(err.0.contains("bob@contoso.com"), "{}", err.0);
        assert!(err.0.contains("ada@contoso.com"), "{}", err.0);
    }

    #[test]
    fn a_broken_line_is_refused_with_its_line() {
        let t = Messages::get(Lang::EnUs);
        let err = AuthorizedKeys::parse("\nssh-ed25519 AAAA!!\n", Path::new("ak"), &ada(), t)
            .unwrap_err();
        assert!(err.0.contains("ak:2"), "{}", err.0);
    }

    #[cfg(unix)]
    #[test]
    fn authorized_keys_writable_by_others_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let t = Messages::get(Lang::EnUs);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(AUTHORIZED_KEYS_FILE);
        std::fs::write(&path, format!("{}\n", public(1, "ada@contoso.com"))).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let err = AuthorizedKeys::load(&path, &ada(), t).unwrap_err();
        assert!(err.0.contains("chmod go-w"), "{}", err.0);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(AuthorizedKeys::load(&path, &ada(), t).unwrap().len(), 1);
    }

    #[test]
    fn the_host_key_is_generated_once_private_then_reused() {
        let t = Messages::get(Lang::EnUs);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(HOST_KEY_FILE);
        let (first, generated) = host_key(&path, t).unwrap();
        assert!(generated);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, generated) = host_key(&path, t).unwrap();
        assert!(!generated);
        assert_eq!(
            fingerprint(first.public_key()),
            fingerprint(again.public_key())
        );
        std::fs::write(&path, "not a key").unwrap();
        let err = host_key(&path, t).unwrap_err();
        assert!(err.0.contains(&path.display().to_string()), "{}", err.0);
    }

    #[test]
    fn guests_may_neither_redeem_nor_see_keys() {
        let g = guest(Messages::get(Lang::EnUs));
        assert!(g.is_guest());
        assert!(!g.user.role.may_redeem());
        assert!(!g.user.may_view_keys());
    }
}
