//! End-to-end tests of `isokb build` on fixture vaults and on `content/`.

mod common;

use common::*;
use isokb::diagnostics::Kind;
use std::process::Command;

fn kinds(site: &isokb::Site) -> Vec<(String, String)> {
    site.diagnostics
        .iter()
        .map(|d| (d.kind.name().to_string(), d.location()))
        .collect()
}

#[test]
fn links_fixture_resolves_every_form() {
    let dir = fixture("links");
    let (site, files) = build(dir.path());
    assert!(dead_links(&files).is_empty(), "{:#?}", dead_links(&files));
    let note = text(&files, "a/sub/note/index.html");
    let main = main_of(&note);
    assert!(
        main.contains("href=\"../../../qualite/reunion-du-3-mai/index.html\">Meeting</a>"),
        "alias link: {main}"
    );
    assert!(
        main.contains("href=\"../../../qualite/reunion-du-3-mai/index.html#role-et-missions\""),
        "{main}"
    );
    assert!(
        main.contains("href=\"../../../qualite/reunion-du-3-mai/index.html#^bloc-1\""),
        "{main}"
    );
    assert!(main.contains(">md link</a>"), "{main}");
    assert!(
        main.contains("<span class=\"unpublished-link\">Draft</span>"),
        "{main}"
    );
    assert!(main.contains("<span class=\"broken-link\""), "{main}");
    let found = kinds(&site);
    let expect = [
        ("broken-link", "/content/Qualité/Réunion du 3 mai.md:9:5"),
        ("broken-anchor", "/content/b/note.md:4:28"),
        ("broken-link", "/content/a/sub/note.md:2:74"),
        ("unpublished-link", "/content/a/sub/note.md:2:63"),
    ];
    for (k, loc) in expect {
        assert!(
            found.iter().any(|(fk, fl)| fk == k && fl.ends_with(loc)),
            "missing {k} at {loc}; found {found:#?}"
        );
    }
    let broken: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("[[Nowhere]]"))
        .collect();
    assert_eq!(broken.len(), 1, "one finding per wanted note");
    assert!(broken[0].message.contains("2 links in 1 notes"));
}

#[test]
fn drafts_leave_no_trace_in_the_output() {
    let dir = fixture("links");
    let (_, files) = build(dir.path());
    for (path, bytes) in &files {
        let s = String::from_utf8_lossy(bytes);
        assert!(!s.contains("Secret draft"), "draft text in {path}");
        assert!(!path.contains("draft"), "draft page {path}");
    }
    let b = text(&files, "b/note/index.html");
    assert!(!b.contains("Draft"), "a draft is nobody's backlink");
    let (_, with) = isokb::build_in_memory(
        dir.path(),
        &isokb::Overrides {
            drafts: true,
            ..Default::default()
        },
        &Default::default(),
    )
    .unwrap();
    assert!(with.contains_key("draft/index.html"));
}

#[test]
fn emitted_file_list_is_stable() {
    let dir = fixture("links");
    let (_, files) = build(dir.path());
    let list: Vec<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|p| !p.starts_with("_static/"))
        .collect();
    insta::assert_snapshot!("links_files", list.join("\n"));
}

#[test]
fn note_page_main_snapshot() {
    let dir = fixture("links");
    let (_, files) = build(dir.path());
    insta::assert_snapshot!(
        "links_reunion_main",
        mask_times(&main_of(&text(
            &files,
            "qualite/reunion-du-3-mai/index.html"
        )))
    );
}

#[test]
fn tags_nest_and_roll_up() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("a.md", "---\ntags: [norme/iso-9001]\n---\n# A\n"),
            (
                "b.md",
                "---\ntags: '#Norme'\n---\n# B\n#norme/iso-14001 text",
            ),
            (
                "c.md",
                "# C\n`#notatag` and #1984 and [x](https://e.org/#frag)",
            ),
        ],
    );
    let (site, files) = build(dir.path());
    let parent = text(&files, "tags/norme/index.html");
    assert!(
        parent.contains("#norme/iso-9001") && parent.contains("#norme/iso-14001"),
        "children listed"
    );
    assert!(
        parent.contains(">A</a>") && parent.contains(">B</a>"),
        "notes under children roll up"
    );
    assert!(files.contains_key("tags/norme/iso-9001/index.html"));
    assert!(
        !files
            .keys()
            .any(|k| k.contains("1984") || k.contains("notatag") || k.contains("frag")),
        "{:?}",
        files.keys()
    );
    assert_eq!(
        site.index.tags["norme"].name, "norme",
        "first casing seen wins (front matter of a.md)"
    );
    let all = text(&files, "tags/index.html");
    assert!(all.contains("depth-1"));
}

#[test]
fn real_world_front_matter_forms() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[
        ("bom.md", "\u{feff}---\ntitle: Avec BOM\n---\ntexte"),
        ("crlf.md", "---\r\ntitle: Fin CRLF\r\ntags: MOCs\r\naliases: Seul\r\n---\r\n# Ignored H1\r\ntexte\r\n"),
        ("empty.md", "---\n---\n# Titre vide\n"),
        ("none.md", "Pas de bloc."),
        ("mixed.md", "---\ntag: solo\nalias: [\"802.11\"]\ncssclass: wide\nsource:\n  -\n  - \"[[bom]]\"\ndate: 2024-01-03\nkanban-plugin: basic\nvide:\n---\n"),
        ("bad.md", "---\ntitle: [oops\n---\n# Bad\n"),
    ]);
    let (site, files) = build(dir.path());
    let titles: Vec<&str> = site.notes.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Bad", "Avec BOM", "Fin CRLF", "Titre vide", "mixed", "none"]
    );
    assert!(site.index.tags.contains_key("mocs") && site.index.tags.contains_key("solo"));
    let mixed = text(&files, "mixed/index.html");
    assert!(
        mixed.contains("<body class=\"kind-note wide\""),
        "cssclass reaches the body"
    );
    assert!(
        mixed.contains("<a class=\"internal\" href=\"../bom/index.html\">bom</a>"),
        "links in properties resolve"
    );
    assert!(mixed.contains("<dt>kanban-plugin</dt>"));
    assert!(
        files.contains_key("802-11/index.html"),
        "quoted numeric alias redirect"
    );
    let fm: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::FrontMatter)
        .collect();
    assert_eq!(fm.len(), 1);
    // libyaml notices the unclosed `[` where the block ends.
    let loc = fm[0].location();
    assert!(
        loc.ends_with("bad.md:2:8") || loc.ends_with("bad.md:3:1"),
        "{loc}"
    );
}

/// Property values as Obsidian shows them: URLs are links, booleans
/// read-only checkboxes, dates in the site's language, lists lists, and
/// `[[links]]` resolved; a `javascript:` value stays text.
#[test]
fn properties_show_links_checkboxes_dates_and_lists() {
    for (lang, date, when) in [
        ("fr", "15 mars 2024", "31 décembre 2024 à 09:05"),
        ("en", "March 15, 2024", "December 31, 2024, 09:05"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let toml = format!("language = \"{lang}\"\ncontent_dir = \".\"\n");
        write_files(
            dir.path(),
            &[
                ("site.toml", &toml),
                (
                    "a.md",
                    "---\nsource: https://www.iso.org/fr/normes.html\nsite: \"Voir www.iec.ch et [[b]]\"\nbad: \"javascript:alert(1)\"\napproved: true\narchived: false\npublished_on: 2024-03-15\nmeeting: 2024-12-31T09:05\nnot_a_date: ISO 9001:2015\nreviewers: [Alice, \"[[b]]\"]\nsee: \"[la note B](b.md) et [ISO](https://www.iso.org) ou [mal](javascript:alert(1))\"\n---\n# A\n",
                ),
                ("b.md", "# B\n"),
            ],
        );
        let (_, files) = build(dir.path());
        let page = text(&files, "a/index.html");
        let yes_no = if lang == "fr" {
            ("oui", "non")
        } else {
            ("yes", "no")
        };
        for want in [
            "<dd><a href=\"https://www.iso.org/fr/normes.html\">https://www.iso.org/fr/normes.html</a></dd>".to_string(),
            "<dd>Voir <a href=\"http://www.iec.ch\">www.iec.ch</a> et <a class=\"internal\" href=\"../b/index.html\">b</a></dd>".to_string(),
            "<dd>javascript:alert(1)</dd>".to_string(),
            format!("<dd><input type=\"checkbox\" class=\"prop-checkbox\" disabled checked aria-label=\"{}\"></dd>", yes_no.0),
            format!("<dd><input type=\"checkbox\" class=\"prop-checkbox\" disabled aria-label=\"{}\"></dd>", yes_no.1),
            format!("<dd><time datetime=\"2024-03-15\">{date}</time></dd>"),
            format!("<dd><time datetime=\"2024-12-31T09:05\">{when}</time></dd>"),
            "<dd>ISO 9001:2015</dd>".to_string(),
            "<dd><ul class=\"prop-list\"><li>Alice</li><li><a class=\"internal\" href=\"../b/index.html\">b</a></li></ul></dd>".to_string(),
            "<dd><a class=\"internal\" href=\"../b/index.html\">la note B</a> et <a href=\"https://www.iso.org\">ISO</a> ou [mal](javascript:alert(1))</dd>".to_string(),
        ] {
            assert!(page.contains(&want), "{lang}: {want}\n{page}");
        }
    }
}

#[test]
fn nfd_file_names_resolve_from_nfc_links() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("Re\u{301}union.md", "# Réunion NFD\n"),
            ("a.md", "[[Réunion]] et [[réunion]]"),
        ],
    );
    let (site, files) = build(dir.path());
    assert!(
        site.diagnostics.iter().all(|d| d.kind != Kind::BrokenLink),
        "{:?}",
        site.diagnostics
    );
    assert!(text(&files, "a/index.html").contains("href=\"../reunion/index.html\""));
}

