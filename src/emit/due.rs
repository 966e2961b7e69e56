//! Which pages read what, and so which pages an edit changes.
//!
//! `serve` re-reads the edited notes and describes what changed of each
//! ([`Changes`]: its text, title, date, summary, aliases, links, tags),
//! knowing nothing of pages. Each page kind states here, beside the list of
//! page kinds ([`Job`](super::Job)), what it shows of the notes, and
//! [`Touched::of`] derives from those statements the pages to draw again.
//! A new page kind adds its statement here and its case to `Job::is_due`.

use super::Touched;
use crate::index::Index;
use crate::view::SiteView;
use std::collections::BTreeSet;

/// What an edit changed, note by note: the inputs the pages read.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Notes read again.
    pub edited: BTreeSet<usize>,
    /// Published notes whose HTML was rendered again: they, and the notes
    /// embedding them, changed.
    pub rendered: BTreeSet<usize>,
    /// What changed of each edited note that is published.
    pub notes: Vec<NoteChange>,
    /// The published notes within two links of the edited notes, or of
    /// what they linked to, before the edit.
    pub around_before: BTreeSet<usize>,
}

/// What changed of one published note.
#[derive(Debug, Clone, Default)]
pub struct NoteChange {
    /// The note.
    pub id: usize,
    /// Its title before the edit, when the title changed.
    pub old_title: Option<String>,
    /// Its place in listings before the edit ([`crate::collate::key`]), when
    /// its title or `order` moved it.
    pub old_key: Option<Vec<u8>>,
    /// Its listed date changed.
    pub date: bool,
    /// Its summary changed.
    pub summary: bool,
    /// Its aliases changed.
    pub aliases: bool,
    /// The notes it links to changed.
    pub relinked: bool,
    /// The notes it links to, before and after the edit.
    pub targets: BTreeSet<usize>,
    /// Its tags before the edit (when `retagged`, they differ from now).
    pub old_tags: Vec<String>,
    /// Its tags changed.
    pub retagged: bool,
}

impl NoteChange {
    /// Whether its card (title, date, summary) or its place among the cards
    /// changed.
    fn card(&self) -> bool {
        self.old_title.is_some() || self.old_key.is_some() || self.date || self.summary
    }

    /// Whether the pages listing it show something new of it: its card, or
    /// what it links to or is tagged with (themes may show them).
    fn listed(&self) -> bool {
        self.card() || self.relinked || self.retagged
    }
}

impl Touched {
    /// The pages `changes` can change, kind by kind; `None` when every page
    /// is due.
    pub fn of(v: &SiteView, changes: Changes) -> Option<Touched> {
        Some(Touched {
            notes: note_pages(v, &changes)?,
            folders: folder_pages(v, &changes),
            tags: tag_pages(v.index, &changes),
            tag_index: changes.notes.iter().any(|c| c.retagged),
            redirects_to: redirect_pages(&changes),
            graph: changes
                .notes
                .iter()
                .any(|c| c.old_title.is_some() || c.relinked || c.retagged),
            dates: changes.notes.iter().any(|c| c.date),
            edited: changes.edited,
        })
    }
}

/// A note page shows its own text and the notes it embeds; the cards of the
/// notes linking to it (backlinks); the titles of the notes beside it in the
/// explorer (every note's on small sites, the folder notes' everywhere) and
/// in previous/next; the counts of its tags; its local graph (the titles,
/// links and tags of the notes two links around it). A folder note's page
/// also shows the cards of its folder's notes. `None`: a change every page
/// shows.
fn note_pages(v: &SiteView, changes: &Changes) -> Option<BTreeSet<usize>> {
    let idx = v.index;
    let published = idx.notes.iter().filter(|n| n.published).count();
    let full_explorer = published <= crate::nav::FULL_EXPLORER_NOTES;
    let folder_note = |i: usize| idx.folders.values().any(|f| f.index_note == Some(i));
    let mut due = changes.rendered.clone();
    let mut retitled = Vec::new();
    let mut graph_seeds = BTreeSet::new();
    for c in &changes.notes {
        let x = c.id;
        due.insert(x);
        if let Some(old_key) = &c.old_key {
            if full_explorer || Some(x) == idx.home || folder_note(x) {
                return None;
            }
            due.extend(showing_in_folder(v, x, old_key));
        }
        if c.old_title.is_some() {
            if full_explorer || Some(x) == idx.home || folder_note(x) {
                return None;
            }
            retitled.push(x);
        }
        if c.listed() {
            // Backlink cards on the pages it links to, before and after.
            due.extend(
                c.targets
                    .iter()
                    .copied()
                    .filter(|&i| idx.notes[i].published && i != x),
            );
            // Its card on its folder note's page.
            let folder = v.notes[x].path.folder();
            if let Some(i) = idx.folders.get(folder).and_then(|f| f.index_note) {
                due.insert(i);
            }
        }
        if c.relinked {
            graph_seeds.insert(x);
            graph_seeds.extend(c.targets.iter().copied());
        }
        if c.retagged {
            graph_seeds.insert(x);
            due.extend(carrying_recounted_tags(
                idx,
                &c.old_tags,
                &idx.notes[x].tags,
            ));
        }
    }
    if !retitled.is_empty() {
        // Local graphs showing a retitled note show its title.
        let g = &idx.graph;
        for p in idx.around(&retitled.iter().copied().collect(), 2) {
            if due.contains(&p) {
                continue;
            }
            let Some(start) = g.node_of[p] else { continue };
            let shown = crate::index::graph::local_nodes(g, start, crate::nav::graph::PAGE_HOPS);
            if shown.iter().any(|&(k, _)| retitled.contains(&g.notes[k].0)) {
                due.insert(p);
            }
        }
    }
    if !graph_seeds.is_empty() {
        // Local graphs show notes two links away, their titles, links and
        // tags: before the edit, and after.
        due.extend(&changes.around_before);
        due.extend(idx.around(&graph_seeds, 2));
    }
    Some(due)
}

