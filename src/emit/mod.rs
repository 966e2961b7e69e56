//! Emitting: from the index and the rendered notes to the files of the site.
//!
//! Last stage. It lays out every page (notes, home, folders, tags, alias
//! redirects, 404), fills the theme's templates, and writes them together with
//! the search data, sitemap, Atom feed, robots.txt, the theme's static files
//! and the attachments that are used, through a [`Sink`] (a folder on disk or
//! memory). Pages are rendered and written in parallel. Every internal URL is
//! relative; absolute URLs appear only in the sitemap, the feed and canonical
//! links, and only when a base URL is set.
//!
//! Here: the page contexts the templates read and the emit itself. The page
//! kinds and how each is drawn are in `pages`, what each reads (and so when
//! it is due after an edit) in `due`, the other files of the site in `files`,
//! and the folder explorer every page shows in `explorer`.

use crate::diagnostics::{Diagnostic, Kind};
use crate::frontmatter::Value;
use crate::html::escape;
use crate::index::Link;
use crate::markdown::{split_wikilinks, Piece};
use crate::paths::{relative_url, LinkStyle, UrlPath};
use crate::render::{link_tags, RenderedNote, TocEntry};
use crate::templates::Theme;
pub use crate::view::SiteView;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

pub use crate::sink::{DiskSink, FailedWrites, MemorySink, Sink};

mod due;
mod explorer;
mod files;
mod llms;
mod pages;
mod redirects;
pub use due::{Changes, NoteChange};
use pages::Job;

/// The theme's words, by name.
type Words = BTreeMap<&'static str, &'static str>;

/// What emit needs besides the site itself.
#[derive(Debug, Clone, Default)]
pub struct EmitOptions {
    /// HTML injected at the end of every page (the live-reload client of `serve`).
    pub live_reload: Option<String>,
}

/// The pages an edit can change, when it leaves the site's shape alone (no
/// note added, removed or moved; see [`crate::incremental`]). [`emit_some`]
/// writes those, the home page, the search data, the sitemap and the feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Notes whose page is written again.
    pub notes: BTreeSet<usize>,
    /// Folder pages (folders without a folder note) by vault path.
    pub folders: BTreeSet<String>,
    /// Tag pages by key.
    pub tags: BTreeSet<String>,
    /// The page listing every tag.
    pub tag_index: bool,
    /// Notes whose alias redirects are written again (they show its title).
    pub redirects_to: BTreeSet<usize>,
    /// The global graph's data.
    pub graph: bool,
    /// Notes read again (their search documents are redone).
    pub edited: BTreeSet<usize>,
    /// The listed date of an edited note changed (sitemap, feed).
    pub dates: bool,
}

/// Counts of what was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Emitted {
    /// HTML pages.
    pub pages: usize,
    /// All files, pages included.
    pub files: usize,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    base_url: Option<&'a str>,
    /// Whether `site.toml` defines callout types (their colours are in the
    /// generated stylesheet).
    custom_callouts: bool,
    /// The language as link previews name it (`og:locale`: `fr_FR`).
    locale: Option<String>,
}

#[derive(Serialize)]
struct Urls {
    home: String,
    tags: String,
    css: String,
    generated_css: String,
    js: String,
    search_js: String,
    feed: Option<String>,
    /// The site's icon: `favicon` in `site.toml`, else the theme's
    /// `static/favicon.png`, `.ico` or `.svg` (built in).
    favicon: Option<String>,
    /// The logo before the site's title (`logo` in `site.toml`).
    logo: Option<String>,
}

/// Listings longer than this (a big tag or folder) show each note's title
/// and day without its summary: a reader scans such a list (with its filter
/// box) rather than reads it, and summaries made a tag page of 5,000 notes
/// weigh 2.5 MB.
pub const SUMMARIES_UP_TO: usize = 100;

#[derive(Serialize, Clone)]
struct Card<'a> {
    title: &'a str,
    url: String,
    /// The day it is listed under, `YYYY-MM-DD` (`None` in a listing whose
    /// notes all share one day).
    date: Option<&'a str>,
    /// That day in the site's language (`21 novembre 2026`).
    shown: Option<&'a str>,
    summary: &'a str,
}

/// A `YYYY-MM-DD` day with its reading in `lang`.
fn dated(day: &str, lang: crate::i18n::Language) -> Option<Dated> {
    let d = crate::dates::IsoDate::parse(day)?;
    Some(Dated {
        iso: day.to_string(),
        shown: d.shown(lang),
    })
}

/// A day, as machines and as readers read it.
#[derive(Serialize, Debug, Clone)]
struct Dated {
    /// `2026-11-21`.
    iso: String,
    /// `21 novembre 2026`.
    shown: String,
}