#[test]
fn duplicate_basenames_prefer_the_same_folder_and_report_ambiguity() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("x/Note.md", "x"),
            ("y/Note.md", "y"),
            ("y/from-y.md", "[[Note]]"),
            ("z/from-z.md", "[[Note]]"),
        ],
    );
    let (site, files) = build(dir.path());
    assert!(text(&files, "y/from-y/index.html").contains("href=\"../../y/note/index.html\""));
    assert!(text(&files, "z/from-z/index.html").contains("href=\"../../x/note/index.html\""));
    let amb: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::AmbiguousLink)
        .collect();
    assert_eq!(
        amb.len(),
        1,
        "from y the same-folder note is not ambiguous: {amb:?}"
    );
    assert!(amb[0].path.ends_with("z/from-z.md"));
}

#[test]
fn alias_redirects_work_without_javascript() {
    let dir = fixture("links");
    let (_, files) = build(dir.path());
    let r = text(&files, "meeting/index.html");
    assert!(r.contains("<meta http-equiv=\"refresh\" content=\"0; url=../qualite/reunion-du-3-mai/index.html\">"), "{r}");
    assert!(r.contains("<a href=\"../qualite/reunion-du-3-mai/index.html\">"));
    assert!(!r.contains("<script"));
}

#[test]
fn redirects_made_in_rust_equal_the_theme_template() {
    // The built-in `redirect.html` is drawn in Rust; a theme's own copy of it
    // (here the same template with a comment, so Tera renders it) must give
    // the same bytes, with and without a canonical link.
    let dir = fixture("links");
    write_files(
        dir.path(),
        &[(
            "content/« Été » & <co>.md",
            "---\naliases: [\"L'été « chaud » & <b>\"]\n---\nx",
        )],
    );
    for base_url in [None, Some("https://kb.example.org/a&b/")] {
        let o = isokb::Overrides {
            base_url: base_url.map(Into::into),
            ..Default::default()
        };
        let (_, rust) = isokb::build_in_memory(dir.path(), &o, &Default::default()).unwrap();
        let custom = tempfile::tempdir().unwrap();
        copy_dir(dir.path(), custom.path());
        let template = isokb::templates::Theme::default_source("templates/redirect.html").unwrap();
        write_files(
            custom.path(),
            &[(
                "themes/default/templates/redirect.html",
                &format!("{{# the same #}}{template}"),
            )],
        );
        let (_, tera) = isokb::build_in_memory(custom.path(), &o, &Default::default()).unwrap();
        let redirects: Vec<&String> = rust
            .iter()
            .filter(|(_, b)| String::from_utf8_lossy(b).contains("http-equiv=\"refresh\""))
            .map(|(p, _)| p)
            .collect();
        assert!(redirects.len() >= 3, "{redirects:?}");
        assert!(
            redirects.iter().any(|p| p.starts_with("l-ete")),
            "{redirects:?}"
        );
        for p in redirects {
            assert_eq!(
                String::from_utf8_lossy(&rust[p]),
                String::from_utf8_lossy(&tera[p]),
                "{p} with base URL {base_url:?}"
            );
        }
    }
}

#[test]
fn user_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[
        ("x.md", "---\ntitle: \"<script>alert(1)</script>\"\naliases: [\"<img src=x onerror=alert(2)>\"]\ntags: [\"<b>\"]\n\"<i>prop</i>\": \"<u>v</u>\"\n---\n[[x|<em>ok</em>]]"),
        ("y.md", "[[x]]"),
    ]);
    let (_, files) = build(dir.path());
    for (path, bytes) in &files {
        let s = String::from_utf8_lossy(bytes);
        assert!(!s.contains("<script>alert"), "{path}");
        assert!(!s.contains("<img src=x"), "{path}");
        assert!(!s.contains("<i>prop"), "{path}");
        assert!(!s.contains("<u>v"), "{path}");
    }
}

#[test]
fn archetypes_select_their_template() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "org.md",
                "---\narchetype: organisation\npays: Suisse\n---\n# Org",
            ),
            ("n.md", "---\narchetype: inconnu\n---\n# N"),
        ],
    );
    let (_, files) = build(dir.path());
    assert!(text(&files, "org/index.html").contains("organisation-card"));
    let n = text(&files, "n/index.html");
    assert!(
        !n.contains("-card") && n.contains("class=\"note-body\""),
        "unknown archetype falls back to note.html"
    );
}

#[test]
fn theme_words_follow_the_language() {
    let dir = fixture("links");
    std::fs::write(dir.path().join("site.toml"), "language = \"fr\"\n").unwrap();
    let (_, files) = build(dir.path());
    let page = text(&files, "qualite/reunion-du-3-mai/index.html");
    assert!(page.contains("Rétroliens") && page.contains("<html lang=\"fr\">"));
    let dir = fixture("links");
    let (_, files) = build(dir.path());
    assert!(text(&files, "qualite/reunion-du-3-mai/index.html").contains("Backlinks"));
}

#[test]
fn sitemap_and_feed_only_with_a_base_url() {
    let dir = fixture("links");
    let (_, files) = build(dir.path());
    assert!(!files.contains_key("sitemap.xml") && !files.contains_key("atom.xml"));
    assert!(files.contains_key("robots.txt") && files.contains_key("404.html"));
    let o = isokb::Overrides {
        base_url: Some("https://example.org/kb/".into()),
        ..Default::default()
    };
    let (_, files) = isokb::build_in_memory(dir.path(), &o, &Default::default()).unwrap();
    let sitemap = text(&files, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/kb/qualite/reunion-du-3-mai/</loc>"),
        "{sitemap}"
    );
    let feed = text(&files, "atom.xml");
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"") && feed.contains("<entry")
    );
    assert!(!feed.contains("Secret draft"));
    assert!(text(&files, "robots.txt").contains("Sitemap: https://example.org/kb/sitemap.xml"));
    // The 404 page is served at any depth: with a base URL its links are
    // absolute, while the other pages keep theirs relative to their depth.
    let missing = text(&files, "404.html");
    for href in [
        "href=\"https://example.org/kb/_static/style.css\"",
        "href=\"https://example.org/kb/\"",
        "href=\"https://example.org/kb/tags/\"",
        "href=\"https://example.org/kb/graph/\"",
    ] {
        assert!(missing.contains(href), "{href} in {missing}");
    }
    let note = text(&files, "qualite/reunion-du-3-mai/index.html");
    assert!(
        note.contains("href=\"../../_static/style.css\"")
            && note.contains("href=\"../../tags/index.html\""),
        "{note}"
    );
    assert!(!note.contains("https://example.org/kb/_static"));
}

