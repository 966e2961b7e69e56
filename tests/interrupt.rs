//! Killing `isokb build` at any moment never damages the previous output, and
//! the next successful build leaves no temporary folder behind.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("isokb-new") || n.ends_with(".old"))
        .collect()
}

#[test]
fn sigkill_at_random_moments_keeps_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    let files: Vec<(String, String)> = (0..400)
        .map(|i| (format!("d{}/Note {i}.md", i % 9), format!("---\ntags: [t{}]\naliases: [A{i}]\n---\n# Note {i}\n\n[[Note {}]] and some text.\n\n```rust\nfn f() -> u32 {{ {i} }}\n```\n", i % 7, (i * 7) % 400)))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    common::write_files(&vault, &refs);
    let out = dir.path().join("site");
    let build = || {
        Command::new(common::bin())
            .args(["build", "-q", "--root"])
            .arg(&vault)
            .arg("--output")
            .arg(&out)
            .spawn()
            .unwrap()
    };
    let start = Instant::now();
    assert!(build().wait().unwrap().success());
    let full = start.elapsed();
    let before = snapshot(&out);
    assert!(before.len() > 800, "{} files", before.len());
    // A small deterministic generator spreads the kills over the whole build.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..10 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = Duration::from_micros(seed % (full.as_micros() as u64 + 1));
        let mut child = build();
        std::thread::sleep(wait);
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&out);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "round {round}: files changed after a kill at {wait:?}"
        );
        assert!(
            now == before,
            "round {round}: content changed after a kill at {wait:?}"
        );
    }
    assert!(build().wait().unwrap().success());
    assert_eq!(snapshot(&out), before);
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}
