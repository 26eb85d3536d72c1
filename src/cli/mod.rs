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
mod dashboard;
pub mod generate;
mod ops;
mod output;
mod serve;

use crate::catalog;
use crate::domain::{Portfolio, Refusal};
use crate::i18n::{Lang, Messages};
use crate::store::{CommitError, LedgerRow, Store};
pub use args::{Cli, Command, Dashboard, Global};
use chrono::NaiveDate;
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
        today: cli.global.today.unwrap_or(clock_today),
        json: cli.global.json,
        messages: std::cell::Cell::new(Messages::get(lang)),
        global: cli.global.clone(),
        env_lang: env_lang.map(str::to_string),
    };
    let Some(command) = cli.command else {
        return report(&env, dashboard::run(&env, &cli.dashboard));
    };
    let result = match command {
        Command::List { page } => browse::list(&env, page),
        Command::Show { id } => browse::show(&env, &id),
        Command::History => browse::history(&env),
        Command::CheckConfig { file } => browse::check_config(&env, &file),
        Command::Calc(a) => calc::calc(&env, &a),
        Command::Preview(a) => ops::preview(&env, &a),
        Command::Redeem(a) => ops::redeem(&env, &a),
        Command::Activate(a) => ops::activate(&env, &a),
        Command::Credit { action } => ops::credit(&env, &action),
        Command::Serve(a) => serve::run(&env, &a),
        Command::GenerateCatalog { rows, seed } => {
            generate::run(rows, seed, env.today).map_err(|e| Failure::error("io", e.to_string()))
        }
        Command::GenerateLedger { entries } => generate_ledger(&env, entries),
    };
    report(&env, result)
}

fn generate_ledger(env: &Env, entries: usize) -> Result<(), Failure> {
    let Session {
        mut portfolio,
        store,
        ..
    } = open_session(env)?;
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
        println!(
            "wrote {written} ledger entries to {}",
            store.path().display()
        );
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
                writeln!(std::io::stdout(), "{v}")
            } else {
                writeln!(std::io::stderr(), "error[{}]: {}", f.code, f.message)
            };
            f.exit.into()
        }
    }
}

/// The catalog folded with the ledger, and the open ledger.
pub struct Session {
    pub portfolio: Portfolio,
    pub store: Store,
    /// The ledger's entries as the fold read them, oldest first.
    pub ledger: Vec<(i64, crate::domain::Entry)>,
    /// The snapshot of a catalog just parsed, still being written: keep it while the
    /// session starts up; dropping it waits for the write.
    pub snapshot: Option<catalog::snapshot::Pending>,
}

