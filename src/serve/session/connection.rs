//! One connection's state: who signed in, its channels and what each asked for, and the
//! dashboard a shell request starts; kept apart from the handler (`session`) that answers
//! each SSH request with it.

use crate::i18n::{Lang, Messages};
use crate::serve::auth::{self, Identity};
use crate::serve::dashboard::{self, Input, SessionSetup, wants_color};
use crate::serve::output::SharedSize;
use crate::serve::shared::{Shared, SlotGuard};
use crate::serve::startups::{AUTHENTICATING, Ticket};
use russh::ChannelId;
use russh::keys::ssh_key::PublicKey;
use russh::server::{Auth, Session};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;

/// What a session channel asked for before its shell request, and its input once the
/// dashboard runs.
#[derive(Default)]
pub(super) struct ChannelState {
    pub(super) term: Option<String>,
    pub(super) size: (u16, u16),
    pub(super) no_color: bool,
    /// LC_ALL, LC_MESSAGES and LANG as the client sent them.
    pub(super) lang_vars: HashMap<String, String>,
    pub(super) input: Option<SyncSender<Input>>,
    /// Input was dropped because the dashboard fell that far behind (logged once).
    pub(super) overrun: bool,
}

pub struct Connection {
    pub(super) shared: Arc<Shared>,
    pub(super) id: String,
    pub(super) peer: String,
    /// The client's address, for `from=` in authorized_keys.
    pub(super) ip: Option<std::net::IpAddr>,
    pub(super) identity: Option<Identity>,
    pub(super) signed_in: Arc<AtomicBool>,
    /// Its place in `Shared::startups` while it has not signed in.
    pub(super) startup: Option<Ticket>,
    pub(super) channels: HashMap<ChannelId, ChannelState>,
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

    pub(super) fn sign_in(&mut self, id: Identity) {
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

    pub(super) fn reject(&self) -> Auth {
        Auth::Reject {
            proceed_with_methods: Some(self.shared.methods()),
            partial_success: false,
        }
    }

    pub(super) fn log_auth(&self, method: &str, user: &str, result: &str, extra: &[(&str, &str)]) {
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

    pub(super) fn refuse(&self, what: &str, detail: &str) {
        self.shared.log.line(
            "refused",
            &[("conn", &self.id), ("request", what), ("detail", detail)],
        );
    }

    pub(super) fn find_key(&self, key: &PublicKey) -> Option<Identity> {
        self.authenticating();
        let shared = &self.shared;
        shared.keys.find(key, self.ip, &shared.log, &self.id)
    }

    pub(super) fn accept_key(&mut self, user: &str, key: &PublicKey) -> Auth {
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
    pub(super) fn decline(&self, channel: ChannelId, session: &mut Session, id: &str, status: u32) {
        let text = format!("{}\r\n", Messages::get(self.lang(channel)).text(id));
        let _ = session.extended_data(channel, 1, text.into_bytes());
        let _ = session.exit_status_request(channel, status);
        let _ = session.eof(channel);
        let _ = session.close(channel);
    }

    /// The session's language: `--lang`, the catalog's, then the client's LC_ALL /
    /// LC_MESSAGES / LANG.
    pub(super) fn lang(&self, channel: ChannelId) -> Lang {
        let vars = self.channels.get(&channel).map(|s| &s.lang_vars);
        Lang::resolve(
            self.shared.lang_flag.as_deref(),
            self.shared.catalog_lang.as_deref(),
            crate::i18n::env_lang(|v| vars.and_then(|m| m.get(v).cloned())).as_deref(),
        )
    }

    pub(super) fn start_dashboard(&mut self, channel: ChannelId, session: &mut Session) {
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
        let slot = SlotGuard::new(self.shared.clone());
        let setup = SessionSetup {
            shared: self.shared.clone(),
            id: self.id.clone(),
            identity,
            color: wants_color(&term, state.no_color),
            lang,
            size: Arc::new(SharedSize::new(state.size.0, state.size.1)),
            term,
        };
        match dashboard::start(setup, slot, channel, session.handle()) {
            Ok(input) => state.input = Some(input),
            Err(e) => self.refuse("shell", &e.to_string()),
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

/// The client's terminal size, within what a screen can be: a client asking for a 65535 x
/// 65535 terminal must not make the server allocate a buffer of four billion cells. A
/// client without a terminal of its own (`ssh -tt` from a pipe) reports 0: then 80 x 24.
pub(super) fn pty_size(cols: u32, rows: u32) -> (u16, u16) {
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
