//! The reader's side in headless Chromium: search (with and without
//! accents, from `file://`), the graph, link previews (over HTTP), dark mode,
//! the phone layout and an axe-core audit. Each test saves screenshots under
//! `target/screenshots/`. Tests skip with a message when Chromium (or, for
//! axe, npm) is missing.

mod common;

use common::cdp::Browser;
use common::server::Server;
use common::write_files;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "title = \"Base qualité\"\nlanguage = \"fr\"\ndescription = \"Notes de l’équipe qualité.\"\n",
            ),
            (
                "content/index.md",
                "# Base qualité\n\nBienvenue. Commencez par [[Sécurité de l’information]] ou [[Audits internes]].\n",
            ),
            (
                "content/Normes/Sécurité de l’information.md",
                "---\naliases: [SSI]\ntags: [norme/iso-27001, sécurité]\n---\n# Sécurité de l’information\n\nLa **sécurité de l’information** protège la confidentialité, l’intégrité et la disponibilité des données. Elle s’appuie sur la norme [[ISO 27001]] et sur des [[Audits internes]] réguliers.\n\n## Contrôles d’accès\n\nChaque accès est accordé selon le besoin d’en connaître.\n\n## Gestion des incidents\n\nLes incidents de sécurité sont déclarés sous 24 heures. Voir [[Non-conformités]].\n",
            ),
            (
                "content/Normes/ISO 27001.md",
                "---\ntags: [norme/iso-27001]\n---\n# ISO 27001\n\nNorme internationale des systèmes de management de la sécurité de l’information. Voir [[Sécurité de l’information]].\n",
            ),
            (
                "content/Normes/ISO 9001.md",
                "---\ntags: [norme/iso-9001]\n---\n# ISO 9001\n\nNorme des systèmes de management de la qualité. Les [[Audits internes]] en vérifient l’application.\n",
            ),
            (
                "content/Qualité/Audits internes.md",
                "---\ntags: [qualité/audit]\n---\n# Audits internes\n\nLes audits internes vérifient que les procédures sont appliquées. Ils portent aussi sur la sécurisation des postes.\n\n## Programme annuel\n\nUn audit par processus et par an. Voir [[ISO 9001]].\n",
            ),
            (
                "content/Qualité/Non-conformités.md",
                "---\ntags: [qualité/écart]\n---\n# Non-conformités\n\nToute non-conformité est enregistrée, analysée puis corrigée. Les [[Audits internes]] en détectent beaucoup.\n",
            ),
            (
                "content/Qualité/Revue de direction.md",
                "---\ntags: [qualité]\n---\n# Revue de direction\n\nLa direction passe en revue les résultats des [[Audits internes]] et les [[Non-conformités]].\n",
            ),
        ],
    );
    dir
}

/// Builds the vault to `public/` and returns the output folder.
fn build(dir: &Path) -> PathBuf {
    let report = isokb::build(dir, &isokb::Overrides::default()).expect("build");
    assert!(report.emitted.is_some(), "{:#?}", report.site.diagnostics);
    report.output
}

fn file_url(out: &Path, page: &str) -> String {
    format!("file://{}/{page}", out.display())
}

fn open(url: &str) -> Option<Browser> {
    let mut b = Browser::open(url, (1280, 900));
    match &mut b {
        // Keyboard input reaches the page even when its window is not in front.
        Some(b) => {
            b.call(
                "Emulation.setFocusEmulationEnabled",
                json!({ "enabled": true }),
            );
            // The first page is `about:blank` until the navigation starts.
            let js = format!(
                "location.href === {} && document.readyState === 'complete'",
                serde_json::to_string(url).unwrap()
            );
            assert!(b.wait_for(&js, WAIT), "{url} did not load");
        }
        None => eprintln!("skipped: chromium is not installed (scripts/test.sh installs it)"),
    }
    b
}

/// Goes to `url` and waits until that page, not the previous one, is loaded.
fn go(b: &mut Browser, url: &str) {
    b.goto(url);
    let js = format!(
        "location.href === {} && document.readyState === 'complete'",
        serde_json::to_string(url).unwrap()
    );
    assert!(b.wait_for(&js, WAIT), "{url} did not load");
}

/// Opens `url` until `js` holds there, failing after WAIT. Chromium hands a
/// localStorage write to its storage service asynchronously, and on a loaded
/// machine a page opened soon after can still read the old state.
fn reopen_until(b: &mut Browser, url: &str, js: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        std::thread::sleep(Duration::from_millis(300));
        go(b, url);
        if b.eval(js) == json!(true) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never true on {url}: {js}; stored={} {}",
            b.eval("localStorage.getItem('isokb-theme')"),
            b.eval("document.documentElement.outerHTML.slice(0, 600)")
        );
    }
}

