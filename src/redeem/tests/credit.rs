//! Azure credit: assign, remove, transfer, and every rule of DOMAIN.md about them.

use super::*;
use crate::domain::{MachineChange, Mode, Os, Role};
use crate::redeem::credit::{is_free_mail, plan_assign, plan_remove, plan_transfer};
use crate::redeem::rules;
use crate::redeem::software::plan_activation;

// --- Azure credit ---

#[test]
fn credit_user_must_exist_in_tenant_directory() {
    let mut p = portfolio();
    {
        let e = plan_remove(ctx(&p), "az-monthly").unwrap();
        apply(&mut p, e);
    }
    assert_eq!(
        code(plan_assign(
            ctx(&p),
            "az-monthly",
            "zed@contoso.onmicrosoft.com"
        )),
        RefusalCode::UserNotInDirectory
    );
    assert!(plan_assign(ctx(&p), "az-monthly", "bob@contoso.onmicrosoft.com").is_ok());
}

#[test]
fn credit_free_mail_domains_cannot_be_assigned() {
    let p = portfolio();
    assert!(
        is_free_mail("x@Hotmail.com") && is_free_mail("x@live.com") && is_free_mail("x@gmail.com")
    );
    assert_eq!(
        code(plan_assign(ctx(&p), "az-bulk", "gee@gmail.com")),
        RefusalCode::FreeMailDomain
    );
}

#[test]
fn credit_one_credit_has_one_user() {
    let p = portfolio();
    assert_eq!(
        code(plan_assign(
            ctx(&p),
            "az-monthly",
            "bob@contoso.onmicrosoft.com"
        )),
        RefusalCode::CreditAlreadyAssigned
    );
}

#[test]
fn credit_one_user_holds_at_most_one_active_credit() {
    let p = portfolio();
    assert_eq!(
        code(plan_assign(
            ctx(&p),
            "az-bulk",
            "ada@contoso.onmicrosoft.com"
        )),
        RefusalCode::UserAlreadyHasCredit
    );
}

#[test]
fn bulk_credit_cannot_be_combined_with_other_credit_offers() {
    let p = portfolio();
    assert_eq!(
        code(plan_assign(
            ctx(&p),
            "az-bulk",
            "cy@contoso.onmicrosoft.com"
        )),
        RefusalCode::BulkCreditNotCombinable
    );
}

#[test]
fn bulk_credit_remove_is_not_available_only_transfer() {
    let mut p = portfolio();
    {
        let e = plan_assign(ctx(&p), "az-bulk", "bob@contoso.onmicrosoft.com").unwrap();
        apply(&mut p, e);
    }
    assert_eq!(
        code(plan_remove(ctx(&p), "az-bulk")),
        RefusalCode::RemoveNotAvailableForBulk
    );
    {
        let e = plan_remove(ctx(&p), "az-monthly").unwrap();
        apply(&mut p, e);
    }
    let e = plan_transfer(ctx(&p), "az-bulk", "ada@contoso.onmicrosoft.com").unwrap();
    apply(&mut p, e);
    assert_eq!(
        p.cloud_by_id("az-bulk")
            .unwrap()
            .credit
            .as_ref()
            .unwrap()
            .assigned_to
            .as_deref(),
        Some("ada@contoso.onmicrosoft.com")
    );
}

#[test]
fn bulk_credit_transfer_only_during_enrollment_year() {
    let mut p = portfolio();
    {
        let e = plan_assign(ctx(&p), "az-bulk", "bob@contoso.onmicrosoft.com").unwrap();
        apply(&mut p, e);
    }
    p.catalog.organization.enrollment_year_end = "2026-11-01".parse().unwrap();
    let r = plan_transfer(ctx(&p), "az-bulk", "cy@contoso.onmicrosoft.com");
    assert_eq!(code(r), RefusalCode::TransferOutsideEnrollmentYear);
}