/// The notes whose explorer window or previous/next link shows note `x`,
/// moved from `old_key` in its folder's order, before or after the move.
fn showing_in_folder(v: &SiteView, x: usize, old_key: &[u8]) -> Vec<usize> {
    let idx = v.index;
    let mut out = Vec::new();
    let folder = v.notes[x].path.folder();
    let Some(f) = idx.folders.get(folder) else {
        return out;
    };
    let listed: Vec<usize> = f
        .notes
        .iter()
        .copied()
        .filter(|&i| Some(i) != idx.home)
        .collect();
    let order = |key_of_x: &[u8]| {
        let mut l: Vec<(&[u8], usize)> = listed
            .iter()
            .map(|&i| {
                let k = if i == x {
                    key_of_x
                } else {
                    idx.notes[i].sort_key.as_slice()
                };
                (k, i)
            })
            .collect();
        l.sort();
        l.into_iter().map(|(_, i)| i).collect::<Vec<usize>>()
    };
    let before = order(old_key);
    let after = order(&idx.notes[x].sort_key);
    for (p, &a) in before.iter().enumerate() {
        let pa = after.iter().position(|&i| i == a).unwrap_or(p);
        let old_view = crate::nav::shown_in_window(&before, p);
        let new_view = crate::nav::shown_in_window(&after, pa);
        if old_view != new_view || old_view.contains(&x) || new_view.contains(&x) {
            out.push(a);
        }
    }
    out
}

/// The published notes carrying a tag whose count changed from `old` to
/// `now`.
fn carrying_recounted_tags(idx: &Index, old: &[String], now: &[String]) -> Vec<usize> {
    let mut counted = BTreeSet::new();
    for k in old.iter().chain(now) {
        if old.contains(k) != now.contains(k) {
            idx.tag_with_ancestors(k, &mut counted);
        }
    }
    (0..idx.notes.len())
        .filter(|&i| {
            let info = &idx.notes[i];
            info.published && info.tags.iter().any(|k| counted.contains(k))
        })
        .collect()
}

/// A folder page (a folder without a folder note) shows the cards of its
/// notes.
fn folder_pages(v: &SiteView, changes: &Changes) -> BTreeSet<String> {
    let idx = v.index;
    changes
        .notes
        .iter()
        .filter(|c| c.listed())
        .map(|c| v.notes[c.id].path.folder())
        .filter(|f| !f.is_empty() && idx.folders.get(*f).is_none_or(|f| f.index_note.is_none()))
        .map(str::to_string)
        .collect()
}

/// A tag page shows the cards of the notes carrying the tag or one of its
/// descendants.
fn tag_pages(idx: &Index, changes: &Changes) -> BTreeSet<String> {
    let mut due = BTreeSet::new();
    for c in changes.notes.iter().filter(|c| c.listed()) {
        for k in c.old_tags.iter().chain(&idx.notes[c.id].tags) {
            idx.tag_with_ancestors(k, &mut due);
        }
    }
    due
}

/// A redirect page names the note it leads to, by title, and exists for
/// each alias.
fn redirect_pages(changes: &Changes) -> BTreeSet<usize> {
    changes
        .notes
        .iter()
        .filter(|c| c.aliases || c.old_title.is_some())
        .map(|c| c.id)
        .collect()
}
