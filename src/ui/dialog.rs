//! The "Redeem product key" dialog, one view per step of the redemption machine.

use super::text::clean;
use super::theme::Theme;
use crate::app::App;
use crate::domain::{Entry, KeyFormatError, Mode, Target};
use crate::i18n::{self, Messages};
use crate::licensing::{Outcome, Warning};
use crate::redeem::machine::{Previews, outcome_of};
use crate::redeem::{Redemption, Step, TargetOption};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// The dialog's box: most of the screen, centred.
pub fn area(screen: Rect) -> Rect {
    let w = screen.width.saturating_sub(4).min(110);
    let h = screen.height.saturating_sub(2).min(32);
    Rect {
        x: screen.x + (screen.width - w) / 2,
        y: screen.y + (screen.height - h) / 2,
        width: w,
        height: h,
    }
}

fn title_id(step: &Step) -> &'static str {
    match step {
        Step::EnterKey | Step::Committing { .. } | Step::Cancelled => "dialog.enter-key",
        Step::ChooseTarget { .. } => "dialog.choose-target",
        Step::ConfirmTenant { .. } => "dialog.confirm-tenant",
        Step::ChooseMode { .. } => "dialog.choose-mode",
        Step::Review { .. } => "dialog.review",
        Step::Receipt { .. } => "dialog.receipt",
    }
}

/// Localised live feedback on the key field.
fn key_format_text(t: &Messages, e: &KeyFormatError) -> String {
    match e {
        KeyFormatError::Empty => t.text("keyfmt.empty").to_string(),
        KeyFormatError::InvalidCharacter { ch, position } => t.fmt(
            "keyfmt.invalid-character",
            &[("ch", &ch.to_string()), ("position", &position.to_string())],
        ),
        KeyFormatError::TooShort { found } => {
            t.fmt("keyfmt.too-short", &[("found", &found.to_string())])
        }
        KeyFormatError::TooLong { found } => {
            t.fmt("keyfmt.too-long", &[("found", &found.to_string())])
        }
        KeyFormatError::MisplacedDash => t.text("keyfmt.misplaced-dash").to_string(),
    }
}

fn input(value: &str, focused: bool, theme: &Theme) -> Line<'static> {
    let mut spans = vec![
        Span::styled("> ", theme.key()),
        Span::styled(clean(value), theme.bold()),
    ];
    if focused {
        spans.push(Span::styled("_", theme.key()));
    }
    Line::from(spans)
}

fn licenses(t: &Messages, n: u32) -> String {
    t.fmt("quantity.licenses", &[("n", &n.to_string())])
}

/// The target tenant, unmistakable: its name and domain on lines of their own, bold.
fn tenant_block(t: &Messages, theme: &Theme, o: &TargetOption) -> Vec<Line<'static>> {
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