fn monthly(p: &Portfolio) -> &crate::domain::CreditBenefit {
    p.cloud_by_id("az-monthly")
        .unwrap()
        .credit
        .as_ref()
        .unwrap()
}

/// Remove the monthly credit's user and give it to `to`: one reassignment.
fn reassign(p: &mut Portfolio, to: &str) {
    let e = plan_remove(ctx(p), "az-monthly").unwrap();
    apply(p, e);
    let e = plan_assign(ctx(p), "az-monthly", to).unwrap();
    apply(p, e);
}

const USERS: [&str; 2] = ["bob@contoso.onmicrosoft.com", "ada@contoso.onmicrosoft.com"];

#[test]
fn monthly_credit_at_most_five_reassignments() {
    let mut p = portfolio();
    for i in 0..5 {
        reassign(&mut p, USERS[i % 2]);
    }
    assert_eq!(monthly(&p).reassignments_made(), 5);
    // A sixth, by transfer or by assigning anew, is refused.
    assert_eq!(
        code(plan_transfer(ctx(&p), "az-monthly", USERS[1])),
        RefusalCode::ReassignmentLimitReached
    );
    let e = plan_remove(ctx(&p), "az-monthly").unwrap();
    apply(&mut p, e);
    assert_eq!(
        code(plan_assign(ctx(&p), "az-monthly", USERS[1])),
        RefusalCode::ReassignmentLimitReached
    );
    assert_eq!(monthly(&p).reassignments_made(), 5);
}

#[test]
fn monthly_credit_users_can_be_added_and_removed_at_any_time() {
    // Issue 13, bug 9: after five reassignments even Remove was refused; removing someone
    // who left must stay possible.
    let mut p = portfolio();
    for i in 0..5 {
        reassign(&mut p, USERS[i % 2]);
    }
    let e = plan_remove(ctx(&p), "az-monthly").expect("removing is always possible");
    apply(&mut p, e);
    assert_eq!(monthly(&p).assigned_to, None);
}

#[test]
fn a_first_assignment_is_not_a_reassignment() {
    let mut p = portfolio();
    let e = plan_remove(ctx(&p), "az-monthly").unwrap();
    apply(&mut p, e);
    assert!(monthly(&p).assigning_reassigns());
    let bulk = p.cloud_by_id("az-bulk").unwrap().credit.as_ref().unwrap();
    assert!(!bulk.assigning_reassigns());
    assert_eq!(bulk.reassignments_made(), 0);
}

#[test]
fn credit_messages_name_the_benefit_and_the_user_never_an_id() {
    // Issue 13, bug 9: "Nobody is assigned to azure-bulk yet", "holds azure-pass".
    let p = portfolio();
    let en = crate::i18n::Messages::get(crate::i18n::Lang::EnUs);
    let r = plan_transfer(ctx(&p), "az-bulk", USERS[0]).unwrap_err();
    assert_eq!(r.code, RefusalCode::CreditNotAssigned);
    let text = en.refusal(&r);
    assert!(
        text.contains("Azure credit (bulk)") && !text.contains("az-bulk"),
        "{text}"
    );
    let r = plan_assign(ctx(&p), "az-bulk", "cy@contoso.onmicrosoft.com").unwrap_err();
    let text = en.refusal(&r);
    assert!(
        text.contains("Cy (cy@contoso.onmicrosoft.com) holds Azure Pass"),
        "{text}"
    );
    let r = plan_assign(ctx(&p), "az-monthly", USERS[0]).unwrap_err();
    let text = en.refusal(&r);
    assert!(text.contains("Ada (ada@contoso.onmicrosoft.com)"), "{text}");
}

