//! The software activation dialog: key, machine name, kind of change, OS, and the live
//! preview of activations used / allowed with the refusal reason; then the review of
//! activations used before → after, confirmed with Enter.

use super::text::clean;
use super::theme::Theme;
use crate::app::App;
use crate::domain::{Entry, Refusal};
use crate::redeem::{ActivationDialog, ActivationField, ActivationStep};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// A small box, centred.
pub fn area(screen: Rect, height: u16) -> Rect {
    let w = screen.width.saturating_sub(4).min(72);
    let h = screen.height.saturating_sub(2).min(height);
    Rect {
        x: screen.x + (screen.width - w) / 2,
        y: screen.y + (screen.height - h) / 2,
        width: w,
        height: h,
    }
}

fn field<'a>(label: String, value: String, focused: bool, theme: &Theme) -> Line<'a> {
    let marker = if focused { "> " } else { "  " };
    let style = if focused {
        theme.selected()
    } else {
        ratatui::style::Style::default()
    };
    Line::from(vec![
        Span::styled(marker.to_string(), theme.key()),
        Span::styled(format!("{label}: "), theme.bold()),
        Span::styled(value, style),
    ])
}

/// A refusal, in the dialog.
pub(super) fn refusal_line(app: &App, r: &Refusal, theme: &Theme) -> Line<'static> {
    Line::styled(
        format!("{} {}", theme.refused_symbol(), app.t.refusal(r)),
        theme.error(),
    )
}

pub fn render(app: &App, d: &ActivationDialog, frame: &mut Frame, theme: &Theme) {
    let t = app.t;
    let ctx = app.ctx();
    let b = app.portfolio.software(d.benefit);
    let rect = area(frame.area(), 16);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(
            format!(" {} ", t.text("activation.title")),
            theme.title(),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    let mut lines = vec![Line::styled(clean(&b.product), theme.bold()), Line::raw("")];
    let key_text = b
        .keys
        .get(d.key)
        .map(|k| {
            if b.keys.len() > 1 {
                format!(
                    "◂ {} ▸ ({}/{})",
                    super::details::key_text(app, &k.key),
                    d.key + 1,
                    b.keys.len()
                )
            } else {
                super::details::key_text(app, &k.key)
            }
        })
        .unwrap_or_default();
    let editing = matches!(d.step, ActivationStep::Edit);
    // The marker follows the machine's focus, the one field typing goes into.
    let focused = |f: ActivationField| editing && d.focus == f;
    lines.push(field(
        t.text("activation.key").to_string(),
        key_text,
        focused(ActivationField::Key),
        theme,
    ));
    let cursor = if focused(ActivationField::Machine) {
        "_"
    } else {
        ""
    };
    lines.push(field(
        t.text("activation.machine").to_string(),
        format!("{}{cursor}", clean(&d.machine)),
        focused(ActivationField::Machine),
        theme,
    ));
    lines.push(field(
        t.text("activation.change").to_string(),
        format!("◂ {} ▸", t.change(d.change)),
        focused(ActivationField::Change),
        theme,
    ));
    lines.push(field(
        t.text("activation.os").to_string(),
        format!("◂ {} ▸", t.os(d.os)),
        focused(ActivationField::Os),
        theme,
    ));
    lines.push(Line::raw(""));
    match &d.step {
        ActivationStep::Edit => {
            if let Some(p) = d.preview(ctx) {
                lines.push(counts(app, p.used, p.after(), p.allowed));
                match (&d.error, &p.plan) {
                    (Some(r), _) | (None, Err(r)) => lines.push(refusal_line(app, r, theme)),
                    (None, Ok(_)) => lines.push(Line::styled(
                        format!("{} {}", theme.ok_symbol(), t.text("activation.ready")),
                        theme.ok(),
                    )),
                }
            }
        }
        ActivationStep::Review { entry } | ActivationStep::Committing { entry, .. } => {
            if let Entry::Activation {
                used_before,
                used_after,
                allowed,
                ..
            } = entry
            {
                lines.push(Line::styled(t.text("activation.review"), theme.bold()));
                lines.push(counts(app, *used_before, Some(*used_after), *allowed));
            }
            if let Some(r) = &d.error {
                lines.push(refusal_line(app, r, theme));
            }
            lines.push(if d.is_committing() {
                Line::styled(t.text("activation.committing"), theme.dim())
            } else {
                confirm_line(app, "activation.confirm", theme)
            });
        }
        ActivationStep::Done { .. } | ActivationStep::Cancelled => {}
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// What Enter on a review does (`id`): for a read-only user, nothing but the refusal, so
/// the review says it is a preview, with the badge the header shows.
pub(super) fn confirm_line(app: &App, id: &str, theme: &Theme) -> Line<'static> {
    let t = app.t;
    if app.user.role.may_redeem() {
        return Line::styled(t.text(id).to_string(), theme.ok());
    }
    Line::from(vec![
        Span::styled(format!("[{}] ", t.text("label.read-only")), theme.warning()),
        Span::raw(t.text("label.preview-only").to_string()),
    ])
}

/// "Activations used: 3 → 4 of 10", or "10 of 10" when nothing would be added.
fn counts(app: &App, used: u32, after: Option<u32>, allowed: u32) -> Line<'static> {
    let (used, allowed) = (used.to_string(), allowed.to_string());
    Line::raw(match after {
        Some(after) => app.t.fmt(
            "activation.counts",
            &[
                ("used", &used),
                ("after", &after.to_string()),
                ("allowed", &allowed),
            ],
        ),
        None => app
            .t
            .fmt("activation.used", &[("used", &used), ("allowed", &allowed)]),
    })
}
