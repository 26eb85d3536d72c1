//! The local terminal: crossterm's events into ours.

use super::{Button, Event, Key, KeyCode, Mods, Mouse, MouseKind};
use crossterm::event as ct;

/// Our event for crossterm's; None for what the dashboard has no use for (key releases,
/// focus changes, keys it does not know).
pub fn event(e: &ct::Event) -> Option<Event> {
    match e {
        ct::Event::Key(k) if k.kind != ct::KeyEventKind::Release => key(k).map(Event::Key),
        ct::Event::Paste(s) => Some(Event::Paste(s.clone())),
        ct::Event::Mouse(m) => mouse(m).map(Event::Mouse),
        ct::Event::Resize(w, h) => Some(Event::Resize(*w, *h)),
        _ => None,
    }
}

fn mods(m: ct::KeyModifiers) -> Mods {
    let mut out = Mods::NONE;
    for (theirs, ours) in [
        (ct::KeyModifiers::CONTROL, Mods::CTRL),
        (ct::KeyModifiers::ALT, Mods::ALT),
        (ct::KeyModifiers::SHIFT, Mods::SHIFT),
    ] {
        if m.contains(theirs) {
            out = out.union(ours);
        }
    }
    out
}

fn key(k: &ct::KeyEvent) -> Option<Key> {
    let code = match k.code {
        ct::KeyCode::Char(c) => KeyCode::Char(c),
        ct::KeyCode::Enter => KeyCode::Enter,
        ct::KeyCode::Esc => KeyCode::Esc,
        ct::KeyCode::Tab => KeyCode::Tab,
        ct::KeyCode::BackTab => KeyCode::BackTab,
        ct::KeyCode::Backspace => KeyCode::Backspace,
        ct::KeyCode::Delete => KeyCode::Delete,
        ct::KeyCode::Insert => KeyCode::Insert,
        ct::KeyCode::Up => KeyCode::Up,
        ct::KeyCode::Down => KeyCode::Down,
        ct::KeyCode::Left => KeyCode::Left,
        ct::KeyCode::Right => KeyCode::Right,
        ct::KeyCode::Home => KeyCode::Home,
        ct::KeyCode::End => KeyCode::End,
        ct::KeyCode::PageUp => KeyCode::PageUp,
        ct::KeyCode::PageDown => KeyCode::PageDown,
        ct::KeyCode::F(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key::new(code, mods(k.modifiers)))
}

fn mouse(m: &ct::MouseEvent) -> Option<Mouse> {
    let button = |b: ct::MouseButton| match b {
        ct::MouseButton::Left => Button::Left,
        ct::MouseButton::Right => Button::Right,
        ct::MouseButton::Middle => Button::Middle,
    };
    let kind = match m.kind {
        ct::MouseEventKind::Down(b) => MouseKind::Press(button(b)),
        ct::MouseEventKind::Up(b) => MouseKind::Release(button(b)),
        ct::MouseEventKind::Drag(b) => MouseKind::Drag(button(b)),
        ct::MouseEventKind::Moved => MouseKind::Moved,
        ct::MouseEventKind::ScrollUp => MouseKind::WheelUp,
        ct::MouseEventKind::ScrollDown => MouseKind::WheelDown,
        ct::MouseEventKind::ScrollLeft | ct::MouseEventKind::ScrollRight => return None,
    };
    Some(Mouse::at(kind, m.column, m.row))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ct_key(code: ct::KeyCode, m: ct::KeyModifiers) -> ct::Event {
        ct::Event::Key(ct::KeyEvent::new(code, m))
    }

    #[test]
    fn crossterm_keys_become_ours_normalised() {
        let cases = [
            (ct_key(ct::KeyCode::Char('G'), ct::KeyModifiers::SHIFT), "G"),
            (
                ct_key(ct::KeyCode::Char('c'), ct::KeyModifiers::CONTROL),
                "C-c",
            ),
            (
                ct_key(ct::KeyCode::BackTab, ct::KeyModifiers::SHIFT),
                "S-Tab",
            ),
            (ct_key(ct::KeyCode::Tab, ct::KeyModifiers::SHIFT), "S-Tab"),
            (
                ct_key(ct::KeyCode::PageDown, ct::KeyModifiers::NONE),
                "PgDn",
            ),
        ];
        for (theirs, ours) in cases {
            assert_eq!(event(&theirs), Some(Event::Key(ours.parse().unwrap())));
        }
        let release = ct::Event::Key(ct::KeyEvent::new_with_kind(
            ct::KeyCode::Char('q'),
            ct::KeyModifiers::NONE,
            ct::KeyEventKind::Release,
        ));
        assert_eq!(event(&release), None, "releases are not presses");
        assert_eq!(event(&ct::Event::FocusGained), None);
    }

    #[test]
    fn crossterm_mouse_becomes_ours() {
        let wheel = ct::Event::Mouse(ct::MouseEvent {
            kind: ct::MouseEventKind::ScrollDown,
            column: 3,
            row: 4,
            modifiers: ct::KeyModifiers::NONE,
        });
        assert_eq!(
            event(&wheel),
            Some(Event::Mouse(Mouse {
                kind: MouseKind::WheelDown,
                column: 3,
                row: 4
            }))
        );
    }
}
