//! Redeeming without a key ("Modernized Cloud Benefits Redemption"): where Microsoft has
//! rolled it out, a keyless offer's cloud benefit is redeemed as a guided $0 purchase on a
//! tenant under the organization's Microsoft Customer Agreement billing account. The
//! licenses are the benefit's not yet redeemed; the end date aligns to the membership
//! offer's end date (not today + 12 months). Keys remain the rule everywhere else.

use super::Target;
use super::rules::{self, Ctx, TargetOption};
use crate::domain::{
    BenefitRef, CloudBenefit, Entry, Offer, Param, Portfolio, Refusal, RefusalCode,
    SubscriptionStatus, Tenant, Totals, ledger,
};

/// What a keyless redemption of `benefit` on `tenant` would do, every rule checked in the
/// order a user meets them: the benefit, keyless, activate-by, role, the billing account,
/// licenses left, the target, the caps.
pub fn plan_keyless(
    ctx: Ctx<'_>,
    benefit: &str,
    tenant: &str,
    target: Option<&Target>,
    location: Option<&str>,
) -> Result<Entry, Refusal> {
    check_benefit(ctx, benefit)?;
    rules::check_role(ctx.user)?;
    preview_keyless(ctx, benefit, tenant, target, location)
}

/// `plan_keyless` without the role: what a read-only user's preview goes by (the dialog
/// up to Review order details); the write itself checks the role.
pub fn preview_keyless(
    ctx: Ctx<'_>,
    benefit: &str,
    tenant: &str,
    target: Option<&Target>,
    location: Option<&str>,
) -> Result<Entry, Refusal> {
    let p = ctx.portfolio;
    let (cb, offer) = check_benefit(ctx, benefit)?;
    let t = check_tenant(p, tenant)?;
    let licenses = licenses_left(cb)?;
    let option = rules::find_target(ctx, &cb.product, &t.id, target)?;
    let at = crate::domain::caps::location_for(p, &t.id, location)?;
    crate::domain::caps::check(p, cb, &at, licenses)?;
    let after = totals_after(&option, licenses, end_date(p, offer))?;
    let target_ref = match &option.subscription {
        Some(id) => ledger::Target::Existing {
            subscription: id.clone(),
        },
        None => ledger::Target::New {
            tenant: option.tenant.clone(),
            subscription: p.next_subscription_id(&option.tenant, &cb.product),
        },
    };
    Ok(Entry::KeylessRedemption {
        benefit: cb.id.clone(),
        target: target_ref,
        tenant: option.tenant.clone(),
        licenses,
        before: option.current,
        after,
        date: ctx.today,
        user: ctx.user.email.clone(),
        location: Some(at.id),
    })
}

/// The benefit (by id) is a license benefit of a keyless offer, before its activate-by
/// date: the benefit and its offer.
pub fn check_benefit<'p>(
    ctx: Ctx<'p>,
    benefit: &str,
) -> Result<(&'p CloudBenefit, &'p Offer), Refusal> {
    let p = ctx.portfolio;
    let unknown = || Refusal::new(RefusalCode::UnknownBenefit).with(Param::Benefit, benefit);
    let Some(BenefitRef::Cloud(b)) = p.benefit(benefit) else {
        return Err(unknown());
    };
    let cb = p.cloud(b);
    let not_keyless =
        || Refusal::new(RefusalCode::BenefitNotKeyless).with(Param::Benefit, &cb.product);
    // Azure credit is assigned to a user, never redeemed.
    cb.license.as_ref().ok_or_else(not_keyless)?;
    let offer = p.catalog.offers.iter().find(|o| o.id == cb.offer);
    let Some(offer) = offer.filter(|o| o.keyless) else {
        return Err(not_keyless());
    };
    rules::check_activate_by(cb.activate_by, ctx.today)?;
    Ok((cb, offer))
}

/// Only a tenant under the organization's Microsoft Customer Agreement billing account
/// redeems without a key.
pub fn check_tenant<'p>(p: &'p Portfolio, tenant: &str) -> Result<&'p Tenant, Refusal> {
    let t = p
        .tenant(tenant)
        .ok_or_else(|| Refusal::new(RefusalCode::UnknownTenant).with(Param::Tenant, tenant))?;
    if !t.mca {
        return Err(
            Refusal::new(RefusalCode::TenantNotUnderBillingAccount).with(Param::Tenant, &t.domain)
        );
    }
    Ok(t)
}

/// The licenses a keyless redemption takes: the benefit's not yet redeemed, by keys or
/// without one; refused when none are left.
pub fn licenses_left(cb: &CloudBenefit) -> Result<u32, Refusal> {
    let left = cb.license.as_ref().map_or(0, |l| l.unredeemed());
    if left == 0 {
        return Err(
            Refusal::new(RefusalCode::KeylessAlreadyRedeemed).with(Param::Benefit, &cb.product)
        );
    }
    Ok(left)
}

/// Where a keyless redemption's end date aligns: the membership offer's end date, else the
/// enrollment year's end.
pub fn end_date(p: &Portfolio, offer: &Offer) -> chrono::NaiveDate {
    offer
        .end_date
        .unwrap_or(p.catalog.organization.enrollment_year_end)
}

/// Whether "Redeem without a key" is offered for `benefit` (by id): a keyless offer's
/// license benefit in time, with licenses left, and a tenant under the billing account to
/// take them. Keys stay the default; this is offered beside them.
pub fn offered(ctx: Ctx<'_>, benefit: &str) -> bool {
    check_benefit(ctx, benefit).is_ok_and(|(cb, _)| licenses_left(cb).is_ok())
        && ctx.portfolio.catalog.tenants.iter().any(|t| t.mca)
}

/// An Active subscription keeps its licenses and gains the benefit's; any other starts
/// with the benefit's. Either way it ends on the membership offer's end date.
fn totals_after(
    option: &TargetOption,
    licenses: u32,
    end: chrono::NaiveDate,
) -> Result<Totals, Refusal> {
    let active = match (option.status, option.current) {
        (SubscriptionStatus::Active, Some(t)) => t.total_licenses,
        _ => 0,
    };
    let total = active.checked_add(licenses).ok_or_else(|| {
        Refusal::new(RefusalCode::LicenseTotalTooLarge)
            .with(Param::KeyLicenses, licenses)
            .with(Param::Licenses, active)
            .with(Param::Max, u32::MAX)
    })?;
    Ok(Totals {
        total_licenses: total,
        end_date: end,
    })
}

#[cfg(test)]
mod tests;