#[derive(Serialize, Clone)]
struct TagLink {
    name: String,
    url: String,
    count: usize,
    depth: usize,
}

#[derive(Serialize)]
struct Prop {
    /// The key as written.
    name: String,
    /// The key as shown (`date_de_revue` reads "date de revue").
    label: String,
    html: String,
}

/// Whether a property's value shows nothing: none, blank text, or a list or
/// map of such values.
fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Text(s) => s.trim().is_empty(),
        Value::List(items) => items.iter().all(is_empty_value),
        Value::Map(m) => m.iter().all(|(_, v)| is_empty_value(v)),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
}

#[derive(Serialize, Default)]
struct PageCtx<'a> {
    kind: &'static str,
    title: String,
    description: String,
    content: &'a str,
    toc: &'a [TocEntry],
    tags: Vec<TagLink>,
    properties: Vec<Prop>,
    aliases: &'a [String],
    backlinks: Vec<Card<'a>>,
    cssclasses: String,
    /// The day the note was created: `date` (or `created`), else the
    /// commit that added it.
    date: Option<Dated>,
    /// The day it was last changed: `updated` (or `modified`), else its
    /// last commit, else its file time ("last updated").
    updated: Option<Dated>,
    /// Who changed it last, from git (with `show_author`).
    author: Option<String>,
    /// "Edit this page" and "history" (`edit_url`, `history_url`).
    edit_url: Option<String>,
    history_url: Option<String>,
    path: &'a str,
    breadcrumbs: Vec<Crumb>,
    canonical: Option<String>,
    /// Whether the page shows highlighted code (and needs the generated
    /// stylesheet, which holds its colours).
    highlighted: bool,
    /// The note's own language (a `lang` property), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    /// The absolute address of the picture link previews show (`og:image`).
    image: Option<String>,
    /// Keep the page out of search engines (`robots: noindex`, or the site's `noindex`).
    noindex: bool,
    /// On the 404 page, how many files the alias table has (when the
    /// aliases have no page of their own).
    #[serde(skip_serializing_if = "is_zero")]
    alias_shards: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct FolderCtx<'a> {
    title: String,
    subfolders: Vec<TagLink>,
    notes: Vec<Card<'a>>,
}

#[derive(Serialize)]
struct TagCtx<'a> {
    name: String,
    children: Vec<TagLink>,
    notes: Vec<Card<'a>>,
}

#[derive(Serialize)]
struct Ctx<'a> {
    /// `None` where the templates have it folded in (so for `urls`).
    #[serde(skip_serializing_if = "Option::is_none")]
    root: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    urls: Option<Urls>,
    /// The templates that draw the page.
    #[serde(skip)]
    pages: Arc<crate::templates::Pages>,
    page: PageCtx<'a>,
    folder: Option<FolderCtx<'a>>,
    tag: Option<TagCtx<'a>>,
    tags: Vec<TagLink>,
    recent: Vec<Card<'a>>,
    top_tags: Vec<TagLink>,
    live_reload: Option<&'a str>,
    reader: crate::nav::PageNav,
    /// The explorer, written where `reader.explorer_html`'s marker is.
    #[serde(skip)]
    explorer: Option<explorer::Drawn>,
}

/// What `redirect.html` reads: a page at an alias that sends the reader on.
#[derive(Serialize)]
struct RedirectCtx<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    root: Option<String>,
    page: RedirectPage<'a>,
}

#[derive(Serialize)]
struct RedirectPage<'a> {
    kind: &'static str,
    title: &'a str,
    /// The note, relative to the page.
    target: String,
    canonical: Option<String>,
}

struct Emitter<'a> {
    v: &'a SiteView<'a>,
    theme: &'a Theme,
    /// `site` and `t`, the same on every page.
    shared: crate::templates::Shared,
    /// The theme's templates with `site` and `t` folded in.
    pages: crate::templates::Pages,
    /// The theme's templates for each depth and page kind, with what is the
    /// same on all those pages (addresses, `page.kind`) folded in too; made
    /// when first used.
    fixed: Mutex<HashMap<(usize, &'static str), Arc<crate::templates::Pages>>>,
    t: &'static Words,
    style: LinkStyle,
    /// The explorer's words and what of it is drawn once per build.
    explorer_words: explorer::ExplorerWords,
    explorer: explorer::ExplorerCache,
    opts: &'a EmitOptions,
    dates: Vec<Option<&'a str>>,
    /// Those days in the site's language.
    shown_dates: Vec<Option<String>>,
    /// Where the content folder is in the repository, for `edit_url`.
    repo_prefix: String,
    /// Every published note under each tag (children included), by title.
    tag_notes: HashMap<&'a str, Vec<usize>>,
    reader: crate::nav::SiteNav<'a>,
    /// The pictures `site.toml` names, found once.
    pictures: SitePictures,
}

