//! End to end in headless Chromium: a page served by `isokb serve` updates by
//! itself when its note is edited on disk, even across a restart of the server.

mod common;

use common::cdp::Browser;
use common::server::Server;
use common::write_files;
use std::time::Duration;

/// Opens `/note/` on the server at `port` and waits until it shows `text`;
/// `None` when Chromium is missing.
fn open_note(port: u16, text: &str) -> Option<Browser> {
    let url = format!("http://127.0.0.1:{port}/note/");
    let Some(mut browser) = Browser::open(&url, (1280, 900)) else {
        eprintln!("skipped: chromium is not installed (scripts/test.sh installs it)");
        return None;
    };
    let js = format!(
        "document.body && document.body.innerText.includes({})",
        serde_json::to_string(text).unwrap()
    );
    assert!(browser.wait_for(&js, Duration::from_secs(20)), "{url}");
    Some(browser)
}

/// Waits until the page shows `text` by itself, and checks it was reloaded:
/// `marker`, set on the page before, is gone. Saves a screenshot as `shot`.
fn reloads_to_show(browser: &mut Browser, text: &str, marker: &str, shot: &str) {
    let js = format!(
        "document.body.innerText.includes({})",
        serde_json::to_string(text).unwrap()
    );
    let updated = browser.wait_for(&js, Duration::from_secs(20));
    let shot = browser.screenshot(shot);
    assert!(
        updated,
        "the page did not show {text:?} by itself (screenshot: {})",
        shot.display()
    );
    assert_eq!(
        browser.eval(&format!("window.{marker} === undefined")),
        serde_json::Value::Bool(true),
        "the page was reloaded"
    );
}

#[test]
fn the_browser_shows_an_edit_without_a_manual_reload() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"Live\"\nlanguage = \"fr\"\n"),
            ("content/index.md", "# Accueil\n\n[[Note]]\n"),
            (
                "content/Note.md",
                "# Note\n\nPremière version de la note.\n",
            ),
        ],
    );
    let server = Server::start(dir.path(), &[]);
    let Some(mut browser) = open_note(server.port, "Première version") else {
        return;
    };
    // Mark this page instance. Whether its live-reload socket is open yet or
    // not, the edit must show: a socket that opens after the rebuild hears a
    // newer version than the page's and reloads it.
    browser.eval("window.__before_edit = true");
    std::fs::write(
        dir.path().join("content/Note.md"),
        "# Note\n\nDeuxième version, écrite « à la main ».\n",
    )
    .unwrap();
    reloads_to_show(
        &mut browser,
        "Deuxième version",
        "__before_edit",
        "serve-live-reload.png",
    );

    // A broken edit shows the error overlay and keeps the last good text.
    std::fs::write(
        dir.path().join("content/Note.md"),
        "---\ntitle: [cassé\n---\n# Note\n",
    )
    .unwrap();
    assert!(
        browser.wait_for(
            "!!document.getElementById('isokb-overlay')",
            Duration::from_secs(20)
        ),
        "overlay"
    );
    let overlay = browser.eval("document.getElementById('isokb-overlay').innerText");
    assert!(
        overlay.as_str().unwrap_or("").contains("Note.md"),
        "{overlay}"
    );
    assert_eq!(
        browser.eval("document.body.innerText.includes('Deuxième version')"),
        serde_json::Value::Bool(true)
    );
    browser.screenshot("serve-error-overlay.png");
}

#[test]
fn a_page_catches_up_with_edits_made_while_the_server_was_down() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("site.toml", "title = \"Live\"\nlanguage = \"fr\"\n"),
            ("content/Note.md", "# Note\n\nAvant l’arrêt.\n"),
        ],
    );
    let first = Server::start(dir.path(), &[]);
    let port = first.port;
    let Some(mut browser) = open_note(port, "Avant l’arrêt") else {
        return;
    };
    // Give the socket time to open, so that the restart is a reconnection.
    std::thread::sleep(Duration::from_millis(1000));
    browser.eval("window.__first_server = true");
    drop(first);
    std::fs::write(
        dir.path().join("content/Note.md"),
        "# Note\n\nÉcrit pendant l’arrêt « du serveur ».\n",
    )
    .unwrap();
    let second = Server::start_on(dir.path(), port, &[]);
    assert_eq!(second.port, port, "the port was taken in between");
    reloads_to_show(
        &mut browser,
        "Écrit pendant l’arrêt « du serveur »",
        "__first_server",
        "serve-restart.png",
    );
}
