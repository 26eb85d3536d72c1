//! The `?` overlay: every key of every context, from the keymap tables.

use super::theme::Theme;
use crate::app::App;
use crate::app::keymap::{self, Context};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(app: &App, frame: &mut Frame, theme: &Theme) {
    let t = app.t;
    let screen = frame.area();
    let mut lines: Vec<Line> = Vec::new();
    for (ctx, heading) in Context::ALL {
        lines.push(Line::styled(t.text(heading).to_string(), theme.header()));
        for (label, help) in keymap::grouped(ctx, false) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {label:<16}"), theme.key()),
                Span::raw(t.text(help).to_string()),
            ]));
        }
    }
    let area = Rect {
        x: screen.x + 2,
        y: screen.y + 1,
        width: screen.width.saturating_sub(4),
        height: screen.height.saturating_sub(2),
    };
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(
            format!(" {} ", t.text("help.title")),
            theme.title(),
        ))
        .title_bottom(super::key_hints(app, Context::Help, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    // Whole sections per column, as many columns (at least 38 cells wide) as it takes; when
    // they don't fit, one column scrolled with ↑/↓ (clamped here: the app does not know the
    // length).
    let max_cols = usize::from(inner.width / 38).max(1);
    let mut columns: Vec<Vec<Line>> = vec![Vec::new()];
    let mut section: Vec<Line> = Vec::new();
    let mut fits = true;
    let flush = |columns: &mut Vec<Vec<Line<'static>>>, section: &mut Vec<Line<'static>>| {
        let last = columns.last_mut().expect("one column");
        if !last.is_empty() && last.len() + section.len() > rows {
            columns.push(Vec::new());
        }
        columns.last_mut().expect("one column").append(section);
    };
    for line in lines.iter().cloned() {
        if line.style == theme.header() && !section.is_empty() {
            flush(&mut columns, &mut section);
        }
        section.push(line);
    }
    flush(&mut columns, &mut section);
    if columns.len() > max_cols || columns.iter().any(|c| c.len() > rows) {
        fits = false;
    }
    if fits && columns.len() > 1 {
        let n = columns.len() as u32;
        let areas = Layout::horizontal(vec![Constraint::Ratio(1, n); columns.len()]).split(inner);
        for (col, a) in columns.into_iter().zip(areas.iter()) {
            frame.render_widget(Paragraph::new(col), *a);
        }
    } else {
        let max = lines.len().saturating_sub(rows);
        let scroll = usize::from(app.help_scroll).min(max) as u16;
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    }
}
