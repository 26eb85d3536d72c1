//! A validated catalog kept in binary form in the data directory. Parsing and checking
//! YAML costs seconds at 100k benefits; a snapshot of the same bytes loads in a fraction
//! of that. A snapshot is used only for the exact bytes (and the exact program) it was
//! made from, so what it holds is what validation accepted; anything else (another
//! file, an edited file, a rebuilt program, a damaged snapshot) is a miss, never an error.
//!
//! It holds no product key readable without the catalog: the keys are stored sealed with
//! ChaCha20 under a digest of the catalog's bytes that is not stored, so only the catalog
//! file (which holds the keys anyway) opens them.
//!
//! The same format keeps a *checkpoint* (`state.snapshot`): the catalog with the ledger
//! folded in through entry N, and the mismatches met on the way, so that a start with a
//! long ledger reads only the entries after N. A checkpoint names N and a marker of the
//! ledger up to N in its header, which a start reads first and checks against the ledger.
//!
//! Layout: magic (8) · fingerprint (32) · folded through (8) · ledger marker (32) · CRC-32
//! of those two and the payload (4) · postcard payload of the catalog with every key a placeholder, the
//! sealed keys in catalog order, and the mismatches (none in a catalog snapshot).

use crate::domain::{Catalog, LedgerMismatch, ProductKey};
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::Path;

pub const FILE: &str = "catalog.snapshot";
pub const STATE_FILE: &str = "state.snapshot";
const MAGIC: &[u8; 8] = b"BNFSNAP5";
const HEADER: usize = 8 + 32 + 8 + 32 + 4;
const PLACEHOLDER: &str = "00000-00000-00000-00000-00000";

/// What a snapshot must have been made from: the catalog's bytes and the program's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint([u8; 32]);

/// A catalog file's fingerprint (stored in its snapshot) and seal (never stored: it opens
/// the snapshot's keys).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub fingerprint: Fingerprint,
    seal: [u8; 32],
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The seal opens keys: never printed.
        f.debug_struct("Identity")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// `build` names the program that validated the catalog (version and binary), so a
    /// program whose rules changed never trusts an older one's verdict.
    pub fn of(catalog_bytes: &[u8], build: &str) -> Self {
        Self::of_digest(Sha256::digest(catalog_bytes).into(), build)
    }

    /// `of` the bytes `reader` yields, read through one small buffer: a start that finds
    /// its snapshot never needs the catalog's bytes, only their digest, so it need not
    /// hold (and fault in) a copy of a large file.
    pub fn of_reader(mut reader: impl io::Read, build: &str) -> io::Result<Self> {
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => h.update(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Self::of_digest(h.finalize().into(), build))
    }

    fn of_digest(digest: [u8; 32], build: &str) -> Self {
        let mut h = Sha256::new();
        h.update(MAGIC);
        h.update((build.len() as u64).to_le_bytes());
        h.update(build.as_bytes());
        h.update(digest);
        let fingerprint = Fingerprint(h.finalize().into());
        let mut h = Sha256::new();
        h.update(b"benefits snapshot seal");
        h.update(digest);
        Identity {
            fingerprint,
            seal: h.finalize().into(),
        }
    }

    /// XOR the keys (in catalog order) with ChaCha20 keyed by the seal: sealing and
    /// opening are the same operation. A seal belongs to one catalog content, whose key
    /// list is always the same, so the fixed nonce never covers two different key lists.
    fn xor_keystream(&self, keys: &mut [[u8; 25]]) {
        use chacha20::cipher::{KeyIvInit, StreamCipher};
        let mut cipher = chacha20::ChaCha20::new(&self.seal.into(), &[0u8; 12].into());
        cipher.apply_keystream(keys.as_flattened_mut());
    }
}

/// What a checkpoint adds to a catalog: the ledger folded in through entry `through`,
/// whose `marker` (see `Store::marker`) the ledger must still show for it to hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Folded {
    pub through: i64,
    pub marker: [u8; 32],
    pub mismatches: Vec<LedgerMismatch>,
}

/// A mismatch as stored: its operation's name is owned here and mapped back on reading.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredMismatch {
    seq: i64,
    op: String,
    benefit: String,
    problem: String,
}

