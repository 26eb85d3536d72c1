//! Who may connect, and as whom: the host key, the authorized keys (each mapped to the
//! catalog's user by its comment), and the read-only guest.

use super::keyopts::{self, KeyOptions, LineError};
use crate::domain::{Role, User};
use crate::i18n::Messages;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey};
use std::io::Write;
use std::net::IpAddr;
use std::path::Path;

pub use super::keyring::KeyRing;

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

/// One line that holds: its key, what its options ask, and whom it signs in as.
#[derive(Debug)]
struct Authorized {
    key: PublicKey,
    options: KeyOptions,
    identity: Identity,
    /// `path:line`, for the log.
    at: String,
}

/// The keys that may sign in, each with the user it signs in as.
#[derive(Debug, Default)]
pub struct AuthorizedKeys {
    keys: Vec<Authorized>,
}

impl AuthorizedKeys {
    /// Parse an OpenSSH `authorized_keys` file, every line on its own: the lines that hold,
    /// and why each other line is not used. A key's comment names the catalog user it signs
    /// in as (their email); any other comment leaves the line out, so a typo never admits
    /// someone under a role nobody meant to give. So does an option this server cannot
    /// honour (`keyopts`).
    pub fn parse(
        text: &str,
        path: &Path,
        catalog_user: &User,
        t: &Messages,
    ) -> (AuthorizedKeys, Vec<SetupError>) {
        let shown = path.display().to_string();
        let mut keys = Vec::new();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = format!("{shown}:{}", i + 1);
            match Self::line(line, &at, catalog_user, t) {
                Ok((key, options)) => {
                    let via = fingerprint(&key);
                    let identity = Identity {
                        user: catalog_user.clone(),
                        via,
                    };
                    keys.push(Authorized {
                        key,
                        options,
                        identity,
                        at,
                    });
                }
                Err(e) => problems.push(e),
            }
        }
        (AuthorizedKeys { keys }, problems)
    }

    fn line(
        line: &str,
        at: &str,
        catalog_user: &User,
        t: &Messages,
    ) -> Result<(PublicKey, KeyOptions), SetupError> {
        let (options, key) = keyopts::parse_line(line).map_err(|e| {
            SetupError(match e {
                LineError::NotAKey(d) => t.fmt(
                    "serve.authorized-key-invalid",
                    &[("at", at), ("detail", &d)],
                ),
                LineError::Invalid(d) => t.fmt(
                    "serve.authorized-key-bad-options",
                    &[("at", at), ("detail", &d)],
                ),
                LineError::Refused(o) => t.fmt(
                    "serve.authorized-key-option-refused",
                    &[("at", at), ("option", &o)],
                ),
            })
        })?;
        let comment: &str = key.comment().as_ref();
        if !comment.trim().eq_ignore_ascii_case(&catalog_user.email) {
            return Err(SetupError(t.fmt(
                "serve.authorized-key-unknown-user",
                &[
                    ("at", at),
                    ("comment", comment),
                    ("email", &catalog_user.email),
                ],
            )));
        }
        Ok((key, options))
    }

    /// The file's lines, or why the file as a whole cannot be trusted.
    pub fn load(
        path: &Path,
        catalog_user: &User,
        t: &Messages,
    ) -> Result<(Self, Vec<SetupError>), SetupError> {
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
        Ok(Self::parse(&text, path, catalog_user, t))
    }

    /// The identity of a key (compared by key material; comments do not matter here) for a
    /// client at `ip` at `now` (Unix seconds). As sshd, every line with the key is tried in
    /// order and the first whose options allow it wins; otherwise why each refused.
    pub fn find(
        &self,
        key: &PublicKey,
        ip: Option<IpAddr>,
        now: i64,
    ) -> Result<&Identity, Vec<String>> {
        let mut refusals = Vec::new();
        for a in self
            .keys
            .iter()
            .filter(|a| a.key.key_data() == key.key_data())
        {
            match a.options.refuses(ip, now) {
                None => return Ok(&a.identity),
                Some(why) => refusals.push(format!("{}: {why}", a.at)),
            }
        }
        Err(refusals)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::i18n::Lang;

    pub(crate) fn ada() -> User {
        User {
            name: "Ada".into(),
            email: "ada@contoso.com".into(),
            role: Role::GlobalAdmin,
            can_view_keys: true,
        }
    }

    pub(crate) fn public(seed: u8, comment: &str) -> String {
        let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]));
        key.set_comment(comment);
        key.public_key().to_openssh().unwrap()
    }

    const NOW: i64 = 1_795_000_000; // November 2026

    #[test]
    fn a_key_signs_in_as_the_catalog_user_its_comment_names() {
        let t = Messages::get(Lang::EnUs);
        let text = format!(
            "# admins\n\n{}\nrestrict,pty {}\n",
            public(1, "ada@contoso.com"),
            public(2, "ADA@contoso.com")
        );
        let (keys, problems) = AuthorizedKeys::parse(&text, Path::new("ak"), &ada(), t);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(keys.len(), 2);
        let other: PublicKey = public(2, "whatever").parse().unwrap();
        let id = keys.find(&other, None, NOW).unwrap();
        assert_eq!(id.user, ada());
        assert!(id.via.starts_with("SHA256:"));
        let stranger: PublicKey = public(3, "ada@contoso.com").parse().unwrap();
        assert_eq!(
            keys.find(&stranger, None, NOW).unwrap_err(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_unknown_comment_leaves_its_line_out_naming_the_line_and_the_fix() {
        let t = Messages::get(Lang::EnUs);
        let text = format!(
            "{}\n{}\n",
            public(1, "bob@contoso.com"),
            public(2, "ada@contoso.com")
        );
        let (keys, problems) = AuthorizedKeys::parse(&text, Path::new("ak"), &ada(), t);
        assert_eq!(keys.len(), 1, "the other line still holds");
        let err = &problems[0].0;
        assert!(err.contains("ak:1"), "{err}");
        assert!(err.contains("bob@contoso.com"), "{err}");
        assert!(err.contains("ada@contoso.com"), "{err}");
    }

    #[test]
    fn broken_and_refused_lines_are_left_out_each_on_its_own() {
        let t = Messages::get(Lang::EnUs);
        let text = format!(
            "\nssh-ed25519 AAAA!!\ncommand=\"/bin/sh\" {}\nbogus {}\n{}\n",
            public(1, "ada@contoso.com"),
            public(2, "ada@contoso.com"),
            public(3, "ada@contoso.com"),
        );
        let (keys, problems) = AuthorizedKeys::parse(&text, Path::new("ak"), &ada(), t);
        let problems: Vec<&str> = problems.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("ak:2: not a public key"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("ak:3: command= cannot be honoured"),
            "{problems:?}"
        );
        assert!(
            problems[2].starts_with("ak:4: the key's options cannot be read"),
            "{problems:?}"
        );
        assert_eq!(keys.len(), 1);
        for (seed, admitted) in [(1, false), (2, false), (3, true)] {
            let k: PublicKey = public(seed, "x").parse().unwrap();
            assert_eq!(keys.find(&k, None, NOW).is_ok(), admitted, "key {seed}");
        }
    }

    #[test]
    fn from_and_expiry_time_decide_per_line_and_the_first_line_that_allows_wins() {
        let t = Messages::get(Lang::EnUs);
        let key = public(1, "ada@contoso.com");
        let text = format!(
            "from=\"192.0.2.1\" {key}\nexpiry-time=\"20200101\" {key}\nfrom=\"127.0.0.0/8,!127.0.0.9\" {key}\n"
        );
        let (keys, problems) = AuthorizedKeys::parse(&text, Path::new("ak"), &ada(), t);
        assert!(problems.is_empty(), "{problems:?}");
        let k: PublicKey = key.parse().unwrap();
        let at = |ip: &str| keys.find(&k, Some(ip.parse().unwrap()), NOW);
        assert!(at("127.0.0.1").is_ok());
        let why = at("127.0.0.9").unwrap_err();
        assert_eq!(why.len(), 3, "{why:?}");
        assert!(
            why[0].starts_with("ak:1: from=\"192.0.2.1\" does not admit 127.0.0.9"),
            "{why:?}"
        );
        assert!(why[1].starts_with("ak:2: expiry-time passed"), "{why:?}");
        assert!(why[2].contains("does not admit 127.0.0.9"), "{why:?}");
        assert!(at("192.0.2.1").is_ok());
        assert!(
            keys.find(&k, None, NOW).is_err(),
            "no address: from= admits nobody"
        );
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
        assert_eq!(AuthorizedKeys::load(&path, &ada(), t).unwrap().0.len(), 1);
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
