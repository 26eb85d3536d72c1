//! `list`, `show`, `history`, `check-config`: reading, never writing.

use super::args::Page;
use super::history_filter::HistoryFilter;
use super::output::table;
use super::{Env, Failure, open_session};
use crate::domain::summary::{self, RedemptionState};
use crate::domain::{BenefitRef, CloudBenefit, Entry, Portfolio, ProductKey};
use crate::i18n::Messages;
use crate::store::Logged;
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::path::Path;

fn key_text(p: &Portfolio, k: &ProductKey) -> String {
    if p.catalog.user.may_view_keys() {
        k.formatted()
    } else {
        k.masked()
    }
}

/// A benefit past its activate-by with work left reads as expired, as on the dashboard.
fn redemption_label(b: &CloudBenefit, today: NaiveDate, t: &Messages) -> String {
    match summary::cloud_redemption_state(b) {
        _ if summary::cloud_benefit_expired(b, today) => t.text("label.benefit-expired").into(),
        RedemptionState::ReadyToRedeem => t.text("label.ready-to-redeem").into(),
        RedemptionState::Redeemed => t.text("label.redeemed").into(),
        RedemptionState::Nothing => "-".into(),
    }
}

/// Prints `items` as one JSON array, each item as `to_json` renders it.
fn print_json_array<T>(items: &[T], to_json: impl FnMut(&T) -> Value) -> Result<(), Failure> {
    outln!("{}", Value::Array(items.iter().map(to_json).collect()));
    Ok(())
}

/// A listing's column titles: the benefit id, then the page's columns in the language.
fn id_and<'t>(t: &'t Messages, columns: &[&str]) -> Vec<&'t str> {
    std::iter::once("ID")
        .chain(columns.iter().map(|c| t.text(c)))
        .collect()
}

pub fn list(env: &Env, page: Page) -> Result<(), Failure> {
    let s = open_session(env)?;
    let p = &s.portfolio;
    let t = env.t();
    match page {
        Page::Cloud => {
            if env.json {
                return print_json_array(&p.catalog.cloud_benefits, |b| cloud_json(p, b, env));
            }
            let rows: Vec<Vec<String>> = p
                .catalog
                .cloud_benefits
                .iter()
                .map(|b| {
                    let quantity = match (&b.license, &b.credit) {
                        (Some(l), _) => t.licenses(l.quantity),
                        (_, Some(c)) => t.credit_quantity(c.amount_usd, c.period),
                        _ => "-".into(),
                    };
                    let status = match (&b.license, &b.credit) {
                        (Some(_), _) => t
                            .status(summary::product_status(p, b, env.today))
                            .to_string(),
                        (_, Some(c)) => c.assigned_to.clone().unwrap_or_else(|| "-".into()),
                        _ => "-".into(),
                    };
                    vec![
                        b.id.clone(),
                        b.product.clone(),
                        summary::source_label(p, &b.offer),
                        t.text(match b.benefit_type {
                            crate::domain::BenefitType::Core => "benefit-type.core",
                            crate::domain::BenefitType::Incremental => "benefit-type.incremental",
                        })
                        .to_string(),
                        quantity,
                        t.date(b.activate_by),
                        status,
                        redemption_label(b, env.today, t),
                    ]
                })
                .collect();
            let columns = [
                "col.benefit-name",
                "col.source",
                "col.benefit-type",
                "col.quantity",
                "col.activate-by",
                "col.status",
                "col.redemption-status",
            ];
            out!("{}", table(&id_and(t, &columns), &rows));
        }
        Page::Software => {
            if env.json {
                return print_json_array(&p.catalog.software_benefits, |b| {
                    software_json(p, b, env)
                });
            }
            let rows: Vec<Vec<String>> = p
                .catalog
                .software_benefits
                .iter()
                .map(|b| {
                    let mut row = vec![b.id.clone()];
                    row.extend(crate::ui::columns::software_cells(p, t, b));
                    row
                })
                .collect();
            let columns = [
                "col.benefit-name",
                "col.source",
                "col.quantity",
                "col.activate-by",
                "col.activations",
            ];
            out!("{}", table(&id_and(t, &columns), &rows));
        }
    }
    Ok(())
}

