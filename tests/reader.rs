//! The reader's side, without a browser: search files, graph data, explorer,
//! previous/next, and the weight of what a page and a first query load.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

type Files = BTreeMap<String, Vec<u8>>;

/// The data of a `window.NAME(<json>);` file (or of one of its calls).
fn jsonp(files: &Files, path: &str) -> serde_json::Value {
    let t = text(files, path);
    let start = t.find(['{', '[']).expect("json start");
    let end = t.rfind(");").expect("call end");
    serde_json::from_str(&t[start..end]).expect("json")
}

fn search_doc(files: &Files, id: usize) -> serde_json::Value {
    let b = isokb::search::DOC_BLOCK;
    jsonp(files, &format!("search/d/{}.js", id / b))[id % b].clone()
}

/// The note a search document is about, by title.
fn doc_titles(files: &Files) -> Vec<String> {
    let n = jsonp(files, "search-index.js")["n"].as_u64().unwrap() as usize;
    (0..n)
        .map(|i| search_doc(files, i)["t"].as_str().unwrap().to_string())
        .collect()
}

fn small_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"Essai\"\nlanguage = \"fr\"\n"),
            ("content/index.md", "# Accueil\n\nVoir [[Sécurité]].\n"),
            (
                "content/Qualité/Sécurité.md",
                "---\naliases: [SSI]\ntags: [qualité/audit]\n---\n# Sécurité\n\n## Contrôles d’accès\n\nLa sécurité des systèmes d’information. Voir [[Audits]] et [[Zèbre]].\n",
            ),
            (
                "content/Qualité/Audits.md",
                "# Audits\n\nLes audits internes vérifient les procédures. [[Sécurité]]\n",
            ),
            ("content/Qualité/Zèbre.md", "# Zèbre\n\nUn animal rayé.\n"),
            (
                "content/Qualité/Brouillon.md",
                "---\ndraft: true\n---\n# Brouillon secret\n\nLe mot zorglubement n’apparaît qu’ici. [[Sécurité]]\n",
            ),
            ("content/Autre/Loin.md", "# Loin\n\n[[Audits]]\n"),
        ],
    );
    dir
}

#[test]
fn unpublished_notes_are_in_no_search_or_graph_file_issue_6() {
    let dir = small_vault();
    let (_, files) = build(dir.path());
    for (path, bytes) in &files {
        let is_data = path.starts_with("search") || path == "graph.js" || path.ends_with(".html");
        if is_data {
            let t = String::from_utf8_lossy(bytes);
            assert!(!t.contains("zorglub"), "{path} leaks the draft");
            assert!(!t.contains("Brouillon secret"), "{path} leaks the draft");
        }
    }
    let titles = doc_titles(&files);
    assert!(titles.contains(&"Sécurité".to_string()), "{titles:?}");
    assert!(!titles.iter().any(|t| t.contains("Brouillon")));
    let graph = jsonp(&files, "graph.js");
    let nodes: Vec<&str> = graph["n"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n[0].as_str().unwrap())
        .collect();
    assert_eq!(nodes.len(), titles.len());
    assert!(!nodes.iter().any(|t| t.contains("Brouillon")));
}

