//! Editing a text field, as intents: what every dialog machine's text field accepts.

/// Editing a text field, as intents: typing and paste insert; the field keeps what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextEdit {
    Insert(String),
    Backspace,
    Clear,
}

/// Longest text a field accepts: a pasted novel must not grow the state without bound.
pub const MAX_FIELD_LEN: usize = 256;

impl TextEdit {
    pub fn apply(&self, field: &mut String) {
        match self {
            TextEdit::Insert(s) => {
                for ch in s.chars().filter(|&c| !crate::domain::text::is_unsafe(c)) {
                    if field.chars().count() >= MAX_FIELD_LEN {
                        break;
                    }
                    field.push(ch);
                }
            }
            TextEdit::Backspace => {
                field.pop();
            }
            TextEdit::Clear => field.clear(),
        }
    }
}