/// Evaluates `js`, or `None` when a navigation interrupts it (the CDP client
/// treats every error as fatal; this one is expected while a page changes).
fn try_eval(b: &mut Browser, js: &str) -> Option<Value> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| b.eval(js))).ok()
}

/// Waits until a navigation started by the page (a click, Enter) has loaded
/// a URL containing `part`.
fn wait_navigation(b: &mut Browser, part: &str) -> bool {
    let js = format!(
        "location.href.includes({}) && document.readyState === 'complete'",
        serde_json::to_string(part).unwrap()
    );
    let deadline = std::time::Instant::now() + WAIT;
    while std::time::Instant::now() < deadline {
        if try_eval(b, &js) == Some(Value::Bool(true)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn key(b: &mut Browser, key: &str, code: u32) {
    for t in ["keyDown", "keyUp"] {
        b.call(
            "Input.dispatchKeyEvent",
            json!({ "type": t, "key": key, "code": key, "windowsVirtualKeyCode": code }),
        );
    }
}

fn mouse(b: &mut Browser, kind: &str, x: f64, y: f64) {
    let mut p = json!({ "type": kind, "x": x, "y": y });
    if kind != "mouseMoved" {
        p["button"] = json!("left");
        p["clickCount"] = json!(1);
    }
    b.call("Input.dispatchMouseEvent", p);
}

fn type_query(b: &mut Browser, q: &str) {
    b.eval("(() => { const i = document.getElementById('search-input'); i.focus(); i.value = ''; i.dispatchEvent(new Event('input')); })()");
    for c in q.chars() {
        b.call("Input.insertText", json!({ "text": c.to_string() }));
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn first_result(b: &mut Browser) -> String {
    b.eval("(() => { const a = document.querySelector('#search-results li[role=option] .result-title'); return a ? a.textContent : ''; })()")
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn search_finds_words_with_or_without_accents_and_opens_a_result() {
    let dir = vault();
    let out = build(dir.path());
    let Some(mut b) = open(&file_url(&out, "index.html")) else {
        return;
    };
    assert!(b.wait_for("document.readyState === 'complete'", WAIT));
    // `/` opens the search box.
    b.call(
        "Input.dispatchKeyEvent",
        json!({ "type": "keyDown", "key": "/", "code": "Slash", "text": "/", "windowsVirtualKeyCode": 191 }),
    );
    b.call(
        "Input.dispatchKeyEvent",
        json!({ "type": "keyUp", "key": "/", "code": "Slash", "windowsVirtualKeyCode": 191 }),
    );
    assert_eq!(
        b.eval("document.activeElement.id + '|' + document.getElementById('search-input').value"),
        json!("search-input|")
    );
    // Without accents, as people type: the title match comes first, highlighted.
    type_query(&mut b, "securite");
    let shown = b.wait_for(
        "!!document.querySelector('#search-results li[role=option] .result-title') && document.querySelectorAll('#search-results li.loading').length === 0",
        WAIT,
    );
    assert!(
        shown,
        "no results for `securite`: {}",
        b.eval("document.getElementById('search-results').outerHTML + ' value=' + document.getElementById('search-input').value + ' api=' + typeof window.IsokbSearch")
    );
    assert_eq!(first_result(&mut b), "Sécurité de l’information");
    let marks = b.eval(
        "Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)",
    );
    assert!(
        marks.as_array().unwrap().iter().any(|m| m
            .as_str()
            .unwrap()
            .to_lowercase()
            .starts_with("sécurité")),
        "{marks}"
    );
    assert_eq!(
        b.eval("document.getElementById('search-input').getAttribute('aria-expanded')"),
        json!("true")
    );
    assert_eq!(
        b.eval("document.getElementById('search-status').textContent"),
        json!("3 résultats"),
        "announced to screen readers"
    );
    b.screenshot("reader-search-securite.png");

    // With accents and a plural: the same notes, word forms matched.
    type_query(&mut b, "sécurité");
    assert!(b.wait_for(
        "(document.querySelector('#search-results li[role=option] .result-title') || {}).textContent === 'Sécurité de l’information'",
        WAIT
    ));
    type_query(&mut b, "audits");
    assert!(b.wait_for(
        "(document.querySelector('#search-results li[role=option] .result-title') || {}).textContent === 'Audits internes'",
        WAIT
    ));
    // A prefix while typing finds `non-conformités`.
    type_query(&mut b, "conform");
    assert!(
        b.wait_for(
            "Array.from(document.querySelectorAll('#search-results li[role=option] .result-title')).some(a => a.textContent === 'Non-conformités')",
            WAIT
        ),
        "prefix search"
    );
    b.screenshot("reader-search-prefix.png");

    // Keyboard: arrow to the first result, Enter opens it.
    type_query(&mut b, "securite");
    assert!(b.wait_for(
        "(document.querySelector('#search-results li[role=option] .result-title') || {}).textContent === 'Sécurité de l’information'",
        WAIT
    ));
    key(&mut b, "ArrowDown", 40);
    assert_eq!(
        b.eval("document.getElementById('search-input').getAttribute('aria-activedescendant')"),
        json!("search-result-0")
    );
    key(&mut b, "Enter", 13);
    assert!(
        wait_navigation(&mut b, "securite-de-l-information"),
        "Enter did not open the result"
    );
    b.screenshot("reader-note.png");
}

#[test]
fn the_graph_page_draws_every_note_and_a_click_opens_one() {
    let dir = vault();
    let out = build(dir.path());
    let Some(mut b) = open(&file_url(&out, "graph/index.html")) else {
        return;
    };
    assert!(
        b.wait_for(
            "!!document.querySelector('.graph-box[data-ready]') && window.IsokbGraph.views.length === 1",
            WAIT
        ),
        "graph did not load from file://"
    );
    assert!(b.wait_for(
        "document.querySelector('.graph-box').hasAttribute('data-settled')",
        WAIT
    ));
    assert_eq!(b.eval("window.IsokbGraph.views[0].sim.n"), json!(7));
    // Tags as optional nodes.
    b.eval("(() => { const c = document.querySelector('.graph-tags'); c.click(); })()");
    assert!(b.wait_for("window.IsokbGraph.views[0].sim.n > 7", WAIT));
    assert!(b.wait_for(
        "document.querySelector('.graph-box').hasAttribute('data-settled')",
        WAIT
    ));
    b.eval("document.querySelector('.graph-fit').click()");
    b.screenshot("reader-graph-tags.png");
    b.eval("document.querySelector('.graph-tags').click()");
    assert!(b.wait_for(
        "window.IsokbGraph.views[0].sim.n === 7 && document.querySelector('.graph-box').hasAttribute('data-settled')",
        WAIT
    ));
    b.eval("document.querySelector('.graph-fit').click()");
    // Hover then click the node of `ISO 9001`.
    let pos = b.eval(
        "(() => { const v = window.IsokbGraph.views[0]; const i = v.ids.findIndex(id => v.model.nodes[id].title === 'ISO 9001'); return v.screen(i); })()",
    );
    let (x, y) = (pos["x"].as_f64().unwrap(), pos["y"].as_f64().unwrap());
    mouse(&mut b, "mouseMoved", x, y);
    assert!(b.wait_for("window.IsokbGraph.views[0].hover >= 0", WAIT));
    b.screenshot("reader-graph.png");
    mouse(&mut b, "mousePressed", x, y);
    mouse(&mut b, "mouseReleased", x, y);
    assert!(
        wait_navigation(&mut b, "/normes/iso-9001/"),
        "clicking a node did not open its note"
    );
    // The note's local graph: drawn, the note among its neighbours.
    assert!(b.wait_for(
        "window.IsokbGraph && window.IsokbGraph.views.length === 1 && document.querySelector('.local-graph .graph-box').hasAttribute('data-settled')",
        WAIT
    ));
    assert_eq!(
        b.eval("window.IsokbGraph.views[0].model.nodes[0].title"),
        json!("ISO 9001")
    );
    let painted = b.eval(
        "(() => { const c = document.querySelector('.local-graph canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()",
    );
    assert!(painted.as_u64().unwrap_or(0) > 100, "local graph is blank");
    b.screenshot("reader-local-graph.png");
}

#[test]
fn hovering_an_internal_link_shows_a_preview_of_its_note() {
    let dir = vault();
    let server = Server::start(dir.path(), &[]);
    let url = format!(
        "http://127.0.0.1:{}/normes/securite-de-l-information/",
        server.port
    );
    let Some(mut b) = open(&url) else {
        return;
    };
    assert!(b.wait_for(
        "document.readyState === 'complete' && !!document.querySelector('.note-body a.internal')",
        WAIT
    ));
    let pos = b.eval(
        "(() => { const a = Array.from(document.querySelectorAll('.note-body a.internal')).find(a => a.textContent === 'ISO 27001'); const r = a.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()",
    );
    mouse(
        &mut b,
        "mouseMoved",
        pos["x"].as_f64().unwrap(),
        pos["y"].as_f64().unwrap(),
    );
    assert!(
        b.wait_for(
            "(() => { const p = document.querySelector('.preview'); return !!p && !p.hidden && p.textContent.includes('Norme internationale'); })()",
            WAIT
        ),
        "no preview"
    );
    assert_eq!(
        b.eval("document.querySelector('.preview .preview-title').textContent"),
        json!("ISO 27001")
    );
    assert_eq!(
        b.eval("document.querySelectorAll('.preview [id]').length"),
        json!(0),
        "ids copied into the page"
    );
    b.screenshot("reader-preview.png");
    mouse(&mut b, "mouseMoved", 5.0, 880.0);
    assert!(b.wait_for("document.querySelector('.preview').hidden", WAIT));
}

#[test]
fn dark_mode_toggles_persists_and_reports_its_state() {
    let dir = vault();
    let out = build(dir.path());
    let Some(mut b) = open(&file_url(&out, "normes/iso-27001/index.html")) else {
        return;
    };
    assert!(b.wait_for("document.readyState === 'complete'", WAIT));
    b.call(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
    );
    let btn = "document.querySelector('.theme-toggle')";
    assert_eq!(
        b.eval(&format!("{btn}.getAttribute('aria-pressed')")),
        json!("false")
    );
    b.eval(&format!("{btn}.click()"));
    assert_eq!(
        b.eval("document.documentElement.getAttribute('data-theme')"),
        json!("dark")
    );
    assert_eq!(
        b.eval(&format!("{btn}.getAttribute('aria-pressed')")),
        json!("true")
    );
    let bg = b.eval("getComputedStyle(document.body).backgroundColor");
    assert_eq!(bg, json!("rgb(27, 29, 34)"));
    b.screenshot("reader-dark.png");
    // Persists across pages.
    assert_eq!(b.eval("localStorage.getItem('isokb-theme')"), json!("dark"));
    let next = file_url(&out, "normes/iso-9001/index.html");
    reopen_until(
        &mut b,
        &next,
        "document.documentElement.getAttribute('data-theme') === 'dark'",
    );
    assert!(b.wait_for(
        "document.querySelector('.theme-toggle').getAttribute('aria-pressed') === 'true'",
        WAIT
    ));
    // Following the system until toggled.
    b.eval("localStorage.removeItem('isokb-theme')");
    b.call(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    );
    reopen_until(
        &mut b,
        &next,
        "!document.documentElement.hasAttribute('data-theme')",
    );
    assert_eq!(
        b.eval("getComputedStyle(document.body).backgroundColor"),
        json!("rgb(27, 29, 34)")
    );
    assert!(b.wait_for(
        "document.querySelector('.theme-toggle').getAttribute('aria-pressed') === 'true'",
        WAIT
    ));
}

#[test]
fn pages_fit_a_phone_and_do_not_shift_while_loading() {
    let dir = vault();
    let out = build(dir.path());
    let Some(mut b) = open(&file_url(&out, "index.html")) else {
        return;
    };
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 375, "height": 800, "deviceScaleFactor": 2, "mobile": true }),
    );
    for page in [
        "index.html",
        "normes/securite-de-l-information/index.html",
        "qualite/index.html",
        "tags/norme/iso-27001/index.html",
        "graph/index.html",
    ] {
        b.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.__shift = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; }).observe({ type: 'layout-shift', buffered: true });" }),
        );
        go(&mut b, &file_url(&out, page));
        std::thread::sleep(Duration::from_millis(600));
        let width = b.eval("document.documentElement.scrollWidth");
        assert!(
            width.as_u64().unwrap() <= 375,
            "{page} is {width}px wide at 375px"
        );
        let shift = b.eval("window.__shift").as_f64().unwrap_or(0.0);
        assert!(shift < 0.01, "{page}: layout shift {shift}");
        let name = format!(
            "reader-phone-{}.png",
            page.trim_end_matches("/index.html")
                .trim_end_matches(".html")
                .replace('/', "-")
        );
        b.screenshot(&name);
    }
}

