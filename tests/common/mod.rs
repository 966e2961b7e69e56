//! Helpers shared by the integration tests: fixture copies, builds, link checks.
#![allow(dead_code)]

use std::collections::BTreeMap;
pub mod cdp;
pub mod host;
pub mod server;

use std::path::{Path, PathBuf};

/// Copies `tests/fixtures/<name>` into a fresh temporary folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&src, dir.path());
    dir
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(src).expect("prefix");
        let target = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// `target/<dir>/node_modules/<file>`, installing the npm package `spec`
/// there when it is missing. `None` (with a message) when npm cannot.
pub fn npm_file(dir: &str, spec: &str, file: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(dir);
    let path = root.join("node_modules").join(file);
    if !path.is_file() {
        std::fs::create_dir_all(&root).ok()?;
        let status = std::process::Command::new("npm")
            .args(["install", "--prefix"])
            .arg(&root)
            .args(["--no-audit", "--no-fund", "--no-save", spec])
            .status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("skipped: `npm install {spec}` failed ({s})");
                return None;
            }
            Err(e) => {
                eprintln!("skipped: npm is not available ({e})");
                return None;
            }
        }
    }
    path.is_file().then_some(path)
}

/// Writes files (path → text) under `root`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (p, text) in files {
        let path = root.join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// [`write_files`] for files made by the test (path and text owned).
pub fn write_owned(root: &Path, files: &[(String, String)]) {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(root, &refs);
}

/// Builds `root` in memory and returns the site and its files.
pub fn build(root: &Path) -> (isokb::Site, BTreeMap<String, Vec<u8>>) {
    isokb::build_in_memory(root, &isokb::Overrides::default(), &Default::default()).expect("build")
}

pub fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| {
                panic!(
                    "no file {path}; have {:?}",
                    files.keys().take(50).collect::<Vec<_>>()
                )
            })
            .clone(),
    )
    .expect("utf-8")
}

/// The `<main>` element of a page.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("<main");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    html[start..end].to_string()
}

/// Every relative `href`/`src` in HTML files that does not lead to an emitted file.
pub fn dead_links(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut dead = Vec::new();
    for (path, bytes) in files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let dir = path.rfind('/').map_or("", |i| &path[..i]);
        for attr in ["href=\"", "src=\"", "url="] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                let end = rest.find(['"', '>']).unwrap_or(rest.len());
                let url = rest[..end].replace("&amp;", "&");
                if url.is_empty()
                    || url.starts_with('#')
                    || url.contains("://")
                    || url.starts_with("mailto:")
                    || url.starts_with("data:")
                {
                    continue;
                }
                let url = url.split('#').next().unwrap_or("").to_string();
                let target = resolve(dir, &url);
                let found = match &target {
                    Some(t) if t.is_empty() || t.ends_with('/') => {
                        files.contains_key(&format!("{t}index.html"))
                    }
                    Some(t) => {
                        files.contains_key(t) || files.contains_key(&format!("{t}/index.html"))
                    }
                    None => false,
                };
                if !found {
                    dead.push(format!("{path}: {url}"));
                }
            }
        }
    }
    dead
}

fn resolve(dir: &str, url: &str) -> Option<String> {
    let mut parts: Vec<String> = dir
        .split('/')
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    let trailing = url.ends_with('/') || url == "./" || url == ".";
    for seg in url.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(isokb::paths::decode_percent(s)),
        }
    }
    let mut s = parts.join("/");
    if trailing && !s.is_empty() {
        s.push('/');
    }
    Some(s)
}

/// The binary built by cargo for this test run.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_isokb"))
}

/// `html` with every `<time>` element's date masked: file times and git
/// dates change with every checkout.
pub fn mask_times(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<time datetime=\"") {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find("</time>")
            .map_or(rest.len(), |j| i + j + "</time>".len());
        out.push_str("<time>DATE</time>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
