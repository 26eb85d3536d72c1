//! The Reconcile page: a line of totals (or what to do when there is nothing to compare
//! yet), then one row per redemption with its previewed Total licenses and End date beside
//! what Microsoft Graph reported after it, mismatches first; Enter opens a row into both
//! numbers spelled out and the import that reported them.

use super::grid::{self, Col};
use super::text::{clean, wrap_line};
use super::theme::Theme;
use crate::app::App;
use crate::app::history::benefit_name;
use crate::app::reconcile::verdict_id;
use crate::domain::Entry;
use crate::domain::observation::{GraphStatus, Reconciled, Reported, Verdict};
use chrono::NaiveDate;
use ratatui::style::Style;
use ratatui::text::Line;

/// Above this many rows, widths come from the rows in the window only.
const MEASURE_ALL: usize = 1000;
/// Marker, verdict glyph and a space before the cells.
const LEAD: usize = 3;
/// Continuation lines of a detail: under the text after the details' own indent.
const DETAIL_INDENT: usize = 6;

/// The totals line: how many redemptions mismatch, match and are not observed yet, or, with
/// nothing to compare, what to do about it.
pub fn banner(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let t = app.t;
    let v = &app.reconcile;
    let line = if v.results.is_empty() {
        Line::styled(format!("  {}", t.text("reconcile.empty")), theme.dim())
    } else if v.not_observed == v.results.len() {
        Line::styled(
            format!("  {}", t.text("reconcile.nothing-observed")),
            theme.warning(),
        )
    } else {
        let matched = v.results.len() - v.mismatches - v.not_observed;
        let n = |n: usize| t.number(n as u64);
        let text = t.fmt(
            "reconcile.summary",
            &[
                ("mismatches", &n(v.mismatches)),
                ("matched", &n(matched)),
                ("not_observed", &n(v.not_observed)),
            ],
        );
        let style = if v.mismatches > 0 {
            theme.error()
        } else {
            theme.ok()
        };
        Line::styled(format!("  {text}"), style)
    };
    let mut lines = wrap_line(&line, width, 2);
    if app.history_loading {
        let loading = format!("  ({})", t.text("label.history-loading"));
        lines.push(Line::styled(loading, theme.dim()));
    }
    lines
}

/// Licenses and end date as one cell: `125 · Mar 31, 2027`.
fn totals(app: &App, licenses: u32, end: Option<NaiveDate>, theme: &Theme) -> String {
    let end = end.map_or_else(|| "-".to_string(), |d| app.t.date(d));
    format!("{} {} {end}", app.t.number(licenses.into()), theme.dot())
}

/// The observed status, in Graph's word and the lifecycle's (`Warning (Expired)`).
fn status_word(app: &App, status: GraphStatus) -> String {
    format!("{} ({})", status.as_str(), app.t.status(status.lifecycle()))
}

/// What Graph reported, as a cell: the same as previewed on a match, "-" before any.
fn observed(app: &App, r: &Reconciled, theme: &Theme) -> String {
    match &r.verdict {
        Verdict::Match { .. } => {
            totals(app, r.previewed_licenses, Some(r.previewed_end_date), theme)
        }
        Verdict::Mismatch {
            observed_licenses,
            observed_end_date,
            observed_status,
            ..
        } => {
            let mut s = totals(app, *observed_licenses, *observed_end_date, theme);
            if *observed_status != GraphStatus::Enabled {
                s.push_str(&format!(
                    " {} {}",
                    theme.dot(),
                    status_word(app, *observed_status)
                ));
            }
            s
        }
        Verdict::NotObservedYet => "-".into(),
    }
}

fn cells(app: &App, r: &Reconciled, theme: &Theme) -> Vec<String> {
    vec![
        r.seq.to_string(),
        app.t.date(r.date),
        benefit_name(&app.portfolio, &r.benefit),
        r.subscription.clone(),
        totals(app, r.previewed_licenses, Some(r.previewed_end_date), theme),
        observed(app, r, theme),
        app.t.text(verdict_id(&r.verdict)).to_string(),
    ]
}

fn columns(app: &App, width: usize, window: &[usize], theme: &Theme) -> Vec<Col> {
    let t = app.t;
    let v = &app.reconcile;
    let measure = if v.table.rows.len() <= MEASURE_ALL {
        &v.table.rows
    } else {
        window
    };
    let rows: Vec<Vec<String>> = (measure.iter())
        .map(|&i| cells(app, &v.results[i], theme))
        .collect();
    let cols = vec![
        Col::new("#").number(),
        Col::new(t.text("label.date")).drop(2),
        Col::new(t.text("col.benefit-name")).flex(),
        Col::new(t.text("label.subscription")).drop(1),
        Col::new(t.text("reconcile.col-previewed")),
        Col::new(t.text("reconcile.observed")),
        Col::new(t.text("reconcile.result")).drop(3),
    ];
    grid::layout(cols, &rows, width, LEAD)
}

/// The glyph and style a verdict is shown in: ✗ in the error colour, ✓ in the ok colour.
fn verdict_style(v: &Verdict, theme: &Theme) -> (&'static str, Style) {
    match v {
        Verdict::Mismatch { .. } => (theme.refused_symbol(), theme.error()),
        Verdict::Match { .. } => (theme.glyph("✓", "+"), Style::default()),
        Verdict::NotObservedYet => (theme.dot(), theme.dim()),
    }
}

