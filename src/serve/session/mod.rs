//! One SSH connection's handler: authentication, and the session channel's requests. A
//! shell request with a pty starts the dashboard on a thread of its own (`connection`);
//! everything that is not the dashboard is refused.

mod connection;

pub use connection::Connection;

use super::auth;
use super::dashboard::Input;
use connection::{ChannelState, pty_size};
use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelOpenFailure};
use std::sync::mpsc::TrySendError;

/// Logs a refused channel-open request and rejects it: no forwarding of any kind.
async fn refuse_channel(
    conn: &Connection,
    what: &str,
    detail: &str,
    reply: ChannelOpenHandle,
) -> Result<(), russh::Error> {
    conn.refuse(what, detail);
    reply
        .reject(ChannelOpenFailure::AdministrativelyProhibited)
        .await;
    Ok(())
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
        refuse_channel(self, "x11", "", reply).await
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
        let target = format!("{host_to_connect}:{port_to_connect}");
        refuse_channel(self, "direct-tcpip", &target, reply).await
    }

    async fn channel_open_direct_streamlocal(
        &mut self,
        _channel: Channel<Msg>,
        socket_path: &str,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        refuse_channel(self, "direct-streamlocal", socket_path, reply).await
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
