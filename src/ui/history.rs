//! The History page: the ledger, newest first. Per entry a line with its number, date, who
//! and the operation in words, and a line with the before → after; Enter opens the entry
//! into every detail it holds.

use super::text::{clean, fit, wrap_line};
use super::theme::Theme;
use crate::app::App;
use crate::app::history::{benefit_name, op_id, when};
use crate::domain::{Entry, Target, Totals};
use crate::i18n::Messages;
use crate::store::Logged;
use chrono::{DateTime, Utc};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

mod graph_check;

const INDENT: &str = "    ";

/// Who made an entry: the signed-in user's name when it was them, else the address.
fn who(app: &App, user: &str) -> String {
    if app.user.email == user {
        app.user.name.clone()
    } else {
        user.to_string()
    }
}

fn user_of(e: &Entry) -> &str {
    match e {
        Entry::Redemption { user, .. }
        | Entry::Activation { user, .. }
        | Entry::CreditAssign { user, .. }
        | Entry::CreditRemove { user, .. }
        | Entry::CreditTransfer { user, .. }
        | Entry::Correction { user, .. }
        | Entry::GraphImport { user, .. }
        | Entry::KeylessRedemption { user, .. } => user,
    }
}

/// The entry's summary (what and where) and its change (before → after).
fn summary(app: &App, e: &Entry, arrow: &str) -> (String, String) {
    let t = app.t;
    let name = benefit_name(&app.portfolio, e.benefit());
    match e {
        Entry::Redemption {
            key_masked,
            tenant,
            mode,
            before,
            after,
            ..
        } => {
            let tenant = app
                .portfolio
                .tenant(tenant)
                .map(|x| x.domain.clone())
                .unwrap_or_else(|| tenant.clone());
            (
                format!("{name} · {} · {key_masked} · {tenant}", t.mode(*mode)),
                totals_line(t, arrow, *before, *after),
            )
        }
        Entry::Activation {
            key_masked,
            machine,
            used_before,
            used_after,
            allowed,
            ..
        } => (
            format!("{name} · {machine} · {key_masked}"),
            t.fmt(
                "history.activations",
                &[
                    ("before", &used_before.to_string()),
                    ("after", &used_after.to_string()),
                    ("allowed", &allowed.to_string()),
                ],
            ),
        ),
        Entry::CreditAssign { to, .. } => (name, format!("- {arrow} {to}")),
        Entry::CreditRemove { from, .. } => (name, format!("{from} {arrow} -")),
        Entry::CreditTransfer { from, to, .. } => (name, format!("{from} {arrow} {to}")),
        Entry::Correction { .. } => (name, t.correction(e).unwrap_or_default()),
        Entry::GraphImport {
            observations,
            unmatched,
            sources,
            ..
        } => (
            crate::graph::summary(t, observations, unmatched, sources),
            String::new(),
        ),
        Entry::KeylessRedemption {
            tenant,
            licenses,
            before,
            after,
            ..
        } => (
            format!(
                "{name} · {} ({licenses}) · {tenant}",
                t.text("label.keyless")
            ),
            totals_line(t, arrow, *before, *after),
        ),
    }
}

/// Widths of the number, date, who and operation columns: from the ledger's newest number,
/// the language's widest date and operation, and the signed-in user's name, so every row
/// of every window lines up the same.
struct Widths {
    seq: usize,
    date: usize,
    who: usize,
    op: usize,
}

const OPS: [&str; 8] = [
    "op.redemption",
    "op.activation",
    "op.credit-assign",
    "op.credit-remove",
    "op.credit-transfer",
    "op.correction",
    "op.graph-import",
    "op.keyless-redemption",
];

fn widths(app: &App) -> Widths {
    let t = app.t;
    let newest = app.history_facts.newest_seq;
    // Day 28 of every month of a year: every month name the language writes.
    let dates = (1..=12).filter_map(|m| chrono::NaiveDate::from_ymd_opt(2026, m, 28));
    // Only a history with a time in it makes the column room for one.
    let timed = app.history_facts.timed;
    let date_width = |d: chrono::NaiveDate| match d.and_hms_opt(23, 59, 0) {
        Some(at) if timed => t.recorded(at.and_utc()).width(),
        _ => t.date(d).width(),
    };
    Widths {
        seq: newest.to_string().len(),
        date: dates
            .map(date_width)
            .chain([t.text("label.date").width()])
            .max()
            .unwrap_or(10),
        who: (app.user.name.width())
            .max(t.text("label.by").width())
            .clamp(12, 24),
        op: (OPS.iter().map(|id| t.text(id).width()))
            .chain([t.text("label.operation").width()])
            .max()
            .unwrap_or(10),
    }
}