#[test]
fn dates_off_the_calendar_never_reach_the_feed_or_the_sitemap() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"Dates\"\nbase_url = \"https://example.org/kb/\"\n",
            ),
            (
                "content/Bon.md",
                "---\ndate: 2024-02-29\n---\nUne date juste.",
            ),
            (
                "content/Faux.md",
                "---\ndate: 2024-02-30\nmodified: 31/01/2024\n---\nDeux dates fausses.",
            ),
        ],
    );
    let (site, files) =
        isokb::build_in_memory(dir.path(), &Default::default(), &Default::default()).unwrap();
    let found: Vec<_> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::InvalidDate)
        .map(|d| {
            (
                d.path.rsplit('/').next().unwrap(),
                d.pos.map(|p| (p.line, p.col)),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("Faux.md", Some((2, 7))), ("Faux.md", Some((3, 11)))]
    );
    let feed = text(&files, "atom.xml");
    let sitemap = text(&files, "sitemap.xml");
    for xml in [&feed, &sitemap] {
        assert!(
            !xml.contains("2024-02-30") && !xml.contains("31/01"),
            "{xml}"
        );
    }
    assert!(
        feed.contains("<updated>2024-02-29T00:00:00Z</updated>"),
        "{feed}"
    );
    // Every stamp of the feed is a real RFC 3339 time.
    for stamp in feed.split("<updated>").skip(1) {
        let stamp = &stamp[..stamp.find('<').unwrap()];
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "{stamp}"
        );
    }
}

/// A few hundred notes shaped like real vaults: every internal href must lead somewhere.
#[test]
fn generated_vault_has_no_dead_internal_links() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = Vec::new();
    let folders = ["", "Projets", "Projets/Qualité", "Réunions", "Normes/ISO"];
    for i in 0..300 {
        let folder = folders[i % folders.len()];
        let name = format!(
            "{}Note {i} é{}",
            if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            },
            i % 7
        );
        let links: String = (1..6)
            .map(|k| {
                let j = (i * 7 + k * 13) % 330;
                match k % 5 {
                    0 => format!("[[Note {j} é{}|texte]] ", j % 7),
                    1 => format!("[[Note {j} é{}#Section 2]] ", j % 7),
                    2 => format!("![[Note {j} é{}#^b{j}]] ", j % 7),
                    3 => format!("[[Alias {j}]] "),
                    _ => format!("[md](Note%20{j}%20%C3%A9{}.md) ", j % 7),
                }
            })
            .collect();
        let body = format!(
            "---\ntags: [t{}/sub{}, '#all']\naliases: [Alias {i}]\ndate: 2024-01-{:02}\n---\n# Titre {i}\n\n> [!note] Callout\n> {links}\n\n## Section 2\n\nTexte ^b{i}\n\n![[img{}.png|200]] #inline{}\n",
            i % 4,
            i % 3,
            i % 28 + 1,
            i % 3,
            i % 5
        );
        files.push((format!("{name}.md"), body));
    }
    for i in 0..3 {
        files.push((format!("img{i}.png"), "PNG".into()));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(dir.path(), &refs);
    let (site, out) = build(dir.path());
    assert_eq!(site.notes.len(), 300);
    let dead = dead_links(&out);
    assert!(
        dead.is_empty(),
        "{} dead links, e.g. {:?}",
        dead.len(),
        &dead[..dead.len().min(5)]
    );
    assert!(
        site.diagnostics.iter().any(|d| d.kind == Kind::BrokenLink),
        "links to notes 300-329 are wanted notes"
    );
    assert!(out.contains_key("img0.png"));
}

#[test]
fn content_folder_builds_clean_with_the_binary() {
    // A copy outside the repository: how deep this clone's history goes
    // (a shallow CI clone is a `shallow-history` warning) is not content/'s business.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("content"), &out.path().join("content"));
    std::fs::copy(repo.join("site.toml"), out.path().join("site.toml")).unwrap();
    let target = out.path().join("site");
    let res = Command::new(bin())
        .args(["build", "--root"])
        .arg(out.path())
        .arg("--output")
        .arg(&target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success(), "{stderr}");
    assert!(
        stderr.contains("built") && stderr.contains(" 0 warnings"),
        "content/ must build without findings: {stderr}"
    );
    let files = files_under(&target);
    assert!(dead_links(&files).is_empty(), "{:?}", dead_links(&files));
    let iso = text(&files, "organisations/iso/index.html");
    assert!(iso.contains("Fiche d&#39;Identité") && iso.contains("data-callout=\"user\""));
    assert!(
        iso.contains("organisation-card"),
        "the organisation archetype template"
    );
    assert!(iso.contains("Genève"));
    assert!(
        files.contains_key("international-organization-for-standardization/index.html"),
        "English alias redirect"
    );
    assert!(files.contains_key(".isokb-output"));
    // Facts and links of the knowledge base itself.
    assert!(iso.contains("163"), "member count as a dated property");
    let norme = text(&files, "normes/iso-9001/index.html");
    assert!(norme.contains("norme-card"), "the norme archetype template");
    let gov = files
        .iter()
        .find(|(_, b)| String::from_utf8_lossy(b).contains("class=\"mermaid"))
        .map(|(p, _)| p.clone());
    assert!(gov.is_some(), "the governance diagram is rendered");
    // Every note is reachable from the home page within three clicks.
    let notes: Vec<&String> = files
        .keys()
        .filter(|p| {
            p.ends_with("/index.html") && !p.starts_with("tags/") && !p.starts_with("graph/")
        })
        .collect();
    let mut seen: std::collections::BTreeSet<String> = ["index.html".to_string()].into();
    let mut frontier = vec!["index.html".to_string()];
    for _ in 0..3 {
        let mut next = Vec::new();
        for page in &frontier {
            let html = String::from_utf8_lossy(&files[page]).into_owned();
            let main = main_of(&html);
            let dir = page.rfind('/').map_or("", |i| &page[..i]);
            for (i, _) in main.match_indices("href=\"") {
                let url = &main[i + 6..];
                let url = &url[..url.find('"').unwrap_or(0)];
                if url.contains("://") || url.starts_with('#') {
                    continue;
                }
                let url = url.split('#').next().unwrap_or("");
                let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
                for seg in url.split('/') {
                    match seg {
                        ".." => {
                            parts.pop();
                        }
                        "" | "." => {}
                        s => parts.push(s),
                    }
                }
                let target = parts.join("/");
                if files.contains_key(&target) && seen.insert(target.clone()) {
                    next.push(target);
                }
            }
        }
        frontier = next;
    }
    let unreached: Vec<&&String> = notes
        .iter()
        .filter(|p| !seen.contains(p.as_str()))
        .filter(|p| {
            // Alias redirects are not notes.
            !String::from_utf8_lossy(&files[p.as_str()]).contains("http-equiv=\"refresh\"")
        })
        .collect();
    assert!(
        unreached.is_empty(),
        "not reachable within three clicks: {unreached:?}"
    );
}

#[test]
fn output_safety_and_failed_builds_keep_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "[diagnostics]\nbroken-link = \"error\"\n"),
            ("content/a.md", "# A\n"),
        ],
    );
    let run = |args: &[&str]| {
        Command::new(bin())
            .arg("build")
            .arg("--root")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&[]).status.success());
    let index = dir.path().join("public/a/index.html");
    let before = std::fs::read(&index).unwrap();
    std::fs::write(dir.path().join("content/a.md"), "# A\n[[missing]]").unwrap();
    let res = run(&[]);
    assert_eq!(res.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("content/a.md:2:1: error[broken-link]"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&index).unwrap(),
        before,
        "previous output intact"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("isokb-new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The output may not be the vault, nor a folder of someone else's files.
    let res = run(&["--output", dir.path().join("content").to_str().unwrap()]);
    assert_eq!(res.status.code(), Some(2));
    std::fs::create_dir_all(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/keep.txt"), "x").unwrap();
    let res = run(&["--output", dir.path().join("mine").to_str().unwrap()]);
    assert_eq!(res.status.code(), Some(2));
    assert!(dir.path().join("mine/keep.txt").exists());
}

#[test]
fn output_paths_are_relative_to_the_working_folder_and_old_outputs_are_not_content() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("vault/a.md", "# A\n")]);
    std::fs::create_dir_all(dir.path().join("work")).unwrap();
    let res = Command::new(bin())
        .current_dir(dir.path().join("work"))
        .args(["build", "--root", "../vault", "--output", "site"])
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert!(
        dir.path().join("work/site/a/index.html").exists(),
        "relative to the working folder"
    );
    assert!(!dir.path().join("vault/site").exists());
    // An old output left inside the vault is skipped, not published as attachments.
    let res = Command::new(bin())
        .args(["build", "--root"])
        .arg(dir.path().join("vault"))
        .arg("--output")
        .arg(dir.path().join("vault/old"))
        .output()
        .unwrap();
    assert!(res.status.success());
    let res = Command::new(bin())
        .args(["build", "--root"])
        .arg(dir.path().join("vault"))
        .arg("--output")
        .arg(dir.path().join("out2"))
        .output()
        .unwrap();
    assert!(res.status.success());
    assert!(
        !dir.path().join("out2/old").exists(),
        "the old output is not content"
    );
}

