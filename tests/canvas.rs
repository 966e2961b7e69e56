//! JSON Canvas (issue 20): `.canvas` files as pages and embeds, built from a
//! vault written here. The boxes expected are worked out by hand from the
//! file's coordinates (the top left node at the 40 px margin).

mod common;
use common::*;
use isokb::diagnostics::Kind;

const PLAN: &str = r###"{
  "nodes": [
    {"id":"g1","type":"group","x":-40,"y":-60,"width":800,"height":520,"label":"Démarche","background":"fond.png","backgroundStyle":"ratio"},
    {"id":"t1","type":"text","x":0,"y":0,"width":300,"height":150,"text":"## Étapes\n\nVoir [[Qualité]] et #projet.\n\n> [!tip] Astuce\n> Un encadré.","color":"5"},
    {"id":"f1","type":"file","x":400,"y":0,"width":300,"height":200,"file":"Qualité.md","color":"#a0522d"},
    {"id":"f2","type":"file","x":400,"y":300,"width":300,"height":100,"file":"Brouillon.md"},
    {"id":"f3","type":"file","x":0,"y":300,"width":300,"height":100,"file":"Absent.md"},
    {"id":"l1","type":"link","x":900,"y":0,"width":250,"height":80,"url":"https://www.iso.org/fr/home.html"},
    {"id":"g2","type":"group","x":900,"y":200,"width":250,"height":200,"background":"fond.png","backgroundStyle":"repeat"}
  ],
  "edges": [
    {"id":"e1","fromNode":"t1","toNode":"f1","label":"détaille"},
    {"id":"e2","fromNode":"f1","fromSide":"bottom","toNode":"f2","toSide":"top","toEnd":"none","color":"1"}
  ]
}"###;

fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"Essai\"\nlanguage = \"fr\"\n"),
            ("content/Cartes/Plan.canvas", PLAN),
            (
                "content/Cartes/Cassé.canvas",
                "{\"nodes\": [\n  {\"id\": \"a\",\n}",
            ),
            ("content/Qualité.md", "# Qualité\n\nLa qualité totale.\n"),
            (
                "content/Brouillon.md",
                "---\ndraft: true\n---\n# Brouillon\n\nzorglub\n",
            ),
            ("content/fond.png", "\u{89}PNG"),
            (
                "content/index.md",
                "# Accueil\n\n![[Plan.canvas]]\n\nEt [[Plan.canvas|le plan]].\n",
            ),
        ],
    );
    dir
}

