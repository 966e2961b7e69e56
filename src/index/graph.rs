//! The link graph of the published notes, undirected: part of the index
//! (stage 4), built from the resolved outlinks, so it never depends on the
//! HTML renderer; unpublished notes are never nodes. What the pages draw of
//! it is [`crate::nav::graph`].

use crate::ids::NoteId;
use rayon::prelude::*;

/// Most nodes a local graph shows (the note, then its neighbours by degree).
pub const LOCAL_MAX_NODES: usize = 50;
const _: () = assert!(LOCAL_MAX_NODES < 255, "positions are kept in a byte");

/// The link graph of the published notes, undirected.
#[derive(Debug, Default)]
pub struct Graph {
    /// The note of each node.
    pub notes: Vec<NoteId>,
    /// Node of each note (`None` when unpublished).
    pub node_of: Vec<Option<usize>>,
    /// Neighbours of each node, sorted, without repeats or self-links.
    adj: Lists,
    /// The same neighbours, the best linked first (then by node): the order
    /// a local graph ranks the nodes two links away in.
    by_rank: Lists,
}

/// A list of nodes per node, end to end in one vector: a page reads the
/// lists of up to [`LOCAL_MAX_NODES`] nodes and their neighbours' lengths,
/// which then share cache lines instead of each living in its own block.
#[derive(Debug, Default)]
struct Lists {
    /// Where each node's list starts in `items`, and where the last ends.
    start: Vec<usize>,
    items: Vec<u32>,
}

impl Lists {
    fn new(lists: &[Vec<usize>]) -> Lists {
        let mut start = Vec::with_capacity(lists.len() + 1);
        let mut items = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        start.push(0);
        for list in lists {
            // Node numbers index a vector of notes: far below 2^32.
            items.extend(list.iter().map(|&k| k as u32));
            start.push(items.len());
        }
        Lists { start, items }
    }
    /// Node `k`'s list.
    fn of(&self, k: usize) -> &[u32] {
        &self.items[self.start[k]..self.start[k + 1]]
    }
    /// The length of node `k`'s list.
    fn len_of(&self, k: usize) -> usize {
        self.start[k + 1] - self.start[k]
    }
    /// The number of nodes.
    fn nodes(&self) -> usize {
        self.start.len() - 1
    }
}

impl Graph {
    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.adj.nodes()
    }

    /// Node `k`'s neighbours, sorted.
    pub fn neighbours(&self, k: usize) -> &[u32] {
        self.adj.of(k)
    }

    /// The graph of the index's listed notes.
    pub fn new(idx: &crate::index::Index) -> Graph {
        let notes: Vec<usize> = (0..idx.notes.len())
            .filter(|&i| idx.notes[i].listed)
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
        let by_rank: Vec<Vec<usize>> = adj
            .par_iter()
            .map(|list| {
                let mut l = list.clone();
                l.sort_unstable_by_key(|&k| (std::cmp::Reverse(adj[k].len()), k));
                l
            })
            .collect();
        let (adj, by_rank) = rayon::join(|| Lists::new(&adj), || Lists::new(&by_rank));
        Graph {
            notes: notes.into_iter().map(NoteId).collect(),
            node_of,
            adj,
            by_rank,
        }
    }
}

/// The nodes a local graph around node `start` shows (`start` first, then
/// the nearest, best linked ones, at most `max_hop` links away), each with
/// its distance.
pub fn local_nodes(g: &Graph, start: usize, max_hop: u8) -> Vec<(usize, u8)> {
    // Nodes seen by this call: those whose mark is the call's number, in a
    // table of every node kept by the thread (no hashing, nothing to clear).
    thread_local! {
        static SEEN: std::cell::RefCell<(Vec<u32>, u32)> =
            const { std::cell::RefCell::new((Vec::new(), 0)) };
    }
    SEEN.with_borrow_mut(|(marks, call)| {
        if marks.len() < g.adj.nodes() {
            marks.resize(g.adj.nodes(), 0);
        }
        *call = call.wrapping_add(1);
        if *call == 0 {
            marks.fill(0);
            *call = 1;
        }
        let call = *call;
        let mut seen = |k: usize| std::mem::replace(&mut marks[k], call) == call;
        seen(start);
        let keep = LOCAL_MAX_NODES - 1;
        let key = |h: u8, k: usize| (h, std::cmp::Reverse(g.adj.len_of(k)), k);
        let mut chosen: Vec<(u8, std::cmp::Reverse<usize>, usize)> = Vec::new();
        for b in g.adj.of(start).iter().map(|&b| b as usize) {
            if !seen(b) {
                chosen.push(key(1, b));
            }
        }
        // Hop-2 nodes rank after every neighbour: needed only when the
        // neighbours leave room, and then only the best ranked of them (a
        // hub's neighbourhood two links away can be a third of the site).
        // Each neighbour's list is in rank order: merging them gives the
        // hop-2 nodes best first, reading no further than needed.
        if max_hop >= 2 && chosen.len() < keep {
            let room = keep - chosen.len();
            let rank = |k: usize| (std::cmp::Reverse(g.adj.len_of(k)), k);
            let mut heads: std::collections::BinaryHeap<_> = chosen
                .iter()
                .filter_map(|&(_, _, a)| {
                    let b = *g.by_rank.of(a).first()? as usize;
                    Some(std::cmp::Reverse((rank(b), a, 0usize)))
                })
                .collect();
            let mut found = 0;
            while found < room {
                let Some(std::cmp::Reverse(((_, b), a, at))) = heads.pop() else {
                    break;
                };
                if !seen(b) {
                    chosen.push(key(2, b));
                    found += 1;
                }
                if let Some(&next) = g.by_rank.of(a).get(at + 1) {
                    let next = next as usize;
                    heads.push(std::cmp::Reverse((rank(next), a, at + 1)));
                }
            }
        }
        if chosen.len() > keep {
            chosen.select_nth_unstable(keep);
            chosen.truncate(keep);
        }
        chosen.sort_unstable();
        std::iter::once((start, 0))
            .chain(chosen.into_iter().map(|(h, _, k)| (k, h)))
            .collect()
    })
}
