//! Corrections through the binary: `benefits correct ENTRY --reason TEXT [--note TEXT]`
//! voids an activation or a credit change (the fold undoes it), records what was done
//! about a redemption (which stands), refuses with a code and exit 3 what cannot be
//! corrected, and History links both entries in the table, `--json` and `--csv`.

mod common;

use common::{benefits, json, text};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli.yaml");
const WIN: &str = "WINAP-AAAAA-AAAAA-AAAAA-AAAAA";

/// `activate` of the Windows key (9 of 10 activations used) on a new `machine`.
fn activate_win(machine: &str) -> [&str; 7] {
    [
        "activate",
        "--key",
        WIN,
        "--machine",
        machine,
        "--change",
        "new",
    ]
}

struct Ledger {
    _dir: tempfile::TempDir,
    config: PathBuf,
    data: PathBuf,
}

impl Ledger {
    fn new() -> Ledger {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        Ledger {
            config: PathBuf::from(FIXTURE),
            data,
            _dir: dir,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        benefits(&self.config, &self.data)
            .args(args)
            .output()
            .unwrap()
    }

    /// Run `args`, which must succeed.
    fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        common::assert_success_of(&out, args);
        out
    }

    /// The refusal code of `args`, which must be refused with exit 3.
    fn refused(&self, args: &[&str]) -> String {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", text(&out));
        json(&out)["error"]["code"].as_str().unwrap().to_string()
    }

    fn activations(&self) -> String {
        let out = self.ok(&["--json", "show", "win"]);
        let v = json(&out);
        let key = &v["keys"][0];
        format!("{}/{}", key["activations_used"], key["activations_allowed"])
    }

    fn assigned(&self) -> Value {
        let v = json(&self.ok(&["--json", "show", "az-monthly"]));
        v["credit"]["assigned_to"].clone()
    }
}

#[test]
fn voiding_an_activation_gives_the_activation_back_and_the_key_can_be_activated_again() {
    let l = Ledger::new();
    let activate = activate_win("pc-1");
    l.ok(&activate);
    assert_eq!(l.activations(), "10/10");
    assert_eq!(l.refused(&activate), "max-activations-reached");
    let out = l.ok(&["correct", "1", "--reason", "activated on the wrong machine"]);
    assert!(
        text(&out).contains("Voided #1 (Activation recorded) with correction #2"),
        "{}",
        text(&out)
    );
    assert_eq!(l.activations(), "9/10");
    let again = activate_win("pc-2");
    l.ok(&again);
    assert_eq!(l.activations(), "10/10");
}

#[test]
fn voiding_a_credit_change_gives_the_credit_back_newest_first() {
    let l = Ledger::new();
    l.ok(&["credit", "remove", "--benefit", "az-monthly"]);
    l.ok(&[
        "credit",
        "assign",
        "--benefit",
        "az-monthly",
        "--user",
        "bob@contoso.onmicrosoft.com",
    ]);
    assert_eq!(
        l.refused(&["correct", "1", "--reason", "x"]),
        "not-the-latest-credit-change"
    );
    l.ok(&["correct", "2", "--reason", "wrong user"]);
    assert_eq!(l.assigned(), Value::Null);
    l.ok(&["correct", "1", "--reason", "should not have been removed"]);
    assert_eq!(l.assigned(), "ada@contoso.onmicrosoft.com");
}

#[test]
fn a_redemption_correction_records_what_was_done_and_the_redemption_stands() {
    let l = Ledger::new();
    l.ok(&common::REDEEM_E3_ON_CONTOSO);
    let before = json(&l.ok(&["--json", "show", "m365e3"]));
    assert_eq!(
        l.refused(&["correct", "1", "--reason", "wrong tenant"]),
        "correction-note-required"
    );
    let out = l.ok(&[
        "--json",
        "correct",
        "1",
        "--reason",
        "wrong tenant",
        "--note",
        "support case 7781",
    ]);
    let v = json(&out);
    assert_eq!(
        (v["op"].as_str(), v["corrects"].as_i64(), v["seq"].as_i64()),
        (Some("correction"), Some(1), Some(2))
    );
    assert_eq!(v["undo"]["kind"], "nothing");
    assert_eq!(
        json(&l.ok(&["--json", "show", "m365e3"])),
        before,
        "the redemption stands"
    );
    assert_eq!(
        l.refused(&common::REDEEM_E3_ON_CONTOSO),
        "key-already-redeemed"
    );
}

