//! The activation walkthrough pane: the benefit's name and source in the title, a stepper,
//! the step's text, and the buttons.

use super::Hits;
use super::text::{clean, fit};
use super::theme::Theme;
use crate::app::{App, Command, Context, Page, Wizard, WizardKind, WizardStep};
use crate::domain::SubscriptionStatus;
use crate::domain::summary;
use crate::redeem::keyless;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Right half of the body on wide terminals, most of the screen otherwise.
pub fn area(screen: Rect) -> Rect {
    let top = screen.y + 2;
    let height = screen.height.saturating_sub(4);
    if screen.width >= 100 {
        let w = screen.width / 2;
        Rect {
            x: screen.x + screen.width - w,
            y: top,
            width: w,
            height,
        }
    } else {
        Rect {
            x: screen.x + 1,
            y: top,
            width: screen.width.saturating_sub(2),
            height,
        }
    }
}

/// The three steps, the current one marked; where the titles do not all fit `width`, only
/// the current step keeps its title.
fn stepper(app: &App, w: &Wizard, width: usize, theme: &Theme) -> Line<'static> {
    let full = stepper_titled(app, w, theme, true);
    if full.width() <= width {
        full
    } else {
        stepper_titled(app, w, theme, false)
    }
}

fn stepper_titled(app: &App, w: &Wizard, theme: &Theme, all: bool) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, step) in WizardStep::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(theme.step_joint(), theme.dim()));
        }
        let current = *step == w.step;
        let mark = theme.step(current);
        let style = if current {
            theme.selected().add_modifier(Modifier::BOLD)
        } else {
            theme.dim()
        };
        let text = if all || current {
            format!("{mark} {}", app.t.text(step.title_id()))
        } else {
            mark.to_string()
        };
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

fn field(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label}: "), theme.dim()),
        Span::raw(clean(&value)),
    ])
}

pub fn render(
    app: &App,
    w: &Wizard,
    ctx: Context,
    frame: &mut Frame,
    theme: &Theme,
    hits: &mut Hits<'_>,
) {
    let t = app.t;
    let p = &app.portfolio;
    let (name, offer, activate_by, quantity) = match w.page {
        Page::Software => {
            let b = p.software(w.benefit);
            (
                b.product.clone(),
                b.offer.clone(),
                b.activate_by,
                t.fmt("quantity.activations", &[("n", &b.quantity.to_string())]),
            )
        }
        _ => {
            let b = p.cloud(w.benefit);
            let q = match (&b.license, &b.credit) {
                (Some(l), _) => t.fmt("quantity.licenses", &[("n", &l.quantity.to_string())]),
                (_, Some(c)) => t.usd(c.amount_usd.into()),
                _ => String::new(),
            };
            (b.product.clone(), b.offer.clone(), b.activate_by, q)
        }
    };
    let source = summary::source_label(p, &offer);
    let a = area(frame.area());
    frame.render_widget(Clear, a);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        // The benefit's name over its source: the name in the border, cut to fit it.
        .title(Span::styled(
            format!(
                " {} ",
                fit(&name, usize::from(a.width.saturating_sub(4))).trim_end()
            ),
            theme.title(),
        ))
        .title_bottom(super::key_hints(app, ctx, a.width.saturating_sub(2), theme));
    let inner = block.inner(a);
    frame.render_widget(block, a);

    let mut out = vec![
        Line::styled(clean(&source), theme.dim()),
        stepper(app, w, usize::from(inner.width), theme),
        Line::from(""),
    ];
    match w.step {
        WizardStep::Introduction => {
            out.push(Line::from(t.fmt(
                "wizard.intro",
                &[("product", &clean(&name)), ("source", &clean(&source))],
            )));
            out.push(Line::from(""));
            out.push(field(t.text("col.source"), source.clone(), theme));
            out.push(field(t.text("col.quantity"), quantity, theme));
            out.push(field(t.text("col.activate-by"), t.date(activate_by), theme));
            if w.page == Page::Cloud && p.cloud(w.benefit).license.is_some() {
                let status = summary::product_status(p, p.cloud(w.benefit), app.today);
                out.push(field(
                    t.text("col.status"),
                    t.status(status).to_string(),
                    theme,
                ));
            }
        }
        WizardStep::Walkthrough => {
            let family = match w.page {
                Page::Software => p.software(w.benefit).walkthrough.as_deref(),
                _ => p.cloud(w.benefit).walkthrough.as_deref(),
            };
            let steps = family.and_then(|f| crate::i18n::walkthrough::steps(t.lang(), f));
            if w.page == Page::Software {
                out.push(Line::from(t.text("wizard.walk-software").to_string()));
                for e in &p.software(w.benefit).editions {
                    out.push(Line::from(format!(
                        "  • {} {} · {} · {}",
                        clean(&e.name),
                        clean(e.version.as_deref().unwrap_or("")),
                        clean(&e.languages.join(", ")),
                        clean(&e.architectures.join(", "))
                    )));
                }
                out.push(Line::from(""));
            } else if steps.is_none() {
                out.push(Line::styled(
                    t.text("wizard.step-get-keys").to_string(),
                    theme.header(),
                ));
                out.push(Line::from(t.text("wizard.walk-cloud").to_string()));
            }
            // The product family's own walkthrough, from assets/walkthroughs/.
            for (i, step) in steps.into_iter().flatten().enumerate() {
                out.push(Line::from(format!("{}. {}", i + 1, clean(step))));
            }
            // What holds for this product only (its catalog entry says so), not the family.
            if w.page == Page::Software && !p.software(w.benefit).macos_supported {
                let product = clean(&name);
                out.push(Line::from(vec![
                    Span::styled("! ", theme.warning()),
                    Span::raw(t.fmt("label.not-on-macos", &[("product", &product)])),
                ]));
            }
        }
        WizardStep::Activate => activate_lines(app, w, inner, theme, hits, &mut out),
    }
    frame.render_widget(Paragraph::new(out).wrap(Wrap { trim: false }), inner);
}

