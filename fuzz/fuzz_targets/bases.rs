//! Reading any base, and parsing and evaluating any expression, never
//! panics. The check itself is `isokb_fuzz::checks::bases`, which
//! `tests/fuzz_regressions.rs` replays on every input saved in
//! `fuzz/regressions/bases/`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| isokb_fuzz::checks::bases(data));
