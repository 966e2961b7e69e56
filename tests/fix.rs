//! `isokb fix`: safe repairs only, byte for byte, and nothing lost when a
//! file cannot or should not be written.

mod common;
#[path = "support/damage.rs"]
mod damage;

use common::*;
use damage::{damage, Legacy, CLEAN};
use std::path::Path;
use std::process::{Command, Output};

/// Runs `isokb fix --root .` in `root`, as CI would.
fn fix(root: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(root)
        .args(["fix", "--root", "."])
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run isokb")
}

fn read(root: &Path, p: &str) -> Vec<u8> {
    std::fs::read(root.join(p)).unwrap()
}

/// The seed card's shape: front matter, a callout, a heading with an emoji.
const CARD: &str = "---\ntags:\n  - organisation\naliases:\n  - ISO\narchetype: organisation\npays: Suisse\n---\n\n# Organisation Internationale de Normalisation (ISO)\n\n> [!user] Fiche d'Identité\n> * **Siège** : Genève, Suisse\n> * **Rôle** : Standardisation internationale\n\n## 🎯 Missions Principales\n1.  **Promouvoir** : le développement de la normalisation à l’échelle mondiale.\n";

#[test]
fn mojibake_is_repaired_byte_for_byte_issue_5() {
    let dir = tempfile::tempdir().unwrap();
    let crlf_bom = format!("\u{feff}{}", CARD.replace('\n', "\r\n"));
    let originals: Vec<(&str, String, Legacy)> = vec![
        ("Mac.md", CARD.to_string(), Legacy::MacRoman),
        ("Windows.md", CARD.to_string(), Legacy::Windows1252),
        ("Mac CRLF BOM.md", crlf_bom.clone(), Legacy::MacRoman),
        ("Windows CRLF BOM.md", crlf_bom, Legacy::Windows1252),
    ];
    for (p, text, enc) in &originals {
        let bom = text.starts_with('\u{feff}');
        let body = text.trim_start_matches('\u{feff}');
        let bad = format!(
            "{}{}",
            if bom { "\u{feff}" } else { "" },
            damage(body, *enc)
        );
        assert!(
            bad.contains("Identit") && !bad.contains("Identité"),
            "{bad}"
        );
        std::fs::write(dir.path().join(p), bad).unwrap();
    }
    let out = fix(dir.path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for (p, text, _) in &originals {
        assert_eq!(
            String::from_utf8(read(dir.path(), p)).unwrap(),
            *text,
            "{p} repaired exactly"
        );
    }
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("--- a/Mac.md\n+++ b/Mac.md\n")
            && diff.contains("-> [!user] Fiche d'Identit√©\n")
            && diff.contains("+> [!user] Fiche d'Identité\n")
            && diff.contains("+## 🎯 Missions Principales\n"),
        "{diff}"
    );
    assert!(err.contains("fixed 4 files (4 repairs)"), "{err}");
    // Nothing left to do, and no temporary file left behind.
    let again = fix(dir.path(), &[]);
    assert!(again.stdout.is_empty());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
}

#[test]
fn clean_text_in_many_scripts_is_never_touched() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), CLEAN);
    let out = fix(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    for (p, text) in CLEAN {
        assert_eq!(read(dir.path(), p), text.as_bytes());
    }
}

const LINKS: &str = "---\r\nsiège: \"[[genève]]\"\r\n---\r\n# Links\r\n\r\nVoir %%un [[iso 9001]] caché%% [[iso 9001]] et [[Org|l'organisation]].\r\n%%\r\n[[iso 9001]]\r\n%% [[QMS]] [[ISO 9001]] [[Shared]] `[[iso 9001]]`\r\n\r\n| a | [[QMS]] |\r\n|---|---|\r\n| b | [[qms\\|Q]] |\r\n";

const LINKS_FIXED: &str = "---\r\nsiège: \"[[Genève]]\"\r\n---\r\n# Links\r\n\r\nVoir %%un [[iso 9001]] caché%% [[ISO 9001]] et [[ISO|l'organisation]].\r\n%%\r\n[[iso 9001]]\r\n%% [[ISO 9001|QMS]] [[ISO 9001]] [[Shared]] `[[iso 9001]]`\r\n\r\n| a | [[QMS]] |\r\n|---|---|\r\n| b | [[ISO 9001\\|Q]] |\r\n";

fn link_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("Genève.md", "# Genève\n"),
            (
                "Normes/ISO 9001.md",
                "---\naliases: [QMS]\n---\n# ISO 9001\n",
            ),
            ("Org/ISO.md", "---\naliases: [Org, Shared]\n---\n# ISO\n"),
            ("Other.md", "---\naliases: [Shared]\n---\n# Other\n"),
            ("Links.md", LINKS),
        ],
    );
    dir
}

