//! The Azure credit dialog: Assign / Remove / Transfer, the directory to pick from, and the
//! live refusal reason.

use super::activation::area;
use super::notice_line;
use super::text::clean;
use super::theme::Theme;
use crate::app::App;
use crate::app::credit::{CreditDialog, CreditOp};
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
    let holder = b
        .credit
        .as_ref()
        .and_then(|c| c.assigned_to.as_deref())
        .map(clean)
        .unwrap_or_else(|| t.text("credit.unassigned").to_string());
    lines.push(Line::raw(t.fmt("credit.holder", &[("user", &holder)])));
    lines.push(Line::raw(""));
    let mut ops = Vec::new();
    for op in CreditOp::ALL {
        let label = format!(" {} ", t.text(op.label_id()));
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
            let text = format!("{} <{}>", clean(&u.name), clean(&u.email));
            lines.push(if i == d.user {
                Line::styled(format!("> {text}"), theme.selected())
            } else {
                Line::raw(format!("  {text}"))
            });
        }
    }
    lines.push(Line::raw(""));
    match (&d.error, d.request(ctx).plan(ctx)) {
        (Some(n), _) => lines.push(notice_line(app, n, theme)),
        (None, Err(r)) => lines.push(Line::styled(
            format!("{} {}", theme.refused_symbol(), t.refusal(&r)),
            theme.error(),
        )),
        (None, Ok(_)) if d.committing => {
            lines.push(Line::styled(t.text("credit.committing"), theme.dim()))
        }
        (None, Ok(_)) => lines.push(Line::styled(
            format!("{} {}", theme.ok_symbol(), t.text("credit.ready")),
            theme.ok(),
        )),
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
