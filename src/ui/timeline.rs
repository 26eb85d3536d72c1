//! The timeline (`t`): activate-by (◆) and subscription end (●) dates of the page's
//! benefits over the coming 18 months, one lane per benefit, month ticks on an axis.
//! Only the lanes in the window are looked at; the lane list is built by the app.

use super::pages;
use super::text::{clean, fit};
use super::theme::Theme;
use crate::app::layout::Window;
use crate::app::{App, Timeline};
use crate::domain::BenefitRef;
use crate::domain::attention::{Benefit, attention};
use crate::domain::summary::days_left;
use crate::licensing::add_months;
use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// How far ahead the timeline looks.
pub const MONTHS: u32 = 18;

/// Where a date falls on a chart `width` columns wide starting today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Before today: clamped to the left edge.
    Before,
    At(usize),
    /// After today + 18 months: clamped to the right edge.
    After,
}

/// Today is column 0, today + 18 months the last column, days in between in proportion.
pub fn place(date: NaiveDate, today: NaiveDate, width: usize) -> Place {
    let end = add_months(today, MONTHS);
    if date < today {
        return Place::Before;
    }
    if date > end {
        return Place::After;
    }
    let span = (end - today).num_days().max(1);
    let days = (date - today).num_days();
    let last = width.saturating_sub(1) as i64;
    Place::At(((days * last + span / 2) / span) as usize)
}

/// The first day of every month in the window, with its column.
pub fn month_ticks(today: NaiveDate, width: usize) -> Vec<(usize, NaiveDate)> {
    let end = add_months(today, MONTHS);
    let mut m = today.with_day(1).unwrap_or(today);
    if m < today {
        m = add_months(m, 1);
    }
    let mut out = Vec::new();
    while m <= end {
        if let Place::At(col) = place(m, today, width) {
            out.push((col, m));
        }
        m = add_months(m, 1);
    }
    out
}

fn marker_style(date: NaiveDate, today: NaiveDate, normal: Style, theme: &Theme) -> Style {
    match days_left(date, today) {
        d if d < 0 => theme.past(),
        d if d <= 30 => theme.due_soon(),
        _ => normal,
    }
}

/// The month labels over the ticks: Januaries (as the year) first, then the other months
/// where they fit without touching a neighbour.
fn labels(app: &App, ticks: &[(usize, NaiveDate)], width: usize) -> String {
    let months: Vec<&str> = app.t.text("timeline.months").split_whitespace().collect();
    let mut row = vec![' '; width];
    let mut taken = vec![false; width + 1];
    for januaries in [true, false] {
        for (col, m) in ticks.iter().filter(|(_, m)| (m.month() == 1) == januaries) {
            let label = if januaries {
                m.year().to_string()
            } else {
                months
                    .get(m.month0() as usize)
                    .map_or_else(|| m.month().to_string(), |s| s.to_string())
            };
            let chars: Vec<char> = label.chars().collect();
            let end = col + chars.len();
            let from = col.saturating_sub(1);
            if end > width || taken[from..=end.min(width)].iter().any(|t| *t) {
                continue;
            }
            for (i, ch) in chars.into_iter().enumerate() {
                row[col + i] = ch;
                taken[col + i] = true;
            }
        }
    }
    row.into_iter().collect()
}

/// One lane: status, name, then the chart cells.
fn lane(
    app: &App,
    b: BenefitRef,
    ticks: &[(usize, NaiveDate)],
    name_w: usize,
    chart_w: usize,
    theme: &Theme,
) -> Line<'static> {
    let p = &app.portfolio;
    let today = app.today;
    let (name, activate_by, ends, needs): (&str, NaiveDate, Vec<NaiveDate>, _) = match b {
        BenefitRef::Cloud(i) => {
            let c = p.cloud(i);
            let ends = if c.license.is_some() {
                p.subscriptions_of_product(&c.product)
                    .map(|s| s.end_date)
                    .collect()
            } else {
                Vec::new()
            };
            let needs = attention(Benefit::Cloud(c), today);
            (&c.product, c.activate_by, ends, needs)
        }
        BenefitRef::Software(i) => {
            let s = p.software(i);
            let needs = attention(Benefit::Software(s), today);
            (&s.product, s.activate_by, Vec::new(), needs)
        }
    };
    let (status_style, status) = pages::due_style(needs, theme);
    let grid = if theme.ascii { "." } else { "·" };
    let mut cells: Vec<(&'static str, Style)> = vec![(" ", Style::default()); chart_w];
    for (col, _) in ticks {
        cells[*col] = (grid, theme.dim());
    }
    let (before, after) = if theme.ascii {
        ("<", ">")
    } else {
        ("◂", "▸")
    };
    let mut mark = |date: NaiveDate, symbol: &'static str, style: Style| {
        let style = marker_style(date, today, style, theme);
        let (col, symbol) = match place(date, today, chart_w) {
            Place::Before => (0, before),
            Place::At(col) => (col, symbol),
            Place::After => (chart_w - 1, after),
        };
        cells[col] = (symbol, style);
    };
    // Activate-by last: it wins a shared column.
    let end_symbol = if theme.ascii { "o" } else { "●" };
    for end in ends {
        mark(end, end_symbol, theme.ok());
    }
    mark(
        activate_by,
        if theme.ascii { "*" } else { "◆" },
        theme.bold(),
    );
    let mut spans = vec![
        Span::styled(format!("{status} "), status_style),
        Span::raw(fit(&clean(name), name_w.saturating_sub(2))),
        Span::raw(" "),
    ];
    spans.extend(cells.into_iter().map(|(s, st)| Span::styled(s, st)));
    Line::from(spans)
}

