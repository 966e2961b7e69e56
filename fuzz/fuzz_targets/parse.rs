//! Parsing any note never panics, and every position it reports is inside the note.
//! The check itself is `isokb_fuzz::checks::parse`, which
//! `tests/fuzz_regressions.rs` replays on every input saved in
//! `fuzz/regressions/parse/`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| isokb_fuzz::checks::parse(data));
