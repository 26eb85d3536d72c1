//! `benefits` without a subcommand: load, fold, and hand over to the terminal UI.

use super::args::Dashboard;
use super::{Env, Failure, Session, open_session};
use crate::domain::Entry;
use crate::domain::Portfolio;
use crate::store::Store;
use crate::tui::{self, Options};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc::Receiver;

pub fn run(env: &Env, opts: &Dashboard) -> Result<(), Failure> {
    if !std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "not-a-terminal",
            "the dashboard needs a terminal; use a subcommand (see --help) for scripts",
        ));
    }
    let no_color = opts.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    // The demo's throwaway ledger lives as long as this process.
    let demo_dir;
    // Held until the dashboard closes: a snapshot being written must not hold up the
    // first frame.
    let mut _snapshot_written_behind = Vec::new();
    let mut older_history = None;
    let (portfolio, store, mut history) = if opts.demo {
        demo_dir = tempfile::tempdir().map_err(|e| Failure::error("data-dir", e.to_string()))?;
        let store = Store::open(demo_dir.path()).map_err(super::store_failure)?;
        let demo = crate::catalog::demo();
        env.use_catalog_language(demo.language.as_deref());
        (Portfolio::new(demo), store, Vec::new())
    } else {
        let Session {
            portfolio,
            store,
            ledger,
            history_through,
            data_dir,
            writes,
        } = open_session(env)?;
        _snapshot_written_behind = writes;
        if history_through > 0 {
            older_history = Some(read_older(data_dir, history_through));
        }
        (portfolio, store, ledger)
    };
    history.reverse();
    tui::run(Options {
        portfolio,
        store: Some(store),
        history,
        older_history,
        today: env.today,
        lang: env.lang(),
        no_color,
        ascii: opts.ascii,
    })
    .map_err(|e| Failure::error("terminal", e.to_string()))
}

/// The entries up to `through` (which a start from a checkpoint did not read), read on a
/// thread of their own with a connection of their own while the dashboard is already up.
/// A failed read leaves the History page with the newer entries only, as before it came.
fn read_older(data_dir: PathBuf, through: i64) -> Receiver<Vec<(i64, Entry)>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let older = Store::open_reader(&data_dir).and_then(|store| store.entries_through(through));
        if let Ok(older) = older {
            let _ = tx.send(older);
        }
    });
    rx
}
