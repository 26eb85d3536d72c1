//! Azure credit assignment. One credit has one user; one user holds at most one active
//! credit; free mail domains cannot be assigned. Monthly credit: add and remove at any time,
//! at most five reassignments (removing a user is always possible; giving the credit to a
//! new user after an earlier one is what counts). Bulk credit: no Remove, only transfer
//! during the enrollment year, and not combined with other credit offers. Messages name the
//! benefit and the user as the screens do, never by an id.

use super::rules::{Ctx, check_activate_by, check_role};
use crate::domain::{
    BenefitRef, CloudBenefit, CreditBenefit, CreditPeriod, Entry, FREE_MAIL_DOMAINS,
    MAX_MONTHLY_REASSIGNMENTS, Param, Refusal, RefusalCode, Value,
};

pub(super) fn credit<'a>(
    ctx: Ctx<'a>,
    benefit: &str,
) -> Result<(&'a CloudBenefit, &'a CreditBenefit), Refusal> {
    match ctx.portfolio.benefit(benefit) {
        Some(BenefitRef::Cloud(i)) => {
            let b = ctx.portfolio.cloud(i);
            b.credit.as_ref().map(|c| (b, c)).ok_or_else(|| {
                Refusal::new(RefusalCode::NotACredit).with(Param::Benefit, &b.product)
            })
        }
        Some(BenefitRef::Software(i)) => Err(Refusal::new(RefusalCode::NotACredit)
            .with(Param::Benefit, &ctx.portfolio.software(i).product)),
        None => Err(Refusal::new(RefusalCode::UnknownBenefit).with(Param::Benefit, benefit)),
    }
}

/// A user as the messages name them: "Chen Li (chen@contoso.onmicrosoft.com)" when the
/// credit tenant's directory knows the address, else the address as given.
pub fn user_label(ctx: Ctx<'_>, c: &CreditBenefit, email: &str) -> String {
    ctx.portfolio
        .tenant(&c.tenant)
        .and_then(|t| t.users.iter().find(|u| u.email.eq_ignore_ascii_case(email)))
        .map_or_else(
            || email.to_string(),
            |u| format!("{} ({})", u.name, u.email),
        )
}

/// A bulk credit is active through its end date; a monthly one while assigned.
fn is_active(c: &CreditBenefit, today: chrono::NaiveDate) -> bool {
    c.assigned_to.is_some() && c.end.is_none_or(|end| today <= end)
}

pub fn is_free_mail(email: &str) -> bool {
    email.rsplit_once('@').is_some_and(|(_, domain)| {
        FREE_MAIL_DOMAINS
            .iter()
            .any(|d| domain.eq_ignore_ascii_case(d))
    })
}

/// Can `email` receive the credit `benefit`? (Directory, mail domain, one credit a user, bulk alone.)
fn check_assignee(
    ctx: Ctx<'_>,
    benefit: &CloudBenefit,
    c: &CreditBenefit,
    email: &str,
) -> Result<(), Refusal> {
    if is_free_mail(email) {
        return Err(Refusal::new(RefusalCode::FreeMailDomain).with(Param::User, email));
    }
    let tenant = ctx
        .portfolio
        .tenant(&c.tenant)
        .ok_or_else(|| Refusal::new(RefusalCode::UnknownTenant).with(Param::Tenant, &c.tenant))?;
    let Some(user) = tenant
        .users
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(email))
    else {
        return Err(Refusal::new(RefusalCode::UserNotInDirectory)
            .with(Param::User, email)
            .with(Param::Tenant, &tenant.domain));
    };
    if let Some(other) = ctx.portfolio.catalog.cloud_benefits.iter().find(|b| {
        b.id != benefit.id
            && b.credit.as_ref().is_some_and(|oc| {
                is_active(oc, ctx.today)
                    && oc
                        .assigned_to
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(email))
            })
    }) {
        return Err(Refusal::new(RefusalCode::UserAlreadyHasCredit)
            .with(Param::User, user_label(ctx, c, email))
            .with(Param::Benefit, &other.product));
    }
    if c.period == CreditPeriod::Bulk && !user.other_credits.is_empty() {
        return Err(Refusal::new(RefusalCode::BulkCreditNotCombinable)
            .with(Param::User, user_label(ctx, c, email))
            .with(
                Param::Other,
                Value::CreditOffers(user.other_credits.clone()),
            ));
    }
    Ok(())
}

