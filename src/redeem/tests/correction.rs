//! Corrections without deleting (DOMAIN: the ledger is append-only; issue 14): a void
//! undoes an activation or a credit change, a redemption's correction records and changes
//! nothing, and what cannot be corrected is refused with a code.

use super::*;
use crate::domain::correction::Undo;
use crate::domain::{MachineChange, Mode, Os, Role};
use crate::redeem::Operation;
use proptest::prelude::*;

const WIN: &str = "WINAP-AAAAA-AAAAA-AAAAA-AAAAA";
const OPP: &str = "OPP19-AAAAA-AAAAA-AAAAA-AAAAA";
const BOB: &str = "bob@contoso.onmicrosoft.com";

fn activate(key_text: &str, change: MachineChange) -> Operation {
    Operation::Activate {
        key: key(key_text),
        machine: "pc-1".into(),
        change,
        os: Os::Windows,
    }
}

/// Plan the correction of entry `seq` of `entries` (what the edge read from the ledger).
fn correct(
    p: &Portfolio,
    entries: &[(i64, Entry)],
    seq: i64,
    note: Option<&str>,
) -> Result<Entry, Refusal> {
    let entry = entries
        .iter()
        .find(|(s, _)| *s == seq)
        .expect("in the ledger");
    Operation::Correct {
        seq,
        entry: Box::new(entry.1.clone()),
        reason: "recorded by mistake".into(),
        note: note.map(str::to_string),
    }
    .plan(ctx(p))
}

/// Write `ops` in order, keeping the entries as the ledger would.
fn ledger(p: &mut Portfolio, ops: &[Operation]) -> Vec<(i64, Entry)> {
    let mut entries = Vec::new();
    for op in ops {
        let entry = op.plan(ctx(p)).expect("planned");
        let seq = p.last_seq + 1;
        p.apply(seq, &entry);
        entries.push((seq, entry));
    }
    entries
}

fn fold_in(p: &mut Portfolio, entries: &mut Vec<(i64, Entry)>, e: Entry) -> i64 {
    let seq = p.last_seq + 1;
    p.apply(seq, &e);
    assert!(p.mismatches.is_empty(), "{:?}", p.mismatches);
    entries.push((seq, e));
    seq
}

/// The monthly credit taken from Ada, then given to Bob.
fn remove_then_assign_bob() -> [Operation; 2] {
    [
        Operation::CreditRemove {
            benefit: "az-monthly".into(),
        },
        Operation::CreditAssign {
            benefit: "az-monthly".into(),
            to: BOB.into(),
        },
    ]
}

fn used(p: &Portfolio, benefit: &str) -> u32 {
    match p.benefit(benefit) {
        Some(crate::domain::BenefitRef::Software(i)) => p.software(i).keys[0].activations_used,
        _ => panic!("a software benefit"),
    }
}

fn credit(p: &Portfolio) -> (Option<String>, u32) {
    let c = p
        .cloud_by_id("az-monthly")
        .unwrap()
        .credit
        .as_ref()
        .unwrap();
    (c.assigned_to.clone(), c.reassignments)
}

#[test]
fn voiding_an_activation_gives_its_activations_back_to_the_key() {
    let mut p = portfolio();
    let before = used(&p, "win");
    let mut entries = ledger(&mut p, &[activate(WIN, MachineChange::New)]);
    assert_eq!(used(&p, "win"), before + 1);
    let void = correct(&p, &entries, 1, None).unwrap();
    assert!(matches!(
        &void,
        Entry::Correction {
            undo: Undo::Activation { counted: 1, .. },
            corrects: 1,
            ..
        }
    ));
    fold_in(&mut p, &mut entries, void);
    assert_eq!(used(&p, "win"), before);
    assert_eq!(p.corrections.corrected_by(1), Some(2));
}

#[test]
fn voiding_a_credit_assignment_gives_the_credit_back_to_nobody() {
    let mut p = portfolio();
    let mut entries = ledger(&mut p, &remove_then_assign_bob());
    assert_eq!(credit(&p), (Some(BOB.into()), 1));
    let void = correct(&p, &entries, 2, None).unwrap();
    fold_in(&mut p, &mut entries, void);
    assert_eq!(
        credit(&p),
        (None, 1),
        "unassigned, the removal's reassignment still open"
    );
}

#[test]
fn voiding_a_credit_removal_or_transfer_gives_the_credit_back_with_its_reassignment() {
    for op in [
        Operation::CreditRemove {
            benefit: "az-monthly".into(),
        },
        Operation::CreditTransfer {
            benefit: "az-monthly".into(),
            to: BOB.into(),
        },
    ] {
        let mut p = portfolio();
        let before = credit(&p);
        let mut entries = ledger(&mut p, &[op]);
        assert_ne!(credit(&p), before);
        let void = correct(&p, &entries, 1, None).unwrap();
        fold_in(&mut p, &mut entries, void);
        assert_eq!(credit(&p), before);
    }
}

#[test]
fn only_the_latest_credit_change_can_be_voided_then_the_one_before_it() {
    let mut p = portfolio();
    let mut entries = ledger(&mut p, &remove_then_assign_bob());
    let refused = correct(&p, &entries, 1, None).unwrap_err();
    assert_eq!(refused.code, RefusalCode::NotTheLatestCreditChange);
    assert_eq!(
        refused.param(crate::domain::Param::Other),
        Some(&"#2".into())
    );
    let void = correct(&p, &entries, 2, None).unwrap();
    fold_in(&mut p, &mut entries, void);
    let void = correct(&p, &entries, 1, None).expect("now the latest that stands");
    fold_in(&mut p, &mut entries, void);
    assert_eq!(credit(&p), (Some("ada@contoso.onmicrosoft.com".into()), 0));
}

