//! The three pages as tables. Only the rows inside the window are turned into lines: the
//! cost of a frame follows the terminal's height, not the catalog's size. The window is
//! decided here, where the rows' heights (details included) are known, and reported.

use super::Hits;
use super::details;
use super::text::{clean, fit};
use super::theme::Theme;
use crate::app::layout::{Spot, TableView, Window};
use crate::app::{App, Page, SortKey};
use crate::domain::summary;
use crate::domain::{BenefitType, Entry};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

struct Column {
    title: String,
    width: usize,
    /// The sort key this column's values follow, if any.
    sort: Option<SortKey>,
}

fn column(title: &str, width: usize, sort: Option<SortKey>) -> Column {
    Column {
        title: title.into(),
        width,
        sort,
    }
}

/// The name column and, if shown, the source column, sharing the `rest` of the width.
fn name_and_source(app: &App, rest: usize, show_source: bool) -> Vec<Column> {
    let t = app.t;
    let (name_w, source_w) = if show_source {
        (rest * 55 / 100, rest - rest * 55 / 100 - 1)
    } else {
        (rest, 0)
    };
    let mut cols = vec![column(
        t.text("col.benefit-name"),
        name_w,
        Some(SortKey::Name),
    )];
    if show_source {
        cols.push(column(
            t.text("col.source"),
            source_w,
            Some(SortKey::Source),
        ));
    }
    cols
}

/// Columns that fit `width`: the narrow ones first go, name and status always stay.
fn cloud_columns(app: &App, width: usize) -> Vec<Column> {
    let t = app.t;
    let fixed = [
        (t.text("col.quantity"), 14, Some(SortKey::Quantity)),
        (t.text("col.activate-by"), 14, Some(SortKey::ActivateBy)),
        (t.text("col.status"), 24, None),
    ];
    let show_type = width >= 110;
    let show_source = width >= 90;
    let used: usize =
        2 + fixed.iter().map(|(_, w, _)| w + 1).sum::<usize>() + if show_type { 12 } else { 0 };
    let rest = width.saturating_sub(used);
    let mut cols = name_and_source(app, rest, show_source);
    if show_type {
        cols.push(column(t.text("col.benefit-type"), 11, None));
    }
    for (title, w, sort) in fixed {
        cols.push(column(title, w, sort));
    }
    cols
}

fn software_columns(app: &App, width: usize) -> Vec<Column> {
    let t = app.t;
    let show_source = width >= 90;
    let used = 2 + 17 + 15 + 14;
    let rest = width.saturating_sub(used);
    let mut cols = name_and_source(app, rest, show_source);
    cols.push(column(t.text("col.quantity"), 16, Some(SortKey::Quantity)));
    cols.push(column(
        t.text("col.activate-by"),
        14,
        Some(SortKey::ActivateBy),
    ));
    cols.push(column(t.text("col.activations"), 13, None));
    cols
}

/// Column titles; the sorted column carries an arrow.
fn header_line(app: &App, cols: &[Column], theme: &Theme) -> Line<'static> {
    let arrow = if theme.ascii { "v" } else { "▾" };
    let mut s = String::from("  ");
    for c in cols {
        if c.sort == Some(app.sort) {
            s.push_str(&fit(&format!("{} {arrow}", c.title), c.width));
        } else {
            s.push_str(&fit(&c.title, c.width));
        }
        s.push(' ');
    }
    Line::styled(s, theme.header())
}

fn row_line(
    cells: Vec<String>,
    cols: &[Column],
    marker: &str,
    style: Style,
    flag: &str,
) -> Line<'static> {
    let mut s = format!("{marker}{flag}");
    for (cell, c) in cells.iter().zip(cols) {
        s.push_str(&fit(cell, c.width));
        s.push(' ');
    }
    Line::styled(s, style)
}