#[test]
fn strict_turns_warnings_into_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("a.md", "[[missing]]")]);
    let out = dir.path().join("out");
    let run = |strict: bool| {
        let mut c = Command::new(bin());
        c.args(["build", "--root"])
            .arg(dir.path())
            .arg("--output")
            .arg(&out);
        if strict {
            c.arg("--strict");
        }
        c.output().unwrap()
    };
    assert!(
        run(false).status.success(),
        "a bare vault builds with warnings"
    );
    let res = run(true);
    assert_eq!(res.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&res.stderr)
        .contains("a.md:1:1: error[broken-link]: unresolved link `[[missing]]`"));
}

#[test]
fn config_errors_name_the_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"x\"\ntitel = \"y\"\n"),
            ("content/a.md", "x"),
        ],
    );
    let res = Command::new(bin())
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("site.toml:2:1: error[config]") && err.contains("titel"),
        "{err}"
    );
    // A root that is missing or a file is named as such, for every command.
    for (root, says) in [
        (dir.path().join("missing"), "cannot open the root folder"),
        (
            dir.path().join("site.toml"),
            "the root is a file, not a folder",
        ),
    ] {
        for cmd in ["build", "check", "serve"] {
            let res = Command::new(bin())
                .args([cmd, "--root"])
                .arg(&root)
                .output()
                .unwrap();
            assert_eq!(res.status.code(), Some(2), "{cmd}");
            let err = String::from_utf8_lossy(&res.stderr);
            assert!(
                err.contains(&format!("{}: error[config]: {says}", root.display()))
                    && err.contains("help: pass the folder"),
                "{cmd}: {err}"
            );
        }
    }
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("kb");
    let res = Command::new(bin()).arg("init").arg(&site).output().unwrap();
    assert!(res.status.success());
    let res = Command::new(bin())
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(res.status.success() && err.contains("0 warnings"), "{err}");
    assert!(site.join("public/first-note/index.html").exists());
    let again = Command::new(bin()).arg("init").arg(&site).output().unwrap();
    assert!(!again.status.success(), "init never overwrites");
}

#[test]
fn check_writes_nothing() {
    let dir = fixture("links");
    let res = Command::new(bin())
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(0), "warnings only");
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("warning[broken-link]") && err.contains("checked 5 notes"),
        "{err}"
    );
    assert!(!dir.path().join("public").exists());
}

/// `build` renders ahead only the notes render can report on and the others
/// as it writes their pages (`RenderMode::Reporting`); `serve` renders every
/// note first. Both must write the same bytes, findings included.
#[test]
fn build_to_disk_writes_what_the_full_render_writes() {
    for name in [
        "render-all",
        "render-embeds",
        "links",
        "render-code",
        "render-bases",
    ] {
        let dir = fixture(name);
        let out = tempfile::tempdir().unwrap();
        let o = isokb::Overrides {
            output: Some(out.path().join("site")),
            base_url: Some("https://kb.example.org/docs/".into()),
            ..Default::default()
        };
        let report = isokb::build(dir.path(), &o).unwrap();
        assert!(report.emitted.is_some(), "{name}: not written");
        let (full, memory) = isokb::build_in_memory(dir.path(), &o, &Default::default()).unwrap();
        let show = |s: &isokb::Site| -> Vec<String> {
            s.diagnostics
                .iter()
                .map(|d| format!("{:?} {} {:?} {}", d.kind, d.path, d.pos, d.message))
                .collect()
        };
        assert_eq!(show(&report.site), show(&full), "{name}: findings");
        let site = out.path().join("site");
        let disk: std::collections::BTreeMap<String, Vec<u8>> = walkdir::WalkDir::new(&site)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&site).unwrap();
                (
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .filter(|(p, _)| p != ".isokb-output")
            .collect();
        assert_eq!(
            disk.keys().collect::<Vec<_>>(),
            memory.keys().collect::<Vec<_>>(),
            "{name}: file list"
        );
        assert!(
            disk.contains_key("atom.xml"),
            "{name}: the feed shows rendered notes"
        );
        for (path, bytes) in &memory {
            assert!(disk[path] == *bytes, "{name}: {path} differs");
        }
    }
}

/// Builds `root` in memory with the built-in theme and with a theme whose
/// `note.html`, `tag.html`, `folder.html`, `explorer_folder.html` and
/// `explorer_note.html` are the built-in ones plus a mark: the templates are
/// the theme's only source, so every page of each kind (and every explorer
/// folder and note) shows the mark, and
/// the pages are otherwise the same bytes.
/// Returns the pages of the last build with the built-in theme.
fn pages_come_from_the_theme_templates(
    root: &std::path::Path,
    at_least: usize,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut last = Default::default();
    let custom = tempfile::tempdir().unwrap();
    copy_dir(root, custom.path());
    let marks = [
        ("note.html", "<!--mark:note-->"),
        ("tag.html", "<!--mark:tag-->"),
        ("folder.html", "<!--mark:folder-->"),
        ("explorer_folder.html", "<!--mark:explorer-->"),
        ("explorer_note.html", "<!--mark:explorer-note-->"),
    ];
    for (name, mark) in marks {
        let template =
            isokb::templates::Theme::default_source(&format!("templates/{name}")).unwrap();
        let marked = if template.contains("{% block content %}") {
            template.replacen(
                "{% block content %}",
                &format!("{{% block content %}}{mark}"),
                1,
            )
        } else {
            format!("{mark}{template}")
        };
        write_files(
            custom.path(),
            &[(&format!("themes/default/templates/{name}"), &marked)],
        );
    }
    let live = isokb::emit::EmitOptions {
        live_reload: Some("<script>/* « live » */</script>".into()),
    };
    for base_url in [None, Some("https://kb.example.org/a&b/")] {
        for opts in [isokb::emit::EmitOptions::default(), live.clone()] {
            let o = isokb::Overrides {
                base_url: base_url.map(Into::into),
                ..Default::default()
            };
            let (_, plain) = isokb::build_in_memory(root, &o, &opts).unwrap();
            let (_, marked) = isokb::build_in_memory(custom.path(), &o, &opts).unwrap();
            assert_eq!(
                plain.keys().collect::<Vec<_>>(),
                marked.keys().collect::<Vec<_>>()
            );
            let mut kinds = std::collections::BTreeMap::new();
            for (path, bytes) in &plain {
                let page = String::from_utf8_lossy(bytes);
                // A bare vault's title is its folder's name, which differs.
                let name = |p: &std::path::Path| {
                    std::fs::canonicalize(p)
                        .ok()
                        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                        .unwrap_or_default()
                };
                let other = String::from_utf8_lossy(&marked[path])
                    .replace(&name(custom.path()), &name(root));
                for kind in ["note", "tag", "folder"] {
                    let body = format!("<body class=\"kind-{kind}");
                    let of_kind = page.match_indices(&body).any(|(i, m)| {
                        matches!(page.as_bytes().get(i + m.len()), Some(b'"' | b' '))
                    });
                    if of_kind {
                        *kinds.entry(kind).or_insert(0) += 1;
                        let mark = format!("<!--mark:{kind}-->");
                        assert!(other.contains(&mark), "{path}: no {mark}\n{other}");
                    }
                }
                let explorer = page
                    .split_once("<nav class=\"explorer\"")
                    .map_or("", |(_, e)| e.split_once("</nav>").map_or(e, |(e, _)| e));
                let folders = explorer.matches("class=\"folder-link\"").count()
                    + explorer.matches("class=\"folder-name\"").count();
                assert_eq!(
                    other.matches("<!--mark:explorer-->").count(),
                    folders,
                    "{path}: every explorer folder drawn by explorer_folder.html"
                );
                assert_eq!(
                    other.matches("<!--mark:explorer-note-->").count(),
                    explorer.matches("<li><a href=").count(),
                    "{path}: every note of the explorer drawn by explorer_note.html"
                );
                let unmarked = marks
                    .iter()
                    .fold(other.to_string(), |t, (_, m)| t.replace(m, ""));
                assert_eq!(
                    page, unmarked,
                    "{path} with base URL {base_url:?}, live reload {:?}",
                    opts.live_reload
                );
            }
            assert!(
                kinds.get("note").copied().unwrap_or(0) >= at_least,
                "{kinds:?}"
            );
            assert!(
                kinds.contains_key("tag") && kinds.contains_key("folder"),
                "{kinds:?}"
            );
            last = plain;
        }
    }
    last
}

