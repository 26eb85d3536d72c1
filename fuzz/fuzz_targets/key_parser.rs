//! The key normaliser on arbitrary bytes; the invariants live in `benefits::fuzz::key_input`,
//! which `tests/torture_input.rs` also runs under proptest.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = benefits::fuzz::key_input(data) {
        panic!("{broken}");
    }
});