/// A snapshot as read: its catalog's keys are still sealed.
#[derive(Debug)]
pub struct Sealed {
    pub fingerprint: Fingerprint,
    catalog: Catalog,
    keys: Vec<[u8; 25]>,
    folded: Option<Folded>,
}

impl Sealed {
    /// The catalog with its keys, when `identity` is the one the snapshot was made with.
    pub fn open(self, identity: &Identity) -> Option<Catalog> {
        self.open_folded(identity).map(|(catalog, _)| catalog)
    }

    /// `open`, with what a checkpoint folded into the catalog (`None`: nothing).
    pub fn open_folded(mut self, identity: &Identity) -> Option<(Catalog, Option<Folded>)> {
        if self.fingerprint != identity.fingerprint {
            return None;
        }
        identity.xor_keystream(&mut self.keys);
        let mut plain = self.keys.iter();
        for key in self.catalog.keys_mut() {
            *key = ProductKey::from_normalized(*plain.next()?)?;
        }
        plain
            .next()
            .is_none()
            .then_some((self.catalog, self.folded))
    }
}

/// The catalog of the snapshot in `dir`, when there is one made from `identity`.
pub fn read(dir: &Path, identity: &Identity) -> Option<Catalog> {
    read_any(dir)?.open(identity)
}

/// The snapshot in `dir`, whatever it was made from: a start decodes it while the catalog
/// file is still being hashed, and opens it only if the two agree.
pub fn read_any(dir: &Path) -> Option<Sealed> {
    // A checkpoint in its place (copied there, say) is not the catalog as written.
    decode(&std::fs::read(dir.join(FILE)).ok()?).filter(|s| s.folded.is_none())
}

/// The checkpoint in `dir`, whatever it was made from (see `read_any`).
pub fn read_state_any(dir: &Path) -> Option<Sealed> {
    decode(&std::fs::read(dir.join(STATE_FILE)).ok()?).filter(|s| s.folded.is_some())
}

/// The entry a checkpoint in `dir` was folded through and the ledger's marker then, from
/// its header alone: the ledger's reader checks them before it reads a single entry.
pub fn state_head(dir: &Path) -> Option<(i64, [u8; 32])> {
    use std::io::Read;
    let mut head = [0u8; HEADER];
    std::fs::File::open(dir.join(STATE_FILE))
        .and_then(|mut f| f.read_exact(&mut head))
        .ok()?;
    if &head[..8] != MAGIC {
        return None;
    }
    let through = i64::from_le_bytes(head[40..48].try_into().ok()?);
    (through > 0).then(|| (through, head[48..80].try_into().expect("32 bytes")))
}

fn decode(bytes: &[u8]) -> Option<Sealed> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return None;
    }
    let fingerprint = Fingerprint(bytes[8..40].try_into().ok()?);
    let through = i64::from_le_bytes(bytes[40..48].try_into().ok()?);
    let marker: [u8; 32] = bytes[48..80].try_into().ok()?;
    let crc = u32::from_le_bytes(bytes[80..84].try_into().ok()?);
    let payload = &bytes[HEADER..];
    if checksum(&bytes[40..80], payload) != crc {
        return None;
    }
    let (catalog, keys, mismatches): (Catalog, _, Vec<StoredMismatch>) =
        postcard::from_bytes(payload).ok()?;
    let folded = (through > 0).then(|| Folded {
        through,
        marker,
        mismatches: mismatches
            .into_iter()
            .map(|m| LedgerMismatch {
                seq: m.seq,
                op: crate::domain::Entry::op_named(&m.op),
                benefit: m.benefit,
                problem: m.problem,
            })
            .collect(),
    });
    Some(Sealed {
        fingerprint,
        catalog,
        keys,
        folded,
    })
}

