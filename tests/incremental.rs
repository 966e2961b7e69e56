//! `serve`'s incremental rebuilds must give exactly what a full build gives.
//!
//! A generated vault is edited step by step (body, title, links, anchors,
//! tags, aliases, embeds, new and deleted notes). After each step the site
//! updated in place is compared with a site loaded from scratch: the index,
//! the findings and the rendered notes; and the pages served (the previous
//! pages with the selectively emitted ones written over them) are compared
//! with a full emit, file by file.

use isokb::emit::{emit, emit_some, EmitOptions, MemorySink};
use isokb::paths::VaultPath;
use isokb::templates::Theme;
use isokb::{load_config, load_site, Overrides, Site};
use std::collections::BTreeMap;
use std::path::Path;

type Files = BTreeMap<String, Vec<u8>>;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join("content").join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn note(i: usize, notes: usize) -> String {
    let tag = ["qualite", "iso/normes", "iso/casco", "gouvernance"][i % 4];
    let mut body = format!(
        "---\ntitle: Note {i:03}\ntags: [{tag}]\naliases: [N{i}]\n---\n\nPremier paragraphe de la note {i}.\n\n## Section {i}\n\nTexte ^b{i}\n\n"
    );
    for k in 1..=3 {
        let j = (i * 7 + k * 13) % notes;
        body.push_str(&format!("Voir [[n{j:03}]] et [[n{j:03}#Section {j}]].\n"));
    }
    if i.is_multiple_of(10) {
        body.push_str(&format!(
            "\n![[n{:03}#Section {}]]\n",
            (i + 1) % notes,
            (i + 1) % notes
        ));
    }
    body
}

/// `notes` notes in a few folders (the first folder large enough to window).
fn vault(notes: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/kb/\"\n",
    )
    .unwrap();
    for i in 0..notes {
        let folder = if i < notes / 2 {
            "a"
        } else {
            ["b", "c/d"][i % 2]
        };
        write(dir.path(), &format!("{folder}/n{i:03}.md"), &note(i, notes));
    }
    write(
        dir.path(),
        "c/index.md",
        "---\ntitle: Dossier C\n---\nLe dossier C. [[n001]]\n",
    );
    write(
        dir.path(),
        "index.md",
        "# Accueil\n\n[[n000]] [[Dossier C]]\n",
    );
    dir
}

fn fresh(root: &Path) -> Site {
    load_site(root, load_config(root, &Overrides::default()).unwrap()).unwrap()
}

fn full_files(site: &Site, theme: &Theme) -> Files {
    let sink = MemorySink::default();
    let (_, diags) = emit(&site.view(), theme, &sink, &EmitOptions::default());
    assert!(diags.is_empty(), "{diags:?}");
    sink.files.into_inner().unwrap()
}

struct Run {
    notes: usize,
    dir: tempfile::TempDir,
    site: Site,
    theme: Theme,
    files: Files,
    search: Option<isokb::search::SearchIndex>,
}

impl Run {
    fn new(notes: usize) -> Run {
        Run::on(vault(notes), notes)
    }

    fn on(dir: tempfile::TempDir, notes: usize) -> Run {
        let site = fresh(dir.path());
        let theme = Theme::load(dir.path(), &site.config.theme).unwrap();
        let sink = MemorySink::default();
        let mut search = None;
        emit_some(
            &site.view(),
            &theme,
            &sink,
            &EmitOptions::default(),
            None,
            Some(&mut search),
        );
        let files = sink.files.into_inner().unwrap();
        assert_eq!(files, full_files(&site, &theme));
        Run {
            notes,
            dir,
            site,
            theme,
            files,
            search,
        }
    }

