//! The checks a product key and a target must pass, each rule in one function. The
//! state machine calls them step by step; `plan_redemption` calls them all again inside
//! the store's write transaction, so a stale screen can never redeem what it shouldn't.

use super::Target;
use crate::domain::{
    Entry, KeyRef, Mode, Param, Portfolio, ProductKey, Refusal, RefusalCode, SubscriptionStatus,
    Totals, User, ledger,
};
use crate::licensing::{self, Outcome, TargetState};
use chrono::NaiveDate;
use serde::Serialize;

/// What the rules need besides the state: who acts, and on which day.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub portfolio: &'a Portfolio,
    pub user: &'a User,
    pub today: NaiveDate,
}

/// A key that passed validation: known, cloud, unredeemed, in time, and the user may redeem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidKey {
    pub key: ProductKey,
    pub benefit: usize,
    pub index: usize,
    pub benefit_id: String,
    pub product: String,
    pub licenses: u32,
}

pub fn check_role(user: &User) -> Result<(), Refusal> {
    if user.role.may_redeem() {
        Ok(())
    } else {
        Err(Refusal::new(RefusalCode::RoleNotPermitted).with(Param::Role, user.role.as_str()))
    }
}

pub fn parse_key(input: &str) -> Result<ProductKey, Refusal> {
    ProductKey::parse(input)
        .map_err(|e| Refusal::new(RefusalCode::InvalidKeyFormat).with(Param::Detail, e.to_string()))
}

pub fn check_activate_by(activate_by: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if crate::domain::summary::past_activate_by(activate_by, today) {
        Err(Refusal::new(RefusalCode::BenefitExpired).with(Param::Date, activate_by))
    } else {
        Ok(())
    }
}

/// Validate typed input as a cloud key, in the order a user meets the problems: format,
/// known, not yet redeemed, right product, before activate-by, role.
pub fn validate_cloud_key(
    ctx: Ctx<'_>,
    input: &str,
    expected_product: Option<&str>,
) -> Result<ValidKey, Refusal> {
    let valid = preview_cloud_key(ctx, input, expected_product)?;
    check_role(ctx.user)?;
    Ok(valid)
}

/// `validate_cloud_key` without the role: what a read-only user's preview goes by (the
/// dialog up to Review order details); the write itself checks the role.
pub fn preview_cloud_key(
    ctx: Ctx<'_>,
    input: &str,
    expected_product: Option<&str>,
) -> Result<ValidKey, Refusal> {
    let key = parse_key(input)?;
    let (b, k) = match ctx.portfolio.key(&key) {
        None => return Err(Refusal::new(RefusalCode::UnknownKey).with(Param::Key, &key)),
        Some(KeyRef::Software { .. }) => {
            return Err(Refusal::new(RefusalCode::NotACloudKey).with(Param::Key, &key));
        }
        Some(KeyRef::Cloud { benefit, key }) => (benefit, key),
    };
    let benefit = ctx.portfolio.cloud(b);
    let lic = benefit
        .license
        .as_ref()
        .expect("cloud keys live under license benefits");
    let ck = &lic.keys[k];
    if ck.redeemed && ck.without_key {
        return Err(Refusal::new(RefusalCode::KeyTakenWithoutKey)
            .with(Param::Benefit, &benefit.product)
            .with(Param::Key, &key));
    }
    if ck.redeemed {
        return Err(Refusal::new(RefusalCode::KeyAlreadyRedeemed).with(Param::Key, &key));
    }
    if let Some(expected) = expected_product
        && expected != benefit.product
    {
        return Err(Refusal::new(RefusalCode::KeyProductMismatch)
            .with(Param::KeyProduct, &benefit.product)
            .with(Param::Product, expected));
    }
    check_activate_by(benefit.activate_by, ctx.today)?;
    Ok(ValidKey {
        key,
        benefit: b,
        index: k,
        benefit_id: benefit.id.clone(),
        product: benefit.product.clone(),
        licenses: ck.licenses,
    })
}

