//! Emitting: from the index and the rendered notes to the files of the site.
//!
//! Last stage. It lays out every page (notes, home, folders, tags, alias
//! redirects, 404), fills the theme's templates, and writes them together with
//! the search data, sitemap, Atom feed, robots.txt, the theme's static files
//! and the attachments that are used, through a [`Sink`] (a folder on disk or
//! memory). Pages are rendered and written in parallel. Every internal URL is
//! relative; absolute URLs appear only in the sitemap, the feed and canonical
//! links, and only when a base URL is set.

use crate::diagnostics::{Diagnostic, Kind};
use crate::frontmatter::Value;
use crate::highlight;
use crate::html::escape;
use crate::index::Link;
use crate::markdown::{split_wikilinks, Piece};
use crate::paths::{name_key, relative_url, LinkStyle, Slug, UrlPath};
use crate::render::{link_tags, RenderedNote, TocEntry};
use crate::templates::{words, Theme};
pub use crate::view::SiteView;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::sync::Mutex;

pub use crate::sink::{DiskSink, FailedWrites, MemorySink, Sink};

mod builtin;
mod due;
pub use due::{Changes, NoteChange};

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
}

#[derive(Serialize, Clone)]
struct Card<'a> {
    title: &'a str,
    url: String,
    date: Option<&'a str>,
    summary: &'a str,
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
    name: String,
    html: String,
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
    date: Option<String>,
    updated: Option<String>,
    path: &'a str,
    breadcrumbs: Vec<Crumb>,
    canonical: Option<String>,
    target: Option<String>,
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
    site: &'a SiteCtx<'a>,
    t: &'a Words,
    root: String,
    urls: Urls,
    page: PageCtx<'a>,
    folder: Option<FolderCtx<'a>>,
    tag: Option<TagCtx<'a>>,
    tags: Vec<TagLink>,
    recent: Vec<Card<'a>>,
    top_tags: Vec<TagLink>,
    live_reload: Option<&'a str>,
    reader: crate::nav::PageNav,
}

/// One page to produce.
#[derive(Debug, Clone)]
enum Job {
    Note(usize),
    Home,
    Folder(String),
    Tag(String),
    TagIndex,
    Redirect(Slug, usize),
    NotFound,
    Graph,
}

impl Job {
    /// Every page of the site, the home page first.
    fn all(v: &SiteView) -> Vec<Job> {
        let idx = v.index;
        let mut jobs: Vec<Job> = Vec::new();
        jobs.push(Job::Home);
        jobs.extend(
            (0..v.notes.len())
                .filter(|&i| idx.notes[i].published && Some(i) != idx.home)
                .map(Job::Note),
        );
        jobs.extend(
            idx.folders
                .iter()
                .filter(|(p, f)| !p.is_empty() && f.index_note.is_none())
                .map(|(p, _)| Job::Folder(p.clone())),
        );
        jobs.extend(idx.tags.keys().cloned().map(Job::Tag));
        jobs.push(Job::TagIndex);
        jobs.extend(
            idx.redirects
                .iter()
                .cloned()
                .map(|(s, n)| Job::Redirect(s, n)),
        );
        jobs.push(Job::NotFound);
        jobs.push(Job::Graph);
        jobs
    }

    /// Whether an edit that touched `t` changes this page.
    fn is_due(&self, t: &Touched) -> bool {
        match self {
            Job::Home => true,
            Job::Note(i) => t.notes.contains(i),
            Job::Folder(p) => t.folders.contains(p),
            Job::Tag(k) => t.tags.contains(k),
            Job::TagIndex => t.tag_index,
            Job::Redirect(_, n) => t.redirects_to.contains(n),
            Job::NotFound | Job::Graph => false,
        }
    }
}

