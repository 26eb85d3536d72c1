//! What Partner Center provisions, as the catalog describes it. These types are the
//! YAML schema (see README "Catalog schema") and, folded with the ledger, the current state.

use super::date_field;
use super::key::ProductKey;
use super::list_field;
use super::status::{SubscriptionStatus, lifecycle_status};
use super::text_field;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub organization: Organization,
    pub user: User,
    #[serde(default)]
    pub offers: Vec<Offer>,
    #[serde(default)]
    pub tenants: Vec<Tenant>,
    #[serde(default, deserialize_with = "list_field::sized")]
    pub cloud_benefits: Vec<CloudBenefit>,
    #[serde(default, deserialize_with = "list_field::sized")]
    pub software_benefits: Vec<SoftwareBenefit>,
    /// Per product, the most licenses for one country and worldwide (licensing FAQ).
    #[serde(default)]
    pub license_caps: Vec<LicenseCap>,
    /// Language of the dashboard and messages (en-US, nl-NL, sv-SE); `--lang` wins, LANG follows.
    #[serde(default, deserialize_with = "text_field::optional")]
    pub language: Option<String>,
}

impl Catalog {
    /// Every product key, cloud benefits' then software benefits', in catalog order.
    pub fn keys(&self) -> impl Iterator<Item = &ProductKey> {
        let cloud = (self.cloud_benefits.iter())
            .filter_map(|b| b.license.as_ref())
            .flat_map(|l| l.keys.iter().map(|k| &k.key));
        let software = (self.software_benefits.iter()).flat_map(|b| b.keys.iter().map(|k| &k.key));
        cloud.chain(software)
    }

    /// The same keys in the same order, to change them in place.
    pub fn keys_mut(&mut self) -> impl Iterator<Item = &mut ProductKey> {
        let cloud = (self.cloud_benefits.iter_mut())
            .filter_map(|b| b.license.as_mut())
            .flat_map(|l| l.keys.iter_mut().map(|k| &mut k.key));
        let software =
            (self.software_benefits.iter_mut()).flat_map(|b| b.keys.iter_mut().map(|k| &mut k.key));
        cloud.chain(software)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    #[serde(deserialize_with = "text_field::string")]
    pub name: String,
    #[serde(deserialize_with = "text_field::string")]
    pub partner_id: String,
    #[serde(deserialize_with = "text_field::string")]
    pub country: String,
    /// Last day of the program enrollment year: cloud entitlements and bulk-credit transfers end here.
    #[serde(with = "date_field")]
    #[schemars(with = "date_field::IsoDate")]
    pub enrollment_year_end: NaiveDate,
    /// The headquarters and its associated locations, each in a country; licenses are
    /// shared among them within the caps (none listed: the headquarters in `country`).
    #[serde(default)]
    pub locations: Vec<Location>,
}

/// A location of the organization (the licensing FAQ's headquarters and associated locations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    #[serde(deserialize_with = "text_field::string")]
    pub id: String,
    #[serde(deserialize_with = "text_field::string")]
    pub name: String,
    /// ISO country code, e.g. NL.
    #[serde(deserialize_with = "text_field::string")]
    pub country: String,
    /// The headquarters (one location is); the others are associated with it.
    #[serde(default)]
    pub headquarters: bool,
}

/// The most licenses of a product the organization may use in one country and worldwide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenseCap {
    #[serde(deserialize_with = "text_field::string")]
    pub product: String,
    #[serde(default)]
    pub per_country: Option<u32>,
    #[serde(default)]
    pub worldwide: Option<u32>,
}

code_enum! {
    #[derive(JsonSchema)]
    pub enum Role {
        GlobalAdmin,
        MpnPartnerAdmin,
        BillingAdmin,
        AccountAdmin,
        Guest,
        ReadOnly,
    }
}