/// "Activate benefits": what fits the status, the tenant to verify (not for software,
/// which is activated on a machine), and Get keys with the key ↑/↓ picks.
fn activate_lines(
    app: &App,
    w: &Wizard,
    inner: Rect,
    theme: &Theme,
    hits: &mut Hits<'_>,
    out: &mut Vec<Line<'static>>,
) {
    let t = app.t;
    let p = &app.portfolio;
    let how = match w.kind {
        WizardKind::Activate => t.text("wizard.software-activate").to_string(),
        WizardKind::Credit => t.text("wizard.credit-assign").to_string(),
        WizardKind::Redeem => redeem_how(app, w),
    };
    out.push(Line::from(how));
    out.push(Line::from(""));
    if w.needs_verify() {
        out.extend(verify_lines(app, w, theme));
        let tick = if w.verified { "[x]" } else { "[ ]" };
        let verify = Line::styled(
            format!("{tick} {}", t.text("wizard.verify-tenant")),
            if w.verified { theme.ok() } else { theme.bold() },
        );
        super::button(out, verify, inner, hits, Command::Verify);
        out.push(Line::from(""));
    }
    if let Some(line) = (w.kind == WizardKind::Redeem)
        .then(|| keyless_offer(app, w, theme))
        .flatten()
    {
        super::button(out, line, inner, hits, Command::Keyless);
    }
    if w.kind == WizardKind::Credit || w.all_keys_redeemed(p) {
        return;
    }
    let get_keys = Line::styled(format!("[ {} ]", t.text("button.get-keys")), theme.key());
    super::button(out, get_keys, inner, hits, Command::GetKeys);
    if !w.keys_shown {
        return;
    }
    let show = |k| super::details::key_text(app, k);
    let picked = w.picked_key(p);
    for i in w.listed_keys(p) {
        let text = match w.kind {
            WizardKind::Activate => {
                let k = &p.software(w.benefit).keys[i];
                let used = [
                    ("used", k.activations_used.to_string()),
                    ("allowed", k.activations_allowed.to_string()),
                ];
                let used: Vec<(&str, &str)> = used.iter().map(|(n, v)| (*n, v.as_str())).collect();
                format!(
                    "{} · {}",
                    show(&k.key),
                    t.fmt("label.activations-used", &used)
                )
            }
            _ => {
                let k = &p.cloud(w.benefit).license.as_ref().expect("listed").keys[i];
                let n = k.licenses.to_string();
                format!(
                    "{} · {}",
                    show(&k.key),
                    t.fmt("quantity.licenses", &[("n", &n)])
                )
            }
        };
        let line = if picked == Some(i) {
            let pointer = theme.pointer();
            Line::styled(format!("{pointer}{text}"), theme.selected())
        } else {
            Line::from(format!("  {text}"))
        };
        out.push(line);
    }
}

