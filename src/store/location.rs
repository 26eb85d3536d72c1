//! Where the ledger is: the SQLite file in the data directory, or a PostgreSQL database
//! named by `--store URL`. The URL's password (if any) and the one found in `PGPASSWORD`
//! or the password file are kept apart from everything that is ever shown: `Location`
//! displays as `postgres://user@host:port/db`, and errors are scrubbed of the password.

use std::fmt;
use std::path::{Path, PathBuf};

/// Environment variable naming the store (after `--store`, before the SQLite default).
pub const STORE_ENV: &str = "BENEFITS_STORE";

/// Where the ledger lives.
#[derive(Clone)]
pub enum Location {
    /// `ledger.db` in this data directory.
    Sqlite(PathBuf),
    /// A PostgreSQL database; the data directory keeps this machine's caches.
    Postgres(Box<PgTarget>),
}

/// A PostgreSQL database, as the `postgres` crate connects to it, plus what libpq's URL
/// has that the crate reads differently (`sslmode=verify-ca|verify-full`, `sslrootcert`).
#[derive(Clone)]
pub struct PgTarget {
    pub(super) config: postgres::Config,
    pub(super) tls: TlsMode,
    pub(super) root_cert: Option<PathBuf>,
    /// `postgres://user@host:port/db`: what messages name.
    shown: String,
    /// This machine's caches (catalog snapshot, checkpoints).
    pub(super) cache_dir: PathBuf,
}

/// libpq's `sslmode` values that a client can honour: `prefer` and `require` encrypt
/// without checking the certificate (as libpq does), `verify-ca` checks it against the
/// roots, `verify-full` also checks the host name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// Why `--store` cannot be used (exit 2): the URL and what to write instead, never the
/// password.
#[derive(Debug, thiserror::Error)]
#[error(
    "--store {shown}: {detail}; fix: write postgres://USER@HOST:PORT/DATABASE?sslmode=disable|prefer|require|verify-ca|verify-full"
)]
pub struct BadLocation {
    shown: String,
    detail: String,
}

impl Location {
    /// `--store` (or `BENEFITS_STORE`, passed in the same value), else SQLite in `data_dir`.
    pub fn resolve(store: Option<&str>, data_dir: &Path) -> Result<Location, BadLocation> {
        match store.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Location::Sqlite(data_dir.to_path_buf())),
            Some(url) => PgTarget::parse(url, data_dir).map(|t| Location::Postgres(Box::new(t))),
        }
    }

    /// This machine's data directory (the ledger's, or the caches' beside a server).
    pub fn data_dir(&self) -> &Path {
        match self {
            Location::Sqlite(d) => d,
            Location::Postgres(t) => &t.cache_dir,
        }
    }

    /// Whether there is a ledger to read already. A server is asked when it is opened.
    pub fn exists(&self) -> bool {
        match self {
            Location::Sqlite(d) => super::exists(d),
            Location::Postgres(_) => true,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(d) => write!(f, "{}", d.join(super::DB_FILE).display()),
            Location::Postgres(t) => f.write_str(&t.shown),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Location({self})")
    }
}

impl PgTarget {
    fn parse(url: &str, cache_dir: &Path) -> Result<PgTarget, BadLocation> {
        let shown = shown_without_secrets(url);
        let bad = |detail: String| BadLocation {
            shown: shown.clone(),
            detail,
        };
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(bad("not a postgres:// URL".into()));
        }
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut tls = TlsMode::Prefer;
        let mut root_cert = None;
        let mut rest = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "sslmode" => {
                    tls = match v {
                        "disable" => TlsMode::Disable,
                        "prefer" | "allow" => TlsMode::Prefer,
                        "require" => TlsMode::Require,
                        "verify-ca" => TlsMode::VerifyCa,
                        "verify-full" => TlsMode::VerifyFull,
                        _ => return Err(bad(format!("sslmode={v} is not a mode"))),
                    }
                }
                "sslrootcert" => root_cert = Some(PathBuf::from(percent_decode(v))),
                _ => rest.push(pair),
            }
        }
        let crate_mode = match tls {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            _ => "require",
        };
        rest.push(match crate_mode {
            "disable" => "sslmode=disable",
            "prefer" => "sslmode=prefer",
            _ => "sslmode=require",
        });
        let rebuilt = format!("{base}?{}", rest.join("&"));
        let mut config: postgres::Config = rebuilt
            .parse()
            .map_err(|e: postgres::Error| bad(scrub(&e.to_string(), url)))?;
        if config.get_hosts().is_empty() {
            config.host("localhost");
        }
        if config.get_user().is_none()
            && let Some(user) = std::env::var("PGUSER")
                .ok()
                .or_else(|| std::env::var("USER").ok())
                .filter(|u| !u.is_empty())
        {
            config.user(&user);
        }
        config.application_name("benefits");
        config.connect_timeout(std::time::Duration::from_secs(10));
        if config.get_password().is_none()
            && let Some(pw) = password_from_env(&config)
        {
            config.password(pw);
        }
        let shown = shown_of(&config);
        Ok(PgTarget {
            config,
            tls,
            root_cert,
            shown,
            cache_dir: cache_dir.to_path_buf(),
        })
    }

    /// `postgres://user@host:port/db`, no password.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// `text` without the password in it (in any form a message might quote it).
    pub(super) fn scrub(&self, text: &str) -> String {
        match self.config.get_password() {
            Some(pw) if !pw.is_empty() => {
                let pw = String::from_utf8_lossy(pw);
                text.replace(pw.as_ref(), "********")
            }
            _ => text.to_string(),
        }
    }
}

