//! Reader navigation: the folder explorer, previous/next links and the local
//! graph of each page.
//!
//! Part of emit (stage 6). [`SiteNav`] is computed once per build from the
//! [`SiteView`]; [`SiteNav::page`] gives each page its [`PageNav`], the data
//! the theme's templates draw (`reader.*`). Pure: no I/O, no HTML.
//!
//! The explorer is a tree of the folders holding published notes. On sites
//! of at most [`FULL_EXPLORER_NOTES`] notes it is complete: every folder, every
//! note. On larger ones it shows the path to the current page: the top
//! folders, the subfolders of each folder on the path, and at most
//! [`WINDOW_NOTES`] notes of the current folder around the current note;
//! other folders are links to their page. A page then stays small at 10,000
//! notes.

use crate::view::SiteView;
pub mod graph;

use crate::index::graph::Graph;
use crate::paths::{relative_url, LinkStyle, UrlPath};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Sites with at most this many notes list every note in the explorer.
pub const FULL_EXPLORER_NOTES: usize = 300;
/// Notes listed around the current note in a larger folder (the others are
/// a link to the folder's page): 12 keep a page of a 10,000-note site near
/// 5 KB lighter than 40 did.
pub const WINDOW_NOTES: usize = 12;

/// The notes a large folder's explorer lists on the page of its note at
/// `at` (of `len`, more than [`WINDOW_NOTES`]).
pub fn window(len: usize, at: usize) -> std::ops::Range<usize> {
    let start = at
        .saturating_sub(WINDOW_NOTES / 2)
        .min(len.saturating_sub(WINDOW_NOTES));
    start..(start + WINDOW_NOTES).min(len)
}

/// The notes of a folder (in order) that the page of the one at `p` lists.
pub fn shown_in_window(list: &[usize], p: usize) -> &[usize] {
    if list.len() <= WINDOW_NOTES {
        list
    } else {
        &list[window(list.len(), p)]
    }
}

/// A link to a note in the explorer or the pager.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NavLink {
    /// The note's title.
    pub title: String,
    /// Its URL, relative to the page.
    pub url: String,
    /// Whether it is the page being shown.
    pub current: bool,
    /// The note's id (not given to templates).
    #[serde(skip)]
    pub id: usize,
}

/// A folder of the explorer.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ExplorerFolder {
    /// Its title (its folder note's title, else the folder's name).
    pub name: String,
    /// Its page, relative to the page.
    pub url: String,
    /// Its vault path (`""` for the top level).
    pub path: String,
    /// Whether it is the current page's folder.
    pub here: bool,
    /// Whether it is the current page's folder or one of its ancestors.
    pub open: bool,
    /// Whether its content is listed (every folder on small sites; on large
    /// ones the open folders and those holding a single note, the others
    /// being links to their page).
    pub expand: bool,
    /// Whether the page shown is this folder's own page.
    pub current: bool,
    /// Its folder note (`F/index.md` or `F.md` beside `F/`), listed first.
    pub home: Option<NavLink>,
    /// Its subfolders.
    pub folders: Vec<ExplorerFolder>,
    /// The notes listed (all, a window, or none; see the module doc).
    pub notes: Vec<NavLink>,
    /// How many of its notes are not listed.
    pub more: usize,
    /// Notes in it and below.
    pub count: usize,
}

/// What the templates get for one page (`reader` in the context).
#[derive(Debug, Clone, Serialize, Default)]
pub struct PageNav {
    /// The global graph page.
    pub graph_url: String,
    /// The global graph's data file.
    pub graph_data: String,
    /// The graph drawing script.
    pub graph_ui: String,
    /// The explorer's top level (the notes and folders at the vault's top).
    pub explorer: Option<ExplorerFolder>,
    /// The previous note in the same folder.
    pub prev: Option<NavLink>,
    /// The next note in the same folder.
    pub next: Option<NavLink>,
    /// The note's local graph as JSON (see [`graph::local_json`]).
    pub local_graph: Option<String>,
    /// The explorer as HTML, drawn by the theme's `explorer.html` and
    /// `explorer_folder.html` (filled in by emit).
    pub explorer_html: Option<String>,
}

/// Which page a [`PageNav`] is for.
#[derive(Debug, Clone, Copy)]
pub enum Current<'a> {
    /// A page that is neither a note nor a folder.
    Other,
    /// A note's page.
    Note(usize),
    /// A folder's page, by vault path.
    Folder(&'a str),
}