/// The snapshot's bytes. The keys are taken out of `catalog` for the encoding and put back:
/// a copy of a large catalog would cost more than the encoding itself.
fn encode(
    catalog: &mut Catalog,
    identity: &Identity,
    folded: Option<&Folded>,
) -> io::Result<Vec<u8>> {
    let placeholder = ProductKey::parse(PLACEHOLDER).expect("a well-formed key");
    let keys: Vec<[u8; 25]> = catalog
        .keys_mut()
        .map(|key| *std::mem::replace(key, placeholder.clone()).as_bytes())
        .collect();
    let mut sealed = keys.clone();
    identity.xor_keystream(&mut sealed);
    let mismatches: Vec<StoredMismatch> = folded
        .map(|f| &f.mismatches[..])
        .unwrap_or_default()
        .iter()
        .map(|m| StoredMismatch {
            seq: m.seq,
            op: m.op.to_string(),
            benefit: m.benefit.clone(),
            problem: m.problem.clone(),
        })
        .collect();
    let payload = postcard::to_allocvec(&(&*catalog, &sealed, &mismatches));
    for (key, plain) in catalog.keys_mut().zip(keys) {
        *key = ProductKey::from_normalized(plain).expect("taken from a key");
    }
    let payload = payload.map_err(io::Error::other)?;
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&identity.fingerprint.0);
    out.extend_from_slice(&folded.map_or(0, |f| f.through).to_le_bytes());
    out.extend_from_slice(&folded.map_or([0; 32], |f| f.marker));
    out.extend_from_slice(&checksum(&out[40..80], &payload).to_le_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// CRC-32 of what a checkpoint's header says it folded and of the payload: damage to
/// either is a miss.
fn checksum(folded: &[u8], payload: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(folded);
    h.update(payload);
    h.finalize()
}

/// Replace the snapshot in `dir` (which must exist) atomically: a reader sees the old
/// snapshot or the new one, never half of one. The file is private (0600) all the same.
pub fn write(dir: &Path, identity: &Identity, catalog: &mut Catalog) -> io::Result<()> {
    write_bytes(&dir.join(FILE), &encode(catalog, identity, None)?)
}

fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    // tempfile creates the file with mode 0600 on Unix.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A snapshot being written by another thread; dropping it waits for the write, so a
/// process never exits with half a temporary file in its data directory.
#[must_use = "dropping it waits for the write at once"]
pub struct Pending(Option<std::thread::JoinHandle<()>>);

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(writer) = self.0.take() {
            let _ = writer.join();
        }
    }
}

/// `write`, with only the encoding on the caller's time: the file is written and synced
/// (about 200 ms for a 100k-benefit catalog) while the caller goes on. Only a speed-up:
/// a snapshot that cannot be written means the next start parses the YAML again.
pub fn write_behind(dir: &Path, identity: &Identity, catalog: &mut Catalog) -> Pending {
    write_file_behind(dir.join(FILE), encode(catalog, identity, None))
}

/// A checkpoint of `catalog` with the ledger folded in as `folded` says, written behind as
/// `write_behind` writes. Only a speed-up too: without it a start folds the whole ledger.
pub fn write_state_behind(
    dir: &Path,
    identity: &Identity,
    catalog: &mut Catalog,
    folded: &Folded,
) -> Pending {
    write_file_behind(
        dir.join(STATE_FILE),
        encode(catalog, identity, Some(folded)),
    )
}

