//! The "Redeem product key" dialog, one view per step of the redemption machine.

mod keyless;

use super::review::{before_after, error_lines, licenses, render_modes, review, tenant_block};
use super::text::clean;
use super::theme::Theme;
use super::{Hits, button};
use crate::app::{App, Command, Context};
use crate::domain::{Entry, KeyFormatError, Param};
use crate::i18n::Messages;
use crate::redeem::machine::Reviewed;
use crate::redeem::{Redemption, Step};
use ratatui::Frame;
use ratatui::layout::Rect;
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
        Step::EnterKey | Step::Cancelled => "dialog.enter-key",
        // The review being written.
        Step::Committing { .. } => "dialog.review",
        Step::ChooseTarget { .. } => "dialog.choose-target",
        Step::ConfirmTenant { .. } => "dialog.confirm-tenant",
        Step::ChooseMode { .. } => "dialog.choose-mode",
        Step::Review { .. } | Step::KeylessReview(_) => "dialog.review",
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

pub fn render(
    app: &App,
    d: &Redemption,
    ctx: Context,
    frame: &mut Frame,
    theme: &Theme,
    hits: &mut Hits<'_>,
) {
    let t = app.t;
    let a = area(frame.area());
    frame.render_widget(Clear, a);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(
            format!(
                " {} · {} ",
                t.text(if d.keyless {
                    "label.keyless"
                } else {
                    "dialog.redeem"
                }),
                t.text(title_id(&d.step))
            ),
            theme.title(),
        ));
    // The hints go in the box's bottom border, between its corners; each hint's two
    // trailing spaces count in `key_hints`, and the last one's may fall under a corner.
    let hints = super::key_hints(app, ctx, a.width, theme);
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
            if let Some(r) = &d.expired {
                let date = r.param(Param::Date).map(|v| t.value(v)).unwrap_or_default();
                out.push(Line::styled(
                    format!(
                        "{} {}",
                        theme.refused_symbol(),
                        t.fmt("dialog.benefit-expired", &[("date", &date)])
                    ),
                    theme.error(),
                ));
                frame.render_widget(Paragraph::new(out).wrap(wrap), inner);
                return;
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
            let validate = Line::styled(format!("[ {} ]", t.text("label.validate")), theme.key());
            button(&mut out, validate, inner, hits, Command::Confirm);
            keyless::offer_lines(app, d, theme, inner, hits, &mut out);
            out.extend(error_lines(app, d, theme));
        }
        Step::ChooseTarget { targets, selected } => {
            if d.keyless {
                out.extend(keyless::heading(app, d, theme));
            }
            if let Some(k) = &d.key {
                out.push(Line::from(vec![
                    Span::styled(format!("{}: ", t.text("label.key")), theme.dim()),
                    Span::raw(format!(
                        "{} · {} · {}",
                        super::details::key_text(app, &k.key),
                        clean(&k.product),
                        licenses(t, k.licenses)
                    )),
                ]));
            }
            out.push(Line::from(""));
            for (i, o) in targets.iter().enumerate() {
                let chosen = i == *selected;
                let pointer = if chosen { theme.pointer() } else { "  " };
                let style = if chosen {
                    theme.selected()
                } else {
                    Style::default()
                };
                let mut spans = vec![
                    Span::styled(pointer.to_string(), theme.key()),
                    Span::styled(
                        format!("{} — {}", clean(&o.tenant_name), clean(&o.domain)),
                        style.add_modifier(Modifier::BOLD),
                    ),
                ];
                if d.keyless {
                    spans.extend(keyless::tenant_mark(app, o, theme));
                }
                out.push(Line::from(spans));
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
            review(t, theme, m, &mut out);
            let redeem = Line::styled(
                format!("[ {} ]", t.text("label.redeem")),
                theme.selected().add_modifier(Modifier::BOLD),
            );
            button(&mut out, redeem, inner, hits, Command::Confirm);
            out.push(Line::styled(
                t.text("dialog.nothing-written").to_string(),
                theme.dim(),
            ));
            out.extend(error_lines(app, d, theme));
        }
        Step::KeylessReview(k) => {
            keyless::review(app, d, (k, false), theme, (inner, hits), &mut out);
        }
        Step::Committing { review: r, .. } => {
            match r {
                Reviewed::Modes(m) => review(t, theme, m, &mut out),
                Reviewed::Keyless(k) => {
                    keyless::review(app, d, (k, true), theme, (inner, hits), &mut out)
                }
            }
            out.push(Line::styled(
                t.text("dialog.committing").to_string(),
                theme.bold(),
            ));
            if app.ledger_busy {
                out.push(Line::styled(
                    t.text("dialog.ledger-busy").to_string(),
                    theme.warning(),
                ));
            }
        }
        Step::Receipt { entry } => match entry {
            Entry::Redemption {
                key_masked,
                tenant,
                after,
                before,
                target,
                mode,
                date,
                ..
            } => {
                out.push(Line::styled(
                    format!("{} {}", theme.ok_symbol(), t.text("dialog.redeemed")),
                    theme.ok().add_modifier(Modifier::BOLD),
                ));
                out.push(Line::from(""));
                let rows = [
                    (t.text("label.key"), key_masked.clone()),
                    (t.text("label.tenant"), tenant_label(app, tenant)),
                    (
                        t.text("label.subscription"),
                        target.subscription_id().to_string(),
                    ),
                    (t.text("label.mode"), t.mode(*mode).to_string()),
                    (t.text("label.date"), t.date(*date)),
                ];
                out.extend(receipt_rows(theme, rows));
                out.extend(before_after(t, theme, (*before, *after), ""));
            }
            entry => keyless::receipt(app, entry, theme, &mut out),
        },
        Step::Cancelled => {}
    }
    frame.render_widget(Paragraph::new(out).wrap(wrap), inner);
}

/// A tenant by name and domain, as a receipt names it.
fn tenant_label(app: &App, tenant: &str) -> String {
    app.portfolio
        .tenant(tenant)
        .map(|x| format!("{} ({})", x.name, x.domain))
        .unwrap_or_else(|| tenant.to_string())
}

/// A receipt's "label: value" lines.
fn receipt_rows<'a>(
    theme: &Theme,
    rows: impl IntoIterator<Item = (&'a str, String)>,
) -> Vec<Line<'static>> {
    rows.into_iter()
        .map(|(label, value)| {
            Line::from(vec![
                Span::styled(format!("{label}: "), theme.dim()),
                Span::raw(clean(&value)),
            ])
        })
        .collect()
}