pub(super) fn cloud_json(p: &Portfolio, b: &crate::domain::CloudBenefit, env: &Env) -> Value {
    let mut v = json!({
        "id": b.id, "page": "cloud", "product": b.product, "source": summary::source_label(p, &b.offer),
        "offer": b.offer, "type": b.benefit_type, "activate_by": b.activate_by.to_string(),
        "redemption_status": match summary::cloud_redemption_state(b) {
            _ if summary::cloud_benefit_expired(b, env.today) => "expired",
            RedemptionState::ReadyToRedeem => "ready-to-redeem",
            RedemptionState::Redeemed => "redeemed",
            RedemptionState::Nothing => "none",
        },
        "replaced_by": b.replaced_by,
    });
    if let Some(l) = &b.license {
        v["kind"] = json!("license");
        v["quantity"] = json!(l.quantity);
        v["status"] = json!(summary::product_status(p, b, env.today));
        v["keys"] = l
            .keys
            .iter()
            .map(|k| json!({"key": key_text(p, &k.key), "licenses": k.licenses, "redeemed": k.redeemed, "redeemed_without_key": k.without_key}))
            .collect();
        v["subscriptions"] = p
            .subscriptions_of_product(&b.product)
            .map(|s| {
                json!({"id": s.id, "tenant": s.tenant, "licenses": s.licenses,
                       "end_date": s.end_date.to_string(), "status": s.status(env.today),
                       "graph_id": s.graph_id, "observed": s.observed})
            })
            .collect();
    }
    if let Some(c) = &b.credit {
        v["kind"] = json!("credit");
        v["credit"] = json!({"period": c.period, "amount_usd": c.amount_usd, "tenant": c.tenant,
            "start": c.start.map(|d| d.to_string()), "end": c.end.map(|d| d.to_string()),
            "assigned_to": c.assigned_to, "reassignments": c.reassignments});
    }
    v
}

pub(super) fn software_json(
    p: &Portfolio,
    b: &crate::domain::SoftwareBenefit,
    _env: &Env,
) -> Value {
    json!({
        "id": b.id, "page": "software", "product": b.product, "source": summary::source_label(p, &b.offer),
        "offer": b.offer, "family": b.family, "quantity": b.quantity,
        "activate_by": b.activate_by.to_string(), "needs_activation": b.needs_activation(),
        "macos_supported": b.macos_supported,
        "editions": b.editions, "notes": b.notes,
        "keys": b.keys.iter().map(|k| json!({"key": key_text(p, &k.key),
            "activations_used": k.activations_used, "activations_allowed": k.activations_allowed})).collect::<Vec<_>>(),
    })
}

pub fn show(env: &Env, id: &str) -> Result<(), Failure> {
    let s = open_session(env)?;
    let p = &s.portfolio;
    let t = env.t();
    let Some(r) = p.benefit(id) else {
        return Err(Failure::usage(
            "unknown-benefit",
            format!(
                "no benefit with id {id:?}; `benefits list cloud` and `benefits list software` show the ids"
            ),
        ));
    };
    let v = match r {
        BenefitRef::Cloud(i) => cloud_json(p, p.cloud(i), env),
        BenefitRef::Software(i) => software_json(p, p.software(i), env),
    };
    if env.json {
        outln!("{v}");
        return Ok(());
    }
    let mut out = String::new();
    let field = |out: &mut String, label: &str, value: String| {
        out.push_str(&format!("{label:<28} {value}\n"));
    };
    field(
        &mut out,
        t.text("col.benefit-name"),
        v["product"].as_str().unwrap_or("").into(),
    );
    field(
        &mut out,
        t.text("col.source"),
        v["source"].as_str().unwrap_or("").into(),
    );
    match r {
        BenefitRef::Cloud(i) => {
            let b = p.cloud(i);
            field(&mut out, t.text("col.activate-by"), t.date(b.activate_by));
            field(
                &mut out,
                t.text("col.redemption-status"),
                redemption_label(b, env.today, t),
            );
            if let Some(rep) = &b.replaced_by {
                let name = p
                    .cloud_by_id(rep)
                    .map(|r| r.product.clone())
                    .unwrap_or_else(|| rep.clone());
                field(&mut out, t.text("label.replaced-by"), name);
            }
            if let Some(l) = &b.license {
                field(&mut out, t.text("col.quantity"), t.licenses(l.quantity));
                field(
                    &mut out,
                    t.text("col.status"),
                    t.status(summary::product_status(p, b, env.today)).into(),
                );
                for sub in p.subscriptions_of_product(&b.product) {
                    let tenant = p
                        .tenant(&sub.tenant)
                        .map(|t| t.domain.clone())
                        .unwrap_or_else(|| sub.tenant.clone());
                    field(
                        &mut out,
                        t.text("label.subscription"),
                        format!(
                            "{} · {tenant} · {} · {} · {} {}{}",
                            sub.id,
                            t.status(sub.status(env.today)),
                            t.licenses(sub.licenses),
                            t.text("label.end-date"),
                            t.date(sub.end_date),
                            crate::graph::reported(t, sub)
                        ),
                    );
                }
                for k in &l.keys {
                    field(
                        &mut out,
                        t.text("label.key"),
                        format!(
                            "{} · {} · {}",
                            key_text(p, &k.key),
                            t.licenses(k.licenses),
                            if k.without_key {
                                t.text("label.redeemed-without-key")
                            } else if k.redeemed {
                                t.text("label.redeemed")
                            } else if summary::past_activate_by(b.activate_by, env.today) {
                                t.text("label.key-expired")
                            } else {
                                t.text("label.ready-to-redeem")
                            }
                        ),
                    );
                }
            }
            if let Some(c) = &b.credit {
                field(
                    &mut out,
                    t.text("label.credit"),
                    t.credit_quantity(c.amount_usd, c.period),
                );
                field(
                    &mut out,
                    t.text("label.assigned-to"),
                    c.assigned_to.clone().unwrap_or_else(|| "-".into()),
                );
            }
        }
        BenefitRef::Software(i) => {
            let b = p.software(i);
            field(&mut out, t.text("col.quantity"), t.activations(b.quantity));
            field(&mut out, t.text("col.activate-by"), t.date(b.activate_by));
            if b.is_cal() {
                out.push_str(&format!(
                    "{}\n  {}\n",
                    t.text("label.no-further-details"),
                    t.text("label.cal-explanation")
                ));
            } else {
                field(
                    &mut out,
                    t.text("label.needs-activation"),
                    b.needs_activation().to_string(),
                );
                for e in &b.editions {
                    field(
                        &mut out,
                        t.text("label.edition"),
                        format!(
                            "{} {} [{}] [{}]",
                            e.name,
                            e.version.clone().unwrap_or_default(),
                            e.languages.join(", "),
                            e.architectures.join(", ")
                        ),
                    );
                }
                for k in &b.keys {
                    field(
                        &mut out,
                        t.text("label.key"),
                        format!(
                            "{} · {}/{}",
                            key_text(p, &k.key),
                            k.activations_used,
                            k.activations_allowed
                        ),
                    );
                }
            }
            for n in &b.notes {
                field(&mut out, t.text("label.note"), n.clone());
            }
        }
    }
    out!("{out}");
    Ok(())
}

