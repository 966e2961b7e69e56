//! End to end in headless Chromium: a page served by `isokb serve` updates by
//! itself when its note is edited on disk.

mod common;

use common::cdp::Browser;
use common::server::Server;
use common::write_files;
use std::time::Duration;

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
    let url = format!("http://127.0.0.1:{}/note/", server.port);
    let Some(mut browser) = Browser::open(&url, (1280, 900)) else {
        eprintln!("skipped: chromium is not installed (scripts/test.sh installs it)");
        return;
    };
    assert!(browser.wait_for(
        "document.body && document.body.innerText.includes('Première version')",
        Duration::from_secs(20)
    ));
    // Wait for the live-reload socket, then mark this page instance.
    std::thread::sleep(Duration::from_millis(500));
    browser.eval("window.__before_edit = true");
    std::fs::write(
        dir.path().join("content/Note.md"),
        "# Note\n\nDeuxième version, écrite « à la main ».\n",
    )
    .unwrap();
    let updated = browser.wait_for(
        "document.body.innerText.includes('Deuxième version')",
        Duration::from_secs(20),
    );
    let shot = browser.screenshot("serve-live-reload.png");
    assert!(
        updated,
        "the page did not update by itself (screenshot: {})",
        shot.display()
    );
    assert_eq!(
        browser.eval("window.__before_edit === undefined"),
        serde_json::Value::Bool(true),
        "the page was reloaded by the client"
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
