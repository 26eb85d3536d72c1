//! The snapshot format: round trips, misses, privacy and authenticity.

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
    let mut corrections = crate::domain::correction::Corrections::default();
    corrections.credit_changed("azure-monthly", 3);
    corrections.corrected(4, 6, "office");
    let folded = Folded {
        through: 7,
        marker: [3; 32],
        mismatches: vec![mismatch(2, "activation"), mismatch(5, "unreadable")],
        corrections,
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
    assert_eq!(sealed(bytes).unwrap().open(&forged), None);
}

#[test]
fn snapshot_damaged_anywhere_is_a_miss() {
    let me = id(b"x", "b");
    let good = encode(&mut demo(), &me, None).unwrap();
    assert_eq!(sealed(good.clone()).and_then(|s| s.open(&me)), Some(demo()));
    for at in [
        0,
        9,
        41,
        60,
        81,
        HEADER,
        HEADER + 30,
        good.len() / 2,
        good.len() - TAG - 1,
        good.len() - 1,
    ] {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        assert_eq!(sealed(bad).and_then(|s| s.open(&me)), None, "byte {at}");
    }
    let cut = good[..good.len() - 1].to_vec();
    assert!(sealed(cut).and_then(|s| s.open(&me)).is_none(), "truncated");
    assert!(sealed(Vec::new()).is_none(), "empty");
}

#[test]
fn snapshot_is_authenticated_so_no_one_without_the_catalog_can_forge_one() {
    // Someone who can write the data directory but not read the catalog knows the
    // fingerprint (it is in the header) but not the seal: whatever they write is refused,
    // a CRC (which anyone can recompute) would not have stopped them.
    let me = id(b"catalog bytes", "b");
    let mut forger = me;
    forger.seal = [7; 32];
    let mut promoted = demo();
    promoted.user.role = crate::domain::Role::GlobalAdmin;
    promoted.user.name = "Mallory".into();
    let forged = encode(&mut promoted, &forger, None).unwrap();
    assert_eq!(
        &forged[8..40],
        &encode(&mut demo(), &me, None).unwrap()[8..40]
    );
    assert_eq!(sealed(forged).and_then(|s| s.open(&me)), None);
    // Nor does putting another snapshot's payload before a genuine one's keys and tag.
    let good = encode(&mut demo(), &me, None).unwrap();
    let other = encode(&mut promoted, &me, None).unwrap();
    let end = |b: &[u8]| HEADER + u64::from_le_bytes(b[80..HEADER].try_into().unwrap()) as usize;
    let mut spliced = other[..end(&other)].to_vec();
    spliced.extend_from_slice(&good[end(&good)..]);
    assert_eq!(sealed(spliced).and_then(|s| s.open(&me)), None);
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
