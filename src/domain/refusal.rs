//! Why a rule refused an operation. The code is stable (kebab-case, documented in the
//! README, printed in JSON); the words come from `i18n`, filled from `params`.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefusalCode {
    InvalidKeyFormat,
    UnknownKey,
    KeyAlreadyRedeemed,
    KeyAlreadyEntered,
    KeyProductMismatch,
    NotACloudKey,
    NotASoftwareKey,
    ExtensionExceedsThreeYears,
    SubscriptionNotActive,
    SubscriptionActive,
    SubscriptionWrongProduct,
    UnknownSubscription,
    UnknownTenant,
    TenantNotConfirmed,
    BenefitExpired,
    RoleNotPermitted,
    MaxActivationsReached,
    NotSupportedOnMacos,
    NotACredit,
    UnknownBenefit,
    UserNotInDirectory,
    FreeMailDomain,
    CreditAlreadyAssigned,
    CreditNotAssigned,
    UserAlreadyHasCredit,
    BulkCreditNotCombinable,
    RemoveNotAvailableForBulk,
    TransferOutsideEnrollmentYear,
    ReassignmentLimitReached,
    NoLicensesOnSubscription,
    ModeNotApplicable,
    NoActivationNeeded,
}

impl RefusalCode {
    pub fn as_str(self) -> &'static str {
        use RefusalCode::*;
        match self {
            InvalidKeyFormat => "invalid-key-format",
            UnknownKey => "unknown-key",
            KeyAlreadyRedeemed => "key-already-redeemed",
            KeyAlreadyEntered => "key-already-entered",
            KeyProductMismatch => "key-product-mismatch",
            NotACloudKey => "not-a-cloud-key",
            NotASoftwareKey => "not-a-software-key",
            ExtensionExceedsThreeYears => "extension-exceeds-three-years",
            SubscriptionNotActive => "subscription-not-active",
            SubscriptionActive => "subscription-active",
            SubscriptionWrongProduct => "subscription-wrong-product",
            UnknownSubscription => "unknown-subscription",
            UnknownTenant => "unknown-tenant",
            TenantNotConfirmed => "tenant-not-confirmed",
            BenefitExpired => "benefit-expired",
            RoleNotPermitted => "role-not-permitted",
            MaxActivationsReached => "max-activations-reached",
            NotSupportedOnMacos => "not-supported-on-macos",
            NotACredit => "not-a-credit",
            UnknownBenefit => "unknown-benefit",
            UserNotInDirectory => "user-not-in-directory",
            FreeMailDomain => "free-mail-domain",
            CreditAlreadyAssigned => "credit-already-assigned",
            CreditNotAssigned => "credit-not-assigned",
            UserAlreadyHasCredit => "user-already-has-credit",
            BulkCreditNotCombinable => "bulk-credit-not-combinable",
            RemoveNotAvailableForBulk => "remove-not-available-for-bulk",
            TransferOutsideEnrollmentYear => "transfer-outside-enrollment-year",
            ReassignmentLimitReached => "reassignment-limit-reached",
            NoLicensesOnSubscription => "no-licenses-on-subscription",
            ModeNotApplicable => "mode-not-applicable",
            NoActivationNeeded => "no-activation-needed",
        }
    }

    pub const ALL: &'static [RefusalCode] = {
        use RefusalCode::*;
        &[
            InvalidKeyFormat,
            UnknownKey,
            KeyAlreadyRedeemed,
            KeyAlreadyEntered,
            KeyProductMismatch,
            NotACloudKey,
            NotASoftwareKey,
            ExtensionExceedsThreeYears,
            SubscriptionNotActive,
            SubscriptionActive,
            SubscriptionWrongProduct,
            UnknownSubscription,
            UnknownTenant,
            TenantNotConfirmed,
            BenefitExpired,
            RoleNotPermitted,
            MaxActivationsReached,
            NotSupportedOnMacos,
            NotACredit,
            UnknownBenefit,
            UserNotInDirectory,
            FreeMailDomain,
            CreditAlreadyAssigned,
            CreditNotAssigned,
            UserAlreadyHasCredit,
            BulkCreditNotCombinable,
            RemoveNotAvailableForBulk,
            TransferOutsideEnrollmentYear,
            ReassignmentLimitReached,
            NoLicensesOnSubscription,
            ModeNotApplicable,
            NoActivationNeeded,
        ]
    };
}

impl fmt::Display for RefusalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refusal with the values its message needs (`{detail}`, `{max}`, `{date}` ...).
/// Never holds a whole product key: callers put the masked form in params.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub code: RefusalCode,
    pub params: Vec<(&'static str, String)>,
}

impl Refusal {
    pub fn new(code: RefusalCode) -> Self {
        Self {
            code,
            params: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        for (n, v) in &self.params {
            write!(f, " {n}={v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}
