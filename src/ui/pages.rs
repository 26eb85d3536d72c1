//! The three pages as tables. Only the rows inside the window are turned into lines: the
//! cost of a frame follows the terminal's height, not the catalog's size.

use super::details;
use super::text::{clean, fit};
use super::theme::Theme;
use crate::app::{App, Page};
use crate::domain::summary;
use crate::domain::{BenefitType, Entry};
use chrono::NaiveDate;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

struct Column {
    title: String,
    width: usize,
}

/// Columns that fit `width`: the narrow ones first go, name and status always stay.
fn cloud_columns(app: &App, width: usize) -> Vec<Column> {
    let t = app.t;
    let fixed = [
        (t.text("col.quantity"), 14),
        (t.text("col.activate-by"), 14),
        (t.text("col.status"), 24),
    ];
    let show_type = width >= 110;
    let show_source = width >= 90;
    let used: usize =
        2 + fixed.iter().map(|(_, w)| w + 1).sum::<usize>() + if show_type { 12 } else { 0 };
    let rest = width.saturating_sub(used);
    let (name_w, source_w) = if show_source {
        (rest * 55 / 100, rest - rest * 55 / 100 - 1)
    } else {
        (rest, 0)
    };
    let mut cols = vec![Column {
        title: t.text("col.benefit-name").into(),
        width: name_w,
    }];
    if show_source {
        cols.push(Column {
            title: t.text("col.source").into(),
            width: source_w,
        });
    }
    if show_type {
        cols.push(Column {
            title: t.text("col.benefit-type").into(),
            width: 11,
        });
    }
    for (title, w) in fixed {
        cols.push(Column {
            title: title.into(),
            width: w,
        });
    }
    cols
}

fn software_columns(app: &App, width: usize) -> Vec<Column> {
    let t = app.t;
    let show_source = width >= 90;
    let used = 2 + 17 + 15 + 14;
    let rest = width.saturating_sub(used);
    let (name_w, source_w) = if show_source {
        (rest * 55 / 100, rest - rest * 55 / 100 - 1)
    } else {
        (rest, 0)
    };
    let mut cols = vec![Column {
        title: t.text("col.benefit-name").into(),
        width: name_w,
    }];
    if show_source {
        cols.push(Column {
            title: t.text("col.source").into(),
            width: source_w,
        });
    }
    cols.push(Column {
        title: t.text("col.quantity").into(),
        width: 16,
    });
    cols.push(Column {
        title: t.text("col.activate-by").into(),
        width: 14,
    });
    cols.push(Column {
        title: t.text("col.activations").into(),
        width: 13,
    });
    cols
}

/// Column titles; the sorted column carries an arrow.
fn header_line(app: &App, cols: &[Column], theme: &Theme) -> Line<'static> {
    let sorted = app.t.text(app.sort.label_id());
    let arrow = if theme.ascii { "v" } else { "▾" };
    let mut s = String::from("  ");
    for c in cols {
        if app.sort != crate::app::SortKey::Catalog && c.title == sorted {
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

/// Header line plus at most `height - 1` lines of rows and details, from the window's offset.
pub fn lines(app: &App, width: usize, height: usize, theme: &Theme) -> Vec<Line<'static>> {
    match app.page {
        Page::History => return history_lines(app, width, height, theme),
        Page::Cloud | Page::Software => {}
    }
    let t = app.t;
    let p = &app.portfolio;
    let state = app.table();
    let cols = if app.page == Page::Cloud {
        cloud_columns(app, width)
    } else {
        software_columns(app, width)
    };
    let mut out = vec![header_line(app, &cols, theme)];
    if state.rows.is_empty() {
        out.push(Line::styled(
            format!("  {}", t.text("label.no-rows")),
            theme.dim(),
        ));
        return out;
    }
    for (pos, &b) in state.rows.iter().enumerate().skip(state.offset) {
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
    out
}

/// The ledger, newest first: per entry a line saying what and where, and a line with the
/// before → after.
fn history_lines(app: &App, width: usize, height: usize, theme: &Theme) -> Vec<Line<'static>> {
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
    if app.history.is_empty() {
        out.push(Line::styled(
            format!("  {}", t.text("label.no-history")),
            theme.dim(),
        ));
        return out;
    }
    let state = &app.history_state;
    let arrow = theme.arrow();
    let name = |id: &str| match app.portfolio.benefit(id) {
        Some(crate::domain::BenefitRef::Cloud(i)) => app.portfolio.cloud(i).product.clone(),
        Some(crate::domain::BenefitRef::Software(i)) => app.portfolio.software(i).product.clone(),
        None => id.to_string(),
    };
    for (pos, &i) in state.rows.iter().enumerate().skip(state.offset) {
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
        };
        let op = t.text(match e {
            Entry::Redemption { .. } => "op.redemption",
            Entry::Activation { .. } => "op.activation",
            Entry::CreditAssign { .. } => "op.credit-assign",
            Entry::CreditRemove { .. } => "op.credit-remove",
            Entry::CreditTransfer { .. } => "op.credit-transfer",
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
        out.push(Line::from(Span::styled(fit(&line, width), style)));
        out.push(Line::styled(
            fit(&format!("{:<23}{}", "", clean(&change)), width),
            theme.dim(),
        ));
    }
    out
}
