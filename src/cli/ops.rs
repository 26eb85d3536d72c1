//! `preview`, `redeem`, `activate`, `credit`: every write is an `Operation`, written through
//! `Store::execute`, which plans it against the freshest ledger inside the write transaction
//! (the same `plan` the dashboard and `serve` use).

use super::args::{ActivateArgs, Change, CreditAction, OsArg, PreviewArgs, RedeemArgs};
use super::output::{outcome_json, outcome_text, totals_json};
use super::{Env, Failure, commit_failure, open_for_write, open_session};
use crate::domain::{Entry, MachineChange, Mode, Os, Portfolio, ProductKey};
use crate::redeem::rules::{self, Ctx, TargetOption, ValidKey};
use crate::redeem::{Operation, Target};
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};

fn ctx<'a>(p: &'a Portfolio, env: &Env) -> Ctx<'a> {
    Ctx {
        portfolio: p,
        user: &p.catalog.user,
        today: env.today,
    }
}

fn parse_mode(s: &str) -> Result<Mode, Failure> {
    Mode::parse(s).ok_or_else(|| {
        Failure::usage(
            "invalid-mode",
            format!("unknown mode {s:?}: use activate, extend or add"),
        )
    })
}

fn parse_key(s: &str, env: &Env) -> Result<ProductKey, Failure> {
    rules::parse_key(s).map_err(|r| Failure::refused(&r, env.t()))
}

/// Validate the key and settle the target the way `preview` and `redeem` both need.
fn key_and_target(
    env: &Env,
    p: &Portfolio,
    key: &str,
    benefit: Option<&str>,
    chosen: &super::args::Target,
) -> Result<(ValidKey, TargetOption), Failure> {
    let (tenant, subscription) = (chosen.tenant.as_deref(), chosen.subscription.as_deref());
    let c = ctx(p, env);
    let expected = match benefit {
        Some(id) => Some(
            p.cloud_by_id(id)
                .ok_or_else(|| {
                    Failure::usage(
                        "unknown-benefit",
                        format!("no cloud benefit with id {id:?}"),
                    )
                })?
                .product
                .clone(),
        ),
        None => None,
    };
    let valid = rules::validate_cloud_key(c, key, expected.as_deref())
        .map_err(|r| Failure::refused(&r, env.t()))?;
    let tenant = match tenant {
        Some(t) => t.to_string(),
        None => p
            .subscriptions_of_product(&valid.product)
            .max_by_key(|s| s.end_date)
            .map(|s| s.tenant.clone())
            .or_else(|| p.catalog.tenants.first().map(|t| t.id.clone()))
            .ok_or_else(|| Failure::usage("no-tenant", "the catalog lists no tenant"))?,
    };
    // `--subscription new` asks for a new subscription; any other value names one.
    let wanted = subscription.map(|s| match s {
        "new" => Target::New,
        id => Target::Existing(id.to_string()),
    });
    let target = rules::find_target(c, &valid.product, &tenant, wanted.as_ref())
        .map_err(|r| Failure::refused(&r, env.t()))?;
    // The preview refuses what would pass a license cap, as the write would.
    rules::check_caps(c, &valid, &target.tenant, chosen.location.as_deref())
        .map_err(|r| Failure::refused(&r, env.t()))?;
    Ok((valid, target))
}

fn target_header(env: &Env, valid: &ValidKey, target: &TargetOption) -> String {
    let t = env.t();
    format!(
        "{}: {} ({})\n{}: {} — {}\n{}: {}\n\n",
        t.text("label.key"),
        valid.key.masked(),
        valid.product,
        t.text("label.tenant"),
        target.tenant_name,
        target.domain,
        t.text("label.subscription"),
        match &target.subscription {
            Some(id) => format!("{id} ({})", t.status(target.status)),
            None => t.text("label.new-subscription").to_string(),
        }
    )
}

fn target_json(valid: &ValidKey, target: &TargetOption) -> serde_json::Value {
    json!({
        "key": valid.key.masked(), "benefit": valid.benefit_id, "product": valid.product,
        "key_licenses": valid.licenses, "tenant": target.tenant, "domain": target.domain,
        "subscription": target.subscription, "status": target.status,
    })
}

pub fn preview(env: &Env, a: &PreviewArgs) -> Result<(), Failure> {
    let s = open_session(env)?;
    let p = &s.portfolio;
    let mode = a.mode.as_deref().map(parse_mode).transpose()?;
    let (valid, target) = key_and_target(env, p, &a.key, a.benefit.as_deref(), &a.target)?;
    let previews = rules::preview(&valid, &target, env.today);
    if let Some(mode) = mode {
        let (_, r) = previews
            .iter()
            .find(|(m, _)| *m == mode)
            .expect("every mode is previewed");
        if let Err(refusal) = r {
            return Err(Failure::refused(refusal, env.t()));
        }
        if env.json {
            let mut v = outcome_json(mode, r, env.t());
            v["target"] = target_json(&valid, &target);
            outln!("{v}");
        } else {
            out!(
                "{}{}",
                target_header(env, &valid, &target),
                outcome_text(mode, r, env.t())
            );
        }
        return Ok(());
    }
    if env.json {
        let mut v = target_json(&valid, &target);
        v["previews"] = previews
            .iter()
            .map(|(m, r)| outcome_json(*m, r, env.t()))
            .collect();
        outln!("{v}");
    } else {
        out!("{}", target_header(env, &valid, &target));
        for (m, r) in &previews {
            outln!("{}", outcome_text(*m, r, env.t()));
        }
    }
    Ok(())
}