pub fn history(env: &Env, filter: &HistoryFilter) -> Result<(), Failure> {
    let s = open_session(env)?;
    let entries = filter.entries(&s)?;
    if env.json {
        let rows: Vec<Value> = (entries.iter())
            .map(|l| super::export::history_value(&s.portfolio, l))
            .collect();
        outln!(
            "{}",
            json!({"entries": rows, "mismatches": s.portfolio.mismatches})
        );
        return Ok(());
    }
    let t = env.t();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|Logged { seq, entry: e, at }| {
            let what = match e {
                Entry::Redemption { key_masked, tenant, mode, before, after, .. } => format!(
                    "{} {key_masked} @ {tenant}: {} {} → {}, {} {} → {}",
                    t.mode(*mode),
                    t.text("label.total-licenses"),
                    before.map_or("-".into(), |b| t.number(b.total_licenses.into())),
                    t.number(after.total_licenses.into()),
                    t.text("label.end-date"),
                    before.map(|b| t.date(b.end_date)).unwrap_or("-".into()),
                    t.date(after.end_date)
                ),
                Entry::Activation { key_masked, machine, change, used_before, used_after, allowed, .. } => {
                    format!("{key_masked} · {machine} ({}): {used_before}/{allowed} → {used_after}/{allowed}", t.change(*change))
                }
                Entry::CreditAssign { to, .. } => format!("→ {to}"),
                Entry::CreditRemove { from, .. } => format!("{from} →"),
                Entry::CreditTransfer { from, to, .. } => format!("{from} → {to}"),
                Entry::KeylessRedemption { tenant, licenses, before, after, .. } => format!(
                    "{} ({licenses}) @ {tenant}: {} {} → {}, {} {} → {}",
                    t.text("label.keyless"),
                    t.text("label.total-licenses"),
                    before.map(|b| b.total_licenses.to_string()).unwrap_or("-".into()),
                    after.total_licenses,
                    t.text("label.end-date"),
                    before.map(|b| t.date(b.end_date)).unwrap_or("-".into()),
                    t.date(after.end_date)
                ),
                Entry::GraphImport { observations, unmatched, sources, .. } => {
                    crate::graph::summary(t, observations, unmatched, sources)
                }
                Entry::Correction { .. } => t.correction(e).unwrap_or_default(),
            };
            let what = match t.corrected_by(&s.portfolio.corrections, *seq, e) {
                Some(by) => format!("{what} [{by}]"),
                None => what,
            };
            vec![
                seq.to_string(),
                crate::app::history::when(t, e, *at),
                t.text(crate::app::history::op_id(e)).into(),
                e.benefit().into(),
                what,
            ]
        })
        .collect();
    out!(
        "{}",
        table(
            &[
                "#",
                t.text("label.date"),
                t.text("label.operation"),
                t.text("label.benefit"),
                ""
            ],
            &rows
        )
    );
    Ok(())
}

pub fn check_config(env: &Env, file: &Path) -> Result<(), Failure> {
    let cat = crate::catalog::load_file(file)
        .map_err(|e| Failure::usage("invalid-config", e.to_string()))?;
    if env.json {
        outln!(
            "{}",
            json!({"ok": true, "offers": cat.offers.len(), "tenants": cat.tenants.len(),
                   "cloud_benefits": cat.cloud_benefits.len(), "software_benefits": cat.software_benefits.len()})
        );
    } else {
        outln!(
            "{}: ok — {} offers, {} tenants, {} cloud benefits, {} software benefits",
            file.display(),
            cat.offers.len(),
            cat.tenants.len(),
            cat.cloud_benefits.len(),
            cat.software_benefits.len()
        );
    }
    Ok(())
}
