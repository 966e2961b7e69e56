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
                "content/10_COURS_ET_INGESTION_DES_DOCUMENTS_DE_REFERENCE/Supports_de_formation_interne_pour_les_nouveaux_auditeurs.md",
                "# Supports_de_formation_interne_pour_les_nouveaux_auditeurs\n\nVoir [[Audits internes]].\n",
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
    b.eval("(() => { const a = document.querySelector('#search-results [role=option] .result-title'); return a ? a.textContent : ''; })()")
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
        "!!document.querySelector('#search-results [role=option] .result-title') && document.querySelectorAll('#search-results li.loading').length === 0",
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
        json!("3\u{a0}résultats"),
        "announced to screen readers"
    );
    b.screenshot("reader-search-securite.png");

    // With accents and a plural: the same notes, word forms matched.
    type_query(&mut b, "sécurité");
    assert!(b.wait_for(
        "(document.querySelector('#search-results [role=option] .result-title') || {}).textContent === 'Sécurité de l’information'",
        WAIT
    ));
    type_query(&mut b, "audits");
    assert!(b.wait_for(
        "(document.querySelector('#search-results [role=option] .result-title') || {}).textContent === 'Audits internes'",
        WAIT
    ));
    // A prefix while typing finds `non-conformités`.
    type_query(&mut b, "conform");
    assert!(
        b.wait_for(
            "Array.from(document.querySelectorAll('#search-results [role=option] .result-title')).some(a => a.textContent === 'Non-conformités')",
            WAIT
        ),
        "prefix search"
    );
    b.screenshot("reader-search-prefix.png");

    // Keyboard: arrow to the first result, Enter opens it.
    type_query(&mut b, "securite");
    assert!(b.wait_for(
        "(document.querySelector('#search-results [role=option] .result-title') || {}).textContent === 'Sécurité de l’information'",
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
    assert_eq!(b.eval("window.IsokbGraph.views[0].sim.n"), json!(8));
    // Tags as optional nodes.
    b.eval("(() => { const c = document.querySelector('.graph-tags'); c.click(); })()");
    assert!(b.wait_for("window.IsokbGraph.views[0].sim.n > 8", WAIT));
    assert!(b.wait_for(
        "document.querySelector('.graph-box').hasAttribute('data-settled')",
        WAIT
    ));
    b.eval("document.querySelector('.graph-fit').click()");
    b.screenshot("reader-graph-tags.png");
    b.eval("document.querySelector('.graph-tags').click()");
    assert!(b.wait_for(
        "window.IsokbGraph.views[0].sim.n === 8 && document.querySelector('.graph-box').hasAttribute('data-settled')",
        WAIT
    ));
    b.eval("document.querySelector('.graph-fit').click()");
    // A legend of the folders' colours; a folder can be hidden and shown.
    let legend = b.eval("Array.from(document.querySelectorAll('.graph-legend button')).map(b => b.textContent).join('|')");
    assert!(legend.as_str().unwrap().contains("normes (3)"), "{legend}");
    b.eval("Array.from(document.querySelectorAll('.graph-legend button')).find(b => b.textContent.startsWith('normes')).click()");
    assert!(b.wait_for("window.IsokbGraph.views[0].sim.n === 5", WAIT));
    b.eval("Array.from(document.querySelectorAll('.graph-legend button')).find(b => b.textContent.startsWith('normes')).click()");
    assert!(b.wait_for("window.IsokbGraph.views[0].sim.n === 8", WAIT));
    // Finding a note by its title, without accents.
    b.eval("(() => { const f = document.querySelector('.graph-find'); f.value = 'securite'; f.dispatchEvent(new Event('input')); })()");
    assert_eq!(
        b.eval("(() => { const v = window.IsokbGraph.views[0]; return Object.keys(v.found).map(i => v.model.nodes[i].title).join(); })()"),
        json!("Sécurité de l’information")
    );
    b.screenshot("reader-graph-find.png");
    b.eval("(() => { const f = document.querySelector('.graph-find'); f.value = ''; f.dispatchEvent(new Event('input')); })()");
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
    // The note's local graph: drawn, the note among its neighbours; a
    // vertical swipe over it scrolls the page.
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.local-graph canvas')).touchAction"),
        json!("pan-y")
    );
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
    // Two links deep: read from the site's graph, the page's own data
    // holding only the neighbours.
    let titles = "window.IsokbGraph.views[0].model.nodes.filter(n => !n.tag).map(n => n.title + ':' + n.hop).sort().join('|')";
    assert_eq!(b.eval(titles), json!("Audits internes:1|ISO 9001:0"));
    b.eval("(() => { const s = document.querySelector('.local-graph .graph-depth'); s.value = '2'; s.dispatchEvent(new Event('change')); })()");
    assert!(b.wait_for(
        "document.querySelector('.local-graph .graph-box').getAttribute('data-wide') === 'true'",
        WAIT
    ));
    assert_eq!(
        b.eval(titles),
        json!("Audits internes:1|Base qualité:2|ISO 9001:0|Non-conformités:2|Revue de direction:2|Supports_de_formation_interne_pour_les_nouveaux_auditeurs:2|Sécurité de l’information:2")
    );
    assert_eq!(
        b.eval("window.IsokbGraph.views[0].ids.length"),
        json!(7),
        "every note shown at depth 2"
    );
}

