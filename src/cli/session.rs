//! Opening a session: the catalog (from its snapshot or checkpoint when they still hold),
//! the ledger read and folded in on the second core, and the snapshot and checkpoint for
//! the next start written behind. Every subcommand and the dashboard start here.

use super::{Env, Failure, store_failure};
use crate::catalog;
use crate::domain::Portfolio;
use crate::store::{LedgerRow, Location, Store};

/// The catalog folded with the ledger, and the open ledger.
pub struct Session {
    pub portfolio: Portfolio,
    pub store: Store,
    /// The ledger's entries as the fold read them, oldest first: all of them, or those
    /// after `history_through` when the start came from a checkpoint.
    pub ledger: Vec<crate::store::Logged>,
    /// 0, or the last entry a checkpoint had folded in: the entries up to it are not in
    /// `ledger` (`Store::entries_through` reads them).
    pub history_through: i64,
    /// The data directory: this machine's files (the ledger too, unless it is on a server).
    pub data_dir: std::path::PathBuf,
    /// Where the ledger is, for whatever opens it again (a `serve` session).
    pub location: Location,
    /// A snapshot or checkpoint still being written: keep these while the session starts
    /// up; dropping one waits for its write.
    pub writes: Vec<catalog::snapshot::Pending>,
}

/// The catalog folded with the ledger, and the ledger to write to: what a write command needs.
pub fn open_for_write(env: &Env) -> Result<(Portfolio, Store), Failure> {
    let s = open_session(env)?;
    Ok((s.portfolio, s.store))
}

pub fn open_session(env: &Env) -> Result<Session, Failure> {
    let config_dir = crate::files::default_config_dir();
    let source = catalog::locate(env.global.config.as_deref(), None, config_dir.as_deref());
    // Opened once: a pipe (`--config <(...)`, /dev/stdin) can be read only once, and a
    // start may load the catalog twice (a checkpoint the ledger no longer agrees with).
    let input = catalog::Input::open(&source)
        .map_err(|e| Failure::usage("invalid-config", e.to_string()))?;
    let location = location(env)?;
    let data_dir = location.data_dir().to_path_buf();
    let build = build_id();
    // An existing ledger is opened and read on the second core while the catalog loads, and
    // handed over in chunks, so a long ledger's first rows are folded while the rest are
    // read; with a checkpoint that the ledger still agrees with, only the entries after it
    // are read. A new ledger is created only once the catalog is known to be valid, so a
    // bad catalog leaves no data directory behind.
    let clock = env.clock;
    let open_and_read = |handed: std::sync::mpsc::SyncSender<Handed>| {
        let store = Store::connect(&location)?.with_clock(clock);
        crate::startup_trace::mark("ledger opened and checked");
        // Only a speed-up: a checkpoint that cannot be checked is not used.
        let from = match catalog::snapshot::state_head(&data_dir) {
            Some((through, marker)) if matches!(store.marker(through), Ok(Some(m)) if m == marker) => {
                through
            }
            _ => 0,
        };
        // The receiver leaves only when it will fold nothing of this read.
        let _ = handed.send(Handed::From(from));
        store.read_since_in_chunks(from, LEDGER_CHUNK, |rows| {
            let _ = handed.send(Handed::Rows(rows));
        })?;
        crate::startup_trace::mark("ledger read");
        Ok::<_, crate::store::StoreError>(store)
    };
    // The snapshot is of the catalog as written: encoded before any entry is folded in,
    // and only into a data directory that exists.
    let snapshot_of = |start: &mut Start| {
        if let (true, Some(identity)) = (start.parsed, &start.identity) {
            let catalog = &mut start.portfolio.catalog;
            start.writes.push(catalog::snapshot::write_behind(
                &data_dir, identity, catalog,
            ));
            crate::startup_trace::mark("snapshot encoded");
        }
    };
    let load = |checkpoint: bool| {
        catalog::load_with_snapshot(&input, &data_dir, &build, checkpoint, announce_parse(env))
            .map(Start::new)
            .map_err(|e| Failure::usage("invalid-config", e.to_string()))
    };
    let (handed_tx, handed) = std::sync::mpsc::sync_channel(4);
    let (loaded, read) = std::thread::scope(|s| {
        let ledger = location
            .exists()
            .then(move || s.spawn(move || open_and_read(handed_tx)));
        let mut loaded = load(ledger.is_some());
        if let (Ok(start), Some(_)) = (&mut loaded, &ledger) {
            snapshot_of(start);
            start.agreed = matches!(handed.recv(), Ok(Handed::From(from)) if from == start.through);
            if start.agreed {
                start.history = fold_handed(&mut start.portfolio, &handed);
            }
        }
        // When nothing more is folded here, the reader's sends fail and it finishes alone.
        drop(handed);
        (loaded, ledger.map(|l| l.join()))
    });
    let mut start = loaded?;
    let store = match read {
        Some(joined) => joined
            .map_err(|_| Failure::error("store", "reading the ledger failed unexpectedly"))?
            .map_err(store_failure)?,
        None => {
            let store = Store::connect(&location)
                .map_err(store_failure)?
                .with_clock(clock);
            snapshot_of(&mut start);
            start.agreed = false;
            store
        }
    };
    if !start.agreed {
        // A new ledger, or a checkpoint the ledger (or the catalog) no longer agrees with:
        // the whole ledger onto the catalog as written.
        if start.through > 0 {
            let writes = std::mem::take(&mut start.writes);
            start = load(false)?;
            start.writes = writes;
            snapshot_of(&mut start);
        }
        let rows = store.read_since(0).map_err(store_failure)?;
        start.history = crate::store::fold_rows(&mut start.portfolio, rows);
    }
    crate::startup_trace::mark("ledger folded");
    let Start {
        mut portfolio,
        identity,
        through,
        mut writes,
        history: ledger,
        ..
    } = start;
    env.use_catalog_language(portfolio.catalog.language.as_deref());
    // A start that folded many entries leaves a checkpoint for the next one.
    if let Some(identity) = identity.filter(|_| portfolio.last_seq - through >= CHECKPOINT_EVERY)
        && let Ok(Some(marker)) = store.marker(portfolio.last_seq)
    {
        let folded = catalog::snapshot::Folded {
            through: portfolio.last_seq,
            marker,
            mismatches: portfolio.mismatches.clone(),
            corrections: portfolio.corrections.clone(),
        };
        let catalog = &mut portfolio.catalog;
        writes.push(catalog::snapshot::write_state_behind(
            &data_dir, &identity, catalog, &folded,
        ));
        crate::startup_trace::mark("checkpoint encoded");
    }
    for m in &portfolio.mismatches {
        let warning = format!(
            "warning[ledger-mismatch]: ledger entry {} ({} on {}): {}",
            m.seq, m.op, m.benefit, m.problem
        );
        eprintln!("{}", super::output::neutral(&warning));
    }
    Ok(Session {
        portfolio,
        store,
        ledger,
        history_through: through,
        data_dir,
        location,
        writes,
    })
}

