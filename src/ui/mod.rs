//! Rendering: state in, cells out. Nothing here changes the app. One module per page and
//! dialog; `theme` holds the palette and symbols.

pub mod activation;
pub mod columns;
pub mod consumption;
pub mod credit;
pub mod details;
pub mod dialog;
mod grid;
pub mod help;
pub mod history;
pub mod pages;
pub mod palette;
pub mod reconcile;
mod review;
pub mod text;
pub mod theme;
pub mod timeline;
pub mod wizard;

use crate::app::layout::{Area, Hit, Layout, Spot};
use crate::app::{App, Command, Context, Layer, Notice, Page, QuickFilter};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout as Split, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs, Wrap};
use text::clean;
pub use theme::Theme;
use unicode_width::UnicodeWidthStr;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Where one layer's clickable parts go in the layout being recorded.
pub struct Hits<'a> {
    layout: &'a mut Layout,
    depth: usize,
}

impl Hits<'_> {
    pub(crate) fn add(&mut self, rect: Rect, spot: Spot) {
        self.layout.hits.push(Hit {
            area: Area {
                x: rect.x,
                y: rect.y,
                width: rect.width,
                height: rect.height,
            },
            depth: self.depth,
            spot,
        });
    }
}

/// The lines of `out` so far, wrapped at `width`: the row the next line starts on.
fn rows_before(out: &[Line<'static>], width: u16) -> u16 {
    let wrapped = Paragraph::new(out.to_vec()).wrap(Wrap { trim: false });
    wrapped.line_count(width) as u16
}

/// A button line: drawn in the flow of `out`, clickable where it lands.
pub(crate) fn button(
    out: &mut Vec<Line<'static>>,
    line: Line<'static>,
    inner: Rect,
    hits: &mut Hits<'_>,
    command: Command,
) {
    let y = inner.y.saturating_add(rows_before(out, inner.width));
    if y < inner.y + inner.height {
        let width = (line.width() as u16).min(inner.width);
        hits.add(
            Rect {
                y,
                height: 1,
                width,
                ..inner
            },
            Spot::Command(command),
        );
    }
    out.push(line);
}

/// Draw the page, then every layer above it, bottom first; report what was drawn.
pub fn render(app: &App, frame: &mut Frame, theme: &Theme) -> Layout {
    let mut layout = Layout::default();
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
        return layout;
    }
    // A notice takes the lines it needs (up to three), so a refusal is never cut.
    let status_lines = status_lines(app, area.width, theme);
    let [head, tab_row, body, status, foot] = Split::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(status_lines.len() as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(header(app, head.width, theme)), head);
    let mut page = Hits {
        layout: &mut layout,
        depth: 0,
    };
    tabs(app, frame, tab_row, theme, &mut page);
    let table = pages::render(app, frame, body, theme, &mut page);
    layout.table = Some(table);
    frame.render_widget(Paragraph::new(status_lines), status);
    let top = app.context();
    frame.render_widget(Paragraph::new(key_hints(app, top, area.width, theme)), foot);
    for (i, layer) in app.layers.iter().enumerate() {
        let mut hits = Hits {
            layout: &mut layout,
            depth: i + 1,
        };
        match layer {
            // The page draws what these change (the filter text, the key line).
            Layer::Filter | Layer::KeyLines(_) => {}
            Layer::Timeline(tl) => {
                let window = timeline::render(app, tl, frame, theme);
                hits.layout.timeline = Some(window);
            }
            Layer::Wizard(w) => wizard::render(app, w, layer.context(), frame, theme, &mut hits),
            Layer::Redeem(d) => dialog::render(app, d, layer.context(), frame, theme, &mut hits),
            Layer::Activation(d) => activation::render(app, d, frame, theme),
            Layer::Credit(d) => credit::render(app, d, frame, theme),
            Layer::Help(h) => hits.layout.help = help::render(app, h, frame, theme),
            Layer::ConfirmQuit => confirm_quit(app, frame, theme),
            Layer::Palette(p) => palette::render(app, p, frame, theme),
        }
    }
    layout
}

