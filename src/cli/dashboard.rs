//! `benefits` without a subcommand: load, fold, and hand over to the terminal UI.

use super::args::Dashboard;
use super::{Env, Failure, Session, open_session};
use crate::domain::Portfolio;
use crate::store::Store;
use crate::tui::{self, Options};
use std::io::IsTerminal;

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
    let mut older_through = None;
    let (portfolio, store, mut history) = if opts.demo {
        demo_dir = tempfile::tempdir().map_err(|e| Failure::error("data-dir", e.to_string()))?;
        let store = Store::open(demo_dir.path())
            .map_err(super::store_failure)?
            .with_clock(env.clock);
        let demo = crate::catalog::demo();
        env.use_catalog_language(demo.language.as_deref());
        (Portfolio::new(demo), store, Vec::new())
    } else {
        let Session {
            portfolio,
            store,
            ledger,
            history_through,
            writes,
            ..
        } = open_session(env)?;
        _snapshot_written_behind = writes;
        // The runtime worker reads them once the first frame is up.
        older_through = (history_through > 0).then_some(history_through);
        (portfolio, store, ledger)
    };
    history.reverse();
    let lang_flag = env
        .global
        .lang
        .as_deref()
        .and_then(crate::i18n::Lang::parse);
    let settings = crate::settings::locate(opts.settings.as_deref())
        .map(|path| crate::settings::Live::start(path, lang_flag, env.lang()));
    let lang = settings.as_ref().map_or(env.lang(), |s| s.lang());
    tui::run(Options {
        portfolio,
        store: Some(store),
        history,
        older_through,
        today: env.today,
        lang,
        no_color,
        ascii: opts.ascii,
        settings,
        clipboard: None,
    })
    .map_err(|e| Failure::error("terminal", e.to_string()))
}
