//! The activation walkthrough pane: the benefit's name and source in the title, a stepper,
//! the step's text, and the buttons.

use super::Hits;
use super::text::{clean, fit};
use super::theme::Theme;
use crate::app::{App, Command, Context, Page, Wizard, WizardStep};
use crate::domain::SubscriptionStatus;
use crate::domain::summary;
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
            spans.push(Span::styled(
                if theme.ascii { " - " } else { " ─ " },
                theme.dim(),
            ));
        }
        let current = *step == w.step;
        let mark = match (current, theme.ascii) {
            (true, false) => "●",
            (false, false) => "○",
            (true, true) => "(*)",
            (false, true) => "( )",
        };
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
        }
        WizardStep::Activate => {
            let how = match w.page {
                Page::Software => "wizard.software-activate",
                _ => {
                    let b = p.cloud(w.benefit);
                    if b.credit.is_some() {
                        "wizard.credit-assign"
                    } else if summary::product_status(p, b, app.today) == SubscriptionStatus::Active
                    {
                        "wizard.extend-or-add"
                    } else {
                        "wizard.first-activation"
                    }
                }
            };
            out.push(Line::from(t.text(how).to_string()));
            out.push(Line::from(""));
            out.push(Line::styled(
                t.text("wizard.verify-heading").to_string(),
                theme.header(),
            ));
            out.push(Line::from(t.fmt(
                "wizard.signed-in",
                &[(
                    "user",
                    &format!("{} <{}>", clean(&app.user.name), clean(&app.user.email)),
                )],
            )));
            for tenant in &p.catalog.tenants {
                out.push(Line::from(format!(
                    "  {}: {} — {}",
                    t.text("label.tenant"),
                    clean(&tenant.name),
                    clean(&tenant.domain)
                )));
            }
            let tick = match (w.verified, theme.ascii) {
                (true, _) => "[x]",
                (false, _) => "[ ]",
            };
            let verify = Line::styled(
                format!("{tick} {}", t.text("wizard.verify-tenant")),
                if w.verified { theme.ok() } else { theme.bold() },
            );
            super::button(&mut out, verify, inner, hits, Command::Verify);
            out.push(Line::from(""));
            let get_keys = Line::styled(format!("[ {} ]", t.text("button.get-keys")), theme.key());
            super::button(&mut out, get_keys, inner, hits, Command::GetKeys);
            if w.keys_shown {
                let show = |k: &crate::domain::ProductKey| {
                    if app.user.may_view_keys() {
                        k.formatted()
                    } else {
                        k.masked()
                    }
                };
                let keys: Vec<String> = match w.page {
                    Page::Software => p
                        .software(w.benefit)
                        .keys
                        .iter()
                        .map(|k| show(&k.key))
                        .collect(),
                    _ => p
                        .cloud(w.benefit)
                        .license
                        .iter()
                        .flat_map(|l| l.keys.iter().filter(|k| !k.redeemed))
                        .map(|k| {
                            format!(
                                "{} · {}",
                                show(&k.key),
                                t.fmt("quantity.licenses", &[("n", &k.licenses.to_string())])
                            )
                        })
                        .collect(),
                };
                for k in keys {
                    out.push(Line::from(format!("  {k}")));
                }
            }
        }
    }
    frame.render_widget(Paragraph::new(out).wrap(Wrap { trim: false }), inner);
}
