//! License caps and consumption (the licensing FAQ, seed 002): licenses may be shared
//! between the headquarters and its associated locations, across countries, within each
//! product's per-country and worldwide maximum; Action Pack licenses only in the country the
//! Action Pack was subscribed in; never across organizations (a location must be one of the
//! organization's). What is used is what redeemed keys carried, at the location each served.

use super::Portfolio;
use super::model::{CloudBenefit, LicenseCap, Location, OfferKind};
use super::refusal::{Param, Refusal, RefusalCode};
use serde::Serialize;
use std::collections::BTreeMap;

/// The organization's locations; a catalog that lists none has its headquarters in the
/// organization's country.
pub fn locations(p: &Portfolio) -> Vec<Location> {
    let org = &p.catalog.organization;
    if org.locations.is_empty() {
        return vec![Location {
            id: "headquarters".into(),
            name: org.name.clone(),
            country: org.country.clone(),
            headquarters: true,
        }];
    }
    org.locations.clone()
}

fn headquarters(all: &[Location]) -> &Location {
    all.iter().find(|l| l.headquarters).unwrap_or(&all[0])
}

/// The location a redemption on `tenant` serves: `asked` (it must be the organization's),
/// else the tenant's `location`, else the headquarters.
pub fn location_for(p: &Portfolio, tenant: &str, asked: Option<&str>) -> Result<Location, Refusal> {
    let all = locations(p);
    let wanted = asked.or_else(|| p.tenant(tenant).and_then(|t| t.location.as_deref()));
    match wanted {
        None => Ok(headquarters(&all).clone()),
        Some(id) => all.iter().find(|l| l.id == id).cloned().ok_or_else(|| {
            Refusal::new(RefusalCode::LocationNotInOrganization)
                .with(Param::Location, id)
                .with(Param::Other, &p.catalog.organization.name)
        }),
    }
}

/// Licenses of `product` used per country: every redeemed key's licenses in the country of
/// the location its redemption served (a key the catalog marks redeemed: the headquarters'),
/// and the licenses redeemed without a key in the country of theirs.
pub fn used(p: &Portfolio, product: &str) -> BTreeMap<String, u32> {
    let all = locations(p);
    let country = |id: Option<&String>| {
        id.and_then(|id| all.iter().find(|l| l.id == *id))
            .unwrap_or_else(|| headquarters(&all))
            .country
            .clone()
    };
    let mut out = BTreeMap::new();
    let mut add = |at: Option<&String>, licenses: u32| {
        let n: &mut u32 = out.entry(country(at)).or_default();
        *n = n.saturating_add(licenses);
    };
    for l in (p.cloud_of_product(product)).filter_map(|b| b.license.as_ref()) {
        // A key taken without a key is counted once, with the keyless licenses.
        for k in l.keys.iter().filter(|k| k.redeemed && !k.without_key) {
            add(k.location.as_ref(), k.licenses);
        }
        if let Some((n, at)) = &l.keyless_redeemed {
            add(at.as_ref(), *n);
        }
    }
    out
}

fn cap<'p>(p: &'p Portfolio, product: &str) -> Option<&'p LicenseCap> {
    p.catalog.license_caps.iter().find(|c| c.product == product)
}

/// Whether `adds` more licenses of `benefit` may be used at `at`: Action Pack only in its
/// own country, then the per-country and the worldwide maximum.
pub fn check(
    p: &Portfolio,
    benefit: &CloudBenefit,
    at: &Location,
    adds: u32,
) -> Result<(), Refusal> {
    let offer = p.catalog.offers.iter().find(|o| o.id == benefit.offer);
    if let Some(o) = offer.filter(|o| o.kind == OfferKind::ActionPack) {
        let own = o
            .country
            .as_deref()
            .unwrap_or(&p.catalog.organization.country);
        if !own.eq_ignore_ascii_case(&at.country) {
            return Err(Refusal::new(RefusalCode::ActionPackOtherCountry)
                .with(Param::Product, &benefit.product)
                .with(Param::Country, own)
                .with(Param::Location, &at.name)
                .with(Param::Other, &at.country));
        }
    }
    let Some(c) = cap(p, &benefit.product) else {
        return Ok(());
    };
    let used = used(p, &benefit.product);
    let here = used.get(&at.country).copied().unwrap_or(0);
    let refuse = |code, max: u32, used: u32| {
        Refusal::new(code)
            .with(Param::Max, max)
            .with(Param::Used, used)
            .with(Param::Country, &at.country)
            .with(Param::KeyLicenses, adds)
            .with(Param::Product, &benefit.product)
    };
    if let Some(max) = c.per_country
        && u64::from(here) + u64::from(adds) > u64::from(max)
    {
        return Err(refuse(RefusalCode::CountryCapExceeded, max, here));
    }
    let total: u32 = used.values().fold(0u32, |a, n| a.saturating_add(*n));
    if let Some(max) = c.worldwide
        && u64::from(total) + u64::from(adds) > u64::from(max)
    {
        return Err(refuse(RefusalCode::WorldwideCapExceeded, max, total));
    }
    Ok(())
}

/// One product's record of licenses: entitled, used per country and worldwide, consumed
/// (as Graph last reported), against its caps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub product: String,
    pub entitled: u32,
    pub used: BTreeMap<String, u32>,
    pub used_worldwide: u32,
    pub consumed: Option<u32>,
    pub per_country: Option<u32>,
    pub worldwide: Option<u32>,
}

impl Usage {
    /// How many more licenses the caps leave for `country` (None: no cap applies): the
    /// per-country maximum less what the country uses, and the worldwide maximum less
    /// what is used everywhere, whichever is smaller. `check` refuses exactly what passes it.
    pub fn room_in(&self, country: &str) -> Option<u32> {
        let here = self.used.get(country).copied().unwrap_or(0);
        let per = self.per_country.map(|m| m.saturating_sub(here));
        [per, self.room_worldwide()].into_iter().flatten().min()
    }

    /// What the worldwide maximum leaves (None: the product has none).
    pub fn room_worldwide(&self) -> Option<u32> {
        (self.worldwide).map(|m| m.saturating_sub(self.used_worldwide))
    }
}

/// Every license product of the catalog, in catalog order. Each product's benefits come
/// from the portfolio's index, so the cost is the catalog's, not products × benefits (a
/// catalog of 20k products took 15 s in a debug build).
pub fn usage(p: &Portfolio) -> Vec<Usage> {
    let mut seen = std::collections::HashSet::new();
    let products = (p.catalog.cloud_benefits.iter())
        .filter(|b| b.license.is_some() && seen.insert(b.product.as_str()))
        .map(|b| b.product.as_str());
    let mut caps = std::collections::HashMap::new();
    for c in &p.catalog.license_caps {
        caps.entry(c.product.as_str()).or_insert(c);
    }
    products
        .map(|product| {
            let entitled = (p.cloud_of_product(product))
                .filter_map(|b| b.license.as_ref())
                .fold(0u32, |a, l| a.saturating_add(l.quantity));
            let used = used(p, product);
            let consumed = (p.subscriptions_of_product(product))
                .filter_map(|s| s.observed.as_ref().and_then(|o| o.consumed))
                .reduce(u32::saturating_add);
            let c = caps.get(product);
            Usage {
                product: product.to_string(),
                entitled,
                used_worldwide: used.values().fold(0u32, |a, n| a.saturating_add(*n)),
                used,
                consumed,
                per_country: c.and_then(|c| c.per_country),
                worldwide: c.and_then(|c| c.worldwide),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