/// `PGPASSWORD`, else the matching line of the password file (`PGPASSFILE`, else
/// `~/.pgpass`; on Windows `%APPDATA%\postgresql\pgpass.conf`), as libpq reads them. The
/// `postgres` crate reads neither.
fn password_from_env(config: &postgres::Config) -> Option<String> {
    if let Some(pw) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
        return Some(pw);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(default_pgpass)?;
    let text = read_private(&file)?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        // libpq matches a socket directory as `localhost`.
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or_default();
    let user = config.get_user().unwrap_or_default();
    pgpass_lookup(&text, [&host, &port, db, user])
}

fn default_pgpass() -> Option<PathBuf> {
    if cfg!(windows) {
        std::env::var_os("APPDATA").map(|d| PathBuf::from(d).join("postgresql/pgpass.conf"))
    } else {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass"))
    }
}

/// The file's text, unless others may read it (libpq ignores such a file, and so do we).
fn read_private(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return None;
        }
    }
    std::fs::read_to_string(path).ok()
}

/// The password of the first `host:port:database:user:password` line that matches (`*`
/// matches anything; `\:` and `\\` escape).
pub(super) fn pgpass_lookup(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        if fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields.last_mut().expect("one field").push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

fn shown_of(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    let at = if user.is_empty() {
        String::new()
    } else {
        format!("{user}@")
    };
    format!("postgres://{at}{host}:{port}/{db}")
}

/// The URL as typed, with a password in its user part or query replaced by `********`:
/// what a message about a URL that does not parse may quote.
fn shown_without_secrets(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let base = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (auth, host) = match rest.rsplit_once('@') {
                Some((auth, host)) => (Some(auth), host),
                None => (None, rest),
            };
            match auth {
                Some(a) => {
                    let user = a.split_once(':').map_or(a, |(u, _)| u);
                    let hidden = if a.contains(':') { ":********" } else { "" };
                    format!("{scheme}://{user}{hidden}@{host}")
                }
                None => format!("{scheme}://{host}"),
            }
        }
        None => "(not a URL)".into(),
    };
    let query: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some(("password", _)) => "password=********".to_string(),
            _ => p.to_string(),
        })
        .collect();
    if query.is_empty() {
        base
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

/// `text` without whatever password `url` carries.
fn scrub(text: &str, url: &str) -> String {
    let mut out = text.to_string();
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let from_auth = base
        .split_once("://")
        .and_then(|(_, rest)| rest.rsplit_once('@'))
        .and_then(|(auth, _)| auth.split_once(':'))
        .map(|(_, pw)| pw);
    let from_query = query.split('&').find_map(|p| p.strip_prefix("password="));
    for pw in [from_auth, from_query].into_iter().flatten() {
        if !pw.is_empty() {
            out = out.replace(pw, "********");
        }
    }
    out
}

fn percent_decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_never_shown() {
        let dir = Path::new("/tmp/x");
        let l = Location::resolve(Some("postgres://ann:s3cret@db.example:6543/team"), dir).unwrap();
        assert_eq!(l.to_string(), "postgres://ann@db.example:6543/team");
        assert!(!format!("{l:?}").contains("s3cret"));
        let e = Location::resolve(Some("postgres://ann:s3cret@db:x/team"), dir).unwrap_err();
        assert!(!e.to_string().contains("s3cret"), "{e}");
        let e = Location::resolve(
            Some("postgres://ann@db/team?password=s3cret&sslmode=nope"),
            dir,
        )
        .unwrap_err();
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert!(e.to_string().contains("sslmode=nope"), "{e}");
    }

    #[test]
    fn without_a_store_the_ledger_is_sqlite_in_the_data_directory() {
        let l = Location::resolve(None, Path::new("/d")).unwrap();
        assert!(matches!(l, Location::Sqlite(ref d) if d == Path::new("/d")));
        assert!(matches!(
            Location::resolve(Some("  "), Path::new("/d")),
            Ok(Location::Sqlite(_))
        ));
        assert!(Location::resolve(Some("mysql://x"), Path::new("/d")).is_err());
    }

    #[test]
    fn sslmode_takes_every_libpq_mode_a_client_honours() {
        for (mode, want) in [
            ("disable", TlsMode::Disable),
            ("prefer", TlsMode::Prefer),
            ("require", TlsMode::Require),
            ("verify-ca", TlsMode::VerifyCa),
            ("verify-full", TlsMode::VerifyFull),
        ] {
            let url = format!("postgres://a@h/db?sslmode={mode}&sslrootcert=%2Ftmp%2Fca.pem");
            let Ok(Location::Postgres(t)) = Location::resolve(Some(&url), Path::new("/d")) else {
                panic!("{url}")
            };
            assert_eq!(t.tls, want);
            assert_eq!(t.root_cert.as_deref(), Some(Path::new("/tmp/ca.pem")));
        }
    }

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let text =
            "# comment\nother:5432:*:*:no\nh:5432:db:ann:pa\\:ss\\\\word\n*:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, ["h", "5432", "db", "ann"]).as_deref(),
            Some("pa:ss\\word")
        );
        assert_eq!(
            pgpass_lookup(text, ["x", "1", "y", "z"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("h:1:d:u\n", ["h", "1", "d", "u"]), None);
    }
}
