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
use russh::server::Server as _;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How the server listens.
pub struct Listen {
    /// Already bound (so the caller can report the address and any bind error).
    pub listener: std::net::TcpListener,
    pub host_key: PrivateKey,
}

struct Server(Arc<Shared>);

impl russh::server::Server for Server {
    type Handler = Connection;

    fn new_client(&mut self, peer: Option<std::net::SocketAddr>) -> Connection {
        Connection::new(self.0.clone(), peer)
    }

    fn handle_session_error(&mut self, error: russh::Error) {
        self.0
            .log
            .line("connection-error", &[("detail", &error.to_string())]);
    }
}

/// Serve until SIGTERM, SIGINT or SIGHUP (or until the listener fails).
pub fn run(shared: Shared, listen: Listen) -> std::io::Result<()> {
    let Listen { listener, host_key } = listen;
    // crossterm drops every colour when the *server's* NO_COLOR is set; each session decides
    // its colours from its own client instead (`Theme`), so crossterm must not.
    crossterm::style::Colored::set_ansi_color_disabled(false);
    // The dashboard ends itself after `idle_timeout` without input; the connection's own
    // timer is the backstop for connections that never open one (or hang in between).
    let inactivity = shared.idle_timeout.map(|d| d + Duration::from_secs(30));
    listener.set_nonblocking(true)?;
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(sig, shared.shutdown.clone())?;
    }
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
        let mut server = Server(shared.clone());
        let running = server.run_on_socket(config, &listener);
        let handle = running.handle();
        tokio::spawn(async move {
            while !shared.shutdown.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            shared.log.line("stop", &[]);
            // Dashboards notice within a tick and restore their clients' terminals; their
            // output tasks hand those last bytes and the channel close to the connections.
            let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
            while (shared.sessions.load(Ordering::SeqCst) > 0
                || shared.sending.load(Ordering::SeqCst) > 0)
                && tokio::time::Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            handle.shutdown(shared.t.text("serve.stopping").into());
        });
        running.await
    })
}
