//! Front-matter splitting and YAML reading never panic, and a parsed block
//! always lies inside the text.
//! The check itself is `isokb_fuzz::checks::frontmatter`, which
//! `tests/fuzz_regressions.rs` replays on every input saved in
//! `fuzz/regressions/frontmatter/`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| isokb_fuzz::checks::frontmatter(data));
