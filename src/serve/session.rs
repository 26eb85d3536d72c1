//! One SSH connection: authentication, and the session channel's requests. A shell request
//! with a pty starts the dashboard (`dashboard`) on a thread of its own; everything that is
//! not the dashboard is refused.

use super::auth::{self, Identity, KeyRing};
use super::dashboard::{Input, SessionSetup, restore_sequence, run_dashboard, wants_color};
use super::log::ServeLog;
use super::output::SharedSize;
use super::startups::{AUTHENTICATING, Startups, Ticket};
use crate::domain::{Entry, Portfolio};
use crate::i18n::{Lang, Messages};
use chrono::NaiveDate;
use russh::keys::ssh_key::PublicKey;
use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelOpenFailure, MethodKind, MethodSet};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::time::Duration;

/// What every connection shares: the catalog, where the ledger is, who may sign in.
pub struct Shared {
    /// The catalog folded with the ledger at start-up; each session catches up from here.
    pub base: Portfolio,
    /// The ledger folded into `base`, newest first.
    pub base_history: Vec<(i64, Entry)>,
    pub data_dir: PathBuf,
    pub today: NaiveDate,
    /// `--lang`, and the catalog's `language`: the client's LANG comes after both.
    pub lang_flag: Option<String>,
    pub catalog_lang: Option<String>,
    /// Messages for what the server says before a session has a language of its own.
    pub t: &'static Messages,
    pub keys: KeyRing,
    pub guest: bool,
    pub max_sessions: usize,
    /// Connections that have not signed in yet (as OpenSSH's MaxStartups): the accept loop
    /// gives each a place, and its `Connection` gives it back when it signs in or ends.
    pub startups: Startups,
    /// A dashboard that gets no input for this long ends (None: never).
    pub idle_timeout: Option<Duration>,
    pub sessions: AtomicUsize,
    /// Connections open, signed in or not.
    pub connections: AtomicUsize,
    /// Sessions whose last bytes (and channel close) are still on their way to the client.
    pub sending: AtomicUsize,
    pub next_id: AtomicU64,
    /// Set on SIGTERM / SIGINT / SIGHUP: every dashboard ends, leaving its client's terminal
    /// as it found it, before the server goes.
    pub shutdown: Arc<AtomicBool>,
    pub log: ServeLog,
}

impl Shared {
    /// The methods a client may go on with after a refusal.
    pub fn methods(&self) -> MethodSet {
        let mut m = vec![MethodKind::PublicKey];
        if self.guest {
            m.push(MethodKind::KeyboardInteractive);
        }
        MethodSet::from(&m[..])
    }
}
#[derive(Default)]
struct ChannelState {
    term: Option<String>,
    size: (u16, u16),
    no_color: bool,
    /// LC_ALL, LC_MESSAGES and LANG as the client sent them.
    lang_vars: HashMap<String, String>,
    input: Option<SyncSender<Input>>,
    /// Input was dropped because the dashboard fell that far behind (logged once).
    overrun: bool,
}

pub struct Connection {
    shared: Arc<Shared>,
    id: String,
    peer: String,
    /// The client's address, for `from=` in authorized_keys.
    ip: Option<std::net::IpAddr>,
    identity: Option<Identity>,
    signed_in: Arc<AtomicBool>,
    /// Its place in `Shared::startups` while it has not signed in.
    startup: Option<Ticket>,
    channels: HashMap<ChannelId, ChannelState>,
}

impl Connection {
    /// A connection the caller gave a place in `Shared::startups`.
    pub fn new(shared: Arc<Shared>, peer: Option<std::net::SocketAddr>, startup: Ticket) -> Self {
        let id = format!("c{}", shared.next_id.fetch_add(1, Ordering::Relaxed) + 1);
        let ip = peer.map(|p| p.ip());
        let peer = peer.map(|p| p.to_string()).unwrap_or_default();
        shared
            .log
            .line("connect", &[("conn", &id), ("peer", &peer)]);
        shared.connections.fetch_add(1, Ordering::SeqCst);
        Connection {
            shared,
            id,
            peer,
            ip,
            identity: None,
            signed_in: Arc::default(),
            startup: Some(startup),
            channels: HashMap::new(),
        }
    }