#[test]
fn what_cannot_be_corrected_is_refused_with_its_code_and_exit_3() {
    let l = Ledger::new();
    l.ok(&activate_win("pc-1"));
    assert_eq!(
        l.refused(&["correct", "1", "--reason", " "]),
        "correction-reason-required"
    );
    assert_eq!(
        l.refused(&["correct", "7", "--reason", "x"]),
        "unknown-entry"
    );
    l.ok(&["correct", "1", "--reason", "x"]);
    assert_eq!(
        l.refused(&["correct", "1", "--reason", "x"]),
        "entry-already-corrected"
    );
    assert_eq!(
        l.refused(&["correct", "2", "--reason", "x"]),
        "cannot-correct-a-correction"
    );
    // A refusal in words on standard error without --json, naming the correction.
    let out = l.run(&["correct", "1", "--reason", "x"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out).contains("error[entry-already-corrected]: #1 is already corrected by #2"),
        "{}",
        text(&out)
    );
    let dir = tempfile::tempdir().unwrap();
    let read_only = common::write_catalog(dir.path(), 1, false);
    let out = benefits(&read_only, &l.data)
        .args(["--json", "correct", "1", "--reason", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert_eq!(json(&out)["error"]["code"], "role-not-permitted");
}

#[test]
fn history_shows_the_correction_and_the_entry_it_corrects_linked() {
    let l = Ledger::new();
    l.ok(&activate_win("pc-1"));
    l.ok(&[
        "correct",
        "1",
        "--reason",
        "wrong machine",
        "--note",
        "asset tag fixed",
    ]);
    let table = text(&l.ok(&["history"]));
    assert!(
        table.contains("voids #1 (Activation recorded): wrong machine · done: asset tag fixed"),
        "{table}"
    );
    assert!(table.contains("[voided by #2]"), "{table}");
    let entries = common::history(&l.config, &l.data);
    assert_eq!(entries[0]["corrected_by"], 2);
    assert_eq!(
        (
            entries[1]["corrects"].as_i64(),
            entries[1]["reason"].as_str()
        ),
        (Some(1), Some("wrong machine"))
    );
    let csv = l.ok(&["history", "--csv"]);
    let mut reader = csv::Reader::from_reader(&csv.stdout[..]);
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        (
            &rows[0][col("corrects")],
            &rows[0][col("reason")],
            &rows[0][col("note")]
        ),
        ("1", "wrong machine", "asset tag fixed")
    );
    assert_eq!(&rows[1][col("corrected_by")], "2");
    let only = json(&l.ok(&["--json", "history", "--op", "correction"]));
    assert_eq!(only["entries"].as_array().map(Vec::len), Some(1));
}

#[test]
fn two_processes_correcting_one_entry_write_one_correction() {
    let l = Ledger::new();
    l.ok(&activate_win("pc-1"));
    let children: Vec<_> = (0..4)
        .map(|i| {
            benefits(&l.config, &l.data)
                .args([
                    "--json",
                    "correct",
                    "1",
                    "--reason",
                    &format!("process {i}"),
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<Option<i32>> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == Some(0)).count(),
        1,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == Some(3)).count(),
        3,
        "{codes:?}"
    );
    assert_eq!(l.activations(), "9/10", "undone once");
}

#[test]
fn a_correction_is_still_known_after_a_start_from_a_checkpoint() {
    let d = tempfile::tempdir().unwrap();
    let generated = benefits(Path::new(FIXTURE), d.path())
        .args(["generate-catalog", "--rows", "1500", "--seed", "7"])
        .output()
        .unwrap();
    common::assert_success(&generated);
    let l = Ledger {
        config: d.path().join("big.yaml"),
        data: d.path().join("data"),
        _dir: d,
    };
    std::fs::write(&l.config, &generated.stdout).unwrap();
    l.ok(&["generate-ledger", "--entries", "20"]);
    let first = &common::history(&l.config, &l.data)[0];
    assert_eq!(first["seq"], 1);
    let note = ["--reason", "test", "--note", "nothing to do"];
    l.ok(&[&["correct", "1"][..], &note].concat());
    l.ok(&["generate-ledger", "--entries", "2100"]);
    // This start folds everything and leaves a checkpoint; the next starts from it.
    assert_eq!(
        l.refused(&[&["correct", "1"][..], &note].concat()),
        "entry-already-corrected"
    );
    assert!(
        l.data
            .join(benefits::catalog::snapshot::STATE_FILE)
            .exists(),
        "a checkpoint"
    );
    assert_eq!(
        l.refused(&[&["correct", "1"][..], &note].concat()),
        "entry-already-corrected"
    );
    let table = text(&l.ok(&["history", "--benefit", first["benefit"].as_str().unwrap()]));
    assert!(table.contains("by #21]"), "{table}");
}

/// The dashboard writes a correction as it writes anything (an `Operation` through the
/// runtime to the ledger), and its History page shows both entries, linked.
#[test]
fn the_dashboards_history_shows_a_void_and_the_activation_it_voids() {
    use benefits::app::Effect;
    use benefits::redeem::Operation;
    let mut d = common::dash::Dash::demo().with_ledger();
    d.press("2");
    common::dash::select(&mut d, "Windows 11 Enterprise");
    d.press("a");
    let effects = d.press("<Tab>pc-q1<Enter><Enter>");
    d.write(effects[0].clone());
    let b = d.app.selected_item().unwrap();
    let used = |d: &common::dash::Dash| d.app.portfolio.software(b).keys[0].activations_used;
    let after = used(&d);
    let benefits::store::Logged { seq, entry, .. } = d.app.history[0].clone();
    d.write(Effect::Commit(Operation::Correct {
        seq,
        entry: Box::new(entry),
        reason: "wrong machine".into(),
        note: None,
    }));
    assert_eq!(
        used(&d),
        after - 1,
        "the void is folded into the dashboard's state"
    );
    d.press("3");
    let screen = d.screen();
    assert!(
        screen.contains(&format!(
            "voids #{seq} (Activation recorded): wrong machine"
        )),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("voided by #{}", seq + 1)),
        "{screen}"
    );
}