/// Where an entry's change line and wrapped text start: under the date.
fn text_column(w: &Widths) -> usize {
    2 + w.seq + 1
}

/// Every screen line of the History row at `pos` (entry `i`), wrapped at `width`: the row,
/// its change and, when open, its details.
fn entry_lines(app: &App, pos: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let t = app.t;
    let state = &app.history_state;
    let Some(Logged {
        seq,
        entry: e,
        at: stamp,
    }) = state.rows.get(pos).and_then(|&i| app.history.get(i))
    else {
        return Vec::new();
    };
    let w = widths(app);
    let (what, change) = summary(app, e, theme.arrow());
    // The margin's first cell carries Graph's ✓/✗ on a redemption.
    let line = format!(
        " {:>sw$} {} {} {} {}",
        seq,
        fit(&when(t, e, *stamp), w.date),
        fit(&who(app, user_of(e)), w.who),
        fit(t.text(op_id(e)), w.op),
        clean(&what),
        sw = w.seq,
    );
    let style = if pos == state.selected {
        theme.selected()
    } else {
        Style::default()
    };
    let at = text_column(&w);
    let row = Line::from(vec![graph_check::mark(app, *seq, theme), Span::raw(line)]).style(style);
    let mut out = wrap_line(&row, width, at);
    let change = match t.corrected_by(&app.portfolio.corrections, *seq, e) {
        Some(by) => format!("{change} · {by}"),
        None => change,
    };
    let change = Line::styled(format!("{:at$}{}", "", clean(&change)), theme.dim());
    out.extend(wrap_line(&change, width, at));
    if app.entry_expanded(*seq) {
        for l in details(app, *seq, e, *stamp, theme) {
            out.extend(wrap_line(&l, width, INDENT.len() + 2));
        }
    }
    out
}

/// Screen lines of the History row at `pos`.
pub fn row_height(app: &App, pos: usize, width: usize, theme: &Theme) -> usize {
    entry_lines(app, pos, width, theme).len()
}

/// Header line plus at most `height - 1` lines of entries from row `start`, with the line
/// each row is on.
pub fn lines(
    app: &App,
    width: usize,
    height: usize,
    start: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let t = app.t;
    let state = &app.history_state;
    let w = widths(app);
    let loading = if app.history_loading {
        format!("  ({})", t.text("label.history-loading"))
    } else {
        String::new()
    };
    let head = format!(
        "  {} {} {} {} {}{loading}",
        fit("#", w.seq),
        fit(t.text("label.date"), w.date),
        fit(t.text("label.by"), w.who),
        fit(t.text("label.operation"), w.op),
        t.text("label.benefit")
    );
    let mut out = vec![Line::styled(fit(&head, width), theme.header())];
    let mut rows = Vec::new();
    if state.rows.is_empty() {
        let id = if app.history.is_empty() {
            "label.no-history"
        } else {
            "label.no-rows"
        };
        out.push(Line::styled(format!("  {}", t.text(id)), theme.dim()));
        return (out, rows);
    }
    for pos in start..state.rows.len() {
        if out.len() >= height {
            break;
        }
        rows.push((out.len(), pos));
        for l in entry_lines(app, pos, width, theme) {
            if out.len() >= height {
                break;
            }
            out.push(l);
        }
    }
    (out, rows)
}

fn field(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::raw(INDENT),
        Span::styled(format!("{label}: "), theme.dim()),
        Span::raw(clean(&value)),
    ])
}