struct Emitter<'a> {
    v: &'a SiteView<'a>,
    theme: &'a Theme,
    site: SiteCtx<'a>,
    t: Words,
    style: LinkStyle,
    /// Whether note pages are drawn without Tera ([`builtin`]).
    builtin_notes: bool,
    /// Whether tag and folder pages are.
    builtin_tags: bool,
    builtin_folders: bool,
    opts: &'a EmitOptions,
    dates: Vec<Option<&'a str>>,
    /// Every published note under each tag (children included), by title.
    tag_notes: HashMap<&'a str, Vec<usize>>,
    reader: crate::nav::SiteNav<'a>,
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

    let results: Vec<Result<(), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let (path, html) = e.page(job)?;
            sink.write_owned(&path, html)
                .map_err(|err| io_error(&path, &err))
        })
        .collect();
    let mut diags: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    let mut files = jobs.len();
    let mut write = |path: &str, bytes: &[u8]| match sink.write(path, bytes) {
        Ok(()) => files += 1,
        Err(err) => diags.push(io_error(path, &err)),
    };
    if only.is_none() {
        for (name, bytes) in &theme.statics {
            write(&format!("_static/{name}"), bytes);
        }
        write("_static/generated.css", e.generated_css().as_bytes());
        write("robots.txt", e.robots().as_bytes());
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
    let copies: Vec<Result<(), Diagnostic>> = idx
        .files
        .par_iter()
        .zip(v.files)
        .filter(|_| only.is_none())
        .filter(|(f, _)| f.used || c.publish_all_attachments)
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
        Emitter {
            v,
            theme,
            site: SiteCtx {
                title: &c.title,
                description: &c.description,
                lang: c.language.code(),
                base_url: c.base_url.as_deref(),
            },
            t: words(c.language),
            style: c.link_style(),
            opts,
            dates: v.index.notes.iter().map(|n| n.date.as_deref()).collect(),
            tag_notes: tag_notes(v),
            reader: crate::nav::SiteNav::new(v).with_explorer_data(theme.uses_explorer_data()),
            builtin_notes: builtin::draws_notes(theme),
            builtin_tags: builtin::draws(theme, "tag.html"),
            builtin_folders: builtin::draws(theme, "folder.html"),
        }
    }

    fn url(&self, depth: usize, target: &UrlPath) -> String {
        relative_url(depth, target, self.style)
    }

    fn urls(&self, depth: usize) -> Urls {
        let f = |p: &str| self.url(depth, &UrlPath::new(p));
        Urls {
            home: f(""),
            tags: f("tags/"),
            css: f("_static/style.css"),
            generated_css: f("_static/generated.css"),
            js: f("_static/isokb.js"),
            search_js: f("search-index.js"),
            feed: self.v.config.base_url.as_ref().map(|_| f("atom.xml")),
        }
    }

    fn card(&self, depth: usize, id: usize) -> Card<'_> {
        let v = self.v;
        Card {
            title: &v.notes[id].title,
            url: self.url(depth, &v.index.note_url(id)),
            date: self.dates[id],
            summary: if v.index.notes[id].published {
                &v.notes[id].summary
            } else {
                ""
            },
        }
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

    /// A page's context; `current` places it in the explorer, and `None`
    /// (a redirect) gives it no explorer or local graph.
    fn ctx<'b>(
        &'b self,
        depth: usize,
        page: PageCtx<'b>,
        current: Option<crate::nav::Current>,
    ) -> Ctx<'b> {
        Ctx {
            site: &self.site,
            t: &self.t,
            root: "../".repeat(depth),
            urls: self.urls(depth),
            page,
            folder: None,
            tag: None,
            tags: Vec::new(),
            recent: Vec::new(),
            top_tags: Vec::new(),
            live_reload: self.opts.live_reload.as_deref(),
            reader: match current {
                Some(c) => self.reader.page(depth, c),
                None => self.reader.bare(depth),
            },
        }
    }

    fn page(&self, job: &Job) -> Result<(String, Vec<u8>), Diagnostic> {
        match job {
            Job::Note(id) => self.note_file(*id),
            Job::Home => self.home_file(),
            Job::Folder(path) => self.folder_file(path),
            Job::Tag(key) => self.tag_file(key),
            Job::TagIndex => self.tag_index_file(),
            Job::Redirect(slug, id) => self.redirect_file(slug, *id),
            Job::NotFound => self.not_found_file(),
            Job::Graph => self.graph_file(),
        }
    }

    /// A note's page, in its archetype's template when the theme has one.
    fn note_file(&self, id: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let idx = self.v.index;
        let slug = &idx.notes[id].slug;
        let folder = idx.folders.values().find(|f| f.index_note == Some(id));
        let rendered = self.v.rendered_note(id);
        let mut ctx = self.ctx(
            slug.depth(),
            self.note_page(id, rendered.as_deref()),
            Some(crate::nav::Current::Note(id)),
        );
        ctx.folder = folder.map(|f| self.folder_ctx(slug.depth(), f));
        let template = self.v.notes[id]
            .front
            .properties
            .iter()
            .find(|(k, _)| k == "archetype")
            .and_then(|(_, v)| v.texts().into_iter().next())
            .map(|a| format!("archetypes/{}.html", crate::paths::slugify(&a)))
            .filter(|t| self.theme.has(t))
            .unwrap_or_else(|| "note.html".to_string());
        if self.builtin_notes && template == "note.html" {
            return Ok((slug.file(), builtin::note_page(&ctx)));
        }
        Ok((
            slug.file(),
            self.theme.render_bytes(&template, &ctx, &slug.file())?,
        ))
    }

    /// The home page: the home note (or the site's title), recent notes and top tags.
    fn home_file(&self) -> Result<(String, Vec<u8>), Diagnostic> {
        let idx = self.v.index;
        let rendered = idx.home.and_then(|id| self.v.rendered_note(id));
        let mut page = match idx.home {
            Some(id) => self.note_page(id, rendered.as_deref()),
            None => PageCtx {
                title: self.v.config.title.clone(),
                ..PageCtx::default()
            },
        };
        page.kind = "home";
        page.breadcrumbs.clear();
        page.canonical = self.canonical(&UrlPath::new(""));
        let current = idx
            .home
            .map_or(crate::nav::Current::Folder(""), crate::nav::Current::Note);
        let mut ctx = self.ctx(0, page, Some(current));
        ctx.folder = idx.folders.get("").map(|f| self.folder_ctx(0, f));
        ctx.recent = self
            .recent_ids(11)
            .into_iter()
            .filter(|&i| Some(i) != idx.home)
            .take(10)
            .map(|i| self.card(0, i))
            .collect();
        let mut top: Vec<TagLink> = idx
            .tags
            .iter()
            .filter(|(_, t)| t.parent.is_none())
            .filter_map(|(k, _)| self.tag_link(0, k))
            .collect();
        top.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        top.truncate(20);
        ctx.top_tags = top;
        Ok((
            "index.html".into(),
            self.theme.render_bytes("home.html", &ctx, "index.html")?,
        ))
    }

    /// The page of a folder without a folder note.
    fn folder_file(&self, path: &str) -> Result<(String, Vec<u8>), Diagnostic> {
        let idx = self.v.index;
        let f = &idx.folders[path];
        let depth = f.slug.depth();
        let page = PageCtx {
            kind: "folder",
            title: f.name.clone(),
            breadcrumbs: self.breadcrumbs(depth, path, false),
            canonical: self.canonical(&f.slug.url()),
            ..PageCtx::default()
        };
        let mut ctx = self.ctx(depth, page, Some(crate::nav::Current::Folder(path)));
        ctx.folder = Some(self.folder_ctx(depth, f));
        if self.builtin_folders {
            if let Some(page) = builtin::folder_page(&ctx) {
                return Ok((f.slug.file(), page));
            }
        }
        Ok((
            f.slug.file(),
            self.theme
                .render_bytes("folder.html", &ctx, &f.slug.file())?,
        ))
    }

    /// A tag's page: its notes, its child tags, its parents in the breadcrumbs.
    fn tag_file(&self, key: &str) -> Result<(String, Vec<u8>), Diagnostic> {
        let idx = self.v.index;
        let t = &idx.tags[key];
        let depth = t.slug.depth();
        let mut ids = self.tag_notes.get(key).cloned().unwrap_or_default();
        idx.sort_by_title(&mut ids);
        let mut crumbs = vec![Crumb {
            title: self.t["tags"].to_string(),
            url: self.url(depth, &UrlPath::new("tags/")),
        }];
        let mut parent = t.parent.clone();
        let mut chain = Vec::new();
        while let Some(p) = parent {
            if let Some(pt) = idx.tags.get(&p) {
                chain.push(Crumb {
                    title: format!("#{}", pt.name),
                    url: self.url(depth, &pt.slug.url()),
                });
                parent = pt.parent.clone();
            } else {
                break;
            }
        }
        crumbs.extend(chain.into_iter().rev());
        let page = PageCtx {
            kind: "tag",
            title: format!("#{}", t.name),
            breadcrumbs: crumbs,
            canonical: self.canonical(&t.slug.url()),
            ..PageCtx::default()
        };
        let mut ctx = self.ctx(depth, page, Some(crate::nav::Current::Other));
        ctx.tag = Some(TagCtx {
            name: t.name.clone(),
            children: t
                .children
                .iter()
                .filter_map(|c| self.tag_link(depth, c))
                .collect(),
            notes: ids.into_iter().map(|i| self.card(depth, i)).collect(),
        });
        if self.builtin_tags {
            if let Some(page) = builtin::tag_page(&ctx) {
                return Ok((t.slug.file(), page));
            }
        }
        Ok((
            t.slug.file(),
            self.theme.render_bytes("tag.html", &ctx, &t.slug.file())?,
        ))
    }

    /// The page listing every tag, each under its parent.
    fn tag_index_file(&self) -> Result<(String, Vec<u8>), Diagnostic> {
        let idx = self.v.index;
        let page = PageCtx {
            kind: "tags",
            title: self.t["all_tags"].to_string(),
            canonical: self.canonical(&UrlPath::new("tags/")),
            ..PageCtx::default()
        };
        let mut ctx = self.ctx(1, page, Some(crate::nav::Current::Other));
        let mut order = Vec::new();
        let roots: Vec<&String> = idx
            .tags
            .iter()
            .filter(|(_, t)| t.parent.is_none())
            .map(|(k, _)| k)
            .collect();
        let mut stack: Vec<&String> = roots.into_iter().rev().collect();
        while let Some(k) = stack.pop() {
            order.push(k.clone());
            stack.extend(idx.tags[k].children.iter().rev());
        }
        ctx.tags = order.iter().filter_map(|k| self.tag_link(1, k)).collect();
        Ok((
            "tags/index.html".into(),
            self.theme
                .render_bytes("tags.html", &ctx, "tags/index.html")?,
        ))
    }

    /// A page at an alias or old URL that sends the reader to the note.
    fn redirect_file(&self, slug: &Slug, id: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let idx = self.v.index;
        let depth = slug.depth();
        let page = PageCtx {
            kind: "redirect",
            title: self.v.notes[id].title.clone(),
            target: Some(self.url(depth, &idx.note_url(id))),
            canonical: self.canonical(&idx.note_url(id)),
            ..PageCtx::default()
        };
        if self.theme.is_builtin("redirect.html") {
            return Ok((slug.file(), self.redirect_page(&page)));
        }
        let ctx = self.ctx(depth, page, None);
        Ok((
            slug.file(),
            self.theme
                .render_bytes("redirect.html", &ctx, &slug.file())?,
        ))
    }

    /// The page static hosts serve for a missing URL.
    fn not_found_file(&self) -> Result<(String, Vec<u8>), Diagnostic> {
        let page = PageCtx {
            kind: "404",
            title: self.t["not_found"].to_string(),
            ..PageCtx::default()
        };
        let mut ctx = self.ctx(0, page, Some(crate::nav::Current::Other));
        if let Some(base) = &self.v.config.base_url {
            // 404 pages are served at any depth: link absolutely when we can.
            let abs = |p: &str| UrlPath::new(p).absolute(base);
            ctx.urls = Urls {
                home: abs(""),
                tags: abs("tags/"),
                css: abs("_static/style.css"),
                generated_css: abs("_static/generated.css"),
                js: abs("_static/isokb.js"),
                search_js: abs("search-index.js"),
                feed: Some(abs("atom.xml")),
            };
        }
        Ok((
            "404.html".into(),
            self.theme.render_bytes("404.html", &ctx, "404.html")?,
        ))
    }

    /// The page of the global graph.
    fn graph_file(&self) -> Result<(String, Vec<u8>), Diagnostic> {
        let page = PageCtx {
            kind: "graph",
            title: self.t["graph"].to_string(),
            canonical: self.canonical(&UrlPath::new("graph/")),
            ..PageCtx::default()
        };
        let ctx = self.ctx(1, page, Some(crate::nav::Current::Other));
        let file = "graph/index.html";
        Ok((
            file.into(),
            self.theme.render_bytes("graph.html", &ctx, file)?,
        ))
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
                .map(|&b| self.card(depth, b))
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
            date: n.front.date.clone(),
            updated: n.front.updated.clone(),
            path: n.path.as_str(),
            breadcrumbs: self.breadcrumbs(depth, n.path.folder(), true),
            canonical: self.canonical(&info.slug.url()),
            target: None,
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
        let mut notes: Vec<Card> = f.notes.iter().map(|&i| self.card(depth, i)).collect();
        notes.sort_by_cached_key(|a| name_key(a.title));
        FolderCtx {
            title: f.name.clone(),
            subfolders: f
                .children
                .iter()
                .filter_map(|c| idx.folders.get(c).map(|cf| (c, cf)))
                .map(|(c, cf)| TagLink {
                    name: cf
                        .index_note
                        .map_or_else(|| cf.name.clone(), |i| self.v.notes[i].title.clone()),
                    url: self.url(depth, &cf.slug.url()),
                    count: count(c),
                    depth: 0,
                })
                .collect(),
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
            .filter(|(name, _)| name != "archetype")
            .map(|(name, value)| {
                let html = self.value_html(value, depth, links, &mut k, true);
                Prop {
                    name: name.clone(),
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
            Value::Bool(b) => escape(self.t[if *b { "yes" } else { "no" }]),
            Value::Number(s) => escape(s),
            Value::Text(s) => self.text_html(s, depth, links, k),
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
                Piece::Text(t) => out.push_str(&escape(&t)),
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

    fn generated_css(&self) -> String {
        let c = self.v.config;
        let mut css =
            String::from("/* Generated by isokb: code highlighting and custom callouts. */\n");
        if let Some(light) = highlight::theme_css(&c.highlight_theme) {
            css.push_str(&light);
        }
        if let Some(dark) = highlight::theme_css(&c.highlight_theme_dark) {
            let scoped = |prefix: &str| -> String {
                dark.lines()
                    .map(|l| {
                        if l.starts_with('.') {
                            format!("{prefix} {l}\n")
                        } else {
                            format!("{l}\n")
                        }
                    })
                    .collect()
            };
            css.push_str(&scoped("html[data-theme=\"dark\"]"));
            css.push_str("@media (prefers-color-scheme: dark) {\n");
            css.push_str(&scoped("html:not([data-theme=\"light\"])"));
            css.push_str("}\n");
        }
        for (name, t) in &c.callouts {
            if !t.color.is_empty() {
                let color = t.color.replace(['<', '>', '{', '}', ';'], "");
                css.push_str(&format!(
                    ".callout[data-callout=\"{}\"] {{ --callout-color: {}; }}\n",
                    crate::paths::slugify(name),
                    css_rgb(&color)
                ));
            }
        }
        css
    }

    fn robots(&self) -> String {
        match &self.v.config.base_url {
            Some(b) => format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                UrlPath::new("sitemap.xml").absolute(b)
            ),
            None => "User-agent: *\nAllow: /\n".into(),
        }
    }

    fn sitemap(&self, base: &str) -> String {
        let idx = self.v.index;
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        let mut add = |url: &UrlPath, date: Option<&str>| {
            s.push_str(&format!(
                "  <url><loc>{}</loc>",
                escape(&url.absolute(base))
            ));
            if let Some(d) = date.filter(|d| d.len() == 10) {
                s.push_str(&format!("<lastmod>{}</lastmod>", escape(d)));
            }
            s.push_str("</url>\n");
        };
        add(&UrlPath::new(""), None);
        for (i, n) in idx.notes.iter().enumerate() {
            if n.published && Some(i) != idx.home {
                add(&n.slug.url(), self.dates[i]);
            }
        }
        for f in idx
            .folders
            .values()
            .filter(|f| !f.slug.as_str().is_empty() && f.index_note.is_none())
        {
            add(&f.slug.url(), None);
        }
        for t in idx.tags.values() {
            add(&t.slug.url(), None);
        }
        s.push_str("</urlset>\n");
        s
    }

    /// The `n` published notes with the latest dates, latest first.
    fn recent_ids(&self, n: usize) -> Vec<usize> {
        let idx = self.v.index;
        let mut ids: Vec<usize> = (0..self.v.notes.len())
            .filter(|&i| idx.notes[i].published)
            .collect();
        let order = |a: &usize, b: &usize| self.dates[*b].cmp(&self.dates[*a]).then(a.cmp(b));
        if ids.len() > n {
            ids.select_nth_unstable_by(n, order);
            ids.truncate(n);
        }
        ids.sort_by(order);
        ids
    }

    fn feed(&self, base: &str, recent: &[usize]) -> String {
        let v = self.v;
        let idx = v.index;
        let stamp = |d: Option<&str>| {
            d.filter(|d| d.len() == 10)
                .map_or("1970-01-01T00:00:00Z".to_string(), |d| {
                    format!("{d}T00:00:00Z")
                })
        };
        let updated = stamp(recent.first().and_then(|&i| self.dates[i]));
        let home = UrlPath::new("").absolute(base);
        let mut s = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<link rel=\"self\" href=\"{}\"/>\n<updated>{updated}</updated>\n<author><name>{}</name></author>\n",
            v.config.language.code(),
            escape(&v.config.title),
            escape(&home),
            escape(&home),
            escape(&UrlPath::new("atom.xml").absolute(base)),
            escape(if v.config.author.is_empty() { &v.config.title } else { &v.config.author }),
        );
        for &i in recent {
            let url = idx.note_url(i).absolute(base);
            let r = v.rendered_note(i);
            let r = r.as_deref();
            s.push_str(&format!(
                "<entry xml:base=\"{u}\">\n<title>{}</title>\n<id>{u}</id>\n<link href=\"{u}\"/>\n<updated>{}</updated>\n<summary>{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
                escape(&v.notes[i].title),
                stamp(self.dates[i]),
                escape(if r.is_some() { &v.notes[i].summary } else { "" }),
                escape(r.map_or("", |r| r.html.as_str())),
                u = escape(&url),
            ));
        }
        s.push_str("</feed>\n");
        s
    }
}

/// `#2a9d8f` → `42, 157, 143` (the form callout colours use); other forms pass through.
fn css_rgb(color: &str) -> String {
    let hex = color.trim().trim_start_matches('#');
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        let p = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        return format!("{}, {}, {}", p(0), p(2), p(4));
    }
    color.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_convert_for_callouts() {
        assert_eq!(css_rgb("#2a9d8f"), "42, 157, 143");
        assert_eq!(css_rgb("120, 82, 238"), "120, 82, 238");
    }
}
