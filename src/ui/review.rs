//! "Review order details": the target tenant made unmistakable, every mode's before →
//! after side by side, warnings, and "How is the end date calculated?".

use super::text::clean;
use super::theme::Theme;
use crate::app::App;
use crate::domain::{Mode, Totals};
use crate::i18n::{self, Messages};
use crate::licensing::{Outcome, Warning};
use crate::redeem::machine::{ModeChoice, Previews, outcome_of};
use crate::redeem::{Redemption, TargetOption};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn licenses(t: &Messages, n: u32) -> String {
    t.fmt("quantity.licenses", &[("n", &n.to_string())])
}

/// The target tenant, unmistakable: its name and domain on lines of their own, bold.
pub(super) fn tenant_block(t: &Messages, theme: &Theme, o: &TargetOption) -> Vec<Line<'static>> {
    let sub = match &o.subscription {
        Some(id) => format!("{} · {}", clean(id), t.status(o.status)),
        None => t.text("label.new-subscription").to_string(),
    };
    let mut out = vec![
        Line::from(vec![
            Span::styled(format!("{}: ", t.text("label.tenant")), theme.dim()),
            Span::styled(
                clean(&o.tenant_name).to_uppercase(),
                theme.title().add_modifier(Modifier::BOLD),
            ),
        ]),
        Line::from(vec![
            Span::styled(format!("{}: ", t.text("label.domain")), theme.dim()),
            Span::styled(
                clean(&o.domain),
                theme
                    .title()
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            ),
        ]),
        Line::from(vec![
            Span::styled(format!("{}: ", t.text("label.subscription")), theme.dim()),
            Span::raw(sub),
        ]),
    ];
    if let (Some(_), Some(c)) = (&o.subscription, o.current) {
        out.push(Line::styled(
            format!(
                "  {} · {} {}",
                licenses(t, c.total_licenses),
                t.text("label.end-date"),
                t.date(c.end_date)
            ),
            theme.dim(),
        ));
    }
    out
}

/// Total licenses and End date, before → after.
pub(super) fn before_after(
    t: &Messages,
    theme: &Theme,
    (before, after): (Option<Totals>, Totals),
    indent: &str,
) -> Vec<Line<'static>> {
    let arrow = theme.arrow();
    let before_l = before
        .map(|b| b.total_licenses.to_string())
        .unwrap_or("-".into());
    let before_e = before.map(|b| t.date(b.end_date)).unwrap_or("-".into());
    vec![
        Line::from(vec![
            Span::styled(
                format!("{indent}{}: ", t.text("label.total-licenses")),
                theme.dim(),
            ),
            Span::raw(format!("{before_l} {arrow} ")),
            Span::styled(after.total_licenses.to_string(), theme.bold()),
        ]),
        Line::from(vec![
            Span::styled(
                format!("{indent}{}: ", t.text("label.end-date")),
                theme.dim(),
            ),
            Span::raw(format!("{before_e} {arrow} ")),
            Span::styled(t.date(after.end_date), theme.bold()),
        ]),
    ]
}

fn warnings(t: &Messages, theme: &Theme, o: &Outcome, indent: &str) -> Vec<Line<'static>> {
    o.warnings
        .iter()
        .map(|w| {
            let Warning::LessThanTwelveMonths { days } = w;
            Line::styled(
                format!(
                    "{indent}! {}",
                    t.fmt(
                        "warning.less-than-12-months",
                        &[("days", &days.to_string())]
                    )
                ),
                theme.warning(),
            )
        })
        .collect()
}

fn explanation(t: &Messages, theme: &Theme, o: &Outcome, open: bool) -> Vec<Line<'static>> {
    how_calculated(t, theme, open.then(|| i18n::explain(o, t)))
}

/// "How is the end date calculated? (x)", and the answer under it when it is open.
pub(super) fn how_calculated(
    t: &Messages,
    theme: &Theme,
    answer: Option<String>,
) -> Vec<Line<'static>> {
    let marker = theme.expanded_marker(answer.is_some());
    let mut out = vec![Line::styled(
        format!("{marker} {} (x)", t.text("label.how-calculated")),
        theme.key(),
    )];
    out.extend(answer.map(|a| Line::from(format!("  {a}"))));
    out
}