/// Issue 22: an unlisted note (`unlisted: true`, `publish: unlisted`) has
/// its page, with `noindex`, and links to it work; nothing else of it is
/// anywhere: no listing, tag page, explorer, graph, search file, backlink,
/// feed, sitemap, base or pager.
#[test]
fn unlisted_notes_are_reachable_by_their_address_only() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"Essai\"\nlanguage = \"fr\"\nbase_url = \"https://kb.example.org/\"\n",
            ),
            ("content/index.md", "# Accueil\n\nVoir [[Public]].\n\n![[Tout.base]]\n"),
            (
                "content/Dossier/Public.md",
                "---\ntags: [commun]\n---\n# Public\n\nÀ lire : [[Wombat direct]].\n",
            ),
            ("content/Dossier/Autre.md", "# Autre\n\nVoir [[Public]]. #commun\n"),
            (
                "content/Dossier/Quokka secret.md",
                "---\nunlisted: true\naliases: [Quokka alias]\ntags: [commun, quokka-tag]\n---\n# Quokka secret\n\nLe mot quokkatoken n’est qu’ici (#quokka-tag). Voir [[Public]] et [[Autre]].\n",
            ),
            (
                "content/Seul/Wombat direct.md",
                "---\npublish: unlisted\n---\n# Wombat direct\n\nCirculé par son adresse : wombattoken.\n",
            ),
            (
                "content/Tout.base",
                "views:\n  - type: table\n    name: Tout\n    order: [file.name]\n",
            ),
        ],
    );
    let (site, files) = build(dir.path());
    assert!(site.diagnostics.is_empty(), "{:#?}", site.diagnostics);
    let quokka = text(&files, "dossier/quokka-secret/index.html");
    assert!(quokka.contains("quokkatoken"));
    assert!(
        quokka.contains("<meta name=\"robots\" content=\"noindex"),
        "{quokka}"
    );
    let wombat = text(&files, "seul/wombat-direct/index.html");
    assert!(wombat.contains("wombattoken") && wombat.contains("noindex"));
    let public = text(&files, "dossier/public/index.html");
    assert!(
        public.contains("href=\"../../seul/wombat-direct/index.html\""),
        "a link to an unlisted note works: {public}"
    );
    let backlinks = &public[public.find("class=\"backlinks\"").unwrap()..];
    assert!(
        backlinks.contains("Autre") && !backlinks.contains("Quokka"),
        "{backlinks}"
    );
    for (path, bytes) in &files {
        let t = String::from_utf8_lossy(bytes).to_lowercase();
        let own = path.starts_with("dossier/quokka-secret/") || path.starts_with("quokka-alias/");
        if !own {
            assert!(!t.contains("quokka"), "{path} leaks the unlisted note");
        }
    }
    // Linked from a listed note, the other one is in that note's text (its
    // page, its feed entry, its words in search), and nowhere else.
    for path in [
        "sitemap.xml",
        "graph.js",
        "index.html",
        "dossier/index.html",
        "tags/commun/index.html",
    ] {
        assert!(!text(&files, path).contains("wombat-direct"), "{path}");
    }
    assert!(!doc_titles(&files).iter().any(|t| t.contains("Wombat")));
    let feed = text(&files, "atom.xml");
    assert!(!feed.contains("<id>https://kb.example.org/seul/"), "{feed}");
    assert!(!files.contains_key("tags/quokka-tag/index.html"));
    assert!(
        !files.contains_key("seul/index.html"),
        "a folder of unlisted notes only is no page"
    );
}

#[test]
fn search_shards_hold_folded_terms_with_weighted_postings() {
    let dir = small_vault();
    let (_, files) = build(dir.path());
    let manifest = jsonp(&files, "search-index.js");
    let titles = doc_titles(&files);
    let keys: Vec<&String> = manifest["k"].as_object().unwrap().keys().collect();
    assert!(keys.iter().any(|k| *k == "se"), "{keys:?}");
    for k in &keys {
        let size = manifest["k"][k.as_str()].as_u64().unwrap() as usize;
        let path = format!("search/t/{}.js", isokb::search::shard_name(k));
        assert_eq!(files[&path].len(), size, "{path}");
    }
    let se = jsonp(&files, "search/t/se.js");
    let postings = se["securite"]
        .as_array()
        .expect("securite is indexed folded");
    // One note has it in its title: the highest weight.
    let mut doc = 0;
    let mut best = (0, String::new());
    for pair in postings.chunks(2) {
        doc += pair[0].as_u64().unwrap() as usize;
        let w = pair[1].as_u64().unwrap();
        if w > best.0 {
            best = (w, titles[doc].clone());
        }
    }
    assert_eq!(best.1, "Sécurité");
    assert!(jsonp(&files, "search/t/ss.js")["ssi"].is_array(), "alias");
    let stop_word_indexed =
        files.contains_key("search/t/la.js") && jsonp(&files, "search/t/la.js").get("la").is_some();
    assert!(!stop_word_indexed, "`la` is only in texts: not indexed");
    let d = search_doc(&files, titles.iter().position(|t| t == "Sécurité").unwrap());
    assert_eq!(d["u"], "qualite/securite/index.html");
    assert_eq!(d["a"][0], "SSI");
    assert_eq!(d["g"][0], "qualité/audit");
    assert!(d["x"].as_str().unwrap().contains("systèmes d’information"));
}

