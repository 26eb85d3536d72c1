//! `benefits serve`: the dashboard over SSH. Every session is the full dashboard with its own
//! state on a thread of its own, drawn by the same loop as the local terminal; all sessions
//! share the ledger. Nothing else is served: no exec, shell commands, subsystems (sftp), port
//! or agent forwarding.
//!
//! - `auth`: the host key, authorized keys mapped to the catalog's user, the guest
//! - `keyopts`, `from`: an authorized_keys line's options, honoured or refused
//! - `keyring`: the authorized keys re-read when the file changes, line by line
//! - `shared`: what every connection shares (the catalog, counts, the log)
//! - `session`: one connection (russh handler): authentication, requests, refusals
//! - `dashboard`: one session's dashboard on its own thread, on the shared loop (the
//!   channel's bytes become events in `crate::input::ssh`)
//! - `output`: frames into the channel, one chunk per frame, at the client's size
//! - `startups`: connections not signed in yet, their slots and deadlines
//! - `log`: `serve.log`, connections, authentication and operations (keys masked)

pub mod auth;
mod dashboard;
pub mod from;
pub mod keyopts;
pub mod keyring;
pub mod log;
pub mod output;
pub mod session;
mod shared;
pub mod startups;

pub use session::Connection;
pub use shared::Shared;
use startups::Ticket;

use russh::keys::PrivateKey;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How the server listens.
pub struct Listen {
    /// Already bound (so the caller can report the address and any bind error).
    pub listener: std::net::TcpListener,
    pub host_key: PrivateKey,
}

/// Serve until a stop request (`platform`: SIGTERM, SIGINT, SIGHUP; Ctrl-C or a closed console
/// on Windows), or until the listener fails.
pub fn run(shared: Shared, listen: Listen) -> std::io::Result<()> {
    let Listen { listener, host_key } = listen;
    // crossterm drops every colour when the *server's* NO_COLOR is set; each session decides
    // its colours from its own client instead (`Theme`), so crossterm must not.
    crossterm::style::Colored::set_ansi_color_disabled(false);
    // The dashboard ends itself after `idle_timeout` without input; the connection's own
    // timer is the backstop for connections that never open one (or hang in between).
    let inactivity = shared.idle_timeout.map(|d| d + Duration::from_secs(30));
    listener.set_nonblocking(true)?;
    crate::platform::on_stop_request(&shared.shutdown)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let config = Arc::new(russh::server::Config {
            methods: shared.methods(),
            keys: vec![host_key],
            inactivity_timeout: inactivity,
            // OpenSSH opens with a "none" probe: answering it at once saves every login a
            // second; real refusals still take the constant rejection time.
            auth_rejection_time: Duration::from_secs(1),
            auth_rejection_time_initial: Some(Duration::ZERO),
            keepalive_interval: Some(Duration::from_secs(30)),
            nodelay: true,
            server_id: russh::SshId::Standard(BANNER.into()),
            preferred: preferred(),
            ..Default::default()
        });
        let shared = Arc::new(shared);
        let (stop_tx, _) = tokio::sync::broadcast::channel::<()>(1);
        while !shared.shutdown.load(Ordering::Relaxed) {
            // The flag is looked at between connections and at least every 100 ms.
            let accepted =
                tokio::time::timeout(Duration::from_millis(100), listener.accept()).await;
            match accepted {
                Ok(Ok((socket, peer))) => {
                    // Full: the connection that has come least far makes room (`startups`).
                    let (socket, probe) = match second_handle(socket) {
                        Ok(pair) => pair,
                        Err(e) => {
                            let fields = [("peer", peer.to_string()), ("detail", e.to_string())];
                            let fields = fields.each_ref().map(|(k, v)| (*k, v.as_str()));
                            shared.log.line("accept-failed", &fields);
                            continue;
                        }
                    };
                    let (ticket, _made_room) = shared.startups.admit(Some(probe));
                    tokio::spawn(connection(
                        shared.clone(),
                        config.clone(),
                        socket,
                        peer,
                        ticket,
                        stop_tx.subscribe(),
                    ));
                }
                Ok(Err(e)) => shared
                    .log
                    .line("accept-failed", &[("detail", &e.to_string())]),
                Err(_) => {}
            }
        }
        shared.log.line("stop", &[]);
        // Dashboards notice within a tick and restore their clients' terminals; their output
        // tasks hand those last bytes and the channel close to the connections.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
        while (shared.sessions.load(Ordering::SeqCst) > 0
            || shared.sending.load(Ordering::SeqCst) > 0)
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // A client whose dashboard closed leaves by itself once it has written out what it
        // got; told to disconnect at once, OpenSSH would drop that last output (the restored
        // terminal modes). The rest are told after a moment, and given one to go.
        for tell in [false, true] {
            if tell {
                let _ = stop_tx.send(());
            }
            let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
            while shared.connections.load(Ordering::SeqCst) > 0
                && tokio::time::Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        Ok(())
    })
}

/// The version line: the protocol and the product, no library or version for a scanner to
/// look up.
const BANNER: &str = "SSH-2.0-benefits";