/// Everything entry `e` (number `seq`) holds, one field a line.
pub fn details(
    app: &App,
    seq: i64,
    e: &Entry,
    at: Option<DateTime<Utc>>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let t = app.t;
    let p = &app.portfolio;
    let arrow = theme.arrow();
    let user = user_of(e);
    let by = if app.user.email == user {
        format!("{} · {user}", app.user.name)
    } else {
        user.to_string()
    };
    let mut out = vec![
        Line::from(vec![
            Span::raw(INDENT),
            Span::styled(
                t.fmt("history.details", &[("n", &seq.to_string())]),
                theme.header(),
            ),
        ]),
        field(t.text("label.operation"), t.text(op_id(e)).into(), theme),
        field(t.text("label.date"), t.date(e.date()), theme),
    ];
    // Entries written before the ledger recorded times have the date alone.
    if let Some(at) = at {
        out.push(field(t.text("label.recorded"), t.recorded_full(at), theme));
    }
    out.extend([
        field(t.text("label.by"), by, theme),
        field(
            t.text("label.benefit"),
            format!("{} · {}", benefit_name(p, e.benefit()), e.benefit()),
            theme,
        ),
    ]);
    match e {
        Entry::Redemption {
            key_masked,
            target,
            tenant,
            mode,
            key_licenses,
            before,
            after,
            ..
        } => {
            out.push(field(t.text("label.mode"), t.mode(*mode).into(), theme));
            let licenses = t.licenses(*key_licenses);
            out.push(field(
                t.text("label.key"),
                format!("{key_masked} · {licenses}"),
                theme,
            ));
            let tenant = match p.tenant(tenant) {
                Some(x) => format!("{} · {}", x.name, x.domain),
                None => tenant.clone(),
            };
            out.push(field(t.text("label.tenant"), tenant, theme));
            let subscription = match target {
                Target::Existing { subscription } => subscription.clone(),
                Target::New { subscription, .. } => {
                    format!("{subscription} ({})", t.text("label.new-subscription"))
                }
            };
            out.push(field(t.text("label.subscription"), subscription, theme));
            let total = |n: u32| t.number(n.into());
            out.push(field(
                t.text("label.total-licenses"),
                format!(
                    "{} {arrow} {}",
                    before.map_or("-".into(), |b| total(b.total_licenses)),
                    total(after.total_licenses)
                ),
                theme,
            ));
            out.push(field(
                t.text("label.end-date"),
                format!(
                    "{} {arrow} {}",
                    before.map_or("-".into(), |b| t.date(b.end_date)),
                    t.date(after.end_date)
                ),
                theme,
            ));
        }
        Entry::Activation {
            key_masked,
            machine,
            change,
            os,
            counted,
            used_before,
            used_after,
            allowed,
            ..
        } => {
            out.push(field(t.text("label.key"), key_masked.clone(), theme));
            out.push(field(t.text("activation.machine"), machine.clone(), theme));
            out.push(field(
                t.text("activation.change"),
                t.change(*change).into(),
                theme,
            ));
            out.push(field(t.text("activation.os"), t.os(*os).into(), theme));
            out.push(Line::from(vec![
                Span::raw(INDENT),
                Span::raw(t.fmt(
                    "history.activations-counted",
                    &[
                        ("before", &used_before.to_string()),
                        ("after", &used_after.to_string()),
                        ("allowed", &allowed.to_string()),
                        ("counted", &counted.to_string()),
                    ],
                )),
            ]));
        }
        Entry::CreditAssign { to, .. } => {
            out.push(field(t.text("label.assigned-to"), to.clone(), theme));
        }
        Entry::CreditRemove { from, .. } => {
            out.push(field(t.text("history.removed-from"), from.clone(), theme));
        }
        Entry::CreditTransfer { from, to, .. } => {
            out.push(field(t.text("history.from"), from.clone(), theme));
            out.push(field(t.text("history.to"), to.clone(), theme));
        }
        Entry::Correction { .. } => {
            let said = t.correction(e).unwrap_or_default();
            out.push(Line::styled(format!("{INDENT}{said}"), theme.dim()));
        }
        Entry::GraphImport { .. } | Entry::KeylessRedemption { .. } => {
            let (what, change) = summary(app, e, "→");
            out.push(field(t.text("label.operation"), what, theme));
            if !change.is_empty() {
                out.push(field(t.text("label.total-licenses"), change, theme));
            }
        }
    }
    out.extend(graph_check::details(app, seq, theme));
    out
}

/// "Total licenses: 100 → 125 · End date: Mar 31, 2027 → Jun 30, 2027" (`-` before a new
/// subscription).
fn totals_line(t: &Messages, arrow: &str, before: Option<Totals>, after: Totals) -> String {
    format!(
        "{}: {} {arrow} {} · {}: {} {arrow} {}",
        t.text("label.total-licenses"),
        before.map_or("-".into(), |b| t.number(b.total_licenses.into())),
        t.number(after.total_licenses.into()),
        t.text("label.end-date"),
        before.map_or("-".into(), |b| t.date(b.end_date)),
        t.date(after.end_date)
    )
}