#[test]
fn local_graph_explorer_and_pager_of_a_note() {
    let dir = small_vault();
    let (_, files) = build(dir.path());
    assert!(dead_links(&files).is_empty(), "{:#?}", dead_links(&files));
    let page = text(&files, "qualite/securite/index.html");
    // Local graph: the note first, then its neighbours; the draft is absent.
    let start = page.find("class=\"graph-data\">").expect("local graph") + 19;
    let end = start + page[start..].find("</script>").unwrap();
    let g: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    let nodes: Vec<(&str, u64)> = g["n"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n[0].as_str().unwrap(), n[3].as_u64().unwrap()))
        .collect();
    assert_eq!(nodes[0], ("Sécurité", 0));
    for want in [("Accueil", 1), ("Audits", 1), ("Zèbre", 1)] {
        assert!(nodes.contains(&want), "{want:?} in {nodes:?}");
    }
    // Notes two links away are not repeated in every page: the reader's
    // browser reads them from the site's graph when asked for.
    assert!(
        nodes.iter().all(|&(t, hop)| hop <= 1 && t != "Loin"),
        "{nodes:?}"
    );
    let audits = &g["n"][1];
    assert_eq!(audits[0], "Audits", "the most linked neighbour first");
    let url = format!(
        "{}{}{}",
        g["p"][audits[1].as_u64().unwrap() as usize]
            .as_str()
            .unwrap(),
        audits[2].as_str().unwrap(),
        g["s"].as_str().unwrap()
    );
    assert_eq!(
        url, "qualite/audits/index.html",
        "from the site root, the page suffix given once"
    );
    assert_eq!(audits[2], "audits/");
    assert_eq!(g["t"][0][0], "qualité/audit");
    // Explorer: nested <details>, the current folder open, the note marked.
    let explorer = &page[page
        .find("<nav class=\"explorer\" id=\"explorer\"")
        .unwrap()..];
    let explorer = &explorer[..explorer.find("</nav>").unwrap()];
    assert!(
        explorer.contains("<a class=\"folder-name\" href=\"../../qualite/index.html\">Qualité</a><details open><summary><span class=\"visually-hidden\">Qualité</span></summary>"),
        "{explorer}"
    );
    assert!(
        explorer.contains(
            "<a class=\"folder-name\" href=\"../../autre/index.html\">Autre</a><details><summary>"
        ),
        "{explorer}"
    );
    assert!(
        explorer.contains(
            "href=\"../../qualite/securite/index.html\" aria-current=\"page\">Sécurité</a>"
        ),
        "{explorer}"
    );
    assert!(!explorer.contains("Brouillon"));
    // Previous/next in the folder, by title: Audits, Sécurité, Zèbre.
    assert!(
        page.contains("rel=\"prev\" href=\"../../qualite/audits/index.html\""),
        "prev"
    );
    assert!(
        page.contains("rel=\"next\" href=\"../../qualite/zebre/index.html\""),
        "next"
    );
    let first = text(&files, "qualite/audits/index.html");
    assert!(!first.contains("rel=\"prev\"") && first.contains("rel=\"next\""));
    // Every page links the graph page.
    for p in [
        "index.html",
        "tags/index.html",
        "qualite/index.html",
        "qualite/securite/index.html",
    ] {
        assert!(text(&files, p).contains(">Graphe</a>"), "{p}");
    }
    let graph_page = text(&files, "graph/index.html");
    assert!(
        graph_page.contains("data-src=\"../graph.js\""),
        "{graph_page}"
    );
    assert!(graph_page.contains("src=\"../_static/isokb-graph.js\""));
}

