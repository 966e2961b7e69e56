//! Headless Chromium looks at a page with callouts, an embed, math, a
//! diagram and code (issue 3): the screenshot is saved under
//! `target/screenshots/render.png` for people to look at, and the DOM the
//! browser built must hold the MathML and the diagram's SVG. Skipped, with a
//! message, when Chromium is not installed (CI installs it).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs headless Chromium on `url` with `args`, a fresh profile and a time limit.
fn chromium(exe: &Path, args: &[String], url: &str) -> Output {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("wait chromium").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().expect("chromium output")
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || &png[..8] != b"\x89PNG\r\n\x1a\n" || &png[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&png[16..20]), be(&png[20..24])))
}

#[test]
fn chromium_renders_callouts_embed_math_diagram_and_code() {
    let Some(exe) = common::cdp::chromium() else {
        eprintln!("skipped: chromium is not installed (CI installs it)");
        return;
    };
    let dir = fixture("render-all");
    let report = isokb::build(dir.path(), &isokb::Overrides::default()).expect("build");
    assert!(report.emitted.is_some(), "the site built");
    let page = report.output.join("index.html");
    let url = format!("file://{}", page.display());

    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    let png = shots.join("render.png");
    let _ = std::fs::remove_file(&png);
    let out = chromium(
        &exe,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2000".into(),
        ],
        &url,
    );
    let bytes = std::fs::read(&png).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}); chromium said: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(png_size(&bytes), Some((1280, 2000)), "a full-size PNG");
    assert!(
        bytes.len() > 40_000,
        "a blank page compresses to a few KB; got {} bytes",
        bytes.len()
    );

    let out = chromium(&exe, &["--dump-dom".into()], &url);
    let dom = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "<math",
        "<mfrac>",
        "<div class=\"mermaid\"><svg",
        "aria-roledescription=\"flowchart-v2\"",
        "data-callout=\"info\"",
        "<details class=\"callout\" data-callout=\"warning\"",
        "<div class=\"embed\"",
        "<span class=\"code-lang\">rust</span>",
    ] {
        assert!(dom.contains(expected), "{expected} missing from the DOM");
    }
    // The browser parsed the SVG as SVG: its text nodes are there, as text.
    assert!(dom.contains(">Rendered<"), "diagram labels are in the DOM");
}
