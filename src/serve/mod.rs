//! `isokb serve`: the local preview with live reload.
//!
//! A builder thread owns the [`Site`]: it takes batches of changed paths from
//! the watcher, brings the site up to date with the pipeline's entry points
//! (an incremental note update, a theme reload or a full rebuild), emits the
//! site into memory and tells browsers what changed over a WebSocket. A
//! rebuild with errors keeps the last good pages and shows the errors in an
//! overlay. The server (see `http`) serves only those in-memory files.

mod http;
pub mod watch;

use crate::diagnostics::{Diagnostic, Kind, Level, Printer};
use crate::emit::{EmitOptions, MemorySink, Touched};
use crate::paths::VaultPath;
use crate::templates::Theme;
use crate::{load_config, load_site, Overrides, Site};
use axum::body::Bytes;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;
use tokio::sync::broadcast;

pub use http::{content_type, site_path, WS_PATH};

/// Options of `isokb serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Folder holding `site.toml` (or a bare vault).
    pub root: PathBuf,
    /// Port to try first; the next free one is used when it is busy.
    pub port: u16,
    /// Address to listen on (loopback unless asked).
    pub bind: IpAddr,
    /// Open the browser.
    pub open: bool,
    /// Publish drafts.
    pub drafts: bool,
}

/// The files served, by site-relative path (shared keys: a copy of the map
/// for an edit costs no string copies).
pub type Files = HashMap<Arc<str>, Bytes>;

/// The files to serve after an emit wrote `written` over `old`, the paths
/// whose bytes changed and those no longer served. A `partial` emit wrote
/// only the pages it changed: the others stay.
fn merge_files(
    old: &Files,
    written: BTreeMap<String, Vec<u8>>,
    partial: bool,
) -> (Files, Vec<String>, Vec<String>) {
    let changed: Vec<String> = written
        .iter()
        .filter(|(k, v)| old.get(k.as_str()).map(|b| b.as_ref()) != Some(v.as_slice()))
        .map(|(k, _)| k.clone())
        .collect();
    if partial {
        let mut new = old.clone();
        for k in &changed {
            if let Some(v) = written.get(k) {
                new.insert(Arc::from(k.as_str()), Bytes::from(v.clone()));
            }
        }
        return (new, changed, Vec::new());
    }
    let new: Files = written
        .into_iter()
        .map(|(k, v)| (Arc::from(k), Bytes::from(v)))
        .collect();
    let removed: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .map(|k| k.to_string())
        .collect();
    (new, changed, removed)
}

/// State shared between the builder and the server.
pub struct Shared {
    /// The files served and their version (see [`Version`]), swapped together.
    files: RwLock<(Arc<Files>, u64)>,
    /// Tells this server's versions from those of an earlier run.
    boot: u64,
    status: RwLock<Arc<String>>,
    /// Messages for browsers (JSON).
    pub events: broadcast::Sender<Arc<String>>,
}

/// What a page was served from: the server run and the count of published
/// builds. A browser whose page is of another version when its socket
/// (re)connects missed a rebuild, or the server restarted, and reloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub boot: u64,
    pub build: u64,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.boot, self.build)
    }
}

/// The placeholder in the live-reload client that the server replaces with
/// the [`Version`] of each page it sends.
pub const VERSION_MARK: &str = "__ISOKB_VERSION__";

impl Shared {
    fn files(&self) -> Arc<Files> {
        self.served().0
    }
    /// The files served and their version, read together.
    fn served(&self) -> (Arc<Files>, Version) {
        let (files, build) = self.files.read().map(|f| f.clone()).unwrap_or_default();
        (
            files,
            Version {
                boot: self.boot,
                build,
            },
        )
    }
    fn status(&self) -> Arc<String> {
        self.status.read().map(|s| s.clone()).unwrap_or_default()
    }
}

#[derive(Serialize)]
struct Finding {
    file: String,
    line: usize,
    col: usize,
    message: String,
}

#[derive(Serialize)]
struct Status {
    r#type: &'static str,
    errors: Vec<Finding>,
    warnings: BTreeMap<String, Vec<Finding>>,
}

#[derive(Serialize)]
struct Reload {
    r#type: &'static str,
    /// The version of the files after this rebuild.
    version: String,
    changed: Vec<String>,
    removed: Vec<String>,
    renamed: Option<(String, String)>,
    css_only: bool,
}

fn finding(d: &Diagnostic) -> Finding {
    Finding {
        file: d.path.clone(),
        line: d.pos.map_or(0, |p| p.line),
        col: d.pos.map_or(0, |p| p.col),
        message: d.message.clone(),
    }
}

