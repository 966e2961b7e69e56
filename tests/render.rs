//! Rendering of every Obsidian construct (issue 3), one fixture vault per
//! construct under `tests/fixtures/render-*/`, with snapshots of the `<main>`
//! of their pages and of their findings.

mod common;

use common::*;
use isokb::diagnostics::Kind;
use std::collections::BTreeMap;
use std::path::Path;

/// The findings of a build, one line each, the temporary root hidden.
fn findings(site: &isokb::Site, root: &Path) -> String {
    let root = root.to_string_lossy();
    site.diagnostics
        .iter()
        .map(|d| {
            let level = site.policy().level(d.kind);
            d.render(level).replace(root.as_ref(), "<root>")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Mermaid SVGs are tens of kilobytes of Mermaid's own markup: snapshots keep
/// their opening tag only.
fn squash_diagrams(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<div class=\"mermaid\"><svg") {
        let start = i + "<div class=\"mermaid\">".len();
        out.push_str(&rest[..start]);
        let svg = &rest[start..];
        let open_end = svg.find('>').map_or(svg.len(), |j| j + 1);
        let close = svg
            .find("</svg></div>")
            .map_or(svg.len(), |j| j + "</svg>".len());
        out.push_str(&svg[..open_end]);
        out.push_str("…</svg>");
        rest = &svg[close..];
    }
    out.push_str(rest);
    out
}

/// The text a reader sees: tags removed, and nothing from code, styles,
/// scripts, formulas or diagrams.
fn visible_text(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [
        ("<pre", "</pre>"),
        ("<code", "</code>"),
        ("<style", "</style>"),
        ("<script", "</script>"),
        ("<svg", "</svg>"),
        ("<math", "</math>"),
    ] {
        while let Some(i) = s.find(open) {
            let Some(j) = s[i..].find(close) else { break };
            s.replace_range(i..i + j + close.len(), " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The `<main>` of a page with file dates (which change with every checkout) masked.
fn stable_main(html: &str) -> String {
    mask_times(&main_of(html))
}

/// The rendered note in a `<main>`: what comes before the folder listing.
fn body(main: &str) -> &str {
    let end = main
        .find("<section class=\"folder-listing\"")
        .unwrap_or(main.len());
    &main[..end]
}

fn build_fixture(name: &str) -> (tempfile::TempDir, isokb::Site, BTreeMap<String, Vec<u8>>) {
    let dir = fixture(name);
    let (site, files) = build(dir.path());
    (dir, site, files)
}

#[test]
fn callouts_every_type_alias_nesting_and_custom_types() {
    let (dir, site, files) = build_fixture("render-callouts");
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("callouts_main", main);
    assert_eq!(findings(&site, dir.path()), "");
    for (kind, fold) in [
        ("note", ""),
        ("warning", ""),
        ("faq", " data-callout-fold=\"-\""),
        ("tip", " data-callout-fold=\"+\" open"),
        ("goal", ""),
        ("shield", ""),
        ("user", ""),
    ] {
        assert!(
            main.contains(&format!("class=\"callout\" data-callout=\"{kind}\"{fold}>")),
            "{kind}: {main}"
        );
    }
    assert!(main.contains("<path d=\"M12 2 4 5v6c0"), "custom SVG icon");
    assert!(
        main.contains("Embedded section text."),
        "embed in a callout"
    );
    assert!(!body(&main).contains("Not embedded."), "only the section");
    assert!(!main.contains("<p><div"), "no block in a paragraph");
    let css: String = files
        .iter()
        .filter(|(p, _)| p.ends_with(".css"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        css.contains(".callout[data-callout=\"goal\"]"),
        "custom colour reaches the CSS"
    );
}

/// As in Obsidian, an alias keeps its own name in `data-callout` (lower
/// case: `FAQ` is `faq`) and is drawn as its type: the type's icon, and the
/// type's colour in the stylesheet.
#[test]
fn callout_aliases_keep_their_name_and_take_their_type_s_look() {
    let aliases = [
        ("summary", "abstract"),
        ("TLDR", "abstract"),
        ("hint", "tip"),
        ("Important", "tip"),
        ("check", "success"),
        ("done", "success"),
        ("help", "question"),
        ("FAQ", "question"),
        ("caution", "warning"),
        ("attention", "warning"),
        ("fail", "failure"),
        ("missing", "failure"),
        ("error", "danger"),
        ("cite", "quote"),
        ("info", "info"),
        ("todo", "todo"),
        ("bug", "bug"),
        ("example", "example"),
        ("Theorem", "theorem"),
    ];
    let callouts = |names: &mut dyn Iterator<Item = &str>| -> String {
        names.map(|a| format!("> [!{a}]\n> body\n\n")).collect()
    };
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("index.md", &callouts(&mut aliases.iter().map(|(a, _)| *a))),
            ("types.md", &callouts(&mut aliases.iter().map(|(_, t)| *t))),
        ],
    );
    let (_, files) = build(dir.path());
    let main = stable_main(&text(&files, "index.html"));
    let between = |page: &str, open: &str, close: char| -> Vec<String> {
        page.match_indices(open)
            .map(|(i, m)| {
                let rest = &page[i + m.len()..];
                rest[..rest.find(close).unwrap()].to_string()
            })
            .collect()
    };
    let found = between(&main, "data-callout=\"", '"');
    let expected: Vec<String> = aliases.iter().map(|(a, _)| a.to_lowercase()).collect();
    assert_eq!(found, expected);
    let types = stable_main(&text(&files, "types/index.html"));
    let icons = |page: &str| between(page, "<span class=\"callout-icon\">", '/');
    assert_eq!(
        icons(&main),
        icons(&types),
        "each alias has its type's icon"
    );
    assert!(main.contains(">TLDR</span>") && main.contains(">Theorem</span>"));
    let css = text(&files, "_static/style.css");
    for (alias, kind) in aliases {
        let alias = alias.to_lowercase();
        let rule = |name: &str| {
            css.split('}')
                .find(|r| r.contains(&format!("[data-callout=\"{name}\"]")))
                .map(str::to_string)
        };
        match rule(kind) {
            Some(r) => assert!(
                r.contains(&format!("[data-callout=\"{alias}\"]")),
                "{alias} coloured as {kind}: {r}"
            ),
            None => assert!(rule(&alias).is_none(), "{alias}"),
        }
    }
}

#[test]
fn embeds_notes_sections_blocks_media_and_cycles() {
    let (dir, site, files) = build_fixture("render-embeds");
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("embeds_main", main);
    insta::assert_snapshot!("embeds_findings", findings(&site, dir.path()));
    assert!(main.contains("Leaf text, embedded two levels deep."));
    assert!(main.contains("width=\"300\"") && main.contains("width=\"640\" height=\"480\""));
    assert!(main.contains("alt=\"Alt text\""));
    assert!(main.contains("src=\"assets/manual.pdf#page=3\""), "{main}");
    assert!(main.contains("<audio controls") && main.contains("<video controls"));
    for used in ["photo.png", "manual.pdf", "sound.mp3", "clip.mp4"] {
        assert!(
            files.contains_key(&format!("assets/{used}")),
            "{used} copied"
        );
    }
    assert!(
        !files.keys().any(|k| k.contains("unused")),
        "attachments nobody links are not copied"
    );
    let cycles: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::EmbedCycle)
        .collect();
    assert!(!cycles.is_empty());
    assert!(cycles.iter().any(|d| d
        .message
        .contains("`notes/Loop A.md` → `notes/Loop B.md` → `notes/Loop A.md`")));
    assert!(dead_links(&files).is_empty(), "{:#?}", dead_links(&files));
}

#[test]
fn heading_chains_odd_headings_and_block_ids() {
    let (dir, site, files) = build_fixture("render-headings");
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("headings_index_main", main);
    insta::assert_snapshot!(
        "headings_functions_main",
        stable_main(&text(&files, "functions/index.html"))
    );
    assert_eq!(findings(&site, dir.path()), "");
    assert!(dead_links(&files).is_empty(), "{:#?}", dead_links(&files));
    let f = text(&files, "functions/index.html");
    // The chain lands on the second `Level/Contour Curves`, under Calculus.
    let chained = &main[main.find("Chain:").unwrap()..];
    let href = &chained[chained.find("href=\"").unwrap() + 6..];
    let anchor = &href[href.find('#').unwrap() + 1..href.find('"').unwrap()];
    let at = f.find(&format!("id=\"{anchor}\"")).expect("anchor exists");
    assert!(f.find("Calculus").unwrap() < at, "{anchor}");
    for id in ["^para-id", "^item-id", "^quote-id", "^table-id"] {
        assert!(f.contains(&format!("id=\"{id}\"")), "{id}");
        assert!(main.contains(&format!("#{id}\"")), "{id}");
    }
    assert!(
        !f.contains("^para-id</p>") && !f.contains(">^"),
        "ids leave the text"
    );
}

#[test]
fn comments_never_reach_any_output_file() {
    let (dir, site, files) = build_fixture("render-comments");
    assert_eq!(
        findings(&site, dir.path()),
        "",
        "the hidden link is not a link"
    );
    for (path, bytes) in &files {
        let s = String::from_utf8_lossy(bytes);
        assert!(!s.contains("SECRET"), "comment text in {path}");
        assert!(!s.contains("Hidden link"), "commented link in {path}");
    }
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("comments_main", main);
    assert!(
        main.contains("href=\"kept/index.html\""),
        "links after a wrapped query render"
    );
    assert!(main.contains("%%code keeps its percent signs%%"));
    assert!(main.contains("%%fenced code keeps them too%%"));
}

#[test]
fn highlights_strikes_tasks_footnotes_tables_and_line_breaks() {
    let (dir, site, files) = build_fixture("render-inline");
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("inline_main", main);
    assert_eq!(findings(&site, dir.path()), "");
    assert!(main.contains("<mark>Highlighted</mark>") && main.contains("<del>struck</del>"));
    for c in [" ", "x", "?", "-", "&gt;", "/"] {
        assert!(main.contains(&format!("data-task=\"{c}\"")), "task {c}");
    }
    assert!(
        main.contains(">shown text</a>"),
        "escaped pipe in a table: {main}"
    );
    assert!(!main.contains("\\|") && !main.contains("shown text\\"));
    assert!(
        main.contains("<em>italic</em>.<br />\nA second line"),
        "line breaks on by default"
    );
    assert!(main.contains("<section class=\"footnotes\">"));
    // `line_breaks = false`: a single newline is a space, as with strict line breaks.
    let toml = dir.path().join("site.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("line_breaks = false\n");
    std::fs::write(&toml, config).unwrap();
    let (_, files) = build(dir.path());
    let main = stable_main(&text(&files, "index.html"));
    assert!(main.contains("<em>italic</em>.\nA second line"), "{main}");
}

#[test]
fn math_renders_to_mathml_and_bad_formulas_stay_code() {
    let (dir, site, files) = build_fixture("render-math");
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("math_main", main);
    insta::assert_snapshot!("math_findings", findings(&site, dir.path()));
    assert_eq!(main.matches("<math").count(), 6, "{main}");
    assert!(main.contains("$5 and $10"), "prices stay text");
    assert!(main.contains("<code class=\"math math-error math-inline\""));
    assert!(!main.contains("$$"));
}

#[test]
fn mermaid_renders_to_inline_svg_and_bad_diagrams_stay_source() {
    let (dir, site, files) = build_fixture("render-mermaid");
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("mermaid_main", squash_diagrams(&main));
    insta::assert_snapshot!("mermaid_findings", findings(&site, dir.path()));
    assert_eq!(main.matches("<div class=\"mermaid\"><svg").count(), 6);
    for kind in ["flowchart", "sequence", "class", "state", "pie", "mindmap"] {
        assert!(
            main.contains(&format!("aria-roledescription=\"{kind}")),
            "{kind} drawn"
        );
    }
    assert!(!main.contains("<script"), "no JavaScript");
    assert!(
        main.contains("A[Unclosed --&gt; B"),
        "broken diagram shows its source"
    );
}

#[test]
fn code_is_highlighted_with_classes_and_a_label() {
    let (dir, site, files) = build_fixture("render-code");
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("code_main", main);
    assert_eq!(
        findings(&site, dir.path()),
        "",
        "unknown languages are no warning"
    );
    assert!(main.contains("<span class=\"code-lang\">rust</span>"));
    assert!(
        main.contains("LIST FROM #projet"),
        "plugin queries are shown as code"
    );
    assert!(!main.contains("style=\""), "classes, not inline styles");
}

/// HTML in notes is sanitised by default, as Obsidian does it: nothing an
/// author writes runs script in a reader's browser (handlers, `javascript:`
/// in HTML and in Markdown links, scripts, forms, objects), while what
/// Obsidian shows stays (styles, `<font>`, `align`, `<iframe>` of a web page,
/// `<details>`, `<kbd>`). `sanitize = false` lets the HTML through as written.
#[test]
fn raw_html_is_sanitised_by_default_as_obsidian_does() {
    let (dir, _, files) = build_fixture("render-html");
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("html_sanitized_main", main);
    let page = text(&files, "index.html");
    let body = body(&main);
    for gone in [
        "<script>document",
        "onclick",
        "onerror",
        "onload",
        "=\"javascript",
        "=\"JaVa",
        "=\"data:",
        "<form",
        "<object",
        "<svg onload",
    ] {
        assert!(!body.contains(gone), "{gone}: {body}");
    }
    assert!(!page.contains("pwned"), "the script is gone");
    for kept in [
        "<div class=\"custom\" style=\"color: teal\">",
        "**no Markdown inside**",
        "<kbd>Ctrl</kbd>",
        "<iframe src=\"https://example.org/embed\"></iframe>",
        "<span style=\"font-family: cursive\">a font</span>",
        "<font color=\"red\">red</font>",
        "<u>under</u>, <s>struck</s>",
        "<p align=\"center\">Centred</p>",
        "<details><summary>More</summary>Folded text</details>",
        "<a href=\"https://example.org/ok\">a page</a>",
        "<a>a link</a>",
        "data-callout=\"note\"",
        "<math",
    ] {
        assert!(body.contains(kept), "{kept}: {body}");
    }
    let toml = dir.path().join("site.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("sanitize = false\n{config}")).unwrap();
    let (_, files) = build(dir.path());
    let main = stable_main(&text(&files, "index.html"));
    insta::assert_snapshot!("html_raw_main", main);
    assert!(main.contains("onclick"), "{main}");
    assert!(main.contains("href=\"javascript:alert(1)\""), "{main}");
    // GFM's tag filter still applies: no unclosed raw-text tag can take in
    // the rest of the page.
    assert!(
        main.contains("&lt;script>document.title") && !main.contains("<script>document"),
        "{main}"
    );
    assert!(main.contains("&lt;iframe src="), "{main}");
}

/// Sanitising leaves a page made of isokb's own markup as it is: a note
/// with every construct but no HTML of its author gives the same bytes
/// with `sanitize` on (the default) or off, its MathML, diagrams, callout
/// icons and code included.
#[test]
fn a_page_without_html_of_its_author_is_not_cleaned() {
    let (dir, _, cleaned) = build_fixture("render-all");
    let toml = dir.path().join("site.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("sanitize = false\n{config}")).unwrap();
    let (_, raw) = build(dir.path());
    assert_eq!(
        cleaned.keys().collect::<Vec<_>>(),
        raw.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &raw {
        assert!(cleaned[path] == *bytes, "{path} differs");
    }
    let page = text(&cleaned, "index.html");
    assert!(
        page.contains("<math") && page.contains("<svg"),
        "own markup kept"
    );
}

#[test]
fn mojibake_is_reported_with_the_repaired_line() {
    let (dir, site, _) = build_fixture("render-mojibake");
    insta::assert_snapshot!("mojibake_findings", findings(&site, dir.path()));
    let found: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::Mojibake)
        .collect();
    assert_eq!(found.len(), 1, "the clean note is not flagged");
    assert!(found[0].path.ends_with("Damaged.md"));
}

#[test]
fn a_note_with_every_construct_leaves_no_raw_syntax() {
    let (dir, site, files) = build_fixture("render-all");
    assert_eq!(findings(&site, dir.path()), "");
    let main = stable_main(&text(&files, "index.html"));
    let seen = visible_text(&main);
    for raw in ["[[", "![[", "[!", "%%", "==", "$$", "^[", "[?]", "```"] {
        assert!(
            !seen.contains(raw),
            "raw `{raw}` in the visible text:\n{seen}"
        );
    }
    for rendered in [
        "<div class=\"embed\"",
        "data-callout=\"info\"",
        "data-callout=\"goal\"",
        "<math",
        "<div class=\"mermaid\"><svg",
        "<span class=\"code-lang\">rust</span>",
        "data-task=\"?\"",
        "<mark>",
        "<del>",
        "<section class=\"footnotes\">",
        "<img src=\"photo.png\"",
    ] {
        assert!(main.contains(rendered), "missing {rendered}");
    }
}
