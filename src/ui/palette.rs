//! The `:` command palette: the typed text over the ranked entries, each with what it is
//! (a command's label and settings name, a benefit's product, id and page) and the key
//! that does the same from the page.

use super::text::{clean, fit};
use super::theme::Theme;
use crate::app::palette::{Palette, Target};
use crate::app::{App, Command, Context, Page};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

/// Columns kept for an entry's key at the right.
const KEY_WIDTH: usize = 10;

/// What one entry shows: its label, what stands beside it, its key.
fn entry(app: &App, target: Target, theme: &Theme) -> (String, String, String) {
    match target {
        Target::Command(c) => (
            app.t.text(c.help_id()).to_string(),
            c.name().to_string(),
            key_of(app, c),
        ),
        Target::Benefit(page, i) => {
            let (product, id) = match page {
                Page::Cloud => {
                    let b = app.portfolio.cloud(i);
                    (&b.product, &b.id)
                }
                _ => {
                    let b = app.portfolio.software(i);
                    (&b.product, &b.id)
                }
            };
            let beside = format!(
                "{} {} {}",
                clean(id),
                theme.dot(),
                app.t.text(page.title_id())
            );
            (clean(product), beside, String::new())
        }
    }
}

/// The first key the page binds to `c` (as the footer shows it), if any.
fn key_of(app: &App, c: Command) -> String {
    app.keymap
        .bindings(Context::Browse)
        .iter()
        .find(|b| b.command == c)
        .and_then(|b| b.keys.first())
        .map(ToString::to_string)
        .unwrap_or_default()
}

pub fn render(app: &App, p: &Palette, frame: &mut Frame, theme: &Theme) {
    let screen = frame.area();
    let width = screen.width.saturating_sub(4).min(76);
    let height = screen.height.saturating_sub(4).min(20);
    let area = Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + 2,
        width,
        height,
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(
            format!(" {} ", app.t.text("palette.title")),
            theme.title(),
        ))
        .title_bottom(super::key_hints(app, Context::Palette, width, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![Line::from(vec![
        Span::styled(": ", theme.key()),
        Span::styled(clean(&p.query), theme.bold()),
        Span::styled("_", theme.key()),
    ])];
    let rows = usize::from(inner.height).saturating_sub(1).max(1);
    if p.matches.is_empty() {
        lines.push(Line::styled(
            app.t.text("palette.no-match").to_string(),
            theme.dim(),
        ));
    }
    // The window follows the selection: it starts where the selection is its last row.
    let from = p.selected.saturating_sub(rows - 1);
    let cols = usize::from(inner.width);
    for (i, target) in p.matches.iter().enumerate().skip(from).take(rows) {
        let (label, beside, key) = entry(app, *target, theme);
        let key_w = KEY_WIDTH.max(key.width() + 1).min(cols / 3);
        let text_w = cols.saturating_sub(key_w + 2);
        let label_w = label.width().min(text_w);
        let beside_w = text_w.saturating_sub(label_w + 2);
        let mut spans = vec![
            Span::raw("  "),
            Span::styled(fit(&label, label_w), theme.bold()),
            Span::raw("  "),
            Span::styled(fit(&beside, beside_w), theme.dim()),
            Span::styled(
                format!("{key:>key_w$}", key = fit(&key, key_w.min(key.width()))),
                theme.key(),
            ),
        ];
        if i == p.selected {
            spans[0] = Span::styled("> ", theme.key());
            for s in &mut spans {
                s.style = s.style.patch(theme.selected());
            }
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
