//! Issue 13 bug 10: palette and glyphs follow the terminal's type. The real binary in a
//! pseudo-terminal, every byte it writes read back: dumb and vt100 get no colour (bold
//! and reverse still carry state) and only ASCII; linux the 16 colours; 256 and true colour
//! only when TERM or COLORTERM says so; `--ascii` writes nothing but ASCII, in any language.

mod common;

use common::pty::Pty;
use portable_pty::CommandBuilder;
use std::sync::{Arc, Mutex};

struct Run {
    raw: Arc<Mutex<Vec<u8>>>,
    _dir: tempfile::TempDir,
}

/// The demo at 100x30 with `env` and `args`, driven through every page, expanded rows,
/// the help, the timeline and the palette; every byte it wrote.
fn drive(env: &[(&str, &str)], args: &[&str], settings: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.yaml");
    std::fs::write(&file, settings).unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_benefits"));
    cmd.args(["--today", "2026-11-23", "--demo", "--data-dir"]);
    cmd.arg(dir.path());
    cmd.arg("--settings");
    cmd.arg(&file);
    cmd.args(args);
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("COLORTERM");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let raw = Arc::new(Mutex::new(Vec::new()));
    let mut s = Pty::spawn_tapped(cmd, 100, 30, (), Some(raw.clone()));
    s.wait_for("365 E3");
    for keys in [
        "l", "j", "l", "t", "\x1b", "?", "\x1b", "2", "l", "3", "1", ":", "e5",
    ] {
        s.keys(keys);
    }
    s.keys("\r");
    s.keys("q");
    assert!(s.wait_exit().success());
    Run { raw, _dir: dir }
}

/// The numbers of every SGR sequence written (`ESC [ n;n;… m`).
fn sgr_params(bytes: &[u8]) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == 0x1b && bytes[i + 1] == b'[' {
            let start = i + 2;
            let mut j = start;
            while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'm' {
                let params = std::str::from_utf8(&bytes[start..j]).unwrap();
                out.push(params.split(';').filter_map(|p| p.parse().ok()).collect());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn colours(bytes: &[u8]) -> Vec<Vec<u32>> {
    sgr_params(bytes)
        .into_iter()
        .filter(|p| {
            matches!(
                p.first(),
                Some(38 | 48 | 30..=37 | 40..=47 | 90..=97 | 100..=107)
            )
        })
        .collect()
}

fn non_ascii(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| !b.is_ascii()).count()
}

#[test]
fn ascii_writes_nothing_but_ascii_in_every_language() {
    for lang in ["sv-SE", "nl-NL"] {
        let run = drive(
            &[("TERM", "xterm-256color")],
            &["--ascii", "--lang", lang],
            "",
        );
        let raw = run.raw.lock().unwrap();
        assert!(raw.len() > 5_000, "the screens were drawn");
        assert_eq!(non_ascii(&raw), 0, "{lang}: non-ASCII bytes written");
    }
}

#[test]
fn dumb_and_vt100_get_no_colour_and_only_ascii_but_bold_and_reverse() {
    for term in ["dumb", "vt100"] {
        let run = drive(&[("TERM", term)], &["--lang", "en-US"], "");
        let raw = run.raw.lock().unwrap();
        assert_eq!(
            colours(&raw),
            Vec::<Vec<u32>>::new(),
            "{term}: colours written"
        );
        assert_eq!(non_ascii(&raw), 0, "{term}: non-ASCII bytes written");
        let sgr = sgr_params(&raw);
        assert!(
            sgr.iter().any(|p| p.contains(&1)),
            "{term}: bold carries state"
        );
        assert!(
            sgr.iter().any(|p| p.contains(&7)),
            "{term}: reverse carries state"
        );
    }
}

#[test]
fn linux_gets_the_16_colours_and_more_only_when_the_terminal_says_so() {
    let custom = "theme:\n  colors:\n    title: \"#ff0000\"\n";
    let is_256 = |p: &Vec<u32>| p.len() >= 3 && p[1] == 5 && p[2] >= 16;
    let is_true = |p: &Vec<u32>| p.len() >= 2 && p[1] == 2;

    let linux = drive(&[("TERM", "linux")], &["--lang", "en-US"], custom);
    let c = colours(&linux.raw.lock().unwrap());
    assert!(!c.is_empty(), "linux has colours");
    assert!(!c.iter().any(|p| is_256(p) || is_true(p)), "linux: {c:?}");
    assert!(
        non_ascii(&linux.raw.lock().unwrap()) > 0,
        "linux shows UTF-8 glyphs"
    );

    let xterm = drive(&[("TERM", "xterm-256color")], &["--lang", "en-US"], custom);
    let c = colours(&xterm.raw.lock().unwrap());
    assert!(c.iter().any(is_256), "256 colours for xterm-256color");
    assert!(
        !c.iter().any(is_true),
        "no true colour unless COLORTERM says so"
    );

    let truecolor = drive(
        &[("TERM", "xterm-256color"), ("COLORTERM", "truecolor")],
        &["--lang", "en-US"],
        custom,
    );
    let c = colours(&truecolor.raw.lock().unwrap());
    assert!(
        c.iter().any(|p| p.starts_with(&[38, 2, 255, 0, 0])),
        "the custom colour in true colour"
    );
}
