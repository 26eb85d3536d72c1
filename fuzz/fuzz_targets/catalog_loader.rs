//! The catalog loader on arbitrary bytes; the invariants live in
//! `benefits::fuzz::catalog_input`, which `tests/torture_input.rs` also runs under proptest.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = benefits::fuzz::catalog_input(data) {
        panic!("{broken}");
    }
});