    /// Set once the client has signed in (read by the login grace timer).
    pub fn signed_in(&self) -> Arc<AtomicBool> {
        self.signed_in.clone()
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    fn sign_in(&mut self, id: Identity) {
        self.identity = Some(id);
        self.signed_in.store(true, Ordering::SeqCst);
        self.count_out();
    }

    fn count_out(&mut self) {
        if let Some(t) = self.startup.take() {
            self.shared.startups.leave(&t);
        }
    }

    /// Asked to sign in: the key exchange is behind it.
    fn authenticating(&self) {
        if let Some(t) = &self.startup {
            t.reached(AUTHENTICATING);
        }
    }

    fn reject(&self) -> Auth {
        Auth::Reject {
            proceed_with_methods: Some(self.shared.methods()),
            partial_success: false,
        }
    }

    fn log_auth(&self, method: &str, user: &str, result: &str, extra: &[(&str, &str)]) {
        self.authenticating();
        let mut fields = vec![
            ("conn", self.id.as_str()),
            ("method", method),
            ("ssh-user", user),
            ("result", result),
        ];
        fields.extend_from_slice(extra);
        self.shared.log.line("auth", &fields);
    }

    fn refuse(&self, what: &str, detail: &str) {
        self.shared.log.line(
            "refused",
            &[("conn", &self.id), ("request", what), ("detail", detail)],
        );
    }

    fn find_key(&self, key: &PublicKey) -> Option<Identity> {
        self.authenticating();
        let shared = &self.shared;
        shared.keys.find(key, self.ip, &shared.log, &self.id)
    }

    fn accept_key(&mut self, user: &str, key: &PublicKey) -> Auth {
        let fp = auth::fingerprint(key);
        match self.find_key(key) {
            Some(id) => {
                self.log_auth(
                    "publickey",
                    user,
                    "accepted",
                    &[
                        ("key", &fp),
                        ("as", &id.user.email),
                        ("role", id.user.role.as_str()),
                    ],
                );
                self.sign_in(id);
                Auth::Accept
            }
            None => {
                self.log_auth("publickey", user, "rejected", &[("key", &fp)]);
                self.reject()
            }
        }
    }

    /// Tell the client why there is no dashboard (on its stderr, in its language), then
    /// close the channel.
    fn decline(&self, channel: ChannelId, session: &mut Session, id: &str, status: u32) {
        let text = format!("{}\r\n", Messages::get(self.lang(channel)).text(id));
        let _ = session.extended_data(channel, 1, text.into_bytes());
        let _ = session.exit_status_request(channel, status);
        let _ = session.eof(channel);
        let _ = session.close(channel);
    }

    /// The session's language: `--lang`, the catalog's, then the client's LC_ALL /
    /// LC_MESSAGES / LANG.
    fn lang(&self, channel: ChannelId) -> Lang {
        let vars = self.channels.get(&channel).map(|s| &s.lang_vars);
        Lang::resolve(
            self.shared.lang_flag.as_deref(),
            self.shared.catalog_lang.as_deref(),
            crate::i18n::env_lang(|v| vars.and_then(|m| m.get(v).cloned())).as_deref(),
        )
    }

    fn start_dashboard(&mut self, channel: ChannelId, session: &mut Session) {
        let lang = self.lang(channel);
        let Some(identity) = self.identity.clone() else {
            return self.decline(channel, session, "serve.not-signed-in", 1);
        };
        let Some(state) = self.channels.get_mut(&channel) else {
            return;
        };
        let Some(term) = state.term.clone() else {
            return self.decline(channel, session, "serve.needs-pty", 2);
        };
        if state.input.is_some() {
            return;
        }
        let slot = self.shared.sessions.fetch_add(1, Ordering::SeqCst);
        if slot >= self.shared.max_sessions {
            self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
            self.refuse("shell", "max-sessions reached");
            return self.decline(channel, session, "serve.full", 1);
        }
        let slot = SlotGuard(self.shared.clone());
        let (input_tx, input_rx) = mpsc::sync_channel(INPUT_QUEUE);
        let (out_tx, mut out_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
        let color = wants_color(&term, state.no_color);
        let setup = SessionSetup {
            shared: self.shared.clone(),
            id: self.id.clone(),
            identity,
            color,
            lang,
            size: Arc::new(SharedSize::new(state.size.0, state.size.1)),
            term,
        };
        state.input = Some(input_tx);
        let handle = session.handle();
        let sending = Sending::new(self.shared.clone());
        tokio::spawn(async move {
            let _sending = sending;
            while let Some(chunk) = out_rx.recv().await {
                if handle.data(channel, chunk).await.is_err() {
                    return;
                }
            }
            // The dashboard ended (quit): leave as a shell would.
            let _ = handle.exit_status_request(channel, 0).await;
            let _ = handle.eof(channel).await;
            let _ = handle.close(channel).await;
        });
        let spawned = std::thread::Builder::new()
            .name(format!("serve-{}", self.id))
            .spawn(move || {
                let (shared, id) = (setup.shared.clone(), setup.id.clone());
                let out_after_panic = out_tx.clone();
                // A bug in one session must not take the server down; its slot and channel
                // are freed by unwinding, and the log says what happened.
                let run =
                    std::panic::AssertUnwindSafe(|| run_dashboard(setup, slot, input_rx, out_tx));
                if let Err(panic) = std::panic::catch_unwind(run) {
                    let _ = out_after_panic.blocking_send(restore_sequence());
                    let detail = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    shared.log.line(
                        "session-end",
                        &[("conn", &id), ("reason", "panic"), ("detail", &detail)],
                    );
                }
            });
        if let Err(e) = spawned {
            self.refuse("shell", &e.to_string());
            if let Some(s) = self.channels.get_mut(&channel) {
                s.input = None;
            }
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.count_out();
        self.shared.connections.fetch_sub(1, Ordering::SeqCst);
        self.shared
            .log
            .line("disconnect", &[("conn", &self.id), ("peer", &self.peer)]);
    }
}

/// Counts a session's output task while it runs, so a stopping server lets it finish.
struct Sending(Arc<Shared>);

impl Sending {
    fn new(shared: Arc<Shared>) -> Self {
        shared.sending.fetch_add(1, Ordering::SeqCst);
        Sending(shared)
    }
}

impl Drop for Sending {
    fn drop(&mut self) {
        self.0.sending.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Frees a session slot when the session's thread ends, however it ends.
pub(super) struct SlotGuard(Arc<Shared>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.0.sessions.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        self.log_auth("none", user, "rejected", &[]);
        Ok(self.reject())
    }

    async fn auth_password(&mut self, user: &str, _password: &str) -> Result<Auth, Self::Error> {
        self.log_auth("password", user, "rejected", &[]);
        Ok(self.reject())
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        // A probe: an unknown key is refused (and logged) here; a known one is accepted
        // (and logged) once its signature is verified, in `auth_publickey`.
        if self.find_key(offer.public_key).is_some() {
            return Ok(Auth::Accept);
        }
        let fp = auth::fingerprint(offer.public_key);
        self.log_auth("publickey", user, "rejected", &[("key", &fp)]);
        Ok(self.reject())
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(self.accept_key(user, key.public_key))
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        if !self.shared.guest {
            self.log_auth("keyboard-interactive", user, "rejected", &[]);
            return Ok(self.reject());
        }
        // Guests answer no questions: the role, not a secret, is what limits them.
        let id = auth::guest(self.shared.t);
        self.log_auth(
            "keyboard-interactive",
            user,
            "accepted",
            &[("as", "guest"), ("role", id.user.role.as_str())],
        );
        self.sign_in(id);
        Ok(Auth::Accept)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.insert(channel.id(), ChannelState::default());
        reply.accept().await;
        Ok(())
    }

    async fn channel_open_x11(
        &mut self,
        _channel: Channel<Msg>,
        _originator_address: &str,
        _originator_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("x11", "");
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        host_to_connect: &str,
        port_to_connect: u32,
        _originator_address: &str,
        _originator_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(
            "direct-tcpip",
            &format!("{host_to_connect}:{port_to_connect}"),
        );
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn channel_open_direct_streamlocal(
        &mut self,
        _channel: Channel<Msg>,
        socket_path: &str,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("direct-streamlocal", socket_path);
        reply
            .reject(ChannelOpenFailure::AdministrativelyProhibited)
            .await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(s) if s.input.is_none() => {
                s.term = Some(term.to_string());
                s.size = pty_size(col_width, row_height);
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(s) = self.channels.get_mut(&channel) else {
            return session.channel_failure(channel);
        };
        match name {
            "NO_COLOR" => s.no_color = !value.is_empty(),
            "LANG" | "LC_ALL" | "LC_MESSAGES" => {
                s.lang_vars.insert(name.to_string(), value.to_string());
            }
            _ => return session.channel_failure(channel),
        }
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        self.start_dashboard(channel, session);
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Only its size: a command line may hold anything, a product key included.
        self.refuse("exec", &format!("{} bytes", data.len()));
        session.channel_failure(channel)?;
        session.close(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("subsystem", name);
        session.channel_failure(channel)?;
        session.close(channel)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse("x11", "");
        session.channel_failure(channel)
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse("agent-forwarding", "");
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        address: &str,
        port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse("tcpip-forward", &format!("{address}:{port}"));
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        socket_path: &str,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        self.refuse("streamlocal-forward", socket_path);
        Ok(false)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(s) = self.channels.get_mut(&channel) else {
            return Ok(());
        };
        let Some(tx) = &s.input else { return Ok(()) };
        // Never waits (this task also carries the session's output); a client that sends
        // far more than its dashboard takes loses the excess instead of growing our memory.
        if let Err(TrySendError::Full(_)) = tx.try_send(Input::Bytes(data.to_vec()))
            && !s.overrun
        {
            s.overrun = true;
            self.shared.log.line("input-dropped", &[("conn", &self.id)]);
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(s) = self.channels.get_mut(&channel) {
            s.size = pty_size(col_width, row_height);
            if let Some(tx) = &s.input {
                let _ = tx.try_send(Input::Resize(s.size.0, s.size.1));
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // The client sends nothing more: the dashboard has no input left, so it ends.
        self.channels.remove(&channel);
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.remove(&channel);
        Ok(())
    }
}

/// Input chunks (SSH data packets) waiting for the dashboard, at most.
const INPUT_QUEUE: usize = 1024;

/// The client's terminal size, within what a screen can be: a client asking for a 65535 x
/// 65535 terminal must not make the server allocate a buffer of four billion cells. A
/// client without a terminal of its own (`ssh -tt` from a pipe) reports 0: then 80 x 24.
fn pty_size(cols: u32, rows: u32) -> (u16, u16) {
    let fit = |v: u32, max: u32, default: u16| {
        if v == 0 { default } else { v.min(max) as u16 }
    };
    (fit(cols, 1000, 80), fit(rows, 500, 24))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pty_sizes_are_capped() {
        assert_eq!(pty_size(80, 24), (80, 24));
        assert_eq!(pty_size(u32::MAX, 100_000), (1000, 500));
        assert_eq!(pty_size(0, 0), (80, 24));
    }
}
