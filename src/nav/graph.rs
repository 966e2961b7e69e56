//! What the pages show of the link graph ([`crate::index::graph`]): pure
//! functions from a [`SiteView`] to the global graph's `graph.js` and to each
//! note's local graph (JSON embedded in its page). Drawing and the force
//! layout are the theme's `isokb-graph.js`.

use crate::index::graph::{local_nodes, Graph};
use crate::paths::{relative_url, LinkStyle};
use crate::view::SiteView;
use std::collections::BTreeMap;
use std::hash::BuildHasher as _;

/// The global graph's data file (site-relative).
pub const GRAPH_JS: &str = "graph.js";

/// How far from the note its page's local graph data reaches: its
/// neighbours. Notes two links away are read from the site's graph
/// ([`GRAPH_JS`]) when the reader asks for them, not repeated in every page.
pub const PAGE_HOPS: u8 = 1;
/// Distance between neighbouring nodes in the initial layout.
const SPACING: f64 = 12.0;
const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;

/// `qualite/audits/note/` → (`qualite/audits/`, `note/`): the URL's folder
/// part, shared by many nodes and stored once.
/// A page's URL without its suffix (`a/b/`): the graph data gives the
/// suffix once, as `s`.
fn without_suffix(url: &str) -> &str {
    url.strip_suffix(LinkStyle::Explicit.page_suffix())
        .unwrap_or(url)
}

fn split_url(url: &str) -> (&str, &str) {
    let core = url.strip_suffix("index.html").unwrap_or(url);
    let core = core.strip_suffix('/').unwrap_or(core);
    let k = core.rfind('/').map_or(0, |i| i + 1);
    url.split_at(k)
}

/// URL prefixes shared by many nodes, stored once.
#[derive(Default)]
struct Prefixes {
    list: Vec<String>,
    ids: BTreeMap<String, usize>,
}

impl Prefixes {
    /// The index of `url`'s folder part, and the rest of it.
    fn split<'u>(&mut self, url: &'u str) -> (usize, &'u str) {
        let (p, rest) = split_url(url);
        let id = match self.ids.get(p) {
            Some(&id) => id,
            None => {
                self.list.push(p.to_string());
                self.ids.insert(p.to_string(), self.list.len() - 1);
                self.list.len() - 1
            }
        };
        (id, rest)
    }
}

/// `window.ISOKB_GRAPH({…})`: every published note with its title and URL
/// (as an index into shared URL prefixes plus the rest), the links (for each
/// node, its neighbours of higher index), precomputed initial positions, and
/// the tags with their notes.
pub fn global_js(v: &SiteView, g: &Graph) -> String {
    let idx = v.index;
    let style = v.config.link_style();
    let mut prefixes = Prefixes::default();
    // Serialised straight from these vectors (a `serde_json::Value` tree of
    // them took several times their size at 30,000 notes).
    #[derive(serde::Serialize)]
    struct Data<'a> {
        s: &'static str,
        p: Vec<String>,
        n: Vec<(&'a str, usize, String)>,
        e: Vec<Vec<usize>>,
        xy: Vec<i64>,
        t: Vec<(&'a str, String, Vec<usize>)>,
    }
    let n: Vec<(&str, usize, String)> = g
        .notes
        .iter()
        .map(|&i| {
            let url = relative_url(0, &idx.note_url(i.0), style);
            let (p, rest) = prefixes.split(without_suffix(&url));
            (v.notes[i].title.as_str(), p, rest.to_string())
        })
        .collect();
    let e: Vec<Vec<usize>> = (0..g.node_count())
        .map(|a| {
            let list = g.neighbours(a).iter().map(|&b| b as usize);
            list.filter(|&b| b > a).collect()
        })
        .collect();
    let xy: Vec<i64> = initial_layout(v, g)
        .into_iter()
        .flat_map(|(x, y)| [x.round() as i64, y.round() as i64])
        .collect();
    let t: Vec<(&str, String, Vec<usize>)> = idx
        .tags
        .values()
        .filter_map(|t| {
            let members: Vec<usize> = t.notes.iter().filter_map(|&i| g.node_of[i]).collect();
            (!members.is_empty()).then(|| {
                (
                    t.name.as_str(),
                    relative_url(0, &t.slug.url(), style),
                    members,
                )
            })
        })
        .collect();
    let data = Data {
        s: v.config.link_style().page_suffix(),
        p: prefixes.list,
        n,
        e,
        xy,
        t,
    };
    let mut json = serde_json::to_string(&data).unwrap_or_default();
    if json.contains('<') {
        json = json.replace('<', "\\u003c");
    }
    format!("window.ISOKB_GRAPH({json});\n")
}

/// Initial positions: each folder's notes in a sunflower disc, the discs
/// themselves on a larger sunflower, biggest first. Close to a settled
/// layout for vaults organised in folders, so the browser's simulation
/// starts calm and stops early; deterministic.
pub fn initial_layout(v: &SiteView, g: &Graph) -> Vec<(f64, f64)> {
    let mut folders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, &i) in g.notes.iter().enumerate() {
        folders.entry(v.notes[i].path.folder()).or_default().push(k);
    }
    let mut groups: Vec<Vec<usize>> = folders.into_values().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let mut pos = vec![(0.0, 0.0); g.notes.len()];
    let mut area = 0.0;
    for (c, members) in groups.iter().enumerate() {
        let n = members.len() as f64;
        let (cx, cy) = if c == 0 {
            (0.0, 0.0)
        } else {
            let r = SPACING * 1.6 * (area + n / 2.0).sqrt();
            let a = c as f64 * GOLDEN_ANGLE;
            (r * a.cos(), r * a.sin())
        };
        area += n;
        for (j, &k) in members.iter().enumerate() {
            let r = SPACING * (j as f64 + 0.5).sqrt();
            let a = j as f64 * GOLDEN_ANGLE;
            pos[k] = (cx + r * a.cos(), cy + r * a.sin());
        }
    }
    pos
}

