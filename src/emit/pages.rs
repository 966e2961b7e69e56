//! The page kinds of the site: the list of the pages (`Job::all`), when
//! each is due after an edit (from what it reads, in [`super::due`]), and how
//! each is drawn.

use super::{Crumb, Emitter, PageCtx, TagCtx, TagLink, Touched};
use crate::diagnostics::Diagnostic;
use crate::paths::{Slug, UrlPath};
use crate::view::SiteView;

/// One page to produce.
#[derive(Debug, Clone)]
pub(super) enum Job {
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
    pub(super) fn all(v: &SiteView) -> Vec<Job> {
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
        // With the host's rules (or none), aliases have no page.
        if v.config.redirects == crate::config::Redirects::Pages {
            jobs.extend(
                idx.redirects
                    .iter()
                    .cloned()
                    .map(|(s, n)| Job::Redirect(s, n)),
            );
        }
        jobs.push(Job::NotFound);
        jobs.push(Job::Graph);
        jobs
    }

    /// Whether an edit that touched `t` changes this page.
    pub(super) fn is_due(&self, t: &Touched) -> bool {
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

impl Emitter<'_> {
    pub(super) fn page(&self, job: &Job) -> Result<(String, Vec<u8>), Diagnostic> {
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
            crate::nav::Current::Note(id),
        )?;
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
        Ok((slug.file(), self.render(&template, &ctx, &slug.file())?))
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
        let mut ctx = self.ctx(0, page, current)?;
        ctx.folder = idx.folders.get("").map(|f| self.folder_ctx(0, f));
        ctx.recent = self.cards(
            0,
            self.recent_ids(11)
                .into_iter()
                .filter(|&i| Some(i) != idx.home)
                .take(10),
        );
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
            self.render("home.html", &ctx, "index.html")?,
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
        let mut ctx = self.ctx(depth, page, crate::nav::Current::Folder(path))?;
        ctx.folder = Some(self.folder_ctx(depth, f));
        Ok((
            f.slug.file(),
            self.render("folder.html", &ctx, &f.slug.file())?,
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
        let mut ctx = self.ctx(depth, page, crate::nav::Current::Other)?;
        ctx.tag = Some(TagCtx {
            name: t.name.clone(),
            children: self
                .tags_in_order(&t.children)
                .into_iter()
                .filter_map(|c| self.tag_link(depth, c))
                .collect(),
            notes: self.cards(depth, ids),
        });
        Ok((
            t.slug.file(),
            self.render("tag.html", &ctx, &t.slug.file())?,
        ))
    }

    /// Tags (by key) in the order of their names, as notes are listed
    /// ([`crate::collate`]).
    fn tags_in_order<'k>(&self, keys: impl IntoIterator<Item = &'k String>) -> Vec<&'k String> {
        let tags = &self.v.index.tags;
        let mut out: Vec<(Vec<u8>, &String)> = keys
            .into_iter()
            .map(|k| {
                let name = tags.get(k).map_or(k.as_str(), |t| t.name.as_str());
                (crate::collate::key(name, None), k)
            })
            .collect();
        out.sort();
        out.into_iter().map(|(_, k)| k).collect()
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
        let mut ctx = self.ctx(1, page, crate::nav::Current::Other)?;
        let mut order = Vec::new();
        let roots: Vec<String> = idx
            .tags
            .iter()
            .filter(|(_, t)| t.parent.is_none())
            .map(|(k, _)| k.clone())
            .collect();
        let mut stack: Vec<&String> = self.tags_in_order(&roots).into_iter().rev().collect();
        while let Some(k) = stack.pop() {
            order.push(k.clone());
            stack.extend(self.tags_in_order(&idx.tags[k].children).into_iter().rev());
        }
        ctx.tags = order.iter().filter_map(|k| self.tag_link(1, k)).collect();
        Ok((
            "tags/index.html".into(),
            self.render("tags.html", &ctx, "tags/index.html")?,
        ))
    }

    /// A page at an alias or old URL that sends the reader to the note.
    fn redirect_file(&self, slug: &Slug, id: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let idx = self.v.index;
        let depth = slug.depth();
        // A page of its own kind: no explorer, pager or navigation, so its
        // template reads only what it shows (there is one per alias).
        let pages = self.pages_for(depth, "redirect");
        let ctx = super::RedirectCtx {
            root: pages.reads("root").then(|| "../".repeat(depth)),
            page: super::RedirectPage {
                kind: "redirect",
                title: &self.v.notes[id].title,
                target: self.url(depth, &idx.note_url(id)),
                canonical: self.canonical(&idx.note_url(id)),
            },
        };
        Ok((
            slug.file(),
            pages.render("redirect.html", &ctx, &slug.file())?,
        ))
    }

    /// The page static hosts serve for a missing URL.
    fn not_found_file(&self) -> Result<(String, Vec<u8>), Diagnostic> {
        let page = PageCtx {
            kind: "404",
            title: self.t["not_found"].to_string(),
            alias_shards: super::redirects::shards(
                self.v.config.redirects,
                self.v.index.redirects.len(),
            ),
            ..PageCtx::default()
        };
        let ctx = self.ctx(0, page, crate::nav::Current::Other)?;
        Ok((
            "404.html".into(),
            self.render("404.html", &ctx, "404.html")?,
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
        let ctx = self.ctx(1, page, crate::nav::Current::Other)?;
        let file = "graph/index.html";
        Ok((file.into(), self.render("graph.html", &ctx, file)?))
    }
}