#[test]
fn case_and_alias_links_are_rewritten_in_place() {
    let dir = link_vault();
    let out = fix(dir.path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        String::from_utf8(read(dir.path(), "Links.md")).unwrap(),
        LINKS_FIXED,
        "only the links change; comments, code, tables' unlabelled links, ambiguous links and CRLF stay"
    );
    assert!(
        err.contains("6:32: case of `[[iso 9001]]` → `[[ISO 9001]]`")
            && err.contains("9:4: alias link `[[QMS]]` → `[[ISO 9001|QMS]]`")
            && err.contains("2:9: case of `[[genève]]` → `[[Genève]]`"),
        "{err}"
    );
    let check = Command::new(bin())
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(check.status.success());
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let dir = link_vault();
    let out = fix(dir.path(), &["--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("-Voir %%un [[iso 9001]] caché%% [[iso 9001]] et [[Org|l'organisation]].\n+Voir %%un [[iso 9001]] caché%% [[ISO 9001]] et [[ISO|l'organisation]].\n"),
        "{diff}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was written (--dry-run)"));
    assert_eq!(read(dir.path(), "Links.md"), LINKS.as_bytes());
}

#[test]
fn read_only_files_are_reported_and_left_alone() {
    let dir = link_vault();
    let bad = damage(CARD, Legacy::MacRoman);
    std::fs::write(dir.path().join("Card.md"), &bad).unwrap();
    let links = dir.path().join("Links.md");
    let mut perms = std::fs::metadata(&links).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&links, perms).unwrap();
    let out = fix(dir.path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Links.md: error[io]: the file is read-only; it was left as it was"),
        "{err}"
    );
    assert_eq!(read(dir.path(), "Links.md"), LINKS.as_bytes());
    assert_eq!(
        String::from_utf8(read(dir.path(), "Card.md")).unwrap(),
        CARD,
        "the others are fixed"
    );
    assert!(std::fs::metadata(&links).unwrap().permissions().readonly());
}

#[test]
fn files_changed_during_the_run_are_not_overwritten() {
    let dir = link_vault();
    let plan = isokb::check::fix::plan(dir.path(), &isokb::Overrides::default()).unwrap();
    assert_eq!(plan.files.len(), 1);
    let f = &plan.files[0];
    assert_eq!(f.after, LINKS_FIXED.as_bytes());
    // Someone saves the note between the plan and the write.
    let edited = format!("{LINKS}A new line.\r\n");
    std::fs::write(&f.file, &edited).unwrap();
    assert!(matches!(
        isokb::check::fix::apply(f),
        isokb::check::fix::Outcome::Changed
    ));
    assert_eq!(read(dir.path(), "Links.md"), edited.as_bytes());
    // A fresh plan picks the new text up.
    let plan = isokb::check::fix::plan(dir.path(), &isokb::Overrides::default()).unwrap();
    assert!(matches!(
        isokb::check::fix::apply(&plan.files[0]),
        isokb::check::fix::Outcome::Written
    ));
    assert_eq!(
        String::from_utf8(read(dir.path(), "Links.md")).unwrap(),
        format!("{LINKS_FIXED}A new line.\r\n")
    );
}

/// The pipe of a labelled wikilink in a table row is escaped, in the rows of
/// tables only (not in prose, code or an already escaped link); the site and
/// `check` then agree that nothing is left.
#[test]
fn wikilink_pipes_in_table_rows_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let before = "---\r\ntitle: \"a | b\"\r\n---\r\n| Norme | Rôle |\r\n|---|---|\r\n| [[Cible|La cible]] | [[Cible\\|déjà]] |\r\n\r\nHors table [[Cible|texte]] | x\r\n\r\n```\r\n| [[Cible|code]] |\r\n|---|\r\n```\r\n";
    let after = "---\r\ntitle: \"a | b\"\r\n---\r\n| Norme | Rôle |\r\n|---|---|\r\n| [[Cible\\|La cible]] | [[Cible\\|déjà]] |\r\n\r\nHors table [[Cible|texte]] | x\r\n\r\n```\r\n| [[Cible|code]] |\r\n|---|\r\n```\r\n";
    write_files(
        dir.path(),
        &[("Cible.md", "# Cible\n"), ("Table.md", before)],
    );
    let out = fix(dir.path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        String::from_utf8(read(dir.path(), "Table.md")).unwrap(),
        after
    );
    assert!(
        err.contains("6:10: `|` in a table row's wikilink → `\\|`"),
        "{err}"
    );
    let check = Command::new(bin())
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stderr);
    assert!(
        check.status.success() && !report.contains("table-pipe"),
        "{report}"
    );
}
