//! What each fuzz target asserts, shared with `tests/fuzz_regressions.rs`
//! (which replays saved inputs through the same functions).

use isokb::paths::VaultPath;
use isokb::scan::SourceNote;
use std::collections::BTreeMap;

/// Front-matter splitting and YAML reading never panic, and a parsed block
/// always lies inside the text.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(split) = isokb::frontmatter::split(text) {
        assert!(split.body_offset <= text.len());
        if let Some(yaml) = split.yaml {
            let _ = isokb::frontmatter::parse(text, yaml, split.yaml_offset);
        }
    }
}

/// Parsing any note never panics, and every position it reports is inside the note.
pub fn parse(data: &[u8]) {
    let (text, _) = isokb::scan::decode(data.to_vec(), &VaultPath::new("f.md"));
    let Some(text) = text else { return };
    let lines = text.lines().count() + 2;
    let src = SourceNote {
        path: VaultPath::new("dir/f.md"),
        text,
        modified: 0,
    };
    let (note, diags) = isokb::parse::parse_note(&src);
    for l in &note.links {
        assert!(l.pos.line >= 1 && l.pos.line <= lines, "{:?}", l.pos);
    }
    for d in diags {
        assert!(d.pos.is_none_or(|p| p.line <= lines));
    }
}

/// Rendering any note against a small index (links, embeds, aliases, tags,
/// blocks) never panics, whatever it embeds or links to.
pub fn render(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let notes: Vec<isokb::parse::Note> = [
        ("a.md", text),
        ("b/Note.md", "# Note\n## Rôle\ntext ^blk\n![[a]]"),
        (
            "c.md",
            "---\naliases: [Alias]\ntags: [x/y]\n---\n[[a]] [[Note#Rôle]]",
        ),
    ]
    .iter()
    .map(|(p, t)| note(p, t))
    .collect();
    render_all(&notes, false, true);
}

/// Renders every note of `notes` against their index (with an attachment
/// `img.png`).
fn render_all(notes: &[isokb::parse::Note], sanitize: bool, highlight: bool) {
    let files = [VaultPath::new("img.png")];
    let (index, _) = isokb::index::build_index(notes, &files, false);
    let callouts = BTreeMap::new();
    let ctx = isokb::render::RenderContext {
        notes,
        index: &index,
        style: isokb::paths::LinkStyle::Explicit,
        line_breaks: true,
        callouts: &callouts,
        sanitize,
        highlight,
        language: isokb::i18n::Language::english(),
        files: &[],
    };
    for i in 0..notes.len() {
        let _ = isokb::render::render_note(&ctx, i);
    }
}

/// Reading any canvas never panics or hangs; its findings point inside the
/// file; every node keeps its markers (nothing a node holds swallows the
/// rest); the page draws, embedded in a note too.
pub fn canvas(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let read = isokb::canvas::read(text, "c.canvas");
    let lines = text.lines().count().max(1);
    for d in &read.findings {
        if let Some(p) = d.pos {
            assert!(p.line >= 1 && p.line <= lines + 1, "{d:?}");
        }
    }
    assert_eq!(
        isokb::canvas::marker_blocks(&read.markdown),
        2 + 2 * read.nodes,
        "{}",
        read.markdown
    );
    let notes: Vec<isokb::parse::Note> = [
        ("c.canvas", text),
        ("a.md", "# A\n\n![[c.canvas]] [[c.canvas]]"),
        ("Note.md", "# Note\n## Part\ntext ^blk"),
    ]
    .iter()
    .map(|(p, t)| note(p, t))
    .collect();
    render_all(&notes, true, false);
}

/// Reading any base, and parsing and evaluating any expression against a
/// small vault, never panics; syntax errors point inside the expression.
pub fn bases(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = isokb::bases::check(text, "f.base", 0);
    let expr = match isokb::bases::expr::parse(text) {
        Ok(e) => e,
        Err(e) => {
            assert!(e.offset <= text.len(), "{e:?}");
            return;
        }
    };
    let notes: Vec<isokb::parse::Note> = [
        (
            "a.md",
            "---\ntags: [x]\nyear: 1965\nlinks: [\"[[b]]\"]\nwhen: 2024-01-02\n---\n[[b]]",
        ),
        ("b.base", text),
    ]
    .iter()
    .map(|(p, t)| note(p, t))
    .collect();
    let (index, _) = isokb::index::build_index(&notes, &[VaultPath::new("i.png")], false);
    let mut formulas = isokb::bases::eval::Formulas::default();
    formulas.list.push(("f".into(), Ok(expr.clone())));
    let env = isokb::bases::eval::Env {
        vault: isokb::bases::vault::Vault {
            notes: &notes,
            index: &index,
            files: &[],
            months: &["m"; 12],
        },
        formulas: &formulas,
        this: isokb::bases::value::Row::Note(1),
        now: isokb::bases::value::parse_date("2025-06-15 12:00:00")
            .expect("a date")
            .0,
        folder: "",
    };
    for r in [
        isokb::bases::value::Row::Note(0),
        isokb::bases::value::Row::Note(1),
        isokb::bases::value::Row::File(0),
    ] {
        let row = isokb::bases::eval::RowEval::new(r, &formulas);
        let _ = env.eval(&expr, &row, &[]).text();
        let _ = env.formula("f", &row);
    }
    // The same text as a whole base, drawn.
    let href = |_: isokb::bases::value::Row| String::from("x/");
    let site = isokb::bases::Site {
        vault: env.vault,
        lang: isokb::i18n::Language::english(),
        this: 0,
        folder: "",
        href: &href,
        clean: true,
        nth: 0,
    };
    let _ = isokb::bases::draw(text, isokb::bases::Which::All, &site);
}

/// A note parsed from its path and text.
fn note(path: &str, text: &str) -> isokb::parse::Note {
    isokb::parse::parse_note(&SourceNote {
        path: VaultPath::new(path),
        text: text.to_string(),
        modified: 0,
    })
    .0
}