#[test]
fn hovering_an_internal_link_shows_a_preview_of_its_note() {
    let dir = vault();
    write_files(
        dir.path(),
        &[(
            "content/Qualité/Suivi.md",
            "# Suivi\n\nLe délai est fixé dans [[Sécurité de l’information#Gestion des incidents|la gestion des incidents]].\n",
        )],
    );
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

    // Links that move around the site (explorer, pager) show none.
    let hover = |b: &mut Browser, css: &str| {
        let pos = b.eval(&format!(
            "(() => {{ const a = document.querySelector({}); a.scrollIntoView({{ block: 'center' }}); const r = a.getBoundingClientRect(); return [r.left + 4, r.top + r.height / 2]; }})()",
            serde_json::to_string(css).unwrap()
        ));
        mouse(
            b,
            "mouseMoved",
            pos[0].as_f64().unwrap(),
            pos[1].as_f64().unwrap(),
        );
    };
    for css in [".explorer a[href*='iso-9001']", ".pager a"] {
        hover(&mut b, css);
        std::thread::sleep(Duration::from_millis(1200));
        assert_eq!(
            b.eval("!!document.querySelector('.preview:not([hidden])')"),
            json!(false),
            "a preview for {css}"
        );
        mouse(&mut b, "mouseMoved", 5.0, 5.0);
    }

    // A link to a heading previews that section, not the top of the note.
    go(
        &mut b,
        &format!("http://127.0.0.1:{}/qualite/suivi/", server.port),
    );
    hover(&mut b, ".note-body a.internal");
    assert!(
        b.wait_for(
            "(() => { const p = document.querySelector('.preview'); return !!p && !p.hidden && p.textContent.includes('déclarés sous 24 heures'); })()",
            WAIT
        ),
        "no preview of the section"
    );
    let text = b.eval("document.querySelector('.preview').textContent");
    assert!(
        !text.as_str().unwrap().contains("confidentialité"),
        "the preview starts at the top of the note: {text}"
    );
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
            "!!document.querySelector('#search-results [role=option] .result-title') && !document.querySelector('#search-results li.loading')",
            WAIT
        ));
        key(&mut b, "ArrowDown", 40);
        bad.extend(audit(&mut b, &axe, &format!("search ({theme})")));
        b.screenshot(&format!("reader-axe-search-{theme}.png"));
        go(&mut b, &file_url(&out, "graph/index.html"));
        assert!(b.wait_for("!!document.querySelector('.graph-box[data-ready]')", WAIT));
        bad.extend(audit(&mut b, &axe, &format!("graph ({theme})")));
    }
    // On a phone: the note, the open menu and the open search, in both themes.
    phone(&mut b);
    for theme in ["light", "dark"] {
        b.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": theme }] }),
        );
        go(
            &mut b,
            &file_url(&out, "normes/securite-de-l-information/index.html"),
        );
        bad.extend(audit(&mut b, &axe, &format!("phone note ({theme})")));
        b.eval("document.querySelector('.menu-toggle').click()");
        assert!(b.wait_for("!!document.querySelector('.drawer:not([hidden])')", WAIT));
        bad.extend(audit(&mut b, &axe, &format!("phone menu ({theme})")));
        key(&mut b, "Escape", 27);
        b.eval("document.querySelector('.search-toggle').click()");
        type_query(&mut b, "audit");
        assert!(b.wait_for(
            "!!document.querySelector('#search-results [role=option] .result-title') && !document.querySelector('#search-results li.loading')",
            WAIT
        ));
        bad.extend(audit(&mut b, &axe, &format!("phone search ({theme})")));
        b.screenshot(&format!("reader-axe-phone-search-{theme}.png"));
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
    assert_eq!(
        state,
        json!("10_COURS_ET_INGESTION_DES_DOCUMENTS_DE_REFERENCE:false Normes:true Qualité:false")
    );
    let pos = b.eval(
        "(() => { const s = Array.from(document.querySelectorAll('.explorer summary')).find(s => s.textContent === 'Qualité'); s.scrollIntoView(); const r = s.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()",
    );
    let (x, y) = (pos["x"].as_f64().unwrap(), pos["y"].as_f64().unwrap());
    mouse(&mut b, "mousePressed", x, y);
    mouse(&mut b, "mouseReleased", x, y);
    assert!(b.wait_for(
        "Array.from(document.querySelectorAll('.explorer details')).filter(d => d.open).map(d => d.querySelector('summary').textContent).join(' ') === 'Normes Qualité'",
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

/// A phone's screen: 390 × 844 CSS pixels, touch, twice as dense.
fn phone(b: &mut Browser) {
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true }),
    );
}