#[test]
fn a_note_named_graph_does_not_take_the_graph_page() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", ""),
            ("content/Graph.md", "# Graph\n\nA note.\n"),
        ],
    );
    let (site, files) = build(dir.path());
    assert!(text(&files, "graph/index.html").contains("graph-box"));
    assert!(text(&files, "graph-2/index.html").contains("A note."));
    assert!(site
        .diagnostics
        .iter()
        .any(|d| d.message.contains("reserved")));
}

#[test]
fn explorer_of_a_large_site_lists_only_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut owned: Vec<(String, String)> = vec![("site.toml".into(), String::new())];
    for f in 0..4 {
        for n in 0..100 {
            owned.push((
                format!("content/F{f}/Note {f}-{n:03}.md"),
                format!("# Note {f}-{n:03}\n\nText.\n"),
            ));
        }
    }
    write_owned(dir.path(), &owned);
    let (_, files) = build(dir.path());
    let page = text(&files, "f1/note-1-050/index.html");
    let explorer = &page[page
        .find("<nav class=\"explorer\" id=\"explorer\"")
        .unwrap()..];
    let explorer = &explorer[..explorer.find("</nav>").unwrap()];
    let links = explorer.matches("<li><a ").count();
    assert_eq!(links, isokb::nav::WINDOW_NOTES, "{explorer}");
    assert!(explorer.contains("aria-current=\"page\">Note 1-050</a>"));
    let more = 100 - isokb::nav::WINDOW_NOTES;
    assert!(
        explorer.contains(&format!("{more} de plus")) || explorer.contains(&format!("{more} more")),
        "{explorer}"
    );
    assert!(
        !explorer.contains("Note 2-000"),
        "other folders only link to their page"
    );
}

/// Bytes of HTML, CSS and JS a page loads before any interaction.
fn page_weight(files: &Files, page: &str) -> usize {
    let html = text(files, page);
    let dir = page.rfind('/').map_or("", |i| &page[..i + 1]);
    let mut total = html.len();
    for attr in ["<link rel=\"stylesheet\" href=\"", "<script src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let url = &rest[..rest.find('"').unwrap()];
            let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
            for seg in url.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            total += files.get(&parts.join("/")).map_or(0, Vec::len);
        }
    }
    total
}

#[test]
fn the_home_page_of_content_weighs_under_100_kb() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, files) = isokb::build_in_memory(
        root,
        &isokb::Overrides::default(),
        &isokb::emit::EmitOptions::default(),
    )
    .expect("build content/");
    let home = page_weight(&files, "index.html");
    eprintln!("home page: {home} bytes of HTML, CSS and JS");
    assert!(home < 100 * 1024, "the home page loads {home} bytes");
    // Search and graph data load on demand only.
    let html = text(&files, "index.html");
    assert!(!html.contains("<script src=\"search-index.js\""));
    assert!(!html.contains("graph.js\""));
}

/// A vault from `scripts/gen_vault.py`, or `None` without Python.
fn generated_vault(notes: usize) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_vault.py");
    let ok = Command::new("python3")
        .arg(script)
        .args(["--notes", &notes.to_string(), "--out"])
        .arg(dir.path().join("content"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("skipped: python3 cannot run scripts/gen_vault.py");
        return None;
    }
    std::fs::write(dir.path().join("site.toml"), "language = \"fr\"\n").unwrap();
    Some(dir)
}

