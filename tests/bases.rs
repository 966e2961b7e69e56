//! Obsidian Bases: `.base` pages, ` ```base ` blocks and embeds, built from
//! a vault written here. The expected rows, their order, formula values,
//! groups and summaries are worked out by hand from Obsidian Help › Bases
//! (syntax, views, functions), not taken from isokb's output.

mod common;
use common::*;
use isokb::diagnostics::Kind;

const BOOKS_BASE: &str = r#"filters:
  and:
    - file.hasTag("book")
formulas:
  ppu: "(price / age).toFixed(2)"
  classic: 'if(year < 1980, "classic", "modern")'
properties:
  note.year:
    displayName: Year
  formula.ppu:
    displayName: Price per unit
summaries:
  spread: 'values.max() - values.min()'
views:
  - type: table
    name: All
    order: [file.name, year, formula.ppu, rating]
    sort:
      - property: year
        direction: DESC
    summaries:
      rating: Average
      note.year: spread
    columnSize:
      file.name: 200
  - type: table
    name: By status
    groupBy:
      property: status
      direction: ASC
    order: [file.name, rating]
    summaries:
      rating: Sum
  - type: cards
    name: Covers
    image: note.cover
    imageFit: contain
    order: [file.name, formula.classic]
    limit: 2
    sort:
      - property: year
        direction: ASC
  - type: list
    name: By author
    filters:
      and:
        - list(author).contains(this)
    order: [file.name, year]
"#;

fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write_files(
        dir.path(),
        &[
            (
                "Library/Dune.md",
                "---\ntags: [book]\nauthor: \"[[Frank Herbert]]\"\nyear: 1965\nrating: 5\nprice: 10\nage: 4\nstatus: read\ncover: \"[[dune.png]]\"\n---\nSpice.\n",
            ),
            (
                "Library/Neuromancer.md",
                "---\ntags: [book/cyberpunk]\nyear: 1984\nrating: 4\nprice: 9\nage: 3\nstatus: reading\n---\nCase.\n",
            ),
            (
                "Library/Hyperion.md",
                "---\ntags: [book]\nyear: 1989\nrating: 3\nprice: 8\nage: 2\nstatus: read\n---\nShrike.\n",
            ),
            (
                "Library/Leak.md",
                "---\ntags: [book]\ndraft: true\nyear: 2100\nrating: 100\nprice: 1\nage: 1\nstatus: read\n---\nUnpublished words.\n",
            ),
            ("Library/Foundation.md", "---\ntags: [other]\nyear: 1951\nrating: 2\n---\nPsychohistory.\n"),
            ("Library/dune.png", "\u{89}PNG"),
            ("Frank Herbert.md", "# Frank Herbert\n\n![[Books.base#By author]]\n"),
            ("Books.base", BOOKS_BASE),
            (
                "index.md",
                "# Home\n\n```base\nfilters: 'file.inFolder(\"Library\") && rating >= 4'\nviews:\n  - type: table\n    name: Good\n    order: [file.name, rating]\n    sort:\n      - property: rating\n        direction: ASC\n```\n\nAll of them: [[Books.base]].\n\n![[Books.base]]\n",
            ),
            ("Broken.base", "views:\n  - type: table\n    name: [unclosed\n"),
            (
                "Odd.base",
                "formulas:\n  x: 'frobnicate(year)'\n  y: 'year >'\nviews:\n  - type: table\n    order: [file.name, formula.x]\n",
            ),
        ],
    );
    dir
}

/// The text of an element's HTML, tags removed, spaces folded.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The view with this id in a page: its HTML.
fn view<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("<div class=\"base-view\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no view {id} in {html}"));
    let rest = &html[start..];
    // Views never nest: the next view or the base's end (its `</div>` at a
    // line end) closes this one.
    let next = rest[1..]
        .find("<div class=\"base-view\"")
        .map_or(rest.len(), |e| e + 1);
    let end = rest.find("</div>\n").map_or(next, |e| e.min(next));
    &rest[..end]
}

/// The views drawn by the `n`-th embed of a base in a page.
fn embedded(html: &str, n: usize) -> Vec<&str> {
    let start = html
        .match_indices("<div class=\"embed embed-base\"")
        .nth(n)
        .unwrap_or_else(|| panic!("no embed {n} in {html}"))
        .0;
    let rest = &html[start..];
    let end = rest.find("</div>\n").unwrap_or(rest.len());
    rest[..end]
        .split("<div class=\"base-view\"")
        .skip(1)
        .collect()
}

