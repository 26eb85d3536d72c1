//! A validated catalog kept in binary form in the data directory. Parsing and checking
//! YAML costs seconds at 100k benefits; a snapshot of the same bytes loads in a fraction
//! of that. A snapshot is used only for the exact bytes (and the exact program) it was
//! made from, so what it holds is what validation accepted; anything else (another
//! file, an edited file, a rebuilt program, a damaged snapshot) is a miss, never an error.
//!
//! It holds no product key readable without the catalog, and nobody without the catalog
//! can forge or alter one: the keys are sealed with ChaCha20-Poly1305 (an AEAD) under a
//! digest of the catalog's bytes that is not stored, and the same seal authenticates the
//! header and the rest of the payload. Only the catalog file (which holds the keys anyway)
//! opens a snapshot; damage anywhere, or a change by anyone without it, is a miss.
//!
//! The same format keeps a *checkpoint* (`state.snapshot`): the catalog with the ledger
//! folded in through entry N, and the mismatches met on the way, so that a start with a
//! long ledger reads only the entries after N. A checkpoint names N and a marker of the
//! ledger up to N in its header, which a start reads first and checks against the ledger.
//!
//! Layout: magic (8) · fingerprint (32) · folded through (8) · ledger marker (32) · payload
//! length (8) · postcard payload of the catalog with every key a placeholder and the
//! mismatches (none in a catalog snapshot) · the keys in catalog order, 25 bytes each,
//! encrypted · tag (16). The tag covers the encrypted keys and, as associated data,
//! everything before them (one contiguous slice: nothing is copied to check it).

use crate::domain::correction::Corrections;
use crate::domain::{Catalog, LedgerMismatch, ProductKey};
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::Path;

pub const FILE: &str = "catalog.snapshot";
pub const STATE_FILE: &str = "state.snapshot";
const MAGIC: &[u8; 8] = b"BNFSNAP6";
/// Magic, fingerprint, folded through, ledger marker, payload length.
const HEADER: usize = 8 + 32 + 8 + 32 + 8;
const TAG: usize = 16;
const KEY: usize = crate::domain::key::KEY_LEN;
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

    /// ChaCha20-Poly1305 keyed by the seal. A seal belongs to one catalog content, whose
    /// key list is always the same, so the fixed nonce never covers two different key lists.
    fn cipher(&self) -> chacha20poly1305::ChaCha20Poly1305 {
        use chacha20poly1305::aead::KeyInit;
        chacha20poly1305::ChaCha20Poly1305::new(&self.seal.into())
    }
}

const NONCE: [u8; 12] = [0; 12];

/// What a checkpoint adds to a catalog: the ledger folded in through entry `through`,
/// whose `marker` (see `Store::marker`) the ledger must still show for it to hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Folded {
    pub through: i64,
    pub marker: [u8; 32],
    pub mismatches: Vec<LedgerMismatch>,
    /// What the corrections folded in leave for the next plan.
    pub corrections: Corrections,
}

/// A mismatch as stored: its operation's name is owned here and mapped back on reading.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredMismatch {
    seq: i64,
    op: String,
    benefit: String,
    problem: String,
}

/// A snapshot file as read: nothing in it is trusted before `open` authenticates it.
#[derive(Debug)]
pub struct Sealed {
    pub fingerprint: Fingerprint,
    bytes: Vec<u8>,
}

impl Sealed {
    /// The catalog with its keys, when `identity` is the one the snapshot was made with.
    pub fn open(self, identity: &Identity) -> Option<Catalog> {
        self.open_folded(identity).map(|(catalog, _)| catalog)
    }

    /// `open`, with what a checkpoint folded into the catalog (`None`: nothing).
    pub fn open_folded(mut self, identity: &Identity) -> Option<(Catalog, Option<Folded>)> {
        let (payload, keys) = self.split()?;
        let keys = keys.unseal(identity)?;
        payload.decode()?.with_keys(keys)
    }

    /// The payload, to decode, and the sealed keys, to authenticate: apart, so that both
    /// can run at once, the keys decrypted where they stand (no copy of either).
    pub fn split(&mut self) -> Option<(Payload<'_>, SealedKeys<'_>)> {
        let len = u64::from_le_bytes(self.bytes[80..HEADER].try_into().ok()?);
        let payload_end = HEADER.checked_add(usize::try_from(len).ok()?)?;
        let keys_end = self.bytes.len().checked_sub(TAG)?;
        if keys_end.checked_sub(payload_end)? % KEY != 0 {
            return None;
        }
        let (authenticated, rest) = self.bytes.split_at_mut(payload_end);
        let (keys, tag) = rest.split_at_mut(keys_end - payload_end);
        let authenticated = &*authenticated;
        Some((
            Payload(authenticated),
            SealedKeys {
                fingerprint: self.fingerprint,
                authenticated,
                keys,
                tag,
            },
        ))
    }

    fn is_checkpoint(&self) -> bool {
        self.bytes[40..48] != [0; 8]
    }
}

/// The header and payload of a snapshot (everything before the keys).
#[derive(Clone, Copy)]
pub struct Payload<'s>(&'s [u8]);

