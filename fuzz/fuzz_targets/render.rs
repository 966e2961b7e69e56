//! Rendering any note against a small index (links, embeds, aliases, tags,
//! blocks) never panics, whatever it embeds or links to.
#![no_main]
use isokb::paths::VaultPath;
use isokb::scan::SourceNote;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let notes: Vec<isokb::parse::Note> = [
        ("a.md", text),
        ("b/Note.md", "# Note\n## Rôle\ntext ^blk\n![[a]]"),
        ("c.md", "---\naliases: [Alias]\ntags: [x/y]\n---\n[[a]] [[Note#Rôle]]"),
    ]
    .iter()
    .map(|(p, t)| isokb::parse::parse_note(&SourceNote { path: VaultPath::new(p), text: t.to_string(), modified: 0 }).0)
    .collect();
    let files = [VaultPath::new("img.png")];
    let (index, _) = isokb::index::build_index(&notes, &files, false);
    let callouts = BTreeMap::new();
    let ctx = isokb::render::RenderContext {
        notes: &notes,
        index: &index,
        style: isokb::paths::LinkStyle::Explicit,
        line_breaks: true,
        callouts: &callouts,
        sanitize: false,
        highlight: true,
    };
    for i in 0..notes.len() {
        let _ = isokb::render::render_note(&ctx, i);
    }
});
