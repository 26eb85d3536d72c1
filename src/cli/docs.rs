//! `benefits completions SHELL` and `benefits man`: generated from the very clap
//! definition the program parses with, so they never disagree with `--help`.

use super::Failure;
use super::args::Cli;
use clap::CommandFactory;

pub fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "benefits", &mut buf);
    out!("{}", String::from_utf8_lossy(&buf));
    Ok(())
}

/// The manual page: clap's sections, then exit status, environment and files.
pub fn man() -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure::error("io", format!("cannot render the manual: {e}"));
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(io)?;
    extra_sections().to_writer(&mut buf).map_err(io)?;
    out!("{}", String::from_utf8_lossy(&buf));
    Ok(())
}

fn extra_sections() -> roff::Roff {
    use roff::{Roff, bold, roman};
    let mut r = Roff::new();
    let list = |r: &mut Roff, title: &str, items: &[(&str, &str)]| {
        r.control("SH", [title]);
        for (term, what) in items {
            r.control("TP", []).text([bold(*term)]).text([roman(*what)]);
        }
    };
    list(
        &mut r,
        "EXIT STATUS",
        &[
            ("0", "ok; for list --attention: nothing needs attention"),
            (
                "1",
                "failure (the ledger could not be opened or written, cancelled at the prompt); \
                 for list --attention: something needs attention",
            ),
            (
                "2",
                "bad usage or config (every config problem with file:line:column)",
            ),
            (
                "3",
                "a rule refused the operation (the refusal code says which)",
            ),
        ],
    );
    list(
        &mut r,
        "ENVIRONMENT",
        &[
            ("BENEFITS_TODAY", "the date, as --today"),
            ("BENEFITS_CONFIG", "the catalog, as --config"),
            ("BENEFITS_DATA_DIR", "the data directory, as --data-dir"),
            (
                "LC_ALL, LC_MESSAGES, LANG",
                "the language when neither --lang nor the catalog sets one",
            ),
            ("NO_COLOR", "no colours on the dashboard, as --no-color"),
        ],
    );
    list(
        &mut r,
        "FILES",
        &[
            (
                "config.yaml",
                "the catalog, in the user config directory (Linux: ~/.config/benefits/)",
            ),
            (
                "ledger.db",
                "the append-only ledger, in the data directory (Linux: ~/.local/share/benefits/)",
            ),
        ],
    );
    r
}
