//! Bad input. Every malformed catalog (the corpus in `tests/fixtures/bad/` plus generated
//! ones: non-UTF-8, huge, deeply nested, alias bombs, binary, very long lines, many
//! problems) is answered by the real binary with file:line:column and a fix, exit 2, in
//! bounded time and memory. Property tests with fixed seeds drive the same entry points as
//! the cargo-fuzz targets (`benefits::fuzz`): the key normaliser and the catalog loader on
//! arbitrary and mutated input. `BENEFITS_SOAK=1` runs many more cases.

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Wall clock and resident memory allowed to answer any catalog (debug build).
const TIME_LIMIT: Duration = Duration::from_secs(20);
const RSS_LIMIT_KIB: i64 = 768 * 1024;

struct Answer {
    code: Option<i32>,
    stderr: String,
    took: Duration,
    max_rss_kib: i64,
}

/// Run the binary on `config`, killing it at the time limit; measure its peak memory.
fn answer(args: &[&str], config: &Path) -> Answer {
    let data = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_benefits"))
        .env("LANG", "en_US.UTF-8")
        .args(["--today", common::TODAY, "--data-dir"])
        .arg(data.path())
        .args(args)
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            while start.elapsed() < TIME_LIMIT {
                if done.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            // SAFETY: kill(2) of the child this test started and has not reaped yet.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        })
    };
    let mut status = 0;
    // SAFETY: wait4 fills the zeroed rusage of the child this test started.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    watchdog.join().unwrap();
    std::mem::forget(child); // reaped by wait4 above
    let stderr = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    Answer {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stderr,
        took: start.elapsed(),
        max_rss_kib: usage.ru_maxrss,
    }
}

fn bad_fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// Catalogs generated here: what a file system or an attacker can hand the loader.
fn generated(dir: &Path) -> Vec<PathBuf> {
    let valid = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cli.yaml"
    ))
    .unwrap();
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("empty.yaml", Vec::new()),
        ("only-a-comment.yaml", b"# nothing\n".to_vec()),
        ("a-scalar.yaml", b"just a string\n".to_vec()),
        ("a-list.yaml", b"- 1\n- 2\n".to_vec()),
        ("nul-bytes.yaml", b"organization:\n  name: a\0b\n".to_vec()),
        (
            "latin1.yaml",
            b"organization:\n  name: Caf\xe9 Contoso\n".to_vec(),
        ),
        ("bom-and-tabs.yaml", {
            let mut v = "\u{feff}".as_bytes().to_vec();
            v.extend(valid.replacen("  name", "\tname", 1).as_bytes());
            v
        }),
        (
            "binary.yaml",
            (0..65_536u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
                .collect(),
        ),
        ("deep-block.yaml", {
            (0..300)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>()
                .into_bytes()
        }),
        ("deep-flow.yaml", {
            format!(
                "organization: {}{}\n",
                "[".repeat(200_000),
                "]".repeat(200_000)
            )
            .into_bytes()
        }),
        (
            "deep-flow-unclosed.yaml",
            format!("a: {}", "{a: ".repeat(100_000)).into_bytes(),
        ),
        ("alias-bomb.yaml", {
            let mut s = String::from(
                "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
            );
            for (i, c) in ('b'..='j').enumerate() {
                let prev = (b'a' + i as u8) as char;
                s.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            }
            s.push_str(&valid);
            s.into_bytes()
        }),
        ("alias-in-catalog.yaml", {
            valid
                .replacen("offers:\n", "x-anchor: &big [1, 2, 3]\noffers:\n", 1)
                .into_bytes()
        }),
        ("long-line.yaml", {
            format!("organization: {{name: {}}}\n", "x".repeat(8 * 1024 * 1024)).into_bytes()
        }),
        ("many-problems.yaml", {
            // Thousands of unknown fields and bad keys in one file.
            let mut s = valid.clone();
            s.push_str("extra:\n");
            for i in 0..20_000 {
                s.push_str(&format!("  field{i}: {i}\n"));
            }
            s.into_bytes()
        }),
        ("many-bad-keys.yaml", {
            let mut s = valid.replace("software_benefits:", "software_benefits_gone:");
            s.push_str("software_benefits:\n  - id: w\n    product: W\n    offer: ap\n    family: windows\n    quantity: 1\n    activate_by: 2027-06-30\n    keys:\n");
            for i in 0..5_000 {
                s.push_str(&format!(
                    "      - {{key: BAD{i:05}, activations_allowed: 1}}\n"
                ));
            }
            s.into_bytes()
        }),
        ("duplicate-keys-every-spelling.yaml", {
            valid
                .replacen(
                    "        - {key: E3AAA-AAAAA-AAAAA-AAAAA-AAA25, licenses: 25}\n",
                    "        - {key: E3AAA-AAAAA-AAAAA-AAAAA-AAA25, licenses: 25}\n        - {key: e3aaa aaaaa aaaaa aaaaa aaa25, licenses: 25}\n        - {key: E3AAAAAAAAAAAAAAAAAAAAA25, licenses: 25}\n",
                    1,
                )
                .into_bytes()
        }),
        (
            "duplicate-mapping-key.yaml",
            valid
                .replacen("offers:", "user: {name: X}\noffers:", 1)
                .into_bytes(),
        ),
    ];
    let huge = dir.join("huge.yaml");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(benefits::catalog::MAX_BYTES as u64 + 1).unwrap();
    let mut paths = vec![huge];
    for (name, bytes) in files.drain(..) {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    paths
}

