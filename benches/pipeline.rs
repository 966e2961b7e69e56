//! Criterion benchmarks, one per pipeline stage, on a generated vault.
//!
//! `cargo bench` measures a 2,000-note vault (`ISOKB_BENCH_NOTES` changes it);
//! `cargo test --benches` (run by CI) goes through every stage once on 100
//! notes, so the code paths stay compiling and correct without timing anything.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

// The shipped binary's allocator (src/main.rs), so stages measure as they run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use isokb::emit::{emit, EmitOptions, MemorySink};
use isokb::{index, load_config, load_site, parse, scan, templates::Theme, Overrides};
use std::hint::black_box;
use std::path::Path;

/// Writes `n` notes shaped like real vaults: front matter, headings, links of
/// every form, callouts, tags, code and tables.
fn generate(root: &Path, n: usize) {
    let folders = [
        "Projets",
        "Projets/Qualité",
        "Réunions",
        "Normes/ISO",
        "Archives",
    ];
    for i in 0..n {
        let folder = folders[i % folders.len()];
        let link = |k: usize| (i * 7 + k * 13) % (n + n / 10);
        let code = if i % 3 == 0 {
            "```rust\nfn main() {\n    let x = vec![1, 2, 3];\n    println!(\"{:?}\", x);\n}\n```\n"
        } else {
            ""
        };
        let table = if i % 4 == 0 {
            "| Colonne | Valeur |\n|---|---|\n| a | [[Note 1\\|un]] |\n| b | 2 |\n"
        } else {
            ""
        };
        let text = format!(
            "---\ntitle: \"Note {i} — réunion\"\ntags: [projet/p{}, qualité]\naliases: [\"N-{i}\"]\ndate: 2024-03-{:02}\n---\n\
             # Note {i}\n\nLe comité vérifie le **programme** d'audit. Voir [[Note {}]], [[Note {}#Suivi|le suivi]] et [[N-{}]]. #tag{}\n\n\
             > [!note] Rappel\n> Les écarts sont traités sous quinze jours. [[Note {}]]\n\n## Suivi\n\nTexte ^b{i}\n\n{code}\n{table}\n\
             - [ ] tâche\n- [x] faite avec ==surlignage==\n",
            i % 7,
            i % 28 + 1,
            link(1),
            link(2),
            link(3),
            i % 5,
            link(4)
        );
        let path = root
            .join("content")
            .join(folder)
            .join(format!("Note {i}.md"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(
        root.join("site.toml"),
        "title = \"Bench\"\nlanguage = \"fr\"\n",
    )
    .unwrap();
}

fn notes() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        std::env::var("ISOKB_BENCH_NOTES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2000)
    } else {
        100
    }
}

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let n = notes();
    generate(dir.path(), n);
    let root = dir.path();
    let config = load_config(root, &Overrides::default()).unwrap();
    let (vault, _) =
        scan::scan(&root.join("content"), &isokb::scan_options(root, &config)).unwrap();
    assert_eq!(vault.notes.len(), n);
    let site = load_site(root, config.clone()).unwrap();
    assert!(site.rendered.iter().all(Option::is_some));
    let theme = Theme::load(root, "default").unwrap();
    let files: Vec<_> = vault.attachments.iter().map(|a| a.path.clone()).collect();

    let mut g = c.benchmark_group(format!("{n} notes"));
    g.sample_size(10);
    g.bench_function("scan", |b| {
        b.iter(|| scan::scan(&root.join("content"), &isokb::scan_options(root, &config)).unwrap())
    });
    g.bench_function("parse", |b| {
        b.iter(|| vault.notes.iter().map(parse::parse_note).count())
    });
    g.bench_function("index", |b| {
        b.iter(|| index::build_index(black_box(&site.notes), &files, false))
    });
    g.bench_function("render", |b| {
        b.iter_batched(
            || load_site(root, config.clone()).unwrap(),
            |mut s| {
                s.render_some(|_| true);
                s
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("emit (memory)", |b| {
        b.iter(|| {
            let sink = MemorySink::default();
            let (out, diags) = emit(&site.view(), &theme, &sink, &EmitOptions::default());
            assert!(diags.is_empty());
            out
        })
    });
    g.finish();
}

/// Notes a base lists: books with a status, a price, a quantity, a year.
fn generate_books(root: &Path, n: usize) {
    for i in 0..n {
        let text = format!(
            "---\ntags: [{}]\nstatus: {}\nprice: {}.{}\nqty: {}\nyear: {}\n---\n# Livre {i}\n\nTexte.\n",
            if i % 10 == 0 { "revue" } else { "livre" },
            ["à lire", "en cours", "lu", "abandonné"][i % 4],
            i % 97,
            i % 10,
            i % 13,
            1950 + i % 75,
        );
        let path = root
            .join("content")
            .join(["Romans", "Essais", "BD"][i % 3])
            .join(format!("Livre {i}.md"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(
        root.join("site.toml"),
        "title = \"Livres\"\nlanguage = \"fr\"\n",
    )
    .unwrap();
}

/// A base over every note (10,000 with `--bench`): a filter, two formulas,
/// a sort, a group and a summary, drawn as a build draws it.
fn base(c: &mut Criterion) {
    use isokb::bases::{self, value::Row, vault::Vault, Which};
    let n = if std::env::args().any(|a| a == "--bench") {
        10_000
    } else {
        100
    };
    let dir = tempfile::tempdir().unwrap();
    generate_books(dir.path(), n);
    let config = load_config(dir.path(), &Overrides::default()).unwrap();
    let site = load_site(dir.path(), config).unwrap();
    let src = "filters:\n  and:\n    - file.hasTag(\"livre\")\n    - 'price > 2'\nformulas:\n  total: 'price * qty'\n  age: 'if(year < 2000, \"ancien\", \"récent\")'\nviews:\n  - type: table\n    name: Stock\n    order: [file.name, price, qty, formula.total, formula.age]\n    sort:\n      - property: formula.total\n        direction: DESC\n      - property: file.name\n        direction: ASC\n    groupBy:\n      property: status\n      direction: ASC\n    summaries:\n      formula.total: Sum\n";
    let href = |r: Row| match r {
        Row::Note(i) => site.index.note_url(i).as_str().to_string(),
        Row::File(f) => site.index.files[f].url.as_str().to_string(),
    };
    let drawing = bases::Site {
        vault: Vault {
            notes: &site.notes,
            index: &site.index,
            files: &site.attachments,
            months: site.language.months(),
        },
        lang: site.language,
        this: 0,
        folder: "",
        href: &href,
        clean: true,
        nth: 0,
    };
    let html = bases::draw(src, Which::All, &drawing);
    // 90 % are books, 97 % of those cost more than 2; none is left out by mistake.
    assert!(html.contains(" résultats") && html.matches("<tr>").count() > n * 8 / 10);
    let mut g = c.benchmark_group(format!("{n} notes"));
    g.sample_size(10);
    g.bench_function("base: filter, 2 formulas, sort, group, sum", |b| {
        b.iter(|| bases::draw(black_box(src), Which::All, &drawing))
    });
    // serve after an edit of a note the base lists: the note, the base's
    // page and a note embedding the base are drawn again.
    let content = dir.path().join("content");
    std::fs::write(content.join("Stock.base"), src).unwrap();
    std::fs::write(content.join("Accueil.md"), "# Accueil\n\n![[Stock.base]]\n").unwrap();
    let config = load_config(dir.path(), &Overrides::default()).unwrap();
    let mut site = load_site(dir.path(), config).unwrap();
    let edited = content.join("Romans/Livre 3.md");
    let original = std::fs::read_to_string(&edited).unwrap();
    let mut k = 0;
    g.bench_function("base: serve redraws after an edit of a listed note", |b| {
        b.iter(|| {
            k += 1;
            std::fs::write(
                &edited,
                original.replace("qty: ", &format!("qty: {}", k % 9)),
            )
            .unwrap();
            let out = site
                .update_notes(&[isokb::paths::VaultPath::new("Romans/Livre 3.md")])
                .unwrap();
            assert_eq!(out.rerendered, 3);
        })
    });
    g.finish();
}

/// A git repository of `n` notes in 100 folders and `5 n` commits, made with
/// `git fast-import`: the first tenth of the commits add the notes ten at a
/// time, the rest change one to three notes each, one in a hundred renaming one.
fn generate_history(repo: &Path, n: usize) {
    use std::io::Write;
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(repo)
            .args(args)
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    let mut child = std::process::Command::new("git")
        .current_dir(repo)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut w = std::io::BufWriter::new(child.stdin.take().unwrap());
    let mut names: Vec<String> = (0..n)
        .map(|i| format!("dossier {}/Note {i}.md", i % 100))
        .collect();
    let mut seed: u64 = 7;
    let mut rand = |m: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % m
    };
    let mut t = 1_500_000_000u64;
    for c in 0..5 * n {
        t += 600;
        let msg = format!("Modification {c}\n");
        write!(w, "commit refs/heads/main\nmark :{}\nauthor Auteur {} <a@example.org> {t} +0100\ncommitter C <c@example.org> {t} +0100\ndata {}\n{msg}", c + 1, c % 7, msg.len()).unwrap();
        if c > 0 {
            writeln!(w, "from :{c}").unwrap();
        }
        let mut changed: Vec<usize> = if c < n.div_ceil(10) {
            (c * 10..(c * 10 + 10).min(n)).collect()
        } else {
            (0..1 + rand(3)).map(|_| rand(n)).collect()
        };
        changed.dedup();
        for i in changed {
            let body = format!(
                "# Note {i}\n\nVersion {c}.\n{}",
                "Une ligne de texte.\n".repeat(20)
            );
            write!(
                w,
                "M 100644 inline \"{}\"\ndata {}\n{body}\n",
                names[i],
                body.len()
            )
            .unwrap();
        }
        if c >= n / 10 && rand(100) == 0 {
            let i = rand(n);
            let new = names[i].replace(".md", " bis.md");
            writeln!(w, "R \"{}\" \"{new}\"", names[i]).unwrap();
            names[i] = new;
        }
        writeln!(w).unwrap();
    }
    drop(w);
    assert!(child.wait().unwrap().success());
    git(&["checkout", "-q", "main"]);
}

/// The git pass that gives notes their dates: the whole history read once.
fn history(c: &mut Criterion) {
    let bench = std::env::args().any(|a| a == "--bench");
    let n = if bench { 10_000 } else { 100 };
    let made = tempfile::tempdir().unwrap();
    generate_history(made.path(), n);
    // A clone, packed as a CI checkout's is (fast-import's pack is not).
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("git")
        .args(["clone", "-q", "--no-local"])
        .arg(made.path())
        .arg(dir.path().join("kb"))
        .status()
        .unwrap()
        .success();
    assert!(ok, "git clone");
    let kb = dir.path().join("kb");
    let read = || match isokb::history::read(&kb) {
        isokb::history::Outcome::Read(h) => h,
        other => panic!("{other:?}"),
    };
    let h = read();
    assert_eq!(h.files.len(), n, "every note of today has its history");
    assert!(h.files.keys().any(|k| k.ends_with(" bis.md")) || n < 1000);
    let mut g = c.benchmark_group(format!("{n} notes"));
    g.sample_size(10);
    g.bench_function(
        format!("history: dates of every note from {} commits", 5 * n),
        |b| b.iter(read),
    );
    g.finish();
}

criterion_group!(benches, stages, base, history);
criterion_main!(benches);
