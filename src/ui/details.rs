//! The "Benefit details" block under an expanded row.

use super::text::clean;
use super::theme::Theme;
use crate::app::{App, Page};
use crate::domain::ProductKey;
use crate::domain::attention::{Attention, Benefit, attention};
use crate::domain::summary::{self, RedemptionState};
use ratatui::text::{Line, Span};

const INDENT: &str = "    ";

/// A key as the signed-in user may see it: whole with the permission to view keys, else
/// masked.
pub(super) fn key_text(app: &App, k: &ProductKey) -> String {
    if app.user.may_view_keys() {
        k.formatted()
    } else {
        k.masked()
    }
}

/// The "source" line: which offer (by its catalog label) a benefit comes from.
fn source_field<'a>(app: &App, offer: &str, theme: &Theme) -> Line<'a> {
    let source = summary::source_label(&app.portfolio, offer);
    field(app.t.text("col.source"), source, theme)
}

fn field<'a>(label: &str, value: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::raw(INDENT),
        Span::styled(format!("{label}: "), theme.dim()),
        Span::raw(clean(&value)),
    ])
}

/// Detail lines of benefit `b` on `page` (none for History).
pub fn lines(app: &App, page: Page, b: usize, theme: &Theme) -> Vec<Line<'static>> {
    lines_and_keys(app, page, b, theme).0
}

/// `lines`, and which of them is a key line (line, index into the benefit's keys): a click
/// or Enter on it picks that key. The line the key cursor is on is marked and highlighted.
pub fn lines_and_keys(
    app: &App,
    page: Page,
    b: usize,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let mut keys = Vec::new();
    let t = app.t;
    let p = &app.portfolio;
    let mut out = vec![Line::from(vec![
        Span::raw(INDENT),
        Span::styled(t.text("label.benefit-details").to_string(), theme.header()),
    ])];
    let why = match page {
        Page::Cloud => attention(Benefit::Cloud(p.cloud(b)), app.today),
        _ => attention(Benefit::Software(p.software(b)), app.today),
    };
    if let Some(line) = attention_line(app, why, theme) {
        out.push(line);
    }
    match page {
        Page::Cloud => {
            let b = p.cloud(b);
            out.push(source_field(app, &b.offer, theme));
            let redemption = match summary::cloud_redemption_state(b) {
                _ if summary::cloud_benefit_expired(b, app.today) => {
                    t.text("label.benefit-expired")
                }
                RedemptionState::ReadyToRedeem => t.text("label.ready-to-redeem"),
                RedemptionState::Redeemed => t.text("label.redeemed"),
                RedemptionState::Nothing => "-",
            };
            out.push(field(
                t.text("col.redemption-status"),
                redemption.into(),
                theme,
            ));
            if let Some(rep) = &b.replaced_by {
                let name = p
                    .cloud_by_id(rep)
                    .map(|r| r.product.clone())
                    .unwrap_or_else(|| rep.clone());
                out.push(field(t.text("label.replaced-by"), name, theme));
            }
            if let Some(l) = &b.license {
                out.push(field(
                    t.text("col.status"),
                    t.status(summary::product_status(p, b, app.today)).into(),
                    theme,
                ));
                for s in p.subscriptions_of_product(&b.product) {
                    let tenant = p
                        .tenant(&s.tenant)
                        .map(|t| t.domain.clone())
                        .unwrap_or_else(|| s.tenant.clone());
                    out.push(field(
                        t.text("label.subscription"),
                        format!(
                            "{tenant} · {} · {} · {} {}{}",
                            t.status(s.status(app.today)),
                            t.fmt("quantity.licenses", &[("n", &s.licenses.to_string())]),
                            t.text("label.end-date"),
                            t.date(s.end_date),
                            crate::graph::reported(t, s)
                        ),
                        theme,
                    ));
                }
                let expired = summary::past_activate_by(b.activate_by, app.today);
                for (i, k) in l.keys.iter().enumerate() {
                    keys.push((out.len(), i));
                    let state = if k.without_key {
                        t.text("label.redeemed-without-key")
                    } else if k.redeemed {
                        t.text("label.redeemed")
                    } else if expired {
                        t.text("label.key-expired")
                    } else {
                        t.text("label.ready-to-redeem")
                    };
                    out.push(field(
                        t.text("label.key"),
                        format!(
                            "{} · {} · {state}",
                            key_text(app, &k.key),
                            t.fmt("quantity.licenses", &[("n", &k.licenses.to_string())])
                        ),
                        theme,
                    ));
                }
            }
            if let Some(c) = &b.credit {
                let period = match c.period {
                    crate::domain::CreditPeriod::Monthly => t.text("credit.monthly"),
                    crate::domain::CreditPeriod::Bulk => t.text("credit.bulk"),
                };
                let mut value = format!("{} {period}", t.usd(c.amount_usd.into()));
                if let (Some(s), Some(e)) = (c.start, c.end) {
                    value.push_str(&format!(" · {} – {}", t.date(s), t.date(e)));
                }
                out.push(field(t.text("label.credit"), value, theme));
                out.push(field(t.text("label.tenant"), c.tenant.clone(), theme));
                out.push(field(
                    t.text("label.assigned-to"),
                    c.assigned_to.clone().unwrap_or_else(|| "-".into()),
                    theme,
                ));
            }
        }
        Page::Software => {
            let b = p.software(b);
            out.push(source_field(app, &b.offer, theme));
            if b.is_cal() {
                out.push(Line::from(vec![
                    Span::raw(INDENT),
                    Span::styled(
                        t.text("label.no-further-details").to_string(),
                        theme.title(),
                    ),
                ]));
                out.push(Line::from(vec![
                    Span::raw(INDENT),
                    Span::raw(t.text("label.cal-explanation").to_string()),
                ]));
            } else {
                let needs = if b.needs_activation() {
                    t.text("label.yes")
                } else {
                    t.text("label.no")
                };
                out.push(field(t.text("label.needs-activation"), needs.into(), theme));
                for e in &b.editions {
                    out.push(field(
                        t.text("label.edition"),
                        format!(
                            "{} {} · {} · {}",
                            e.name,
                            e.version.clone().unwrap_or_default(),
                            e.languages.join(", "),
                            e.architectures.join(", ")
                        ),
                        theme,
                    ));
                }
                for (i, k) in b.keys.iter().enumerate() {
                    keys.push((out.len(), i));
                    // Nothing is counted for a product that needs no activation.
                    if !b.needs_activation() {
                        out.push(field(t.text("label.key"), key_text(app, &k.key), theme));
                        continue;
                    }
                    out.push(Line::from(vec![
                        Span::raw(INDENT),
                        Span::styled(format!("{}: ", t.text("label.key")), theme.dim()),
                        Span::raw(key_text(app, &k.key)),
                        Span::raw(" "),
                        gauge(k.activations_used, k.activations_allowed, theme),
                        Span::raw(format!(
                            " {}",
                            t.fmt(
                                "label.activations-used",
                                &[
                                    ("used", &k.activations_used.to_string()),
                                    ("allowed", &k.activations_allowed.to_string())
                                ]
                            )
                        )),
                    ]));
                }
                if !b.macos_supported {
                    out.push(Line::from(vec![
                        Span::raw(INDENT),
                        Span::styled("! ", theme.warning()),
                        Span::raw(t.fmt("label.not-on-macos", &[("product", &clean(&b.product))])),
                    ]));
                }
            }
            for n in &b.notes {
                out.push(Line::from(vec![
                    Span::raw(INDENT),
                    Span::styled("! ", theme.warning()),
                    Span::raw(clean(n)),
                ]));
            }
        }
        Page::History | Page::Reconcile | Page::Consumption => {}
    }
    if let Some(cursor) = app
        .key_cursor()
        .filter(|k| k.page == page && k.benefit == b)
        && let Some(&(line, _)) = keys.iter().find(|(_, k)| *k == cursor.key)
    {
        let marked = std::mem::take(&mut out[line]);
        out[line] = on_cursor(marked, theme);
    }
    (out, keys)
}

