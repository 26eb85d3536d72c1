//! Headless subcommands: the edge that loads the catalog, opens the ledger, runs a pure
//! rule and prints a table or JSON. Exit codes: 0 ok, 1 failure, 2 usage/config, 3 refused.

/// `print!` for the subcommands: see `output::emit` (`?` passes a write failure on).
macro_rules! out {
    ($($t:tt)*) => {
        $crate::cli::output::emit(format_args!($($t)*))?
    };
}

/// `println!` for the subcommands: see `output::emit`.
macro_rules! outln {
    ($($t:tt)*) => {
        $crate::cli::output::emit(format_args!("{}\n", format_args!($($t)*)))?
    };
}

pub mod args;
mod browse;
mod calc;
mod calendar;
mod correct;
mod dashboard;
mod docs;
mod export;
pub mod generate;
mod history_filter;
mod ical;
mod import;
mod keyless;
mod listing;
mod ops;
mod output;
mod reconcile;
mod schema;
mod serve;
mod session;
mod settings;
mod store_copy;
mod usage;

use crate::domain::Refusal;
use crate::i18n::{Lang, Messages};
use crate::store::CommitError;
pub use args::{Cli, Command, Dashboard, Global};
use chrono::NaiveDate;
pub use session::{Session, open_for_write, open_session};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Failure = 1,
    Usage = 2,
    Refused = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Why a command did not succeed: printed as text on stderr, or as JSON on stdout.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub code: String,
    pub message: String,
}

impl Failure {
    pub fn usage(code: &str, message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            code: code.into(),
            message: message.into(),
        }
    }
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Failure,
            code: code.into(),
            message: message.into(),
        }
    }

    /// The store committed an entry of another kind than the operation plans: a bug, not
    /// a user's error.
    pub fn other_entry() -> Self {
        Self::error("internal", "the ledger returned another kind of entry")
    }
    pub fn refused(r: &Refusal, t: &Messages) -> Self {
        Self {
            exit: Exit::Refused,
            code: r.code.as_str().into(),
            message: t.refusal(r),
        }
    }
}

/// Everything a command needs, resolved at the edge.
pub struct Env {
    pub today: NaiveDate,
    /// The clock the ledger stamps writes with (`--now` pins it; `--today` its date).
    pub clock: crate::store::Clock,
    pub json: bool,
    /// Messages in the resolved language; the catalog's `language` may still change it when
    /// `--lang` is absent, so it is set once the catalog is loaded.
    messages: std::cell::Cell<&'static Messages>,
    pub global: Global,
    env_lang: Option<String>,
}

impl Env {
    pub fn t(&self) -> &'static Messages {
        self.messages.get()
    }

    pub fn lang(&self) -> Lang {
        self.t().lang()
    }

    /// Apply the catalog's language: --lang first, then the catalog, then LANG.
    pub(super) fn use_catalog_language(&self, language: Option<&str>) {
        let lang = Lang::resolve(
            self.global.lang.as_deref(),
            language,
            self.env_lang.as_deref(),
        );
        self.messages.set(Messages::get(lang));
    }
}

/// Run one subcommand. `clock_today` is used unless --today / BENEFITS_TODAY pins the date.
pub fn run(cli: Cli, clock_today: NaiveDate, env_lang: Option<&str>) -> ExitCode {
    let lang = Lang::resolve(cli.global.lang.as_deref(), None, env_lang);
    let env = Env {
        today: (cli.global.today)
            .or(cli.global.now.map(|n| n.date_naive()))
            .unwrap_or(clock_today),
        clock: crate::store::Clock::pinned(cli.global.now, cli.global.today),
        json: cli.global.json,
        messages: std::cell::Cell::new(Messages::get(lang)),
        global: cli.global.clone(),
        env_lang: env_lang.map(str::to_string),
    };
    let Some(command) = cli.command else {
        return report(&env, dashboard::run(&env, &cli.dashboard));
    };
    let result = match command {
        Command::List(a) if a.csv || a.attention => {
            return match listing::list(&env, &a) {
                Ok(exit) => exit.into(),
                Err(f) => report(&env, Err(f)),
            };
        }
        Command::List(a) => browse::list(&env, a.page),
        Command::Show { id } => browse::show(&env, &id),
        Command::History(a) => export::one_format(a.csv, env.json)
            .and_then(|()| history_filter::HistoryFilter::parse(&a))
            .and_then(|f| match a.csv {
                true => export::history(&env, &f),
                false => browse::history(&env, &f),
            }),
        Command::Correct(a) => correct::run(&env, &a),
        Command::Calendar { out } => calendar::run(&env, out.as_deref()),
        Command::Completions { shell } => docs::completions(shell),
        Command::Man => docs::man(),
        Command::Settings { defaults, file } => settings::run(
            &env,
            defaults,
            file.as_deref().or(cli.dashboard.settings.as_deref()),
        ),
        Command::CheckConfig { file } => browse::check_config(&env, &file),
        Command::Schema { kind } => schema::run(kind),
        Command::Calc(a) => calc::calc(&env, &a),
        Command::Preview(a) => ops::preview(&env, &a),
        Command::Redeem(a) => ops::redeem(&env, &a),
        Command::Activate(a) => ops::activate(&env, &a),
        Command::Credit { action } => ops::credit(&env, &action),
        Command::Serve(a) => serve::run(&env, &a),
        Command::Store { action } => store_copy::run(&env, &action),
        Command::GenerateCatalog { rows, seed } => {
            generate::run(rows, seed, env.today).map_err(|e| Failure::error("io", e.to_string()))
        }
        Command::GenerateLedger { entries } => generate_ledger(&env, entries),
        Command::Import {
            source: args::ImportSource::Graph(a),
        } => import::graph(&env, &a),
        Command::Usage => usage::run(&env),
        Command::Reconcile => {
            return match reconcile::run(&env) {
                Ok(exit) => exit.into(),
                Err(f) => report(&env, Err(f)),
            };
        }
    };
    report(&env, result)
}

fn generate_ledger(env: &Env, entries: usize) -> Result<(), Failure> {
    let (mut portfolio, store) = open_for_write(env)?;
    let mut plan = generate::LedgerPlan::new(&portfolio, entries, env.today);
    let written = store
        .commit_batch(&mut portfolio, |p| plan.next(p))
        .map_err(|e| commit_failure(e, env.t()))?;
    if env.json {
        println!(
            "{}",
            serde_json::json!({"requested": entries, "written": written})
        );
    } else {
        println!("wrote {written} ledger entries to {}", store.place());
        if written < entries {
            eprintln!(
                "note: {} fewer than requested: the catalog has no more keys or activations to use",
                entries - written
            );
        }
    }
    Ok(())
}

fn report(env: &Env, result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => Exit::Ok.into(),
        Err(f) => {
            // Written, not printed: a closed terminal or pipe must not turn a failure into
            // a panic (println! panics when the write fails).
            use std::io::Write;
            let _ = if env.json {
                let v = serde_json::json!({"error": {"code": f.code, "message": f.message}});
                writeln!(std::io::stdout(), "{}", output::neutral(&v.to_string()))
            } else {
                let message = output::neutral(&f.message);
                writeln!(std::io::stderr(), "error[{}]: {message}", f.code)
            };
            f.exit.into()
        }
    }
}

pub fn store_failure(e: crate::store::StoreError) -> Failure {
    Failure::error("store", e.to_string())
}

pub fn commit_failure(e: CommitError, t: &Messages) -> Failure {
    match e {
        CommitError::Refused(r) => Failure::refused(&r, t),
        CommitError::Store(s) => store_failure(s),
    }
}
