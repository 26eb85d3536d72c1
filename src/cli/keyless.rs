//! `benefits redeem --keyless --benefit ID --tenant T`: a keyless offer's benefit redeemed
//! without a key, planned by the same `Operation` the dashboard would write, through
//! `Store::execute`.

use super::args::RedeemArgs;
use super::output::totals_json;
use super::{Env, Failure, commit_failure};
use crate::domain::{Entry, Portfolio};
use crate::redeem::{Operation, Target};
use crate::store::Store;
use serde_json::json;

pub fn redeem(
    env: &Env,
    a: &RedeemArgs,
    mut portfolio: Portfolio,
    store: Store,
) -> Result<(), Failure> {
    let benefit = a
        .benefit
        .clone()
        .ok_or_else(|| Failure::usage("benefit-required", "--keyless needs --benefit ID"))?;
    let tenant = match &a.target.tenant {
        Some(t) => t.clone(),
        None => {
            return Err(Failure::usage(
                "tenant-required",
                "--keyless needs --tenant (an id or domain)",
            ));
        }
    };
    let target = match a.target.subscription.as_deref() {
        Some("new") => Target::New,
        Some(id) => Target::Existing(id.to_string()),
        // As with a key: the tenant's latest-ending subscription of the product, else new.
        None => match portfolio.cloud_by_id(&benefit) {
            Some(b) => {
                let ctx = crate::redeem::Ctx {
                    portfolio: &portfolio,
                    user: &portfolio.catalog.user,
                    today: env.today,
                };
                crate::redeem::rules::find_target(ctx, &b.product, &tenant, None)
                    .map_err(|r| Failure::refused(&r, env.t()))?
                    .target()
            }
            None => Target::New,
        },
    };
    let operation = Operation::RedeemKeyless {
        benefit,
        tenant,
        target,
        location: a.target.location.clone(),
    };
    let user = portfolio.catalog.user.clone();
    // The same plan as the write, shown before asking.
    let planned = operation
        .plan(crate::redeem::Ctx {
            portfolio: &portfolio,
            user: &user,
            today: env.today,
        })
        .map_err(|r| Failure::refused(&r, env.t()))?;
    let t = env.t();
    if let (
        false,
        false,
        Entry::KeylessRedemption {
            after, licenses, ..
        },
    ) = (a.yes, env.json, &planned)
    {
        outln!(
            "{}: {} {licenses}, {} {}",
            t.text("label.keyless"),
            t.text("label.total-licenses"),
            after.total_licenses,
            t.date(after.end_date)
        );
    }
    super::ops::confirm(env, a.yes, t.text("label.keyless"))?;
    let committed = store
        .execute(&mut portfolio, &user, env.today, &operation)
        .map_err(|e| commit_failure(e, t))?;
    let Entry::KeylessRedemption {
        target,
        tenant,
        licenses,
        before,
        after,
        ..
    } = &committed.entry
    else {
        return Err(Failure::other_entry());
    };
    if env.json {
        outln!(
            "{}",
            json!({"redeemed": true, "keyless": true, "seq": committed.seq, "tenant": tenant,
                   "subscription": target.subscription_id(), "licenses": licenses,
                   "before": before.as_ref().map(totals_json), "after": totals_json(after)})
        );
    } else {
        outln!(
            "{} ✓ #{} {} → {}: {} {}, {} {}",
            t.text("label.redeemed"),
            committed.seq,
            t.text("label.keyless"),
            target.subscription_id(),
            t.text("label.total-licenses"),
            after.total_licenses,
            t.text("label.end-date"),
            t.date(after.end_date)
        );
    }
    Ok(())
}