    /// Applies an edit, updates in place, and compares with a fresh build.
    /// Returns how many pages the selective emit wrote (`None`: all).
    fn step(&mut self, what: &str, edit: impl FnOnce(&Path), changed: &[&str]) -> Option<usize> {
        let root = self.dir.path().to_path_buf();
        edit(&root.join("content"));
        let changed: Vec<VaultPath> = changed.iter().map(|p| VaultPath::new(p)).collect();
        let out = self.site.update_notes(&changed).unwrap();
        let expect = fresh(&root);
        assert_eq!(
            format!("{:?}", self.site.index),
            format!("{:?}", expect.index),
            "{what}: index"
        );
        assert_eq!(
            self.site.diagnostics, expect.diagnostics,
            "{what}: findings"
        );
        assert_eq!(
            format!("{:?}", self.site.rendered),
            format!("{:?}", expect.rendered),
            "{what}: rendered notes"
        );
        let sink = MemorySink::default();
        emit_some(
            &self.site.view(),
            &self.theme,
            &sink,
            &EmitOptions::default(),
            out.touched.as_ref(),
            Some(&mut self.search),
        );
        let written = sink.files.into_inner().unwrap();
        let pages = written.keys().filter(|k| k.ends_with(".html")).count();
        let full = full_files(&expect, &self.theme);
        let served: Files = match &out.touched {
            Some(_) => {
                let mut f = self.files.clone();
                f.extend(written);
                // Shards no longer named by the manifest may linger; nothing loads them.
                f.retain(|k, _| full.contains_key(k) || !k.starts_with("search/t/"));
                f
            }
            None => written,
        };
        let keys = |f: &Files| f.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&served), keys(&full), "{what}: file list");
        for (k, v) in &full {
            assert!(
                served[k] == *v,
                "{what}: `{k}` differs from a full build\n--- served\n{}\n--- full\n{}",
                String::from_utf8_lossy(&served[k]),
                String::from_utf8_lossy(v)
            );
        }
        self.files = full;
        eprintln!("{what}: {:?} pages", out.touched.as_ref().map(|_| pages));
        out.touched.map(|_| pages)
    }
}

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&p, t.replacen(from, to, 1)).unwrap();
}

