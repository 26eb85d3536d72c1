//! The activation and credit machines under random intents, walked as
//! `random_intents.rs` walks the redemption machine (the happy path with detours).

use super::random_intents::{Answer, Tally, answer, runner, with_detours};
use super::*;
use crate::domain::{FREE_MAIL_DOMAINS, MAX_MONTHLY_REASSIGNMENTS};
use crate::redeem::{
    ActivationDialog, ActivationField, ActivationIntent, CreditDialog, CreditIntent, CreditOp,
    Effect, TextEdit,
};
use proptest::prelude::*;
use std::collections::HashSet;

// --- Activation ---

fn any_activation_intent() -> impl Strategy<Value = ActivationIntent> {
    prop_oneof![
        (-2i32..3).prop_map(ActivationIntent::Focus),
        (-2i32..3).prop_map(ActivationIntent::Cycle),
        prop_oneof![Just("pc-1"), Just("x"), Just("  "), Just("\u{1b}[2J")]
            .prop_map(|s| ActivationIntent::Edit(TextEdit::Insert(s.into()))),
        Just(ActivationIntent::Edit(TextEdit::Backspace)),
        Just(ActivationIntent::Edit(TextEdit::Clear)),
        Just(ActivationIntent::Review),
        Just(ActivationIntent::Confirm),
        Just(ActivationIntent::Back),
        Just(ActivationIntent::Cancel),
    ]
}

#[derive(Debug, Clone)]
struct ActivationEpisode {
    benefit: usize,
    machine: String,
    change: i32,
    os: i32,
    detours: Vec<Option<ActivationIntent>>,
    answer: Answer,
}

fn activation_episode() -> impl Strategy<Value = ActivationEpisode> {
    (
        // Mostly the fixture's software benefits with keys (3, a CAL, has none).
        prop_oneof![6 => 0usize..3, 1 => Just(3)],
        "[a-z]{1,8}-[0-9]{1,3}",
        0i32..4,
        prop_oneof![4 => Just(0), 1 => Just(1)],
        with_detours(8, any_activation_intent()),
        answer(),
    )
        .prop_map(
            |(benefit, machine, change, os, detours, answer)| ActivationEpisode {
                benefit,
                machine,
                change,
                os,
                detours,
                answer,
            },
        )
}

/// The focus moves that take `from` to `to` (the one the user would press).
fn focus_to(from: ActivationField, to: ActivationField) -> i32 {
    let at = |f| ActivationField::ALL.iter().position(|x| *x == f).unwrap() as i32;
    at(to) - at(from)
}

#[test]
fn prop_activation_machine_types_only_into_the_focus_and_writes_only_on_confirm() {
    let base = {
        let mut p = portfolio();
        // Room for several activations per run on the keys that count every one.
        p.catalog.software_benefits[1].keys[0].activations_allowed = 14;
        p
    };
    let tally = Tally::default();
    let strategy = proptest::collection::vec(activation_episode(), 2..12);
    runner()
        .run(&strategy, |episodes| {
            let mut p = base.clone();
            let mut writes = 0;
            for e in episodes {
                let mut m = ActivationDialog::new(e.benefit);
                for (step, detour) in (0..9).zip(e.detours.iter().cloned().chain([None])) {
                    let happy = match step {
                        0 => ActivationIntent::Focus(focus_to(m.focus, ActivationField::Machine)),
                        1 => ActivationIntent::Edit(TextEdit::Clear),
                        2 => ActivationIntent::Edit(TextEdit::Insert(e.machine.clone())),
                        3 => ActivationIntent::Focus(focus_to(m.focus, ActivationField::Change)),
                        4 => ActivationIntent::Cycle(e.change),
                        5 => ActivationIntent::Focus(focus_to(m.focus, ActivationField::Os)),
                        6 => ActivationIntent::Cycle(e.os),
                        7 => ActivationIntent::Review,
                        _ => ActivationIntent::Confirm,
                    };
                    for intent in detour.into_iter().chain([happy]) {
                        let reviewing =
                            matches!(m.step, crate::redeem::ActivationStep::Review { .. });
                        let is_confirm = intent == ActivationIntent::Confirm;
                        let (typing, before) = (
                            matches!(intent, ActivationIntent::Edit(_)),
                            m.machine.clone(),
                        );
                        let text_focused = m.text_focused();
                        let effect = m.update(ctx(&p), intent);
                        if typing && !text_focused {
                            prop_assert_eq!(
                                &m.machine,
                                &before,
                                "typed into a field without focus"
                            );
                        }
                        let Some(Effect::Commit(op)) = effect else {
                            continue;
                        };
                        prop_assert!(
                            reviewing && is_confirm,
                            "a write only follows Confirm on the review"
                        );
                        prop_assert!(m.is_committing());
                        prop_assert_eq!(m.update(ctx(&p), ActivationIntent::Confirm), None);
                        match (e.answer, op.plan(ctx(&p))) {
                            (Answer::Written, Ok(entry)) => {
                                apply(&mut p, entry.clone());
                                m.update(ctx(&p), ActivationIntent::Committed(entry));
                                writes += 1;
                            }
                            (Answer::StoreFailed, _) => {
                                m.update(ctx(&p), ActivationIntent::Back);
                            }
                            (_, plan) => {
                                let r = plan.err().unwrap_or_else(|| {
                                    Refusal::new(RefusalCode::MaxActivationsReached)
                                });
                                m.update(ctx(&p), ActivationIntent::CommitFailed(r));
                            }
                        }
                    }
                }
                for b in &p.catalog.software_benefits {
                    for k in &b.keys {
                        prop_assert!(k.activations_used <= k.activations_allowed, "{}", b.id);
                    }
                }
            }
            prop_assert!(p.mismatches.is_empty());
            tally.run(writes);
            Ok(())
        })
        .unwrap();
    tally.hold("activation", 0.85, 1400);
}