/// What is offered before anyone has signed in. Key exchange: the two elliptic-curve
/// exchanges only (a client may not make the server compute an 8192-bit DH group per
/// handshake); the strict-kex and ext-info markers are part of the same list, and russh only
/// turns strict kex on (the Terrapin fix) when they are in it. Compression: none, or
/// `zlib@openssh.com`, which starts only after authentication, never plain `zlib`, which
/// would inflate whatever an anonymous client sends.
fn preferred() -> russh::Preferred {
    use russh::{compression, kex};
    russh::Preferred {
        kex: std::borrow::Cow::Borrowed(&[
            kex::MLKEM768X25519_SHA256,
            kex::CURVE25519,
            kex::EXTENSION_SUPPORT_AS_SERVER,
            kex::EXTENSION_OPENSSH_STRICT_KEX_AS_SERVER,
        ]),
        compression: std::borrow::Cow::Borrowed(&[compression::NONE, compression::ZLIB_LEGACY]),
        ..russh::Preferred::DEFAULT
    }
}

/// The socket, and a second handle on it for `Startups` to look into.
fn second_handle(
    socket: tokio::net::TcpStream,
) -> std::io::Result<(tokio::net::TcpStream, std::net::TcpStream)> {
    let socket = socket.into_std()?;
    let probe = socket.try_clone()?;
    Ok((tokio::net::TcpStream::from_std(socket)?, probe))
}

/// How long a connection may take to sign in (as OpenSSH's LoginGraceTime; shorter when
/// `--idle-timeout` is): one that has not by then, silent or not, is closed, so idle sockets
/// cannot pile up before sign-in.
fn login_grace(shared: &Shared) -> Duration {
    let most = Duration::from_secs(60);
    shared.idle_timeout.map_or(most, |d| d.min(most))
}

/// Resolves with the stage a connection has not reached in time: its version line, the
/// key exchange, the sign-in (`startups`); never, once it has signed in.
async fn overdue(shared: &Shared, ticket: &Ticket, signed_in: &AtomicBool) -> &'static str {
    let start = tokio::time::Instant::now();
    let grace = login_grace(shared);
    let stages = [
        (
            startups::VERSION_WITHIN.min(grace),
            startups::TALKING,
            "version",
        ),
        (
            startups::KEY_EXCHANGE_WITHIN.min(grace),
            startups::AUTHENTICATING,
            "key-exchange",
        ),
    ];
    for (within, stage, what) in stages {
        tokio::time::sleep_until(start + within).await;
        if ticket.progress.load(Ordering::SeqCst) < stage && !signed_in.load(Ordering::SeqCst) {
            return what;
        }
    }
    tokio::time::sleep_until(start + grace).await;
    if !signed_in.load(Ordering::SeqCst) {
        return "login";
    }
    std::future::pending().await
}

/// One connection, from the SSH handshake to its end: closed when it has not reached a
/// stage in time (`overdue`), when a newer connection took its place before it signed in,
/// or when the server stops.
async fn connection(
    shared: Arc<Shared>,
    config: Arc<russh::server::Config>,
    socket: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    ticket: Ticket,
    mut stop: tokio::sync::broadcast::Receiver<()>,
) {
    let handler = Connection::new(shared.clone(), Some(peer), ticket.clone());
    let signed_in = handler.signed_in();
    let id = handler.id().to_string();
    let late = |what: &str| {
        let fields = [
            ("conn", id.as_str()),
            ("request", what),
            ("detail", "grace time"),
        ];
        shared.log.line("refused", &fields);
    };
    let dropped = || {
        let fields = [
            ("conn", id.as_str()),
            ("request", "connect"),
            (
                "detail",
                "dropped for a newer connection: --max-startups are all signing in",
            ),
        ];
        shared.log.line("refused", &fields);
    };
    let overdue = overdue(&shared, &ticket, &signed_in);
    tokio::pin!(overdue);
    let socket = startups::Watched::new(socket, ticket.clone());
    let session = tokio::select! {
        s = russh::server::run_stream(config, socket, handler) => s,
        what = &mut overdue => return late(what),
        _ = ticket.dropped.notified() => return dropped(),
    };
    let session = match session {
        Ok(s) => s,
        Err(e) => {
            let fields = [("conn", id.as_str()), ("detail", &e.to_string())];
            return shared.log.line("connection-error", &fields);
        }
    };
    let handle = session.handle();
    let disconnect = |message_id: &'static str| {
        let description = shared.t.text(message_id).to_string();
        let handle = &handle;
        async move {
            let reason = russh::Disconnect::ByApplication;
            let _ = handle.disconnect(reason, description, String::new()).await;
        }
    };
    tokio::pin!(session);
    let mut stopping = false;
    loop {
        tokio::select! {
            result = &mut session => {
                if let Err(e) = result {
                    let fields = [("conn", id.as_str()), ("detail", &e.to_string())];
                    shared.log.line("connection-error", &fields);
                }
                return;
            }
            what = &mut overdue => {
                late(what);
                // Told why when it is signing in; a moment to hear it, then closed, since a
                // message can wait forever behind an unfinished key exchange.
                if what == "login" {
                    disconnect("serve.login-timeout").await;
                    let _ = tokio::time::timeout(Duration::from_secs(1), &mut session).await;
                }
                return ticket.close();
            }
            _ = ticket.dropped.notified(), if !signed_in.load(Ordering::SeqCst) => {
                ticket.close();
                return dropped();
            }
            _ = stop.recv(), if !stopping => {
                stopping = true;
                disconnect("serve.stopping").await;
            }
        }
    }
}