/// A laptop's screen: 1366 × 900.
fn laptop(b: &mut Browser) {
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1366, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    );
}

/// The box of the first element matching `css`: `[left, top, right, bottom]`.
fn rect(b: &mut Browser, css: &str) -> Vec<f64> {
    let r = b.eval(&format!(
        "(() => {{ const e = document.querySelector({}); if (!e) return null; const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }})()",
        serde_json::to_string(css).unwrap()
    ));
    r.as_array()
        .unwrap_or_else(|| panic!("no {css}"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

/// Elements under `css` whose text overflows their box, or that overlap the
/// next element of their row, described.
fn overflowing(b: &mut Browser, css: &str) -> Vec<String> {
    let r = b.eval(&format!(
        "Array.from(document.querySelectorAll({})).filter(e => e.getClientRects().length && (e.scrollWidth > e.clientWidth + 1 || (e.nextElementSibling && e.nextElementSibling.getClientRects().length && e.getBoundingClientRect().right > e.nextElementSibling.getBoundingClientRect().left + 1 && e.getBoundingClientRect().top === e.nextElementSibling.getBoundingClientRect().top))).map(e => e.textContent + ' ' + e.scrollWidth + '>' + e.clientWidth)",
        serde_json::to_string(css).unwrap()
    ));
    r.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn phones_get_a_sticky_header_and_a_drawer_desktops_a_steady_left_column() {
    let dir = vault();
    let out = build(dir.path());
    let note = file_url(&out, "normes/securite-de-l-information/index.html");
    let Some(mut b) = open(&note) else {
        return;
    };
    phone(&mut b);
    go(&mut b, &note);
    // A compact header with the menu, search and theme buttons in the first screen.
    let header = rect(&mut b, ".site-header");
    let h = header[3] - header[1];
    assert!((48.0..=56.0).contains(&h), "header is {h}px high");
    for button in [".menu-toggle", ".search-toggle", ".theme-toggle"] {
        let r = rect(&mut b, button);
        assert!(
            r[0] >= 0.0 && r[2] <= 390.0 && r[3] <= h + 1.0 && r[2] > r[0],
            "{button} at {r:?}"
        );
    }
    assert_eq!(b.eval("document.documentElement.scrollWidth"), json!(390));
    // The explorer is not at the end of the page: it waits in the menu.
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.explorer')).display"),
        json!("none")
    );
    // The header stays on screen while reading.
    b.eval("window.scrollTo(0, 400)");
    assert!(b.wait_for("window.scrollY > 100", WAIT));
    let top = rect(&mut b, ".site-header")[1];
    assert_eq!(top, 0.0, "the header scrolled away");
    b.eval("window.scrollTo(0, 0)");

    // The menu opens a drawer with the site's links, the page's contents and
    // the explorer, the current note marked and focused.
    b.eval("document.querySelector('.menu-toggle').click()");
    assert!(b.wait_for(
        "!!document.querySelector('.drawer:not([hidden]) .explorer')",
        WAIT
    ));
    assert_eq!(
        b.eval("document.querySelector('.menu-toggle').getAttribute('aria-expanded')"),
        json!("true")
    );
    let drawer = rect(&mut b, ".drawer");
    assert!(
        drawer[0] == 0.0 && drawer[2] <= 390.0 && drawer[2] > 250.0,
        "{drawer:?}"
    );
    assert_eq!(
        b.eval("Array.from(document.querySelectorAll('.drawer .site-nav a')).map(a => a.textContent).join('|')"),
        json!("Accueil|Étiquettes|Graphe")
    );
    assert_eq!(
        b.eval("Array.from(document.querySelectorAll('.drawer .toc a')).map(a => a.textContent).join('|')"),
        json!("Contrôles d’accès|Gestion des incidents")
    );
    assert_eq!(
        b.eval("document.activeElement.textContent"),
        json!("Sécurité de l’information")
    );
    let current = rect(&mut b, ".drawer [aria-current=page]");
    assert!(current[1] >= 0.0 && current[3] <= 844.0, "{current:?}");
    let long = overflowing(&mut b, ".drawer .explorer a");
    assert!(long.is_empty(), "{long:?}");
    b.screenshot("reader-phone-drawer.png");
    // Escape closes it and gives the focus back to the menu button.
    key(&mut b, "Escape", 27);
    assert!(b.wait_for("document.querySelector('.drawer').hidden", WAIT));
    assert_eq!(
        b.eval("document.activeElement.classList.contains('menu-toggle')"),
        json!(true)
    );
    // A link of the drawer opens its page.
    b.eval("document.querySelector('.menu-toggle').click()");
    assert!(b.wait_for("!document.querySelector('.drawer').hidden", WAIT));
    b.eval("Array.from(document.querySelectorAll('.drawer .explorer a')).find(a => a.textContent === 'ISO 9001').click()");
    assert!(
        wait_navigation(&mut b, "normes/iso-9001/"),
        "the drawer link"
    );
    // The search button opens the search box in the header.
    b.eval("document.querySelector('.search-toggle').click()");
    assert!(b.wait_for(
        "document.activeElement.id === 'search-input' && document.getElementById('search-input').getBoundingClientRect().width > 200",
        WAIT
    ));
    b.screenshot("reader-phone-search.png");

    // Desktop: the explorer's column and the header's title are in the same
    // place on every page kind.
    laptop(&mut b);
    // Folders are closed where the page is in none of them, whatever pages
    // were read before (only the reader's folding is remembered).
    go(&mut b, &file_url(&out, "tags/index.html"));
    assert_eq!(
        b.eval(
            "Array.from(document.querySelectorAll('.explorer details')).filter(d => d.open).length"
        ),
        json!(0)
    );
    let mut lefts = Vec::new();
    for page in [
        "normes/securite-de-l-information/index.html",
        "tags/norme/iso-27001/index.html",
        "qualite/index.html",
        "index.html",
        "tags/index.html",
    ] {
        go(&mut b, &file_url(&out, page));
        let explorer = rect(&mut b, ".explorer");
        let title = rect(&mut b, ".site-title");
        let main = rect(&mut b, "main h1");
        assert!(
            (explorer[0] - title[0]).abs() < 1.0,
            "{page}: explorer {explorer:?}, title {title:?}"
        );
        lefts.push((page, explorer[0], explorer[2], main[0]));
        assert_eq!(
            b.eval("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            json!(true),
            "{page} scrolls sideways"
        );
        let long = overflowing(&mut b, ".explorer a, .folder-list a");
        assert!(long.is_empty(), "{page}: {long:?}");
    }
    for l in &lefts {
        assert_eq!(
            (l.1, l.2, l.3),
            (lefts[0].1, lefts[0].2, lefts[0].3),
            "{lefts:?}"
        );
    }
    b.screenshot("reader-desktop-tags.png");

    // Folder state is remembered from page to page; the triangle folds in
    // place, the name opens the folder's page.
    go(&mut b, &note);
    let at = b.eval("(() => { const s = Array.from(document.querySelectorAll('.explorer summary')).find(s => s.textContent === 'Qualité'); const r = s.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()");
    let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    mouse(&mut b, "mousePressed", x, y);
    mouse(&mut b, "mouseReleased", x, y);
    assert!(b.wait_for("Array.from(document.querySelectorAll('.explorer details')).find(d => d.querySelector('summary').textContent === 'Qualité').open", WAIT));
    assert!(
        b.eval("location.href")
            .as_str()
            .unwrap()
            .ends_with("securite-de-l-information/index.html"),
        "the triangle navigated"
    );
    // (Chromium stores session storage asynchronously: a page opened at
    // once may read the old state, so the page is opened again until then.)
    reopen_until(
        &mut b,
        &file_url(&out, "normes/iso-27001/index.html"),
        "Array.from(document.querySelectorAll('.explorer details')).find(d => d.querySelector('summary').textContent === 'Qualité').open",
    );
    b.eval("Array.from(document.querySelectorAll('.explorer .folder-name')).find(a => a.textContent === 'Qualité').click()");
    assert!(
        wait_navigation(&mut b, "qualite/index.html"),
        "the folder name"
    );
}

#[test]
fn search_results_are_links_counted_in_french_and_enter_opens_the_full_query() {
    let dir = vault();
    let out = build(dir.path());
    let Some(mut b) = open(&file_url(&out, "qualite/index.html")) else {
        return;
    };
    // One result: counted in the singular, in French, visibly.
    type_query(&mut b, "revue");
    assert!(b.wait_for(
        "!!document.querySelector('#search-results [role=option] .result-title') && !document.querySelector('#search-results li.loading')",
        WAIT
    ));
    assert_eq!(
        b.eval("document.querySelector('#search-results .result-count').textContent"),
        json!("1\u{a0}résultat")
    );
    assert_eq!(
        b.eval("document.getElementById('search-status').textContent"),
        json!("1\u{a0}résultat")
    );
    // Each result is a link (open in a new tab, copy link), with the option role.
    let r = b.eval("(() => { const a = document.querySelector('#search-results [role=option]'); return [a.tagName, a.getAttribute('href'), a.querySelector('.result-title').textContent]; })()");
    assert_eq!(r[0], json!("A"));
    assert!(
        r[1].as_str()
            .unwrap()
            .ends_with("qualite/revue-de-direction/index.html"),
        "{r}"
    );
    // Excerpts read as prose: no title repeated, no space before punctuation.
    type_query(&mut b, "incidents");
    assert!(b.wait_for("!!document.querySelector('#search-results .excerpt')", WAIT));
    let ex = b.eval("Array.from(document.querySelectorAll('#search-results .excerpt')).map(e => e.textContent).join(' | ')");
    let ex = ex.as_str().unwrap();
    assert!(!ex.contains(" ."), "{ex}");
    assert!(!ex.contains("  "), "{ex}");
    // A query naming a heading opens the note at that heading.
    type_query(&mut b, "contrôles d’accès");
    assert!(b.wait_for(
        "(document.querySelector('#search-results [role=option]') || {}).textContent.startsWith('Sécurité de l’information')",
        WAIT
    ));
    let href =
        b.eval("document.querySelector('#search-results [role=option]').getAttribute('href')");
    assert!(
        href.as_str()
            .unwrap()
            .ends_with("securite-de-l-information/index.html#controles-d-acces"),
        "{href}"
    );
    // Typed fast and Enter at once: the note of the whole query opens, not
    // the first result of a prefix still on show.
    for (query, want) in [
        ("iso 9001", "normes/iso-9001/"),
        ("revue de direction", "qualite/revue-de-direction/"),
    ] {
        go(&mut b, &file_url(&out, "qualite/index.html"));
        b.eval("(() => { const i = document.getElementById('search-input'); i.focus(); })()");
        for c in query.chars() {
            b.call("Input.insertText", json!({ "text": c.to_string() }));
        }
        key(&mut b, "Enter", 13);
        assert!(
            wait_navigation(&mut b, want),
            "{query}: {}",
            b.eval("location.href")
        );
    }
}

#[test]
fn links_theme_button_contents_and_icon_show_their_state() {
    let dir = vault();
    write_files(
        dir.path(),
        &[(
            "content/Normes/Liens.md",
            "# Liens\n\nVoir [le site de l’ISO](https://www.iso.org), [[ISO 9001]] et [[Note absente]].\n\n## Première partie\n\n{}\n\n## Seconde partie\n\n{}\n",
        )],
    );
    let many: Vec<String> = (0..24).map(|i| format!("thème-{i:02}")).collect();
    write_files(
        dir.path(),
        &[(
            "content/Normes/Étiquettes.md",
            &format!(
                "---\ntags: [{}, évaluation]\n---\n# Étiquettes\n",
                many.join(", ")
            ),
        )],
    );
    let long = "Un paragraphe assez long pour remplir l’écran. ".repeat(60);
    let page = std::fs::read_to_string(dir.path().join("content/Normes/Liens.md"))
        .unwrap()
        .replace("{}", &long);
    std::fs::write(dir.path().join("content/Normes/Liens.md"), page).unwrap();
    let out = build(dir.path());
    let url = file_url(&out, "normes/liens/index.html");
    let Some(mut b) = open(&url) else {
        return;
    };
    // External links are marked, internal ones are not, unresolved ones are dimmed.
    let after = |b: &mut Browser, css: &str| {
        b.eval(&format!(
            "getComputedStyle(document.querySelector({}), '::after').content",
            serde_json::to_string(css).unwrap()
        ))
    };
    assert_eq!(after(&mut b, ".note-body a[href^='https']"), json!("\"↗\""));
    assert_eq!(after(&mut b, ".note-body a.internal"), json!("none"));
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.broken-link')).color === getComputedStyle(document.querySelector('.breadcrumbs a')).color"),
        json!(true),
        "an unresolved link is not dimmed like other secondary text"
    );
    // The site's icon exists.
    let icon = b.eval("document.querySelector('link[rel=icon]').href");
    let icon = icon.as_str().unwrap().trim_start_matches("file://");
    assert!(
        std::fs::read_to_string(icon).unwrap().starts_with("<svg"),
        "{icon}"
    );
    // The theme button shows the mode in use.
    let shown = |b: &mut Browser| {
        b.eval("['.icon-sun', '.icon-moon'].filter(c => getComputedStyle(document.querySelector('.theme-toggle ' + c)).display !== 'none').join()")
    };
    assert_eq!(shown(&mut b), json!(".icon-sun"));
    b.eval("document.querySelector('.theme-toggle').click()");
    assert!(b.wait_for(
        "document.documentElement.getAttribute('data-theme') === 'dark'",
        WAIT
    ));
    assert_eq!(shown(&mut b), json!(".icon-moon"));
    b.eval("document.querySelector('.theme-toggle').click()");
    // The table of contents marks the section read.
    b.eval("document.getElementById('seconde-partie').scrollIntoView()");
    assert!(
        b.wait_for(
            "(document.querySelector('.toc a.active') || {}).textContent === 'Seconde partie'",
            WAIT
        ),
        "{}",
        b.eval("document.querySelector('.toc').outerHTML")
    );
    b.eval("window.scrollTo(0, 0)");
    assert!(b.wait_for(
        "!document.querySelector('.toc a.active') || document.querySelector('.toc a.active').textContent === 'Première partie'",
        WAIT
    ));
    // A long list of tags gets a filter box, which ignores accents and case.
    go(&mut b, &file_url(&out, "tags/index.html"));
    assert_eq!(
        b.eval("document.querySelector('.list-filter').hidden"),
        json!(false)
    );
    b.eval("(() => { const i = document.querySelector('.list-filter'); i.value = 'EVALU'; i.dispatchEvent(new Event('input')); })()");
    assert_eq!(
        b.eval("Array.from(document.querySelectorAll('.tag-tree li')).filter(l => !l.hidden).map(l => l.querySelector('a').textContent).join()"),
        json!("#évaluation")
    );
    b.screenshot("reader-tags-filter.png");
}

#[test]
fn diagrams_keep_a_readable_size_follow_the_theme_and_open_full_screen() {
    let dir = vault();
    write_files(
        dir.path(),
        &[(
            "content/Qualité/Processus.md",
            "# Processus\n\n```mermaid\nflowchart LR\n  A[Début du processus] --> B{Choix ?}\n  B -->|Oui| C[Fin]\n  B -->|Non| D[Autre chose de long]\n  D --> E[Encore une étape]\n  E --> F[Et une autre étape]\n```\n\n```mermaid\nflowchart TD\n  A[Pas fermé --> B\n```\n",
        )],
    );
    let out = build(dir.path());
    let url = file_url(&out, "qualite/processus/index.html");
    let Some(mut b) = open(&url) else {
        return;
    };
    phone(&mut b);
    go(&mut b, &url);
    // On a phone the diagram is not shrunk below 70 % of its width: it scrolls.
    let sizes = b.eval("(() => { const d = document.querySelector('div.mermaid'); const s = d.querySelector('svg'); const w = parseFloat(s.style.maxWidth); return [s.getBoundingClientRect().width, w, d.scrollWidth > d.clientWidth, document.documentElement.scrollWidth]; })()");
    let (shown, natural) = (sizes[0].as_f64().unwrap(), sizes[1].as_f64().unwrap());
    assert!(natural > 500.0 && shown >= natural * 0.7 - 1.0, "{sizes}");
    assert_eq!(sizes[2], json!(true), "the diagram scrolls sideways");
    assert_eq!(sizes[3], json!(390), "the page does not");
    // A diagram that cannot be drawn says so above its source.
    assert!(b
        .eval("document.querySelector('p.diagram-error').textContent")
        .as_str()
        .unwrap()
        .starts_with("Ce diagramme n’a pas pu être dessiné"));
    // Mermaid's dark theme in dark mode.
    let visible = "Array.from(document.querySelectorAll('div.mermaid > svg')).map(s => getComputedStyle(s).display !== 'none').join()";
    assert_eq!(b.eval(visible), json!("true,false"));
    b.call(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    );
    assert_eq!(b.eval(visible), json!("false,true"));
    b.screenshot("reader-diagram-dark.png");
    // Expand: a full-screen view that zooms, and Escape closes.
    b.eval("document.querySelector('.diagram-expand').click()");
    assert!(b.wait_for(
        "!!document.querySelector('.diagram-viewer:not([hidden]) svg')",
        WAIT
    ));
    let before = b.eval("document.querySelector('.diagram-viewer-stage > div').style.transform");
    b.eval("document.querySelector('.diagram-viewer-bar button').click()");
    let after = b.eval("document.querySelector('.diagram-viewer-stage > div').style.transform");
    assert_ne!(before, after, "zoom in");
    b.screenshot("reader-diagram-viewer.png");
    key(&mut b, "Escape", 27);
    assert!(b.wait_for("document.querySelector('.diagram-viewer').hidden", WAIT));
    assert_eq!(
        b.eval("document.activeElement.className"),
        json!("diagram-expand")
    );
}

/// The project's own knowledge base (`content/`), as a reader on a phone and
/// on a laptop meets it: the menu in the first screen, no sideways scroll, no
/// name running out of its box, the explorer's column in the same place on
/// every kind of page, listings in French order.
#[test]
fn the_projects_own_knowledge_base_reads_on_a_phone_and_a_laptop() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let o = isokb::Overrides {
        output: Some(out_dir.path().join("site")),
        ..Default::default()
    };
    let report = isokb::build(root, &o).expect("build content/");
    assert!(report.emitted.is_some(), "{:#?}", report.site.diagnostics);
    let out = report.output;
    let pages = [
        "index.html",
        "organisations/membres-nationaux/index.html",
        "organisations/index.html",
        "tags/index.html",
        "graph/index.html",
    ];
    let Some(mut b) = open(&file_url(&out, pages[0])) else {
        return;
    };
    phone(&mut b);
    for page in pages {
        go(&mut b, &file_url(&out, page));
        let menu = rect(&mut b, ".menu-toggle");
        assert!(
            menu[3] <= 56.0 && menu[2] <= 390.0,
            "{page}: menu at {menu:?}"
        );
        assert_eq!(
            b.eval("document.documentElement.scrollWidth"),
            json!(390),
            "{page} scrolls sideways"
        );
        let long = overflowing(
            &mut b,
            "main h1, .folder-list a, .note-list > li > a, .pager a",
        );
        assert!(long.is_empty(), "{page}: {long:?}");
    }
    go(&mut b, &file_url(&out, pages[1]));
    b.eval("document.querySelector('.menu-toggle').click()");
    assert!(b.wait_for(
        "!!document.querySelector('.drawer:not([hidden]) .explorer')",
        WAIT
    ));
    let long = overflowing(&mut b, ".drawer .explorer a");
    assert!(long.is_empty(), "{long:?}");
    b.screenshot("content-phone-drawer.png");

    laptop(&mut b);
    let mut lefts = Vec::new();
    for page in &pages[..4] {
        go(&mut b, &file_url(&out, page));
        let explorer = rect(&mut b, ".explorer");
        lefts.push((page, explorer[0], explorer[2]));
        assert_eq!(
            b.eval("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            json!(true),
            "{page} scrolls sideways"
        );
        let long = overflowing(&mut b, ".explorer a, .folder-list a");
        assert!(long.is_empty(), "{page}: {long:?}");
    }
    for l in &lefts {
        assert_eq!((l.1, l.2), (lefts[0].1, lefts[0].2), "{lefts:?}");
    }
    // The folder page lists its notes in French order: accents count only
    // between otherwise equal words, numbers by their value.
    go(&mut b, &file_url(&out, "organisations/index.html"));
    let titles: Vec<String> = b
        .eval("Array.from(document.querySelectorAll('main .note-list > li > a')).map(a => a.textContent)")
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert!(titles.len() > 3, "{titles:?}");
    let key = |t: &str| {
        t.to_lowercase()
            .chars()
            .map(|c| match c {
                'à' | 'â' | 'ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'î' | 'ï' => 'i',
                'ô' | 'ö' => 'o',
                'ù' | 'û' | 'ü' => 'u',
                'ç' => 'c',
                c => c,
            })
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    for w in titles.windows(2) {
        assert!(
            key(&w[0]) <= key(&w[1]),
            "{} before {}: {titles:?}",
            w[0],
            w[1]
        );
    }
}

/// Issue 20: a canvas in Chromium: every node where the file puts it, every
/// edge from one node's side to another's; dragging the board's background
/// pans it; the expand button opens it full screen (fitted, links kept,
/// no duplicate ids) and Escape closes it.
#[test]
fn a_canvas_draws_where_its_file_says_pans_and_opens_full_screen() {
    let dir = common::fixture("render-canvas");
    let out = build(dir.path());
    let Some(mut b) = open(&file_url(&out, "plan-canvas/index.html")) else {
        return;
    };
    // Boxes relative to the board, as drawn by the browser.
    let boxes = b.eval(
        "(() => { const o = document.querySelector('.canvas-board').getBoundingClientRect();
           return [...document.querySelectorAll('.canvas-board > .canvas-node')].map(n => {
             const r = n.getBoundingClientRect();
             return [Math.round(r.left - o.left), Math.round(r.top - o.top), Math.round(r.width), Math.round(r.height)];
           }); })()",
    );
    assert_eq!(
        boxes,
        json!([
            [40, 40, 800, 520],
            [80, 100, 300, 150],
            [480, 100, 300, 200],
            [480, 400, 300, 100],
            [80, 400, 300, 100],
            [980, 100, 250, 80]
        ]),
        "the file's coordinates, shifted by (80, 100)"
    );
    // Each edge starts and ends on the side of a node.
    let ends = b.eval(
        "(() => { const o = document.querySelector('.canvas-board').getBoundingClientRect();
           const rects = [...document.querySelectorAll('.canvas-board > .canvas-node:not(.canvas-group)')].map(n => n.getBoundingClientRect());
           const onSide = (p) => rects.some(r => {
             const x = p.x + o.left, y = p.y + o.top, e = 1.5;
             const inX = x >= r.left - e && x <= r.right + e, inY = y >= r.top - e && y <= r.bottom + e;
             return (inY && (Math.abs(x - r.left) < e || Math.abs(x - r.right) < e)) || (inX && (Math.abs(y - r.top) < e || Math.abs(y - r.bottom) < e));
           });
           return [...document.querySelectorAll('.canvas-edges path:not(.canvas-arrow)')].map(p => {
             const l = p.getTotalLength();
             return onSide(p.getPointAtLength(0)) && onSide(p.getPointAtLength(l));
           }); })()",
    );
    assert_eq!(ends, json!([true, true]), "edges join nodes");
    // Drag the background (inside the group, outside every other node).
    let at = b.eval(
        "(() => { const p = document.querySelector('.canvas-viewport'); p.scrollLeft = 0; const o = document.querySelector('.canvas-board').getBoundingClientRect(); return [o.left + 420, o.top + 520, p.scrollWidth > p.clientWidth]; })()",
    );
    let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    assert_eq!(at[2], json!(true), "the board is wider than its frame here");
    b.eval(&format!("window.scrollTo(0, {} - 300)", y));
    let y = y - b.eval("window.scrollY").as_f64().unwrap();
    mouse(&mut b, "mousePressed", x, y);
    for step in 1..=5 {
        mouse(&mut b, "mouseMoved", x - 30.0 * step as f64, y);
    }
    mouse(&mut b, "mouseReleased", x - 150.0, y);
    let left = b.eval("document.querySelector('.canvas-viewport').scrollLeft");
    assert!(left.as_f64().unwrap() >= 100.0, "dragging pans: {left}");
    // Full screen: the board's copy, fitted, without ids; its links work.
    b.eval("document.querySelector('.canvas-expand').click()");
    let shown = b.eval(
        "(() => { const v = document.querySelector('.diagram-viewer'); const c = v && v.querySelector('.canvas-board');
           return [!!v && !v.hidden, !!c, c ? c.querySelectorAll('[id]').length : -1, c ? c.querySelectorAll('a.internal').length : 0,
                   v.querySelector('.diagram-viewer-stage > div').style.transform]; })()",
    );
    assert_eq!(shown[0], json!(true), "{shown}");
    assert_eq!(shown[1], json!(true), "{shown}");
    assert_eq!(shown[2], json!(0), "{shown}");
    assert!(shown[3].as_u64().unwrap() >= 2, "{shown}");
    assert!(shown[4].as_str().unwrap().contains("scale("), "{shown}");
    key(&mut b, "Escape", 27);
    assert_eq!(
        b.eval("document.querySelector('.diagram-viewer').hidden"),
        json!(true)
    );
    // The button sits over the board: the figure did not grow for it.
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.canvas-expand')).position"),
        json!("absolute")
    );
}

