//! The software activation dialog: key, machine name, kind of change, OS, and the live
//! preview of activations used / allowed with the refusal reason.

use super::notice_line;
use super::text::clean;
use super::theme::Theme;
use crate::app::App;
use crate::app::activation::{ActivationDialog, ActivationField, change_id, os_id};
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
                format!("◂ {} ▸ ({}/{})", k.key.masked(), d.key + 1, b.keys.len())
            } else {
                k.key.masked()
            }
        })
        .unwrap_or_default();
    lines.push(field(
        t.text("activation.key").to_string(),
        key_text,
        d.field == ActivationField::Key,
        theme,
    ));
    let cursor = if d.field == ActivationField::Machine {
        "_"
    } else {
        ""
    };
    lines.push(field(
        t.text("activation.machine").to_string(),
        format!("{}{cursor}", clean(&d.machine)),
        d.field == ActivationField::Machine,
        theme,
    ));
    lines.push(field(
        t.text("activation.change").to_string(),
        format!("◂ {} ▸", t.text(change_id(d.change))),
        d.field == ActivationField::Change,
        theme,
    ));
    lines.push(field(
        t.text("activation.os").to_string(),
        format!("◂ {} ▸", t.text(os_id(d.os))),
        d.field == ActivationField::Os,
        theme,
    ));
    lines.push(Line::raw(""));
    if let Some(p) = d.preview(ctx) {
        lines.push(Line::raw(t.fmt(
            "activation.counts",
            &[
                ("used", &p.used.to_string()),
                ("after", &p.after.to_string()),
                ("allowed", &p.allowed.to_string()),
            ],
        )));
        match (&d.error, &p.plan) {
            (Some(n), _) => lines.push(notice_line(app, n, theme)),
            (None, Err(r)) => lines.push(Line::styled(
                format!("{} {}", theme.refused_symbol(), t.refusal(r)),
                theme.error(),
            )),
            (None, Ok(_)) if d.committing => {
                lines.push(Line::styled(t.text("activation.committing"), theme.dim()))
            }
            (None, Ok(_)) => lines.push(Line::styled(
                format!("{} {}", theme.ok_symbol(), t.text("activation.ready")),
                theme.ok(),
            )),
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