#[test]
fn bulk_credit_already_assigned_says_transfer_never_remove() {
    // Issue 13, bug 9: "transfer or remove it first" for bulk credit, which has no remove.
    let mut p = portfolio();
    let e = plan_assign(ctx(&p), "az-bulk", USERS[0]).unwrap();
    apply(&mut p, e);
    let r = plan_assign(ctx(&p), "az-bulk", USERS[0]).unwrap_err();
    assert_eq!(r.code, RefusalCode::BulkCreditAlreadyAssigned);
    for lang in crate::i18n::Lang::ALL {
        let text = crate::i18n::Messages::get(lang).refusal(&r);
        let remove = crate::i18n::Messages::get(lang).text("credit.remove");
        assert!(
            !text.to_lowercase().contains(&remove.to_lowercase()),
            "{lang}: {text}"
        );
    }
    let r = plan_assign(ctx(&p), "az-monthly", USERS[0]).unwrap_err();
    assert_eq!(r.code, RefusalCode::CreditAlreadyAssigned);
}

#[test]
fn bulk_credit_is_granted_for_its_start_to_end_period() {
    // A bulk credit past its end date is no longer an active credit of its user.
    let mut p = portfolio();
    let e = plan_assign(ctx(&p), "az-bulk", USERS[0]).unwrap();
    apply(&mut p, e);
    let e = plan_remove(ctx(&p), "az-monthly").unwrap();
    apply(&mut p, e);
    assert_eq!(
        code(plan_assign(ctx(&p), "az-monthly", USERS[0])),
        RefusalCode::UserAlreadyHasCredit
    );
    let later = Ctx {
        today: "2027-07-01".parse().unwrap(),
        ..ctx(&p)
    };
    // (activate-by of the monthly credit is 2027-06-30: check the holder rule alone.)
    assert_eq!(
        code(plan_assign(later, "az-monthly", USERS[0])),
        RefusalCode::BenefitExpired
    );
    let mut q = p.clone();
    q.catalog.cloud_benefits[3].activate_by = "2027-12-31".parse().unwrap();
    let later = Ctx {
        portfolio: &q,
        ..later
    };
    assert!(plan_assign(later, "az-monthly", USERS[0]).is_ok());
}

#[test]
fn every_write_path_refuses_a_user_without_the_role() {
    let mut p = portfolio();
    p.catalog.user.role = Role::ReadOnly;
    let c = ctx(&p);
    assert_eq!(
        code(rules::plan_redemption(
            c,
            &key("E3AAA-AAAAA-AAAAA-AAAAA-AAA25"),
            "lab",
            None,
            Mode::Activate
        )),
        RefusalCode::RoleNotPermitted
    );
    assert_eq!(
        code(plan_activation(
            c,
            &key("OFFSP-AAAAA-AAAAA-AAAAA-AAAAA"),
            "pc",
            MachineChange::New,
            Os::Windows
        )),
        RefusalCode::RoleNotPermitted
    );
    assert_eq!(
        code(plan_assign(c, "az-bulk", "bob@contoso.onmicrosoft.com")),
        RefusalCode::RoleNotPermitted
    );
    assert_eq!(
        code(plan_remove(c, "az-monthly")),
        RefusalCode::RoleNotPermitted
    );
    assert_eq!(
        code(plan_transfer(
            c,
            "az-monthly",
            "bob@contoso.onmicrosoft.com"
        )),
        RefusalCode::RoleNotPermitted
    );
}

#[test]
fn ledger_entry_for_unknown_key_is_reported_not_dropped() {
    let mut p = portfolio();
    let other = key("QQQQQ-QQQQQ-QQQQQ-QQQQQ-QQQQQ");
    let e = Entry::Activation {
        key_fingerprint: other.fingerprint(),
        key_masked: other.masked(),
        benefit: "gone".into(),
        machine: "pc".into(),
        change: MachineChange::New,
        os: Os::Windows,
        counted: 1,
        used_before: 0,
        used_after: 1,
        allowed: 1,
        date: today(),
        user: "x".into(),
    };
    p.apply(7, &e);
    assert_eq!(p.mismatches.len(), 1);
    assert_eq!(p.mismatches[0].seq, 7);
}