struct FolderNav {
    title: String,
    index_note: Option<usize>,
    url: UrlPath,
    /// Notes directly in it, by title (its folder note and the home excluded).
    notes: Vec<usize>,
    /// Subfolders by title.
    children: Vec<String>,
    count: usize,
}

/// Navigation data computed once per build.
pub struct SiteNav<'a> {
    v: &'a SiteView<'a>,
    style: LinkStyle,
    /// The link graph.
    pub graph: &'a Graph,
    labels: graph::Labels,
    folders: BTreeMap<String, FolderNav>,
    /// The folder each folder note introduces.
    folder_of_index: HashMap<usize, String>,
    full: bool,
}

impl<'a> SiteNav<'a> {
    /// Sorts folders and notes by title and builds the link graph.
    pub fn new(v: &'a SiteView<'a>) -> SiteNav<'a> {
        let idx = v.index;
        let key = |i: usize| idx.notes[i].sort_key.as_slice();
        let title_of = |f: &crate::index::FolderInfo| {
            f.index_note
                .map_or_else(|| f.name.clone(), |i| v.notes[i].title.clone())
        };
        let mut folders = BTreeMap::new();
        let mut folder_of_index = HashMap::new();
        for (path, f) in &idx.folders {
            let mut notes: Vec<(&[u8], usize)> = f
                .notes
                .iter()
                .copied()
                .filter(|&i| Some(i) != idx.home)
                .map(|i| (key(i), i))
                .collect();
            notes.sort();
            let mut children: Vec<(Vec<u8>, String)> = f
                .children
                .iter()
                .filter_map(|c| idx.folders.get(c).map(|cf| (idx.folder_key(cf), c.clone())))
                .collect();
            children.sort();
            if let Some(i) = f.index_note {
                folder_of_index.insert(i, path.clone());
            }
            folders.insert(
                path.clone(),
                FolderNav {
                    title: title_of(f),
                    index_note: f.index_note.filter(|_| !path.is_empty()),
                    url: f.slug.url(),
                    notes: notes.into_iter().map(|(_, i)| i).collect(),
                    children: children.into_iter().map(|(_, c)| c).collect(),
                    count: 0,
                },
            );
        }
        // Counts, deepest folders first.
        let paths: Vec<String> = folders.keys().rev().cloned().collect();
        for p in paths {
            let own = folders[&p].notes.len()
                + usize::from(idx.folders[&p].index_note.is_some() && !p.is_empty());
            let below: usize = folders[&p]
                .children
                .iter()
                .map(|c| folders.get(c).map_or(0, |f| f.count))
                .sum();
            if let Some(f) = folders.get_mut(&p) {
                f.count = own + below;
            }
        }
        let published = idx.notes.iter().filter(|n| n.published).count();
        SiteNav {
            v,
            style: v.config.link_style(),
            graph: &idx.graph,
            labels: graph::Labels::new(idx, &idx.graph),
            folders,
            folder_of_index,
            full: published <= FULL_EXPLORER_NOTES,
        }
    }

    fn url(&self, depth: usize, target: &UrlPath) -> String {
        relative_url(depth, target, self.style)
    }

    fn link(&self, depth: usize, id: usize, current: Option<usize>) -> NavLink {
        self.link_at(self.url(depth, &self.v.index.note_url(id)), id, current)
    }

    /// A link to note `id` at `url`.
    fn link_at(&self, url: String, id: usize, current: Option<usize>) -> NavLink {
        NavLink {
            title: self.v.notes[id].title.clone(),
            url,
            current: current == Some(id),
            id,
        }
    }

    /// Whether the explorer is complete (a small site): every folder and
    /// note listed on every page, each marking the current one.
    pub fn is_full(&self) -> bool {
        self.full
    }

    /// What a page outside the reading flow (a redirect) gets: the graph's
    /// links, no explorer, pager or local graph.
    pub fn bare(&self, depth: usize) -> PageNav {
        PageNav {
            graph_url: self.url(depth, &UrlPath::new("graph/")),
            graph_data: self.url(depth, &UrlPath::new(graph::GRAPH_JS)),
            graph_ui: self.url(depth, &UrlPath::new("_static/isokb-graph.js")),
            ..PageNav::default()
        }
    }

    /// The navigation of one page at `depth`.
    pub fn page(&self, depth: usize, current: Current) -> PageNav {
        let idx = self.v.index;
        let (folder, note): (Option<&str>, Option<usize>) = match current {
            Current::Other => (None, None),
            Current::Folder(p) => (Some(p), None),
            Current::Note(i) if Some(i) == idx.home => (Some(""), Some(i)),
            Current::Note(i) => match self.folder_of_index.get(&i) {
                Some(p) => (Some(p.as_str()), Some(i)),
                None => (Some(self.v.notes[i].path.folder()), Some(i)),
            },
        };
        let is_folder_note = note.is_some_and(|i| self.folder_of_index.contains_key(&i));
        // The folder whose own page is shown (folder page, folder note, home).
        let page_folder = match current {
            Current::Folder(p) => Some(p),
            Current::Note(i) if Some(i) == idx.home => Some(""),
            Current::Note(i) => self.folder_of_index.get(&i).map(String::as_str),
            Current::Other => None,
        };
        let (prev, next) = match (note, folder) {
            (Some(i), Some(f)) if !is_folder_note && Some(i) != idx.home => {
                let list = self.folders.get(f).map_or(&[][..], |f| f.notes.as_slice());
                match list.iter().position(|&n| n == i) {
                    Some(p) => (
                        p.checked_sub(1).map(|q| self.link(depth, list[q], None)),
                        list.get(p + 1).map(|&q| self.link(depth, q, None)),
                    ),
                    None => (None, None),
                }
            }
            _ => (None, None),
        };
        let local_graph = match note {
            Some(i) if Some(i) != idx.home => {
                graph::local_json(self.v, self.graph, &self.labels, i)
            }
            _ => None,
        };
        let explorer = self
            .folders
            .get("")
            .map(|_| self.explorer("", depth, folder, page_folder, note));
        PageNav {
            explorer,
            prev,
            next,
            local_graph,
            ..self.bare(depth)
        }
    }

    fn explorer(
        &self,
        path: &str,
        depth: usize,
        current: Option<&str>,
        page_folder: Option<&str>,
        note: Option<usize>,
    ) -> ExplorerFolder {
        let f = &self.folders[path];
        let here = current == Some(path);
        let open = path.is_empty()
            || here
            || current.is_some_and(|c| {
                c.strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('/'))
            });
        // A folder holding a single note (and no folder) lists it, rather
        // than sending the reader to a page with one line on it.
        let single = f.notes.len() == 1 && f.children.is_empty();
        let expand = self.full || open || single;
        let (notes, more) = if self.full || here || single {
            // The current folder is drawn for each page: its notes link from
            // the page itself (`../sibling/index.html`), not from the root.
            // (Only on a plain note's page: a folder note's or the home
            // page's note draws its folder's page.)
            let from = note
                .filter(|&n| {
                    here && !self.full
                        && Some(n) != self.v.index.home
                        && !self.folder_of_index.contains_key(&n)
                })
                .map(|n| self.v.index.note_url(n))
                .filter(|u| u.as_str().matches('/').count() == depth);
            self.listed(&f.notes, depth, note, from.as_ref())
        } else if expand {
            (Vec::new(), f.notes.len())
        } else {
            (Vec::new(), 0)
        };
        ExplorerFolder {
            name: f.title.clone(),
            url: self.url(depth, &f.url),
            path: path.to_string(),
            here,
            open,
            expand,
            current: page_folder == Some(path),
            home: f
                .index_note
                .filter(|_| expand)
                .map(|i| self.link(depth, i, note)),
            folders: f
                .children
                .iter()
                .filter(|c| expand && self.folders.contains_key(*c))
                .map(|c| self.explorer(c, depth, current, page_folder, note))
                .collect(),
            notes,
            more,
            count: f.count,
        }
    }

    /// All the notes, or a window of them around the current one; linked
    /// from the page at `from` when given, else from the root at `depth`.
    fn listed(
        &self,
        notes: &[usize],
        depth: usize,
        current: Option<usize>,
        from: Option<&UrlPath>,
    ) -> (Vec<NavLink>, usize) {
        let link = |i: usize| match from {
            Some(page) => self.link_at(
                crate::paths::relative_from(page, &self.v.index.note_url(i), self.style),
                i,
                current,
            ),
            None => self.link(depth, i, current),
        };
        if self.full || notes.len() <= WINDOW_NOTES {
            return (notes.iter().map(|&i| link(i)).collect(), 0);
        }
        let at = current
            .and_then(|c| notes.iter().position(|&n| n == c))
            .unwrap_or(0);
        let l = notes[window(notes.len(), at)]
            .iter()
            .map(|&i| link(i))
            .collect();
        (l, notes.len() - WINDOW_NOTES)
    }
}