pub fn open_session(env: &Env) -> Result<Session, Failure> {
    let config_dir = directories::ProjectDirs::from("com", "benefits", "benefits")
        .map(|d| d.config_dir().to_path_buf());
    let source = catalog::locate(env.global.config.as_deref(), None, config_dir.as_deref());
    let data_dir = crate::store::resolve_data_dir(env.global.data_dir.as_deref(), None)
        .map_err(|e| Failure::error("data-dir", e.to_string()))?;
    let build = build_id();
    // An existing ledger is opened and read on the second core while the catalog loads, and
    // handed over in chunks, so a long ledger's first rows are folded while the rest are
    // read. A new ledger is created only once the catalog is known to be valid, so a bad
    // catalog leaves no data directory behind.
    let open_and_read = |chunks: std::sync::mpsc::SyncSender<Vec<LedgerRow>>| {
        let store = Store::open(&data_dir)?;
        crate::startup_trace::mark("ledger opened and checked");
        store.read_since_in_chunks(0, LEDGER_CHUNK, |rows| {
            // The receiver leaves only when the catalog failed, and then nothing is folded.
            let _ = chunks.send(rows);
        })?;
        crate::startup_trace::mark("ledger read");
        Ok::<_, crate::store::StoreError>(store)
    };
    // The snapshot is of the catalog as written: encoded before any entry is folded in,
    // and only into a data directory that exists.
    let snapshot_of = |portfolio: &mut Portfolio, parsed: Option<catalog::snapshot::Identity>| {
        parsed.map(|identity| {
            let pending =
                catalog::snapshot::write_behind(&data_dir, &identity, &mut portfolio.catalog);
            crate::startup_trace::mark("snapshot encoded");
            pending
        })
    };
    let (chunks_tx, chunks) = std::sync::mpsc::sync_channel(4);
    let (loaded, read) = std::thread::scope(|s| {
        let ledger =
            crate::store::exists(&data_dir).then(move || s.spawn(move || open_and_read(chunks_tx)));
        let mut loaded =
            catalog::load_with_snapshot(&source, &data_dir, &build, announce_parse(env)).map(
                |loaded| {
                    let portfolio = Portfolio::new(loaded.catalog);
                    crate::startup_trace::mark("indexes built");
                    (portfolio, loaded.parsed, None, Vec::new())
                },
            );
        if let (Ok((portfolio, parsed, snapshot, history)), Some(_)) = (&mut loaded, &ledger) {
            *snapshot = snapshot_of(portfolio, parsed.take());
            *history = fold_chunks(portfolio, &chunks);
        }
        // A bad catalog folds nothing: the reader's sends fail and it finishes on its own.
        drop(chunks);
        (loaded, ledger.map(|l| l.join()))
    });
    let (mut portfolio, parsed, mut snapshot, mut ledger) =
        loaded.map_err(|e| Failure::usage("invalid-config", e.to_string()))?;
    env.use_catalog_language(portfolio.catalog.language.as_deref());
    let store = match read {
        Some(joined) => joined
            .map_err(|_| Failure::error("store", "reading the ledger failed unexpectedly"))?
            .map_err(store_failure)?,
        None => {
            let store = Store::open(&data_dir).map_err(store_failure)?;
            snapshot = snapshot_of(&mut portfolio, parsed);
            // Created just now: empty, unless another process created it in between.
            let rows = store.read_since(0).map_err(store_failure)?;
            ledger = crate::store::fold_rows(&mut portfolio, rows);
            store
        }
    };
    crate::startup_trace::mark("ledger folded");
    for m in &portfolio.mismatches {
        eprintln!(
            "warning[ledger-mismatch]: ledger entry {} ({} on {}): {}",
            m.seq, m.op, m.benefit, m.problem
        );
    }
    Ok(Session {
        portfolio,
        store,
        ledger,
        snapshot,
    })
}

/// Rows of the ledger handed from its reader to the fold at a time.
const LEDGER_CHUNK: usize = 4096;

/// Fold what the ledger's reader hands over until it is done; the entries, oldest first.
fn fold_chunks(
    portfolio: &mut Portfolio,
    chunks: &std::sync::mpsc::Receiver<Vec<LedgerRow>>,
) -> Vec<(i64, crate::domain::Entry)> {
    let mut history = Vec::new();
    for rows in chunks.iter() {
        history.extend(crate::store::fold_rows(portfolio, rows));
    }
    history
}

/// Parsing takes about a second per 10 MB of YAML: a person waiting at a terminal is told
/// why the first start after a catalog change takes longer.
fn announce_parse(env: &Env) -> impl FnOnce(&std::path::Path, u64) + '_ {
    const FROM_BYTES: u64 = 4 << 20;
    move |path, bytes| {
        use std::io::IsTerminal;
        if bytes >= FROM_BYTES && std::io::stderr().is_terminal() {
            let size = format!("{:.0}", bytes as f64 / (1 << 20) as f64);
            let file = crate::ui::text::clean(&path.display().to_string());
            eprintln!(
                "{}",
                env.t()
                    .fmt("start.reading-catalog", &[("file", &file), ("size", &size)])
            );
        }
    }
}

/// This program, as far as catalog validation goes: its version and its binary (a rebuilt
/// binary may check catalogs differently, so it does not trust an older one's snapshots).
fn build_id() -> String {
    let binary = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .unwrap_or_default();
            format!("{} bytes, modified {}", m.len(), modified.as_nanos())
        })
        .unwrap_or_default();
    format!("{} {binary}", env!("CARGO_PKG_VERSION"))
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