/// Due soon (≤ 30 days) or past: a symbol for every terminal, a colour where there is one.
fn due_style(activate_by: NaiveDate, today: NaiveDate, theme: &Theme) -> (Style, &'static str) {
    let days = summary::days_left(activate_by, today);
    if days < 0 {
        (theme.past(), theme.past_symbol())
    } else if summary::needs_attention(activate_by, today) {
        (theme.due_soon(), theme.due_symbol())
    } else {
        (Style::default(), " ")
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
    let viewport = usize::from(area.height.saturating_sub(1)).max(1);
    let start = window_start(app, viewport, theme);
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    let (lines, rows) = match app.page {
        Page::History => history_lines(app, width, height, start, theme),
        Page::Cloud | Page::Software => lines(app, width, height, start, theme),
    };
    frame.render_widget(Paragraph::new(lines), area);
    for (line, pos) in rows {
        let row = Rect {
            y: area.y + line as u16,
            height: 1,
            ..area
        };
        hits.add(row, Spot::Row(pos));
        if app.page != Page::History {
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
fn row_height(app: &App, pos: usize, theme: &Theme) -> usize {
    let page = app.page;
    if page == Page::History {
        return 2;
    }
    let t = app.table();
    let item = t.rows[pos];
    let head = usize::from(app.section_head(page, pos).is_some());
    let details = if t.expanded.contains(&item) {
        details::lines(app, page, item, theme).len()
    } else {
        0
    };
    head + 1 + details
}

/// The first row to draw: the app's offset, moved down only as far as the rows from it
/// through the selected one need to fit `viewport` lines. Walks back from the selection,
/// so the cost is the window's, wherever the selection is.
fn window_start(app: &App, viewport: usize, theme: &Theme) -> usize {
    let t = app.table();
    if t.rows.is_empty() {
        return 0;
    }
    let selected = t.selected.min(t.rows.len() - 1);
    if t.offset >= selected {
        return selected;
    }
    let mut start = selected;
    let mut used = row_height(app, selected, theme);
    while start > t.offset {
        let h = row_height(app, start - 1, theme);
        if used + h > viewport {
            break;
        }
        used += h;
        start -= 1;
    }
    start
}

/// Header line plus at most `height - 1` lines of rows and details from row `start`, with
/// the line each row is on.
fn lines(
    app: &App,
    width: usize,
    height: usize,
    start: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let t = app.t;
    let p = &app.portfolio;
    let state = app.table();
    let cols = if app.page == Page::Cloud {
        cloud_columns(app, width)
    } else {
        software_columns(app, width)
    };
    let mut out = vec![header_line(app, &cols, theme)];
    let mut rows = Vec::new();
    if state.rows.is_empty() {
        out.push(Line::styled(
            format!("  {}", t.text("label.no-rows")),
            theme.dim(),
        ));
        return (out, rows);
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
        let (cells, activate_by) = match app.page {
            Page::Cloud => {
                let bn = p.cloud(b);
                let quantity = match (&bn.license, &bn.credit) {
                    (Some(l), _) => t.fmt("quantity.licenses", &[("n", &l.quantity.to_string())]),
                    (_, Some(c)) => format!(
                        "${} {}",
                        c.amount_usd,
                        t.text(match c.period {
                            crate::domain::CreditPeriod::Monthly => "credit.monthly",
                            crate::domain::CreditPeriod::Bulk => "credit.bulk",
                        })
                    ),
                    _ => String::new(),
                };
                let status = match (&bn.license, &bn.credit) {
                    (Some(_), _) => t
                        .status(summary::product_status(p, bn, app.today))
                        .to_string(),
                    (_, Some(c)) => c
                        .assigned_to
                        .clone()
                        .unwrap_or_else(|| t.text("label.unassigned").into()),
                    _ => String::new(),
                };
                let mut name = bn.product.clone();
                if bn.is_discontinued() {
                    name.push_str(&format!(" ({})", t.text("label.discontinued")));
                }
                let mut cells = vec![name];
                if cols.len() >= 5 {
                    cells.push(summary::source_label(p, &bn.offer));
                }
                if cols.len() == 6 {
                    cells.push(
                        t.text(match bn.benefit_type {
                            BenefitType::Core => "benefit-type.core",
                            BenefitType::Incremental => "benefit-type.incremental",
                        })
                        .into(),
                    );
                }
                cells.extend([quantity, t.date(bn.activate_by), status]);
                (cells, bn.activate_by)
            }
            _ => {
                let bn = p.software(b);
                let (used, allowed) = summary::software_activations(bn);
                let mut cells = vec![bn.product.clone()];
                if cols.len() == 5 {
                    cells.push(summary::source_label(p, &bn.offer));
                }
                cells.push(t.fmt("quantity.activations", &[("n", &bn.quantity.to_string())]));
                cells.push(t.date(bn.activate_by));
                cells.push(if bn.is_cal() || bn.keys.is_empty() {
                    "-".into()
                } else {
                    format!("{used}/{allowed}")
                });
                (cells, bn.activate_by)
            }
        };
        let (mut style, flag) = due_style(activate_by, app.today, theme);
        if pos == state.selected {
            style = style.patch(theme.selected());
        }
        rows.push((out.len(), pos));
        out.push(row_line(cells, &cols, marker, style, flag));
        if open {
            for l in details::lines(app, app.page, b, theme) {
                if out.len() >= height {
                    break;
                }
                out.push(l);
            }
        }
    }
    (out, rows)
}

/// The ledger, newest first: per entry a line saying what and where, and a line with the
/// before → after.
fn history_lines(
    app: &App,
    width: usize,
    height: usize,
    start: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let t = app.t;
    let loading = if app.history_loading {
        format!("  ({})", t.text("label.history-loading"))
    } else {
        String::new()
    };
    let mut out = vec![Line::styled(
        fit(
            &format!(
                "  {:<5} {:<14} {:<16} {}{loading}",
                "#",
                t.text("label.date"),
                t.text("label.operation"),
                t.text("label.benefit")
            ),
            width,
        ),
        theme.header(),
    )];
    let mut rows = Vec::new();
    if app.history.is_empty() {
        out.push(Line::styled(
            format!("  {}", t.text("label.no-history")),
            theme.dim(),
        ));
        return (out, rows);
    }
    let state = &app.history_state;
    let arrow = theme.arrow();
    let name = |id: &str| match app.portfolio.benefit(id) {
        Some(crate::domain::BenefitRef::Cloud(i)) => app.portfolio.cloud(i).product.clone(),
        Some(crate::domain::BenefitRef::Software(i)) => app.portfolio.software(i).product.clone(),
        None => id.to_string(),
    };
    for (pos, &i) in state.rows.iter().enumerate().skip(start) {
        if out.len() + 2 > height {
            break;
        }
        let (seq, e) = &app.history[i];
        let (what, change) = match e {
            Entry::Redemption {
                key_masked,
                tenant,
                mode,
                before,
                after,
                benefit,
                ..
            } => {
                let tenant = app
                    .portfolio
                    .tenant(tenant)
                    .map(|x| x.domain.clone())
                    .unwrap_or_else(|| tenant.clone());
                (
                    format!(
                        "{} · {} · {key_masked} · {tenant}",
                        name(benefit),
                        t.mode(*mode)
                    ),
                    format!(
                        "{}: {} {arrow} {} · {}: {} {arrow} {}",
                        t.text("label.total-licenses"),
                        before
                            .map(|b| b.total_licenses.to_string())
                            .unwrap_or("-".into()),
                        after.total_licenses,
                        t.text("label.end-date"),
                        before.map(|b| t.date(b.end_date)).unwrap_or("-".into()),
                        t.date(after.end_date)
                    ),
                )
            }
            Entry::Activation {
                benefit,
                key_masked,
                machine,
                used_before,
                used_after,
                allowed,
                ..
            } => (
                format!("{} · {key_masked} · {machine}", name(benefit)),
                format!("{used_before}/{allowed} {arrow} {used_after}/{allowed}"),
            ),
            Entry::CreditAssign { benefit, to, .. } => (name(benefit), format!("- {arrow} {to}")),
            Entry::CreditRemove { benefit, from, .. } => {
                (name(benefit), format!("{from} {arrow} -"))
            }
            Entry::CreditTransfer {
                benefit, from, to, ..
            } => (name(benefit), format!("{from} {arrow} {to}")),
            Entry::KeylessRedemption {
                benefit,
                tenant,
                licenses,
                before,
                after,
                ..
            } => (
                format!(
                    "{} · {} ({licenses}) · {tenant}",
                    name(benefit),
                    t.text("label.keyless")
                ),
                format!(
                    "{}: {} {arrow} {} · {}: {} {arrow} {}",
                    t.text("label.total-licenses"),
                    before
                        .map(|b| b.total_licenses.to_string())
                        .unwrap_or("-".into()),
                    after.total_licenses,
                    t.text("label.end-date"),
                    before.map(|b| t.date(b.end_date)).unwrap_or("-".into()),
                    t.date(after.end_date)
                ),
            ),
            Entry::GraphImport {
                observations,
                unmatched,
                sources,
                ..
            } => (
                crate::graph::summary(t, observations, unmatched, sources),
                String::new(),
            ),
        };
        let op = t.text(match e {
            Entry::Redemption { .. } => "op.redemption",
            Entry::Activation { .. } => "op.activation",
            Entry::CreditAssign { .. } => "op.credit-assign",
            Entry::CreditRemove { .. } => "op.credit-remove",
            Entry::CreditTransfer { .. } => "op.credit-transfer",
            Entry::GraphImport { .. } => "op.graph-import",
            Entry::KeylessRedemption { .. } => "op.keyless-redemption",
        });
        let line = format!(
            "  {seq:<5} {:<14} {} {}",
            t.date(e.date()),
            fit(op, 16),
            clean(&what)
        );
        let style = if pos == state.selected {
            theme.selected()
        } else {
            Style::default()
        };
        rows.push((out.len(), pos));
        out.push(Line::from(Span::styled(fit(&line, width), style)));
        out.push(Line::styled(
            fit(&format!("{:<23}{}", "", clean(&change)), width),
            theme.dim(),
        ));
    }
    (out, rows)
}
