//! Reading and drawing any canvas never panics. The check itself is
//! `isokb_fuzz::checks::canvas`, which `tests/fuzz_regressions.rs` replays
//! on every input saved in `fuzz/regressions/canvas/`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| isokb_fuzz::checks::canvas(data));