#[test]
fn a_canvas_is_a_page_drawn_at_its_files_coordinates() {
    let dir = vault();
    let (site, files) = build(dir.path());
    let page = text(&files, "cartes/plan-canvas/index.html");
    assert!(
        page.contains("<h1 class=\"note-title\">Plan</h1>"),
        "titled by its name"
    );
    assert!(
        page.contains("<div class=\"canvas-board\" style=\"width:1270px;height:600px\">"),
        "{page}"
    );
    // Every node at the file's place, shifted by (80, 100).
    for (class, at) in [
        (
            "canvas-group",
            "left:40px;top:40px;width:800px;height:520px",
        ),
        (
            "canvas-text canvas-coloured",
            "left:80px;top:100px;width:300px;height:150px;--canvas-color:var(--canvas-5)",
        ),
        (
            "canvas-file canvas-coloured",
            "left:480px;top:100px;width:300px;height:200px;--canvas-color:#a0522d",
        ),
        (
            "canvas-link",
            "left:980px;top:100px;width:250px;height:80px",
        ),
    ] {
        assert!(
            page.contains(&format!(
                "<div class=\"canvas-node {class}\" style=\"{at}\">"
            )) || page.contains(&format!(
                "<div class=\"canvas-node {class} canvas-bg-ratio\" style=\"{at}\">"
            )),
            "{class} at {at}: {page}"
        );
    }
    // Text nodes go through the site's Markdown: links, tags, callouts.
    assert!(page.contains("<a class=\"internal\" href=\"../../qualite/index.html\">Qualité</a>"));
    assert!(page.contains("<a class=\"tag\" href=\"../../tags/projet/index.html\">#projet</a>"));
    assert!(page.contains("data-callout=\"tip\""));
    assert!(
        !page.contains("class=\"toc\""),
        "a card's heading is no section of the page"
    );
    // A note's node shows its content; an image is the group's background.
    assert!(page.contains("La qualité totale."));
    assert!(page.contains("<img src=\"../../fond.png\""), "{page}");
    assert!(
        files.contains_key("fond.png"),
        "the background is published"
    );
    // A link node is a card to the address, never a frame.
    assert!(page.contains("href=\"https://www.iso.org/fr/home.html\" rel=\"noopener nofollow\""));
    assert!(!page.contains("<iframe"));
    // Edges: from t1's right side to f1's left side, an arrow at f1; the
    // second from f1's bottom to f2's top, red, no arrow.
    assert!(page.contains("<path d=\"M380 175 C"), "{page}");
    assert!(
        page.contains("<path class=\"canvas-arrow\" d=\"M480 200 L468 194 L468 206 Z\""),
        "{page}"
    );
    assert!(page.contains(">détaille</text>"));
    assert!(
        page.contains(
            "<path d=\"M630 300 C630 350 630 350 630 400\" style=\"stroke:var(--canvas-1)\"/>"
        ),
        "{page}"
    );
    assert_eq!(page.matches("class=\"canvas-arrow\"").count(), 1);
    // The draft's words never, its name as plain text; the missing file too.
    assert!(files
        .values()
        .all(|f| !String::from_utf8_lossy(f).contains("zorglub")));
    let at = |kind: Kind| {
        site.diagnostics
            .iter()
            .find(|d| d.kind == kind && d.path.ends_with("Plan.canvas"))
            .and_then(|d| d.pos)
            .map(|p| (p.line, p.col))
    };
    assert_eq!(
        at(Kind::UnpublishedLink),
        Some((6, 11)),
        "{:#?}",
        site.diagnostics
    );
    assert_eq!(at(Kind::BrokenLink), Some((7, 11)));
}

#[test]
fn a_canvas_feeds_backlinks_graph_search_and_embeds() {
    let dir = vault();
    let (_, files) = build(dir.path());
    let quality = text(&files, "qualite/index.html");
    let backlinks = &quality[quality.find("backlinks-title").unwrap()..];
    assert!(
        backlinks.contains("href=\"../cartes/plan-canvas/index.html\">Plan</a>"),
        "{backlinks}"
    );
    assert!(text(&files, "graph.js").contains("\"Plan\""));
    // Search knows it by name and by the words of its nodes.
    let search: String = files
        .iter()
        .filter(|(k, _)| k.starts_with("search"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert!(
        search.contains("Plan") && search.contains("etapes"),
        "{search}"
    );
    // Embedded in a note, drawn in place; a link goes to its page.
    let home = text(&files, "index.html");
    assert!(home.contains("<figure class=\"canvas\""), "{home}");
    assert!(home.contains("href=\"cartes/plan-canvas/index.html\">le plan</a>"));
}

#[test]
fn a_broken_canvas_is_a_finding_and_a_page() {
    let dir = vault();
    let (site, files) = build(dir.path());
    let d = site
        .diagnostics
        .iter()
        .find(|d| d.kind == Kind::Canvas)
        .expect("a canvas finding");
    assert!(d.path.ends_with("Cassé.canvas"), "{d:?}");
    assert_eq!(d.pos.map(|p| (p.line, p.col)), Some((3, 1)), "{d:?}");
    assert!(d.message.contains("not valid JSON"), "{}", d.message);
    let page = text(&files, "cartes/casse-canvas/index.html");
    assert!(page.contains("<figure class=\"canvas\""));
}