/// Where the ledger is: `--store` (or `BENEFITS_STORE`), else SQLite in the data directory.
pub fn location(env: &Env) -> Result<Location, Failure> {
    let data_dir = crate::store::resolve_data_dir(env.global.data_dir.as_deref(), None)
        .map_err(|e| Failure::error("data-dir", e.to_string()))?;
    Location::resolve(env.global.store.as_deref(), &data_dir)
        .map_err(|e| Failure::usage("invalid-store", e.to_string()))
}

/// Rows of the ledger handed from its reader to the fold at a time.
const LEDGER_CHUNK: usize = 4096;

/// A start that folded this many entries beyond its checkpoint (or without one) leaves a
/// new checkpoint: encoding one costs about as much as folding 10k entries.
const CHECKPOINT_EVERY: i64 = 2048;

/// What the ledger's reader hands the fold: where it starts reading (after which entry),
/// then the rows.
enum Handed {
    From(i64),
    Rows(Vec<LedgerRow>),
}

/// A start in progress: the portfolio and what it was made from.
struct Start {
    portfolio: Portfolio,
    identity: Option<catalog::snapshot::Identity>,
    parsed: bool,
    /// The entry the catalog had folded in already (a checkpoint's), or 0.
    through: i64,
    /// The ledger's reader read from `through`, so its rows are folded.
    agreed: bool,
    history: Vec<crate::store::Logged>,
    writes: Vec<catalog::snapshot::Pending>,
}

impl Start {
    fn new(loaded: catalog::Loaded) -> Start {
        let mut portfolio = Portfolio::new(loaded.catalog);
        let through = loaded.folded.map_or(0, |f| {
            portfolio.last_seq = f.through;
            portfolio.mismatches = f.mismatches;
            portfolio.corrections = f.corrections;
            f.through
        });
        crate::startup_trace::mark("indexes built");
        Start {
            portfolio,
            identity: loaded.identity,
            parsed: loaded.parsed,
            through,
            agreed: false,
            history: Vec::new(),
            writes: Vec::new(),
        }
    }
}

/// Fold what the ledger's reader hands over until it is done; the entries, oldest first.
fn fold_handed(
    portfolio: &mut Portfolio,
    handed: &std::sync::mpsc::Receiver<Handed>,
) -> Vec<crate::store::Logged> {
    let mut history = Vec::new();
    for rows in handed.iter() {
        if let Handed::Rows(rows) = rows {
            history.extend(crate::store::fold_rows(portfolio, rows));
        }
    }
    history
}

/// Parsing takes about a second per 10 MB of YAML: a person waiting at a terminal is told
/// why the first start after a catalog change takes longer.
fn announce_parse(env: &Env) -> impl FnOnce(&str, u64) + '_ {
    const FROM_BYTES: u64 = 4 << 20;
    move |name, bytes| {
        use std::io::IsTerminal;
        if bytes >= FROM_BYTES && std::io::stderr().is_terminal() {
            let size = format!("{:.0}", bytes as f64 / (1 << 20) as f64);
            let file = crate::ui::text::clean(name);
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
