//! The connections that have not signed in yet (OpenSSH's MaxStartups), and how far each
//! has come. When every slot is taken, a new connection is let in and the one that has come
//! least far (the oldest of those) is dropped: a flood of idle sockets then only ever
//! crowds out itself, while a real client, which sends its version line and finishes the
//! key exchange within milliseconds, passes it by. Each stage also has a short deadline.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

/// How far a connection has come before signing in.
pub const SILENT: u8 = 0;
/// It has sent something (its version line, as a client does at once).
pub const TALKING: u8 = 1;
/// The key exchange is done: it is asking to sign in.
pub const AUTHENTICATING: u8 = 2;

/// By when each stage must be reached, from the moment of connecting: a version line soon,
/// the key exchange (which may wait on someone confirming a new host key) a little later.
pub const VERSION_WITHIN: Duration = Duration::from_secs(10);
pub const KEY_EXCHANGE_WITHIN: Duration = Duration::from_secs(30);

/// One connection's place among those signing in.
#[derive(Clone)]
pub struct Ticket {
    id: u64,
    pub progress: Arc<AtomicU8>,
    /// Told when a newer connection took this one's place.
    pub dropped: Arc<Notify>,
    closer: Arc<Closer>,
}

/// Ends a connection's socket from outside: russh runs the session on a task of its own,
/// which a message cannot stop before the key exchange is done.
#[derive(Default)]
struct Closer {
    closed: AtomicBool,
    reader: Mutex<Option<Waker>>,
}

impl Ticket {
    /// The connection has come at least this far.
    pub fn reached(&self, stage: u8) {
        self.progress.fetch_max(stage, Ordering::SeqCst);
    }

    /// Close the socket: its next read or write fails, and the session task ends.
    pub fn close(&self) {
        self.closer.closed.store(true, Ordering::SeqCst);
        if let Some(w) = self.closer.reader.lock().ok().and_then(|mut w| w.take()) {
            w.wake();
        }
    }
}

fn aborted() -> std::io::Error {
    std::io::Error::from(std::io::ErrorKind::ConnectionAborted)
}

struct Slot {
    ticket: Ticket,
    since: Instant,
    /// A second handle on the socket, to see whether the client has sent anything that
    /// russh has not read yet: a client sends its version line at once, but connections
    /// accepted right after it can come before russh reads it.
    socket: Option<std::net::TcpStream>,
}

impl Slot {
    /// How far it has come, counting bytes waiting in its socket; a socket the client has
    /// already closed counts least of all.
    fn progress(&self) -> (u8, bool) {
        let known = self.ticket.progress.load(Ordering::SeqCst);
        let waiting = self.socket.as_ref().map(|s| s.peek(&mut [0u8; 1]));
        match waiting {
            Some(Ok(0)) => (SILENT, false),
            Some(Ok(_)) => (known.max(TALKING), true),
            _ => (known, true),
        }
    }
}

pub struct Startups {
    max: usize,
    slots: Mutex<(u64, Vec<Slot>)>,
}

impl Startups {
    pub fn new(max: usize) -> Self {
        Startups {
            max: max.max(1),
            slots: Mutex::new((0, Vec::new())),
        }
    }

    /// A place for a new connection (`socket`: a second handle on it, non-blocking); when
    /// all are taken, the connection that has come least far, the oldest of those, is told
    /// to go (true when one was).
    pub fn admit(&self, socket: Option<std::net::TcpStream>) -> (Ticket, bool) {
        let mut guard = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let (next, slots) = &mut *guard;
        let mut dropped = false;
        while slots.len() >= self.max {
            let victim = slots
                .iter()
                .enumerate()
                .min_by_key(|(_, s)| (s.progress(), s.since))
                .map(|(i, _)| i)
                .expect("a full list is not empty");
            slots.swap_remove(victim).ticket.dropped.notify_one();
            dropped = true;
        }
        *next += 1;
        let ticket = Ticket {
            id: *next,
            progress: Arc::default(),
            dropped: Arc::default(),
            closer: Arc::default(),
        };
        slots.push(Slot {
            ticket: ticket.clone(),
            since: Instant::now(),
            socket,
        });
        (ticket, dropped)
    }

    /// The connection signed in or ended: its place is free.
    pub fn leave(&self, ticket: &Ticket) {
        let mut guard = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        guard.1.retain(|s| s.ticket.id != ticket.id);
    }

    pub fn len(&self) -> usize {
        self.slots.lock().map_or(0, |g| g.1.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The socket, noting when the client first sends something.
pub struct Watched<S> {
    inner: S,
    ticket: Ticket,
}

impl<S> Watched<S> {
    pub fn new(inner: S, ticket: Ticket) -> Self {
        Watched { inner, ticket }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let closer = &self.ticket.closer;
        if let Ok(mut w) = closer.reader.lock() {
            *w = Some(cx.waker().clone());
        }
        if closer.closed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.ticket.reached(TALKING);
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if self.ticket.closer.closed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_full_the_least_advanced_oldest_connection_makes_room() {
        let s = Startups::new(3);
        let (a, _) = s.admit(None);
        let (b, _) = s.admit(None);
        let (c, dropped) = s.admit(None);
        assert!(!dropped);
        // a and c have talked; b is silent, so b goes though a is older.
        a.reached(TALKING);
        c.reached(AUTHENTICATING);
        let (d, dropped) = s.admit(None);
        assert!(dropped);
        assert_eq!(s.len(), 3);
        let told = |t: &Ticket| {
            let n = t.dropped.notified();
            tokio::pin!(n);
            n.as_mut().enable()
        };
        assert!(told(&b), "the silent one is dropped");
        assert!(!told(&a) && !told(&c) && !told(&d));
        // Now d is the silent one: it goes next, though a is older.
        let (e, _) = s.admit(None);
        assert!(told(&d));
        // Among equals, the oldest.
        e.reached(TALKING);
        let (_f, _) = s.admit(None);
        assert!(told(&a) && !told(&e));
        // A connection that signed in leaves its place.
        s.leave(&c);
        let (_g, dropped) = s.admit(None);
        assert!(!dropped);
    }

    #[test]
    fn bytes_waiting_in_a_socket_count_as_talking_before_russh_reads_them() {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let accept = || {
            let (s, _) = listener.accept().unwrap();
            s.set_nonblocking(true).unwrap();
            s
        };
        let s = Startups::new(2);
        let talker_client = std::net::TcpStream::connect(addr).unwrap();
        let (talker, _) = s.admit(Some(accept()));
        let _silent_client = std::net::TcpStream::connect(addr).unwrap();
        let (silent, _) = s.admit(Some(accept()));
        (&talker_client).write_all(b"SSH-2.0-client\r\n").unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let probe = |t: &Ticket| {
            let n = t.dropped.notified();
            tokio::pin!(n);
            n.as_mut().enable()
        };
        // The older connection has sent its version line, unread: the newer, silent one goes.
        while Instant::now() < deadline {
            let g = s.slots.lock().unwrap();
            if g.1[0].progress().0 == TALKING {
                break;
            }
            drop(g);
            std::thread::sleep(Duration::from_millis(5));
        }
        let (_third, dropped) = s.admit(None);
        assert!(dropped);
        assert!(probe(&silent) && !probe(&talker));
    }
}
