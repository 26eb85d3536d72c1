//! The catalog file: where it is found (`locate`), how it is read (`read`: once, bounded),
//! what YAML makes of it (`document`: nodes with their positions), what the schema makes
//! of that (`validate`: every problem at once, each with file:line:column, the field, what
//! is wrong and how to fix it; `diagnostics`), and the binary snapshot that spares a start
//! the YAML when the file has not changed (`snapshot`, `load`).

mod diagnostics;
mod document;
mod load;
mod locate;
mod read;
pub mod schema;
pub mod snapshot;
mod validate;

use crate::domain::Catalog;
use std::path::Path;

pub use diagnostics::{CatalogError, CatalogErrors, Pos};
pub use document::MAX_DEPTH;
pub use load::{Loaded, load_with_snapshot};
pub use locate::{CatalogSource, locate};
pub use read::{Input, MAX_BYTES};
pub use validate::{CLOUD_WALKTHROUGHS, MAPPINGS, MAX_COUNT, SOFTWARE_WALKTHROUGHS};

/// The demo catalog, compiled in: `cargo run --release` needs no config.
pub const DEMO_YAML: &str = include_str!("../../config.example.yaml");
/// How the embedded demo is named in messages.
pub const DEMO_NAME: &str = "config.example.yaml (embedded demo)";

pub fn load(source: &CatalogSource) -> Result<Catalog, CatalogErrors> {
    load_input(&Input::open(source)?)
}

/// The embedded demo; a test keeps it valid.
pub fn demo() -> Catalog {
    load_str(DEMO_YAML, DEMO_NAME).expect("the embedded demo catalog is valid")
}

/// Read and validate a catalog file (a pipe or device too: it is read once, bounded).
pub fn load_file(path: &Path) -> Result<Catalog, CatalogErrors> {
    load_input(&Input::open_file(path)?)
}

pub fn load_input(input: &Input) -> Result<Catalog, CatalogErrors> {
    let bytes = input.bytes()?;
    load_text(read::utf8(&bytes, &input.name)?, &input.name)
}

/// Validate a catalog given as the bytes of file `name`: its size, UTF-8, then the YAML.
pub fn load_bytes(bytes: Vec<u8>, name: &str) -> Result<Catalog, CatalogErrors> {
    load_input(&Input::from_bytes(bytes, name))
}

/// Parse and validate a catalog; `file` names it in errors.
pub fn load_str(text: &str, file: &str) -> Result<Catalog, CatalogErrors> {
    if text.len() > MAX_BYTES {
        return Err(read::too_big(file, Some(text.len() as u64)));
    }
    load_text(text, file)
}

fn load_text(text: &str, file: &str) -> Result<Catalog, CatalogErrors> {
    validate::catalog(text, file)
}

#[cfg(test)]
mod tests;