/// Each `<tr>` of a view as the texts of its cells.
fn rows(view: &str) -> Vec<Vec<String>> {
    view.split("<tr")
        .skip(1)
        .map(|tr| {
            let tr = &tr[..tr.find("</tr>").unwrap_or(tr.len())];
            // Cells: from each `<td` or `<th` to its closing tag.
            let mut cells = Vec::new();
            let mut rest = tr;
            while let Some(i) = [rest.find("<td"), rest.find("<th")]
                .into_iter()
                .flatten()
                .min()
            {
                let close = if rest[i..].starts_with("<td") {
                    "</td>"
                } else {
                    "</th>"
                };
                let end = rest[i..].find(close).map_or(rest.len(), |e| i + e);
                cells.push(plain(&rest[i..end]));
                rest = &rest[end..];
                rest = rest.get(1..).unwrap_or("");
            }
            cells
        })
        .collect()
}

#[test]
fn a_base_file_is_a_page_with_every_view() {
    let dir = vault();
    let (site, files) = build(dir.path());
    let page = text(&files, "books-base/index.html");
    assert!(page.contains("<title>Books"), "titled by its name");
    // All: books only (tag `book` and its child `book/cyberpunk`), no
    // draft, newest first; headers from displayName; ppu = price / age.
    let all = view(&page, "view-all");
    assert_eq!(
        rows(all),
        vec![
            vec!["file name", "Year", "Price per unit", "rating"],
            vec!["Hyperion", "1989", "4.00", "3"],
            vec!["Neuromancer", "1984", "3.00", "4"],
            vec!["Dune", "1965", "2.50", "5"],
            // Average of 3, 4, 5; the custom summary: 1989 − 1965.
            vec!["", "spread 24", "", "Average 4"],
        ]
    );
    assert!(all.contains("3 results"));
    assert!(all.contains("href=\"../library/dune/index.html\""), "{all}");
    // By status: groups in ascending order, each with its count and its
    // sum at its top; rows in file-name order; the total at the foot.
    assert_eq!(
        rows(view(&page, "view-by-status")),
        vec![
            vec!["file name", "rating"],
            vec!["read 2"],
            vec!["", "Sum 8"],
            vec!["Dune", "5"],
            vec!["Hyperion", "3"],
            vec!["reading 1"],
            vec!["", "Sum 4"],
            vec!["Neuromancer", "4"],
            vec!["", "Sum 12"],
        ]
    );
    // Covers: the two oldest books, with the cover from `cover`.
    let covers = view(&page, "view-covers");
    assert_eq!(
        plain(covers),
        "Covers 2 results Dune formula.classic classic Neuromancer formula.classic modern"
            .replace("formula.classic", "classic"),
    );
    assert!(
        covers.contains("<div class=\"base-cover contain\"><img src=\"../library/dune.png\""),
        "{covers}"
    );
    // By author on the base's own page: `this` is the base, no book has it as author.
    assert!(view(&page, "view-by-author").contains("0 results"));
    // The draft is in no view, count or summary, nowhere on the site.
    for (path, bytes) in &files {
        let s = String::from_utf8_lossy(bytes);
        assert!(
            !s.contains("Leak") && !s.contains("Unpublished words"),
            "draft in {path}"
        );
    }
    assert!(site
        .index
        .notes
        .iter()
        .any(|n| n.slug.as_str() == "books-base"));
}

