//! The checks a product key and a target must pass, each rule in one function. The
//! state machine calls them step by step; `plan_redemption` calls them all again inside
//! the store's write transaction, so a stale screen can never redeem what it shouldn't.

use crate::domain::{
    Entry, KeyRef, Mode, Portfolio, ProductKey, Refusal, RefusalCode, SubscriptionStatus, Target,
    Totals, User,
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
        Err(Refusal::new(RefusalCode::RoleNotPermitted).with("role", user.role.as_str()))
    }
}

pub fn parse_key(input: &str) -> Result<ProductKey, Refusal> {
    ProductKey::parse(input)
        .map_err(|e| Refusal::new(RefusalCode::InvalidKeyFormat).with("detail", e))
}

pub fn check_activate_by(activate_by: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if today > activate_by {
        Err(Refusal::new(RefusalCode::BenefitExpired).with("date", activate_by))
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
    let key = parse_key(input)?;
    let (b, k) = match ctx.portfolio.key(&key) {
        None => return Err(Refusal::new(RefusalCode::UnknownKey).with("key", key.masked())),
        Some(KeyRef::Software { .. }) => {
            return Err(Refusal::new(RefusalCode::NotACloudKey).with("key", key.masked()));
        }
        Some(KeyRef::Cloud { benefit, key }) => (benefit, key),
    };
    let benefit = ctx.portfolio.cloud(b);
    let lic = benefit
        .license
        .as_ref()
        .expect("cloud keys live under license benefits");
    let ck = &lic.keys[k];
    if ck.redeemed {
        return Err(Refusal::new(RefusalCode::KeyAlreadyRedeemed).with("key", key.masked()));
    }
    if let Some(expected) = expected_product
        && expected != benefit.product
    {
        return Err(Refusal::new(RefusalCode::KeyProductMismatch)
            .with("key_product", &benefit.product)
            .with("product", expected));
    }
    check_activate_by(benefit.activate_by, ctx.today)?;
    check_role(ctx.user)?;
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

/// Resolve a tenant (id or domain) and optional subscription id into a target for `product`.
pub fn find_target(
    ctx: Ctx<'_>,
    product: &str,
    tenant: &str,
    subscription: Option<&str>,
) -> Result<TargetOption, Refusal> {
    let t = ctx
        .portfolio
        .tenant(tenant)
        .ok_or_else(|| Refusal::new(RefusalCode::UnknownTenant).with("tenant", tenant))?;
    let all = targets(ctx, product);
    let on_tenant = all.into_iter().filter(|o| o.tenant == t.id);
    match subscription {
        Some("new") => on_tenant
            .into_iter()
            .find(|o| o.subscription.is_none())
            .ok_or_else(|| Refusal::new(RefusalCode::UnknownTenant).with("tenant", tenant)),
        Some(id) => {
            if let Some((b, _)) = ctx.portfolio.subscription(id)
                && b.product != product
            {
                return Err(Refusal::new(RefusalCode::SubscriptionWrongProduct)
                    .with("subscription", id)
                    .with("product", product));
            }
            let mut on_tenant = on_tenant;
            on_tenant
                .find(|o| o.subscription.as_deref() == Some(id))
                .ok_or_else(|| {
                    Refusal::new(RefusalCode::UnknownSubscription).with("subscription", id)
                })
        }
        // Without a subscription: the one that exists (the latest-ending), else a new one.
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
        Err(Refusal::new(RefusalCode::TenantNotConfirmed).with("domain", &target.domain))
    }
}

/// Every mode for one key on one target, side by side. A new subscription can only be activated.
pub fn preview(
    key: &ValidKey,
    target: &TargetOption,
    today: NaiveDate,
) -> Vec<(Mode, Result<Outcome, Refusal>)> {
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

/// All the rules at once, against the freshest state: the ledger entry to write, or why not.
pub fn plan_redemption(
    ctx: Ctx<'_>,
    key: &ProductKey,
    tenant: &str,
    subscription: Option<&str>,
    mode: Mode,
) -> Result<Entry, Refusal> {
    let valid = validate_cloud_key(ctx, &key.formatted(), None)?;
    let target = find_target(ctx, &valid.product, tenant, subscription)?;
    let outcome = preview(&valid, &target, ctx.today)
        .into_iter()
        .find(|(m, _)| *m == mode)
        .map(|(_, r)| r)
        .expect("every mode is previewed")?;
    let target_ref = match &target.subscription {
        Some(id) => Target::Existing {
            subscription: id.clone(),
        },
        None => Target::New {
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
    })
}

/// Plan what the redemption dialog asked for: its request names a subscription, or none
/// for a new one (the dialog lists "new subscription" as a target of its own).
pub fn plan_request(ctx: Ctx<'_>, req: &super::CommitRequest) -> Result<Entry, Refusal> {
    plan_redemption(
        ctx,
        &req.key,
        &req.tenant,
        Some(req.subscription.as_deref().unwrap_or("new")),
        req.mode,
    )
}
