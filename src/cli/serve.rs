//! `benefits serve`: check every flag and file first (exit 2 naming what to fix), then hand
//! over to the SSH server.

use super::args::ServeArgs;
use super::{Env, Failure, Session, open_session};
use crate::serve::auth::{self, AUTHORIZED_KEYS_FILE, AuthorizedKeys, HOST_KEY_FILE, KeyRing};
use crate::serve::log::ServeLog;
use crate::serve::startups::Startups;
use crate::serve::{self, Listen, Shared};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize};
use std::time::Duration;

/// A line on standard output; a closed stdout (a pipe whose reader left) is not worth a
/// panic or the server.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub fn run(env: &Env, a: &ServeArgs) -> Result<(), Failure> {
    let t = env.t();
    let addr: SocketAddr = a.listen.trim().parse().map_err(|_| {
        Failure::usage(
            "invalid-listen",
            t.fmt("serve.bad-listen", &[("value", &a.listen)]),
        )
    })?;
    let idle_timeout = parse_duration(&a.idle_timeout).ok_or_else(|| {
        Failure::usage(
            "invalid-idle-timeout",
            t.fmt("serve.bad-idle-timeout", &[("value", &a.idle_timeout)]),
        )
    })?;
    if a.max_sessions == 0 {
        return Err(Failure::usage(
            "invalid-max-sessions",
            t.text("serve.bad-max-sessions"),
        ));
    }
    if a.max_startups == 0 {
        return Err(Failure::usage(
            "invalid-max-startups",
            t.text("serve.bad-max-startups"),
        ));
    }
    // The catalog and ledger are checked as every command checks them.
    let Session {
        portfolio,
        store,
        ledger,
        history_through,
        data_dir,
        location,
        writes: _snapshot_written_behind,
    } = open_session(env)?;
    // Every session shows the whole history: what a checkpoint skipped is read here, once.
    let mut ledger = if history_through > 0 {
        let mut older = store
            .entries_through(history_through)
            .map_err(super::store_failure)?;
        older.extend(ledger);
        older
    } else {
        ledger
    };
    drop(store);
    ledger.reverse();
    let t = env.t();

    let default_keys = data_dir.join(AUTHORIZED_KEYS_FILE);
    let keys_path = a.authorized_keys.clone().unwrap_or(default_keys);
    // At start every line must hold, so a mistake is seen while someone is there to fix it;
    // once running, a broken line is left out and logged (`KeyRing`).
    let keys = if a.authorized_keys.is_some() || keys_path.exists() {
        let (keys, problems) = AuthorizedKeys::load(&keys_path, &portfolio.catalog.user, t)
            .map_err(|e| Failure::usage("authorized-keys", e.0))?;
        if !problems.is_empty() {
            let all: Vec<String> = problems.into_iter().map(|e| e.0).collect();
            return Err(Failure::usage("authorized-keys", all.join("\n")));
        }
        keys
    } else {
        AuthorizedKeys::default()
    };
    if keys.is_empty() && !a.guest {
        return Err(Failure::usage(
            "no-authorized-keys",
            t.fmt(
                "serve.no-authorized-keys",
                &[
                    ("path", &keys_path.display().to_string()),
                    ("email", &portfolio.catalog.user.email),
                ],
            ),
        ));
    }

    let host_key_path = a
        .host_key
        .clone()
        .unwrap_or_else(|| data_dir.join(HOST_KEY_FILE));
    let (host_key, generated) =
        auth::host_key(&host_key_path, t).map_err(|e| Failure::usage("host-key", e.0))?;
    let log = ServeLog::open(&data_dir).map_err(|e| {
        Failure::error(
            "log",
            t.fmt(
                "serve.log-unwritable",
                &[
                    (
                        "path",
                        &data_dir.join(serve::log::LOG_FILE).display().to_string(),
                    ),
                    ("detail", &e.to_string()),
                ],
            ),
        )
    })?;
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        Failure::usage(
            "cannot-listen",
            t.fmt(
                "serve.cannot-listen",
                &[("address", &addr.to_string()), ("detail", &e.to_string())],
            ),
        )
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::error("listen", e.to_string()))?;

    let path = host_key_path.display().to_string();
    let fingerprint = auth::fingerprint(host_key.public_key());
    if generated {
        say!(
            "{}",
            t.fmt(
                "serve.host-key-generated",
                &[("path", &path), ("fingerprint", &fingerprint)]
            )
        );
    }
    say!(
        "{}",
        t.fmt(
            "serve.host-key",
            &[("path", &path), ("fingerprint", &fingerprint)]
        )
    );
    say!(
        "{}",
        t.fmt(
            "serve.keys",
            &[
                ("count", &keys.len().to_string()),
                ("path", &keys_path.display().to_string())
            ]
        )
    );
    if a.guest {
        say!("{}", t.text("serve.guests-admitted"));
    }
    say!(
        "{}",
        t.fmt("serve.log", &[("path", &log.path().display().to_string())])
    );
    // Last, so a script can wait for it: from here on the server accepts connections.
    say!(
        "{}",
        t.fmt("serve.listening", &[("address", &local.to_string())])
    );
    log.line(
        "start",
        &[
            ("listen", &local.to_string()),
            ("host-key", &fingerprint),
            ("keys", &keys.len().to_string()),
            ("guest", if a.guest { "yes" } else { "no" }),
        ],
    );

    let keys = KeyRing::new(keys_path, portfolio.catalog.user.clone(), t, keys);
    let shared = Shared {
        catalog_lang: portfolio.catalog.language.clone(),
        base: portfolio,
        base_history: ledger,
        store: location,
        today: env.today,
        clock: env.clock,
        lang_flag: env.global.lang.clone(),
        t,
        keys,
        guest: a.guest,
        max_sessions: a.max_sessions,
        startups: Startups::new(a.max_startups),
        idle_timeout,
        sessions: AtomicUsize::new(0),
        connections: AtomicUsize::new(0),
        sending: AtomicUsize::new(0),
        next_id: AtomicU64::new(0),
        shutdown: Arc::default(),
        log,
    };
    serve::run(shared, Listen { listener, host_key })
        .map_err(|e| Failure::error("serve", e.to_string()))
}

/// `90s`, `30m`, `2h`, plain seconds; `0` means never (None). Anything else: Err via None
/// of the outer option.
fn parse_duration(s: &str) -> Option<Option<Duration>> {
    let s = s.trim();
    let (digits, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = digits.parse().ok()?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    Some((secs > 0).then(|| Duration::from_secs(secs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_timeout_units() {
        assert_eq!(parse_duration("90s"), Some(Some(Duration::from_secs(90))));
        assert_eq!(parse_duration("30m"), Some(Some(Duration::from_secs(1800))));
        assert_eq!(parse_duration("2h"), Some(Some(Duration::from_secs(7200))));
        assert_eq!(parse_duration("45"), Some(Some(Duration::from_secs(45))));
        assert_eq!(parse_duration("0"), Some(None));
        for bad in ["", "m", "10d", "-5s", "1.5h", "99999999999999999999h"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
