//! `benefits store copy --to URL`: the SQLite ledger of the data directory into an empty
//! PostgreSQL ledger (see `store::copy_into`).

use super::args::StoreAction;
use super::{Env, Failure, store_failure};
use crate::store::{CopyError, Location, Store, copy_into};

pub fn run(env: &Env, action: &StoreAction) -> Result<(), Failure> {
    let StoreAction::Copy { to } = action;
    let from = super::session::location(env)?;
    let Location::Sqlite(dir) = &from else {
        return Err(Failure::usage(
            "invalid-store",
            "store copy reads the SQLite ledger of --data-dir; leave --store (and BENEFITS_STORE) out",
        ));
    };
    if !crate::store::exists(dir) {
        return Err(Failure::error(
            "store",
            format!(
                "{from}: there is no ledger to copy; pass --data-dir DIR of the ledger to copy"
            ),
        ));
    }
    let target = Location::resolve(Some(to), dir)
        .map_err(|e| Failure::usage("invalid-store", e.to_string()))?;
    if matches!(target, Location::Sqlite(_)) {
        return Err(Failure::usage(
            "invalid-store",
            "--to must be a postgres:// URL",
        ));
    }
    let source = Store::open(dir).map_err(store_failure)?;
    let target = Store::connect(&target).map_err(store_failure)?;
    let copied = copy_into(&source, &target).map_err(|e| match e {
        CopyError::Store(s) => store_failure(s),
        e @ CopyError::NotEmpty { .. } => Failure::usage("target-not-empty", e.to_string()),
        e @ CopyError::Kinds(_) => Failure::usage("invalid-store", e.to_string()),
        e @ CopyError::Differs { .. } => Failure::error("copy-differs", e.to_string()),
    })?;
    if env.json {
        outln!(
            "{}",
            serde_json::json!({
                "copied": copied.entries,
                "redeemed_keys": copied.keys,
                "verified": true,
                "to": target.place(),
            })
        );
    } else {
        outln!(
            "copied {} ledger entries ({} redeemed keys) to {}, verified entry by entry",
            copied.entries,
            copied.keys,
            target.place()
        );
    }
    Ok(())
}