/// One mode's column of "Review order details".
fn mode_column(
    t: &Messages,
    theme: &Theme,
    mode: Mode,
    result: &Result<Outcome, crate::domain::Refusal>,
    chosen: bool,
) -> Vec<Line<'static>> {
    let mark = theme.radio(chosen);
    let head_style = if chosen {
        theme.selected().add_modifier(Modifier::BOLD)
    } else {
        theme.bold()
    };
    let mut out = vec![Line::styled(format!("{mark} {}", t.mode(mode)), head_style)];
    match result {
        Ok(o) => {
            out.extend(before_after(t, theme, (o.before, o.after), ""));
            out.extend(warnings(t, theme, o, ""));
        }
        Err(e) => out.push(Line::styled(
            format!("{} {}", theme.refused_symbol(), t.refusal(e)),
            theme.error(),
        )),
    }
    out
}

/// The review of the chosen mode: the target, before → after, warnings, the explanation.
pub(super) fn review(t: &Messages, theme: &Theme, m: &ModeChoice, out: &mut Vec<Line<'static>>) {
    out.extend(tenant_block(t, theme, m.choice.target()));
    out.push(Line::from(""));
    out.push(Line::styled(
        t.text("label.review-order-details").to_string(),
        theme.header(),
    ));
    out.push(Line::styled(t.mode(m.mode).to_string(), theme.title()));
    if let Ok(o) = outcome_of(&m.previews, m.mode) {
        out.extend(before_after(t, theme, (o.before, o.after), "  "));
        out.extend(warnings(t, theme, o, "  "));
        out.extend(explanation(t, theme, o, m.explain));
    }
    out.push(Line::from(""));
}

/// Every mode side by side (stacked when narrow), the chosen one highlighted, then the
/// explanation of the chosen one.
pub(super) fn render_modes(
    app: &App,
    d: &Redemption,
    frame: &mut Frame,
    inner: Rect,
    theme: &Theme,
    (target, previews, mode, explain): (&TargetOption, &Previews, Mode, bool),
) {
    let t = app.t;
    let mut head = tenant_block(t, theme, target);
    head.push(Line::from(""));
    head.push(Line::styled(
        t.text("label.review-order-details").to_string(),
        theme.header(),
    ));
    let head_h = head.len() as u16;
    let n = previews.len().max(1) as u32;
    // The mode columns as tall as their wrapped text, so none is cut at 80x24.
    let col_w = inner.width.saturating_sub(n as u16 - 1) / n as u16;
    let cols_h = (previews.iter())
        .map(|(m, r)| {
            let lines = mode_column(t, theme, *m, r, *m == mode);
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .line_count(col_w) as u16
        })
        .max()
        .unwrap_or(6)
        .max(6);
    let [top, cols_area, bottom] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Length(cols_h),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), top);
    let cols = Layout::horizontal(vec![Constraint::Ratio(1, n); n as usize])
        .spacing(1)
        .split(cols_area);
    for ((m, r), col) in previews.iter().zip(cols.iter()) {
        let lines = mode_column(t, theme, *m, r, *m == mode);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), *col);
    }
    let mut foot = Vec::new();
    if let Ok(o) = outcome_of(previews, mode) {
        foot.extend(explanation(t, theme, o, explain));
    }
    // The chosen mode's own refusal already stands in its column.
    if outcome_of(previews, mode).err() != d.error {
        foot.extend(error_lines(app, d, theme));
    }
    frame.render_widget(Paragraph::new(foot).wrap(Wrap { trim: false }), bottom);
}

/// The last refusal, under a blank line.
pub(super) fn error_lines(app: &App, d: &Redemption, theme: &Theme) -> Vec<Line<'static>> {
    match &d.error {
        Some(e) => vec![
            Line::from(""),
            Line::styled(
                format!("{} {}", theme.refused_symbol(), app.t.refusal(e)),
                theme.error(),
            ),
        ],
        None => Vec::new(),
    }
}