/// The ledger entry numbered `seq` (the history is newest first).
fn entry(app: &App, seq: i64) -> Option<&Entry> {
    let h = &app.history;
    let i = h.binary_search_by(|l| seq.cmp(&l.seq)).ok()?;
    Some(&h[i].entry)
}

/// An expanded row: both numbers in words, what reported them, or what to do.
fn details(app: &App, r: &Reconciled, theme: &Theme) -> Vec<Line<'static>> {
    let t = app.t;
    let indent = "      ";
    let mut out = Vec::new();
    let (tenant, mode) = match entry(app, r.seq) {
        Some(Entry::Redemption { tenant, mode, .. }) => (tenant.clone(), t.mode(*mode).to_string()),
        Some(Entry::KeylessRedemption { tenant, .. }) => {
            (tenant.clone(), t.text("label.keyless").to_string())
        }
        _ => (String::new(), String::new()),
    };
    let tenant = (app.portfolio.tenant(&tenant)).map_or(tenant, |x| x.domain.clone());
    out.push(Line::raw(clean(&format!(
        "{indent}{}",
        t.fmt(
            "reconcile.detail-redeemed",
            &[
                ("seq", &r.seq.to_string()),
                ("date", &t.date(r.date)),
                ("mode", &mode),
                ("subscription", &r.subscription),
                ("tenant", &tenant),
            ],
        )
    ))));
    let Some(Reported {
        seq: seen,
        licenses,
        end_date: end,
        status,
    }) = r.observed()
    else {
        let hint = t.text("reconcile.detail-not-observed");
        out.push(Line::styled(format!("{indent}{hint}"), theme.dim()));
        return out;
    };
    let pair = |id: &str, previewed: String, observed: String, same: bool| {
        let text = t.fmt(id, &[("previewed", &previewed), ("observed", &observed)]);
        let style = if same {
            Style::default()
        } else {
            theme.error()
        };
        Line::styled(format!("{indent}{text}"), style)
    };
    let n = |n: u32| t.number(n.into());
    out.push(pair(
        "reconcile.detail-licenses",
        n(r.previewed_licenses),
        n(licenses),
        licenses == r.previewed_licenses,
    ));
    out.push(pair(
        "reconcile.detail-end-date",
        t.date(r.previewed_end_date),
        end.map_or_else(|| "-".into(), |d| t.date(d)),
        end == Some(r.previewed_end_date),
    ));
    let imported = match entry(app, seen) {
        Some(e) => t.date(e.date()),
        None => String::new(),
    };
    let reported = t.fmt(
        "reconcile.detail-observed",
        &[
            ("seq", &seen.to_string()),
            ("date", &imported),
            ("status", &status_word(app, status)),
        ],
    );
    let style = if status == GraphStatus::Enabled {
        theme.dim()
    } else {
        theme.error()
    };
    out.push(Line::styled(format!("{indent}{reported}"), style));
    out
}

/// Every screen line of the row at `pos`: the row and, when open, its details (wrapped).
fn row_lines(
    app: &App,
    pos: usize,
    cols: &[Col],
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let v = &app.reconcile;
    let Some(r) = v.table.rows.get(pos).map(|&i| &v.results[i]) else {
        return Vec::new();
    };
    let open = v.is_expanded(r);
    let (glyph, mut style) = verdict_style(&r.verdict, theme);
    if pos == v.table.selected {
        style = style.patch(theme.selected());
    }
    let text = format!(
        "{}{glyph} {}",
        theme.expanded_marker(open),
        grid::row(&cells(app, r, theme), cols)
    );
    let mut out = vec![Line::styled(text, style)];
    if open {
        for l in details(app, r, theme) {
            out.extend(wrap_line(&l, width, DETAIL_INDENT));
        }
    }
    out
}

/// Screen lines of the row at `pos` (the columns do not change its height).
pub fn row_height(app: &App, pos: usize, width: usize, theme: &Theme) -> usize {
    let v = &app.reconcile;
    let open = (v.table.rows.get(pos)).is_some_and(|&i| v.is_expanded(&v.results[i]));
    if !open {
        return 1;
    }
    row_lines(app, pos, &[], width, theme).len()
}

/// Header line plus at most `height - 1` lines of rows from row `start`, with the line
/// each row is on.
pub fn lines(
    app: &App,
    width: usize,
    height: usize,
    start: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let v = &app.reconcile;
    let rows = &v.table.rows;
    let window = &rows[start.min(rows.len())..(start + height).min(rows.len())];
    let mut at = Vec::new();
    if v.results.is_empty() {
        // The totals line says what to do; there are no columns to title.
        return (vec![Line::raw("")], at);
    }
    let cols = columns(app, width, window, theme);
    let mut out = vec![Line::styled(grid::header(&cols, LEAD), theme.header())];
    if rows.is_empty() {
        let none = format!("  {}", app.t.text("label.no-rows"));
        out.push(Line::styled(none, theme.dim()));
        return (out, at);
    }
    for pos in start..rows.len() {
        if out.len() >= height {
            break;
        }
        at.push((out.len(), pos));
        for l in row_lines(app, pos, &cols, width, theme) {
            if out.len() >= height {
                break;
            }
            out.push(l);
        }
    }
    (out, at)
}