impl Payload<'_> {
    /// The catalog with placeholder keys, and what a checkpoint folded: read before the
    /// snapshot is authenticated (postcard reads any bytes safely), used only after.
    pub fn decode(self) -> Option<Decoded> {
        let b = self.0;
        let through = i64::from_le_bytes(b[40..48].try_into().ok()?);
        let marker: [u8; 32] = b[48..80].try_into().ok()?;
        let (catalog, mismatches, corrections): (Catalog, Vec<StoredMismatch>, Corrections) =
            postcard::from_bytes(&b[HEADER..]).ok()?;
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
            corrections,
        });
        Some(Decoded { catalog, folded })
    }
}

/// A snapshot's keys, still sealed, with what their tag authenticates.
pub struct SealedKeys<'s> {
    fingerprint: Fingerprint,
    authenticated: &'s [u8],
    keys: &'s mut [u8],
    tag: &'s [u8],
}

impl<'s> SealedKeys<'s> {
    /// The keys, decrypted in place, when the whole snapshot is authentic for `identity`:
    /// the one check a start needs before it uses anything of it.
    pub fn unseal(self, identity: &Identity) -> Option<&'s [u8]> {
        use chacha20poly1305::aead::AeadInOut;
        if self.fingerprint != identity.fingerprint {
            return None;
        }
        let tag = chacha20poly1305::Tag::try_from(self.tag).ok()?;
        (identity.cipher())
            .decrypt_inout_detached(
                &NONCE.into(),
                self.authenticated,
                (&mut *self.keys).into(),
                &tag,
            )
            .ok()?;
        Some(self.keys)
    }
}

/// A snapshot's catalog before its keys are put back.
#[derive(Debug)]
pub struct Decoded {
    catalog: Catalog,
    folded: Option<Folded>,
}

impl Decoded {
    /// The catalog with `keys` (from `SealedKeys::unseal`) in their places.
    pub fn with_keys(mut self, keys: &[u8]) -> Option<(Catalog, Option<Folded>)> {
        let mut plain = keys.chunks_exact(KEY);
        for key in self.catalog.keys_mut() {
            *key = ProductKey::from_normalized(plain.next()?.try_into().ok()?)?;
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
    sealed(std::fs::read(dir.join(FILE)).ok()?).filter(|s| !s.is_checkpoint())
}

/// The checkpoint in `dir`, whatever it was made from (see `read_any`).
pub fn read_state_any(dir: &Path) -> Option<Sealed> {
    sealed(std::fs::read(dir.join(STATE_FILE)).ok()?).filter(Sealed::is_checkpoint)
}

fn sealed(bytes: Vec<u8>) -> Option<Sealed> {
    if bytes.len() < HEADER + TAG || &bytes[..8] != MAGIC {
        return None;
    }
    Some(Sealed {
        fingerprint: Fingerprint(bytes[8..40].try_into().ok()?),
        bytes,
    })
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

/// The snapshot's bytes. The keys are taken out of `catalog` for the encoding and put back:
/// a copy of a large catalog would cost more than the encoding itself.
fn encode(
    catalog: &mut Catalog,
    identity: &Identity,
    folded: Option<&Folded>,
) -> io::Result<Vec<u8>> {
    use chacha20poly1305::aead::AeadInOut;
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
    // Sized first (a key is 25 bytes whatever it says), so the snapshot is built in its
    // one buffer: the keys wait in their own place in it while the payload is written.
    let none = Corrections::default();
    let corrections = folded.map_or(&none, |f| &f.corrections);
    let payload = postcard::experimental::serialized_size(&(&*catalog, &mismatches, corrections))
        .map_err(io::Error::other)?;
    let n = catalog.keys().count();
    let payload_end = HEADER + payload;
    let keys_end = payload_end + n * KEY;
    let mut out = vec![0u8; keys_end + TAG];
    out[..8].copy_from_slice(MAGIC);
    out[8..40].copy_from_slice(&identity.fingerprint.0);
    out[40..48].copy_from_slice(&folded.map_or(0, |f| f.through).to_le_bytes());
    out[48..80].copy_from_slice(&folded.map_or([0; 32], |f| f.marker));
    out[80..HEADER].copy_from_slice(&(payload as u64).to_le_bytes());
    let placeholder = ProductKey::parse(PLACEHOLDER).expect("a well-formed key");
    let (head, keys) = out.split_at_mut(payload_end);
    let keys = &mut keys[..n * KEY];
    for (key, slot) in catalog.keys_mut().zip(keys.chunks_exact_mut(KEY)) {
        slot.copy_from_slice(std::mem::replace(key, placeholder.clone()).as_bytes());
    }
    let written = postcard::to_slice(&(&*catalog, &mismatches, corrections), &mut head[HEADER..])
        .map(|w| w.len());
    for (key, plain) in catalog.keys_mut().zip(keys.chunks_exact(KEY)) {
        *key = ProductKey::from_normalized(plain.try_into().expect("25 bytes"))
            .expect("taken from a key");
    }
    if written.map_err(io::Error::other)? != payload {
        return Err(io::Error::other(
            "the snapshot's size changed while it was written",
        ));
    }
    let tag = (identity.cipher())
        .encrypt_inout_detached(&NONCE.into(), head, keys.into())
        .map_err(|_| io::Error::other("the snapshot is too large to seal"))?;
    out[keys_end..].copy_from_slice(&tag);
    Ok(out)
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
mod tests;