fn edits(run: &mut Run, large: bool) {
    let last = run.notes - 1;
    let late = format!("{}/n{last:03}.md", ["b", "c/d"][last % 2]);
    let target = format!("[[n{:03}]] ", run.notes - 2);
    let body = run.step(
        "body edit",
        |c| {
            replace(
                c,
                "a/n002.md",
                "Premier paragraphe",
                "Tout premier paragraphe",
            )
        },
        &["a/n002.md"],
    );
    assert!(body.is_some(), "a body edit is selective");
    let tail = run.step(
        "edit at the end",
        |c| replace(c, &late, "Texte ^b", "Texte changé ^b"),
        &[&late],
    );
    if large {
        assert!(
            tail.unwrap() < 10,
            "a small edit writes few pages: {tail:?}"
        );
    }
    let retitle = run.step(
        "title change",
        |c| replace(c, "a/n005.md", "title: Note 005", "title: Zèbre « cinq »"),
        &["a/n005.md"],
    );
    assert!(retitle.is_some() || !large);
    run.step(
        "title back to the front",
        |c| replace(c, "a/n005.md", "title: Zèbre « cinq »", "title: Aardvark"),
        &["a/n005.md"],
    );
    // An `order` moves a note in its folder's listings with its title unchanged.
    run.step(
        "order set",
        |c| {
            replace(
                c,
                "a/n009.md",
                "title: Note 009",
                "title: Note 009\norder: 1",
            )
        },
        &["a/n009.md"],
    );
    run.step(
        "order removed",
        |c| {
            replace(
                c,
                "a/n009.md",
                "title: Note 009\norder: 1",
                "title: Note 009",
            )
        },
        &["a/n009.md"],
    );
    run.step(
        "new link",
        |c| {
            replace(
                c,
                "a/n003.md",
                "Premier paragraphe",
                &format!("{target}Premier paragraphe"),
            )
        },
        &["a/n003.md"],
    );
    run.step(
        "link removed",
        |c| replace(c, "a/n003.md", &target, ""),
        &["a/n003.md"],
    );
    run.step(
        "heading renamed (anchored links break)",
        |c| replace(c, "a/n001.md", "## Section 1", "## Partie 1"),
        &["a/n001.md"],
    );
    run.step(
        "embedded section edited",
        |c| replace(c, "a/n001.md", "Texte ^b1", "Texte embarqué ^b1"),
        &["a/n001.md"],
    );
    run.step(
        "date set",
        |c| {
            replace(
                c,
                "a/n012.md",
                "title: Note 012",
                "title: Note 012\ndate: 2031-05-04",
            )
        },
        &["a/n012.md"],
    );
    run.step(
        "description and a linked property",
        |c| {
            replace(
                c,
                "a/n013.md",
                "title: Note 013",
                "title: Note 013\ndescription: « Résumé » d'une note\nsource: \"[[n014]]\"",
            )
        },
        &["a/n013.md"],
    );
    run.step(
        "embedded note edited (embedders of embedders)",
        |c| replace(c, "a/n001.md", "Premier paragraphe", "Nouveau début"),
        &["a/n001.md"],
    );
    run.step(
        "block id removed",
        |c| replace(c, "a/n009.md", "Texte ^b9", "Texte"),
        &["a/n009.md"],
    );
    run.step(
        "broken link added",
        |c| {
            replace(
                c,
                "a/n014.md",
                "Premier paragraphe",
                "[[Nulle part]] [[n01]] Premier paragraphe",
            )
        },
        &["a/n014.md"],
    );
    run.step(
        "broken link fixed",
        |c| replace(c, "a/n014.md", "[[Nulle part]] [[n01]] ", "[[n015]] "),
        &["a/n014.md"],
    );
    run.step(
        "tag changed",
        |c| replace(c, "a/n004.md", "tags: [qualite]", "tags: [qualite/audit]"),
        &["a/n004.md"],
    );
    let moved = run.step(
        "tag moved to another existing tag (counts change)",
        |c| replace(c, "a/n016.md", "tags: [qualite]", "tags: [gouvernance]"),
        &["a/n016.md"],
    );
    assert!(
        moved.is_some(),
        "a retag between existing tags is selective"
    );
    run.step(
        "inline tag added",
        |c| {
            replace(
                c,
                "a/n006.md",
                "Premier paragraphe",
                "#nouveau Premier paragraphe",
            )
        },
        &["a/n006.md"],
    );
    run.step(
        "alias changed",
        |c| replace(c, "a/n007.md", "aliases: [N7]", "aliases: [Sept]"),
        &["a/n007.md"],
    );
    run.step(
        "folder note retitled",
        |c| replace(c, "c/index.md", "title: Dossier C", "title: Le dossier C"),
        &["c/index.md"],
    );
    run.step(
        "home edited",
        |c| replace(c, "index.md", "# Accueil", "# Bienvenue"),
        &["index.md"],
    );
    run.step(
        "draft",
        |c| {
            replace(
                c,
                "a/n008.md",
                "title: Note 008",
                "draft: true\ntitle: Note 008",
            )
        },
        &["a/n008.md"],
    );
    run.step(
        "note created",
        |c| std::fs::write(c.join("b/neuf.md"), "Nouvelle note [[n000]]").unwrap(),
        &["b/neuf.md"],
    );
    run.step(
        "note deleted",
        |c| std::fs::remove_file(c.join("b/neuf.md")).unwrap(),
        &["b/neuf.md"],
    );
    run.step(
        "two notes at once",
        |c| {
            replace(c, "a/n010.md", "Premier paragraphe", "Autre paragraphe");
            replace(c, "a/n011.md", "title: Note 011", "title: Onze");
        },
        &["a/n010.md", "a/n011.md"],
    );
}

#[test]
fn edits_on_a_large_site_give_what_a_full_build_gives() {
    // Over 300 notes: the explorer shows windows of a folder.
    let mut run = Run::new(320);
    edits(&mut run, true);
}

#[test]
fn edits_on_a_small_site_give_what_a_full_build_gives() {
    // Small sites: every page lists every note.
    let mut run = Run::new(40);
    edits(&mut run, false);
}