#[test]
fn an_entry_is_corrected_once() {
    let mut p = portfolio();
    let mut entries = ledger(&mut p, &[activate(WIN, MachineChange::New)]);
    let void = correct(&p, &entries, 1, None).unwrap();
    fold_in(&mut p, &mut entries, void);
    let again = correct(&p, &entries, 1, None).unwrap_err();
    assert_eq!(again.code, RefusalCode::EntryAlreadyCorrected);
    assert_eq!(again.param(crate::domain::Param::Other), Some(&"#2".into()));
}

#[test]
fn a_correction_cannot_be_corrected() {
    let mut p = portfolio();
    let mut entries = ledger(&mut p, &[activate(WIN, MachineChange::New)]);
    let void = correct(&p, &entries, 1, None).unwrap();
    let seq = fold_in(&mut p, &mut entries, void);
    assert_eq!(
        code(correct(&p, &entries, seq, None)),
        RefusalCode::CannotCorrectACorrection
    );
}

#[test]
fn a_correction_needs_a_reason() {
    let mut p = portfolio();
    let entries = ledger(&mut p, &[activate(WIN, MachineChange::New)]);
    let op = Operation::Correct {
        seq: 1,
        entry: Box::new(entries[0].1.clone()),
        reason: "  ".into(),
        note: None,
    };
    assert_eq!(
        code(op.plan(ctx(&p))),
        RefusalCode::CorrectionReasonRequired
    );
}

#[test]
fn a_redemption_correction_needs_a_note_and_leaves_the_redemption_standing() {
    let mut p = portfolio();
    let redeem = Operation::Redeem {
        key: key("E3AAA-AAAAA-AAAAA-AAAAA-AAA25"),
        tenant: "contoso".into(),
        target: existing("sub-e3"),
        mode: Mode::Extend,
        location: None,
    };
    let mut entries = ledger(&mut p, &[redeem]);
    let redeemed = p.catalog.clone();
    assert_eq!(
        code(correct(&p, &entries, 1, None)),
        RefusalCode::CorrectionNoteRequired
    );
    let record = correct(&p, &entries, 1, Some("support case 42 moved the licenses")).unwrap();
    assert!(matches!(
        &record,
        Entry::Correction {
            undo: Undo::Nothing,
            note: Some(_),
            ..
        }
    ));
    fold_in(&mut p, &mut entries, record);
    assert!(p.catalog == redeemed, "the redemption stands");
    assert_eq!(p.corrections.corrected_by(1), Some(2));
}

#[test]
fn a_read_only_user_cannot_correct() {
    let mut p = portfolio();
    let entries = ledger(&mut p, &[activate(WIN, MachineChange::New)]);
    p.catalog.user.role = Role::ReadOnly;
    assert_eq!(
        code(correct(&p, &entries, 1, None)),
        RefusalCode::RoleNotPermitted
    );
}

/// The case the property below once shrank to: one activation for a significant hardware
/// change, voided, folds back to the catalog before it.
#[test]
fn voiding_a_hardware_change_activation_gives_back_what_it_counted() {
    let start = portfolio();
    let mut p = start.clone();
    let mut entries = ledger(&mut p, &[activate(WIN, MachineChange::Hardware)]);
    let void = correct(&p, &entries, 1, None).unwrap();
    fold_in(&mut p, &mut entries, void);
    assert!(
        p.catalog == start.catalog,
        "the void gives the activation back"
    );
}

/// An operation of the fixture that touches what a correction can undo.
fn operation() -> impl Strategy<Value = Operation> {
    let users = prop::sample::select(vec![
        "ada@contoso.onmicrosoft.com",
        BOB,
        "cy@contoso.onmicrosoft.com",
    ]);
    let changes = prop::sample::select(MachineChange::ALL.to_vec());
    prop_oneof![
        (prop::sample::select(vec![WIN, OPP]), changes).prop_map(|(k, c)| activate(k, c)),
        users.clone().prop_map(|to| Operation::CreditAssign {
            benefit: "az-monthly".into(),
            to: to.into()
        }),
        Just(Operation::CreditRemove {
            benefit: "az-monthly".into()
        }),
        users.prop_map(|to| Operation::CreditTransfer {
            benefit: "az-monthly".into(),
            to: to.into()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(super::random_intents::cases() / 4))]

    /// Whatever was written around it, voiding entries one after another leaves the state
    /// the ledger without them folds to.
    #[test]
    fn void_then_fold_equals_never_having_applied_the_entry(
        ops in prop::collection::vec(operation(), 1..16),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..5),
    ) {
        let start = portfolio();
        let mut p = start.clone();
        let mut entries = Vec::new();
        for op in &ops {
            if let Ok(entry) = op.plan(ctx(&p)) {
                fold_in(&mut p, &mut entries, entry);
            }
        }
        let written = entries.clone();
        let mut voided = Vec::new();
        for pick in picks {
            let voidable: Vec<i64> = (written.iter())
                .map(|(s, _)| *s)
                .filter(|s| correct(&p, &entries, *s, None).is_ok())
                .collect();
            if voidable.is_empty() {
                break;
            }
            let seq = voidable[pick.index(voidable.len())];
            let void = correct(&p, &entries, seq, None).unwrap();
            fold_in(&mut p, &mut entries, void);
            voided.push(seq);
        }
        let mut never = start;
        for (seq, e) in written.iter().filter(|(s, _)| !voided.contains(s)) {
            never.apply(*seq, e);
        }
        prop_assert!(never.mismatches.is_empty());
        prop_assert_eq!(&p.catalog, &never.catalog, "voided {:?} of {:?}", voided, written);
    }
}
