//! The dialog machines under random intents (activation and credit: `random_dialogs.rs`).
//! A uniformly random intent sequence almost never gets through a dialog (a redemption
//! needs about ten right intents in a row), so a property over it says little about writes. Each run here is a series of
//! episodes that walk the happy path with random detours between the steps (any intent of
//! the machine, one step in four or five), and the edge answers each write at random:
//! written, refused, or failed. The share of runs that reach a write is measured and held
//! above a floor, so "a write only from the confirmation step, never twice" is checked on
//! thousands of writes, not on a handful.

use super::*;
use crate::domain::{CloudKey, Mode};
use crate::redeem::{Effect, Intent, Redemption, Step, TextEdit};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::cell::Cell;
use std::collections::HashSet;

/// Runs per machine; `BENEFITS_SOAK=1` multiplies them by 50 as for the other properties.
pub(super) fn cases() -> u32 {
    let soak = std::env::var_os("BENEFITS_SOAK").is_some_and(|v| v == "1");
    if soak { 800 * 50 } else { 800 }
}

/// How the edge answers a write: mostly written, sometimes refused or failed.
#[derive(Debug, Clone, Copy)]
pub(super) enum Answer {
    Written,
    Refused,
    StoreFailed,
}

pub(super) fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        8 => Just(Answer::Written),
        1 => Just(Answer::Refused),
        1 => Just(Answer::StoreFailed),
    ]
}

/// One step of the happy path with, before it, perhaps a detour.
pub(super) fn with_detours<T: std::fmt::Debug + Clone, D: Strategy<Value = T>>(
    steps: usize,
    detour: D,
) -> impl Strategy<Value = Vec<Option<T>>> {
    proptest::collection::vec(proptest::option::weighted(0.22, detour), steps)
}

/// What the runs did, for the floor each property holds.
#[derive(Default)]
pub(super) struct Tally {
    runs: Cell<u32>,
    runs_with_a_write: Cell<u32>,
    writes: Cell<u32>,
}

impl Tally {
    pub(super) fn run(&self, writes: u32) {
        self.runs.set(self.runs.get() + 1);
        self.runs_with_a_write
            .set(self.runs_with_a_write.get() + u32::from(writes > 0));
        self.writes.set(self.writes.get() + writes);
    }

    /// Measured (800 runs each): redemption 90% of runs write, ~2,100 writes; activation
    /// 90%, ~1,970; credit 82%, ~1,380. A uniform random sequence of intents (the property
    /// this replaced) wrote in none of its 300 runs. The floors leave room for other seeds.
    pub(super) fn hold(&self, name: &str, share: f64, writes: u32) {
        let (runs, with) = (self.runs.get(), self.runs_with_a_write.get());
        let measured = f64::from(with) / f64::from(runs.max(1));
        eprintln!(
            "{name}: {with} of {runs} runs wrote ({:.0}%), {} writes",
            measured * 100.0,
            self.writes.get()
        );
        assert!(
            measured >= share,
            "{name}: only {with} of {runs} runs reached a write"
        );
        assert!(
            self.writes.get() >= writes,
            "{name}: only {} writes",
            self.writes.get()
        );
    }
}

pub(super) fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

// --- Redemption ---

/// The edge's answer to the dialog's write, planned as `plan`: written (applied to `p`; the
/// dialog's receipt), failed, or refused (by the rules, else as `lost`: another process
/// won). Whether it was written.
pub(super) fn answer_write(
    m: &mut Redemption,
    p: &mut Portfolio,
    answer: Answer,
    plan: Result<Entry, Refusal>,
    lost: RefusalCode,
) -> bool {
    match (answer, plan) {
        (Answer::Written, Ok(entry)) => {
            apply(p, entry.clone());
            m.update(ctx(p), Intent::Committed(entry));
            true
        }
        (Answer::StoreFailed, _) => {
            m.update(ctx(p), Intent::Back);
            false
        }
        (_, plan) => {
            let r = plan.err().unwrap_or_else(|| Refusal::new(lost));
            m.update(ctx(p), Intent::CommitFailed(r));
            false
        }
    }
}

/// The domain of the target the dialog highlights, typed right (known only at run time).
pub(super) fn typed_domain(m: &Redemption) -> Intent {
    let domain = m.target().map(|t| t.domain.clone()).unwrap_or_default();
    Intent::EditConfirmation(TextEdit::Insert(domain))
}

/// The fixture with more unredeemed keys of one product, so a run has several to spend.
fn portfolio_with_spare_keys() -> Portfolio {
    let mut catalog = crate::catalog::load_str(include_str!("../fixture.yaml"), "fixture.yaml")
        .expect("the fixture is a valid catalog");
    let e3 = catalog.cloud_benefits[0].license.as_mut().unwrap();
    for i in 0..24u32 {
        e3.keys.push(CloudKey {
            key: key(&format!("E3SPR-AAAAA-AAAAA-AAAAA-{:05}", i)),
            licenses: 10 + i * 7,
            redeemed: false,
            location: None,
            without_key: false,
        });
    }
    Portfolio::new(catalog)
}

fn redemption_keys(p: &Portfolio) -> Vec<String> {
    let mut keys: Vec<String> = p.catalog.keys().map(|k| k.formatted()).collect();
    // The forgiving spellings: lower case, no dashes, spaces.
    keys.push(keys[1].replace('-', "").to_lowercase());
    keys.push(keys[2].replace('-', " "));
    keys.extend(["not a key".into(), String::new()]);
    keys
}