#[test]
fn every_malformed_catalog_is_answered_with_a_position_and_a_fix_exit_2_in_bounded_time_and_memory()
{
    let d = tempfile::tempdir().unwrap();
    let mut files = bad_fixtures();
    files.extend(generated(d.path()));
    let mut slowest = (Duration::ZERO, String::new());
    let mut biggest = (0, String::new());
    for f in &files {
        let shown = f.display().to_string();
        for args in [&["check-config"][..], &["list", "cloud", "--config"][..]] {
            let a = answer(args, f);
            assert!(
                a.took < TIME_LIMIT,
                "{shown}: no answer within {TIME_LIMIT:?}"
            );
            assert_eq!(a.code, Some(2), "{shown} {args:?}: {}", a.stderr);
            assert!(!a.stderr.contains("panicked"), "{shown}: {}", a.stderr);
            // Every problem line starts with file:line:column, and each has a fix.
            let problems: Vec<&str> = a
                .stderr
                .lines()
                .filter(|l| l.trim_start().starts_with(&shown))
                .collect();
            assert!(
                !problems.is_empty(),
                "{shown}: no file:line:col in\n{}",
                a.stderr
            );
            for p in &problems {
                let rest = &p.trim_start()[shown.len()..];
                let mut parts = rest.splitn(4, ':');
                assert_eq!(parts.next(), Some(""), "{p}");
                let line: usize = parts.next().unwrap().parse().unwrap_or(0);
                let col: usize = parts.next().unwrap_or("").parse().unwrap_or(0);
                assert!(line >= 1 && col >= 1, "{shown}: no line:column in {p:?}");
            }
            assert!(
                a.stderr.matches("fix: ").count() >= problems.len(),
                "{shown}: a problem without a fix:\n{}",
                a.stderr
            );
            assert!(
                a.max_rss_kib < RSS_LIMIT_KIB,
                "{shown}: {} KiB resident",
                a.max_rss_kib
            );
            if a.took > slowest.0 {
                slowest = (a.took, shown.clone());
            }
            if a.max_rss_kib > biggest.0 {
                biggest = (a.max_rss_kib, shown.clone());
            }
        }
    }
    eprintln!(
        "{} catalogs; slowest {:?} ({}), most memory {} KiB ({})",
        files.len(),
        slowest.0,
        slowest.1,
        biggest.0,
        biggest.1
    );
}