fn before_after(t: &Messages, theme: &Theme, o: &Outcome, indent: &str) -> Vec<Line<'static>> {
    let arrow = theme.arrow();
    let before_l = o
        .before
        .map(|b| b.total_licenses.to_string())
        .unwrap_or("-".into());
    let before_e = o.before.map(|b| t.date(b.end_date)).unwrap_or("-".into());
    vec![
        Line::from(vec![
            Span::styled(
                format!("{indent}{}: ", t.text("label.total-licenses")),
                theme.dim(),
            ),
            Span::raw(format!("{before_l} {arrow} ")),
            Span::styled(o.after.total_licenses.to_string(), theme.bold()),
        ]),
        Line::from(vec![
            Span::styled(
                format!("{indent}{}: ", t.text("label.end-date")),
                theme.dim(),
            ),
            Span::raw(format!("{before_e} {arrow} ")),
            Span::styled(t.date(o.after.end_date), theme.bold()),
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
    let marker = theme.expanded_marker(open);
    let mut out = vec![Line::styled(
        format!("{marker} {} (x)", t.text("label.how-calculated")),
        theme.key(),
    )];
    if open {
        out.push(Line::from(format!("  {}", i18n::explain(o, t))));
    }
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
    let mark = match (chosen, theme.ascii) {
        (true, false) => "◉",
        (false, false) => "○",
        (true, true) => "(*)",
        (false, true) => "( )",
    };
    let head_style = if chosen {
        theme.selected().add_modifier(Modifier::BOLD)
    } else {
        theme.bold()
    };
    let mut out = vec![Line::styled(format!("{mark} {}", t.mode(mode)), head_style)];
    match result {
        Ok(o) => {
            out.extend(before_after(t, theme, o, ""));
            out.extend(warnings(t, theme, o, ""));
        }
        Err(e) => out.push(Line::styled(
            format!("{} {}", theme.refused_symbol(), t.refusal(e)),
            theme.error(),
        )),
    }
    out
}

fn error_lines(app: &App, d: &Redemption, theme: &Theme) -> Vec<Line<'static>> {
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

pub fn render(app: &App, d: &Redemption, frame: &mut Frame, theme: &Theme) {
    let t = app.t;
    let a = area(frame.area());
    frame.render_widget(Clear, a);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(
            format!(
                " {} · {} ",
                t.text("dialog.redeem"),
                t.text(title_id(&d.step))
            ),
            theme.title(),
        ));
    let hints = super::key_hints(app, app.context(), theme);
    if !hints.spans.is_empty() {
        block = block.title_bottom(hints);
    }
    let inner = block.inner(a);
    frame.render_widget(block, a);
    let wrap = Wrap { trim: false };
    let mut out: Vec<Line<'static>> = Vec::new();
    match &d.step {
        Step::EnterKey => {
            if let Some(p) = &d.expected_product {
                out.push(Line::from(vec![
                    Span::styled(format!("{}: ", t.text("label.benefit")), theme.dim()),
                    Span::styled(clean(p), theme.bold()),
                ]));
                out.push(Line::from(""));
            }
            out.push(Line::from(t.text("label.enter-key").to_string()));
            out.push(input(&d.key_input, true, theme));
            match d.key_feedback() {
                None => out.push(Line::styled(t.text("keyfmt.hint").to_string(), theme.dim())),
                Some(Ok(k)) => out.push(Line::styled(
                    format!(
                        "{} {}",
                        theme.ok_symbol(),
                        t.fmt("keyfmt.ok", &[("key", &k.masked())])
                    ),
                    theme.ok(),
                )),
                Some(Err(e)) => out.push(Line::styled(
                    format!("… {}", key_format_text(t, &e)),
                    theme.warning(),
                )),
            }
            out.push(Line::from(""));
            out.push(Line::styled(
                format!("[ {} ]", t.text("label.validate")),
                theme.key(),
            ));
            out.extend(error_lines(app, d, theme));
        }
        Step::ChooseTarget { targets, selected } => {
            if let Some(k) = &d.key {
                out.push(Line::from(vec![
                    Span::styled(format!("{}: ", t.text("label.key")), theme.dim()),
                    Span::raw(format!(
                        "{} · {} · {}",
                        k.key.masked(),
                        clean(&k.product),
                        licenses(t, k.licenses)
                    )),
                ]));
            }
            out.push(Line::from(""));
            for (i, o) in targets.iter().enumerate() {
                let chosen = i == *selected;
                let pointer = if chosen { "▶ " } else { "  " };
                let pointer = if theme.ascii && chosen { "> " } else { pointer };
                let style = if chosen {
                    theme.selected()
                } else {
                    Style::default()
                };
                out.push(Line::from(vec![
                    Span::styled(pointer.to_string(), theme.key()),
                    Span::styled(
                        format!("{} — {}", clean(&o.tenant_name), clean(&o.domain)),
                        style.add_modifier(Modifier::BOLD),
                    ),
                ]));
                let sub = match (&o.subscription, o.current) {
                    (Some(id), Some(c)) => format!(
                        "{} · {} · {} · {} {}",
                        clean(id),
                        t.status(o.status),
                        licenses(t, c.total_licenses),
                        t.text("label.end-date"),
                        t.date(c.end_date)
                    ),
                    (Some(id), None) => format!("{} · {}", clean(id), t.status(o.status)),
                    (None, _) => format!("+ {}", t.text("label.new-subscription")),
                };
                out.push(Line::styled(format!("    {sub}"), theme.dim()));
            }
            out.extend(error_lines(app, d, theme));
        }
        Step::ConfirmTenant(c) => {
            let (o, typed) = (c.target(), &c.typed);
            out.extend(tenant_block(t, theme, o));
            out.push(Line::from(""));
            out.push(Line::from(
                t.fmt("dialog.type-domain", &[("domain", &clean(&o.domain))]),
            ));
            out.push(input(typed, true, theme));
            if !typed.is_empty() {
                let ok = typed.trim().eq_ignore_ascii_case(&o.domain);
                out.push(if ok {
                    Line::styled(
                        format!("{} {}", theme.ok_symbol(), t.text("dialog.domain-matches")),
                        theme.ok(),
                    )
                } else {
                    Line::styled(
                        format!("… {}", t.text("dialog.domain-differs")),
                        theme.warning(),
                    )
                });
            }
            out.extend(error_lines(app, d, theme));
        }
        Step::ChooseMode(m) => {
            render_modes(
                app,
                d,
                frame,
                inner,
                theme,
                (m.choice.target(), &m.previews, m.mode, m.explain),
            );
            return;
        }
        Step::Review(m) => {
            let (previews, mode, explain) = (&m.previews, &m.mode, &m.explain);
            out.extend(tenant_block(t, theme, m.choice.target()));
            out.push(Line::from(""));
            out.push(Line::styled(
                t.text("label.review-order-details").to_string(),
                theme.header(),
            ));
            out.push(Line::styled(t.mode(*mode).to_string(), theme.title()));
            if let Ok(o) = outcome_of(previews, *mode) {
                out.extend(before_after(t, theme, o, "  "));
                out.extend(warnings(t, theme, o, "  "));
                out.extend(explanation(t, theme, o, *explain));
            }
            out.push(Line::from(""));
            out.push(Line::styled(
                format!("[ {} ]", t.text("label.redeem")),
                theme.selected().add_modifier(Modifier::BOLD),
            ));
            out.push(Line::styled(
                t.text("dialog.nothing-written").to_string(),
                theme.dim(),
            ));
            out.extend(error_lines(app, d, theme));
        }
        Step::Committing { .. } => {
            out.push(Line::from(t.text("dialog.committing").to_string()));
        }
        Step::Receipt { entry } => {
            if let Entry::Redemption {
                key_masked,
                tenant,
                after,
                before,
                target,
                mode,
                date,
                ..
            } = entry
            {
                out.push(Line::styled(
                    format!("{} {}", theme.ok_symbol(), t.text("dialog.redeemed")),
                    theme.ok().add_modifier(Modifier::BOLD),
                ));
                out.push(Line::from(""));
                let sub = match target {
                    Target::Existing { subscription } | Target::New { subscription, .. } => {
                        subscription.clone()
                    }
                };
                let tenant_label = app
                    .portfolio
                    .tenant(tenant)
                    .map(|x| format!("{} ({})", x.name, x.domain))
                    .unwrap_or_else(|| tenant.clone());
                let rows = [
                    (t.text("label.key"), key_masked.clone()),
                    (t.text("label.tenant"), tenant_label),
                    (t.text("label.subscription"), sub),
                    (t.text("label.mode"), t.mode(*mode).to_string()),
                    (t.text("label.date"), t.date(*date)),
                ];
                for (label, value) in rows {
                    out.push(Line::from(vec![
                        Span::styled(format!("{label}: "), theme.dim()),
                        Span::raw(clean(&value)),
                    ]));
                }
                let o = Outcome {
                    mode: *mode,
                    before: *before,
                    after: *after,
                    warnings: Vec::new(),
                    explanation: crate::licensing::Explanation::Activate {
                        key_licenses: 0,
                        today: *date,
                    },
                };
                out.extend(before_after(t, theme, &o, ""));
            }
        }
        Step::Cancelled => {}
    }
    frame.render_widget(Paragraph::new(out).wrap(wrap), inner);
}

/// Every mode side by side (stacked when narrow), the chosen one highlighted, then the
/// explanation of the chosen one.
fn render_modes(
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
    let [top, cols_area, bottom] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Min(6),
        Constraint::Length(4),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), top);
    let n = previews.len().max(1) as u32;
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
    foot.extend(error_lines(app, d, theme));
    frame.render_widget(Paragraph::new(foot).wrap(Wrap { trim: false }), bottom);
}
