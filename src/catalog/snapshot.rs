//! A validated catalog kept in binary form in the data directory. Parsing and checking
//! YAML costs seconds at 100k benefits; a snapshot of the same bytes loads in a fraction
//! of that. A snapshot is used only for the exact bytes (and the exact program) it was
//! made from, so what it holds is what validation accepted; anything else (another
//! file, an edited file, a rebuilt program, a damaged snapshot) is a miss, never an error.
//!
//! Layout: magic (8) · fingerprint (32) · CRC-32 of the payload (4) · postcard payload.

use crate::domain::Catalog;
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::Path;

pub const FILE: &str = "catalog.snapshot";
const MAGIC: &[u8; 8] = b"BNFSNAP1";
const HEADER: usize = 8 + 32 + 4;

/// What a snapshot must have been made from: the catalog's bytes and the program's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// `build` names the program that validated the catalog (version and binary), so a
    /// program whose rules changed never trusts an older one's verdict.
    pub fn of(catalog_bytes: &[u8], build: &str) -> Self {
        let mut h = Sha256::new();
        h.update(MAGIC);
        h.update((build.len() as u64).to_le_bytes());
        h.update(build.as_bytes());
        h.update(catalog_bytes);
        Fingerprint(h.finalize().into())
    }
}

/// The catalog of the snapshot in `dir`, when there is one made from `fingerprint`.
pub fn read(dir: &Path, fingerprint: &Fingerprint) -> Option<Catalog> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    decode(&bytes, fingerprint)
}

fn decode(bytes: &[u8], fingerprint: &Fingerprint) -> Option<Catalog> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC || bytes[8..40] != fingerprint.0 {
        return None;
    }
    let crc = u32::from_le_bytes(bytes[40..44].try_into().ok()?);
    let payload = &bytes[HEADER..];
    if crc32fast::hash(payload) != crc {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

fn encode(catalog: &Catalog, fingerprint: &Fingerprint) -> io::Result<Vec<u8>> {
    let payload = postcard::to_allocvec(catalog).map_err(io::Error::other)?;
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&fingerprint.0);
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Replace the snapshot in `dir` (which must exist) atomically: a reader sees the old
/// snapshot or the new one, never half of one. The file is private (0600), as the
/// catalog holds product keys.
pub fn write(dir: &Path, fingerprint: &Fingerprint, catalog: &Catalog) -> io::Result<()> {
    let bytes = encode(catalog, fingerprint)?;
    // tempfile creates the file with mode 0600 on Unix.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(dir.join(FILE)).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Catalog {
        crate::catalog::demo()
    }

    #[test]
    fn snapshot_round_trips_the_catalog() {
        let dir = tempfile::tempdir().unwrap();
        let fp = Fingerprint::of(b"catalog bytes", "build 1");
        write(dir.path(), &fp, &demo()).unwrap();
        assert_eq!(read(dir.path(), &fp), Some(demo()));
    }

    #[test]
    fn snapshot_is_a_miss_for_other_bytes_or_another_build() {
        let dir = tempfile::tempdir().unwrap();
        let fp = Fingerprint::of(b"catalog bytes", "build 1");
        write(dir.path(), &fp, &demo()).unwrap();
        assert_eq!(
            read(dir.path(), &Fingerprint::of(b"catalog bytez", "build 1")),
            None
        );
        assert_eq!(
            read(dir.path(), &Fingerprint::of(b"catalog bytes", "build 2")),
            None
        );
    }

    #[test]
    fn snapshot_damaged_anywhere_is_a_miss() {
        let fp = Fingerprint::of(b"x", "b");
        let good = encode(&demo(), &fp).unwrap();
        for at in [0, 9, 41, HEADER, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            assert_eq!(decode(&bad, &fp), None, "flipped byte {at}");
        }
        assert_eq!(decode(&good[..good.len() - 1], &fp), None, "truncated");
        assert_eq!(decode(&[], &fp), None, "empty");
    }

    #[test]
    fn snapshot_in_a_missing_directory_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("nope");
        assert_eq!(read(&gone, &Fingerprint::of(b"x", "b")), None);
        assert!(write(&gone, &Fingerprint::of(b"x", "b"), &demo()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn snapshot_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &Fingerprint::of(b"x", "b"), &demo()).unwrap();
        let mode = std::fs::metadata(dir.path().join(FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
