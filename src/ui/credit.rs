//! The Azure credit dialog: Assign / Remove / Transfer, the directory to pick from, and the
//! live refusal reason; then the review of the holder before → after and the reassignments
//! used, confirmed with Enter.

use super::activation::{area, confirm_line, refusal_line};
use super::text::clean;
use super::theme::Theme;
use crate::app::App;
use crate::domain::{CreditPeriod, MAX_MONTHLY_REASSIGNMENTS};
use crate::redeem::credit::user_label;
use crate::redeem::{CreditDialog, CreditStep};
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn render(app: &App, d: &CreditDialog, frame: &mut Frame, theme: &Theme) {
    let t = app.t;
    let ctx = app.ctx();
    let b = app.portfolio.cloud(d.benefit);
    let rect = area(frame.area(), 18);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(
            format!(" {} ", t.text("credit.title")),
            theme.title(),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    let mut lines = vec![Line::styled(clean(&b.product), theme.bold())];
    let name = |email: Option<&str>| match (email, &b.credit) {
        (Some(e), Some(c)) => clean(&user_label(ctx, c, e)),
        _ => t.text("credit.unassigned").to_string(),
    };
    let holder = name(b.credit.as_ref().and_then(|c| c.assigned_to.as_deref()));
    let preview = match &d.step {
        CreditStep::Review(p) | CreditStep::Committing { preview: p, .. } => Some(p),
        _ => None,
    };
    let Some(p) = preview else {
        if let Some(c) = &b.credit {
            let tenant = app.portfolio.tenant(&c.tenant);
            let tenant = tenant.map_or_else(|| c.tenant.clone(), |t| t.name.clone());
            lines.push(Line::raw(format!(
                "{}: {}",
                t.text("label.tenant"),
                clean(&tenant)
            )));
            if c.period == CreditPeriod::Monthly {
                let used = c.reassignments_made().to_string();
                let max = MAX_MONTHLY_REASSIGNMENTS.to_string();
                lines.push(Line::raw(t.fmt(
                    "credit.reassignments-used",
                    &[("used", &used), ("max", &max)],
                )));
            }
        }
        lines.push(Line::raw(t.fmt("credit.holder", &[("user", &holder)])));
        lines.push(Line::raw(""));
        choose(app, d, &mut lines, theme);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    };
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("{} · {}", t.text("credit.review"), t.text(&d.op.label_id())),
        theme.bold(),
    ));
    lines.push(Line::raw(t.fmt(
        "credit.holder-change",
        &[
            ("before", &name(p.holder_before.as_deref())),
            ("after", &name(p.holder_after.as_deref())),
        ],
    )));
    if let Some((before, after)) = p.reassignments {
        lines.push(Line::raw(t.fmt(
            "credit.reassignments",
            &[
                ("before", &before.to_string()),
                ("after", &after.to_string()),
                ("max", &p.max.to_string()),
            ],
        )));
    }
    lines.push(Line::raw(""));
    if let Some(r) = &d.error {
        lines.push(refusal_line(app, r, theme));
    }
    lines.push(if d.is_committing() {
        Line::styled(t.text("credit.committing"), theme.dim())
    } else {
        confirm_line(app, "credit.confirm", theme)
    });
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The choice: operation, directory users, and the live refusal reason.
fn choose(app: &App, d: &CreditDialog, lines: &mut Vec<Line<'static>>, theme: &Theme) {
    let t = app.t;
    let ctx = app.ctx();
    let mut ops = Vec::new();
    for op in d.ops(ctx) {
        let label = format!(" {} ", t.text(&op.label_id()));
        ops.push(if op == d.op {
            Span::styled(format!("[{label}]"), theme.selected())
        } else {
            Span::raw(format!(" {label} "))
        });
    }
    lines.push(Line::from(ops));
    lines.push(Line::raw(""));
    if d.op.needs_user() {
        lines.push(Line::styled(t.text("credit.pick-user"), theme.bold()));
        for (i, u) in d.users(ctx).iter().enumerate() {
            let mut text = format!("{} <{}>", clean(&u.name), clean(&u.email));
            // One user holds at most one credit: say who already does, before a refusal.
            let held = (app.portfolio.catalog.cloud_benefits.iter()).find(|b| {
                (b.credit.as_ref().and_then(|c| c.assigned_to.as_deref()))
                    .is_some_and(|a| a.eq_ignore_ascii_case(&u.email))
            });
            if let Some(h) = held {
                let holds = t.fmt("credit.holds", &[("benefit", &clean(&h.product))]);
                text.push_str(&format!(" · {holds}"));
            }
            lines.push(if i == d.user {
                Line::styled(format!("> {text}"), theme.selected())
            } else {
                Line::raw(format!("  {text}"))
            });
        }
    }
    lines.push(Line::raw(""));
    match (&d.error, &d.preview(ctx)) {
        (Some(r), _) | (None, Err(r)) => lines.push(refusal_line(app, r, theme)),
        (None, Ok(_)) => lines.push(Line::styled(
            format!("{} {}", theme.ok_symbol(), t.text("credit.ready")),
            theme.ok(),
        )),
    }
}