fn runner(cases: u32, seed: u64) -> TestRunner {
    let cases = if common::soak() { cases * 50 } else { cases };
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

fn key_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}",
        "[A-Za-z0-9 \\-]{0,40}",
        " *[a-z0-9]{25} *",
        "[A-Z0-9]{5}(-{1,3}[A-Z0-9]{5}){4}",
        ".{0,40}",
        "\\PC{0,60}",
    ]
}

#[test]
fn prop_key_normaliser_on_arbitrary_and_key_like_input() {
    let mut r = runner(3_000, 0x4B45_5901);
    r.run(&key_like(), |s| {
        prop_assert_eq!(benefits::fuzz::key_input(s.as_bytes()), Ok(()));
        Ok(())
    })
    .unwrap();
    r.run(&proptest::collection::vec(any::<u8>(), 0..64), |b| {
        prop_assert_eq!(benefits::fuzz::key_input(&b), Ok(()));
        Ok(())
    })
    .unwrap();
}

/// A valid catalog with random damage: bytes flipped, cut short, lines duplicated or
/// dropped, characters that YAML treats specially inserted.
fn damaged_catalog() -> impl Strategy<Value = Vec<u8>> {
    let valid = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cli.yaml"
    ))
    .unwrap();
    let n = valid.len();
    let edit = prop_oneof![
        (0..n, any::<u8>()).prop_map(|(i, b)| (0u8, i, vec![b])),
        (0..n).prop_map(|i| (1u8, i, vec![])),
        (
            0..n,
            prop::sample::select(vec![
                &b":"[..],
                b"-",
                b"&a ",
                b"*a",
                b"!!binary ",
                b"{",
                b"[",
                b"\"",
                b"'",
                b"\n",
                b"\t",
                b"  ",
                b"~",
                b"? ",
                b"|",
                b">",
                b"%YAML 1.2\n",
                b"---\n",
                b"...\n",
                b"\xff",
                b"2027-02-30",
                b"-0",
                b"1e400",
                b"0x7fffffffffffffff",
            ])
        )
            .prop_map(|(i, s)| (2u8, i, s.to_vec())),
        (0..n).prop_map(|i| (3u8, i, vec![])),
    ];
    proptest::collection::vec(edit, 1..6).prop_map(move |edits| {
        let mut v = valid.clone();
        for (kind, i, bytes) in edits {
            let i = i.min(v.len().saturating_sub(1));
            match kind {
                0 if !v.is_empty() => v[i] = bytes[0],
                1 => v.truncate(i),
                2 => {
                    v.splice(i..i, bytes);
                }
                _ => {
                    // Duplicate the line holding byte i.
                    let start = v[..i]
                        .iter()
                        .rposition(|b| *b == b'\n')
                        .map_or(0, |p| p + 1);
                    let end = v[i..]
                        .iter()
                        .position(|b| *b == b'\n')
                        .map_or(v.len(), |p| i + p + 1);
                    let line = v[start..end].to_vec();
                    v.splice(start..start, line);
                }
            }
        }
        v
    })
}

#[test]
fn prop_catalog_loader_on_damaged_and_arbitrary_input() {
    let mut r = runner(400, 0xCA7A_1065);
    r.run(&damaged_catalog(), |bytes| {
        prop_assert_eq!(benefits::fuzz::catalog_input(&bytes), Ok(()));
        Ok(())
    })
    .unwrap();
    r.run(&proptest::collection::vec(any::<u8>(), 0..512), |bytes| {
        prop_assert_eq!(benefits::fuzz::catalog_input(&bytes), Ok(()));
        Ok(())
    })
    .unwrap();
    r.run(&"(\\PC|\n| ){0,400}", |s| {
        prop_assert_eq!(benefits::fuzz::catalog_input(s.as_bytes()), Ok(()));
        Ok(())
    })
    .unwrap();
}