#[test]
fn note_tag_and_folder_pages_are_drawn_by_the_theme_templates() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "content/Été « chaud »/Été « chaud ».md",
                "---\ndescription: \"L'été & <b>\"\ncssclasses: [wide, \"x<y\"]\ntags: [\"été/août\", a&b]\n\
                 source: \"[[Guide d'accueil]]\"\nniveau: 3\n---\n# Été\n\n## Départ & <retour>\n\n\
                 Voir [[Guide d'accueil]] et [[Nulle part]].\n\n### Détail\n\ntexte #tag/sous",
            ),
            (
                "content/Été « chaud »/Guide d'accueil.md",
                "---\ndate: 2024-05-03\n---\nRésumé « court » & <i>net</i>.\n\n[[Été « chaud »]]",
            ),
            ("content/Été « chaud »/Zèbre.md", "---\ndate: 2024-06-01\n---\nseul"),
            ("content/Été « chaud »/Sous/Note.md", "[[Zèbre]]"),
            ("content/Racine.md", "---\naliases: [Base]\n---\nsans lien"),
            // A folder's own note: its page lists the folder.
            ("content/Sous « dossier ».md", "La note du dossier."),
            (
                "content/Sous « dossier »/Fille.md",
                "---\ndate: 2024-01-02\n---\nfille",
            ),
            ("content/Sous « dossier »/Petit/Enfant.md", "enfant"),
        ],
    );
    let pages = pages_come_from_the_theme_templates(dir.path(), 5);
    let folder_note = String::from_utf8_lossy(&pages["content/sous-dossier/index.html"]);
    assert!(
        folder_note.contains("kind-note") && folder_note.contains("folder-listing"),
        "{folder_note}"
    );
}

#[test]
fn the_knowledge_base_in_content_is_drawn_by_the_theme_templates() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("content"), &dir.path().join("content"));
    std::fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).unwrap();
    pages_come_from_the_theme_templates(dir.path(), 50);
}

/// `[[Note|label]]` in a table row (the pipe not escaped, as Obsidian users
/// write it): the link renders, the row keeps every cell, and `table-pipe`
/// says where the pipe is.
#[test]
fn an_aliased_wikilink_in_a_table_row_keeps_the_link_and_every_cell() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"Normes\"\nlanguage = \"fr\"\n"),
            ("content/ISO 9001.md", "# ISO 9001\n"),
            (
                "content/Normes.md",
                "# Normes\n\n| Norme | Rôle | Année |\n| --- | --- | --- |\n| [[ISO 9001|La 9001]] | qualité | 2015 |\n| [[ISO 9001\\|échappée]] | b | c |\n\n> [!note] Dans un encadré\n> | [[ISO 9001|Encadrée]] | x |\n> |---|---|\n",
            ),
        ],
    );
    let (site, files) = build(dir.path());
    let page = main_of(&text(&files, "normes/index.html"));
    let rows: Vec<&str> = page.split("<tr>").skip(1).collect();
    assert_eq!(rows.len(), 4, "{page}");
    for row in &rows[1..3] {
        assert_eq!(row.matches("<td").count(), 3, "{row}");
    }
    assert!(
        rows[1].contains("href=\"../iso-9001/index.html\">La 9001</a>"),
        "{}",
        rows[1]
    );
    assert!(rows[1].contains(">qualité</td>") && rows[1].contains(">2015</td>"));
    assert!(rows[2].contains(">échappée</a>"), "{}", rows[2]);
    assert!(page.contains(">Encadrée</a>"), "{page}");
    assert!(!page.contains("[[") && !page.contains("]]"), "{page}");
    let pipes: Vec<String> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::TablePipe)
        .map(|d| d.location())
        .collect();
    assert_eq!(pipes.len(), 2, "{:?}", site.diagnostics);
    assert!(
        pipes[0].ends_with("Normes.md:5:13") && pipes[1].ends_with("Normes.md:9:15"),
        "{pipes:?}"
    );
}

/// `\#mot` is the text `#mot`, not a tag (Obsidian's escape); `#vrai` beside
/// it stays a tag.
#[test]
fn an_escaped_hash_is_text_and_makes_no_tag() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"T\"\n"),
            (
                "content/Note.md",
                "# Note\n\nLe numéro \\#42b et \\#mot, puis #vrai.\n\n\\#début\n",
            ),
        ],
    );
    let (_, files) = build(dir.path());
    let page = main_of(&text(&files, "note/index.html"));
    assert!(
        page.contains("Le numéro #42b et #mot, puis <a") && page.contains("<p>#début</p>"),
        "{page}"
    );
    assert!(files.contains_key("tags/vrai/index.html"));
    let tags: Vec<&String> = files.keys().filter(|k| k.starts_with("tags/")).collect();
    assert_eq!(
        tags,
        vec!["tags/index.html", "tags/vrai/index.html"],
        "{tags:?}"
    );
}

/// A heading named like an element of the theme (`## Content` and the
/// page's `<main id="content">`) gets an id of its own, and links reach it.
#[test]
fn a_heading_named_like_a_theme_element_is_reachable() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"T\"\n"),
            ("content/A.md", "# A\n\n## Content\n\ntexte\n"),
            ("content/B.md", "# B\n\n[[A#Content]]\n"),
        ],
    );
    let (_, files) = build(dir.path());
    let a = text(&files, "a/index.html");
    assert_eq!(a.matches("id=\"content\"").count(), 1, "{a}");
    assert!(a.contains("id=\"content-1\""), "{a}");
    let b = main_of(&text(&files, "b/index.html"));
    assert!(b.contains("href=\"../a/index.html#content-1\""), "{b}");
}

/// `scripts/fidelity.py` (the scan of a built site for Obsidian syntax a
/// reader would see raw) finds nothing on `content/` and on the note with
/// every construct, and does find text written raw on purpose.
#[test]
fn the_fidelity_scan_finds_no_raw_syntax() {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/fidelity.py");
    let run = |root: &std::path::Path| {
        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        isokb::build(
            root,
            &isokb::Overrides {
                output: Some(site.clone()),
                ..Default::default()
            },
        )
        .expect("build");
        let o = std::process::Command::new("python3")
            .arg(&script)
            .arg(&site)
            .output()
            .expect("python3");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render-all");
    for root in [content.to_path_buf(), all] {
        let (code, out, err) = run(&root);
        assert_eq!(code, Some(0), "{}: {out}{err}", root.display());
        assert!(!err.starts_with("0 note pages"), "{err}");
    }
    let raw = tempfile::tempdir().unwrap();
    write_files(
        raw.path(),
        &[(
            "index.md",
            "# Raw\n\nWritten raw: \\[\\[Note\\]\\] and \\%\\%.\n",
        )],
    );
    let (code, out, _) = run(raw.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("wikilink: ") && out.contains("comment: "),
        "{out}"
    );
}

#[test]
fn listings_follow_french_collation_numbers_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = vec![("site.toml", "title = \"Ordre\"\nlanguage = \"fr\"\n")];
    let notes = [
        ("content/f/Systèmes.md", "S"),
        ("content/f/Évaluation.md", "É"),
        ("content/f/Série.md", "S"),
        ("content/f/Carte.md", "C"),
        ("content/f/Chapitre 10.md", "10"),
        ("content/f/Chapitre 2.md", "2"),
        ("content/f/Zèbre.md", "---\norder: 1\n---\nZ"),
        (
            "content/Étiquettes.md",
            "#systèmes #Évaluation #carte #série #chapitre/10 #chapitre/2",
        ),
    ];
    files.extend(notes);
    write_files(dir.path(), &files);
    let (_, out) = build(dir.path());
    let want = [
        "Zèbre",
        "Carte",
        "Chapitre 2",
        "Chapitre 10",
        "Évaluation",
        "Série",
        "Systèmes",
    ];
    let at = |page: &str, t: &str| {
        page.find(&format!(">{t}<"))
            .unwrap_or_else(|| panic!("{t} not in {page}"))
    };
    // The folder's page, and the explorer of one of its notes.
    let folder = main_of(&text(&out, "f/index.html"));
    let note = text(&out, "f/carte/index.html");
    let explorer = &note[note.find("<nav class=\"explorer\"").expect("explorer")..];
    for page in [folder.as_str(), explorer] {
        let places: Vec<usize> = want.iter().map(|t| at(page, t)).collect();
        assert!(places.windows(2).all(|w| w[0] < w[1]), "{want:?} in {page}");
    }
    // The tags' page in the same order, children under their parent.
    let tags = main_of(&text(&out, "tags/index.html"));
    let places: Vec<usize> = [
        "carte",
        "chapitre",
        "chapitre/2",
        "chapitre/10",
        "Évaluation",
        "série",
        "systèmes",
    ]
    .iter()
    .map(|t| at(&tags, &format!("#{t}")))
    .collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{tags}");
    // Previous and next follow the same order.
    assert!(
        note.contains("rel=\"prev\"") && note.contains("Zèbre</span></a>"),
        "{note}"
    );
    assert!(
        note.contains("rel=\"next\"") && note.contains("Chapitre 2</span></a>"),
        "{note}"
    );
}