/// `target/axe/node_modules/axe-core/axe.min.js`, installed with npm when missing.
fn axe_source() -> Option<String> {
    let file = common::npm_file("axe", "axe-core@4", "axe-core/axe.min.js")?;
    std::fs::read_to_string(file).ok()
}

/// Serious and critical violations on the current page, described.
fn audit(b: &mut Browser, axe: &str, what: &str) -> Vec<String> {
    if b.eval("typeof window.axe") != json!("object") {
        b.eval(axe);
    }
    let r = b.eval(
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + n.failureSummary) })))",
    );
    let all = r.as_array().cloned().unwrap_or_default();
    for v in &all {
        eprintln!(
            "axe {what}: {} ({}) {}: {}",
            v["id"], v["impact"], v["help"], v["nodes"]
        );
    }
    all.iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v: &Value| format!("{what}: {} — {} {}", v["id"], v["help"], v["nodes"]))
        .collect()
}

#[test]
fn axe_finds_no_serious_violation_on_note_tag_search_and_graph_pages() {
    let dir = vault();
    let out = build(dir.path());
    let Some(mut b) = open(&file_url(
        &out,
        "normes/securite-de-l-information/index.html",
    )) else {
        return;
    };
    let Some(axe) = axe_source() else {
        assert!(
            std::env::var_os("ISOKB_REQUIRE_BROWSER").is_none(),
            "axe-core could not be installed, and scripts/test.sh requires the audit"
        );
        return;
    };
    let mut bad = Vec::new();
    for theme in ["light", "dark"] {
        b.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": theme }] }),
        );
        go(
            &mut b,
            &file_url(&out, "normes/securite-de-l-information/index.html"),
        );
        assert!(b.wait_for("!!window.IsokbGraph", WAIT));
        bad.extend(audit(&mut b, &axe, &format!("note ({theme})")));
        go(&mut b, &file_url(&out, "tags/norme/iso-27001/index.html"));
        bad.extend(audit(&mut b, &axe, &format!("tag ({theme})")));
        go(&mut b, &file_url(&out, "qualite/index.html"));
        type_query(&mut b, "audit");
        assert!(b.wait_for(
            "!!document.querySelector('#search-results li[role=option] .result-title') && !document.querySelector('#search-results li.loading')",
            WAIT
        ));
        key(&mut b, "ArrowDown", 40);
        bad.extend(audit(&mut b, &axe, &format!("search ({theme})")));
        b.screenshot(&format!("reader-axe-search-{theme}.png"));
        go(&mut b, &file_url(&out, "graph/index.html"));
        assert!(b.wait_for("!!document.querySelector('.graph-box[data-ready]')", WAIT));
        bad.extend(audit(&mut b, &axe, &format!("graph ({theme})")));
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn pages_work_without_javascript_and_print_without_navigation() {
    let dir = vault();
    let out = build(dir.path());
    let page = file_url(&out, "normes/iso-27001/index.html");
    let Some(mut b) = open(&file_url(&out, "index.html")) else {
        return;
    };
    b.call(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    );
    go(&mut b, &page);
    assert_eq!(
        b.eval("document.documentElement.classList.contains('js')"),
        json!(false)
    );
    // The explorer folds natively: the current folder open, another closed.
    let state = b.eval(
        "Array.from(document.querySelectorAll('.explorer details')).map(d => d.querySelector('summary').textContent + ':' + d.open).join(' ')",
    );
    assert_eq!(state, json!("Normes:true Qualité:false"));
    let pos = b.eval(
        "(() => { const s = Array.from(document.querySelectorAll('.explorer summary')).find(s => s.textContent === 'Qualité'); s.scrollIntoView(); const r = s.getBoundingClientRect(); return { x: r.left + 10, y: r.top + r.height / 2 }; })()",
    );
    let (x, y) = (pos["x"].as_f64().unwrap(), pos["y"].as_f64().unwrap());
    mouse(&mut b, "mousePressed", x, y);
    mouse(&mut b, "mouseReleased", x, y);
    assert!(b.wait_for(
        "Array.from(document.querySelectorAll('.explorer details')).every(d => d.open)",
        WAIT
    ));
    // What needs JavaScript is hidden, without leaving a hole in the layout.
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.local-graph')).display"),
        json!("none")
    );
    assert!(b
        .eval("document.querySelector('.pager a').href")
        .as_str()
        .unwrap()
        .ends_with("normes/iso-9001/index.html"));
    b.eval("window.scrollTo(0, 0)");
    b.screenshot("reader-no-js.png");

    b.call(
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": false }),
    );
    b.call("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    go(&mut b, &page);
    for hidden in [".explorer", ".sidebar", ".pager", ".site-header"] {
        assert_eq!(
            b.eval(&format!(
                "getComputedStyle(document.querySelector('{hidden}')).display"
            )),
            json!("none"),
            "{hidden} in print"
        );
    }
    b.screenshot("reader-print.png");
}
