//! The Azure credit dialog's machine: a review of the holder before → after and of the
//! reassignments used, a write only from the review.

use super::*;
use crate::redeem::{CreditDialog, CreditIntent as I, CreditOp, CreditStep, Effect, Operation};

/// The fixture's cloud benefits: 3 is the monthly credit (held by Ada), 4 the bulk one.
const MONTHLY: usize = 3;
const BULK: usize = 4;

fn preview(m: &CreditDialog) -> &crate::redeem::CreditPreview {
    match &m.step {
        CreditStep::Review(p) | CreditStep::Committing { preview: p, .. } => p,
        other => panic!("not reviewing: {other:?}"),
    }
}

#[test]
fn assign_reviews_the_holder_before_and_after_then_confirm_writes() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = CreditDialog::new(BULK);
    // The directory: Ada, Bob, Cy, Gee. Bob is free to take the bulk credit.
    m.update(c, I::MoveUser(1));
    assert_eq!(m.update(c, I::Confirm), None, "no write from the choice");
    m.update(c, I::Review);
    let pv = preview(&m);
    assert_eq!(pv.holder_before, None);
    assert_eq!(
        pv.holder_after.as_deref(),
        Some("bob@contoso.onmicrosoft.com")
    );
    assert_eq!(
        pv.reassignments, None,
        "bulk credit counts no reassignments"
    );
    let Some(Effect::Commit(op)) = m.update(c, I::Confirm) else {
        panic!("Confirm on the review writes")
    };
    assert_eq!(
        op,
        Operation::CreditAssign {
            benefit: "az-bulk".into(),
            to: "bob@contoso.onmicrosoft.com".into()
        }
    );
    assert_eq!(
        m.update(c, I::Confirm),
        None,
        "no second write while committing"
    );
    let entry = op.plan(c).unwrap();
    m.update(c, I::Committed(entry.clone()));
    assert_eq!(m.step, CreditStep::Done { entry });
}

#[test]
fn transfer_reviews_the_reassignments_used() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = CreditDialog::new(MONTHLY);
    m.update(c, I::MoveOp(2));
    assert_eq!(m.op, CreditOp::Transfer);
    m.update(c, I::MoveUser(1));
    m.update(c, I::Review);
    let pv = preview(&m);
    assert_eq!(
        pv.holder_before.as_deref(),
        Some("ada@contoso.onmicrosoft.com")
    );
    assert_eq!(
        pv.holder_after.as_deref(),
        Some("bob@contoso.onmicrosoft.com")
    );
    assert_eq!((pv.reassignments, pv.max), (Some((0, 1)), 5));
}

#[test]
fn remove_uses_no_reassignment() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = CreditDialog::new(MONTHLY);
    m.update(c, I::MoveOp(1));
    m.update(c, I::Review);
    let pv = preview(&m);
    assert_eq!(pv.holder_after, None);
    assert_eq!(pv.reassignments, Some((0, 0)));
    assert!(matches!(
        m.update(c, I::Confirm),
        Some(Effect::Commit(Operation::CreditRemove { .. }))
    ));
}

#[test]
fn a_refused_choice_stays_with_its_reason_and_ops_wrap() {
    let p = portfolio();
    let c = ctx(&p);
    // Bulk credit offers Assign and Transfer (no Remove): two steps wrap to Assign.
    let mut m = CreditDialog::new(BULK);
    assert_eq!(m.ops(c), [CreditOp::Assign, CreditOp::Transfer]);
    m.update(c, I::MoveOp(-2));
    assert_eq!(m.op, CreditOp::Assign);
    m.update(c, I::MoveOp(-1));
    assert_eq!(m.op, CreditOp::Transfer);
    // Transfer of a credit nobody holds is refused, and the dialog stays on the choice.
    m.update(c, I::Review);
    assert_eq!(m.step, CreditStep::Choose);
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::CreditNotAssigned
    );
    // Users clamp at both ends of the directory.
    m.update(c, I::MoveUser(-5));
    assert_eq!(m.user, 0);
    m.update(c, I::MoveUser(50));
    assert_eq!(m.user, 3);
}

#[test]
fn back_steps_out_and_a_failed_write_returns_to_the_review() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = CreditDialog::new(BULK);
    m.update(c, I::MoveUser(1));
    m.update(c, I::Review);
    m.update(c, I::Back);
    assert_eq!(m.step, CreditStep::Choose);
    m.update(c, I::Review);
    assert!(m.update(c, I::Confirm).is_some());
    m.update(c, I::Cancel);
    assert!(m.is_committing(), "cancel waits for the write under way");
    m.update(
        c,
        I::CommitFailed(Refusal::new(RefusalCode::UserAlreadyHasCredit)),
    );
    assert!(matches!(m.step, CreditStep::Review(_)));
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::UserAlreadyHasCredit
    );
    m.update(c, I::Cancel);
    assert!(m.is_closed());
}

#[test]
fn a_read_only_user_reviews_the_credit_change_and_only_confirm_is_refused() {
    let mut p = portfolio();
    p.catalog.user.role = crate::domain::Role::ReadOnly;
    let c = ctx(&p);
    let mut m = CreditDialog::new(BULK);
    m.update(c, I::MoveUser(1));
    m.update(c, I::Review);
    assert_eq!(
        preview(&m).holder_after.as_deref(),
        Some("bob@contoso.onmicrosoft.com"),
        "the preview leaves out the role"
    );
    assert_eq!(m.update(c, I::Confirm), None, "nothing is written");
    assert!(m.is_reviewing(), "the review stays: {:?}", m.step);
    assert_eq!(
        m.error.as_ref().map(|r| r.code),
        Some(RefusalCode::RoleNotPermitted)
    );
    // The rules still refuse in the preview what they refuse for anyone.
    let mut m = CreditDialog::new(BULK);
    m.update(c, I::Review);
    assert_ne!(
        m.error.as_ref().map(|r| r.code),
        Some(RefusalCode::RoleNotPermitted)
    );
}
