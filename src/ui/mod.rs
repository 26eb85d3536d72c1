//! Rendering: state in, cells out. Nothing here changes the app. One module per page and
//! dialog; `theme` holds the palette and symbols.

pub mod activation;
pub mod credit;
pub mod details;
pub mod dialog;
pub mod help;
pub mod pages;
pub mod text;
pub mod theme;
pub mod timeline;
pub mod wizard;

use crate::app::keymap::{self, Context};
use crate::app::{App, LINES_ABOVE_ROWS, LINES_BELOW_ROWS, Notice, Page, QuickFilter};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use text::clean;
pub use theme::Theme;
use unicode_width::UnicodeWidthStr;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

pub fn render(app: &App, frame: &mut Frame, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = app.t.fmt(
            "label.too-small",
            &[
                ("w", &area.width.to_string()),
                ("h", &area.height.to_string()),
                ("min_w", &MIN_WIDTH.to_string()),
                ("min_h", &MIN_HEIGHT.to_string()),
            ],
        );
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let row = |y: u16, h: u16| Rect {
        x: area.x,
        y: area.y + y,
        width: area.width,
        height: h,
    };
    frame.render_widget(Paragraph::new(header(app, theme)), row(0, 1));
    frame.render_widget(Paragraph::new(tabs(app, theme)), row(1, 1));
    // Column titles plus the rows' window (the app computed its offset for this height).
    let body_h = area.height - (LINES_ABOVE_ROWS - 1) - LINES_BELOW_ROWS;
    let body = pages::lines(app, usize::from(area.width), usize::from(body_h), theme);
    frame.render_widget(Paragraph::new(body), row(LINES_ABOVE_ROWS - 1, body_h));
    frame.render_widget(
        Paragraph::new(status_line(app, theme)),
        row(area.height - 2, 1),
    );
    frame.render_widget(Paragraph::new(footer(app, theme)), row(area.height - 1, 1));
    if let Some(tl) = &app.timeline {
        timeline::render(app, tl, frame, theme);
    }
    if let Some(w) = &app.wizard {
        wizard::render(app, w, frame, theme);
    }
    if let Some(d) = &app.dialog {
        dialog::render(app, d, frame, theme);
    }
    if let Some(d) = &app.activation {
        activation::render(app, d, frame, theme);
    }
    if let Some(d) = &app.credit {
        credit::render(app, d, frame, theme);
    }
    if app.help {
        help::render(app, frame, theme);
    }
    if app.confirm_quit {
        let w = area.width.saturating_sub(8).min(60);
        let a = Rect {
            x: area.x + (area.width - w) / 2,
            y: area.y + area.height / 2 - 2,
            width: w,
            height: 4,
        };
        frame.render_widget(Clear, a);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_set(theme.border())
            .border_style(theme.warning());
        let lines = vec![
            Line::styled(app.t.text("label.confirm-quit").to_string(), theme.bold()),
            key_hints(app, Context::ConfirmQuit, theme),
        ];
        frame.render_widget(Paragraph::new(lines).block(block), a);
    }
}

fn header(app: &App, theme: &Theme) -> Line<'static> {
    let t = app.t;
    let o = &app.portfolio.catalog.organization;
    let role_id = format!("role.{}", app.user.role.as_str());
    let mut role = t.text(&role_id).to_string();
    if !app.user.role.may_redeem() && app.user.role != crate::domain::Role::ReadOnly {
        role.push_str(&format!(" · {}", t.text("label.read-only")));
    }
    // Narrow terminals drop the labels, keeping every value.
    let wide = app.width >= 100;
    let id = if wide {
        format!(" · {} {}", t.text("label.partner-id"), clean(&o.partner_id))
    } else {
        format!(" · {}", clean(&o.partner_id))
    };
    let today = if wide {
        format!(" · {} {}", t.text("label.today"), t.date(app.today))
    } else {
        format!(" · {}", t.date(app.today))
    };
    Line::from(vec![
        Span::styled(clean(&o.name), theme.title()),
        Span::styled(id, theme.dim()),
        Span::raw(format!(" · {} ({role})", clean(&app.user.name))),
        Span::styled(today, theme.dim()),
    ])
}