// --- Azure credit ---

fn any_credit_intent() -> impl Strategy<Value = CreditIntent> {
    prop_oneof![
        (-2i32..3).prop_map(CreditIntent::MoveOp),
        (-3i32..4).prop_map(CreditIntent::MoveUser),
        Just(CreditIntent::Review),
        Just(CreditIntent::Confirm),
        Just(CreditIntent::Back),
        Just(CreditIntent::Cancel),
    ]
}

#[derive(Debug, Clone)]
struct CreditEpisode {
    benefit: usize,
    op: CreditOp,
    user: i32,
    detours: Vec<Option<CreditIntent>>,
    answer: Answer,
}

fn credit_episode() -> impl Strategy<Value = CreditEpisode> {
    (
        // The fixture's credits: 3 monthly, 4 bulk.
        3usize..5,
        prop_oneof![
            Just(CreditOp::Assign),
            Just(CreditOp::Remove),
            Just(CreditOp::Transfer)
        ],
        prop_oneof![1 => Just(-1), 1 => 0i32..4],
        with_detours(4, any_credit_intent()),
        answer(),
    )
        .prop_map(|(benefit, op, user, detours, answer)| CreditEpisode {
            benefit,
            op,
            user,
            detours,
            answer,
        })
}

#[test]
fn prop_credit_machine_writes_only_on_confirm_and_keeps_every_credit_rule() {
    let base = portfolio();
    let tally = Tally::default();
    let strategy = proptest::collection::vec(credit_episode(), 2..16);
    runner()
        .run(&strategy, |episodes| {
            let mut p = base.clone();
            let mut writes = 0;
            for e in episodes {
                let mut m = CreditDialog::new(e.benefit);
                for (step, detour) in (0..4).zip(e.detours.iter().cloned()) {
                    let happy = match step {
                        0 => {
                            let at = |o| CreditOp::ALL.iter().position(|x| *x == o).unwrap() as i32;
                            CreditIntent::MoveOp(at(e.op) - at(m.op))
                        }
                        // A user the choice accepts, when the episode asks for one (-1).
                        1 if e.user < 0 => CreditIntent::MoveUser(accepted_user(&m, ctx(&p))),
                        1 => CreditIntent::MoveUser(e.user),
                        2 => CreditIntent::Review,
                        _ => CreditIntent::Confirm,
                    };
                    for intent in detour.into_iter().chain([happy]) {
                        let reviewing = matches!(m.step, crate::redeem::CreditStep::Review(_));
                        let is_confirm = intent == CreditIntent::Confirm;
                        let Some(Effect::Commit(op)) = m.update(ctx(&p), intent) else {
                            continue;
                        };
                        prop_assert!(
                            reviewing && is_confirm,
                            "a write only follows Confirm on the review"
                        );
                        prop_assert_eq!(m.update(ctx(&p), CreditIntent::Confirm), None);
                        match (e.answer, op.plan(ctx(&p))) {
                            (Answer::Written, Ok(entry)) => {
                                apply(&mut p, entry.clone());
                                m.update(ctx(&p), CreditIntent::Committed(entry));
                                writes += 1;
                            }
                            (Answer::StoreFailed, _) => {
                                m.update(ctx(&p), CreditIntent::Back);
                            }
                            (_, plan) => {
                                let r = plan.err().unwrap_or_else(|| {
                                    Refusal::new(RefusalCode::UserAlreadyHasCredit)
                                });
                                m.update(ctx(&p), CreditIntent::CommitFailed(r));
                            }
                        }
                    }
                }
                check_credit_rules(&p)?;
            }
            prop_assert!(p.mismatches.is_empty());
            tally.run(writes);
            Ok(())
        })
        .unwrap();
    tally.hold("credit", 0.75, 1000);
}

/// The move to the first directory user the current operation would accept (0: none).
fn accepted_user(m: &CreditDialog, c: Ctx<'_>) -> i32 {
    (0..m.users(c).len())
        .find(|&u| {
            let mut probe = m.clone();
            probe.user = u;
            probe.preview(c).is_ok()
        })
        .map_or(0, |u| u as i32 - m.user as i32)
}

/// What must hold after any sequence of writes: one active credit a user, never a free
/// mail address, at most five monthly reassignments made.
fn check_credit_rules(p: &Portfolio) -> Result<(), TestCaseError> {
    let mut holders = HashSet::new();
    for b in &p.catalog.cloud_benefits {
        let Some(c) = &b.credit else { continue };
        if let Some(h) = &c.assigned_to {
            prop_assert!(holders.insert(h.to_lowercase()), "{h} holds two credits");
            prop_assert!(
                !FREE_MAIL_DOMAINS.iter().any(|d| h.ends_with(d)),
                "{h} is a free mail address"
            );
        }
        prop_assert!(
            c.reassignments_made() <= MAX_MONTHLY_REASSIGNMENTS,
            "{}",
            b.id
        );
    }
    Ok(())
}