/// A note's local graph as JSON: the note (node 0) and its neighbours
/// ([`PAGE_HOPS`]), at most [`LOCAL_MAX_NODES`](crate::index::graph::LOCAL_MAX_NODES), the most linked first,
/// each as `[title, prefix, rest, hop]`; the links among them; the note's
/// tags with the shown nodes that carry them. URLs are relative to the site
/// root (the page knows its way there), split like the global graph's.
/// `None` when the note is unpublished.
pub fn local_json(v: &SiteView, g: &Graph, labels: &Labels, id: usize) -> Option<String> {
    let start = g.node_of[id]?;
    let chosen = local_nodes(g, start, PAGE_HOPS);
    let mut num = itoa::Buffer::new();
    // Written by hand from per-node pieces computed once per emit: the same
    // bytes serde_json gives for `{"p":[…],"n":[[title,prefix,rest,hop],…],
    // "e":[…],"t":[[name,url,[…]],…]}`, `<` escaped.
    // The labels of the shown nodes, in the order shown.
    let labelled: Vec<&Label> = chosen.iter().map(|&(k, _)| labels.get(v, g, k)).collect();
    // The folders first (`p`), each node pointing to its folder's place.
    let mut dirs: Vec<&Label> = Vec::new();
    let place: Vec<usize> = labelled
        .iter()
        .map(|l| {
            dirs.iter()
                .position(|d| d.dir_hash == l.dir_hash && d.dir() == l.dir())
                .unwrap_or_else(|| {
                    dirs.push(l);
                    dirs.len() - 1
                })
        })
        .collect();
    let text: usize = labelled.iter().map(|l| l.text.len()).sum();
    let mut out = String::with_capacity(text + 16 * labelled.len() + 512);
    out.push_str("{\"s\":\"");
    out.push_str(v.config.link_style().page_suffix());
    out.push_str("\",\"p\":[");
    for (j, d) in dirs.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        out.push_str(d.dir());
    }
    out.push_str("],\"n\":[");
    for (j, ((l, p), &(_, hop))) in labelled.iter().zip(place).zip(&chosen).enumerate() {
        out.push_str(if j > 0 { ",[" } else { "[" });
        out.push_str(l.title());
        out.push(',');
        out.push_str(num.format(p));
        out.push(',');
        out.push_str(l.rest());
        out.push(',');
        out.push_str(num.format(hop));
        out.push(']');
    }
    out.push_str("],\"e\":[");
    push_edges(&mut out, g, &chosen);
    out.push_str("],\"t\":[");
    push_tags(&mut out, v, g, labels, (id, start), &labelled);
    out.push_str("]}");
    Some(out)
}