fn tabs(app: &App, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, p) in Page::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, app.t.text(p.title_id()));
        let style = if *p == app.page {
            theme.selected().add_modifier(Modifier::BOLD)
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    let attention = app.attention_count();
    if attention > 0 {
        spans.push(Span::styled(
            format!(
                " {} {}",
                theme.attention_symbol(),
                app.t.fmt(
                    if app.width >= 100 {
                        "label.attention"
                    } else {
                        "label.attention-short"
                    },
                    &[("n", &attention.to_string())]
                )
            ),
            theme.due_soon(),
        ));
    }
    Line::from(spans)
}

/// One notice as a line: refusals and store failures in the error style, hints as warnings.
pub(crate) fn notice_line(app: &App, notice: &Notice, theme: &Theme) -> Line<'static> {
    let t = app.t;
    match notice {
        Notice::Refused(r) => Line::styled(
            format!("{} {}", theme.refused_symbol(), t.refusal(r)),
            theme.error(),
        ),
        Notice::StoreFailed(e) => Line::styled(
            format!("{} {}", theme.refused_symbol(), clean(e)),
            theme.error(),
        ),
        Notice::Info(id) => Line::styled(format!("! {}", t.text(id)), theme.warning()),
    }
}

fn status_line(app: &App, theme: &Theme) -> Line<'static> {
    let t = app.t;
    if let Some(n) = &app.notice {
        return notice_line(app, n, theme);
    }
    let mut spans = Vec::new();
    if app.filter_focus || !app.filter.is_empty() {
        spans.push(Span::styled(
            format!("{}: ", t.text("label.filter")),
            theme.key(),
        ));
        spans.push(Span::styled(clean(&app.filter), theme.bold()));
        if app.filter_focus {
            spans.push(Span::styled("_", theme.key()));
        }
        spans.push(Span::raw("  "));
    }
    if app.quick != QuickFilter::All {
        spans.push(Span::styled(
            format!("[{}] ", t.text(app.quick.label_id())),
            theme.key(),
        ));
    }
    let shown = app.table().rows.len();
    let mut info = t.fmt("label.rows", &[("n", &shown.to_string())]);
    if app.page != Page::History {
        info.push_str(&format!(
            " · {}: {}",
            t.text("label.sort"),
            t.text(app.sort.label_id())
        ));
    }
    spans.push(Span::styled(info, theme.dim()));
    Line::from(spans)
}

/// "key description" pairs for the bindings of `ctx` marked for the footer, as many as fit
/// the terminal's width; "? help" always stays, since the overlay lists the rest.
pub fn key_hints(app: &App, ctx: Context, theme: &Theme) -> Line<'static> {
    let width = usize::from(app.width);
    let entries: Vec<(String, String)> = keymap::grouped(ctx, true)
        .into_iter()
        .map(|(label, help)| (label, app.t.text(help).to_string()))
        .collect();
    let len = |(l, h): &(String, String)| l.width() + 1 + h.width() + 2;
    let kept = [app.t.text("key.help"), app.t.text("key.quit")];
    let reserved: usize = entries
        .iter()
        .filter(|(_, h)| kept.contains(&h.as_str()))
        .map(len)
        .sum();
    let mut used = reserved;
    let mut spans = Vec::new();
    for e in &entries {
        let is_help = kept.contains(&e.1.as_str());
        if !is_help {
            if used + len(e) > width {
                continue;
            }
            used += len(e);
        }
        spans.push(Span::styled(e.0.clone(), theme.key()));
        spans.push(Span::raw(format!(" {}  ", e.1)));
    }
    Line::from(spans)
}

fn footer(app: &App, theme: &Theme) -> Line<'static> {
    key_hints(app, app.context(), theme)
}