/// With the host's rules (or none), aliases have no page: the 404 page a
/// static host serves looks the address up in the alias table and goes on to
/// the note, whether or not the site knows its `base_url`; an address that is
/// no alias is searched for, as before.
#[test]
fn the_404_page_sends_an_alias_on_to_its_note() {
    let dir = vault();
    let host = common::host::Host::bind();
    let port = host.port;
    // First without base_url: the site's root on the host is found from the
    // table's files.
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Base qualité\"\nlanguage = \"fr\"\nredirects = \"none\"\n",
    )
    .unwrap();
    let out = build(dir.path());
    assert!(!out.join("ssi/index.html").exists(), "no page at the alias");
    host.serve(&out, "/kb/");
    let url = format!("http://127.0.0.1:{port}/kb/ssi/");
    let Some(mut b) = Browser::open(&url, (1280, 900)) else {
        eprintln!("skipped: chromium is not installed (scripts/test.sh installs it)");
        return;
    };
    let landed = "location.pathname === '/kb/normes/securite-de-l-information/' && document.readyState === 'complete'";
    assert!(
        b.wait_for(landed, WAIT),
        "stayed at {}",
        b.eval("location.href")
    );
    assert_eq!(
        b.eval("document.querySelector('h1').textContent"),
        json!("Sécurité de l’information")
    );
    // Without the slash, and with `index.html`, too.
    for asked in ["ssi", "ssi/index.html"] {
        b.goto(&format!("http://127.0.0.1:{port}/kb/{asked}"));
        assert!(
            b.wait_for(landed, WAIT),
            "{asked}: at {}",
            b.eval("location.href")
        );
    }
    // Not an alias: the page stays and searches for the words asked.
    let missing = format!("http://127.0.0.1:{port}/kb/revue-direction/");
    b.goto(&missing);
    assert!(
        b.wait_for(
            "document.getElementById('search-input') && document.getElementById('search-input').value === 'revue direction'",
            WAIT
        ),
        "{}",
        b.eval("location.href")
    );
    assert_eq!(b.eval("location.pathname"), json!("/kb/revue-direction/"));
    // The page found the site's root: its links and style lead there.
    assert_eq!(
        b.eval("document.querySelector('.site-title').href"),
        json!(format!("http://127.0.0.1:{port}/kb/index.html"))
    );
    assert!(b.wait_for(
        "Array.prototype.some.call(document.styleSheets, function (s) { return /\\/kb\\/_static\\/style\\.css$/.test(s.href || '') && s.cssRules.length > 10; })",
        WAIT
    ));
    // With a base_url (and Cloudflare's rules, which this host ignores),
    // the table alone still sends the alias on.
    std::fs::write(
        dir.path().join("site.toml"),
        format!("title = \"Base qualité\"\nlanguage = \"fr\"\nredirects = \"cloudflare\"\nbase_url = \"http://127.0.0.1:{port}/kb/\"\n"),
    )
    .unwrap();
    build(dir.path());
    assert!(out.join("_redirects").exists());
    b.goto(&format!("http://127.0.0.1:{port}/kb/ssi"));
    assert!(b.wait_for(landed, WAIT), "at {}", b.eval("location.href"));
}
