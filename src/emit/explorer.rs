//! The folder explorer's HTML, drawn by the theme's `explorer.html` (the
//! frame and the top level) and `explorer_folder.html` (one folder).
//!
//! Every page shows the explorer, and on a large site most of it is the same
//! from page to page: the folders off the current path are links to their
//! page, and the path itself is the same for every note of a folder. So a
//! folder drawn as a link is drawn once per depth, and the explorer around
//! the current page's folder (the *here* folder) once per folder and depth,
//! with a marker where that folder goes; each page then draws only its own
//! folder (the window of notes around it, `aria-current`). The templates are
//! the only source of the HTML: what is drawn once is what they give, and a
//! theme that draws the here folder other than once gets the explorer drawn
//! in full on every page. Small sites (every note listed, the current one
//! marked everywhere) are drawn in full.
//!
//! Tera never holds the explorer: `reader.explorer_html` is a marker, and
//! the parts are written into the rendered page in its place ([`Drawn`]), so
//! the largest part of each page is neither copied into nor out of Tera's
//! context.

use super::Emitter;
use crate::diagnostics::Diagnostic;
use crate::nav::{ExplorerFolder, NavLink};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Where the here folder goes in a frame: a comment no template output can
/// hold, since Tera escapes `<` in every value.
const HERE: &str = "<!--isokb:explorer-here-->";

/// Words of the explorer (`t` in its templates), in the site language.
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct ExplorerWords {
    explorer: &'static str,
    more_notes: &'static str,
    all_notes: &'static str,
}

impl ExplorerWords {
    pub(super) fn new(t: &super::Words) -> ExplorerWords {
        let w = |k: &str| t.get(k).copied().unwrap_or_default();
        ExplorerWords {
            explorer: w("explorer"),
            more_notes: w("more_notes"),
            all_notes: w("all_notes"),
        }
    }
}

/// The explorer around one here folder (or with none), drawn once.
#[derive(Debug, Clone)]
enum Frame {
    /// No here folder: the whole explorer.
    Whole(Arc<str>),
    /// The HTML before and after the here folder.
    Around(Arc<str>, Arc<str>),
    /// The theme did not draw the marker exactly once.
    Unsplit,
}

/// One page's explorer: parts drawn once and the page's own.
#[derive(Debug, Clone)]
pub(super) enum Drawn {
    /// Drawn once for many pages.
    Shared(Arc<str>),
    /// A shared frame around the page's own folder.
    Around(Arc<str>, String, Arc<str>),
    /// Drawn for this page alone.
    Own(String),
}

impl Drawn {
    fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            Drawn::Shared(s) => out.extend_from_slice(s.as_bytes()),
            Drawn::Around(a, mid, b) => {
                out.extend_from_slice(a.as_bytes());
                out.extend_from_slice(mid.as_bytes());
                out.extend_from_slice(b.as_bytes());
            }
            Drawn::Own(s) => out.extend_from_slice(s.as_bytes()),
        }
    }

    /// `page` with every `marker` replaced by the explorer.
    pub(super) fn splice(&self, page: Vec<u8>, marker: &str) -> Vec<u8> {
        let mut at = memchr::memmem::find_iter(&page, marker.as_bytes()).peekable();
        if at.peek().is_none() {
            return page;
        }
        let mut out = Vec::with_capacity(page.len() + 16 * 1024);
        let mut from = 0;
        for i in at {
            out.extend_from_slice(&page[from..i]);
            self.write_to(&mut out);
            from = i + marker.len();
        }
        out.extend_from_slice(&page[from..]);
        out
    }
}

/// What is drawn once per build.
#[derive(Debug)]
pub(super) struct ExplorerCache {
    /// What `reader.explorer_html` holds until the page is rendered: a
    /// comment with a number drawn for this build, which no note can know.
    pub(super) marker: String,
    /// Folders drawn as a link (not open), by path, then depth.
    links: Mutex<HashMap<String, Vec<Option<Arc<str>>>>>,
    /// Frames by here folder and depth.
    frames: Mutex<HashMap<(Option<String>, usize), Frame>>,
    /// Note links that are not the current page, by note id and depth.
    notes: Mutex<HashMap<(usize, usize), Arc<str>>>,
}

impl Default for ExplorerCache {
    fn default() -> Self {
        use std::hash::{BuildHasher, Hasher};
        // A `RandomState` is seeded anew for each build.
        let nonce = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        ExplorerCache {
            marker: format!("<!--isokb:explorer:{nonce:016x}-->"),
            links: Mutex::default(),
            frames: Mutex::default(),
            notes: Mutex::default(),
        }
    }
}

/// A folder as its template reads it (`f`): its subfolders come drawn.
#[derive(Serialize)]
struct Node<'a> {
    name: &'a str,
    url: &'a str,
    path: &'a str,
    open: bool,
    expand: bool,
    current: bool,
    here: bool,
    home: Option<&'a NavLink>,
    listed: usize,
    more: usize,
    count: usize,
}

impl<'a> Node<'a> {
    fn of(f: &'a ExplorerFolder) -> Node<'a> {
        Node {
            name: &f.name,
            url: &f.url,
            path: &f.path,
            open: f.open,
            expand: f.expand,
            current: f.current,
            here: f.here,
            home: f.home.as_ref(),
            listed: f.notes.len(),
            more: f.more,
            count: f.count,
        }
    }
}

#[derive(Serialize)]
struct FolderCtx<'a> {
    f: Node<'a>,
    folders: Vec<String>,
    notes: String,
    t: ExplorerWords,
}