fn confirm_quit(app: &App, frame: &mut Frame, theme: &Theme) {
    let area = frame.area();
    let w = area.width.saturating_sub(8).min(60);
    // The question wraps inside the box: it is never cut.
    let question = Line::styled(app.t.text("label.confirm-quit").to_string(), theme.bold());
    let asked = text::wrap_line(&question, usize::from(w.saturating_sub(2)), 0);
    let height = (asked.len() as u16 + 3).min(area.height);
    let a = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - height) / 2,
        width: w,
        height,
    };
    frame.render_widget(Clear, a);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .border_style(theme.warning());
    let mut lines = asked;
    lines.push(key_hints(
        app,
        Context::ConfirmQuit,
        w.saturating_sub(2),
        theme,
    ));
    frame.render_widget(Paragraph::new(lines).block(block), a);
}

/// Organization, partner id, user and role, a read-only badge when the user may not
/// write, and today's date. What does not fit is taken from the names, never the date.
fn header(app: &App, width: u16, theme: &Theme) -> Line<'static> {
    let t = app.t;
    let o = &app.portfolio.catalog.organization;
    let role = t
        .text(&format!("role.{}", app.user.role.as_str()))
        .to_string();
    // Narrow terminals drop the labels, keeping every value.
    let wide = width >= 100;
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
    let badge = (!app.user.role.may_redeem()).then(|| format!(" [{}]", t.text("label.read-only")));
    // A read-only role is said once, by the badge.
    let role = if app.user.role == crate::domain::Role::ReadOnly {
        String::new()
    } else {
        format!(" ({role})")
    };
    let mut org = clean(&o.name);
    let mut user = clean(&app.user.name);
    let fixed = id.width()
        + today.width()
        + badge.as_ref().map_or(0, |b| b.width())
        + format!(" · {role}").width();
    let room = usize::from(width).saturating_sub(fixed);
    if org.width() + user.width() > room {
        // The user's name gives way first (down to 8 cells), then the organization's.
        let user_w = room.saturating_sub(org.width()).max(8.min(user.width()));
        user = text::fit(&user, user_w).trim_end().to_string();
        org = text::fit(&org, room.saturating_sub(user.width()))
            .trim_end()
            .to_string();
    }
    let mut spans = vec![
        Span::styled(org, theme.title()),
        Span::styled(id, theme.dim()),
        Span::raw(format!(" · {user}{role}")),
    ];
    if let Some(b) = badge {
        spans.push(Span::styled(b, theme.warning()));
    }
    spans.push(Span::styled(today, theme.dim()));
    Line::from(spans)
}

/// The tabs' labels: the pages' names when they fit the row (with room for the attention
/// count, "! 2"), else their short names, else the number alone beside the page shown.
fn tab_labels(app: &App, width: u16) -> Vec<String> {
    let t = app.t;
    let label = |i: usize, id: &str| format!(" {} {} ", i + 1, t.text(id));
    let full: Vec<String> = (Page::ALL.iter().enumerate())
        .map(|(i, p)| label(i, p.title_id()))
        .collect();
    let short: Vec<String> = (Page::ALL.iter().enumerate())
        .map(|(i, p)| label(i, p.short_title_id()))
        .collect();
    let bare: Vec<String> = (Page::ALL.iter().enumerate())
        .map(|(i, p)| {
            if *p == app.page {
                short[i].clone()
            } else {
                format!(" {} ", i + 1)
            }
        })
        .collect();
    // The count in words (" ! 2 need attention"), or alone (" ! 2").
    let (words, count) = match app.attention_count() {
        0 => (0, 0),
        n => {
            let n = n.to_string();
            let words = t.fmt("label.attention-short", &[("n", &n)]).width() + 3;
            (words, n.len() + 3)
        }
    };
    let fits = |labels: &[String], attention: usize| {
        labels.iter().map(|l| l.width() + 1).sum::<usize>() + attention <= usize::from(width)
    };
    // The count's words go before the pages' long names.
    let tries = [
        (&full, words),
        (&short, words),
        (&full, count),
        (&short, count),
    ];
    (tries.into_iter())
        .find(|(labels, attention)| fits(labels, *attention))
        .map_or(bare, |(labels, _)| labels.clone())
}