#[test]
fn blocks_and_embeds_draw_in_the_note_that_holds_them() {
    let dir = vault();
    let (_, files) = build(dir.path());
    let home = text(&files, "index.html");
    // The block, in place.
    assert_eq!(
        rows(view(&home, "view-good")),
        vec![
            vec!["file name", "rating"],
            vec!["Neuromancer", "4"],
            vec!["Dune", "5"],
        ]
    );
    // `[[Books.base]]` links to its page; `![[Books.base]]` draws its first view only.
    assert!(home.contains("<a class=\"internal\" href=\"books-base/index.html\">Books.base</a>"));
    let first = embedded(&home, 0);
    assert_eq!(first.len(), 1, "one view");
    assert_eq!(
        rows(first[0])[0],
        vec!["file name", "Year", "Price per unit", "rating"],
        "the first view, All"
    );
    // `![[Books.base#By author]]`: that view, with `this` the embedding note.
    let frank = text(&files, "frank-herbert/index.html");
    let by = embedded(&frank, 0);
    assert_eq!(by.len(), 1);
    assert_eq!(plain(&format!("<{}", by[0])), "1 result Dune , 1965");
    // Rows are not links: Dune's backlinks are the notes that link to it, none.
    let dune = text(&files, "library/dune/index.html");
    let backlinks = &dune[dune.find("class=\"backlinks\"").expect("backlinks")..];
    let backlinks = &backlinks[..backlinks.find("</section>").expect("section end")];
    assert!(
        backlinks.contains("<p class=\"empty\">"),
        "a view is not a backlink: {backlinks}"
    );
}

#[test]
fn unreadable_bases_and_unknown_functions_are_findings() {
    let dir = vault();
    let (site, files) = build(dir.path());
    let base: Vec<String> = site
        .diagnostics
        .iter()
        .filter(|d| d.kind == Kind::Base)
        .map(|d| {
            let p = d.pos.unwrap_or_default();
            let file = d.path.rsplit('/').next().unwrap_or_default();
            format!("{file}:{}:{} {}", p.line, p.col, d.message)
        })
        .collect();
    assert_eq!(base.len(), 3, "{base:#?}");
    assert!(
        base[0].starts_with("Broken.base:4:1 ") && base[0].contains("invalid YAML"),
        "{base:#?}"
    );
    assert!(
        base[1].starts_with("Odd.base:2:7 ") && base[1].contains("`frobnicate()`"),
        "{base:#?}"
    );
    assert!(
        base[2].starts_with("Odd.base:3:13 ") && base[2].contains("`year >`"),
        "{base:#?}"
    );
    assert_eq!(
        Kind::Base.default_level(),
        isokb::diagnostics::Level::Warning
    );
    let broken = text(&files, "broken-base/index.html");
    assert!(broken.contains("class=\"base base-failed\"") && broken.contains("could not be drawn"));
    // The unknown function's cells show an error, as Obsidian shows one.
    let odd = text(&files, "odd-base/index.html");
    assert!(
        odd.contains("<span class=\"base-error\">Error: unknown function frobnicate()</span>"),
        "{odd}"
    );
}

#[test]
fn with_javascript_views_are_tabs_and_tables_sort_and_filter() {
    use common::cdp::Browser;
    use serde_json::json;
    use std::time::Duration;
    let dir = vault();
    let report = isokb::build(dir.path(), &isokb::Overrides::default()).expect("build");
    assert!(report.emitted.is_some());
    let url = format!("file://{}/books-base/index.html", report.output.display());
    let Some(mut b) = Browser::open(&url, (1280, 900)) else {
        eprintln!("skipped: chromium is not installed (CI installs it)");
        return;
    };
    let wait = Duration::from_secs(20);
    let ready = format!(
        "location.href === {} && document.readyState === 'complete' && !!document.querySelector('.base-table th button')",
        serde_json::to_string(&url).unwrap()
    );
    assert!(b.wait_for(&ready, wait), "{url} did not load");
    let shown = "Array.from(document.querySelectorAll('.base-view')).filter(v => !v.hidden).map(v => v.id).join()";
    assert_eq!(b.eval(shown), json!("view-all"), "the first view only");
    b.eval("document.querySelector('.base-tabs a[href=\"#view-by-status\"]').click()");
    assert_eq!(b.eval(shown), json!("view-by-status"));
    b.eval("document.querySelector('.base-tabs a[href=\"#view-all\"]').click()");
    let names = "Array.from(document.querySelectorAll('#view-all tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent).join()";
    assert_eq!(
        b.eval(names),
        json!("Hyperion,Neuromancer,Dune"),
        "as the base sorts"
    );
    // Year, by value; again, the other way.
    b.eval("document.querySelectorAll('#view-all thead th button')[1].click()");
    assert_eq!(b.eval(names), json!("Dune,Neuromancer,Hyperion"));
    assert_eq!(
        b.eval("document.querySelectorAll('#view-all thead th')[1].getAttribute('aria-sort')"),
        json!("ascending")
    );
    b.eval("document.querySelectorAll('#view-all thead th button')[1].click()");
    assert_eq!(b.eval(names), json!("Hyperion,Neuromancer,Dune"));
    // Typing filters the rows, accents and case aside.
    b.eval("(() => { const i = document.querySelector('#view-all .base-filter'); i.value = 'NEU'; i.dispatchEvent(new Event('input')); })()");
    assert_eq!(b.eval(names), json!("Neuromancer"));
    // A link to a view opens it.
    b.goto(&format!("{url}#view-covers"));
    b.call("Page.reload", json!({}));
    assert!(
        b.wait_for(&format!("{shown} === 'view-covers'"), wait),
        "{}",
        b.eval(shown)
    );
}