/// A place a key can go: an existing subscription of its product, or a new one on a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetOption {
    pub tenant: String,
    pub tenant_name: String,
    pub domain: String,
    /// None: a new subscription.
    pub subscription: Option<String>,
    pub status: SubscriptionStatus,
    pub current: Option<Totals>,
}

impl TargetOption {
    /// The target an `Operation::Redeem` names for this option.
    pub fn target(&self) -> Target {
        self.subscription
            .clone()
            .map_or(Target::New, Target::Existing)
    }

    pub fn state(&self) -> TargetState {
        match (self.status, self.current) {
            (SubscriptionStatus::Active, Some(t)) => TargetState::Active(t),
            (status, current) => TargetState::Inactive { status, current },
        }
    }
}

/// Every target for a product, tenant by tenant: its subscriptions, then "new subscription".
pub fn targets(ctx: Ctx<'_>, product: &str) -> Vec<TargetOption> {
    let mut out = Vec::new();
    for tenant in &ctx.portfolio.catalog.tenants {
        for sub in ctx.portfolio.subscriptions_of_product(product) {
            if sub.tenant == tenant.id {
                out.push(TargetOption {
                    tenant: tenant.id.clone(),
                    tenant_name: tenant.name.clone(),
                    domain: tenant.domain.clone(),
                    subscription: Some(sub.id.clone()),
                    status: sub.status(ctx.today),
                    current: Some(Totals {
                        total_licenses: sub.licenses,
                        end_date: sub.end_date,
                    }),
                });
            }
        }
        out.push(TargetOption {
            tenant: tenant.id.clone(),
            tenant_name: tenant.name.clone(),
            domain: tenant.domain.clone(),
            subscription: None,
            status: SubscriptionStatus::NoActiveSubscription,
            current: None,
        });
    }
    out
}

/// Resolve a tenant (id or domain) and a target into a target option for `product`;
/// without a target, the tenant's latest-ending subscription of the product, else a new one.
pub fn find_target(
    ctx: Ctx<'_>,
    product: &str,
    tenant: &str,
    target: Option<&Target>,
) -> Result<TargetOption, Refusal> {
    let t = ctx
        .portfolio
        .tenant(tenant)
        .ok_or_else(|| Refusal::new(RefusalCode::UnknownTenant).with(Param::Tenant, tenant))?;
    let all = targets(ctx, product);
    let mut on_tenant = all.into_iter().filter(|o| o.tenant == t.id);
    match target {
        Some(Target::New) => on_tenant
            .find(|o| o.subscription.is_none())
            .ok_or_else(|| Refusal::new(RefusalCode::UnknownTenant).with(Param::Tenant, tenant)),
        Some(Target::Existing(id)) => {
            if let Some((b, _)) = ctx.portfolio.subscription(id)
                && b.product != product
            {
                return Err(Refusal::new(RefusalCode::SubscriptionWrongProduct)
                    .with(Param::Subscription, id)
                    .with(Param::Product, product));
            }
            on_tenant
                .find(|o| o.subscription.as_ref() == Some(id))
                .ok_or_else(|| {
                    Refusal::new(RefusalCode::UnknownSubscription).with(Param::Subscription, id)
                })
        }
        None => {
            let opts: Vec<_> = on_tenant.collect();
            let best = opts
                .iter()
                .filter(|o| o.subscription.is_some())
                .max_by_key(|o| o.current.map(|c| c.end_date))
                .or_else(|| opts.iter().find(|o| o.subscription.is_none()));
            Ok(best
                .cloned()
                .expect("a tenant always offers a new subscription"))
        }
    }
}

/// The tenant is confirmed by typing its domain back, exactly (case and outer spaces aside).
pub fn check_tenant_confirmation(target: &TargetOption, typed: &str) -> Result<(), Refusal> {
    if typed.trim().eq_ignore_ascii_case(&target.domain) {
        Ok(())
    } else {
        Err(Refusal::new(RefusalCode::TenantNotConfirmed).with(Param::Domain, &target.domain))
    }
}

