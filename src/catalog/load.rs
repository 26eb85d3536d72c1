//! A catalog as a start gets it: from its snapshot (or checkpoint) when the file is byte
//! for byte the one validated before, else from the YAML. The input is opened once by the
//! caller; a regular file is only hashed when a snapshot may match, and read when it is
//! parsed; a pipe's bytes were read once, when it was opened.

use super::read::{Input, utf8};
use super::{CatalogErrors, snapshot};
use crate::domain::Catalog;
use std::path::Path;

#[derive(Debug)]
pub struct Loaded {
    pub catalog: Catalog,
    /// The catalog's identity (none for the embedded demo): what its snapshot and
    /// checkpoints are made under.
    pub identity: Option<snapshot::Identity>,
    /// Parsed from YAML just now: the caller snapshots it once the data directory exists.
    pub parsed: bool,
    /// Taken from a checkpoint: the ledger is folded in up to `folded.through` already.
    pub folded: Option<snapshot::Folded>,
}

/// The catalog of `input`, from its snapshot in `dir` when one was made of these very
/// bytes by this very `build`. The embedded demo is small and never snapshotted. With
/// `checkpoint`, a checkpoint of the same bytes is taken before the snapshot: the caller
/// then folds only the ledger's entries after it (and checks that the ledger still holds
/// what it was folded from). `before_parse(name, bytes)` is called when the YAML is about
/// to be parsed (a large one takes seconds), so the caller can say so.
pub fn load_with_snapshot(
    input: &Input,
    dir: &Path,
    build: &str,
    checkpoint: bool,
    before_parse: impl FnOnce(&str, u64),
) -> Result<Loaded, CatalogErrors> {
    if input.is_demo() {
        return super::load_input(input).map(|catalog| Loaded {
            catalog,
            identity: None,
            parsed: false,
            folded: None,
        });
    }
    let snapshots = dir.join(snapshot::FILE).exists()
        || (checkpoint && dir.join(snapshot::STATE_FILE).exists());
    if snapshots && let Some(loaded) = from_snapshot(input, dir, build, checkpoint)? {
        return Ok(loaded);
    }
    let bytes = input.bytes()?;
    before_parse(&input.name, bytes.len() as u64);
    // The digest of a large file takes a while too: on the other core, beside the parse.
    let (identity, catalog) = std::thread::scope(|s| {
        let identity = s.spawn(|| {
            let identity = snapshot::Identity::of(&bytes, build);
            crate::startup_trace::mark("catalog file hashed");
            identity
        });
        let catalog =
            utf8(&bytes, &input.name).and_then(|text| super::load_text(text, &input.name));
        (identity.join(), catalog)
    });
    let catalog = catalog?;
    crate::startup_trace::mark("catalog parsed from YAML");
    Ok(Loaded {
        catalog,
        identity: Some(identity.map_err(|_| unexpected(&input.name))?),
        parsed: true,
        folded: None,
    })
}

fn unexpected(name: &str) -> CatalogErrors {
    super::diagnostics::one(
        name,
        super::Pos::START,
        "",
        "reading the file failed unexpectedly",
        "try again; if it persists, check the file and the disk",
    )
}

/// The catalog from its checkpoint or snapshot, when one holds for the input's bytes.
fn from_snapshot(
    input: &Input,
    dir: &Path,
    build: &str,
    checkpoint: bool,
) -> Result<Option<Loaded>, CatalogErrors> {
    let state = checkpoint.then(|| snapshot::read_state_any(dir)).flatten();
    let from_checkpoint = state.is_some();
    let mut sealed = state.or_else(|| snapshot::read_any(dir));
    let (payload, keys) = sealed.as_mut().and_then(snapshot::Sealed::split).unzip();
    // Hashing a large file and decoding its snapshot take about as long: do both at once,
    // and authenticate the snapshot (which needs the file's digest) beside the decoding.
    let (identity, keys, decoded) = std::thread::scope(|s| {
        let file = s.spawn(|| {
            let identity = input.identity(build);
            crate::startup_trace::mark("catalog file hashed");
            let keys = match (&identity, keys) {
                (Ok(id), Some(keys)) => keys.unseal(id),
                _ => None,
            };
            (identity, keys)
        });
        let decoded = payload.and_then(snapshot::Payload::decode);
        if decoded.is_some() {
            crate::startup_trace::mark("snapshot decoded");
        }
        let (identity, keys) = file.join().map_err(|_| unexpected(&input.name))?;
        Ok::<_, CatalogErrors>((identity?, keys, decoded))
    })?;
    let opened = match (keys, decoded) {
        (Some(keys), Some(decoded)) => decoded.with_keys(keys),
        _ => None,
    };
    drop(sealed);
    // A checkpoint of another catalog is no use, but the snapshot may still be.
    let opened = opened.or_else(|| {
        from_checkpoint
            .then(|| snapshot::read_any(dir)?.open_folded(&identity))
            .flatten()
    });
    Ok(opened.map(|(catalog, folded)| {
        crate::startup_trace::mark(if folded.is_some() {
            "checkpoint opened"
        } else {
            "snapshot opened"
        });
        Loaded {
            catalog,
            identity: Some(identity),
            parsed: false,
            folded,
        }
    }))
}