/// How many of the wrapped detail lines of benefit `b` to leave out on top so that the
/// key line under the cursor shows in the `room` lines left under its row: details taller
/// than the table give way above the cursor, never hide it. `keys` are the wrapped key
/// lines (line, key index), as `lines_and_keys` reports them once wrapped.
pub fn skipped_for_cursor(
    app: &App,
    page: Page,
    b: usize,
    keys: &[(usize, usize)],
    room: usize,
) -> usize {
    let on = app
        .key_cursor()
        .filter(|k| k.page == page && k.benefit == b);
    let line = on.and_then(|k| keys.iter().find(|(_, key)| *key == k.key).map(|(l, _)| *l));
    match line {
        Some(l) if room > 0 && l >= room => l + 1 - room,
        _ => 0,
    }
}

/// The key line under the cursor: `>` where its indent was (every terminal shows that),
/// and the selection's style.
fn on_cursor(line: Line<'static>, theme: &Theme) -> Line<'static> {
    let mut spans = line.spans;
    if let Some(first) = spans.first_mut().filter(|s| s.content == INDENT) {
        *first = Span::styled("  > ", theme.key());
    }
    Line::from(spans).style(theme.selected())
}

/// Why the row is marked: how long is left (or how long ago activate-by passed) and what
/// is still to do; nothing for a row that does not need attention.
fn attention_line(app: &App, why: Attention<'_>, theme: &Theme) -> Option<Line<'static>> {
    let t = app.t;
    let Attention::Needed { todo, days_left } = why else {
        return None;
    };
    let todo = t.fmt(todo.message_id(), &[("n", &todo.count().to_string())]);
    let (id, days) = if days_left < 0 {
        ("attention.why-past", -days_left)
    } else {
        ("attention.why-left", days_left)
    };
    let text = t.fmt(id, &[("days", &days.to_string()), ("todo", &todo)]);
    let style = if days_left < 0 {
        theme.past()
    } else {
        theme.due_soon()
    };
    Some(Line::from(vec![
        Span::raw(INDENT),
        Span::styled(text, style),
    ]))
}

/// A ten-cell bar of activations used; full reads as a warning.
fn gauge(used: u32, allowed: u32, theme: &Theme) -> Span<'static> {
    let cells = 10usize;
    let filled = if allowed == 0 {
        cells
    } else {
        (used as usize * cells)
            .div_ceil(allowed as usize)
            .min(cells)
    };
    let (on, off) = theme.bar();
    let style = if used >= allowed {
        theme.error()
    } else if allowed - used <= 1 {
        theme.warning()
    } else {
        theme.ok()
    };
    Span::styled(
        format!("[{}{}]", on.repeat(filled), off.repeat(cells - filled)),
        style,
    )
}