/// Every mode's outcome or refusal, side by side.
pub type Previews = Vec<(Mode, Result<Outcome, Refusal>)>;

/// Every mode for one key on one target, side by side. A new subscription can only be activated.
pub fn preview(key: &ValidKey, target: &TargetOption, today: NaiveDate) -> Previews {
    licensing::preview_all(target.state(), key.licenses, today)
        .into_iter()
        .map(|(m, r)| {
            if target.subscription.is_none() && m != Mode::Activate {
                (m, Err(Refusal::new(RefusalCode::ModeNotApplicable)))
            } else {
                (m, r)
            }
        })
        .collect()
}

/// `preview`, with the license caps checked for the location the target's tenant serves:
/// a mode the caps refuse shows their refusal (a mode refused for its own reason keeps it),
/// so the preview refuses what the plan would refuse at Redeem, with the same numbers.
pub fn preview_within_caps(ctx: Ctx<'_>, key: &ValidKey, target: &TargetOption) -> Previews {
    let previews = preview(key, target, ctx.today);
    match check_caps(ctx, key, &target.tenant, None) {
        Ok(_) => previews,
        Err(cap) => (previews.into_iter())
            .map(|(m, r)| (m, r.and_then(|_| Err(cap.clone()))))
            .collect(),
    }
}

/// All the rules at once, against the freshest state: the ledger entry to write, or why not.
/// `Operation::Redeem` plans through here.
pub fn plan_redemption(
    ctx: Ctx<'_>,
    key: &ProductKey,
    tenant: &str,
    target: Option<&Target>,
    mode: Mode,
) -> Result<Entry, Refusal> {
    plan_redemption_at(ctx, key, tenant, target, mode, None)
}

/// `plan_redemption` for a location of the organization (none: the tenant's, else the
/// headquarters), refused when it would pass a license cap.
pub fn plan_redemption_at(
    ctx: Ctx<'_>,
    key: &ProductKey,
    tenant: &str,
    target: Option<&Target>,
    mode: Mode,
    location: Option<&str>,
) -> Result<Entry, Refusal> {
    let valid = validate_cloud_key(ctx, &key.formatted(), None)?;
    let target = find_target(ctx, &valid.product, tenant, target)?;
    let at = check_caps(ctx, &valid, &target.tenant, location)?;
    let outcome = preview(&valid, &target, ctx.today)
        .into_iter()
        .find(|(m, _)| *m == mode)
        .map(|(_, r)| r)
        .expect("every mode is previewed")?;
    let target_ref = match &target.subscription {
        Some(id) => ledger::Target::Existing {
            subscription: id.clone(),
        },
        None => ledger::Target::New {
            tenant: target.tenant.clone(),
            subscription: ctx
                .portfolio
                .next_subscription_id(&target.tenant, &valid.product),
        },
    };
    Ok(Entry::Redemption {
        key_fingerprint: valid.key.fingerprint(),
        key_masked: valid.key.masked(),
        benefit: valid.benefit_id,
        target: target_ref,
        tenant: target.tenant,
        mode,
        key_licenses: valid.licenses,
        before: outcome.before,
        after: outcome.after,
        date: ctx.today,
        user: ctx.user.email.clone(),
        location: Some(at.id),
    })
}

/// The location a key's licenses serve on `tenant`, once the caps allow them there.
pub fn check_caps(
    ctx: Ctx<'_>,
    valid: &ValidKey,
    tenant: &str,
    location: Option<&str>,
) -> Result<crate::domain::Location, Refusal> {
    use crate::domain::caps;
    let at = caps::location_for(ctx.portfolio, tenant, location)?;
    caps::check(
        ctx.portfolio,
        ctx.portfolio.cloud(valid.benefit),
        &at,
        valid.licenses,
    )?;
    Ok(at)
}
