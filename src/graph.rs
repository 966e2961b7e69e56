//! Graph data: how published notes link to each other, for the graph views.
//!
//! Part of emit (stage 6): pure functions from a [`SiteView`] to the global
//! graph's `graph.js` and to each note's local graph (JSON embedded in its
//! page). Links come from the [`crate::index::Index`] (resolved outlinks), so
//! the graph never depends on the HTML renderer; unpublished notes are never
//! nodes. Drawing and the force layout are the theme's `isokb-graph.js`.

use crate::emit::SiteView;
use crate::paths::{relative_url, LinkStyle};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// The global graph's data file (site-relative).
pub const GRAPH_JS: &str = "graph.js";
/// Most nodes a local graph shows (the note, then its neighbours by degree).
pub const LOCAL_MAX_NODES: usize = 50;
/// Distance between neighbouring nodes in the initial layout.
const SPACING: f64 = 12.0;
const GOLDEN_ANGLE: f64 = 2.399_963_229_728_653;

/// The link graph of the published notes, undirected.
#[derive(Debug, Default)]
pub struct Graph {
    /// Note index of each node.
    pub notes: Vec<usize>,
    /// Node of each note (`None` when unpublished).
    pub node_of: Vec<Option<usize>>,
    /// Neighbours of each node, sorted, without repeats or self-links.
    pub adj: Vec<Vec<usize>>,
}

impl Graph {
    /// The graph of the index's published notes.
    pub fn new(idx: &crate::index::Index) -> Graph {
        let notes: Vec<usize> = (0..idx.notes.len())
            .filter(|&i| idx.notes[i].published)
            .collect();
        let mut node_of = vec![None; idx.notes.len()];
        for (k, &i) in notes.iter().enumerate() {
            node_of[i] = Some(k);
        }
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); notes.len()];
        for (a, &i) in notes.iter().enumerate() {
            for &j in &idx.notes[i].outlinks {
                if let Some(b) = node_of.get(j).copied().flatten() {
                    if a != b {
                        adj[a].push(b);
                        adj[b].push(a);
                    }
                }
            }
        }
        for list in &mut adj {
            list.sort_unstable();
            list.dedup();
        }
        Graph {
            notes,
            node_of,
            adj,
        }
    }
}

fn style_of(v: &SiteView) -> LinkStyle {
    if v.config.pretty_urls {
        LinkStyle::Pretty
    } else {
        LinkStyle::Explicit
    }
}

/// `qualite/audits/note/` → (`qualite/audits/`, `note/`): the URL's folder
/// part, shared by many nodes and stored once.
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
    let style = style_of(v);
    let mut prefixes = Prefixes::default();
    let nodes: Vec<serde_json::Value> = g
        .notes
        .iter()
        .map(|&i| {
            let url = relative_url(0, &idx.note_url(i), style);
            let (p, rest) = prefixes.split(&url);
            json!([v.notes[i].title, p, rest])
        })
        .collect();
    let edges: Vec<Vec<usize>> = g
        .adj
        .iter()
        .enumerate()
        .map(|(a, list)| list.iter().copied().filter(|&b| b > a).collect())
        .collect();
    let xy: Vec<i64> = initial_layout(v, g)
        .into_iter()
        .flat_map(|(x, y)| [x.round() as i64, y.round() as i64])
        .collect();
    let tags: Vec<serde_json::Value> = idx
        .tags
        .values()
        .filter_map(|t| {
            let members: Vec<usize> = t.notes.iter().filter_map(|&i| g.node_of[i]).collect();
            (!members.is_empty())
                .then(|| json!([t.name, relative_url(0, &t.slug.url(), style), members]))
        })
        .collect();
    let data = json!({ "p": prefixes.list, "n": nodes, "e": edges, "xy": xy, "t": tags });
    format!(
        "window.ISOKB_GRAPH({});\n",
        data.to_string().replace('<', "\\u003c")
    )
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

/// A note's local graph as JSON: the note (node 0), its neighbours (hop 1)
/// and theirs (hop 2), at most [`LOCAL_MAX_NODES`], the most linked first,
/// each as `[title, prefix, rest, hop]`; the links among them; the note's
/// tags with the shown nodes that carry them. URLs are relative to the site
/// root (the page knows its way there), split like the global graph's.
/// `None` when the note is unpublished.
pub fn local_json(v: &SiteView, g: &Graph, id: usize) -> Option<String> {
    #[derive(Serialize)]
    struct Local<'a> {
        p: Vec<String>,
        n: Vec<(&'a str, usize, String, u8)>,
        e: Vec<usize>,
        t: Vec<(&'a str, String, Vec<usize>)>,
    }
    let idx = v.index;
    let style = style_of(v);
    let start = g.node_of[id]?;
    let (chosen, hop) = local_nodes(g, start);
    let pos: HashMap<usize, usize> = chosen.iter().enumerate().map(|(p, &k)| (k, p)).collect();
    let mut prefixes = Prefixes::default();
    let n = chosen
        .iter()
        .map(|&k| {
            let i = g.notes[k];
            let url = relative_url(0, &idx.note_url(i), style);
            let (p, rest) = prefixes.split(&url);
            (v.notes[i].title.as_str(), p, rest.to_string(), hop[&k])
        })
        .collect();
    let mut e = Vec::new();
    for (p, &a) in chosen.iter().enumerate() {
        for &b in &g.adj[a] {
            if let Some(&q) = pos.get(&b) {
                if q > p {
                    e.extend([p, q]);
                }
            }
        }
    }
    let t = idx.notes[id]
        .tags
        .iter()
        .filter_map(|key| idx.tags.get(key).map(|t| (key, t)))
        .map(|(key, t)| {
            let members: Vec<usize> = chosen
                .iter()
                .enumerate()
                .filter(|(_, &k)| idx.notes[g.notes[k]].tags.contains(key))
                .map(|(p, _)| p)
                .collect();
            (
                t.name.as_str(),
                relative_url(0, &t.slug.url(), style),
                members,
            )
        })
        .collect();
    let data = Local {
        p: prefixes.list,
        n,
        e,
        t,
    };
    serde_json::to_string(&data)
        .ok()
        .map(|s| s.replace('<', "\\u003c"))
}

/// The nodes a local graph around node `start` shows (`start` first, then
/// the nearest, best linked ones), with each node's distance.
pub fn local_nodes(g: &Graph, start: usize) -> (Vec<usize>, HashMap<usize, u8>) {
    // Breadth-first to depth 2.
    let mut hop: HashMap<usize, u8> = HashMap::from([(start, 0)]);
    let mut queue = VecDeque::from([start]);
    while let Some(a) = queue.pop_front() {
        let h = hop[&a];
        if h == 2 {
            continue;
        }
        for &b in &g.adj[a] {
            if let std::collections::hash_map::Entry::Vacant(e) = hop.entry(b) {
                e.insert(h + 1);
                queue.push_back(b);
            }
        }
    }
    let mut chosen: Vec<(u8, std::cmp::Reverse<usize>, usize)> = hop
        .iter()
        .filter(|(&k, _)| k != start)
        .map(|(&k, &h)| (h, std::cmp::Reverse(g.adj[k].len()), k))
        .collect();
    chosen.sort_unstable();
    chosen.truncate(LOCAL_MAX_NODES - 1);
    let chosen: Vec<usize> = std::iter::once(start)
        .chain(chosen.into_iter().map(|(_, _, k)| k))
        .collect();
    (chosen, hop)
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
