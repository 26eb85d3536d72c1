//! The `?` overlay: every key of every context, from the keymap. Whole sections per
//! column when they fit; otherwise one column that scrolls, with a scrollbar showing how
//! much there is, and the window reported so the app bounds the scroll by the real length.

use super::theme::Theme;
use crate::app::layout::Window;
use crate::app::{App, Context, HelpView};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};
use unicode_width::UnicodeWidthStr;

/// Keys take this many columns before their description (more when a label is longer).
const LABEL_WIDTH: usize = 16;

/// One context's heading and its lines.
fn sections(app: &App, theme: &Theme) -> Vec<Vec<Line<'static>>> {
    let t = app.t;
    Context::ALL
        .iter()
        .map(|(ctx, heading)| {
            let mut lines = vec![Line::styled(t.text(heading).to_string(), theme.header())];
            for hint in app.keymap.hints(*ctx, false) {
                // At least one space between keys and text, however long the keys are.
                let pad = LABEL_WIDTH.max(hint.label.width() + 1);
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {}{}", hint.label, " ".repeat(pad - hint.label.width())),
                        theme.key(),
                    ),
                    Span::raw(t.text(hint.help).to_string()),
                ]));
            }
            lines
        })
        .collect()
}

/// Draw the overlay; the scroll window when the help scrolls (None when it all shows).
pub fn render(app: &App, view: &HelpView, frame: &mut Frame, theme: &Theme) -> Option<Window> {
    let t = app.t;
    let screen = frame.area();
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
        .title_bottom(super::key_hints(app, Context::Help, screen.width, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    let sections = sections(app, theme);
    // Whole sections per column, as many columns (at least 38 cells wide) as it takes.
    let max_cols = usize::from(inner.width / 38).max(1);
    let mut columns: Vec<Vec<Line>> = vec![Vec::new()];
    for section in sections.iter().cloned() {
        let last = columns.last_mut().expect("one column");
        if !last.is_empty() && last.len() + section.len() > rows {
            columns.push(section);
        } else {
            last.extend(section);
        }
    }
    let fits = columns.len() <= max_cols && columns.iter().all(|c| c.len() <= rows);
    if fits {
        let n = columns.len() as u32;
        let areas = Layout::horizontal(vec![Constraint::Ratio(1, n); columns.len()]).split(inner);
        for (col, a) in columns.into_iter().zip(areas.iter()) {
            frame.render_widget(Paragraph::new(col), *a);
        }
        return None;
    }
    let lines: Vec<Line> = sections.into_iter().flatten().collect();
    let window = Window {
        offset: 0,
        len: lines.len(),
        visible: rows,
    };
    let window = Window {
        offset: view.scroll.min(window.max_offset()),
        ..window
    };
    frame.render_widget(
        Paragraph::new(lines).scroll((window.offset as u16, 0)),
        inner,
    );
    let symbols = theme.scrollbar();
    // Positions 0 through the last offset, each showing `rows` lines.
    let mut state = ScrollbarState::new(window.max_offset() + 1)
        .viewport_content_length(rows)
        .position(window.offset);
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight).symbols(symbols),
        area.inner(Margin {
            vertical: 1,
            horizontal: 0,
        }),
        &mut state,
    );
    Some(window)
}
