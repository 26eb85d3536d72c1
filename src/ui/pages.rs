//! The pages as tables (the computed pages under their line of totals). Only the rows inside the window are turned into lines: the
//! cost of a frame follows the terminal's height, not the catalog's size. The window is
//! decided here, where the rows' heights (details included) are known, and reported.

use super::Hits;
use super::columns::{self, Column};
use super::details;
use super::text::{fit, wrap_line};
use super::theme::Theme;
use crate::app::layout::{Spot, TableView, Window};
use crate::app::{App, Page};
use crate::domain::attention::{Attention, Benefit, attention};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Continuation lines of a detail: under the text after the details' own indent.
const DETAIL_INDENT: usize = 6;

/// The sorted column's arrow: up ascending, down descending.
pub fn sort_glyph(descending: bool, theme: &Theme) -> &'static str {
    match (descending, theme.ascii) {
        (false, false) => "▴",
        (true, false) => "▾",
        (false, true) => "^",
        (true, true) => "v",
    }
}

/// Column titles; the sorted column carries an arrow saying which way it runs.
fn header_line(app: &App, cols: &[Column], theme: &Theme) -> Line<'static> {
    let arrow = sort_glyph(app.sort_descending, theme);
    let mut s = String::from("  ");
    for c in cols {
        if c.sort == app.sort {
            s.push_str(&fit(&format!("{} {arrow}", c.title), c.width));
        } else {
            s.push_str(&fit(&c.title, c.width));
        }
        s.push(' ');
    }
    Line::styled(s, theme.header())
}

/// Needs attention (`domain::attention`, the one rule): a symbol for every terminal, a
/// colour where there is one; past activate-by and due soon look different.
pub(super) fn due_style(attention: Attention<'_>, theme: &Theme) -> (Style, &'static str) {
    match attention {
        Attention::Needed { days_left, .. } if days_left < 0 => (theme.past(), theme.past_symbol()),
        Attention::Needed { .. } => (theme.due_soon(), theme.due_symbol()),
        _ => (Style::default(), " "),
    }
}

/// The page's table in `area`: column titles, then the window of rows that keeps the
/// selection (and as much of its details as fit) in view. Each row line is clickable, its
/// ▸/▾ marker too; the window is reported for the app to page and scroll by.
pub fn render(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut Hits<'_>,
) -> TableView {
    let banner = match app.page {
        Page::Reconcile => super::reconcile::banner(app, usize::from(area.width), theme),
        Page::Consumption => super::consumption::banner(app, usize::from(area.width), theme),
        _ => Vec::new(),
    };
    // The totals keep at least the header and one row below them.
    let taken = (banner.len() as u16).min(area.height.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(banner),
        Rect {
            height: taken,
            ..area
        },
    );
    let area = Rect {
        y: area.y + taken,
        height: area.height - taken,
        ..area
    };
    let viewport = usize::from(area.height.saturating_sub(1)).max(1);
    let width = usize::from(area.width);
    let start = window_start(app, viewport, width, theme);
    let height = usize::from(area.height);
    let mut keys = Vec::new();
    let (lines, rows) = match app.page {
        Page::History => super::history::lines(app, width, height, start, theme),
        Page::Reconcile => super::reconcile::lines(app, width, height, start, theme),
        Page::Consumption => super::consumption::lines(app, width, height, start, theme),
        Page::Cloud | Page::Software => lines(app, (width, height), start, theme, &mut keys),
    };
    // A key line of an expanded row: a click picks that key (its dialog opens validated).
    for (line, pos, key) in keys {
        let y = area.y + line as u16;
        hits.add(
            Rect {
                y,
                height: 1,
                ..area
            },
            Spot::Key { pos, key },
        );
    }
    frame.render_widget(Paragraph::new(lines), area);
    for (line, pos) in rows {
        let row = Rect {
            y: area.y + line as u16,
            height: 1,
            ..area
        };
        hits.add(row, Spot::Row(pos));
        if app.page.lists_benefits() {
            hits.add(Rect { width: 2, ..row }, Spot::Marker(pos));
        }
    }
    TableView {
        page: app.page,
        window: Window {
            offset: start,
            len: app.table().rows.len(),
            visible: viewport,
        },
    }
}

/// Screen lines of the row at `pos`: its section heading, the row, and its details when
/// it is expanded (two lines for a History entry).
fn row_height(app: &App, pos: usize, width: usize, theme: &Theme) -> usize {
    let page = app.page;
    match page {
        Page::History => return super::history::row_height(app, pos, width, theme),
        Page::Reconcile => return super::reconcile::row_height(app, pos, width, theme),
        Page::Consumption => return super::consumption::row_height(app, pos),
        Page::Cloud | Page::Software => {}
    }
    let t = app.table();
    let item = t.rows[pos];
    let head = usize::from(app.section_head(page, pos).is_some());
    let details = if t.expanded.contains(&item) {
        detail_lines(app, page, item, width, theme).0.len()
    } else {
        0
    };
    head + 1 + details
}