fn write_file_behind(path: std::path::PathBuf, bytes: io::Result<Vec<u8>>) -> Pending {
    let Ok(bytes) = bytes else {
        return Pending(None);
    };
    let writer = std::thread::Builder::new()
        .name("snapshot".into())
        .spawn(move || {
            let _ = write_bytes(&path, &bytes);
        });
    Pending(writer.ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Catalog {
        crate::catalog::demo()
    }

    fn id(bytes: &[u8], build: &str) -> Identity {
        Identity::of(bytes, build)
    }

    #[test]
    fn snapshot_round_trips_the_catalog() {
        let dir = tempfile::tempdir().unwrap();
        let me = id(b"catalog bytes", "build 1");
        write(dir.path(), &me, &mut demo()).unwrap();
        assert_eq!(read(dir.path(), &me), Some(demo()));
    }

    #[test]
    fn snapshot_encoding_leaves_the_catalog_as_it_was() {
        let mut c = demo();
        encode(&mut c, &id(b"x", "b"), None).unwrap();
        assert_eq!(c, demo());
    }

    #[test]
    fn snapshot_written_behind_is_complete_once_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let me = id(b"catalog bytes", "build 1");
        let mut c = demo();
        drop(write_behind(dir.path(), &me, &mut c));
        assert_eq!(c, demo());
        assert_eq!(read(dir.path(), &me), Some(demo()));
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[test]
    fn checkpoint_round_trips_with_what_it_folded_and_never_passes_for_a_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let me = id(b"catalog bytes", "build 1");
        let mismatch = |seq, op: &'static str| LedgerMismatch {
            seq,
            op,
            benefit: "m365e3".into(),
            problem: "the key is not in the catalog".into(),
        };
        let folded = Folded {
            through: 7,
            marker: [3; 32],
            mismatches: vec![mismatch(2, "activation"), mismatch(5, "unreadable")],
        };
        drop(write_state_behind(dir.path(), &me, &mut demo(), &folded));
        assert_eq!(state_head(dir.path()), Some((7, [3; 32])));
        let opened = read_state_any(dir.path()).unwrap().open_folded(&me);
        assert_eq!(opened, Some((demo(), Some(folded))));
        // Copied over the catalog snapshot, it is not taken for the catalog as written.
        std::fs::copy(dir.path().join(STATE_FILE), dir.path().join(FILE)).unwrap();
        assert_eq!(read(dir.path(), &me), None);
        // Nor is a catalog snapshot a checkpoint.
        write(dir.path(), &me, &mut demo()).unwrap();
        std::fs::copy(dir.path().join(FILE), dir.path().join(STATE_FILE)).unwrap();
        assert!(read_state_any(dir.path()).is_none());
        assert_eq!(state_head(dir.path()), None);
    }

    #[test]
    fn snapshot_is_a_miss_for_other_bytes_or_another_build() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &id(b"catalog bytes", "build 1"), &mut demo()).unwrap();
        assert_eq!(read(dir.path(), &id(b"catalog bytez", "build 1")), None);
        assert_eq!(read(dir.path(), &id(b"catalog bytes", "build 2")), None);
    }

    #[test]
    fn snapshot_holds_no_key_readable_without_the_catalog() {
        let me = id(b"catalog bytes", "b");
        let bytes = encode(&mut demo(), &me, None).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let c = demo();
        let keys: Vec<&ProductKey> = c.keys().collect();
        assert!(!keys.is_empty());
        for k in &keys {
            let whole = String::from_utf8_lossy(k.as_bytes()).into_owned();
            assert!(!text.contains(&whole), "{} stored whole", k.masked());
            assert!(
                !text.contains(&k.formatted()),
                "{} stored whole",
                k.masked()
            );
        }
        // The header's fingerprint does not open it: the seal is not stored.
        let mut forged = me;
        forged.seal = [0; 32];
        assert_eq!(decode(&bytes).unwrap().open(&forged), None);
    }

    #[test]
    fn snapshot_damaged_anywhere_is_a_miss() {
        let me = id(b"x", "b");
        let good = encode(&mut demo(), &me, None).unwrap();
        assert_eq!(decode(&good).and_then(|s| s.open(&me)), Some(demo()));
        for at in [0, 9, 41, 60, 81, HEADER, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            assert_eq!(decode(&bad).and_then(|s| s.open(&me)), None, "byte {at}");
        }
        assert!(decode(&good[..good.len() - 1]).is_none(), "truncated");
        assert!(decode(&[]).is_none(), "empty");
    }

    #[test]
    fn snapshot_identity_streamed_is_the_identity_of_the_bytes() {
        // Longer than the read buffer, and read in uneven pieces.
        let bytes: Vec<u8> = (0..700_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = id(&bytes, "b");
        let reader = io::Read::chain(&bytes[..1000], &bytes[1000..]);
        assert_eq!(Identity::of_reader(reader, "b").unwrap(), whole);
        assert_ne!(Identity::of_reader(&bytes[1..], "b").unwrap(), whole);
        assert_ne!(Identity::of_reader(&bytes[..], "c").unwrap(), whole);
    }

    #[test]
    fn snapshot_in_a_missing_directory_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("nope");
        assert_eq!(read(&gone, &id(b"x", "b")), None);
        assert!(write(&gone, &id(b"x", "b"), &mut demo()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn snapshot_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &id(b"x", "b"), &mut demo()).unwrap();
        let mode = std::fs::metadata(dir.path().join(FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