/// Draw the timeline over the page's body; the window of lanes it showed.
pub fn render(app: &App, tl: &Timeline, frame: &mut Frame, theme: &Theme) -> Window {
    let t = app.t;
    let screen = frame.area();
    // Between the tabs and the status line.
    let area = Rect {
        x: screen.x,
        y: screen.y + 2,
        width: screen.width,
        height: screen.height.saturating_sub(4),
    };
    frame.render_widget(Clear, area);
    // Inside the border, under the month labels and the axis.
    let rows = usize::from(area.height.saturating_sub(4)).max(1);
    let window = Window {
        offset: 0,
        len: tl.lanes.len(),
        visible: rows,
    };
    let from = tl.offset.min(window.max_offset());
    let to = (from + rows).min(tl.lanes.len());
    let range = t.fmt(
        "timeline.range",
        &[
            ("from", &t.date(app.today)),
            ("to", &t.date(add_months(app.today, MONTHS))),
        ],
    );
    let count = t.fmt(
        "timeline.lanes",
        &[
            ("from", &(from + 1).min(to).to_string()),
            ("to", &to.to_string()),
            ("n", &tl.lanes.len().to_string()),
        ],
    );
    let (before, after) = if theme.ascii {
        ("<", ">")
    } else {
        ("◂", "▸")
    };
    let legend = Line::from(vec![
        Span::styled(if theme.ascii { " * " } else { " ◆ " }, theme.bold()),
        Span::raw(format!("{}  ", t.text("timeline.activate-by"))),
        Span::styled(if theme.ascii { "o " } else { "● " }, theme.ok()),
        Span::raw(format!("{}  ", t.text("timeline.end"))),
        Span::styled(format!("{before}{after} "), theme.dim()),
        Span::raw(format!("{} ", t.text("timeline.outside"))),
    ]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(
            format!(" {} · {range} ", t.text("timeline.title")),
            theme.title(),
        ))
        .title_top(Line::styled(format!(" {count} "), theme.dim()).right_aligned())
        .title_bottom(legend);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let name_w = (width * 3 / 10).clamp(12, 32);
    let chart_w = width.saturating_sub(name_w + 1).max(1);
    let ticks = month_ticks(app.today, chart_w);
    let pad = " ".repeat(name_w + 1);
    let (line, tick, origin) = if theme.ascii {
        ("-", "+", "|")
    } else {
        ("─", "┬", "├")
    };
    let mut axis: Vec<&str> = vec![line; chart_w];
    for (col, _) in &ticks {
        axis[*col] = tick;
    }
    axis[0] = origin;
    let mut lines = vec![
        Line::from(vec![
            Span::raw(pad.clone()),
            Span::styled(labels(app, &ticks, chart_w), theme.dim()),
        ]),
        Line::from(vec![
            Span::styled(fit(t.text("label.today"), name_w + 1), theme.dim()),
            Span::styled(axis.concat(), theme.dim()),
        ]),
    ];
    if tl.lanes.is_empty() {
        lines.push(Line::styled(
            t.text("timeline.empty").to_string(),
            theme.dim(),
        ));
    }
    for b in &tl.lanes[from..to] {
        lines.push(lane(app, *b, &ticks, name_w, chart_w, theme));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    Window {
        offset: from,
        ..window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_map_to_columns_from_today_to_eighteen_months_on() {
        let today = d(2026, 11, 23);
        assert_eq!(place(today, today, 50), Place::At(0));
        assert_eq!(place(d(2028, 5, 23), today, 50), Place::At(49));
        assert_eq!(place(d(2026, 11, 22), today, 50), Place::Before);
        assert_eq!(place(d(2028, 5, 24), today, 50), Place::After);
        // Halfway in days is halfway across.
        let span = (d(2028, 5, 23) - today).num_days();
        let mid = today + chrono::Duration::days(span / 2);
        assert_eq!(place(mid, today, 101), Place::At(50));
        assert_eq!(place(today, today, 1), Place::At(0));
    }

    #[test]
    fn month_ticks_sit_on_calendar_month_starts() {
        let today = d(2026, 11, 23);
        let ticks = month_ticks(today, 50);
        assert_eq!(ticks.len(), 18);
        assert_eq!(ticks[0].1, d(2026, 12, 1));
        assert_eq!(ticks[17].1, d(2028, 5, 1));
        assert!(ticks.iter().all(|(_, m)| m.day() == 1));
        assert!(ticks.windows(2).all(|w| w[0].0 < w[1].0));
        // Today on a month start is itself a tick, at column 0.
        let first = month_ticks(d(2026, 12, 1), 50);
        assert_eq!(first[0], (0, d(2026, 12, 1)));
        assert_eq!(first.len(), 19);
    }
}
