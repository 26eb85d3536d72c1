//! `benefits`: parse the command line, then either run a headless subcommand or open the
//! dashboard. Everything else lives in the library.

use benefits::cli::{self, Cli};
use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    benefits::startup_trace::mark("main");
    let cli = Cli::parse();
    let clock_today = chrono::Local::now().date_naive();
    let env_lang = benefits::i18n::env_lang(|name| std::env::var(name).ok());
    cli::run(cli, clock_today, env_lang.as_deref())
}