pub(super) fn any_redemption_intent(keys: Vec<String>) -> impl Strategy<Value = Intent> {
    let n = keys.len();
    prop_oneof![
        (0..n).prop_map(move |i| Intent::EditKey(TextEdit::Insert(keys[i].clone()))),
        Just(Intent::EditKey(TextEdit::Clear)),
        Just(Intent::EditKey(TextEdit::Backspace)),
        Just(Intent::Validate),
        (-3i32..3).prop_map(Intent::MoveTarget),
        Just(Intent::ChooseTarget),
        prop_oneof![
            Just("contoso.onmicrosoft.com"),
            Just("fabrikam-lab.onmicrosoft.com"),
            Just("x")
        ]
        .prop_map(|s| Intent::EditConfirmation(TextEdit::Insert(s.into()))),
        Just(Intent::EditConfirmation(TextEdit::Clear)),
        Just(Intent::ConfirmTenant),
        (-2i32..3).prop_map(Intent::MoveMode),
        Just(Intent::ToggleExplanation),
        Just(Intent::Review),
        Just(Intent::Redeem),
        Just(Intent::Back),
        Just(Intent::Cancel),
        Just(Intent::RedeemAnother),
        Just(Intent::Keyless),
    ]
}

/// A redemption attempt: which key, which target, maybe another mode, the detours, and
/// the edge's answer.
#[derive(Debug, Clone)]
struct RedeemEpisode {
    key: usize,
    target: i32,
    mode: Option<Mode>,
    detours: Vec<Option<Intent>>,
    answer: Answer,
}

const REDEEM_STEPS: usize = 12;

fn redeem_episode(keys: Vec<String>) -> impl Strategy<Value = RedeemEpisode> {
    let n = keys.len();
    (
        // Mostly keys that exist: the catalog's come first in the list.
        prop_oneof![4 => 0..n - 4, 1 => 0..n],
        0i32..3,
        proptest::option::weighted(
            0.25,
            prop_oneof![
                Just(Mode::Activate),
                Just(Mode::Extend),
                Just(Mode::AddLicenses)
            ],
        ),
        with_detours(REDEEM_STEPS, any_redemption_intent(keys)),
        answer(),
    )
        .prop_map(|(key, target, mode, detours, answer)| RedeemEpisode {
            key,
            target,
            mode,
            detours,
            answer,
        })
}

#[test]
fn prop_redemption_machine_writes_only_on_redeem_from_the_review_and_never_a_key_twice() {
    let base = portfolio_with_spare_keys();
    let keys = redemption_keys(&base);
    let tally = Tally::default();
    let strategy = proptest::collection::vec(redeem_episode(keys.clone()), 2..14);
    runner()
        .run(&strategy, |episodes| {
            let mut p = base.clone();
            let mut m = Redemption::new(None);
            let mut redeemed = HashSet::new();
            let mut writes = 0;
            for e in episodes {
                if m.is_closed() {
                    m = Redemption::new(None);
                }
                let happy = [
                    Some(Intent::RedeemAnother),
                    Some(Intent::EditKey(TextEdit::Clear)),
                    Some(Intent::EditKey(TextEdit::Insert(keys[e.key].clone()))),
                    Some(Intent::Validate),
                    Some(Intent::MoveTarget(e.target)),
                    Some(Intent::ChooseTarget),
                    Some(Intent::EditConfirmation(TextEdit::Clear)),
                    // The domain of the highlighted target, typed right (known at run time).
                    None,
                    Some(Intent::ConfirmTenant),
                    e.mode.map(Intent::SelectMode),
                    Some(Intent::Review),
                    Some(Intent::Redeem),
                ];
                for (i, (step, detour)) in happy.into_iter().zip(e.detours.clone()).enumerate() {
                    let step = step.or_else(|| (i == 7).then(|| typed_domain(&m)));
                    for intent in detour.into_iter().chain(step) {
                        let was_review = matches!(m.step, Step::Review(_));
                        let is_redeem = intent == Intent::Redeem;
                        let Some(Effect::Commit(op)) = m.update(ctx(&p), intent) else {
                            continue;
                        };
                        prop_assert!(
                            was_review && is_redeem,
                            "a write only follows Redeem on the review"
                        );
                        prop_assert!(matches!(m.step, Step::Committing { .. }), "committing");
                        prop_assert_eq!(m.update(ctx(&p), Intent::Redeem), None);
                        let plan = op.plan(ctx(&p));
                        let lost = RefusalCode::KeyAlreadyRedeemed;
                        if answer_write(&mut m, &mut p, e.answer, plan, lost) {
                            let k = op.key().unwrap().clone();
                            prop_assert!(redeemed.insert(k), "a key redeemed twice");
                            prop_assert!(matches!(m.step, Step::Receipt { .. }), "receipt");
                            writes += 1;
                        } else {
                            prop_assert!(matches!(m.step, Step::Review(_)), "back to the review");
                        }
                    }
                }
            }
            prop_assert!(p.mismatches.is_empty());
            tally.run(writes);
            Ok(())
        })
        .unwrap();
    tally.hold("redemption", 0.8, 1500);
}
