//! Bytes from an SSH channel into the events the local terminal gives too. terminput does
//! the parsing (keys, function keys, modifiers, bracketed paste, SGR mouse); the conversion
//! into our `Event` is here, so `App::handle` cannot tell the transports apart.

use super::{Button, Event, Key, KeyCode, Mods, Mouse, MouseKind};
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use terminput as ti;

/// How long an Esc at the end of the input waits for the rest of an escape sequence before it
/// counts as the Esc key (a sequence split across two packets arrives well within this).
pub const ESC_TIMEOUT: Duration = Duration::from_millis(50);

/// An unfinished paste is given much longer: a large one arrives in many packets.
const PASTE_TIMEOUT: Duration = Duration::from_secs(2);

const ESC: u8 = 0x1b;
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Longer pending input is only ever an unfinished paste; it is dropped whole (up to its end
/// marker) so a client cannot grow the buffer without bound. No field takes anything near it.
const MAX_PENDING: usize = 64 * 1024;

#[derive(Debug, Default)]
pub struct InputParser {
    buf: Vec<u8>,
    ready: VecDeque<Event>,
    /// When `buf` last grew: an incomplete sequence older than its timeout is flushed.
    since: Option<Instant>,
    /// Skipping an overlong paste: the last bytes seen, to find its end marker.
    skipping: Option<Vec<u8>>,
}

impl InputParser {
    /// Take bytes as they came off the channel.
    pub fn feed(&mut self, bytes: &[u8], now: Instant) {
        for &b in bytes {
            if let Some(tail) = &mut self.skipping {
                tail.push(b);
                if tail.len() > PASTE_END.len() {
                    tail.remove(0);
                }
                if tail == PASTE_END {
                    self.skipping = None;
                }
                continue;
            }
            self.buf.push(b);
            // A lone Esc may start a sequence whose rest is in the next packet: decide later.
            if self.buf == [ESC] {
                continue;
            }
            self.parse();
            if self.buf.len() > MAX_PENDING {
                self.skipping = self.buf.starts_with(PASTE_START).then(Vec::new);
                self.buf.clear();
            }
        }
        self.since = (!self.buf.is_empty()).then_some(now);
    }

    /// The next complete event, if any.
    pub fn next_event(&mut self) -> Option<Event> {
        self.ready.pop_front()
    }

    /// When the pending bytes must be given up on (None: nothing pending).
    pub fn deadline(&self) -> Option<Instant> {
        let timeout = if self.buf.starts_with(PASTE_START) {
            PASTE_TIMEOUT
        } else {
            ESC_TIMEOUT
        };
        self.since.map(|t| t + timeout)
    }

    /// Past the deadline: a pending Esc is the Esc key, and what followed it is read afresh
    /// (an unfinished "\x1b[" becomes Esc then `[`). An unfinished paste is pasted as it is.
    pub fn flush_stale(&mut self, now: Instant) {
        if self.deadline().is_none_or(|d| now < d) {
            return;
        }
        self.since = None;
        let pending = std::mem::take(&mut self.buf);
        if let Some(text) = pending.strip_prefix(PASTE_START) {
            self.ready
                .push_back(Event::Paste(String::from_utf8_lossy(text).into_owned()));
            return;
        }
        let rest = match pending.split_first() {
            Some((&ESC, rest)) => {
                self.ready.push_back(Event::key(KeyCode::Esc));
                rest
            }
            // An unfinished UTF-8 character: nothing sensible to make of it.
            _ => return,
        };
        for &b in rest {
            self.buf.push(b);
            if self.buf != [ESC] {
                self.parse();
            }
        }
        if !self.buf.is_empty() {
            self.since = Some(now);
        }
    }

    fn parse(&mut self) {
        match ti::Event::parse_from(&self.buf) {
            Ok(Some(ev)) => {
                self.buf.clear();
                // Events the dashboard has no use for (focus, key releases) are dropped.
                if let Some(ev) = event(ev) {
                    self.ready.push_back(ev);
                }
            }
            Ok(None) => {}
            // Garbage (an unknown sequence): drop it rather than type it into a field.
            Err(_) => self.buf.clear(),
        }
    }
}

fn event(e: ti::Event) -> Option<Event> {
    match e {
        ti::Event::Key(k) if k.kind != ti::KeyEventKind::Release => key(k).map(Event::Key),
        ti::Event::Paste(s) => Some(Event::Paste(s)),
        ti::Event::Mouse(m) => mouse(m).map(Event::Mouse),
        _ => None,
    }
}

fn key(k: ti::KeyEvent) -> Option<Key> {
    let code = match k.code {
        ti::KeyCode::Char(c) => KeyCode::Char(c),
        ti::KeyCode::Enter => KeyCode::Enter,
        ti::KeyCode::Esc => KeyCode::Esc,
        ti::KeyCode::Tab => KeyCode::Tab,
        ti::KeyCode::Backspace => KeyCode::Backspace,
        ti::KeyCode::Delete => KeyCode::Delete,
        ti::KeyCode::Insert => KeyCode::Insert,
        ti::KeyCode::Up => KeyCode::Up,
        ti::KeyCode::Down => KeyCode::Down,
        ti::KeyCode::Left => KeyCode::Left,
        ti::KeyCode::Right => KeyCode::Right,
        ti::KeyCode::Home => KeyCode::Home,
        ti::KeyCode::End => KeyCode::End,
        ti::KeyCode::PageUp => KeyCode::PageUp,
        ti::KeyCode::PageDown => KeyCode::PageDown,
        ti::KeyCode::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let mut mods = Mods::NONE;
    for (theirs, ours) in [
        (ti::KeyModifiers::CTRL, Mods::CTRL),
        (ti::KeyModifiers::ALT, Mods::ALT),
        (ti::KeyModifiers::SHIFT, Mods::SHIFT),
    ] {
        if k.modifiers.contains(theirs) {
            mods = mods.union(ours);
        }
    }
    Some(Key::new(code, mods))
}

fn mouse(m: ti::MouseEvent) -> Option<Mouse> {
    let button = |b: ti::MouseButton| match b {
        ti::MouseButton::Right => Button::Right,
        ti::MouseButton::Middle => Button::Middle,
        ti::MouseButton::Left | ti::MouseButton::Unknown => Button::Left,
    };
    let kind = match m.kind {
        ti::MouseEventKind::Down(b) => MouseKind::Press(button(b)),
        ti::MouseEventKind::Up(b) => MouseKind::Release(button(b)),
        ti::MouseEventKind::Drag(b) => MouseKind::Drag(button(b)),
        ti::MouseEventKind::Moved => MouseKind::Moved,
        ti::MouseEventKind::Scroll(ti::ScrollDirection::Up) => MouseKind::WheelUp,
        ti::MouseEventKind::Scroll(ti::ScrollDirection::Down) => MouseKind::WheelDown,
        ti::MouseEventKind::Scroll(_) => return None,
    };
    Some(Mouse::at(kind, m.column, m.row))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(p: &mut InputParser) -> Vec<Event> {
        std::iter::from_fn(|| p.next_event()).collect()
    }

    fn key(s: &str) -> Event {
        Event::Key(s.parse().unwrap())
    }

    #[test]
    fn keys_arrows_function_keys_and_modifiers() {
        let mut p = InputParser::default();
        let now = Instant::now();
        p.feed(b"q\r\x1b[A\x1bOP\x1b[15~\x1b[1;5C\x1b[Z\x7f\x03", now);
        let evs = all(&mut p);
        assert_eq!(
            evs,
            vec![
                key("q"),
                key("Enter"),
                key("Up"),
                key("F1"),
                key("F5"),
                key("Ctrl-Right"),
                key("S-Tab"),
                key("Bksp"),
                key("Ctrl-c"),
            ]
        );
    }

    #[test]
    fn lone_esc_waits_for_its_timeout() {
        let mut p = InputParser::default();
        let t0 = Instant::now();
        p.feed(b"\x1b", t0);
        assert_eq!(p.next_event(), None);
        p.flush_stale(t0 + ESC_TIMEOUT / 2);
        assert_eq!(p.next_event(), None);
        p.flush_stale(t0 + ESC_TIMEOUT);
        assert_eq!(p.next_event(), Some(key("Esc")));
        assert_eq!(p.deadline(), None);
    }

    #[test]
    fn a_sequence_split_across_packets_is_one_key() {
        let mut p = InputParser::default();
        let t0 = Instant::now();
        p.feed(b"\x1b", t0);
        p.feed(b"[B", t0 + Duration::from_millis(5));
        assert_eq!(all(&mut p), vec![key("Down")]);
    }

    #[test]
    fn an_unfinished_sequence_becomes_esc_then_its_text() {
        let mut p = InputParser::default();
        let t0 = Instant::now();
        p.feed(b"\x1b[", t0);
        p.flush_stale(t0 + ESC_TIMEOUT);
        assert_eq!(all(&mut p), vec![key("Esc"), key("[")]);
    }

    #[test]
    fn bracketed_paste_across_packets() {
        let mut p = InputParser::default();
        let t0 = Instant::now();
        p.feed(b"\x1b[200~M3E3A-7QXRT", t0);
        p.flush_stale(t0 + ESC_TIMEOUT * 2);
        assert_eq!(
            p.next_event(),
            None,
            "a paste is not cut short by the Esc timeout"
        );
        p.feed(b"-4HDPC\x1b[201~", t0 + ESC_TIMEOUT * 2);
        assert_eq!(all(&mut p), vec![Event::Paste("M3E3A-7QXRT-4HDPC".into())]);
    }

    #[test]
    fn an_overlong_paste_is_dropped_whole_and_input_goes_on() {
        let mut p = InputParser::default();
        let t0 = Instant::now();
        p.feed(b"\x1b[200~", t0);
        let chunk = vec![b'q'; 4096];
        for _ in 0..(MAX_PENDING / chunk.len() + 4) {
            p.feed(&chunk, t0);
        }
        assert!(p.buf.len() <= MAX_PENDING);
        p.feed(b"qqq\x1b[201~j", t0);
        // Not one `q` typed (it would quit): only what followed the paste.
        let evs: Vec<Event> = std::iter::from_fn(|| p.next_event()).collect();
        assert_eq!(evs, vec![key("j")]);
    }

    #[test]
    fn utf8_split_across_packets() {
        let mut p = InputParser::default();
        let t0 = Instant::now();
        let bytes = "é".as_bytes();
        p.feed(&bytes[..1], t0);
        p.feed(&bytes[1..], t0);
        assert_eq!(all(&mut p), vec![key("é")]);
    }

    #[test]
    fn sgr_mouse_click_and_wheel() {
        let mut p = InputParser::default();
        p.feed(b"\x1b[<0;3;5M\x1b[<65;1;1M", Instant::now());
        let evs = all(&mut p);
        match &evs[..] {
            [Event::Mouse(click), Event::Mouse(wheel)] => {
                assert_eq!(click.kind, MouseKind::Press(Button::Left));
                assert_eq!((click.column, click.row), (2, 4));
                assert_eq!(wheel.kind, MouseKind::WheelDown);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn garbage_is_dropped_not_typed() {
        let mut p = InputParser::default();
        p.feed(b"\x1bO\x01x", Instant::now());
        // "\x1bO\x01" is no sequence; what follows still parses.
        assert_eq!(all(&mut p), vec![key("x")]);
    }
}