/// Giving a monthly credit to a new user after `made` reassignments: the sixth is refused.
fn check_reassignment(c: &CreditBenefit, made: u32) -> Result<(), Refusal> {
    if c.period == CreditPeriod::Monthly && made >= MAX_MONTHLY_REASSIGNMENTS {
        Err(Refusal::new(RefusalCode::ReassignmentLimitReached)
            .with(Param::Max, MAX_MONTHLY_REASSIGNMENTS))
    } else {
        Ok(())
    }
}

/// The credit is taken: bulk credit can only be transferred, monthly also removed.
fn already_assigned(ctx: Ctx<'_>, c: &CreditBenefit, holder: &str) -> Refusal {
    let code = match c.period {
        CreditPeriod::Monthly => RefusalCode::CreditAlreadyAssigned,
        CreditPeriod::Bulk => RefusalCode::BulkCreditAlreadyAssigned,
    };
    Refusal::new(code).with(Param::User, user_label(ctx, c, holder))
}

pub fn plan_assign(ctx: Ctx<'_>, benefit: &str, email: &str) -> Result<Entry, Refusal> {
    check_role(ctx.user)?;
    preview_assign(ctx, benefit, email)
}

/// `plan_assign` without the role: what the credit dialog previews for anyone.
pub fn preview_assign(ctx: Ctx<'_>, benefit: &str, email: &str) -> Result<Entry, Refusal> {
    let (b, c) = credit(ctx, benefit)?;
    check_activate_by(b.activate_by, ctx.today)?;
    if let Some(current) = &c.assigned_to {
        return Err(already_assigned(ctx, c, current));
    }
    if c.assigning_reassigns() {
        check_reassignment(c, c.reassignments_made())?;
    }
    check_assignee(ctx, b, c, email)?;
    Ok(Entry::CreditAssign {
        benefit: b.id.clone(),
        to: email.to_string(),
        date: ctx.today,
        user: ctx.user.email.clone(),
    })
}

/// Taking a monthly credit from its user is always possible (someone who left keeps
/// nothing); only giving it to a new user afterwards counts against the five.
pub fn plan_remove(ctx: Ctx<'_>, benefit: &str) -> Result<Entry, Refusal> {
    check_role(ctx.user)?;
    preview_remove(ctx, benefit)
}

/// `plan_remove` without the role: what the credit dialog previews for anyone.
pub fn preview_remove(ctx: Ctx<'_>, benefit: &str) -> Result<Entry, Refusal> {
    let (b, c) = credit(ctx, benefit)?;
    if c.period == CreditPeriod::Bulk {
        return Err(Refusal::new(RefusalCode::RemoveNotAvailableForBulk));
    }
    let Some(from) = &c.assigned_to else {
        return Err(Refusal::new(RefusalCode::CreditNotAssigned).with(Param::Benefit, &b.product));
    };
    Ok(Entry::CreditRemove {
        benefit: b.id.clone(),
        from: from.clone(),
        date: ctx.today,
        user: ctx.user.email.clone(),
    })
}

pub fn plan_transfer(ctx: Ctx<'_>, benefit: &str, to: &str) -> Result<Entry, Refusal> {
    check_role(ctx.user)?;
    preview_transfer(ctx, benefit, to)
}

/// `plan_transfer` without the role: what the credit dialog previews for anyone.
pub fn preview_transfer(ctx: Ctx<'_>, benefit: &str, to: &str) -> Result<Entry, Refusal> {
    let (b, c) = credit(ctx, benefit)?;
    let Some(from) = &c.assigned_to else {
        return Err(Refusal::new(RefusalCode::CreditNotAssigned).with(Param::Benefit, &b.product));
    };
    if from.eq_ignore_ascii_case(to) {
        return Err(already_assigned(ctx, c, from));
    }
    if c.period == CreditPeriod::Bulk
        && ctx.today > ctx.portfolio.catalog.organization.enrollment_year_end
    {
        return Err(
            Refusal::new(RefusalCode::TransferOutsideEnrollmentYear).with(
                Param::Date,
                ctx.portfolio.catalog.organization.enrollment_year_end,
            ),
        );
    }
    check_reassignment(c, c.reassignments_made())?;
    check_assignee(ctx, b, c, to)?;
    Ok(Entry::CreditTransfer {
        benefit: b.id.clone(),
        from: from.clone(),
        to: to.to_string(),
        date: ctx.today,
        user: ctx.user.email.clone(),
    })
}
