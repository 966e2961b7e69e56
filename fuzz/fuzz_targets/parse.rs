//! Parsing any note never panics, and every position it reports is inside the note.
#![no_main]
use isokb::paths::VaultPath;
use isokb::scan::SourceNote;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = isokb::scan::decode(data, &VaultPath::new("f.md"));
    let Some(text) = text else { return };
    let lines = text.lines().count() + 2;
    let src = SourceNote { path: VaultPath::new("dir/f.md"), text, modified: 0 };
    let (note, diags) = isokb::parse::parse_note(&src);
    for l in &note.links {
        assert!(l.pos.line >= 1 && l.pos.line <= lines, "{:?}", l.pos);
    }
    for d in diags {
        assert!(d.pos.is_none_or(|p| p.line <= lines));
    }
});