/// Beside the keys, for a keyless offer's benefit: the other way, on one line with what
/// it is (the dialog says more), so Get keys stays in view at 80x24.
fn keyless_offer(app: &App, w: &Wizard, theme: &Theme) -> Option<Line<'static>> {
    let (t, p) = (app.t, &app.portfolio);
    let b = p.cloud(w.benefit);
    if !keyless::offered(app.ctx(), &b.id) {
        return None;
    }
    let offer = p.catalog.offers.iter().find(|o| o.id == b.offer)?;
    let date = t.date(keyless::end_date(p, offer));
    // The button names its key: at 80 columns the footer has no room left for it.
    let key = (app.keymap.hints(Context::WizardActivate, false).into_iter())
        .find(|h| h.command == Command::Keyless)
        .map(|h| format!("{} ", h.label))
        .unwrap_or_default();
    Some(Line::from(vec![
        Span::styled(
            format!("[ {key}{} ] ", t.text("label.keyless")),
            theme.key(),
        ),
        Span::styled(
            t.fmt("wizard.keyless-offered", &[("date", &date)]),
            theme.dim(),
        ),
    ]))
}

/// What redeeming a key does here, as the dialog will offer it (DOMAIN.md's modes): extend
/// or add on an Active subscription; activate again one that is not (Expired, Disabled,
/// gone) or a new one; a first activation where there is none; nothing once every key is
/// redeemed.
fn redeem_how(app: &App, w: &Wizard) -> String {
    let (t, p) = (app.t, &app.portfolio);
    let b = p.cloud(w.benefit);
    if w.all_keys_redeemed(p) {
        return t.fmt(
            "wizard.all-keys-redeemed",
            &[("product", &clean(&b.product))],
        );
    }
    match summary::latest_subscription(p, b) {
        Some(s) if s.status(app.today) == SubscriptionStatus::Active => {
            t.text("wizard.extend-or-add").to_string()
        }
        Some(s) => t.fmt(
            "wizard.reactivate",
            &[
                ("subscription", &clean(&s.id)),
                ("status", t.status(s.status(app.today))),
                ("date", &t.date(s.end_date)),
            ],
        ),
        None => t.text("wizard.first-activation").to_string(),
    }
}

/// "Verify tenant account": who is signed in and the tenants, the one that holds the
/// benefit's subscription or credit marked (the tick follows).
fn verify_lines(app: &App, w: &Wizard, theme: &Theme) -> Vec<Line<'static>> {
    let t = app.t;
    let p = &app.portfolio;
    let mut out = vec![
        Line::styled(t.text("wizard.verify-heading").to_string(), theme.header()),
        Line::from(t.fmt(
            "wizard.signed-in",
            &[(
                "user",
                &format!("{} <{}>", clean(&app.user.name), clean(&app.user.email)),
            )],
        )),
    ];
    let b = p.cloud(w.benefit);
    for tenant in &p.catalog.tenants {
        let holds = match &b.credit {
            Some(c) => c.tenant == tenant.id,
            None => p
                .subscriptions_of_product(&b.product)
                .any(|s| s.tenant == tenant.id),
        };
        let mut spans = vec![Span::raw(format!(
            "  {}: {} — {}",
            t.text("label.tenant"),
            clean(&tenant.name),
            clean(&tenant.domain)
        ))];
        if holds {
            let id = if b.credit.is_some() {
                "wizard.holds-credit"
            } else {
                "wizard.holds-subscription"
            };
            spans.push(Span::styled(format!(" · {}", t.text(id)), theme.ok()));
        }
        out.push(Line::from(spans));
    }
    out
}