/// The live-reload client, injected in served pages only.
pub fn client_script() -> String {
    format!("<script>{}</script>", include_str!("client.js"))
}

/// What a batch of changed paths asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// `site.toml` changed: everything again.
    pub config: bool,
    /// Attachments appeared or went: scan again.
    pub rescan: bool,
    /// Theme templates changed.
    pub templates: bool,
    /// Theme static files changed.
    pub statics: bool,
    /// Notes to update.
    pub notes: Vec<VaultPath>,
}

/// Sorts a batch of absolute paths into what must be redone.
pub fn plan(site: &Site, batch: &BTreeSet<PathBuf>) -> Plan {
    let mut p = Plan::default();
    let theme = site.root.join("themes").join(&site.config.theme);
    let output = site.root.join(&site.config.output_dir);
    let content = site
        .content
        .canonicalize()
        .unwrap_or_else(|_| site.content.clone());
    let root = site
        .root
        .canonicalize()
        .unwrap_or_else(|_| site.root.clone());
    let theme = root.join(theme.strip_prefix(&site.root).unwrap_or(&theme));
    let output = root.join(output.strip_prefix(&site.root).unwrap_or(&output));
    for path in batch {
        if path.starts_with(&output) || watch::is_editor_dropping(path) {
            continue;
        }
        if path == &root.join(crate::config::CONFIG_FILE) {
            p.config = true;
        } else if let Ok(rel) = path.strip_prefix(&theme) {
            if rel.starts_with("i18n") {
                // The site's words: read with the site, as site.toml is.
                p.config = true;
            } else if rel.starts_with("templates") {
                p.templates = true;
            } else {
                p.statics = true;
            }
        } else if let Ok(rel) = path.strip_prefix(&content) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let vp = VaultPath::new(&rel);
            if crate::scan::is_hidden(&vp) {
                continue;
            }
            if crate::scan::is_note(&vp) {
                p.notes.push(vp);
            } else if path.is_file()
                || site.attachments.iter().any(|a| a.path == vp)
                || path.is_dir()
            {
                p.rescan = true;
            }
        }
    }
    p
}

struct Builder {
    opts: ServeOptions,
    overrides: Overrides,
    emit: EmitOptions,
    shared: Arc<Shared>,
    site: Option<Site>,
    theme: Option<Theme>,
    /// The search index of the pages served, updated in place on edits.
    search: Option<crate::search::SearchIndex>,
    /// The pages served are older than the site (a rebuild failed since).
    behind: bool,
    /// The findings last reported and their JSON.
    status_of: Option<(Vec<Diagnostic>, String)>,
}

impl Builder {
    /// Builds everything from scratch.
    fn full(&mut self) -> Result<(), Diagnostic> {
        self.status_of = None;
        let mut config = load_config(&self.opts.root, &self.overrides)?;
        config.base_url = Some(format!("http://{}/", self.local_addr()));
        // The preview serves a page at each alias, whatever host the site is for.
        config.redirects = crate::config::Redirects::Pages;
        self.theme = Some(Theme::load(&self.opts.root, &config.theme)?);
        self.site = Some(load_site(&self.opts.root, config)?);
        Ok(())
    }

    fn local_addr(&self) -> String {
        format!("{}:{}", self.opts.bind, self.opts.port)
    }