/// The page tabs (ratatui's `Tabs`, each tab clickable), then the attention count.
fn tabs(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut Hits<'_>) {
    let mut titles = Vec::new();
    let mut x = area.x;
    let labels = tab_labels(app, area.width);
    for (p, label) in Page::ALL.iter().zip(labels) {
        let width = label.width() as u16;
        let style = if *p == app.page {
            Style::default()
        } else {
            theme.dim()
        };
        hits.add(
            Rect {
                x,
                width: width.min((area.x + area.width).saturating_sub(x)),
                ..area
            },
            Spot::Tab(*p),
        );
        // One cell of divider between tabs.
        x = x.saturating_add(width + 1);
        titles.push(Line::styled(label, style));
    }
    let tabs = Tabs::new(titles)
        .select(app.page.index())
        .highlight_style(theme.selected().add_modifier(Modifier::BOLD))
        .divider(" ")
        .padding("", "");
    frame.render_widget(tabs, area);
    let attention = app.attention_count();
    let used = x.saturating_sub(area.x + 1);
    if attention > 0 && used < area.width {
        // The long form when it fits in what the tabs leave.
        let room = usize::from(area.width - used).saturating_sub(1);
        let n = [("n", attention.to_string())];
        let n: Vec<(&str, &str)> = n.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let long = format!(
            " {} {}",
            theme.attention_symbol(),
            app.t.fmt("label.attention", &n)
        );
        let short = format!(
            " {} {}",
            theme.attention_symbol(),
            app.t.fmt("label.attention-short", &n)
        );
        // The count alone beside the flag the rows carry, when the words do not fit.
        let text = [long, short]
            .into_iter()
            .find(|s| s.width() <= room)
            .unwrap_or_else(|| format!(" {} {attention}", theme.attention_symbol()));
        let rest = Rect {
            x: area.x + used,
            width: area.width - used,
            ..area
        };
        // After the space that follows the last tab.
        let line = Line::from(vec![Span::raw(" "), Span::styled(text, theme.due_soon())]);
        frame.render_widget(Paragraph::new(line), rest);
    }
}

/// One notice as a line: refusals and store failures in the error style, hints as warnings.
pub(crate) fn notice_line(app: &App, notice: &Notice, theme: &Theme) -> Line<'static> {
    let t = app.t;
    match notice {
        Notice::Refused(r) => Line::styled(
            format!("{} {}", theme.refused_symbol(), t.refusal(r)),
            theme.error(),
        ),
        Notice::StoreFailed(e) | Notice::Problem(e) => Line::styled(
            format!("{} {}", theme.refused_symbol(), clean(e)),
            theme.error(),
        ),
        Notice::Info(id) => Line::styled(format!("! {}", t.text(id)), theme.warning()),
        Notice::Done(id) => {
            Line::styled(format!("{} {}", theme.ok_symbol(), t.text(id)), theme.ok())
        }
        Notice::Copied(text) => {
            Line::styled(format!("{} {}", theme.ok_symbol(), clean(text)), theme.ok())
        }
    }
}

/// The status line, wrapped when a notice is longer than the screen is wide.
fn status_lines(app: &App, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = text::wrap_line(&status_line(app, theme), usize::from(width), 2);
    lines.truncate(3);
    lines
}