#[test]
fn check_expects_the_types_a_base_relies_on() {
    let dir = vault();
    write_files(
        dir.path(),
        &[
            // `price > …` and `price / age` in Books.base: a number; written as text here.
            (
                "Library/Cheap.md",
                "---\ntags: [book]\nprice: \"5 €\"\nage: 1\nyear: 2001\nrating: 3\n---\nText.\n",
            ),
            ("Cheap.base", "filters: 'price > 2'\n"),
        ],
    );
    let (site, _) = build(dir.path());
    let found: Vec<String> = isokb::check::lints::property_types(&site)
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d.path.rsplit('/').next().unwrap_or_default(),
                d.message
            )
        })
        .collect();
    assert_eq!(
        found,
        vec!["Cheap.md `price` is a text here (`5 €`), but a number: the base `Books.base` reads it as one"],
        "the base decides the type, before the majority of notes"
    );
}

#[test]
fn attachments_are_rows_with_their_size_and_times() {
    let dir = vault();
    write_files(
        dir.path(),
        &[(
            "Files.md",
            "```base\nfilters: 'file.ext == \"png\"'\nviews:\n  - type: table\n    name: Files\n    order: [file.name, file.size, file.mtime, file.folder]\n```\n",
        )],
    );
    let (_, files) = build(dir.path());
    let page = text(&files, "files/index.html");
    let rows = rows(view(&page, "view-files"));
    assert_eq!(rows.len(), 2, "{rows:?}");
    // `\u{89}PNG` is five bytes; the file's own link is to the file.
    assert_eq!(rows[1][0], "dune.png");
    assert_eq!(rows[1][1], "5");
    assert!(rows[1][2].contains(", 20"), "a date: {rows:?}");
    assert_eq!(rows[1][3], "Library");
    assert!(page.contains("<a class=\"internal\" href=\"../library/dune.png\">dune.png</a>"));
    // Images as cards, each its own cover (`image: file.file`, as in real vaults).
    write_files(
        dir.path(),
        &[(
            "Gallery.md",
            "```base\nfilters: 'file.ext == \"png\"'\nviews:\n  - type: cards\n    name: Images\n    image: file.file\n```\n",
        )],
    );
    let (_, files) = build(dir.path());
    let gallery = text(&files, "gallery/index.html");
    assert!(
        gallery.contains("<div class=\"base-cover\"><img src=\"../library/dune.png\""),
        "{gallery}"
    );
}

#[test]
fn a_french_site_writes_its_bases_in_french_and_html_is_cleaned() {
    let dir = fixture("render-bases");
    let (_, files) = build(dir.path());
    let home = text(&files, "index.html");
    let good = view(&home, "view-bons");
    assert_eq!(
        rows(good),
        vec![
            vec!["nom du fichier", "rating", "note", "finished", "fini"],
            vec!["Dune", "5", "5", "15 mars 2024", "15 mars 2024"],
            vec![
                "Neuromancer",
                "4",
                "4",
                "",
                // No `finished`: the formula on it is empty, not an error.
                ""
            ],
        ]
    );
    // html() keeps the author's bold, never their script.
    assert!(
        good.contains("<td><b>5</b></td>") && !home.contains("alert(1)"),
        "{good}"
    );
    assert!(home.contains("2 résultats") && home.contains("aria-label=\"Vues\""));
    let page = text(&files, "books-base/index.html");
    assert!(page.contains("<span class=\"base-summary-name\">Moyenne</span> 4"));
    assert_eq!(
        plain(view(&page, "view-by-status"))
            .split(" nom du fichier")
            .next(),
        Some("By status 3 résultats")
    );
}
