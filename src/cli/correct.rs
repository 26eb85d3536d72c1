//! `benefits correct ENTRY --reason TEXT [--note TEXT]`: void a ledger entry recorded by
//! mistake, or record what was done about a redemption (which stands). Written as every
//! other write: an `Operation` planned by `Store::execute` inside the write transaction.

use super::args::CorrectArgs;
use super::{Env, Failure, commit_failure, open_for_write, store_failure};
use crate::domain::correction::Undo;
use crate::domain::{Entry, Param, Refusal, RefusalCode};
use crate::redeem::Operation;
use crate::redeem::correction::entry_label;
use serde_json::json;

pub fn run(env: &Env, a: &CorrectArgs) -> Result<(), Failure> {
    let (mut portfolio, store) = open_for_write(env)?;
    let t = env.t();
    let entry = store
        .entry(a.entry)
        .map_err(store_failure)?
        .ok_or_else(|| {
            let r =
                Refusal::new(RefusalCode::UnknownEntry).with(Param::Entry, entry_label(a.entry));
            Failure::refused(&r, t)
        })?;
    let operation = Operation::Correct {
        seq: a.entry,
        entry: Box::new(entry),
        reason: a.reason.clone(),
        note: a.note.clone(),
    };
    let user = portfolio.catalog.user.clone();
    let committed = store
        .execute(&mut portfolio, &user, env.today, &operation)
        .map_err(|e| commit_failure(e, t))?;
    let Entry::Correction {
        corrects,
        corrected_op,
        undo,
        ..
    } = &committed.entry
    else {
        unreachable!("a correction plans a correction");
    };
    if env.json {
        let mut v = serde_json::to_value(&committed.entry).unwrap_or_default();
        v["seq"] = json!(committed.seq);
        outln!("{}", super::output::neutral(&v.to_string()));
    } else {
        let id = match undo {
            Undo::Nothing => "correct.recorded",
            _ => "correct.voided",
        };
        let op = t.text(&format!("op.{corrected_op}"));
        let (seq, entry) = (entry_label(committed.seq), entry_label(*corrects));
        let line = t.fmt(id, &[("seq", &seq), ("entry", &entry), ("op", op)]);
        outln!("{}", super::output::neutral(&line));
    }
    Ok(())
}