#[test]
fn empty_properties_are_hidden_and_keys_read_as_words() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"P\"\n"),
            (
                "content/Vide.md",
                "---\nrien:\nblanc: \"  \"\nliste: []\nlistes_vides: [\"\", null]\n---\nTexte.",
            ),
            (
                "content/Plein.md",
                "---\ndate_de_revue: 2024-03-15\nvide:\nresponsable: Marie\n---\nTexte.",
            ),
        ],
    );
    let (_, out) = build(dir.path());
    let empty = text(&out, "vide/index.html");
    assert!(!empty.contains("class=\"properties\""), "{empty}");
    let full = text(&out, "plein/index.html");
    assert!(
        full.contains("<dt>date de revue</dt>") && full.contains("<dt>responsable</dt>"),
        "{full}"
    );
    assert!(!full.contains("<dt>vide</dt>"), "{full}");
}

#[test]
fn the_stylesheet_styles_the_classes_footnotes_use() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"F\"\n"),
            ("content/F.md", "Texte[^1] et encore[^1].\n\n[^1]: La note."),
        ],
    );
    let (_, out) = build(dir.path());
    let page = text(&out, "f/index.html");
    let css = text(&out, "_static/style.css");
    for (class, tag) in [
        ("footnote-ref", "sup"),
        ("footnotes", "section"),
        ("footnote-backref", "a"),
    ] {
        assert!(
            page.contains(&format!("<{tag} class=\"{class}\"")),
            "{class} in {page}"
        );
        let selector = format!("{tag}.{class}");
        assert!(
            css.match_indices(&selector)
                .any(|(i, _)| css[i + selector.len()..].starts_with([' ', '{', ',', ':'])),
            "no rule for {selector}"
        );
    }
}

/// A bare vault (no `site.toml`) looks like its author's site: its folder's
/// name for a title, its `Home.md` for a home page, the language its notes
/// are written in, and a note's own `lang` on its page.
#[test]
fn a_bare_vault_takes_its_title_home_and_language_from_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("Wissensbasis Qualität");
    std::fs::create_dir_all(&vault).unwrap();
    write_files(
        &vault,
        &[
            (
                "Home.md",
                "# Willkommen\n\nDie Notizen der Abteilung und die Verfahren, die wir mit den Lieferanten teilen. Siehe [[Audit]].\n",
            ),
            (
                "Prozesse/Audit.md",
                "---\ntags: [qualität]\n---\n# Audit\n\nDas Audit prüft, ob die Verfahren eingehalten werden und ob die Nachweise vollständig sind.\n",
            ),
            (
                "Prozesse/Summary.md",
                "---\nlang: en\n---\n# Summary\n\nThe audit checks that the procedures are applied.\n",
            ),
        ],
    );
    let (site, files) = build(&vault);
    assert_eq!(site.config.title, "Wissensbasis Qualität");
    assert_eq!(site.language.code(), "de");
    let home = text(&files, "index.html");
    assert!(home.contains("<html lang=\"de\">"), "{home}");
    assert!(home.contains("Willkommen"), "the home page is Home.md");
    assert!(home.contains("Schlagwörter"), "German words");
    assert!(!files.contains_key("home/index.html"));
    let audit = text(&files, "prozesse/audit/index.html");
    assert!(audit.contains("<html lang=\"de\">") && audit.contains("Rückverweise"));
    let summary = text(&files, "prozesse/summary/index.html");
    assert!(
        summary.contains("<html lang=\"en\">"),
        "the note's own lang"
    );
}

/// A site adds a language with a data file in its theme; a language with no
/// words is an error naming `site.toml`'s line and the file to write.
#[test]
fn a_site_adds_a_language_with_a_data_file() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"KB\"\nlanguage = \"nl\"\n"),
            ("content/A.md", "# A\n\n2024-03-01\n"),
            (
                "themes/default/i18n/nl.toml",
                "[words]\ntags = \"Labels\"\nbacklinks = \"Terugverwijzingen\"\n",
            ),
        ],
    );
    let (site, files) = build(dir.path());
    assert_eq!(site.language.code(), "nl");
    let page = text(&files, "a/index.html");
    assert!(page.contains("<html lang=\"nl\">"));
    assert!(page.contains("Terugverwijzingen") && page.contains("Labels"));
    assert!(
        page.contains(">Home<"),
        "the words it leaves out are English"
    );
    std::fs::remove_file(dir.path().join("themes/default/i18n/nl.toml")).unwrap();
    let err = isokb::build_in_memory(
        dir.path(),
        &isokb::Overrides::default(),
        &Default::default(),
    )
    .err()
    .expect("no words for nl");
    assert!(err.message.contains("`nl`"), "{}", err.message);
    assert!(err.help.unwrap().contains("themes/default/i18n/nl.toml"));
}

/// Property keys read as the site says (`[labels]`), numbers as the
/// language writes them; years stay years.
#[test]
fn property_labels_come_from_site_toml_and_numbers_read_in_the_site_language() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"KB\"\nlanguage = \"fr\"\n[labels]\ndate_de_revue = \"Date de revue\"\n",
            ),
            (
                "content/A.md",
                "---\ndate_de_revue: 2026-01-05\nnombre_de_membres: 18500\nannée: 2024\ntaux: 3.5\n---\n# A\n",
            ),
        ],
    );
    let (_, files) = build(dir.path());
    let page = text(&files, "a/index.html");
    for want in [
        "<dt>Date de revue</dt>",
        "<dt>nombre de membres</dt><dd>18\u{202f}500</dd>",
        "<dd>2024</dd>",
        "<dd>3,5</dd>",
        "5 janvier 2026",
    ] {
        assert!(page.contains(want), "{want} in {page}");
    }
}

/// A link to any page pasted in a chat or a mail shows a card: Open Graph
/// and Twitter tags, absolute addresses only when the site's is known.
#[test]
fn every_page_carries_link_preview_tags() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"Base & co\"\nlanguage = \"fr\"\nbase_url = \"https://kb.example.org/qualite/\"\n",
            ),
            ("content/index.md", "# Accueil\n\nBienvenue.\n"),
            (
                "content/Audits/Audit interne.md",
                "---\ndescription: Vérifier que les procédures « vivent ».\n---\n# Audit interne\n\nTexte.\n",
            ),
        ],
    );
    let (_, files) = build(dir.path());
    let note = text(&files, "audits/audit-interne/index.html");
    for want in [
        "<meta property=\"og:title\" content=\"Audit interne\">",
        "<meta property=\"og:description\" content=\"Vérifier que les procédures « vivent ».\">",
        "<meta property=\"og:url\" content=\"https://kb.example.org/qualite/audits/audit-interne/\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:site_name\" content=\"Base &amp; co\">",
        "<meta property=\"og:locale\" content=\"fr_FR\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
    ] {
        assert!(note.contains(want), "{want} in {note}");
    }
    let home = text(&files, "index.html");
    assert!(home.contains("<meta property=\"og:type\" content=\"website\">"));
    assert!(home.contains("<meta property=\"og:url\" content=\"https://kb.example.org/qualite/\">"));
    // Without the site's address, no relative og:url.
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Base\"\nlanguage = \"fr\"\n",
    )
    .unwrap();
    let (_, files) = build(dir.path());
    assert!(!text(&files, "audits/audit-interne/index.html").contains("og:url"));
}