fn status_line(app: &App, theme: &Theme) -> Line<'static> {
    let t = app.t;
    if let Some(n) = &app.notice {
        return notice_line(app, n, theme);
    }
    let mut spans = Vec::new();
    let focused = app.filter_focused();
    if focused || !app.filter.is_empty() {
        spans.push(Span::styled(
            format!("{}: ", t.text("label.filter")),
            theme.key(),
        ));
        spans.push(Span::styled(clean(&app.filter), theme.bold()));
        if focused {
            spans.push(Span::styled("_", theme.key()));
        }
        spans.push(Span::raw("  "));
    }
    let quick = match app.page {
        Page::Cloud | Page::Software if app.quick != QuickFilter::All => Some(app.quick.label_id()),
        Page::Reconcile => app.reconcile.show.label_id(),
        _ => None,
    };
    if let Some(id) = quick {
        spans.push(Span::styled(format!("[{}] ", t.text(id)), theme.key()));
    }
    let shown = app.table().rows.len();
    let rows_id = if shown == 1 {
        "label.row"
    } else {
        "label.rows"
    };
    let mut info = t.fmt(rows_id, &[("n", &t.number(shown as u64))]);
    // The column the page is sorted by, and which way when that is not its own order.
    let sort = match app.page {
        Page::Cloud | Page::Software => Some((
            app.sort.label_id(app.page),
            (app.sort != crate::app::SortKey::Catalog).then_some(app.sort_descending),
        )),
        Page::Reconcile => Some((app.reconcile.order.label_id(), app.reconcile.arrow())),
        Page::Consumption => Some((app.consumption.order.label_id(), app.consumption.arrow())),
        Page::History => None,
    };
    if let Some((id, direction)) = sort {
        info.push_str(&format!(" · {}: {}", t.text("label.sort"), t.text(id)));
        if let Some(descending) = direction {
            info.push_str(&format!(" {}", pages::sort_glyph(descending, theme)));
        }
    }
    spans.push(Span::styled(info, theme.dim()));
    Line::from(spans)
}

/// "key description" pairs for the bindings of `ctx` marked for the footer, as many as fit
/// `width`, in the keymap's order; help and quit always stay, since the overlay lists the
/// rest. Short of room, what acts (redeem, activate, confirm …) gets the room before what
/// moves (a Dutch footer at 80 columns had no room left for "r inwisselen").
pub fn key_hints(app: &App, ctx: Context, width: u16, theme: &Theme) -> Line<'static> {
    let width = usize::from(width);
    let entries: Vec<(String, String, bool, bool)> = app
        .keymap
        .hints(ctx, true)
        .into_iter()
        .filter(|h| app.offers(ctx, h.command))
        .map(|h| {
            let pinned = matches!(h.command, Command::Help | Command::Quit);
            let help = app.footer_text(ctx, h.command, h.help);
            // The quit question answers to the language's own yes letter.
            let label = match (ctx, h.command) {
                (Context::ConfirmQuit, Command::Yes) => app.t.text("key.yes-letter").to_string(),
                _ => h.label,
            };
            (
                label,
                app.t.text(help).to_string(),
                pinned,
                h.command.moves(),
            )
        })
        .collect();
    let len = |(l, h, ..): &(String, String, bool, bool)| l.width() + 1 + h.width() + 2;
    let mut used: usize = entries.iter().filter(|e| e.2).map(len).sum();
    let mut shown: Vec<bool> = entries.iter().map(|e| e.2).collect();
    for moves in [false, true] {
        for (i, e) in entries.iter().enumerate() {
            if !e.2 && e.3 == moves && used + len(e) <= width {
                used += len(e);
                shown[i] = true;
            }
        }
    }
    let mut spans = Vec::new();
    for (e, _) in entries.iter().zip(&shown).filter(|(_, s)| **s) {
        spans.push(Span::styled(e.0.clone(), theme.key()));
        spans.push(Span::raw(format!(" {}  ", e.1)));
    }
    Line::from(spans)
}