/// The links among the `chosen` nodes of a local graph, as pairs of their
/// places in it, the lower first.
fn push_edges(out: &mut String, g: &Graph, chosen: &[(usize, u8)]) {
    let mut num = itoa::Buffer::new();
    // Each shown node's position plus one, in a table of every node kept by
    // the thread and cleared after use: the links are found without hashing.
    thread_local! {
        static POS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    POS.with_borrow_mut(|pos| {
        if pos.len() < g.node_count() {
            pos.resize(g.node_count(), 0);
        }
        for (p, &(k, _)) in chosen.iter().enumerate() {
            pos[k] = p as u8 + 1;
        }
        // The shown nodes in ascending order: a hub's neighbours among them
        // are found by looking each up in its (sorted) list rather than by
        // reading the whole list, in the same order.
        let mut shown: Vec<u32> = chosen.iter().map(|&(k, _)| k as u32).collect();
        shown.sort_unstable();
        let mut first = true;
        let mut edge = |p: usize, b: u32| {
            let q = usize::from(pos[b as usize]);
            if q > p + 1 {
                if !first {
                    out.push(',');
                }
                out.push_str(num.format(p));
                out.push(',');
                out.push_str(num.format(q - 1));
                first = false;
            }
        };
        for (p, &(a, _)) in chosen.iter().enumerate() {
            let list = g.neighbours(a);
            if list.len() > 4 * shown.len() {
                for &b in &shown {
                    if list.binary_search(&b).is_ok() {
                        edge(p, b);
                    }
                }
            } else {
                for &b in list {
                    edge(p, b);
                }
            }
        }
        for &(k, _) in chosen {
            pos[k] = 0;
        }
    });
}

/// The tags of note `id` (graph node `start`) in its local graph: name, URL
/// and the places of the shown nodes (`labelled`) that carry each.
fn push_tags(
    out: &mut String,
    v: &SiteView,
    g: &Graph,
    labels: &Labels,
    (id, start): (usize, usize),
    labelled: &[&Label],
) {
    let idx = v.index;
    let mut num = itoa::Buffer::new();
    let style = v.config.link_style();
    let mut first = true;
    let own = idx.notes[id].tags.iter().filter_map(|k| idx.tags.get(k));
    for (t, rank) in own.zip(&labels.get(v, g, start).tags) {
        if !first {
            out.push(',');
        }
        out.push('[');
        out.push_str(&json_str(&t.name));
        out.push(',');
        out.push_str(&json_str(&relative_url(0, &t.slug.url(), style)));
        out.push_str(",[");
        first = false;
        let mut first_member = true;
        for (p, l) in labelled.iter().enumerate() {
            if l.tags.contains(rank) {
                if !first_member {
                    out.push(',');
                }
                out.push_str(num.format(p));
                first_member = false;
            }
        }
        out.push_str("]]");
    }
}

/// A JSON string literal, `<` escaped (safe inside `<script>`).
fn json_str(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// What a local graph shows of one node, as JSON pieces: its title, its URL's
/// folder part and the rest, end to end in one string (a page reads the
/// labels of up to [`LOCAL_MAX_NODES`](crate::index::graph::LOCAL_MAX_NODES) nodes: one allocation each, not three).
#[derive(Debug)]
pub struct Label {
    text: Box<str>,
    /// Where the folder's piece starts in `text`, and the rest's.
    dir_at: usize,
    rest_at: usize,
    /// The folder's hash: pages compare folders by it first.
    dir_hash: u64,
    /// The note's tags that the index knows, in the note's order, by rank
    /// among the index's tags (compared as numbers).
    tags: Box<[u32]>,
}

impl Label {
    fn title(&self) -> &str {
        &self.text[..self.dir_at]
    }
    fn dir(&self) -> &str {
        &self.text[self.dir_at..self.rest_at]
    }
    fn rest(&self) -> &str {
        &self.text[self.rest_at..]
    }
}

/// Each node's [`Label`], computed when a page first needs it and then shared
/// by every page that shows the node.
#[derive(Debug, Default)]
pub struct Labels {
    labels: Vec<std::sync::OnceLock<Label>>,
    /// Each tag's rank among the index's tags.
    tag_rank: rustc_hash::FxHashMap<String, u32>,
}

impl Labels {
    /// Room for the labels of `g`'s nodes.
    pub fn new(idx: &crate::index::Index, g: &Graph) -> Labels {
        Labels {
            labels: (0..g.notes.len()).map(|_| Default::default()).collect(),
            tag_rank: idx.tags.keys().cloned().zip(0..).collect(),
        }
    }

    fn get(&self, v: &SiteView, g: &Graph, k: usize) -> &Label {
        self.labels[k].get_or_init(|| {
            let i = g.notes[k];
            let url = relative_url(0, &v.index.note_url(i.0), v.config.link_style());
            let (dir, rest) = split_url(without_suffix(&url));
            let (title, dir, rest) = (json_str(&v.notes[i].title), json_str(dir), json_str(rest));
            let dir_hash = rustc_hash::FxBuildHasher.hash_one(&dir);
            let (dir_at, rest_at) = (title.len(), title.len() + dir.len());
            Label {
                text: [title, dir, rest].concat().into_boxed_str(),
                dir_at,
                rest_at,
                dir_hash,
                tags: v.index.notes[i]
                    .tags
                    .iter()
                    .filter_map(|t| self.tag_rank.get(t).copied())
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_folder_and_page() {
        for (url, p, rest) in [
            ("qualite/audits/note/", "qualite/audits/", "note/"),
            ("note/", "", "note/"),
            ("a/b/index.html", "a/", "b/index.html"),
            ("./", "", "./"),
            ("b/index.html", "", "b/index.html"),
        ] {
            assert_eq!(split_url(url), (p, rest), "{url}");
        }
    }
}
