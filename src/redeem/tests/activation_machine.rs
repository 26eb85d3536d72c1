//! The software activation dialog's machine: one focused field, a review before → after,
//! a write only from the review.

use super::*;
use crate::domain::{MachineChange, Os, Param, Value};
use crate::redeem::{
    ActivationDialog, ActivationField, ActivationIntent as I, ActivationStep, Effect, Operation,
    TextEdit,
};

/// The fixture's software benefits: 0 Windows (Action Pack, 9 of 10), 1 Office LTSC
/// (Solutions Partner, 9 of 10), 2 Office Professional Plus 2019 (no macOS), 3 a CAL.
const WINDOWS: usize = 0;
const OFFICE: usize = 1;

fn typed(m: &mut ActivationDialog, c: Ctx<'_>, s: &str) {
    m.update(c, I::Edit(TextEdit::Insert(s.into())));
}

#[test]
fn typing_goes_into_the_field_that_has_focus_and_nowhere_else() {
    // Issue 13, bug 4: the marker sat on "Product key" while typing filled "Machine name".
    let p = portfolio();
    let c = ctx(&p);
    let mut m = ActivationDialog::new(WINDOWS);
    assert_eq!(m.focus, ActivationField::Key);
    assert!(!m.text_focused());
    typed(&mut m, c, "pc-1");
    assert_eq!(m.machine, "", "the key has focus: nothing is typed");
    m.update(c, I::Focus(1));
    assert_eq!(m.focus, ActivationField::Machine);
    assert!(m.text_focused());
    typed(&mut m, c, "pc-1");
    assert_eq!(m.machine, "pc-1");
    m.update(c, I::Focus(1));
    typed(&mut m, c, "x");
    assert_eq!(
        (m.focus, m.machine.as_str()),
        (ActivationField::Change, "pc-1")
    );
    // Focus wraps both ways.
    m.update(c, I::Focus(2));
    assert_eq!(m.focus, ActivationField::Key);
    m.update(c, I::Focus(-1));
    assert_eq!(m.focus, ActivationField::Os);
}

#[test]
fn cycle_changes_only_the_focused_choice() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = ActivationDialog::new(WINDOWS);
    m.update(c, I::Focus(2));
    m.update(c, I::Cycle(1));
    assert_eq!((m.change, m.os), (MachineChange::None, Os::Windows));
    m.update(c, I::Cycle(-2));
    assert_eq!(m.change, MachineChange::Reimage);
    m.update(c, I::Focus(1));
    m.update(c, I::Cycle(1));
    assert_eq!((m.change, m.os), (MachineChange::Reimage, Os::Macos));
    // One key: cycling the key stays on it.
    m.update(c, I::Focus(1));
    m.update(c, I::Cycle(1));
    assert_eq!(m.key, 0);
}

#[test]
fn an_empty_machine_name_is_not_ready() {
    // Issue 13, bug 4: an empty machine name said "Ready to activate".
    let p = portfolio();
    let c = ctx(&p);
    let mut m = ActivationDialog::new(WINDOWS);
    let plan = m.preview(c).unwrap().plan;
    assert_eq!(code(plan), RefusalCode::MachineNameRequired);
    m.update(c, I::Focus(1));
    typed(&mut m, c, "   ");
    assert_eq!(m.update(c, I::Review), None);
    assert_eq!(m.step, ActivationStep::Edit);
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::MachineNameRequired
    );
    typed(&mut m, c, "pc-1");
    assert!(m.preview(c).unwrap().plan.is_ok());
}

#[test]
fn at_the_maximum_the_preview_refuses_rather_than_count_past_it() {
    // Issue 13, bug 4: "Activations used: 10 → 11 of 10".
    let mut p = portfolio();
    let mut m = ActivationDialog::new(OFFICE);
    m.update(ctx(&p), I::Focus(1));
    typed(&mut m, ctx(&p), "pc-1");
    let pv = m.preview(ctx(&p)).unwrap();
    assert_eq!((pv.used, pv.after(), pv.allowed), (9, Some(10), 10));
    apply(&mut p, pv.plan.unwrap());
    let pv = m.preview(ctx(&p)).unwrap();
    assert_eq!((pv.used, pv.after(), pv.allowed), (10, None, 10));
    let r = pv.plan.unwrap_err();
    assert_eq!(r.code, RefusalCode::MaxActivationsReached);
    assert_eq!(r.param(Param::Used), Some(&Value::Count(10)));
    m.update(ctx(&p), I::Review);
    assert_eq!(
        m.step,
        ActivationStep::Edit,
        "no review of a refused activation"
    );
}