/// The details of an expanded row, wrapped at `width` under their label.
fn detail_lines(
    app: &App,
    page: Page,
    item: usize,
    width: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let (lines, keys) = details::lines_and_keys(app, page, item, theme);
    let mut out = Vec::new();
    // Where each detail line starts once wrapped, so a key line's first row is clickable.
    let mut starts = Vec::with_capacity(lines.len());
    for l in &lines {
        starts.push(out.len());
        out.extend(wrap_line(l, width, DETAIL_INDENT));
    }
    let keys = keys.into_iter().map(|(l, key)| (starts[l], key)).collect();
    (out, keys)
}

/// The first row to draw: the app's offset, moved down only as far as the rows from it
/// through the selected one need to fit `viewport` lines, and up while the rows from it to
/// the end leave lines empty (a filter that left few rows shows them all, not blank lines
/// under the last). Walks from the selection, so the cost is the window's.
fn window_start(app: &App, viewport: usize, width: usize, theme: &Theme) -> usize {
    let t = app.table();
    if t.rows.is_empty() {
        return 0;
    }
    let h = |pos: usize| row_height(app, pos, width, theme);
    // A window starting inside a section repeats that section's heading on top.
    let sticky = |pos: usize| usize::from(sticky_head(app, pos).is_some());
    let selected = t.selected.min(t.rows.len() - 1);
    let mut start = selected;
    let mut used = h(selected);
    if t.offset < selected {
        while start > t.offset && sticky(start - 1) + used + h(start - 1) <= viewport {
            used += h(start - 1);
            start -= 1;
        }
    }
    let mut below = used;
    for pos in selected + 1..t.rows.len() {
        below += h(pos);
        if sticky(start) + below >= viewport {
            return start;
        }
    }
    while start > 0 && sticky(start - 1) + below + h(start - 1) <= viewport {
        below += h(start - 1);
        start -= 1;
    }
    start
}

/// The heading a window starting at `pos` repeats above its first row: the row's section,
/// when the row does not open it.
fn sticky_head(app: &App, pos: usize) -> Option<&'static str> {
    match app.section_head(app.page, pos) {
        Some(_) => None,
        None => app.section_of(app.page, pos),
    }
}

/// Header line plus at most `height - 1` lines of rows and details from row `start`, with
/// the line each row is on.
fn lines(
    app: &App,
    (width, height): (usize, usize),
    start: usize,
    theme: &Theme,
    keys: &mut Vec<(usize, usize, usize)>,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let t = app.t;
    let p = &app.portfolio;
    let state = app.table();
    let window = &state.rows[start.min(state.rows.len())..(start + height).min(state.rows.len())];
    let cols = columns::layout(app, app.page, width, window);
    let mut out = vec![header_line(app, &cols, theme)];
    let mut rows = Vec::new();
    if state.rows.is_empty() {
        out.push(Line::styled(
            format!("  {}", t.text("label.no-rows")),
            theme.dim(),
        ));
        return (out, rows);
    }
    if let Some(head) = sticky_head(app, start) {
        out.push(Line::styled(format!("  {}", t.text(head)), theme.title()));
    }
    for (pos, &b) in state.rows.iter().enumerate().skip(start) {
        if out.len() >= height {
            break;
        }
        if let Some(head) = app.section_head(app.page, pos) {
            out.push(Line::styled(format!("  {}", t.text(head)), theme.title()));
            if out.len() >= height {
                break;
            }
        }
        let open = state.expanded.contains(&b);
        let marker = theme.expanded_marker(open);
        let needs = match app.page {
            Page::Software => attention(Benefit::Software(p.software(b)), app.today),
            _ => attention(Benefit::Cloud(p.cloud(b)), app.today),
        };
        let cells = columns::cells(app, app.page, b);
        let (mut style, flag) = due_style(needs, theme);
        if pos == state.selected {
            // With the cursor on one of its key lines, that line carries the selection.
            let inside = app.key_cursor().is_some_and(|k| k.page == app.page);
            style = style.patch(if inside {
                theme.bold()
            } else {
                theme.selected()
            });
        }
        rows.push((out.len(), pos));
        let text = format!("{marker}{flag}{}", columns::row_text(&cells, &cols));
        out.push(Line::styled(text, style));
        if open {
            let (details, key_lines) = detail_lines(app, app.page, b, width, theme);
            let room = height.saturating_sub(out.len());
            let skip = details::skipped_for_cursor(app, app.page, b, &key_lines, room);
            let first = out.len();
            for l in details.into_iter().skip(skip) {
                if out.len() >= height {
                    break;
                }
                out.push(l);
            }
            let shown =
                (key_lines.into_iter()).filter(|(l, _)| *l >= skip && first + l - skip < out.len());
            keys.extend(shown.map(|(l, key)| (first + l - skip, pos, key)));
        }
    }
    (out, rows)
}
