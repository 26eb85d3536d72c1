//! `benefits serve`: the dashboard over SSH. Every session is the full dashboard with its own
//! state on a thread of its own, drawn by the same loop as the local terminal; all sessions
//! share the ledger. Nothing else is served: no exec, shell commands, subsystems (sftp), port
//! or agent forwarding.
//!
//! - `auth`: the host key, authorized keys mapped to the catalog's user, the guest
//! - `session`: one connection (russh handler): authentication, requests, refusals
//! - `dashboard`: one session's dashboard on its own thread, on the shared loop
//! - `input`: channel bytes into crossterm events (terminput)
//! - `output`: frames into the channel, one chunk per frame, at the client's size
//! - `log`: `serve.log`, connections, authentication and operations (keys masked)

pub mod auth;
mod dashboard;
pub mod input;
pub mod log;
pub mod output;
pub mod session;

pub use session::{Connection, Shared};

use russh::keys::PrivateKey;
use std::sync::Arc;
use std::sync::atomic::Ordering;
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
                    let waiting = shared.signing_in.fetch_add(1, Ordering::SeqCst);
                    if waiting >= shared.max_startups {
                        shared.signing_in.fetch_sub(1, Ordering::SeqCst);
                        let fields = [
                            ("peer", peer.to_string()),
                            ("request", "connect".into()),
                            ("detail", format!("{waiting} connections still signing in")),
                        ];
                        let fields = fields.each_ref().map(|(k, v)| (*k, v.as_str()));
                        shared.log.line("refused", &fields);
                        drop(socket);
                        continue;
                    }
                    tokio::spawn(connection(
                        shared.clone(),
                        config.clone(),
                        socket,
                        peer,
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

/// How long a connection may take to sign in (as OpenSSH's LoginGraceTime; shorter when
/// `--idle-timeout` is): one that has not by then, silent or not, is closed, so idle sockets
/// cannot pile up before sign-in.
fn login_grace(shared: &Shared) -> Duration {
    let most = Duration::from_secs(60);
    shared.idle_timeout.map_or(most, |d| d.min(most))
}

/// One connection, from the SSH handshake to its end: closed when it has not signed in
/// within `login_grace`, or when the server stops.
async fn connection(
    shared: Arc<Shared>,
    config: Arc<russh::server::Config>,
    socket: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    mut stop: tokio::sync::broadcast::Receiver<()>,
) {
    let handler = Connection::new(shared.clone(), Some(peer));
    let signed_in = handler.signed_in();
    let id = handler.id().to_string();
    let late = || {
        let fields = [
            ("conn", id.as_str()),
            ("request", "login"),
            ("detail", "grace time"),
        ];
        shared.log.line("refused", &fields);
    };
    let grace = tokio::time::sleep(login_grace(&shared));
    tokio::pin!(grace);
    let session = tokio::select! {
        s = russh::server::run_stream(config, socket, handler) => s,
        _ = &mut grace => return late(),
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
    let (mut grace_over, mut stopping) = (false, false);
    loop {
        tokio::select! {
            result = &mut session => {
                if let Err(e) = result {
                    let fields = [("conn", id.as_str()), ("detail", &e.to_string())];
                    shared.log.line("connection-error", &fields);
                }
                return;
            }
            _ = &mut grace, if !grace_over => {
                grace_over = true;
                if !signed_in.load(Ordering::SeqCst) {
                    late();
                    disconnect("serve.login-timeout").await;
                }
            }
            _ = stop.recv(), if !stopping => {
                stopping = true;
                disconnect("serve.stopping").await;
            }
        }
    }
}