/// The attachments `site.toml` names (`image`, `favicon`, `logo`), and the
/// site's preview picture as an absolute address.
#[derive(Default)]
struct SitePictures {
    image: Option<usize>,
    favicon: Option<usize>,
    logo: Option<usize>,
    image_url: Option<String>,
}

impl SitePictures {
    /// The attachments to publish even when no note uses them.
    fn files(&self) -> Vec<usize> {
        [self.image, self.favicon, self.logo]
            .into_iter()
            .flatten()
            .collect()
    }
}

/// The file a name in `site.toml` leads to (`img/logo.png`, `[[logo.png]]`),
/// when it is an attachment of the vault.
fn site_file(index: &crate::index::Index, written: Option<&str>) -> Option<usize> {
    let written = written?;
    let name = crate::markdown::sole_link(written)
        .map_or_else(|| written.trim().to_string(), |(r, _)| r.target);
    match index.target_named(&name, "")? {
        crate::resolve::Target::File(f) => Some(f.0),
        crate::resolve::Target::Note(_) => None,
    }
}

/// Writes the whole site through `sink`.
pub fn emit(
    v: &SiteView,
    theme: &Theme,
    sink: &dyn Sink,
    opts: &EmitOptions,
) -> (Emitted, Vec<Diagnostic>) {
    emit_some(v, theme, sink, opts, None, None)
}

/// Writes the pages `only` names (with the home page, search data, sitemap
/// and feed), or the whole site when `only` is `None`. With `search`, the
/// search index is kept there between calls and only its changed files are
/// written when `only` is set.
pub fn emit_some(
    v: &SiteView,
    theme: &Theme,
    sink: &dyn Sink,
    opts: &EmitOptions,
    only: Option<&Touched>,
    search: Option<&mut Option<crate::search::SearchIndex>>,
) -> (Emitted, Vec<Diagnostic>) {
    let c = v.config;
    let e = Emitter::new(v, theme, opts);
    let idx = v.index;
    let mut jobs = Job::all(v);
    if let Some(t) = only {
        jobs.retain(|job| job.is_due(t));
    }

    let results: Vec<Result<usize, Diagnostic>> =
        jobs.par_iter().map(|job| e.write_page(job, sink)).collect();
    let mut files = jobs.len();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(twins) => files += twins,
            Err(d) => diags.push(d),
        }
    }
    let mut write = |path: &str, bytes: &[u8]| match sink.write(path, bytes) {
        Ok(()) => files += 1,
        Err(err) => diags.push(io_error(path, &err)),
    };
    if only.is_none() {
        for (path, bytes) in e.fixed_files(theme) {
            write(&path, &bytes);
        }
    }
    // The global graph before the search index: its memory is given back
    // before the search index's postings take theirs.
    if only.is_none_or(|t| t.graph) {
        let graph = crate::nav::graph::global_js(v, e.reader.graph);
        write(crate::nav::graph::GRAPH_JS, graph.as_bytes());
    }
    // Files the streamed search index wrote, and those it failed to write.
    let (search, streamed) = search_files(v, sink, search, only);
    if !search.manifest.is_empty() {
        write(crate::search::MANIFEST, search.manifest.as_bytes());
    }
    for (path, text) in &search.files {
        write(path, text.as_bytes());
    }
    if c.llms {
        write("llms.txt", e.llms_txt().as_bytes());
    }
    if only.is_none() {
        for (path, bytes) in e.redirect_files() {
            write(&path, &bytes);
        }
    }
    if let Some(base) = &c.base_url {
        // After an edit, the sitemap changes with dates only, the feed with
        // dates or with the content of a note it shows.
        let recent = e.recent_ids(20);
        if only.is_none_or(|t| t.dates) {
            write("sitemap.xml", e.sitemap(base).as_bytes());
        }
        if only.is_none_or(|t| t.dates || recent.iter().any(|i| t.edited.contains(i))) {
            write("atom.xml", e.feed(base, &recent).as_bytes());
        }
    }
    // The site's own pictures are published even when no note uses them.
    let site_files = e.pictures.files();
    let copies: Vec<Result<(), Diagnostic>> = idx
        .files
        .par_iter()
        .zip(v.files)
        .enumerate()
        .filter(|_| only.is_none())
        .filter(|(i, (f, _))| f.used || c.publish_all_attachments || site_files.contains(i))
        .map(|(_, f)| f)
        .map(|(f, src)| {
            sink.copy(f.url.as_str(), &src.source)
                .map_err(|err| io_error(f.url.as_str(), &err))
        })
        .collect();
    files += streamed.0 - streamed.1.len();
    diags.extend(streamed.1);
    files += copies.iter().filter(|r| r.is_ok()).count();
    diags.extend(copies.into_iter().filter_map(Result::err));
    for (path, err) in sink.flush() {
        files = files.saturating_sub(1);
        diags.push(io_error(&path, &err));
    }
    (
        Emitted {
            pages: jobs.len(),
            files,
        },
        diags,
    )
}

