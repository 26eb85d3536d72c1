//! The redemption dialog's views of the way without a key: the offer under the key field,
//! the target list's billing-account marks, "Review order details" and the receipt.

use super::super::review::{before_after, error_lines, how_calculated, licenses, tenant_block};
use super::super::text::clean;
use super::super::theme::Theme;
use super::super::{Hits, button};
use crate::app::{App, Command};
use crate::domain::{Entry, summary};
use crate::i18n::Messages;
use crate::redeem::machine::KeylessChoice;
use crate::redeem::{Ctx, Redemption, TargetOption, keyless};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

fn ctx(app: &App) -> Ctx<'_> {
    Ctx {
        portfolio: &app.portfolio,
        user: &app.user,
        today: app.today,
    }
}

/// Whether the dialog's benefit offers "Redeem without a key" (the key stays the default).
pub(in crate::ui) fn offered(app: &App, d: &Redemption) -> bool {
    d.benefit
        .as_deref()
        .is_some_and(|b| keyless::offered(ctx(app), b))
}

/// Under the key field: the other way, for a keyless offer's benefit.
pub(super) fn offer_lines(
    app: &App,
    d: &Redemption,
    theme: &Theme,
    inner: Rect,
    hits: &mut Hits<'_>,
    out: &mut Vec<Line<'static>>,
) {
    let Some(b) = d.benefit.as_deref().filter(|_| offered(app, d)) else {
        return;
    };
    let Some(cb) = app.portfolio.cloud_by_id(b) else {
        return;
    };
    let t = app.t;
    out.push(Line::from(""));
    out.push(Line::styled(
        t.fmt(
            "dialog.keyless-offered",
            &[(
                "offer",
                &clean(&summary::source_label(&app.portfolio, &cb.offer)),
            )],
        ),
        theme.dim(),
    ));
    let line = Line::styled(format!("[ {} ]", t.text("label.keyless")), theme.key());
    button(out, line, inner, hits, Command::Keyless);
}

/// Over the target list: what is redeemed, and how much.
pub(super) fn heading(app: &App, d: &Redemption, theme: &Theme) -> Option<Line<'static>> {
    let cb = app.portfolio.cloud_by_id(d.benefit.as_deref()?)?;
    let left = keyless::licenses_left(cb).unwrap_or(0);
    Some(Line::from(vec![
        Span::styled(format!("{}: ", t_keyless(app.t)), theme.dim()),
        Span::raw(format!(
            "{} · {}",
            clean(&cb.product),
            licenses(app.t, left)
        )),
    ]))
}

fn t_keyless(t: &Messages) -> &str {
    t.text("label.keyless")
}

/// A target whose tenant is not under the billing account says so in the list.
pub(super) fn tenant_mark(app: &App, o: &TargetOption, theme: &Theme) -> Option<Span<'static>> {
    let mca = app.portfolio.tenant(&o.tenant).is_some_and(|t| t.mca);
    (!mca).then(|| Span::styled(format!(" · {}", app.t.text("dialog.not-mca")), theme.dim()))
}

/// "Review order details" without a key: the tenant, before → after (or why not), the
/// explanation, and Redeem only when the write would go through.
pub(super) fn review(
    app: &App,
    d: &Redemption,
    (k, committing): (&KeylessChoice, bool),
    theme: &Theme,
    (inner, hits): (Rect, &mut Hits<'_>),
    out: &mut Vec<Line<'static>>,
) {
    let t = app.t;
    out.extend(tenant_block(t, theme, k.choice.target()));
    out.push(Line::from(""));
    out.push(Line::styled(
        t.text("label.review-order-details").to_string(),
        theme.header(),
    ));
    out.push(Line::styled(t_keyless(t).to_string(), theme.title()));
    match &k.preview {
        Ok(entry) => {
            if let Entry::KeylessRedemption { before, after, .. } = entry {
                out.extend(before_after(t, theme, (*before, *after), "  "));
            }
            let answer = k.explain.then(|| explain(app, entry)).flatten();
            out.extend(how_calculated(t, theme, answer));
            out.push(Line::from(""));
            if committing {
                return;
            }
            let redeem = Line::styled(
                format!("[ {} ]", t.text("label.redeem")),
                theme.selected().add_modifier(Modifier::BOLD),
            );
            button(out, redeem, inner, hits, Command::Confirm);
            out.push(Line::styled(
                t.text("dialog.nothing-written").to_string(),
                theme.dim(),
            ));
        }
        Err(r) => out.push(Line::styled(
            format!("{} {}", theme.refused_symbol(), t.refusal(r)),
            theme.error(),
        )),
    }
    if d.error.as_ref() != k.preview.as_ref().err() {
        out.extend(error_lines(app, d, theme));
    }
}

/// "How is the end date calculated?" in the actual numbers: the offer's end date, and
/// the licenses joining the active ones or starting the subscription.
fn explain(app: &App, entry: &Entry) -> Option<String> {
    let Entry::KeylessRedemption {
        benefit,
        licenses,
        after,
        date,
        ..
    } = entry
    else {
        return None;
    };
    let t = app.t;
    let cb = app.portfolio.cloud_by_id(benefit)?;
    let offer = summary::source_label(&app.portfolio, &cb.offer);
    let active = after.total_licenses.saturating_sub(*licenses);
    let (c, a, total) = (
        licenses.to_string(),
        active.to_string(),
        after.total_licenses.to_string(),
    );
    let (end, today) = (t.date(after.end_date), t.date(*date));
    let mut args = vec![
        ("offer", clean(&offer)),
        ("end", end),
        ("today", today),
        ("c", c),
    ];
    let id = if active > 0 {
        args.extend([("a", a), ("total", total)]);
        "explain.keyless"
    } else {
        "explain.keyless-start"
    };
    let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    Some(t.fmt(id, &args))
}

/// The receipt of a redemption without a key.
pub(super) fn receipt(app: &App, entry: &Entry, theme: &Theme, out: &mut Vec<Line<'static>>) {
    let Entry::KeylessRedemption {
        benefit,
        tenant,
        target,
        before,
        after,
        date,
        ..
    } = entry
    else {
        return;
    };
    let t = app.t;
    out.push(Line::styled(
        format!(
            "{} {}",
            theme.ok_symbol(),
            t.text("dialog.keyless-redeemed")
        ),
        theme.ok().add_modifier(Modifier::BOLD),
    ));
    out.push(Line::from(""));
    let product =
        (app.portfolio.cloud_by_id(benefit)).map_or(benefit.clone(), |b| b.product.clone());
    let rows = [
        (t.text("label.benefit"), product),
        (t.text("label.tenant"), super::tenant_label(app, tenant)),
        (
            t.text("label.subscription"),
            target.subscription_id().to_string(),
        ),
        (t.text("label.mode"), t_keyless(t).to_string()),
        (t.text("label.date"), t.date(*date)),
    ];
    out.extend(super::receipt_rows(theme, rows));
    out.extend(before_after(t, theme, (*before, *after), ""));
}