#[test]
fn the_always_loaded_search_part_does_not_grow_with_the_notes_issue_6() {
    let Some(small) = generated_vault(60) else {
        return;
    };
    let Some(large) = generated_vault(400) else {
        return;
    };
    let (_, a) = build(small.path());
    let (_, b) = build(large.path());
    let total = |f: &Files| -> usize {
        f.iter()
            .filter(|(p, _)| p.starts_with("search"))
            .map(|(_, v)| v.len())
            .sum()
    };
    let (ma, mb) = (a["search-index.js"].len(), b["search-index.js"].len());
    let (ta, tb) = (total(&a), total(&b));
    eprintln!("manifest {ma} → {mb} bytes; whole index {ta} → {tb} bytes");
    // The whole index grows with the notes, the manifest with the vocabulary's prefixes.
    assert!(tb > 4 * ta, "{ta} → {tb}");
    assert!(mb < 2 * ma, "manifest {ma} → {mb}");
    assert!(mb < 24 * 1024, "manifest {mb}");
    // A first query, by the browser's engine under Node when there is one.
    let out = tempfile::tempdir().unwrap();
    for (p, bytes) in &b {
        if p.starts_with("search") {
            let path = out.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/search_bench.js");
    let Ok(run) = Command::new("node")
        .arg(bench)
        .arg(out.path())
        .args(["--json", "securite", "sécurité", "audits internes", "proc"])
        .output()
    else {
        eprintln!("skipped the first-query measure: node is not installed");
        return;
    };
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    eprintln!("{report:#}");
    for r in report.as_array().unwrap() {
        assert!(r["results"].as_u64().unwrap() > 0, "{r}");
        assert!(r["first"].as_u64().unwrap() < 500 * 1024, "{r}");
        assert!(
            r["first"].as_u64().unwrap() < tb as u64 / 3,
            "a first query loads a fraction: {r}"
        );
    }
    assert_eq!(report[0]["top"], report[1]["top"], "accents do not matter");
}

#[test]
fn browser_engine_folds_and_splits_like_the_indexer() {
    let Ok(probe) = Command::new("node").arg("--version").output() else {
        eprintln!("skipped: node is not installed");
        return;
    };
    assert!(probe.status.success());
    let samples = [
        "Sécurité des SYSTÈMES d’information",
        "L’ISO 9001:2015 — non-conformités (œuvre, Æsir)",
        "Straße naïve İstanbul Ελληνικά 日本語",
        "e-mail a b cd",
    ];
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let code = format!(
        "const S=require({:?});console.log(JSON.stringify({}.map(s=>S.words(s))))",
        script.display().to_string(),
        serde_json::to_string(&samples).unwrap()
    );
    let out = Command::new("node").args(["-e", &code]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    let rust: Vec<Vec<String>> = samples.iter().map(|s| isokb::search::terms(s)).collect();
    assert_eq!(js, rust);
}

#[test]
fn light_stemming_matches_word_forms() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let pairs = [
        ("audits", "audit"),
        ("securites", "securite"),
        ("donnees", "donnee"),
        ("organisations", "organiser"),
        ("conformement", "conforme"),
        ("auditeurs", "audit"),
        ("bureaux", "bureau"),
        ("journaux", "journal"),
        ("policies", "policy"),
        ("managers", "management"),
        ("audited", "auditing"),
    ];
    let apart = [
        ("processus", "process"),
        ("index", "inde"),
        ("site", "situation"),
    ];
    let code = format!(
        "const S=require({:?});console.log(JSON.stringify([{},{}].map(l=>l.map(([a,b])=>S.stem(a)===S.stem(b)))))",
        script.display().to_string(),
        serde_json::to_string(&pairs).unwrap(),
        serde_json::to_string(&apart).unwrap()
    );
    let Ok(out) = Command::new("node").args(["-e", &code]).output() else {
        eprintln!("skipped: node is not installed");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<Vec<bool>> = serde_json::from_slice(&out.stdout).unwrap();
    for (p, same) in pairs.iter().zip(&got[0]) {
        assert!(same, "{p:?} should share a stem");
    }
    for (p, same) in apart.iter().zip(&got[1]) {
        assert!(!same, "{p:?} should not share a stem");
    }
}

/// `build` streams the search files (`search::write_all`); `serve` keeps a
/// `SearchIndex` to patch after edits. Both must write the same bytes.
#[test]
fn streamed_search_files_equal_the_kept_index() {
    let Some(dir) = generated_vault(120) else {
        return;
    };
    let (site, _) = build(dir.path());
    let view = site.view();
    let kept = isokb::search::build(&view);
    let mut want: Files = kept
        .files
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    want.insert(
        isokb::search::MANIFEST.to_string(),
        kept.manifest.into_bytes(),
    );
    let got = std::sync::Mutex::new(Files::new());
    let n = isokb::search::write_all(&view, &|path: &str, bytes: Vec<u8>| {
        let old = got.lock().unwrap().insert(path.to_string(), bytes);
        assert!(old.is_none(), "{path} written twice");
    });
    let got = got.into_inner().unwrap();
    assert!(want.len() > 40, "{} files", want.len());
    assert_eq!(n, got.len());
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &want {
        assert!(got[path] == *bytes, "{path} differs");
    }
}

/// A theme's own explorer macro, drawn in full on every page from
/// `reader.explorer` (what the default theme's `reader.html` held before its
/// explorer became `explorer.html` and `explorer_folder.html`).
const EXPLORER_MACRO: &str = r#"{% macro folder(f, more_notes, all_notes) %}
{% if f.expand %}<a class="folder-name" href="{{ f.url }}"{% if f.current %} aria-current="page"{% endif %}>{{ f.name | wbr | safe }}</a><details{% if f.open %} open{% endif %}><summary><span class="visually-hidden">{{ f.name }}</span></summary>
<ul>
{% if f.home %}<li><a class="folder-home" href="{{ f.home.url }}"{% if f.home.current %} aria-current="page"{% endif %}>{{ f.home.title | wbr | safe }}</a></li>{% endif %}
{% for c in f.folders %}<li>{{ self::folder(f=c, more_notes=more_notes, all_notes=all_notes) }}</li>{% endfor %}
{% for n in f.notes %}<li><a href="{{ n.url }}"{% if n.current %} aria-current="page"{% endif %}>{{ n.title | wbr | safe }}</a></li>{% endfor %}
{% if f.more %}<li class="more"><a href="{{ f.url }}">{% if f.notes %}{{ f.more }} {{ more_notes }}{% else %}{{ all_notes }} ({{ f.more }}){% endif %}</a></li>{% endif %}
</ul>
</details>{% else %}<a class="folder-link" href="{{ f.url }}">{{ f.name | wbr | safe }}</a>{% endif %}
{% endmacro folder %}
{% macro explorer(root, t) %}
<nav class="explorer" id="explorer" aria-label="{{ t.explorer }}">
<h2 class="explorer-title">{{ t.explorer }}</h2>
<ul class="explorer-tree">
{% for c in root.folders %}<li>{{ self::folder(f=c, more_notes=t.more_notes, all_notes=t.all_notes) }}</li>{% endfor %}
{% for n in root.notes %}<li><a href="{{ n.url }}"{% if n.current %} aria-current="page"{% endif %}>{{ n.title | wbr | safe }}</a></li>{% endfor %}
{% if root.more %}<li class="more"><a href="{{ root.url }}">{{ t.all_notes }} ({{ root.more }})</a></li>{% endif %}
</ul>
</nav>
{% endmacro explorer %}
"#;

/// The default theme draws the explorer with `explorer.html` and
/// `explorer_folder.html`, parts of it once per build and spliced into each
/// page; a theme may still draw it from `reader.explorer` with a macro of its
/// own. Both must give the same bytes, on a small site (whole tree, folder
/// notes, home) and on a large one (windows, "more" links, folders shown as
/// links), so the parts drawn once never show a page another page's state.
#[test]
fn the_explorer_drawn_in_parts_equals_the_whole_tree_drawn_by_a_macro() {
    let base = isokb::templates::Theme::default_source("templates/base.html").unwrap();
    let with_macro = base.replace(
        "{{ reader.explorer_html | safe }}",
        "{{ x::explorer(root=reader.explorer, t=t) }}",
    );
    let with_macro = format!("{{% import \"explorer_macro.html\" as x %}}{with_macro}");
    assert_ne!(base, with_macro, "base.html no longer draws explorer_html");
    for (name, notes) in [("small", 12usize), ("large", 340)] {
        let mut owned: Vec<(String, String)> = vec![
            (
                "site.toml".into(),
                "title = \"T & <co>\"\nlanguage = \"fr\"\n".into(),
            ),
            ("content/index.md".into(), "# Accueil\n".into()),
            (
                "content/Qualité/Qualité.md".into(),
                "# Qualité & co\n".into(),
            ),
            (
                "content/Qualité/Sous/Profond.md".into(),
                "# Profond\n".into(),
            ),
            ("content/Vide/Seul.md".into(), "# Seul\n".into()),
        ];
        for n in 0..notes {
            owned.push((
                format!(
                    "content/{}/Note {n:03} <{n}>.md",
                    ["Qualité", "Projets", "Projets/Lot \"1\""][n % 3]
                ),
                format!("# Note {n:03} & <{n}>\n\nTexte.\n"),
            ));
        }
        let refs: Vec<(&str, &str)> = owned
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let plain = tempfile::tempdir().unwrap();
        write_files(plain.path(), &refs);
        let themed = tempfile::tempdir().unwrap();
        write_files(themed.path(), &refs);
        write_files(
            themed.path(),
            &[
                ("themes/default/templates/base.html", with_macro.as_str()),
                (
                    "themes/default/templates/explorer_macro.html",
                    EXPLORER_MACRO,
                ),
            ],
        );
        let (_, a) = build(plain.path());
        let (_, b) = build(themed.path());
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        let mut pages = 0;
        for (path, bytes) in &a {
            if path.ends_with(".html") {
                let page = String::from_utf8_lossy(bytes);
                pages += usize::from(page.contains("<nav class=\"explorer\""));
                assert!(
                    *bytes == b[path],
                    "{name}: {path}\n--- in parts ---\n{page}\n--- macro ---\n{}",
                    String::from_utf8_lossy(&b[path])
                );
            }
        }
        assert!(pages > notes, "{name}: {pages} pages with an explorer");
    }
}

/// A long listing (past 100 notes) shows titles and days, not summaries; a
/// short one keeps them.
#[test]
fn long_listings_leave_summaries_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut owned: Vec<(String, String)> = vec![("site.toml".into(), String::new())];
    for n in 0..101 {
        owned.push((
            format!("content/Grand/Note {n:03}.md"),
            format!("---\ntags: [vaste]\n---\n# Note {n:03}\n\nRésumé numéro {n:03} de la note.\n"),
        ));
    }
    for n in 0..3 {
        owned.push((
            format!("content/Petit/Fiche {n}.md"),
            format!("---\ntags: [rare]\n---\n# Fiche {n}\n\nRésumé de la fiche {n}.\n"),
        ));
    }
    write_owned(dir.path(), &owned);
    let (_, files) = build(dir.path());
    for big in ["tags/vaste/index.html", "grand/index.html"] {
        let page = text(&files, big);
        assert_eq!(page.matches("<a class=\"internal\"").count(), 101, "{big}");
        assert!(!page.contains("class=\"summary\""), "{big}");
    }
    for small in ["tags/rare/index.html", "petit/index.html"] {
        let page = text(&files, small);
        assert!(
            page.contains("<p class=\"summary\">Résumé de la fiche 1.</p>"),
            "{small}: {page}"
        );
    }
}