    /// Emits into memory and publishes the result (or keeps the last good pages).
    fn publish(
        &mut self,
        what: &str,
        started: Instant,
        renamed: Option<(String, String)>,
        css_only: bool,
        only: Option<Touched>,
    ) {
        let (Some(site), Some(theme)) = (&self.site, &self.theme) else {
            return;
        };
        let emitting = Instant::now();
        let update_ms = (emitting - started).as_secs_f64() * 1000.0;
        let sink = MemorySink::default();
        let old = self.shared.files();
        // A partial emit only makes sense on top of the pages of the site as
        // it was just before the edit.
        let only = only.filter(|_| !old.is_empty() && !self.behind);
        let (_, diags) = crate::emit::emit_some(
            &site.view(),
            theme,
            &sink,
            &self.emit,
            only.as_ref(),
            Some(&mut self.search),
        );
        let policy = site.policy();
        let mut errors: Vec<&Diagnostic> = site
            .diagnostics
            .iter()
            .filter(|d| policy.level(d.kind) == Level::Error)
            .collect();
        errors.extend(diags.iter());
        let emit_ms = emitting.elapsed().as_secs_f64() * 1000.0;
        // The findings rarely change with an edit: reuse their JSON when not.
        let status = match &self.status_of {
            Some((seen, json)) if diags.is_empty() && *seen == site.diagnostics => json.clone(),
            _ => {
                let json = status_json(site, &errors);
                if diags.is_empty() {
                    self.status_of = Some((site.diagnostics.clone(), json.clone()));
                }
                json
            }
        };
        if !errors.is_empty() && !self.shared.files().is_empty() {
            for d in &errors {
                Printer::stderr(false, false).print(Level::Error, d);
            }
            eprintln!(
                "rebuild failed ({what}): {} error{}; still serving the last good pages",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
            self.set_status(status);
            self.behind = true;
            self.search = None;
            return;
        }
        self.behind = false;
        let written = sink.files.into_inner().unwrap_or_default();
        let (new, changed, removed) = merge_files(&old, written, only.is_some());
        let pages = new.keys().filter(|k| k.ends_with(".html")).count();
        let css_only = css_only && changed.iter().all(|c| c.ends_with(".css"));
        let mut build = 0;
        if let Ok(mut f) = self.shared.files.write() {
            build = f.1 + 1;
            *f = (Arc::new(new), build);
        }
        self.set_status(status);
        let file = |u: String| format!("{u}index.html");
        self.announce(&Reload {
            r#type: "reload",
            version: Version {
                boot: self.shared.boot,
                build,
            }
            .to_string(),
            changed: changed.clone(),
            removed,
            renamed: renamed.map(|(a, b)| (file(a), file(b))),
            css_only,
        });
        let warnings = site
            .diagnostics
            .iter()
            .filter(|d| policy.level(d.kind) == Level::Warning)
            .count();
        let secs = started.elapsed().as_secs_f64() * 1000.0;
        eprintln!(
            "rebuilt ({what}): {} changed of {pages} pages, {warnings} warning{} in {secs:.0} ms (update {update_ms:.0}, emit {emit_ms:.0})",
            changed.len(),
            if warnings == 1 { "" } else { "s" }
        );
    }

    /// Tells browsers what changed.
    fn announce(&self, msg: &Reload) {
        if let Ok(json) = serde_json::to_string(msg) {
            let _ = self.shared.events.send(Arc::new(json));
        }
    }

    /// Records the status and tells browsers, when it changed.
    fn set_status(&self, status: String) {
        if let Ok(mut s) = self.shared.status.write() {
            if **s == status {
                return;
            }
            *s = Arc::new(status.clone());
        }
        let _ = self.shared.events.send(Arc::new(status));
    }

    fn fail(&mut self, d: &Diagnostic) {
        self.behind = true;
        Printer::stderr(false, false).print(Level::Error, d);
        let status = Status {
            r#type: "status",
            errors: vec![finding(d)],
            warnings: BTreeMap::new(),
        };
        self.set_status(serde_json::to_string(&status).unwrap_or_default());
    }

    fn handle(&mut self, batch: BTreeSet<PathBuf>) {
        let started = Instant::now();
        let Some(site) = &self.site else {
            match self.full() {
                Ok(()) => self.publish("full rebuild", started, None, false, None),
                Err(d) => self.fail(&d),
            }
            return;
        };
        let plan = plan(site, &batch);
        if plan.config || plan.rescan {
            match self.full() {
                Ok(()) => self.publish(
                    if plan.config {
                        "site.toml"
                    } else {
                        "attachments"
                    },
                    started,
                    None,
                    false,
                    None,
                ),
                Err(d) => self.fail(&d),
            }
        } else if plan.templates || plan.statics {
            let name = site.config.theme.clone();
            match Theme::load(&self.opts.root, &name) {
                Ok(t) => {
                    self.theme = Some(t);
                    self.publish("theme", started, None, !plan.templates, None);
                }
                Err(d) => self.fail(&d),
            }
        }
        if !(plan.notes.is_empty() || plan.config || plan.rescan) {
            let what = describe(&plan.notes);
            let result = self.site.as_mut().map(|s| s.update_notes(&plan.notes));
            match result {
                Some(Ok(out)) => self.publish(&what, started, out.renamed, false, out.touched),
                Some(Err(d)) => self.fail(&d),
                None => {}
            }
        }
    }
}

fn describe(notes: &[VaultPath]) -> String {
    match notes {
        [one] => one.to_string(),
        many => format!("{} notes", many.len()),
    }
}

fn status_json(site: &Site, errors: &[&Diagnostic]) -> String {
    let shown = site.display_prefix();
    let policy = site.policy();
    let mut warnings: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for d in &site.diagnostics {
        if policy.level(d.kind) != Level::Warning {
            continue;
        }
        let Some(path) = d.path.strip_prefix(&shown) else {
            continue;
        };
        if let Ok(i) = site.notes.binary_search_by(|n| n.path.as_str().cmp(path)) {
            let page = site.index.notes[i].slug.file();
            warnings.entry(page).or_default().push(finding(d));
        }
    }
    let status = Status {
        r#type: "status",
        errors: errors.iter().map(|d| finding(d)).collect(),
        warnings,
    };
    serde_json::to_string(&status).unwrap_or_default()
}

/// Binds `port`, or the next free one (up to 20 further); says when it moved.
pub fn bind(addr: IpAddr, port: u16) -> Result<TcpListener, Diagnostic> {
    let mut last = None;
    for p in port..=port.saturating_add(20) {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => {
                if p != port {
                    eprintln!("port {port} is busy; using {p}");
                }
                return Ok(l);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(Diagnostic::new(
        Kind::Io,
        format!("{addr}:{port}"),
        format!(
            "no free port from {port} to {}: {}",
            port.saturating_add(20),
            last.map(|e| e.to_string()).unwrap_or_default()
        ),
    )
    .help("pass another `--port`"))
}

/// Runs the preview server until interrupted.
pub fn serve(opts: ServeOptions) -> Result<(), Diagnostic> {
    if !opts.bind.is_loopback() {
        eprintln!("warning: serving on {} makes your notes, drafts included when --drafts is set, visible to your network", opts.bind);
    }
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::new(Kind::Io, "serve", e.to_string()))?;
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        files: RwLock::new((Arc::new(Files::new()), 0)),
        boot: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
        status: RwLock::new(Arc::new(
            "{\"type\":\"status\",\"errors\":[],\"warnings\":{}}".into(),
        )),
        events,
    });
    let mut builder = Builder {
        opts: ServeOptions {
            port: addr.port(),
            ..opts.clone()
        },
        overrides: Overrides {
            drafts: opts.drafts,
            ..Overrides::default()
        },
        emit: EmitOptions {
            live_reload: Some(client_script()),
        },
        shared: shared.clone(),
        site: None,
        theme: None,
        search: None,
        behind: false,
        status_of: None,
    };
    let started = Instant::now();
    builder.full()?;
    builder.publish("initial build", started, None, false, None);
    let root = opts.root.canonicalize().map_err(|e| {
        Diagnostic::new(
            Kind::Io,
            opts.root.display().to_string(),
            format!("cannot open: {e}"),
        )
    })?;
    let (watcher, batches) = watch::watch(&root).map_err(|e| {
        Diagnostic::new(
            Kind::Io,
            root.display().to_string(),
            format!("cannot watch the folder: {e}"),
        )
    })?;
    std::thread::Builder::new()
        .name("isokb-builder".into())
        .spawn(move || {
            let _keep = watcher;
            while let Ok(batch) = batches.recv() {
                builder.handle(batch);
            }
        })
        .map_err(|e| Diagnostic::new(Kind::Io, "serve", e.to_string()))?;
    let url = format!("http://{addr}/");
    eprintln!("serving {url} (Ctrl-C to stop)");
    if opts.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::new(Kind::Io, "serve", e.to_string()))?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| Diagnostic::new(Kind::Io, "serve", e.to_string()))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Diagnostic::new(Kind::Io, "serve", e.to_string()))?;
        axum::serve(listener, http::router(shared))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Diagnostic::new(Kind::Io, "serve", e.to_string()))
    })
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_holds_the_version_mark_once() {
        assert_eq!(client_script().matches(VERSION_MARK).count(), 1);
        assert_eq!(
            Version { boot: 3, build: 10 }.to_string(),
            "3-10",
            "the client compares versions as these strings"
        );
    }

    #[test]
    fn batches_sort_into_plans() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.toml"), "").unwrap();
        std::fs::write(root.join("content/a.md"), "x").unwrap();
        std::fs::write(root.join("content/img.png"), "x").unwrap();
        let config = load_config(&root, &Overrides::default()).unwrap();
        let site = load_site(&root, config).unwrap();
        let batch = |ps: &[&str]| ps.iter().map(|p| root.join(p)).collect::<BTreeSet<_>>();
        assert_eq!(
            plan(
                &site,
                &batch(&["content/a.md", "content/.a.md.swp", "content/4913"])
            )
            .notes,
            vec![VaultPath::new("a.md")]
        );
        assert!(plan(&site, &batch(&["site.toml"])).config);
        assert!(plan(&site, &batch(&["content/img.png"])).rescan);
        assert!(plan(&site, &batch(&["themes/default/templates/note.html"])).templates);
        assert!(plan(&site, &batch(&["themes/default/static/style.css"])).statics);
        let words = plan(&site, &batch(&["themes/default/i18n/fr.toml"]));
        assert!(words.config && !words.statics);
        assert_eq!(
            plan(
                &site,
                &batch(&["public/index.html", "content/.obsidian/x.md"])
            ),
            Plan::default()
        );
    }
}
