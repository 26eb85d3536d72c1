//! Why a rule refused an operation. The code is stable (kebab-case, documented in the
//! README, printed in JSON); the words come from `i18n`, filled from typed `params`, so each
//! language shows a date, a status or a count its own way without parsing a string back.

use super::key::ProductKey;
use super::status::SubscriptionStatus;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

code_enum! {
    /// One enum↔string mapping: strum derives `as_str`, `FromStr` and `ALL` from the same
    /// kebab-case rule serde uses (a test checks they agree).
    pub enum RefusalCode {
        InvalidKeyFormat,
        UnknownKey,
        KeyAlreadyRedeemed,
        KeyAlreadyEntered,
        KeyProductMismatch,
        NotACloudKey,
        NotASoftwareKey,
        ExtensionExceedsThreeYears,
        LicenseTotalTooLarge,
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
        MachineNameRequired,
        NotACredit,
        UnknownBenefit,
        UserNotInDirectory,
        FreeMailDomain,
        CreditAlreadyAssigned,
        BulkCreditAlreadyAssigned,
        CreditNotAssigned,
        UserAlreadyHasCredit,
        BulkCreditNotCombinable,
        RemoveNotAvailableForBulk,
        TransferOutsideEnrollmentYear,
        ReassignmentLimitReached,
        NoLicensesOnSubscription,
        ModeNotApplicable,
        NoActivationNeeded,
        // Corrections (domain::correction).
        CorrectionReasonRequired,
        CorrectionNoteRequired,
        CannotCorrectACorrection,
        EntryAlreadyCorrected,
        NotTheLatestCreditChange,
        UnknownEntry,
        CountryCapExceeded,
        WorldwideCapExceeded,
        ActionPackOtherCountry,
        LocationNotInOrganization,
        BenefitNotKeyless,
        TenantNotUnderBillingAccount,
        KeylessAlreadyRedeemed,
        /// A key whose licenses a redemption without a key took already.
        KeyTakenWithoutKey,
    }
}

impl RefusalCode {
    /// The message id of this refusal's text.
    pub fn message_id(self) -> String {
        format!("refusal.{}", self.as_str())
    }
}

impl fmt::Display for RefusalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

code_enum! {
    case = "snake_case",
    /// The name of a value a refusal's message shows: its `{placeholder}` in the catalogs.
    #[derive(PartialOrd, Ord)]
    pub enum Param {
        Detail,
        Key,
        KeyProduct,
        Product,
        KeyLicenses,
        Licenses,
        Status,
        Date,
        Subscription,
        Tenant,
        Domain,
        Role,
        Used,
        Allowed,
        Benefit,
        User,
        Other,
        Max,
        Entry,
        Country,
        Location,
    }
}

/// A value as typed as the rule knew it; `i18n` renders it for a language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Shown as written (a name, an email, a masked key, a detail).
    Text(String),
    Count(u64),
    /// Shown in the language's date format.
    Date(NaiveDate),
    /// Shown in words ("Expired", "Verlopen").
    Status(SubscriptionStatus),
    /// Credit offers held outside the catalog (`other_credits`): each shown by its name
    /// when the language knows it (`other-credit.<id>`), else as written.
    CreditOffers(Vec<String>),
}

impl fmt::Display for Value {
    /// The language-neutral form (logs, `Display` of a refusal).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) => f.write_str(s),
            Value::Count(n) => write!(f, "{n}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::Status(s) => f.write_str(s.as_str()),
            Value::CreditOffers(v) => f.write_str(&v.join(", ")),
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::Text(s.clone())
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Count(n.into())
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Count(n)
    }
}

impl From<NaiveDate> for Value {
    fn from(d: NaiveDate) -> Self {
        Value::Date(d)
    }
}

impl From<SubscriptionStatus> for Value {
    fn from(s: SubscriptionStatus) -> Self {
        Value::Status(s)
    }
}

/// A key is only ever a param masked: the whole key cannot get into a refusal.
impl From<&ProductKey> for Value {
    fn from(k: &ProductKey) -> Self {
        Value::Text(k.masked())
    }
}

/// A refusal with the values its message needs. Never holds a whole product key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Refusal {
    pub code: RefusalCode,
    pub params: Vec<(Param, Value)>,
}

impl Refusal {
    pub fn new(code: RefusalCode) -> Self {
        Self {
            code,
            params: Vec::new(),
        }
    }

    pub fn with(mut self, name: Param, value: impl Into<Value>) -> Self {
        self.params.push((name, value.into()));
        self
    }

    pub fn param(&self, name: Param) -> Option<&Value> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// `code name=value ...`, language-neutral.
    fn describe(&self) -> String {
        let mut s = self.code.as_str().to_string();
        for (n, v) in &self.params {
            s.push_str(&format!(" {}={v}", n.as_str()));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_and_params_have_one_string_form_for_serde_and_strum() {
        for code in RefusalCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json.as_str(), Some(code.as_str()));
            assert_eq!(code.as_str().parse::<RefusalCode>().ok(), Some(*code));
        }
        for p in Param::ALL {
            let json = serde_json::to_value(p).unwrap();
            assert_eq!(json.as_str(), Some(p.as_str()));
        }
    }

    #[test]
    fn a_key_param_is_always_masked() {
        let k = ProductKey::parse("AAAA1-BBBB2-CCCC3-DDDD4-EEEE5").unwrap();
        let r = Refusal::new(RefusalCode::UnknownKey).with(Param::Key, &k);
        assert_eq!(r.param(Param::Key), Some(&Value::Text(k.masked())));
        assert!(!r.to_string().contains(&k.formatted()));
    }
}
