//! Entry points for fuzzing: each takes arbitrary bytes, runs one parser the way the program
//! does, and checks what must hold for any input. The cargo-fuzz targets in `fuzz/` call them,
//! and so do the proptests in `tests/torture_input.rs`, so `cargo test` runs the same code.
//! An `Err` names the broken invariant; a panic inside is a bug as well.

use crate::catalog;
use crate::domain::ProductKey;
use sha2::{Digest, Sha256};

/// The key normaliser: a key that parses formats, masks and fingerprints consistently and
/// parses back to itself from any of its spellings; a key that does not parse is refused
/// with a message.
pub fn key_input(data: &[u8]) -> Result<(), String> {
    let input = String::from_utf8_lossy(data);
    match ProductKey::parse(&input) {
        Ok(key) => {
            let f = key.formatted();
            let groups: Vec<&str> = f.split('-').collect();
            if groups.len() != 5
                || groups
                    .iter()
                    .any(|g| g.len() != 5 || !g.chars().all(|c| c.is_ascii_alphanumeric()))
                || f.chars().any(|c| c.is_ascii_lowercase())
            {
                return Err(format!("formatted key of the wrong shape: {:?}", key));
            }
            for spelling in [
                f.clone(),
                f.replace('-', ""),
                f.to_lowercase(),
                f.replace('-', " "),
            ] {
                if ProductKey::parse(&spelling).as_ref() != Ok(&key) {
                    return Err(format!("{:?} does not parse back from its spellings", key));
                }
            }
            let masked = key.masked();
            if masked != format!("*****-*****-*****-*****-{}", groups[4]) {
                return Err(format!("mask {masked:?} shows more than the last group"));
            }
            // Worked out here from the key's 25 characters, so a fingerprint that merely
            // looks like a digest (the key's own bytes in hex, say) is caught.
            let want: String = Sha256::digest(f.replace('-', ""))
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if key.fingerprint() != want {
                return Err("the fingerprint is not the SHA-256 hex digest of the key".into());
            }
            if format!("{key:?}").contains(&f) {
                return Err("Debug prints the whole key".into());
            }
            Ok(())
        }
        Err(e) => {
            if e.to_string().is_empty() {
                return Err("a refusal without a message".into());
            }
            Ok(())
        }
    }
}

/// The catalog loader: any bytes are either a catalog or a list of problems, each with the
/// file name, a line and column inside the input (1-based), a message and a fix.
pub fn catalog_input(data: &[u8]) -> Result<(), String> {
    const NAME: &str = "fuzz.yaml";
    let Err(errors) = catalog::load_bytes(data.to_vec(), NAME) else {
        return Ok(());
    };
    if errors.is_empty() {
        return Err("refused without a problem".into());
    }
    let lines = data.iter().filter(|b| **b == b'\n').count() + 2;
    for e in errors.iter() {
        if e.file != NAME || e.line == 0 || e.column == 0 || e.line > lines {
            return Err(format!(
                "position {}:{}:{} outside the input ({} lines)",
                e.file, e.line, e.column, lines
            ));
        }
        if e.message.trim().is_empty() || e.fix.trim().is_empty() {
            return Err(format!(
                "a problem without a message or fix at {}:{}",
                e.line, e.column
            ));
        }
    }
    let text = errors.to_string();
    let first = &errors.0[0];
    if !text.contains(&format!("{NAME}:{}:{}", first.line, first.column)) {
        return Err("the report does not name file:line:column".into());
    }
    Ok(())
}
