//! The real binary on the demo catalog as the end-to-end tests start it: the dashboard in
//! a pseudo-terminal, and the CLI reading back the ledger the dashboard wrote.

use super::pty::Pty;
use portable_pty::CommandBuilder;
use std::path::Path;

/// The demo catalog the tests run on (the README's example).
pub const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml");

/// The date the end-to-end tests pin.
pub use super::TODAY;

/// The dashboard on `config` and `data`, at 160x40, in English, with `envs` set.
pub fn dashboard(config: &Path, data: &Path, envs: &[(&str, &Path)]) -> Pty {
    dashboard_sized(config, data, 160, 40, envs)
}

/// The same in a `cols`x`rows` terminal.
pub fn dashboard_sized(
    config: &Path,
    data: &Path,
    cols: u16,
    rows: u16,
    envs: &[(&str, &Path)],
) -> Pty {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_benefits"));
    cmd.args(["--today", TODAY, "--lang", "en-US", "--config"]);
    cmd.arg(config);
    cmd.arg("--data-dir");
    cmd.arg(data);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    Pty::spawn(cmd, cols, rows)
}

/// `benefits --json ARGS` on the demo and `data`: its output as JSON.
pub fn cli_json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("benefits")
        .unwrap()
        .args(["--today", TODAY, "--config", CONFIG, "--json", "--data-dir"])
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "benefits {args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `benefits history --json` on the data directory the dashboard wrote, newest first.
pub fn history_json(data: &Path) -> serde_json::Value {
    cli_json(data, &["history"])
}

/// `q` on a page: the dashboard quits cleanly.
pub fn quit(s: &mut Pty) {
    s.keys("q");
    assert!(
        s.wait_exit().success(),
        "the dashboard did not quit cleanly"
    );
}

/// From the redemption dialog's target step: the first target (a Contoso subscription),
/// its domain typed, the preselected mode reviewed, Redeem; returns once it is written.
pub fn redeem_on_first_contoso_target(s: &mut Pty) {
    s.keys("\r");
    s.type_text("contoso.onmicrosoft.com");
    s.keys("\r");
    s.wait_for("Review order details");
    s.keys("\r");
    s.keys("\r"); // Redeem
    s.wait_for("n redeem another key");
}
