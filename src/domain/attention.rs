//! Whether a benefit needs the administrator's attention (issue 13, bug 2): something is
//! still to do — an unredeemed key, unassigned credit, unused activations — and its
//! activate-by date is within 30 days or past. A discontinued benefit without keys has
//! nothing to do itself: it points to its replacement instead of counting.
//!
//! One rule for every surface: `list --attention`, the dashboard's marks and counts.

use super::model::{CloudBenefit, SoftwareBenefit};
use super::summary::days_left;
use chrono::NaiveDate;

/// From this many days before activate-by on, work left on a benefit needs attention.
pub const WITHIN_DAYS: i64 = 30;

/// A benefit of either page, for the one rule below.
#[derive(Debug, Clone, Copy)]
pub enum Benefit<'a> {
    Cloud(&'a CloudBenefit),
    Software(&'a SoftwareBenefit),
}

/// What is still to do on a benefit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Todo {
    /// Product keys not redeemed yet (how many).
    UnredeemedKeys(u32),
    /// Azure credit nobody is assigned to.
    UnassignedCredit,
    /// Activations left on the keys of a product that is activated (how many).
    UnusedActivations(u32),
}

impl Todo {
    /// The code scripts read (`list --attention --json`, CSV).
    pub fn as_str(self) -> &'static str {
        match self {
            Todo::UnredeemedKeys(_) => "unredeemed-keys",
            Todo::UnassignedCredit => "unassigned-credit",
            Todo::UnusedActivations(_) => "unused-activations",
        }
    }

    /// The i18n id of what is to do, in words (its `{n}` is `count`).
    pub fn message_id(self) -> &'static str {
        match self {
            Todo::UnredeemedKeys(_) => "attention.unredeemed-keys",
            Todo::UnassignedCredit => "attention.unassigned-credit",
            Todo::UnusedActivations(_) => "attention.unused-activations",
        }
    }

    /// Keys or activations left; 1 for unassigned credit.
    pub fn count(self) -> u32 {
        match self {
            Todo::UnredeemedKeys(n) | Todo::UnusedActivations(n) => n,
            Todo::UnassignedCredit => 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attention<'a> {
    /// Nothing left to do, or activate-by is more than 30 days away.
    None,
    /// Work left with activate-by `days_left` days away (negative: past).
    Needed { todo: Todo, days_left: i64 },
    /// Discontinued, without keys: the work is on the benefit with this id.
    Replaced { by: &'a str },
}

impl Attention<'_> {
    /// Does it count in "n need attention" (and make `list --attention` exit 1)?
    pub fn counts(&self) -> bool {
        matches!(self, Attention::Needed { .. })
    }
}

/// The rule. Software that needs no activation (CALs, server products) has nothing the
/// ledger can record, so it never needs attention: it could never clear.
pub fn attention(benefit: Benefit<'_>, today: NaiveDate) -> Attention<'_> {
    let (todo, activate_by) = match benefit {
        Benefit::Cloud(b) => {
            let keys = b.license.as_ref().map_or(&[][..], |l| &l.keys[..]);
            if let (Some(by), true) = (b.replaced_by.as_deref(), keys.is_empty()) {
                return Attention::Replaced { by };
            }
            let todo = match (&b.license, &b.credit) {
                (Some(_), _) => {
                    let left = keys.iter().filter(|k| !k.redeemed).count();
                    (left > 0)
                        .then(|| Todo::UnredeemedKeys(u32::try_from(left).unwrap_or(u32::MAX)))
                }
                (None, Some(c)) => c.assigned_to.is_none().then_some(Todo::UnassignedCredit),
                (None, None) => None,
            };
            (todo, b.activate_by)
        }
        Benefit::Software(b) => {
            let left = (b.keys.iter())
                .map(|k| k.activations_allowed.saturating_sub(k.activations_used))
                .fold(0u32, u32::saturating_add);
            let todo = (b.needs_activation() && left > 0).then_some(Todo::UnusedActivations(left));
            (todo, b.activate_by)
        }
    };
    let days_left = days_left(activate_by, today);
    match todo {
        Some(todo) if days_left <= WITHIN_DAYS => Attention::Needed { todo, days_left },
        _ => Attention::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn key(s: &str) -> crate::domain::ProductKey {
        crate::domain::ProductKey::parse(s).unwrap()
    }

    fn cloud(activate_by: &str, keys: &[bool]) -> CloudBenefit {
        CloudBenefit {
            id: "e5".into(),
            product: "Microsoft 365 E5".into(),
            offer: "sp".into(),
            benefit_type: BenefitType::Core,
            activate_by: day(activate_by),
            walkthrough: None,
            replaced_by: None,
            license: Some(LicenseBenefit {
                quantity: 25,
                keys: (keys.iter().enumerate())
                    .map(|(i, &redeemed)| CloudKey {
                        key: key(&format!("AAAAA-BBBBB-CCCCC-DDDDD-EEEE{i}")),
                        licenses: 25,
                        redeemed,
                        location: None,
                        without_key: false,
                    })
                    .collect(),
                subscriptions: vec![],
                keyless_redeemed: None,
            }),
            credit: None,
            sku: None,
        }
    }

    fn credit(assigned: Option<&str>) -> CloudBenefit {
        CloudBenefit {
            license: None,
            credit: Some(CreditBenefit {
                period: CreditPeriod::Monthly,
                amount_usd: 100,
                tenant: "contoso".into(),
                start: None,
                end: None,
                assigned_to: assigned.map(String::from),
                reassignments: 0,
            }),
            ..cloud("2026-12-15", &[])
        }
    }

    fn software(family: SoftwareFamily, used: u32, allowed: u32) -> SoftwareBenefit {
        SoftwareBenefit {
            id: "sw".into(),
            product: "Windows 11 Enterprise".into(),
            offer: "ap".into(),
            family,
            quantity: allowed,
            activate_by: day("2026-12-15"),
            walkthrough: None,
            needs_activation: None,
            macos_supported: true,
            editions: vec![],
            keys: vec![SoftwareKey {
                key: key("WWWWW-BBBBB-CCCCC-DDDDD-EEEE1"),
                activations_used: used,
                activations_allowed: allowed,
            }],
            notes: vec![],
        }
    }

    const TODAY: &str = "2026-11-23";

    #[test]
    fn attention_means_something_still_to_do_with_activate_by_within_30_days_or_past() {
        let today = day(TODAY);
        // An unredeemed key, 22 days before activate-by: needed.
        let due = cloud("2026-12-15", &[false]);
        assert_eq!(
            attention(Benefit::Cloud(&due), today),
            Attention::Needed {
                todo: Todo::UnredeemedKeys(1),
                days_left: 22
            }
        );
        // Its only key redeemed: nothing left to do, the attention clears.
        let done = cloud("2026-12-15", &[true]);
        assert_eq!(attention(Benefit::Cloud(&done), today), Attention::None);
        // Exactly 30 days away counts; 31 does not.
        let edge = cloud("2026-12-23", &[false, true, false]);
        assert_eq!(
            attention(Benefit::Cloud(&edge), today),
            Attention::Needed {
                todo: Todo::UnredeemedKeys(2),
                days_left: 30
            }
        );
        let later = cloud("2026-12-24", &[false]);
        assert_eq!(attention(Benefit::Cloud(&later), today), Attention::None);
        // Past, with a key left: needed, with the days past.
        let past = cloud("2026-10-31", &[false]);
        assert!(matches!(
            attention(Benefit::Cloud(&past), today),
            Attention::Needed { days_left: -23, .. }
        ));
        // Unassigned credit needs attention; assigned credit does not.
        assert_eq!(
            attention(Benefit::Cloud(&credit(None)), today),
            Attention::Needed {
                todo: Todo::UnassignedCredit,
                days_left: 22
            }
        );
        let assigned = credit(Some("ada@contoso.onmicrosoft.com"));
        assert_eq!(attention(Benefit::Cloud(&assigned), today), Attention::None);
        // Unused activations on a product that is activated; none left, or a product that
        // needs no activation (nothing the ledger could record), is nothing to do.
        let win = software(SoftwareFamily::Windows, 3, 10);
        assert_eq!(
            attention(Benefit::Software(&win), today),
            Attention::Needed {
                todo: Todo::UnusedActivations(7),
                days_left: 22
            }
        );
        let full = software(SoftwareFamily::Windows, 10, 10);
        assert_eq!(attention(Benefit::Software(&full), today), Attention::None);
        let server = software(SoftwareFamily::Server, 0, 2);
        assert_eq!(
            attention(Benefit::Software(&server), today),
            Attention::None
        );
        let mut activated_server = software(SoftwareFamily::Server, 0, 2);
        activated_server.needs_activation = Some(true);
        assert!(attention(Benefit::Software(&activated_server), today).counts());
    }

    #[test]
    fn a_discontinued_benefit_without_keys_points_to_its_replacement_instead_of_counting() {
        let today = day(TODAY);
        let mut old = cloud("2026-12-01", &[]);
        old.replaced_by = Some("m365-e3".into());
        let a = attention(Benefit::Cloud(&old), today);
        assert_eq!(a, Attention::Replaced { by: "m365-e3" });
        assert!(!a.counts());
        // With a key still to redeem, a discontinued benefit counts like any other.
        let mut with_key = cloud("2026-12-01", &[false]);
        with_key.replaced_by = Some("m365-e3".into());
        assert!(attention(Benefit::Cloud(&with_key), today).counts());
    }
}