/// A note's `image`, `cover` or `banner` is its preview picture (a vault
/// image published with it, or a web address), else the site's `image`;
/// `robots: noindex` and the site's `noindex` keep pages out of search engines.
#[test]
fn previews_show_a_picture_and_noindex_keeps_pages_out_of_search_engines() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"Base\"\nbase_url = \"https://kb.example.org/\"\nimage = \"img/Logo site.png\"\n",
            ),
            ("content/index.md", "# Home\n"),
            ("content/img/Logo site.png", "png"),
            ("content/img/Couverture.png", "png"),
            ("content/img/Unused.png", "png"),
            (
                "content/Audit.md",
                "---\ncover: \"[[Couverture.png]]\"\n---\n# Audit\n",
            ),
            (
                "content/Web.md",
                "---\nimage: https://cdn.example.org/a.jpg\nrobots: noindex\n---\n# Web\n",
            ),
            ("content/Plain.md", "---\nbanner: \"[[Unused missing.png]]\"\n---\n# Plain\n"),
        ],
    );
    let (_, files) = build(dir.path());
    let audit = text(&files, "audit/index.html");
    assert!(
        audit.contains(
            "<meta property=\"og:image\" content=\"https://kb.example.org/img/couverture.png\">"
        ),
        "{audit}"
    );
    assert!(audit.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(!audit.contains("name=\"robots\""));
    let web = text(&files, "web/index.html");
    assert!(web.contains("<meta property=\"og:image\" content=\"https://cdn.example.org/a.jpg\">"));
    assert!(web.contains("<meta name=\"robots\" content=\"noindex\">"));
    // No picture of its own: the site's, which is published though no note uses it.
    for page in ["plain/index.html", "index.html", "tags/index.html"] {
        assert!(
            text(&files, page).contains(
                "<meta property=\"og:image\" content=\"https://kb.example.org/img/logo-site.png\">"
            ),
            "{page}"
        );
    }
    assert!(files.contains_key("img/logo-site.png") && !files.contains_key("img/unused.png"));
    assert_eq!(
        text(&files, "robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://kb.example.org/sitemap.xml\n"
    );
    // The whole site out of search engines.
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Base\"\nnoindex = true\n",
    )
    .unwrap();
    let (_, files) = build(dir.path());
    assert_eq!(text(&files, "robots.txt"), "User-agent: *\nDisallow: /\n");
    for page in ["audit/index.html", "index.html", "tags/index.html"] {
        let html = text(&files, page);
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{page}"
        );
        // Without base_url there is no absolute address for a vault image.
        assert!(!html.contains("og:image"), "{page}");
    }
}

/// `favicon` and `logo` in `site.toml` name images of the vault: the
/// browser tab's icon and a logo before the title in the header, on every
/// page, published though no note uses them.
#[test]
fn the_site_names_its_favicon_and_logo() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"Base\"\nfavicon = \"img/icône.png\"\nlogo = \"[[Logo.svg]]\"\n",
            ),
            ("content/index.md", "# Home\n"),
            ("content/Sub/Note.md", "# Note\n"),
            ("content/img/icône.png", "png"),
            (
                "content/img/Logo.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            ),
        ],
    );
    let (_, files) = build(dir.path());
    assert!(files.contains_key("img/icone.png") && files.contains_key("img/logo.svg"));
    let note = text(&files, "sub/note/index.html");
    assert!(
        note.contains("<link rel=\"icon\" href=\"../../img/icone.png\">"),
        "{note}"
    );
    assert!(note.contains("<a class=\"site-title\" href=\"../../index.html\"><img class=\"site-logo\" src=\"../../img/logo.svg\" alt=\"\" width=\"28\" height=\"28\">Base</a>"));
    assert!(text(&files, "index.html").contains("<link rel=\"icon\" href=\"img/icone.png\">"));
    // Without them, the theme's icon and no logo.
    std::fs::write(dir.path().join("site.toml"), "title = \"Base\"\n").unwrap();
    let (_, files) = build(dir.path());
    let home = text(&files, "index.html");
    assert!(
        home.contains("<link rel=\"icon\" href=\"_static/favicon.svg\">")
            && !home.contains("site-logo")
    );
}

/// Runs git in `dir` with fixed dates and names, and fails the test when git does.
fn git(dir: &std::path::Path, when: &str, who: &str, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            &format!("user.name={who}"),
            "-c",
            "user.email=kb@example.org",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Builds `root` with the binary; the site's files and what it printed.
fn build_with_binary(
    root: &std::path::Path,
) -> (std::collections::BTreeMap<String, Vec<u8>>, String) {
    let res = Command::new(bin())
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&res.stderr).into_owned();
    assert!(res.status.success(), "{stderr}");
    (files_under(&root.join("public")), stderr)
}

/// Every file under `dir`, by its `/`-separated path from there.
fn files_under(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    files
}