/// On a terminal, ask; elsewhere, only `--yes` confirms.
pub(super) fn confirm(env: &Env, yes: bool, prompt: &str) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "confirmation-required",
            "not on a terminal: add --yes to confirm the redemption",
        ));
    }
    eprint!("{prompt} [y/N] ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok();
    if matches!(line.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        let _ = env;
        Err(Failure::error(
            "cancelled",
            "cancelled: nothing was redeemed",
        ))
    }
}

pub fn redeem(env: &Env, a: &RedeemArgs) -> Result<(), Failure> {
    let (mut portfolio, store) = open_for_write(env)?;
    let (Some(key), Some(mode)) = (&a.key, &a.mode) else {
        return super::keyless::redeem(env, a, portfolio, store);
    };
    let mode = parse_mode(mode)?;
    let (valid, target) = key_and_target(env, &portfolio, key, a.benefit.as_deref(), &a.target)?;
    let previews = rules::preview(&valid, &target, env.today);
    let (_, r) = previews
        .iter()
        .find(|(m, _)| *m == mode)
        .expect("every mode is previewed");
    if let Err(refusal) = r {
        return Err(Failure::refused(refusal, env.t()));
    }
    if !a.yes && !env.json {
        out!(
            "{}{}",
            target_header(env, &valid, &target),
            outcome_text(mode, r, env.t())
        );
    }
    confirm(env, a.yes, env.t().text("label.redeem"))?;
    let tenant = target.tenant.clone();
    let operation = Operation::Redeem {
        key: valid.key.clone(),
        tenant: tenant.clone(),
        target: target.target(),
        mode,
        location: a.target.location.clone(),
    };
    let user = portfolio.catalog.user.clone();
    let committed = store
        .execute(&mut portfolio, &user, env.today, &operation)
        .map_err(|e| commit_failure(e, env.t()))?;
    let Entry::Redemption {
        target,
        after,
        before,
        ..
    } = &committed.entry
    else {
        return Err(Failure::other_entry());
    };
    let sub_id = target.subscription_id();
    if env.json {
        outln!(
            "{}",
            json!({"redeemed": true, "seq": committed.seq, "mode": mode.as_str(), "key": valid.key.masked(),
                   "tenant": tenant, "subscription": sub_id,
                   "before": before.as_ref().map(totals_json), "after": totals_json(after)})
        );
    } else {
        outln!(
            "{} ✓ #{} {} → {}: {} {}, {} {}",
            env.t().text("label.redeemed"),
            committed.seq,
            valid.key.masked(),
            sub_id,
            env.t().text("label.total-licenses"),
            after.total_licenses,
            env.t().text("label.end-date"),
            env.t().date(after.end_date)
        );
    }
    Ok(())
}

pub fn activate(env: &Env, a: &ActivateArgs) -> Result<(), Failure> {
    let (mut portfolio, store) = open_for_write(env)?;
    let key = parse_key(&a.key, env)?;
    if a.machine.trim().is_empty() {
        return Err(Failure::usage(
            "invalid-machine",
            "--machine needs a name (host name or asset tag)",
        ));
    }
    let change = match a.change {
        Change::New => MachineChange::New,
        Change::None => MachineChange::None,
        Change::Hardware => MachineChange::Hardware,
        Change::Reimage => MachineChange::Reimage,
    };
    let os = match a.os {
        OsArg::Windows => Os::Windows,
        OsArg::Macos => Os::Macos,
    };
    let operation = Operation::Activate {
        key: key.clone(),
        machine: a.machine.clone(),
        change,
        os,
    };
    let user = portfolio.catalog.user.clone();
    let committed = store
        .execute(&mut portfolio, &user, env.today, &operation)
        .map_err(|e| commit_failure(e, env.t()))?;
    if let Entry::Activation {
        counted,
        used_before,
        used_after,
        allowed,
        benefit,
        ..
    } = &committed.entry
    {
        if env.json {
            outln!(
                "{}",
                json!({"activated": true, "seq": committed.seq, "benefit": benefit, "key": key.masked(),
                       "machine": a.machine, "counted": counted,
                       "before": {"used": used_before, "allowed": allowed},
                       "after": {"used": used_after, "allowed": allowed}})
            );
        } else {
            outln!(
                "#{} {} {}: {used_before}/{allowed} → {used_after}/{allowed} (+{counted})",
                committed.seq,
                key.masked(),
                a.machine
            );
        }
    }
    Ok(())
}

pub fn credit(env: &Env, action: &CreditAction) -> Result<(), Failure> {
    let (mut portfolio, store) = open_for_write(env)?;
    let operation = match action {
        CreditAction::Assign { benefit, user } => Operation::CreditAssign {
            benefit: benefit.clone(),
            to: user.clone(),
        },
        CreditAction::Remove { benefit } => Operation::CreditRemove {
            benefit: benefit.clone(),
        },
        CreditAction::Transfer { benefit, to } => Operation::CreditTransfer {
            benefit: benefit.clone(),
            to: to.clone(),
        },
    };
    let user = portfolio.catalog.user.clone();
    let committed = store
        .execute(&mut portfolio, &user, env.today, &operation)
        .map_err(|e| commit_failure(e, env.t()))?;
    let assigned = portfolio
        .cloud_by_id(committed.entry.benefit())
        .and_then(|b| b.credit.as_ref())
        .and_then(|c| c.assigned_to.clone());
    if env.json {
        outln!(
            "{}",
            json!({"ok": true, "seq": committed.seq, "op": committed.entry.op(),
                   "benefit": committed.entry.benefit(), "assigned_to": assigned})
        );
    } else {
        outln!(
            "#{} {} {}: {}",
            committed.seq,
            committed.entry.op(),
            committed.entry.benefit(),
            assigned.unwrap_or_else(|| "-".into())
        );
    }
    Ok(())
}