#[test]
fn the_review_shows_activations_used_before_and_after_and_confirm_writes() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = ActivationDialog::new(OFFICE);
    m.update(c, I::Focus(1));
    typed(&mut m, c, " pc-1 ");
    assert_eq!(m.update(c, I::Confirm), None, "no write from the form");
    assert_eq!(m.update(c, I::Review), None);
    let ActivationStep::Review { entry } = &m.step else {
        panic!("{:?}", m.step)
    };
    assert!(matches!(
        entry,
        Entry::Activation {
            used_before: 9,
            used_after: 10,
            allowed: 10,
            ..
        }
    ));
    // Back from the review keeps the form.
    m.update(c, I::Back);
    assert_eq!(
        (&m.step, m.machine.as_str()),
        (&ActivationStep::Edit, " pc-1 ")
    );
    m.update(c, I::Review);
    let Some(Effect::Commit(op)) = m.update(c, I::Confirm) else {
        panic!("Confirm on the review writes")
    };
    assert_eq!(
        op,
        Operation::Activate {
            key: key("OFFSP-AAAAA-AAAAA-AAAAA-AAAAA"),
            machine: "pc-1".into(),
            change: MachineChange::New,
            os: Os::Windows,
        }
    );
    assert!(m.is_committing());
    assert_eq!(
        m.update(c, I::Confirm),
        None,
        "no second write while committing"
    );
    assert_eq!(m.update(c, I::Cancel), None);
    assert!(m.is_committing(), "cancel waits for the write under way");
    let entry = op.plan(c).unwrap();
    m.update(c, I::Committed(entry.clone()));
    assert_eq!(m.step, ActivationStep::Done { entry });
    m.update(c, I::Confirm);
    assert!(m.is_closed());
}

#[test]
fn a_failed_write_returns_to_the_review_with_its_reason() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = ActivationDialog::new(WINDOWS);
    m.update(c, I::Focus(1));
    typed(&mut m, c, "pc-1");
    m.update(c, I::Review);
    assert!(m.update(c, I::Confirm).is_some());
    m.update(
        c,
        I::CommitFailed(Refusal::new(RefusalCode::MaxActivationsReached)),
    );
    assert!(matches!(m.step, ActivationStep::Review { .. }));
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::MaxActivationsReached
    );
    // The store failed (not a rule): back to the review, no refusal.
    assert!(m.update(c, I::Confirm).is_some());
    m.update(c, I::Back);
    assert!(matches!(m.step, ActivationStep::Review { .. }));
    assert_eq!(m.error, None);
    m.update(c, I::Back);
    m.update(c, I::Back);
    assert!(m.is_closed());
}

#[test]
fn macos_is_refused_for_keys_that_do_not_work_there() {
    let p = portfolio();
    let c = ctx(&p);
    let mut m = ActivationDialog::new(2);
    m.update(c, I::Focus(1));
    typed(&mut m, c, "mac-1");
    m.update(c, I::Focus(2));
    m.update(c, I::Cycle(1));
    m.update(c, I::Review);
    assert_eq!(
        m.error.as_ref().unwrap().code,
        RefusalCode::NotSupportedOnMacos
    );
    assert!(m.has_input());
}

#[test]
fn a_read_only_user_reviews_the_activation_and_only_confirm_is_refused() {
    let mut p = portfolio();
    p.catalog.user.role = crate::domain::Role::ReadOnly;
    let c = ctx(&p);
    let mut m = ActivationDialog::new(OFFICE);
    m.update(c, I::Focus(1));
    typed(&mut m, c, "pc-1");
    assert_eq!(m.preview(c).and_then(|pv| pv.after()), Some(10));
    m.update(c, I::Review);
    assert!(m.is_reviewing(), "the preview leaves out the role: {:?}", m);
    assert_eq!(m.update(c, I::Confirm), None, "nothing is written");
    assert!(m.is_reviewing(), "the review stays: {:?}", m.step);
    assert_eq!(
        m.error.as_ref().map(|r| r.code),
        Some(RefusalCode::RoleNotPermitted)
    );
}
