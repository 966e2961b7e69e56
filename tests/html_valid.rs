//! Every page isokb writes is valid HTML: the repository's own knowledge
//! base (`content/`) and the rendering fixtures, built and checked with
//! html-validate (installed from npm into `target/html-validate` when
//! missing; the test skips with a message when npm is not there, and fails
//! under `scripts/test.sh`, which requires it).
//!
//! The rules are html-validate's `recommended` set (the HTML specification's
//! content models, required attributes, duplicate ids, ARIA use …) with
//! these changes, in `tests/html-validate.json`:
//! - `valid-id` relaxed: Obsidian block anchors are `^id`, which HTML allows;
//! - `aria-label-misuse` allows any element whose role can be named (the tag
//!   list is a `<ul>` with a label, as ARIA 1.2 permits);
//! - style rules off: `prefer-native-element` (the search results are the
//!   ARIA combobox pattern's listbox), `long-title` (an SEO length hint),
//!   `no-inline-style` (Mermaid's SVG), `void-style` (`<br />`).
//!
//! The `render-html` fixture is left out: it holds raw HTML as users write it
//! (an `<iframe>` without a title), which isokb passes through unchanged.

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn every_page_of_the_knowledge_base_and_the_fixtures_is_valid_html() {
    let Some(cli) = common::npm_file(
        "html-validate",
        "html-validate@9.7.1",
        "html-validate/bin/html-validate.mjs",
    ) else {
        assert!(
            std::env::var_os("ISOKB_REQUIRE_BROWSER").is_none(),
            "html-validate could not be installed, and scripts/test.sh requires it"
        );
        return;
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Not a hidden folder (`/tmp/.tmpXXXX`): html-validate's glob skips those.
    let out = tempfile::Builder::new()
        .prefix("isokb-html-")
        .tempdir()
        .unwrap();
    let mut sites = vec![("content".to_string(), manifest.to_path_buf())];
    let mut fixtures = Vec::new();
    for e in std::fs::read_dir(manifest.join("tests/fixtures")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        // Broken on purpose (check's defects), or raw user HTML (see above).
        if name != "check-defects" && name != "render-html" {
            fixtures.push((name.clone(), common::fixture(&name)));
        }
    }
    sites.extend(
        fixtures
            .iter()
            .map(|(n, d)| (n.clone(), d.path().to_path_buf())),
    );
    let mut pages = 0;
    for (name, root) in &sites {
        let (_, files) = common::build(root);
        for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
            let target = out.path().join(name).join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
            pages += 1;
        }
    }
    assert!(pages > 400, "{pages} pages");
    // A page known to be invalid shows the validator reads the pages.
    let canary = out.path().join("canary.html");
    std::fs::write(
        &canary,
        "<!DOCTYPE html><html lang=\"fr\"><head><title>x</title></head><body><img src=\"a.png\"></body></html>",
    )
    .unwrap();
    let res = Command::new("node")
        .arg(&cli)
        .arg("--config")
        .arg(manifest.join("tests/html-validate.json"))
        .args(["--formatter", "text"])
        .arg(format!("{}/**/*.html", out.path().display()))
        .output()
        .expect("run html-validate with node");
    let report =
        String::from_utf8_lossy(&res.stdout).replace(&format!("{}/", out.path().display()), "");
    let errors: Vec<&str> = report.lines().filter(|l| l.contains(" error ")).collect();
    assert!(
        errors.iter().any(|l| l.contains("canary.html:")),
        "the validator did not report the invalid canary page: {report}{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let ours: Vec<&str> = errors
        .into_iter()
        .filter(|l| !l.contains("canary.html:"))
        .collect();
    assert!(
        ours.is_empty(),
        "html-validate on {pages} pages:\n{}",
        ours.join("\n")
    );
}
