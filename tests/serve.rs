//! `isokb serve`: the real server on a free port, its WebSocket, live rebuilds.

mod common;

use common::server::{next_message, Server};
use common::write_files;

fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"Serve\"\n[diagnostics]\nbroken-link = \"error\"\n",
            ),
            ("content/index.md", "# Home\n\nSee [[Note]].\n"),
            (
                "content/Note.md",
                "---\ntags: [x]\n---\n# Note\n\nFirst version.\n",
            ),
            ("content/Other.md", "# Other\n\n[[Note#Nope]]\n"),
        ],
    );
    dir
}

#[test]
fn serves_pages_from_memory_with_the_reload_client() {
    let dir = vault();
    let server = Server::start(dir.path(), &[]);
    let (status, head, body) = server.get("/note/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("cache-control: no-store"));
    assert!(
        body.contains("First version.") && body.contains("/__isokb/ws"),
        "client injected"
    );
    let (status, head, _) = server.get("/note");
    assert_eq!(status, 301);
    assert!(head.contains("location: /note/"));
    let (status, head, _) = server.get("/_static/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    assert_eq!(server.get("/nope/").0, 404);
    assert!(
        !dir.path().join("public").exists(),
        "serve never writes the output folder"
    );
}

#[test]
fn traversal_never_leaks_a_file() {
    let dir = vault();
    std::fs::write(dir.path().join("secret.txt"), "TOPSECRET").unwrap();
    let server = Server::start(dir.path(), &[]);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/content/Note.md",
        "/site.toml",
        "//etc/passwd",
        "/..%5c..%5csecret.txt",
        "/note/../../secret.txt",
        "/content/",
    ] {
        let (status, _, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("TOPSECRET") && !body.contains("root:x:0"),
            "{path} leaked"
        );
        assert!(!body.contains("First version"), "{path} listed the vault");
    }
}

/// The version a served page was stamped with (in its live-reload client).
fn stamp(page: &str) -> String {
    let rest = page
        .split("var version = \"")
        .nth(1)
        .unwrap_or_else(|| panic!("no version in the page: {page}"));
    let v = &rest[..rest.find('"').unwrap()];
    assert!(!v.starts_with("__"), "the mark was not replaced: {v}");
    v.to_string()
}

#[test]
fn editing_a_note_sends_a_reload_and_serves_the_new_page() {
    let dir = vault();
    let server = Server::start(dir.path(), &[]);
    let served = stamp(&server.get("/note/").2);
    let mut ws = server.websocket();
    // The greeting names the version of the files served, which the page
    // was stamped with: nothing to catch up on.
    let hello = next_message(&mut ws, |_| true);
    assert_eq!(hello["type"], "hello", "{hello}");
    assert_eq!(hello["version"].as_str(), Some(served.as_str()));
    let status = next_message(&mut ws, |m| m["type"] == "status");
    assert!(status["errors"].as_array().unwrap().is_empty());
    let warnings = &status["warnings"]["other/index.html"];
    assert!(
        warnings[0]["message"].as_str().unwrap().contains("Nope"),
        "per-page warnings: {status}"
    );
    std::fs::write(
        dir.path().join("content/Note.md"),
        "---\ntags: [x]\n---\n# Note\n\nSecond version.\n",
    )
    .unwrap();
    let reload = next_message(&mut ws, |m| m["type"] == "reload");
    let changed: Vec<&str> = reload["changed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(changed.contains(&"note/index.html"), "{reload}");
    assert!(
        !changed.contains(&"other/index.html"),
        "an unrelated page is untouched: {reload}"
    );
    let page = server.get("/note/").2;
    assert!(page.contains("Second version."));
    let version = reload["version"].as_str().unwrap();
    assert_ne!(version, served, "{reload}");
    assert_eq!(stamp(&page), version);
    assert_eq!(stamp(&server.get("/other/").2), version);
    // A browser connecting now with the old page is told of the new version.
    let hello = next_message(&mut server.websocket(), |_| true);
    assert_eq!(hello["version"].as_str(), Some(version));
    let line = server.wait_log("rebuilt (Note.md)");
    assert!(line.contains("pages") && line.contains("ms"), "{line}");
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_pages_and_reports() {
    let dir = vault();
    let server = Server::start(dir.path(), &[]);
    let mut ws = server.websocket();
    next_message(&mut ws, |m| m["type"] == "status");
    std::fs::write(
        dir.path().join("content/Note.md"),
        "# Note\n\nBroken [[Missing]] version.\n",
    )
    .unwrap();
    let status = next_message(&mut ws, |m| {
        m["type"] == "status" && !m["errors"].as_array().unwrap().is_empty()
    });
    let err = &status["errors"][0];
    assert!(
        err["file"].as_str().unwrap().ends_with("Note.md"),
        "{status}"
    );
    assert_eq!(err["line"], 3);
    assert!(err["message"].as_str().unwrap().contains("Missing"));
    server.wait_log("rebuild failed");
    let page = server.get("/note/").2;
    assert!(
        page.contains("First version.") && !page.contains("Broken"),
        "old page kept"
    );
    std::fs::write(
        dir.path().join("content/Note.md"),
        "# Note\n\nFixed version.\n",
    )
    .unwrap();
    let status = next_message(&mut ws, |m| {
        m["type"] == "status" && m["errors"].as_array().unwrap().is_empty()
    });
    assert!(status["errors"].as_array().unwrap().is_empty());
    next_message(&mut ws, |m| m["type"] == "reload");
    assert!(server.get("/note/").2.contains("Fixed version."));
}

#[test]
fn renames_point_browsers_to_the_new_page() {
    let dir = vault();
    let server = Server::start(dir.path(), &[]);
    let mut ws = server.websocket();
    next_message(&mut ws, |m| m["type"] == "status");
    std::fs::rename(
        dir.path().join("content/Other.md"),
        dir.path().join("content/Renamed.md"),
    )
    .unwrap();
    let reload = next_message(&mut ws, |m| m["type"] == "reload");
    assert_eq!(reload["renamed"][0], "other/index.html", "{reload}");
    assert_eq!(reload["renamed"][1], "renamed/index.html");
    assert_eq!(server.get("/other/").0, 404);
}

#[test]
fn a_busy_port_moves_to_the_next_one() {
    let dir = vault();
    // A busy port whose next one is free (other tests run servers at once).
    let (_taken, port) = loop {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        if port < u16::MAX && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            break (taken, port);
        }
    };
    let mut child = std::process::Command::new(common::bin())
        .args(["serve", "--root"])
        .arg(dir.path())
        .args(["--port", &port.to_string()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let mut seen = Vec::new();
    for line in lines.by_ref().take(5).map_while(Result::ok) {
        let done = line.starts_with("serving");
        seen.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen.iter()
            .any(|l| l.contains(&format!("port {port} is busy; using {}", port + 1))),
        "{seen:?}"
    );
}