/// Issue 22: in a git work tree, a note's dates are its history's (renames
/// followed, the author's own day), front matter winning; the page says
/// when and by whom, links to its source; the feed and sitemap follow. A
/// shallow clone says so once and falls back to the files' times.
#[test]
fn dates_come_from_the_git_history() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("kb");
    std::fs::create_dir_all(&repo).unwrap();
    write_files(
        &repo,
        &[
            (
                "site.toml",
                "title = \"Base\"\nlanguage = \"fr\"\nbase_url = \"https://kb.example.org/\"\nshow_author = true\nedit_url = \"https://git.example/kb/edit/main/{path}\"\nhistory_url = \"https://git.example/kb/commits/main/{path}\"\n",
            ),
            ("content/Alpha.md", "# Alpha\n\nVoir [[Nouveau]] et [[Daté]].\n"),
            ("content/dossier/Ancien.md", "# Nouveau\n\nTexte d’origine.\n"),
            ("content/dossier/Autre.md", "# Autre\n\nVoir [[Alpha]].\n"),
            (
                "content/Daté.md",
                "---\ndate: 2020-05-01\nupdated: 2021-06-02\n---\n# Daté\n\nTexte.\n",
            ),
        ],
    );
    git(&repo, "2025-03-10T10:00:00+01:00", "Ana", &["init", "-q"]);
    git(&repo, "2025-03-10T10:00:00+01:00", "Ana", &["add", "-A"]);
    git(
        &repo,
        "2025-03-10T10:00:00+01:00",
        "Ana",
        &["commit", "-qm", "Premières notes"],
    );
    git(
        &repo,
        "2026-11-21T23:30:00-05:00",
        "Bob",
        &[
            "mv",
            "content/dossier/Ancien.md",
            "content/dossier/Nouveau.md",
        ],
    );
    std::fs::write(
        repo.join("content/dossier/Nouveau.md"),
        "# Nouveau\n\nTexte d’origine.\n\nUne ligne de plus.\n",
    )
    .unwrap();
    git(
        &repo,
        "2026-11-21T23:30:00-05:00",
        "Bob",
        &["commit", "-qam", "Renommée"],
    );
    // Not committed yet: its file's time.
    write_files(
        &repo,
        &[("content/Brouillon.md", "# Brouillon\n\nVoir [[Alpha]].\n")],
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();

    let (files, stderr) = build_with_binary(&repo);
    assert!(stderr.contains(" 0 warnings"), "{stderr}");
    let moved = text(&files, "dossier/nouveau/index.html");
    assert!(
        moved.contains("Mis à jour le <time datetime=\"2026-11-21\">21 novembre 2026</time> par <span class=\"note-author\">Bob</span>"),
        "the author's day (22 November in UTC): {moved}"
    );
    assert!(moved.contains("href=\"https://git.example/kb/edit/main/content/dossier/Nouveau.md\""));
    assert!(
        moved.contains("<meta property=\"article:published_time\" content=\"2025-03-10\">")
            && moved.contains("<meta property=\"article:modified_time\" content=\"2026-11-21\">"),
        "link previews carry both days"
    );
    assert!(
        moved.contains("href=\"https://git.example/kb/commits/main/content/dossier/Nouveau.md\"")
    );
    let alpha = text(&files, "alpha/index.html");
    assert!(alpha.contains("<time datetime=\"2025-03-10\">10 mars 2025</time> par <span class=\"note-author\">Ana</span>"), "{alpha}");
    let dated = text(&files, "date/index.html");
    assert!(
        dated.contains("Mis à jour le <time datetime=\"2021-06-02\">2 juin 2021</time></p>"),
        "the front matter wins, and no author goes with its date: {dated}"
    );
    let draft = text(&files, "brouillon/index.html");
    assert!(
        draft.contains(&format!("<time datetime=\"{today}\">")),
        "{draft}"
    );
    let sitemap = text(&files, "sitemap.xml");
    for (page, day) in [
        ("dossier/nouveau/", "2026-11-21"),
        ("alpha/", "2025-03-10"),
        ("date/", "2021-06-02"),
        ("brouillon/", today.as_str()),
    ] {
        assert!(
            sitemap.contains(&format!(
                "<loc>https://kb.example.org/{page}</loc><lastmod>{day}</lastmod>"
            )),
            "{page} {day}: {sitemap}"
        );
    }
    let feed = text(&files, "atom.xml");
    let entry = &feed[feed.find("dossier/nouveau/").unwrap()..];
    let entry = &entry[..entry.find("</entry>").unwrap()];
    assert!(
        entry.contains("<updated>2026-11-21T23:30:00-05:00</updated>"),
        "{entry}"
    );
    assert!(
        entry.contains("<published>2025-03-10T00:00:00Z</published>"),
        "created by the first commit, under its old name: {entry}"
    );
    let folder = text(&files, "dossier/index.html");
    assert_eq!(
        folder.matches("<time datetime=").count(),
        2,
        "two days, shown: {folder}"
    );

    // A shallow clone: one finding, then the checkout's times.
    let url = format!("file://{}", repo.display());
    git(
        dir.path(),
        "2026-12-01T00:00:00Z",
        "Ci",
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let (files, stderr) = build_with_binary(&dir.path().join("shallow"));
    assert_eq!(stderr.matches("shallow-history").count(), 1, "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    let alpha = text(&files, "alpha/index.html");
    assert!(
        alpha.contains(&format!("<time datetime=\"{today}\">")) && !alpha.contains("note-author"),
        "{alpha}"
    );
    let folder = text(&files, "dossier/index.html");
    assert!(
        !folder.contains("<time datetime="),
        "one day for all is no date: {folder}"
    );
}

/// Issue 22: `llms = true` writes `llms.txt` (title, description, the
/// listed notes by folder, linked to their twins) and a clean Markdown twin
/// of each published note beside its page; drafts have none.
#[test]
fn llms_txt_lists_the_notes_and_each_has_a_markdown_twin() {
    let dir = tempfile::tempdir().unwrap();
    let site = "title = \"Base\"\ndescription = \"Tout sur les normes.\"\nlanguage = \"fr\"\nbase_url = \"https://kb.example.org/\"\n";
    write_files(
        dir.path(),
        &[
            ("site.toml", &format!("{site}llms = true\n")),
            ("content/index.md", "# Accueil\n\nBienvenue. Voir [[Note A]].\n"),
            (
                "content/Dossier/Note A.md",
                "---\ndescription: La première note.\ntags: [essai]\n---\n# Note A\n\nVoir [[Note B#Titre|la suite]], [[Brouillon]] et [le site](https://example.org).%%caché ici%%\n\n![[carte.png]]\n\n> [!note] Rappel\n> Un encadré.\n",
            ),
            ("content/Dossier/Note B.md", "# Note B\n\n## Titre\n\nTexte de B.\n"),
            ("content/Dossier/Brouillon.md", "---\ndraft: true\n---\n# Brouillon\n\nzorglub\n"),
            ("content/Dossier/Discret.md", "---\nunlisted: true\n---\n# Discret\n\nÀ part.\n"),
            ("content/Dossier/carte.png", "\u{89}PNG"),
        ],
    );
    let (_, files) = build(dir.path());
    let llms = text(&files, "llms.txt");
    assert!(
        llms.starts_with("# Base\n\n> Tout sur les normes.\n\n"),
        "{llms}"
    );
    assert!(
        llms.contains("- [Accueil](https://kb.example.org/index.html.md): "),
        "{llms}"
    );
    assert!(
        llms.contains("## Dossier\n\n- [Note A](https://kb.example.org/dossier/note-a/index.html.md): La première note.\n- [Note B](https://kb.example.org/dossier/note-b/index.html.md)"),
        "{llms}"
    );
    assert!(
        !llms.contains("Brouillon") && !llms.contains("Discret"),
        "{llms}"
    );
    let a = text(&files, "dossier/note-a/index.html.md");
    assert!(a.starts_with("# Note A\n\n> La première note.\n\nVoir [la suite](https://kb.example.org/dossier/note-b/"), "{a}");
    assert!(
        a.contains("#titre), Brouillon et [le site](https://example.org)."),
        "{a}"
    );
    assert!(a.contains("![carte.png](https://kb.example.org/"), "{a}");
    assert!(a.contains("> [!note] Rappel\n> Un encadré.\n"), "{a}");
    assert!(!a.contains("caché") && !a.contains("[["), "{a}");
    assert!(
        files.contains_key("dossier/discret/index.html.md"),
        "reachable, as its page is"
    );
    assert!(!files.contains_key("dossier/brouillon/index.html.md"));
    assert!(!files
        .values()
        .any(|f| String::from_utf8_lossy(f).contains("zorglub")));
    // Off by default.
    write_files(dir.path(), &[("site.toml", site)]);
    let (_, files) = build(dir.path());
    assert!(!files.contains_key("llms.txt"));
    assert!(
        !files.keys().any(|k| k.ends_with(".md")),
        "{:?}",
        files
            .keys()
            .filter(|k| k.ends_with(".md"))
            .collect::<Vec<_>>()
    );
}

/// `redirects`: pages at aliases by default; the host's rules otherwise,
/// with the 404 page's alias table in every case.
#[test]
fn aliases_become_the_hosts_redirect_rules() {
    let notes: [(&str, &str); 3] = [
        ("content/index.md", "# Accueil\n"),
        (
            "content/Normes/ISO 9001.md",
            "---\naliases: [Qualité, Ancien nom]\n---\n# ISO 9001\n",
        ),
        (
            "content/Autre.md",
            "---\naliases: [Deuxième]\n---\n# Autre\n",
        ),
    ];
    let build_with = |toml: &str| {
        let dir = tempfile::tempdir().unwrap();
        let mut files = notes.to_vec();
        files.push(("site.toml", toml));
        write_files(dir.path(), &files);
        build(dir.path()).1
    };
    // By default, a page at each alias and no rules.
    let pages = build_with("title = \"KB\"\n");
    assert!(pages.contains_key("qualite/index.html"));
    assert!(pages.contains_key("ancien-nom/index.html"));
    assert!(!pages.contains_key("_redirects") && !pages.contains_key("vercel.json"));
    assert!(!pages.keys().any(|k| k.starts_with("_static/aliases/")));
    assert!(!text(&pages, "404.html").contains("alias-table"));

    let rules = "/kb/qualite/ /kb/normes/iso-9001/ 301\n/kb/ancien-nom/ /kb/normes/iso-9001/ 301\n/kb/deuxieme/ /kb/autre/ 301\n";
    for host in ["netlify", "cloudflare"] {
        let files = build_with(&format!(
            "title = \"KB\"\nbase_url = \"https://x.github.io/kb/\"\nredirects = \"{host}\"\n"
        ));
        let text_of = text(&files, "_redirects");
        let mut lines: Vec<&str> = text_of.lines().skip(1).collect();
        lines.sort_unstable();
        let mut want: Vec<&str> = rules.lines().collect();
        want.sort_unstable();
        assert_eq!(lines, want, "{host}: {text_of}");
        assert!(
            !files.contains_key("qualite/index.html"),
            "{host}: no page at an alias"
        );
        assert!(files.contains_key("normes/iso-9001/index.html"));
    }
    let vercel = build_with("title = \"KB\"\nredirects = \"vercel\"\n");
    let json: serde_json::Value = serde_json::from_str(&text(&vercel, "vercel.json")).unwrap();
    let redirects = json["redirects"].as_array().unwrap();
    assert_eq!(redirects.len(), 3, "{json}");
    assert!(redirects.contains(&serde_json::json!({
        "source": "/deuxieme/", "destination": "/autre/", "permanent": true
    })));
    // With no rules, the 404 page alone sends aliases on: its table.
    let none = build_with("title = \"KB\"\nredirects = \"none\"\n");
    assert!(!none.contains_key("_redirects") && !none.contains_key("ancien-nom/index.html"));
    let not_found = text(&none, "404.html");
    assert!(
        not_found.contains("<div id=\"alias-table\" data-shards=\"1\" hidden></div>"),
        "{not_found}"
    );
    let table = text(&none, "_static/aliases/0.js");
    let json = table
        .strip_prefix("window.ISOKB_ALIASES&&window.ISOKB_ALIASES(")
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap();
    let map: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        map,
        serde_json::json!({"qualite/": "normes/iso-9001/", "ancien-nom/": "normes/iso-9001/", "deuxieme/": "autre/"})
    );
    // A host isokb does not know is a configuration error at its line.
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"KB\"\nredirects = \"apache\"\n"),
            notes[0],
        ],
    );
    let err = isokb::config::Config::load(dir.path()).unwrap_err();
    assert_eq!(err.pos.map(|p| p.line), Some(2), "{err:?}");
    assert!(
        err.message.contains("netlify") && err.message.contains("apache"),
        "{err:?}"
    );
}