#[test]
fn a_note_whose_file_name_is_decomposed_is_read_again_after_an_edit() {
    // Files from macOS keep decomposed (NFD) names; vault paths are NFC.
    let mut run = Run::new(40);
    let nfd = "Re\u{301}union.md";
    let nfc = "R\u{e9}union.md";
    run.step(
        "add a note with an NFD name",
        |c| std::fs::write(c.join(nfd), "# Réunion\n\nPremier texte. [[n001]]\n").unwrap(),
        &[nfc],
    );
    assert!(
        run.site.notes.iter().any(|n| n.path.as_str() == nfc),
        "the note was not read"
    );
    run.step(
        "edit it",
        |c| replace(c, nfd, "Premier texte", "Second texte"),
        &[nfc],
    );
    let i = run
        .site
        .notes
        .iter()
        .position(|n| n.path.as_str() == nfc)
        .expect("the note is still there");
    let html = &run.site.rendered[i].as_ref().unwrap().html;
    assert!(html.contains("Second texte"), "{html}");
}

#[test]
fn edits_under_a_theme_showing_cards_and_counts_give_what_a_full_build_gives() {
    // A theme may show, on a note's page, the date and summary of the notes
    // linking to it and the counts of its tags (the default theme shows
    // titles only): the pages due after an edit must follow.
    let dir = vault(40);
    let theme = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("note.html"),
        "{{ page.title }}\n{% for b in page.backlinks %}{{ b.title }} / {{ b.date }} / {{ b.summary }}\n{% endfor %}{% for t in page.tags %}#{{ t.name }} {{ t.count }}\n{% endfor %}{{ page.content | safe }}\n",
    )
    .unwrap();
    let mut run = Run::on(dir, 40);
    let page = String::from_utf8_lossy(&run.files["a/n002/index.html"]).into_owned();
    assert!(
        page.starts_with("Note 002\n") && page.contains("\n#iso/casco "),
        "{page}"
    );
    edits(&mut run, false);
}

/// Issue 20: a canvas shows a note and a note embeds the canvas; editing
/// either gives what a full build gives (the canvas's page follows the note,
/// the embedding note follows the canvas).
#[test]
fn canvas_edits_give_what_a_full_build_gives() {
    let mut run = Run::new(40);
    let canvas = |text: &str| {
        format!(
            "{{\"nodes\":[{{\"id\":\"f\",\"type\":\"file\",\"x\":0,\"y\":0,\"width\":300,\"height\":200,\"file\":\"a/n001.md\"}},{{\"id\":\"t\",\"type\":\"text\",\"x\":400,\"y\":0,\"width\":200,\"height\":100,\"text\":\"{text}\"}}],\"edges\":[{{\"id\":\"e\",\"fromNode\":\"t\",\"toNode\":\"f\"}}]}}"
        )
    };
    let first = canvas("Zanzibar [[n002]]");
    run.step(
        "add a canvas and a note embedding it",
        |c| {
            std::fs::write(c.join("Plan.canvas"), &first).unwrap();
            std::fs::write(c.join("Vue.md"), "# Vue\n\n![[Plan.canvas]]\n").unwrap();
        },
        &["Plan.canvas", "Vue.md"],
    );
    let second = canvas("Quetzal [[n003]]");
    run.step(
        "edit the canvas",
        |c| std::fs::write(c.join("Plan.canvas"), &second).unwrap(),
        &["Plan.canvas"],
    );
    let page = String::from_utf8_lossy(&run.files["vue/index.html"]).into_owned();
    assert!(
        page.contains("Quetzal") && !page.contains("Zanzibar"),
        "{page}"
    );
    run.step(
        "edit the note the canvas shows",
        |c| {
            let p = c.join("a/n001.md");
            let t = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, format!("{t}\nUne ligne ajoutée.\n")).unwrap();
        },
        &["a/n001.md"],
    );
    let page = String::from_utf8_lossy(&run.files["plan-canvas/index.html"]).into_owned();
    assert!(page.contains("Une ligne ajoutée."), "{page}");
}
