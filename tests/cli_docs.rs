//! `benefits completions` loaded into a real bash and asked to complete; `benefits man`
//! checked for its sections and rendered by groff when the machine has it.

mod common;

use std::path::Path;
use std::process::Command;

fn output_of(args: &[&str]) -> String {
    let d = tempfile::tempdir().unwrap();
    let config = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cli.yaml"
    ));
    let out = common::benefits(config, d.path())
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    assert!(
        !d.path().join("ledger.db").exists(),
        "{args:?} opens no ledger"
    );
    String::from_utf8(out.stdout).unwrap()
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What bash's completion offers for `line` (the words typed so far, the last one being
/// completed), with the script loaded the way a user's bashrc would.
fn complete(script: &Path, words: &[&str]) -> (String, Vec<String>) {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let line = words.join(" ");
    let program = format!(
        "source '{}'\ncomplete -p benefits\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{line}'\n\
         COMP_POINT={}\n_benefits benefits '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" "),
        words.len() - 1,
        line.len(),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    common::assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let spec = lines.next().unwrap_or_default().to_string();
    (spec, lines.map(str::trim).map(String::from).collect())
}

#[test]
fn bash_completion_loads_and_completes_subcommands_and_their_options() {
    if !have("bash") {
        println!("SKIPPED: no bash on this machine");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let script = d.path().join("benefits.bash");
    std::fs::write(&script, output_of(&["completions", "bash"])).unwrap();
    let (spec, offered) = complete(&script, &["benefits", "li"]);
    assert!(
        spec.starts_with("complete ")
            && spec.contains("-F _benefits")
            && spec.ends_with(" benefits"),
        "{spec}"
    );
    assert_eq!(offered, ["list"]);
    let (_, offered) = complete(&script, &["benefits", "ca"]);
    assert_eq!(offered, ["calc", "calendar"]);
    let (_, offered) = complete(&script, &["benefits", "history", "--s"]);
    // --store is global: every subcommand takes it.
    assert_eq!(offered, ["--since", "--store"]);
    let (_, offered) = complete(&script, &["benefits", "list", "cloud", "--"]);
    for flag in ["--csv", "--attention", "--json", "--today"] {
        assert!(offered.iter().any(|o| o == flag), "{flag} in {offered:?}");
    }
    let (_, offered) = complete(&script, &["benefits", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(offered.iter().any(|o| o == shell), "{shell} in {offered:?}");
    }
}

#[test]
fn every_shell_gets_a_completion_script() {
    for (shell, mark) in [
        ("zsh", "#compdef benefits"),
        ("fish", "complete -c benefits"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[benefits]"),
    ] {
        let script = output_of(&["completions", shell]);
        assert!(script.contains(mark), "{shell}: {mark}");
        assert!(
            script.contains("calendar") && script.contains("attention"),
            "{shell}"
        );
    }
}

#[test]
fn the_man_page_has_its_sections_and_renders_without_warnings() {
    let page = output_of(&["man"]);
    let sections: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|s| s.trim_matches('"'))
        .collect();
    for want in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "SUBCOMMANDS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
    ] {
        assert!(sections.contains(&want), "{want} in {sections:?}");
    }
    assert!(page.contains("\n.TH benefits 1 "), "a section 1 page");
    if !have("groff") {
        println!("SKIPPED: no groff on this machine; the sections were checked");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("benefits.1");
    std::fs::write(&file, &page).unwrap();
    // -ww: every warning; -z: parse and discard the output.
    let check = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    assert_eq!(String::from_utf8_lossy(&check.stderr), "", "groff warnings");
    let shown = Command::new("groff")
        .args(["-man", "-Tascii", "-P-c", "-P-b", "-P-u"])
        .arg(&file)
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    for text in [
        "EXIT STATUS",
        "calendar",
        "completions",
        "BENEFITS_DATA_DIR",
        "--today",
    ] {
        assert!(shown.contains(text), "{text} in\n{shown}");
    }
}
