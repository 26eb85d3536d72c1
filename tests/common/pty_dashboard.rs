//! The dashboard as the pty tests start it: the real binary on a catalog and a data
//! directory, the date and the language pinned, colours on.

use super::TODAY;
use super::pty::Pty;
use portable_pty::CommandBuilder;
use std::path::Path;

/// The dashboard on `config` and `data` in a `cols`x`rows` pseudo-terminal, in English.
pub fn dashboard(config: &Path, data: &Path, cols: u16, rows: u16) -> Pty {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_benefits"));
    cmd.args(["--today", TODAY, "--lang", "en-US", "--config"]);
    cmd.arg(config);
    cmd.arg("--data-dir");
    cmd.arg(data);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    Pty::spawn(cmd, cols, rows)
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
