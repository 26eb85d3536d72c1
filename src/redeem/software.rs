//! Software activations, counted per key: a new machine counts one; the same machine with
//! no significant hardware change counts none; with significant hardware change, one.
//! Competency and Solutions Partner keys count every activation, re-images included.

use super::rules::{Ctx, check_activate_by, check_role};
use crate::domain::{
    Entry, KeyRef, MachineChange, OfferKind, Os, Param, ProductKey, Refusal, RefusalCode,
};

/// How many activations one install consumes.
pub fn activations_counted(offer: OfferKind, change: MachineChange) -> u32 {
    if offer.counts_every_activation() {
        return 1;
    }
    match change {
        MachineChange::New | MachineChange::Hardware => 1,
        // Action Pack: a re-image on unchanged hardware is the same machine, no change.
        MachineChange::None | MachineChange::Reimage => 0,
    }
}

/// Which software benefit and key `key` is, or why it is none.
fn software_key(ctx: Ctx<'_>, key: &ProductKey) -> Result<(usize, usize), Refusal> {
    match ctx.portfolio.key(key) {
        Some(KeyRef::Software { benefit, key }) => Ok((benefit, key)),
        Some(KeyRef::Cloud { .. }) => {
            Err(Refusal::new(RefusalCode::NotASoftwareKey).with(Param::Key, key))
        }
        None => Err(Refusal::new(RefusalCode::UnknownKey).with(Param::Key, key)),
    }
}

/// The ledger entry for activating `key` on `machine`, or why it is refused.
pub fn plan_activation(
    ctx: Ctx<'_>,
    key: &ProductKey,
    machine: &str,
    change: MachineChange,
    os: Os,
) -> Result<Entry, Refusal> {
    software_key(ctx, key)?;
    check_role(ctx.user)?;
    preview_activation(ctx, key, machine, change, os)
}

/// `plan_activation` without the role: what the activation dialog previews, so a
/// read-only user sees activations used before → after; only the write checks the role.
pub fn preview_activation(
    ctx: Ctx<'_>,
    key: &ProductKey,
    machine: &str,
    change: MachineChange,
    os: Os,
) -> Result<Entry, Refusal> {
    let (b, k) = software_key(ctx, key)?;
    let benefit = ctx.portfolio.software(b);
    if !benefit.needs_activation() {
        return Err(
            Refusal::new(RefusalCode::NoActivationNeeded).with(Param::Product, &benefit.product)
        );
    }
    check_activate_by(benefit.activate_by, ctx.today)?;
    if os == Os::Macos && !benefit.macos_supported {
        return Err(
            Refusal::new(RefusalCode::NotSupportedOnMacos).with(Param::Product, &benefit.product)
        );
    }
    let offer = ctx
        .portfolio
        .catalog
        .offers
        .iter()
        .find(|o| o.id == benefit.offer)
        .map(|o| o.kind)
        .unwrap_or(OfferKind::SolutionsPartner);
    let sk = &benefit.keys[k];
    let counted = activations_counted(offer, change);
    let used_after = sk.activations_used.saturating_add(counted);
    if used_after > sk.activations_allowed {
        return Err(Refusal::new(RefusalCode::MaxActivationsReached)
            .with(Param::Used, sk.activations_used)
            .with(Param::Allowed, sk.activations_allowed));
    }
    // Last: whatever else stands in the way is the more useful thing to say first.
    if machine.trim().is_empty() {
        return Err(Refusal::new(RefusalCode::MachineNameRequired));
    }
    Ok(Entry::Activation {
        key_fingerprint: key.fingerprint(),
        key_masked: key.masked(),
        benefit: benefit.id.clone(),
        machine: machine.to_string(),
        change,
        os,
        counted,
        used_before: sk.activations_used,
        used_after,
        allowed: sk.activations_allowed,
        date: ctx.today,
        user: ctx.user.email.clone(),
    })
}