impl Role {
    /// Global admin and MPN Partner Admin may redeem; anyone else browses read-only.
    pub fn may_redeem(self) -> bool {
        matches!(self, Role::GlobalAdmin | Role::MpnPartnerAdmin)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    #[serde(deserialize_with = "text_field::string")]
    pub name: String,
    #[serde(deserialize_with = "text_field::string")]
    pub email: String,
    pub role: Role,
    /// Viewing keys is a permission of its own, separate from the role.
    #[serde(default)]
    pub can_view_keys: bool,
}

impl User {
    pub fn may_view_keys(&self) -> bool {
        self.can_view_keys
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OfferKind {
    ActionPack,
    SolutionsPartner,
    GoldCompetency,
    SilverCompetency,
}

impl OfferKind {
    /// Competency and Solutions Partner keys count every activation, re-images included.
    pub fn counts_every_activation(self) -> bool {
        !matches!(self, OfferKind::ActionPack)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    #[serde(deserialize_with = "text_field::string")]
    pub id: String,
    #[serde(deserialize_with = "text_field::string")]
    pub name: String,
    pub kind: OfferKind,
    /// Program name and specialization as the Source column shows it.
    #[serde(default, deserialize_with = "text_field::optional")]
    pub specialization: Option<String>,
    /// Action Pack: the country it was subscribed in, where alone its licenses may be used
    /// (default: the organization's country).
    #[serde(default, deserialize_with = "text_field::optional")]
    pub country: Option<String>,
    /// Its cloud benefits are redeemed without a key, as a guided $0 purchase
    /// ("Modernized Cloud Benefits Redemption").
    #[serde(default)]
    pub keyless: bool,
    /// The membership offer's end date, where a keyless redemption's end date aligns
    /// (default: the organization's enrollment year end).
    #[serde(default, with = "date_field::optional")]
    #[schemars(with = "Option<date_field::IsoDate>")]
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    #[serde(deserialize_with = "text_field::string")]
    pub id: String,
    #[serde(deserialize_with = "text_field::string")]
    pub name: String,
    /// e.g. `contoso.onmicrosoft.com`; typed back by the user to confirm the target tenant.
    #[serde(deserialize_with = "text_field::string")]
    pub domain: String,
    /// The directory's tenant id (a GUID): what Graph reports as `ownerTenantId`.
    #[serde(default, deserialize_with = "text_field::optional")]
    pub tenant_id: Option<String>,
    /// The location whose licenses a redemption on this tenant uses by default.
    #[serde(default, deserialize_with = "text_field::optional")]
    pub location: Option<String>,
    /// Under the organization's Microsoft Customer Agreement billing account: only such a
    /// tenant may take a keyless redemption.
    #[serde(default)]
    pub mca: bool,
    #[serde(default)]
    pub users: Vec<DirectoryUser>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectoryUser {
    #[serde(deserialize_with = "text_field::string")]
    pub name: String,
    #[serde(deserialize_with = "text_field::string")]
    pub email: String,
    /// Other Azure credit offers this user holds outside the catalog (Action Pack credit,
    /// Azure Pass ...): bulk credit cannot be combined with them.
    #[serde(default, deserialize_with = "text_field::list")]
    pub other_credits: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BenefitType {
    Core,
    Incremental,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudBenefit {
    #[serde(deserialize_with = "text_field::string")]
    pub id: String,
    /// Product name; subscriptions belong to a product, so keys of two benefits of the
    /// same product can be redeemed on the same subscription.
    #[serde(deserialize_with = "text_field::string")]
    pub product: String,
    #[serde(deserialize_with = "text_field::string")]
    pub offer: String,
    #[serde(rename = "type")]
    pub benefit_type: BenefitType,
    /// Last date to exercise the benefit.
    #[serde(with = "date_field")]
    #[schemars(with = "date_field::IsoDate")]
    pub activate_by: NaiveDate,
    /// Walkthrough texts under assets/walkthroughs/ (product family), e.g. `m365`.
    #[serde(default, deserialize_with = "text_field::optional")]
    pub walkthrough: Option<String>,
    /// Discontinued standalone benefit: the id of the benefit that replaces it.
    #[serde(default, deserialize_with = "text_field::optional")]
    pub replaced_by: Option<String>,
    #[serde(default)]
    pub license: Option<LicenseBenefit>,
    #[serde(default)]
    pub credit: Option<CreditBenefit>,
    /// Microsoft's part number of the product (Graph's `skuPartNumber`), when the built-in
    /// table does not know it or names it otherwise.
    #[serde(default, deserialize_with = "text_field::optional")]
    pub sku: Option<String>,
}

impl CloudBenefit {
    pub fn is_discontinued(&self) -> bool {
        self.replaced_by.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenseBenefit {
    /// License quantity, "25 licenses".
    pub quantity: u32,
    #[serde(default)]
    pub keys: Vec<CloudKey>,
    #[serde(default)]
    pub subscriptions: Vec<Subscription>,
    /// Licenses redeemed without a key, and the location they serve (the fold sets it;
    /// never in the catalog file).
    #[serde(default)]
    #[schemars(skip)]
    pub keyless_redeemed: Option<(u32, Option<String>)>,
}

impl LicenseBenefit {
    /// The licenses not yet redeemed, by key or without one.
    pub fn unredeemed(&self) -> u32 {
        // A key taken by a redemption without a key counts once, in `keyless_redeemed`.
        let by_keys = (self.keys.iter().filter(|k| k.redeemed && !k.without_key))
            .fold(0u32, |a, k| a.saturating_add(k.licenses));
        let keyless = self.keyless_redeemed.as_ref().map_or(0, |(n, _)| *n);
        self.quantity
            .saturating_sub(by_keys.saturating_add(keyless))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudKey {
    pub key: ProductKey,
    pub licenses: u32,
    #[serde(default)]
    pub redeemed: bool,
    /// The location its redemption serves (the fold sets it; never in the catalog file).
    #[serde(default)]
    #[schemars(skip)]
    pub location: Option<String>,
    /// Its licenses went in a redemption without a key (then `redeemed` too): the fold sets
    /// it; never in the catalog file.
    #[serde(default)]
    #[schemars(skip)]
    pub without_key: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    #[serde(deserialize_with = "text_field::string")]
    pub id: String,
    #[serde(deserialize_with = "text_field::string")]
    pub tenant: String,
    pub licenses: u32,
    #[serde(with = "date_field")]
    #[schemars(with = "date_field::IsoDate")]
    pub end_date: NaiveDate,
    /// Only `disabled` may be set: every other status derives from the end date.
    #[serde(default)]
    pub status: Option<SubscriptionStatus>,
    /// The companySubscription `id` Microsoft Graph reports for it.
    #[serde(default, deserialize_with = "text_field::optional")]
    pub graph_id: Option<String>,
    /// What the latest Graph import reported (never in the catalog file: the fold sets it).
    #[serde(default)]
    #[schemars(skip)]
    pub observed: Option<super::observation::Observed>,
}

impl Subscription {
    /// An observed status wins over the one the lifecycle derives from the end date.
    pub fn status(&self, today: NaiveDate) -> SubscriptionStatus {
        if let Some(o) = &self.observed {
            return o.status.lifecycle();
        }
        lifecycle_status(
            self.end_date,
            today,
            self.status == Some(SubscriptionStatus::Disabled),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CreditPeriod {
    Monthly,
    Bulk,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditBenefit {
    pub period: CreditPeriod,
    /// US dollars per month (monthly) or for the whole period (bulk).
    pub amount_usd: u32,
    #[serde(deserialize_with = "text_field::string")]
    pub tenant: String,
    /// Bulk credit: granted once for this period.
    #[serde(default, with = "date_field::optional")]
    #[schemars(with = "Option<date_field::IsoDate>")]
    pub start: Option<NaiveDate>,
    #[serde(default, with = "date_field::optional")]
    #[schemars(with = "Option<date_field::IsoDate>")]
    pub end: Option<NaiveDate>,
    #[serde(default, deserialize_with = "text_field::optional")]
    pub assigned_to: Option<String>,
    /// Reassignments already made this enrollment year (monthly credit allows five).
    #[serde(default)]
    pub reassignments: u32,
}

impl CreditBenefit {
    /// The fold counts a reassignment when a user loses the credit (remove or transfer):
    /// a removal opens one that the next assignment makes. So an unassigned credit that
    /// has lost a user has one reassignment open, not yet made.
    pub fn reassignments_made(&self) -> u32 {
        if self.assigning_reassigns() {
            self.reassignments - 1
        } else {
            self.reassignments
        }
    }

    /// Whether assigning now gives the credit to a new user after an earlier one.
    pub fn assigning_reassigns(&self) -> bool {
        self.assigned_to.is_none() && self.reassignments > 0
    }
}

pub const MAX_MONTHLY_REASSIGNMENTS: u32 = 5;
pub const FREE_MAIL_DOMAINS: &[&str] = &["live.com", "hotmail.com", "gmail.com", "outlook.com"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SoftwareFamily {
    Windows,
    WindowsServer,
    Office,
    Server,
    Cal,
    Tools,
}

impl SoftwareFamily {
    /// Windows operating systems and Office client applications need activation.
    pub fn needs_activation_by_default(self) -> bool {
        matches!(
            self,
            SoftwareFamily::Windows | SoftwareFamily::WindowsServer | SoftwareFamily::Office
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SoftwareBenefit {
    #[serde(deserialize_with = "text_field::string")]
    pub id: String,
    #[serde(deserialize_with = "text_field::string")]
    pub product: String,
    #[serde(deserialize_with = "text_field::string")]
    pub offer: String,
    pub family: SoftwareFamily,
    /// Quantity in activations, "10 activations".
    pub quantity: u32,
    #[serde(with = "date_field")]
    #[schemars(with = "date_field::IsoDate")]
    pub activate_by: NaiveDate,
    #[serde(default, deserialize_with = "text_field::optional")]
    pub walkthrough: Option<String>,
    /// Overrides the family default (Windows and Office need activation).
    #[serde(default)]
    pub needs_activation: Option<bool>,
    /// Keys from internal-use rights for Office Professional Plus 2019 do not work on macOS.
    #[serde(default = "yes")]
    pub macos_supported: bool,
    #[serde(default)]
    pub editions: Vec<Edition>,
    #[serde(default)]
    pub keys: Vec<SoftwareKey>,
    #[serde(default, deserialize_with = "text_field::list")]
    pub notes: Vec<String>,
}

fn yes() -> bool {
    true
}

impl SoftwareBenefit {
    pub fn needs_activation(&self) -> bool {
        self.needs_activation
            .unwrap_or_else(|| self.family.needs_activation_by_default())
    }

    /// CALs are not downloadable and not edition-specific: "No further details available".
    pub fn is_cal(&self) -> bool {
        self.family == SoftwareFamily::Cal
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    #[serde(deserialize_with = "text_field::string")]
    pub name: String,
    #[serde(default, deserialize_with = "text_field::optional")]
    pub version: Option<String>,
    #[serde(default, deserialize_with = "text_field::list")]
    pub languages: Vec<String>,
    /// "32-bit", "64-bit"
    #[serde(default, deserialize_with = "text_field::list")]
    pub architectures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SoftwareKey {
    pub key: ProductKey,
    #[serde(default)]
    pub activations_used: u32,
    pub activations_allowed: u32,
}