/// The search index's files to write, or, in a one-shot build (no `search`
/// state to keep), how many files it streamed to `sink` and the writes
/// that failed.
fn search_files(
    v: &SiteView,
    sink: &dyn Sink,
    search: Option<&mut Option<crate::search::SearchIndex>>,
    only: Option<&Touched>,
) -> (crate::search::SearchFiles, (usize, Vec<Diagnostic>)) {
    let Some(state) = search else {
        // A one-shot build: written as it is made, nothing kept.
        let failed = Mutex::new(Vec::new());
        let put = |path: &str, bytes: Vec<u8>| {
            if let Err(err) = sink.write_owned(path, bytes) {
                if let Ok(mut f) = failed.lock() {
                    f.push(io_error(path, &err));
                }
            }
        };
        let written = crate::search::write_all(v, &put);
        let streamed = (written, failed.into_inner().unwrap_or_default());
        return (crate::search::SearchFiles::default(), streamed);
    };
    let updated = match (state.as_mut(), only) {
        (Some(s), Some(t)) => s.update(v, &t.edited),
        _ => None,
    };
    let files = updated.unwrap_or_else(|| {
        let s = crate::search::SearchIndex::new(v);
        let f = s.files();
        *state = Some(s);
        f
    });
    (files, (0, Vec::new()))
}

fn io_error(path: &str, err: &io::Error) -> Diagnostic {
    Diagnostic::new(
        Kind::Io,
        path,
        format!("cannot write the output file: {err}"),
    )
}

/// Every published note under each tag, children included, by index (a
/// tag's page sorts its own list by title).
fn tag_notes<'a>(v: &'a SiteView) -> HashMap<&'a str, Vec<usize>> {
    let idx = v.index;
    let mut out: HashMap<&str, Vec<usize>> = HashMap::new();
    for (key, tag) in &idx.tags {
        // Each note is counted under its own tag and every ancestor.
        let mut k: Option<&String> = Some(key);
        while let Some(cur) = k {
            out.entry(cur.as_str()).or_default().extend(&tag.notes);
            k = idx.tags.get(cur).and_then(|t| t.parent.as_ref());
        }
    }
    for ids in out.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    out
}

