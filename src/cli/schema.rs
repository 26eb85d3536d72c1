//! `benefits schema KIND`: a JSON Schema for an editor, on standard output.

use super::Failure;
use super::args::SchemaKind;

pub fn run(kind: SchemaKind) -> Result<(), Failure> {
    let schema = match kind {
        SchemaKind::Catalog => crate::catalog::schema::catalog(),
    };
    let text = serde_json::to_string_pretty(&schema).expect("a JSON value serializes");
    outln!("{text}");
    Ok(())
}
