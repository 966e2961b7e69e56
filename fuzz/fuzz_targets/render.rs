//! Rendering any note against a small index (links, embeds, aliases, tags,
//! blocks) never panics, whatever it embeds or links to.
//! The check itself is `isokb_fuzz::checks::render`, which
//! `tests/fuzz_regressions.rs` replays on every input saved in
//! `fuzz/regressions/render/`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| isokb_fuzz::checks::render(data));