impl<'a> Emitter<'a> {
    fn new(v: &'a SiteView<'a>, theme: &'a Theme, opts: &'a EmitOptions) -> Emitter<'a> {
        let c = v.config;
        let t = v.render.language.words();
        let shared = crate::templates::Shared::default()
            .with(
                "site",
                &SiteCtx {
                    title: &c.title,
                    description: &c.description,
                    lang: v.render.language.code(),
                    custom_callouts: !c.callouts.is_empty(),
                    locale: v.render.language.og_locale(),
                    base_url: c.base_url.as_deref(),
                },
            )
            .with("t", t);
        let file = |w: &Option<String>| site_file(v.index, w.as_deref());
        let mut e = Emitter {
            v,
            theme,
            pages: theme.pages(&shared, &crate::templates::Shared::default()),
            shared,
            fixed: Mutex::default(),
            explorer_words: explorer::ExplorerWords::new(t),
            t,
            explorer: explorer::ExplorerCache::default(),
            style: c.link_style(),
            opts,
            dates: v.index.notes.iter().map(|n| n.date.as_deref()).collect(),
            shown_dates: v
                .index
                .notes
                .iter()
                .map(|n| {
                    n.date
                        .as_deref()
                        .and_then(|d| dated(d, v.render.language))
                        .map(|d| d.shown)
                })
                .collect(),
            repo_prefix: v.repo_prefix.map_or_else(
                || {
                    let dir = c.content_dir.to_string_lossy().replace('\\', "/");
                    let dir = dir.trim_start_matches("./").trim_matches('/');
                    if dir.is_empty() || dir == "." {
                        String::new()
                    } else {
                        format!("{dir}/")
                    }
                },
                str::to_string,
            ),
            tag_notes: tag_notes(v),
            reader: crate::nav::SiteNav::new(v),
            pictures: SitePictures {
                image: file(&c.image),
                favicon: file(&c.favicon),
                logo: file(&c.logo),
                image_url: None,
            },
        };
        e.pictures.image_url = c.image.as_deref().and_then(|w| e.image_url(w, ""));
        e
    }

    fn url(&self, depth: usize, target: &UrlPath) -> String {
        relative_url(depth, target, self.style)
    }

    /// The templates for pages of `kind` at `depth`.
    fn pages_for(&self, depth: usize, kind: &'static str) -> Arc<crate::templates::Pages> {
        let mut made = self.fixed.lock().unwrap_or_else(PoisonError::into_inner);
        let pages = made.entry((depth, kind)).or_insert_with(|| {
            let nav = self.reader.bare(depth);
            let fixed = crate::templates::Shared::default()
                .with("urls", &self.urls(depth, kind))
                .with("root", &"../".repeat(depth))
                .with("page", &serde_json::json!({ "kind": kind }))
                .with(
                    "reader",
                    &serde_json::json!({
                        "graph_url": nav.graph_url,
                        "graph_data": nav.graph_data,
                        "graph_ui": nav.graph_ui,
                    }),
                );
            Arc::new(self.theme.pages(&self.shared, &fixed))
        });
        Arc::clone(pages)
    }

    /// The addresses of the site's files from a page at `depth`; absolute
    /// on the 404 page when the site's address is known, since static hosts
    /// serve it at any depth.
    fn urls(&self, depth: usize, kind: &str) -> Urls {
        let base = self.v.config.base_url.as_ref();
        let absolute = base.filter(|_| kind == "404");
        let f = |p: &str| match absolute {
            Some(b) => UrlPath::new(p).absolute(b),
            None => self.url(depth, &UrlPath::new(p)),
        };
        Urls {
            home: f(""),
            tags: f("tags/"),
            css: f("_static/style.css"),
            generated_css: f("_static/generated.css"),
            js: f("_static/isokb.js"),
            search_js: f("search-index.js"),
            feed: base.map(|_| f("atom.xml")),
            favicon: self.pictures.favicon.map_or_else(
                || {
                    ["favicon.png", "favicon.ico", "favicon.svg"]
                        .into_iter()
                        .find(|n| self.theme.statics.contains_key(*n))
                        .map(|n| f(&format!("_static/{n}")))
                },
                |i| Some(f(self.v.index.files[i].url.as_str())),
            ),
            logo: self
                .pictures
                .logo
                .map(|i| f(self.v.index.files[i].url.as_str())),
        }
    }

    /// The files an edit never changes: the theme's static files (CSS and
    /// JavaScript compacted), the generated stylesheet, `robots.txt`.
    fn fixed_files(&self, theme: &Theme) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = theme
            .statics
            .iter()
            .map(|(name, bytes)| {
                let bytes = match std::str::from_utf8(bytes) {
                    Ok(css) if name.ends_with(".css") => files::compact_css(css).into_bytes(),
                    Ok(js) if name == "isokb.js" => {
                        let mut out = self.script_words();
                        out.push_str(&files::compact_js(js));
                        out.into_bytes()
                    }
                    Ok(js) if name.ends_with(".js") => {
                        files::compact_js(js).into_owned().into_bytes()
                    }
                    _ => bytes.to_vec(),
                };
                (format!("_static/{name}"), bytes)
            })
            .collect();
        out.push((
            "_static/generated.css".into(),
            files::compact_css(&self.generated_css()).into_bytes(),
        ));
        out.push(("robots.txt".into(), self.robots().into_bytes()));
        out
    }

    /// The words the site's scripts write (a search's "no result", a copy
    /// button's "copied"…), in the site's language, once for the site at the
    /// head of `isokb.js` rather than in every page.
    fn script_words(&self) -> String {
        let pairs = [
            ("copy", "copy"),
            ("copied", "copied"),
            ("expand", "expand"),
            ("close", "close"),
            ("zoom-in", "zoom_in"),
            ("zoom-out", "zoom_out"),
            ("fit", "graph_fit"),
            ("empty", "no_results"),
            ("loading", "searching"),
            ("hint", "search_hint"),
            ("failed", "search_failed"),
            ("result", "result"),
            ("results", "results"),
        ];
        let words: BTreeMap<&str, &str> = pairs
            .iter()
            .filter_map(|&(k, w)| Some((k, *self.t.get(w)?)))
            .collect();
        let json = serde_json::to_string(&words)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        format!("window.ISOKB_WORDS={json};\n")
    }

    /// Writes the page of `job`, and with `llms` the Markdown twin of the
    /// note it shows beside it: how many files besides the page.
    fn write_page(&self, job: &Job, sink: &dyn Sink) -> Result<usize, Diagnostic> {
        let idx = self.v.index;
        let (path, html) = self.page(job)?;
        sink.write_owned(&path, html)
            .map_err(|err| io_error(&path, &err))?;
        let note = match job {
            Job::Note(i) => Some(*i),
            Job::Home => idx.home.filter(|&h| idx.notes[h].published),
            _ => None,
        };
        let Some(i) = note.filter(|_| self.v.config.llms) else {
            return Ok(0);
        };
        let twin = llms::twin_path(&path);
        sink.write_owned(&twin, self.twin(i).into_bytes())
            .map_err(|err| io_error(&twin, &err))?;
        Ok(1)
    }

    /// The cards of a listing; when its notes all share one day, no dates
    /// (they would say nothing, as after a checkout without history); past
    /// [`SUMMARIES_UP_TO`] notes, no summaries.
    fn cards(&self, depth: usize, ids: impl IntoIterator<Item = usize>) -> Vec<Card<'_>> {
        let mut cards: Vec<Card> = ids.into_iter().map(|i| self.card(depth, i)).collect();
        if cards.len() > SUMMARIES_UP_TO {
            for c in &mut cards {
                c.summary = "";
            }
        }
        if cards.len() > 1 && cards.iter().all(|c| c.date == cards[0].date) {
            for c in &mut cards {
                c.date = None;
                c.shown = None;
            }
        }
        cards
    }

    fn card(&self, depth: usize, id: usize) -> Card<'_> {
        self.card_at(self.url(depth, &self.v.index.note_url(id)), id)
    }

    /// The card of note `id`, linked at `url`.
    fn card_at(&self, url: String, id: usize) -> Card<'_> {
        let v = self.v;
        Card {
            title: &v.notes[id].title,
            url,
            date: self.dates[id],
            shown: self.shown_dates[id].as_deref(),
            summary: if v.index.notes[id].published {
                &v.notes[id].summary
            } else {
                ""
            },
        }
    }

    /// `edit_url` or `history_url` for the note at `path`: `{path}` is its
    /// path in the repository, encoded.
    fn repo_url(&self, pattern: Option<&str>, path: &str) -> Option<String> {
        let full = format!("{}{path}", self.repo_prefix);
        pattern.map(|p| p.replace("{path}", &crate::paths::encode_path(&full)))
    }

    fn tag_count(&self, key: &str) -> usize {
        self.tag_notes.get(key).map_or(0, Vec::len)
    }

    fn tag_link(&self, depth: usize, key: &str) -> Option<TagLink> {
        let t = self.v.index.tags.get(key)?;
        Some(TagLink {
            name: t.name.clone(),
            url: self.url(depth, &t.slug.url()),
            count: self.tag_count(key),
            depth: t.name.matches('/').count(),
        })
    }

    fn canonical(&self, url: &UrlPath) -> Option<String> {
        self.v.config.base_url.as_ref().map(|b| url.absolute(b))
    }

    /// A picture for link previews, as an absolute address: an `http(s)://`
    /// one as written, else an image of the vault named as a link would
    /// name it (`[[cover.png]]`, `img/cover.png`) and published, under
    /// `base_url` (without one, there is no absolute address to give).
    fn image_url(&self, written: &str, folder: &str) -> Option<String> {
        let t = crate::markdown::sole_link(written)
            .map_or_else(|| written.trim().to_string(), |(r, _)| r.target);
        if t.starts_with("https://") || t.starts_with("http://") {
            return Some(t);
        }
        let base = self.v.config.base_url.as_ref()?;
        match self.v.index.target_named(&t, folder)? {
            crate::resolve::Target::File(f) => {
                let file = &self.v.index.files[f.0];
                (file.used || self.pictures.image == Some(f.0)).then(|| file.url.absolute(base))
            }
            crate::resolve::Target::Note(_) => None,
        }
    }

    /// A note's own picture: its `image`, `cover` or `banner` property.
    fn note_image(&self, id: usize) -> Option<String> {
        let n = &self.v.notes[id];
        ["image", "cover", "banner"].iter().find_map(|key| {
            let (_, v) = n.front.properties.iter().find(|(k, _)| k == key)?;
            let text = v.texts().into_iter().next()?;
            self.image_url(&text, n.path.folder())
        })
    }

    /// A page's context; `current` places it in the explorer.
    fn ctx<'b>(
        &'b self,
        depth: usize,
        page: PageCtx<'b>,
        current: crate::nav::Current,
    ) -> Result<Ctx<'b>, Diagnostic> {
        let mut reader = self.reader.page(depth, current);
        let explorer = match &reader.explorer {
            Some(root) => Some(self.explorer_html(depth, root)?),
            None => None,
        };
        if explorer.is_some() {
            reader.explorer_html = Some(self.explorer.marker.clone());
        }
        // Serialising the tree for templates that never read it took a
        // twentieth of a large build.
        if !self.theme.uses_explorer_data() {
            reader.explorer = None;
        }
        let pages = self.pages_for(depth, page.kind);
        let mut page = page;
        if page.image.is_none() {
            page.image = self.pictures.image_url.clone();
        }
        page.noindex |= self.v.config.noindex;
        Ok(Ctx {
            root: pages.reads("root").then(|| "../".repeat(depth)),
            urls: pages.reads("urls").then(|| self.urls(depth, page.kind)),
            pages,
            page,
            folder: None,
            tag: None,
            tags: Vec::new(),
            recent: Vec::new(),
            top_tags: Vec::new(),
            live_reload: self.opts.live_reload.as_deref(),
            reader,
            explorer,
        })
    }

    /// A page drawn by the theme's `template`, its explorer in place.
    fn render(&self, template: &str, ctx: &Ctx, file: &str) -> Result<Vec<u8>, Diagnostic> {
        let page = ctx.pages.render(template, ctx, file)?;
        Ok(match &ctx.explorer {
            Some(e) => e.splice(page, &self.explorer.marker),
            None => page,
        })
    }

    fn note_page<'b>(&'b self, id: usize, r: Option<&'b RenderedNote>) -> PageCtx<'b> {
        let v = self.v;
        let n = &v.notes[id];
        let info = &v.index.notes[id];
        let depth = info.slug.depth();
        PageCtx {
            kind: "note",
            title: n.title.clone(),
            description: if r.is_some() {
                n.summary.clone()
            } else {
                String::new()
            },
            content: r.map_or("", |r| r.html.as_str()),
            highlighted: r.is_some_and(|r| r.html.contains("class=\"hl")),
            toc: r.map_or(&[], |r| r.toc.as_slice()),
            tags: info
                .tags
                .iter()
                .filter_map(|k| self.tag_link(depth, k))
                .collect(),
            properties: self.properties(id, depth),
            aliases: &n.front.aliases,
            backlinks: info
                .backlinks
                .iter()
                .map(|&b| {
                    // From the note's own page (the home page is drawn
                    // elsewhere), the shortest way.
                    if Some(id) == v.index.home {
                        return self.card(depth, b);
                    }
                    let url = crate::paths::relative_from(
                        &info.slug.url(),
                        &v.index.note_url(b),
                        v.config.link_style(),
                    );
                    self.card_at(url, b)
                })
                .collect(),
            cssclasses: n
                .front
                .cssclasses
                .iter()
                .map(|c| {
                    c.chars()
                        .filter(|ch| ch.is_alphanumeric() || *ch == '-' || *ch == '_')
                        .collect::<String>()
                })
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            date: n
                .created_date()
                .and_then(|d| dated(&d, self.v.render.language)),
            updated: n
                .updated_date()
                .and_then(|d| dated(&d, self.v.render.language)),
            author: n
                .history
                .as_ref()
                // The last author goes with the last commit's date, not with
                // an `updated` the front matter gives.
                .filter(|_| self.v.config.show_author && n.front.updated.is_none())
                .map(|h| h.author.clone())
                .filter(|a| !a.is_empty()),
            edit_url: self.repo_url(self.v.config.edit_url.as_deref(), n.path.as_str()),
            history_url: self.repo_url(self.v.config.history_url.as_deref(), n.path.as_str()),
            path: n.path.as_str(),
            breadcrumbs: self.breadcrumbs(depth, n.path.folder(), true),
            canonical: self.canonical(&info.slug.url()),
            image: self.note_image(id),
            noindex: !info.listed
                || n.front.properties.iter().any(|(k, v)| {
                    k == "robots"
                        && v.texts()
                            .iter()
                            .any(|t| t.to_lowercase().contains("noindex"))
                }),
            lang: n
                .front
                .lang
                .as_deref()
                .map(str::trim)
                .filter(|l| crate::i18n::is_code(l))
                .map(str::to_string),
            alias_shards: 0,
        }
    }

    fn breadcrumbs(&self, depth: usize, folder: &str, include_self: bool) -> Vec<Crumb> {
        let idx = self.v.index;
        let mut crumbs = vec![Crumb {
            title: self.t["home"].to_string(),
            url: self.url(depth, &UrlPath::new("")),
        }];
        let mut path = String::new();
        let parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
        let n = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(part);
            if !include_self && i + 1 == n {
                break;
            }
            if let Some(f) = idx.folders.get(&path) {
                let title = f
                    .index_note
                    .map_or_else(|| f.name.clone(), |i| self.v.notes[i].title.clone());
                crumbs.push(Crumb {
                    title,
                    url: self.url(depth, &f.slug.url()),
                });
            }
        }
        crumbs
    }

    fn folder_ctx(&self, depth: usize, f: &crate::index::FolderInfo) -> FolderCtx<'_> {
        let idx = self.v.index;
        let count = |path: &str| -> usize {
            let prefix = format!("{path}/");
            idx.folders
                .iter()
                .filter(|(p, _)| *p == path || p.starts_with(&prefix))
                .map(|(_, f)| f.notes.len() + usize::from(f.index_note.is_some()))
                .sum()
        };
        let mut ids = f.notes.clone();
        idx.sort_by_title(&mut ids);
        let notes = self.cards(depth, ids);
        FolderCtx {
            title: f.name.clone(),
            subfolders: {
                // In the explorer's order: where the folder note would come.
                let mut subs: Vec<(Vec<u8>, TagLink)> = f
                    .children
                    .iter()
                    .filter_map(|c| idx.folders.get(c).map(|cf| (c, cf)))
                    .map(|(c, cf)| {
                        let link = TagLink {
                            name: cf
                                .index_note
                                .map_or_else(|| cf.name.clone(), |i| self.v.notes[i].title.clone()),
                            url: self.url(depth, &cf.slug.url()),
                            count: count(c),
                            depth: 0,
                        };
                        (idx.folder_key(cf), link)
                    })
                    .collect();
                subs.sort_by(|a, b| a.0.cmp(&b.0));
                subs.into_iter().map(|(_, l)| l).collect()
            },
            notes,
        }
    }

    /// Properties as HTML, with `[[links]]` in values resolved.
    fn properties(&self, id: usize, depth: usize) -> Vec<Prop> {
        let n = &self.v.notes[id];
        let links = &self.v.index.notes[id].property_links;
        let mut k = 0;
        n.front
            .properties
            .iter()
            // An empty value (nothing, `""`, `[]`, a list of empty items)
            // shows nothing, as in Obsidian's reading view; it holds no link.
            .filter(|(name, value)| name != "archetype" && !is_empty_value(value))
            .map(|(name, value)| {
                let html = self.value_html(value, depth, links, &mut k, true);
                Prop {
                    name: name.clone(),
                    label: self
                        .v
                        .config
                        .labels
                        .get(name)
                        .cloned()
                        .unwrap_or_else(|| name.replace('_', " ")),
                    html,
                }
            })
            .collect()
    }

    fn value_html(
        &self,
        v: &Value,
        depth: usize,
        links: &[Link],
        k: &mut usize,
        top: bool,
    ) -> String {
        match v {
            Value::Null => String::new(),
            // A checkbox, as Obsidian shows it, that cannot be changed.
            Value::Bool(b) => format!(
                "<input type=\"checkbox\" class=\"prop-checkbox\" disabled{} aria-label=\"{}\">",
                if *b { " checked" } else { "" },
                escape(self.t[if *b { "yes" } else { "no" }])
            ),
            Value::Number(s) => escape(&self.v.render.language.number(s)),
            Value::Text(s) => match crate::dates::IsoDate::parse(s) {
                Some(d) => format!(
                    "<time datetime=\"{}\">{}</time>",
                    escape(s.trim()),
                    escape(&d.shown(self.v.render.language))
                ),
                None => self.text_html(s, depth, links, k),
            },
            Value::List(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .filter(|i| **i != Value::Null)
                    .map(|i| match i {
                        Value::Map(_) => escape(&format!("{i:?}")),
                        _ => self.value_html(i, depth, links, k, false),
                    })
                    .collect();
                if top {
                    format!(
                        "<ul class=\"prop-list\">{}</ul>",
                        parts
                            .iter()
                            .map(|p| format!("<li>{p}</li>"))
                            .collect::<String>()
                    )
                } else {
                    parts.join(", ")
                }
            }
            Value::Map(m) => m
                .iter()
                .map(|(key, val)| {
                    format!(
                        "{}: {}",
                        escape(key),
                        self.value_html(val, depth, links, k, false)
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    fn text_html(&self, s: &str, depth: usize, links: &[Link], k: &mut usize) -> String {
        let mut out = String::new();
        for piece in split_wikilinks(s) {
            match piece {
                Piece::Text(t) => out.push_str(&crate::render::text_with_urls(&t)),
                // A web address with its text; one of another scheme
                // (`javascript:`) stays as written.
                Piece::External(label, raw) => match raw.target.split_once(':') {
                    Some((scheme, _))
                        if ["http", "https", "mailto"]
                            .contains(&scheme.to_ascii_lowercase().as_str()) =>
                    {
                        out.push_str(&format!(
                            "<a href=\"{}\">{}</a>",
                            escape(&raw.target),
                            escape(&label)
                        ));
                    }
                    _ => out.push_str(&escape(&format!("[{label}]({})", raw.target))),
                },
                Piece::Link(raw, label) => {
                    let shown = escape(label.as_deref().unwrap_or(&raw.target));
                    let link = links.get(*k).unwrap_or(&Link::Broken);
                    let (open, close) =
                        link_tags(self.v.index, link, &raw.target, depth, self.style, None);
                    out.push_str(&open);
                    out.push_str(&shown);
                    out.push_str(close);
                    *k += 1;
                }
            }
        }
        out
    }
}