#[derive(Serialize)]
struct RootCtx<'a> {
    root: Node<'a>,
    folders: Vec<String>,
    notes: String,
    t: ExplorerWords,
}

#[derive(Serialize)]
struct NoteCtx<'a> {
    n: &'a NavLink,
}

/// The folder the page is in, if it is below the top level.
fn here_below_top(root: &ExplorerFolder) -> Option<&ExplorerFolder> {
    let mut stack: Vec<&ExplorerFolder> = root.folders.iter().collect();
    while let Some(f) = stack.pop() {
        if f.here {
            return Some(f);
        }
        if f.open {
            stack.extend(&f.folders);
        }
    }
    None
}

/// A template's output as text (Tera writes only UTF-8).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl Emitter<'_> {
    /// The explorer of a page at `depth` whose top level is `root`.
    pub(super) fn explorer_html(
        &self,
        depth: usize,
        root: &ExplorerFolder,
    ) -> Result<Drawn, Diagnostic> {
        if self.reader.is_full() || root.here {
            return self.draw_explorer(depth, root, false).map(Drawn::Own);
        }
        let here = here_below_top(root);
        let key = (here.map(|h| h.path.clone()), depth);
        let cached = self
            .explorer
            .frames
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned());
        let frame = match cached {
            Some(f) => f,
            None => {
                let drawn = self.draw_explorer(depth, root, true)?;
                let frame = match here {
                    None => Frame::Whole(drawn.into()),
                    Some(_) => match drawn.split_once(HERE) {
                        Some((a, b)) if !b.contains(HERE) => Frame::Around(a.into(), b.into()),
                        _ => Frame::Unsplit,
                    },
                };
                if let Ok(mut m) = self.explorer.frames.lock() {
                    m.insert(key, frame.clone());
                }
                frame
            }
        };
        match (frame, here) {
            (Frame::Whole(s), _) => Ok(Drawn::Shared(s)),
            (Frame::Around(a, b), Some(h)) => {
                Ok(Drawn::Around(a, self.draw_folder(depth, h, false)?, b))
            }
            _ => self.draw_explorer(depth, root, false).map(Drawn::Own),
        }
    }

    /// The explorer drawn from its top level; with `marked`, the here
    /// folder is the marker.
    fn draw_explorer(
        &self,
        depth: usize,
        root: &ExplorerFolder,
        marked: bool,
    ) -> Result<String, Diagnostic> {
        let folders = self.draw_folders(depth, &root.folders, marked)?;
        let ctx = RootCtx {
            root: Node::of(root),
            folders,
            notes: self.draw_notes(depth, &root.notes)?,
            t: self.explorer_words,
        };
        Ok(text(self.pages.render(
            "explorer.html",
            &ctx,
            "explorer.html",
        )?))
    }

    fn draw_folders(
        &self,
        depth: usize,
        folders: &[ExplorerFolder],
        marked: bool,
    ) -> Result<Vec<String>, Diagnostic> {
        folders
            .iter()
            .map(|c| self.draw_folder(depth, c, marked))
            .collect()
    }

    /// One folder and what it lists; on large sites a folder off the path
    /// (a link to its page) is drawn once per depth.
    fn draw_folder(
        &self,
        depth: usize,
        f: &ExplorerFolder,
        marked: bool,
    ) -> Result<String, Diagnostic> {
        if marked && f.here {
            return Ok(HERE.to_string());
        }
        let once = !f.open && !self.reader.is_full();
        if once {
            let drawn = self.explorer.links.lock().ok().and_then(|m| {
                m.get(f.path.as_str())
                    .and_then(|d| d.get(depth).cloned().flatten())
            });
            if let Some(s) = drawn {
                return Ok(s.to_string());
            }
        }
        let ctx = FolderCtx {
            f: Node::of(f),
            folders: self.draw_folders(depth, &f.folders, marked)?,
            notes: self.draw_notes(depth, &f.notes)?,
            t: self.explorer_words,
        };
        let html = text(
            self.pages
                .render("explorer_folder.html", &ctx, "explorer_folder.html")?,
        );
        if once {
            if let Ok(mut m) = self.explorer.links.lock() {
                let d = m.entry(f.path.clone()).or_default();
                if d.len() <= depth {
                    d.resize(depth + 1, None);
                }
                d[depth] = Some(html.as_str().into());
            }
        }
        Ok(html)
    }

    /// The notes a folder lists, each drawn by `explorer_note.html`: a link
    /// to another page is drawn once per note and depth, the current page's
    /// for its page.
    fn draw_notes(&self, depth: usize, notes: &[NavLink]) -> Result<String, Diagnostic> {
        let mut drawn: Vec<Option<Arc<str>>> = match self.explorer.notes.lock() {
            Ok(m) => notes
                .iter()
                .map(|n| match n.current {
                    true => None,
                    false => m.get(&(n.id, depth)).cloned(),
                })
                .collect(),
            Err(_) => vec![None; notes.len()],
        };
        let mut new = Vec::new();
        for (n, d) in notes.iter().zip(&mut drawn) {
            if d.is_none() {
                let html: Arc<str> = text(self.pages.render(
                    "explorer_note.html",
                    &NoteCtx { n },
                    "explorer_note.html",
                )?)
                .into();
                if !n.current {
                    new.push(((n.id, depth), html.clone()));
                }
                *d = Some(html);
            }
        }
        if !new.is_empty() {
            if let Ok(mut m) = self.explorer.notes.lock() {
                m.extend(new);
            }
        }
        let mut out = String::with_capacity(drawn.iter().flatten().map(|d| d.len()).sum());
        for d in drawn.iter().flatten() {
            out.push_str(d);
        }
        Ok(out)
    }
}
