//! Incremental rebuilds: bring a [`Site`] up to date after some notes changed.
//!
//! Used by `serve`. Only the changed notes are read and parsed again; the
//! index is rebuilt (it is cheap and everything depends on it); then only the
//! notes whose output can differ are rendered again: the changed notes, the
//! notes whose resolved links changed (a target renamed, retitled, created or
//! deleted) and the notes that embed a changed note, transitively. The rest
//! keep their rendered HTML.

use crate::diagnostics::Diagnostic;
use crate::emit::{Changes, NoteChange, Touched};
use crate::index::{self, Index, Link};
use crate::parse::{self, Note};
use crate::paths::VaultPath;
use crate::render::RenderedNote;
use crate::scan;
use crate::Site;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Instant;

/// What an incremental update did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Notes read and parsed again.
    pub reparsed: usize,
    /// Notes rendered again.
    pub rerendered: usize,
    /// Notes that disappeared.
    pub removed: usize,
    /// A single note moved: its old and new page (site-relative directories).
    pub renamed: Option<(String, String)>,
    /// The pages the edit can change; `None` when the site's shape changed
    /// (notes added, removed, moved, published or hidden, tags or aliases
    /// created or dropped, attachments used or not) and every page is due.
    pub touched: Option<Touched>,
}

/// What other pages show of a note, before an edit.
struct Face {
    title: String,
    /// Where it comes in listings.
    key: Vec<u8>,
    date: Option<String>,
    summary: String,
    aliases: Vec<String>,
}

fn face(site: &Site, i: usize) -> Face {
    Face {
        title: site.notes[i].title.clone(),
        key: crate::index::note_key(&site.notes[i]),
        date: site.notes[i].listed_date(),
        summary: site.notes[i].summary.clone(),
        aliases: site.notes[i].front.aliases.clone(),
    }
}

/// Whether the site's shape is the same: the same notes with the same pages,
/// the same tags, redirects, folders and used attachments.
fn same_shape(old: &Index, new: &Index) -> bool {
    old.notes.len() == new.notes.len()
        && old.home == new.home
        && old
            .notes
            .iter()
            .zip(&new.notes)
            .all(|(a, b)| a.slug == b.slug && a.published == b.published && a.listed == b.listed)
        && old.redirects == new.redirects
        && old.tags.len() == new.tags.len()
        && old.tags.iter().zip(&new.tags).all(|((ka, a), (kb, b))| {
            ka == kb
                && a.name == b.name
                && a.slug == b.slug
                && a.parent == b.parent
                && a.children == b.children
        })
        && old.files.len() == new.files.len()
        && old
            .files
            .iter()
            .zip(&new.files)
            .all(|(a, b)| a.used == b.used)
        && old.folders.len() == new.folders.len()
        && old
            .folders
            .iter()
            .zip(&new.folders)
            .all(|((pa, a), (pb, b))| pa == pb && a.index_note == b.index_note)
}

/// What the edit of the notes in `before` changed of them (see
/// [`Changes`]); `dirty` are the notes rendered again.
fn changes(
    site: &Site,
    old: &Snapshot,
    before: &HashMap<usize, Face>,
    dirty: &HashSet<usize>,
) -> Changes {
    let new = &site.index;
    let mut c = Changes {
        edited: before.keys().copied().collect(),
        rendered: dirty
            .iter()
            .copied()
            .filter(|&i| new.notes[i].published)
            .collect(),
        notes: Vec::new(),
        around_before: old.around.clone(),
    };
    for (&x, was) in before {
        let n = &new.notes[x];
        if !n.published {
            continue;
        }
        let now = face(site, x);
        let old_targets: BTreeSet<usize> = old.outlinks[&x].iter().copied().collect();
        let new_targets: BTreeSet<usize> = n.outlinks.iter().copied().collect();
        let old_tags = old.tags[&x].clone();
        c.notes.push(NoteChange {
            id: x,
            old_title: (now.title != was.title).then(|| was.title.clone()),
            old_key: (now.key != was.key).then(|| was.key.clone()),
            date: now.date != was.date,
            summary: now.summary != was.summary,
            aliases: now.aliases != was.aliases,
            relinked: old_targets != new_targets,
            targets: old_targets.union(&new_targets).copied().collect(),
            retagged: old_tags != n.tags,
            old_tags,
        });
    }
    c.notes.sort_by_key(|n| n.id);
    c
}

/// A link as the rendered HTML sees it: where it goes, not how it was written.
fn signature(site: &Site, i: usize) -> Vec<String> {
    let idx = &site.index;
    idx.notes[i]
        .links
        .iter()
        .chain(&idx.notes[i].property_links)
        .map(|l| match l {
            Link::Note { id, fragment } => format!(
                "n:{}#{}",
                idx.notes[*id].slug,
                fragment.as_deref().unwrap_or("")
            ),
            Link::File { id } => format!("f:{}", idx.files[*id].url.as_str()),
            Link::Unpublished => "u".into(),
            Link::Broken => "b".into(),
        })
        .chain(idx.notes[i].tags.iter().map(|t| format!("t:{t}")))
        .collect()
}

/// What the index reads of a note besides its links: while it stays, the
/// index can be updated in place.
#[derive(PartialEq, Eq)]
struct Names {
    aliases: Vec<String>,
    permalink: Option<String>,
    draft: bool,
    unlisted: bool,
    tags: Vec<String>,
}

fn names(n: &Note) -> Names {
    Names {
        aliases: n.front.aliases.clone(),
        permalink: n.front.permalink.clone(),
        draft: n.is_draft(),
        unlisted: n.is_unlisted(),
        tags: n
            .front_tags
            .iter()
            .chain(&n.inline_tags)
            .map(|(t, _)| t.clone())
            .collect(),
    }
}

/// A note read and parsed again with its findings; `None` when it is gone.
type Parsed = Option<(Note, Vec<Diagnostic>)>;

impl Site {
    /// Re-reads the notes at `changed` (vault paths; missing files are
    /// removals) and updates the index, the rendered notes and the findings.
    pub fn update_notes(&mut self, changed: &[VaultPath]) -> Result<Outcome, Diagnostic> {
        let start = Instant::now();
        let mut timings = Vec::new();
        let lap = |name: &'static str, timings: &mut Vec<(&'static str, std::time::Duration)>| {
            timings.push((name, start.elapsed()));
        };
        let mut skip_diags = Vec::new();
        let globs = scan::build_globs(&self.config.ignore, &mut skip_diags);
        let changed: BTreeSet<&VaultPath> = changed
            .iter()
            .filter(|p| scan::is_note(p) && !scan::is_skipped(p, &globs))
            .collect();
        let id_of = |notes: &[Note], p: &VaultPath| notes.binary_search_by(|n| n.path.cmp(p)).ok();
        let before: HashMap<usize, (Face, Names, String)> = changed
            .iter()
            .filter_map(|p| id_of(&self.notes, p))
            .map(|i| {
                let url = self.index.notes[i].slug.url().as_str().to_string();
                (i, (face(self, i), names(&self.notes[i]), url))
            })
            .collect();
        let old_url_of: HashMap<VaultPath, String> = before
            .iter()
            .map(|(&i, (_, _, url))| (self.notes[i].path.clone(), url.clone()))
            .collect();
        let used_before: Vec<bool> = self.index.files.iter().map(|f| f.used).collect();

        let fresh = self.reparse(&changed);
        lap("parse", &mut timings);

        let mut outcome = Outcome::default();
        let in_place = fresh
            .iter()
            .all(|(p, parsed)| match (id_of(&self.notes, p), parsed) {
                (Some(i), Some((n, _))) => before[&i].1 == names(n),
                (None, None) => true,
                _ => false,
            });
        let (dirty, old_index, reparsed) = if in_place {
            self.update_in_place(fresh, &mut outcome)
        } else {
            self.rebuild_index(fresh, &changed, &old_url_of, &mut outcome)
        };
        lap("index", &mut timings);

        let mut dirty = dirty;
        self.embedding(&reparsed, &mut dirty);
        outcome.rerendered = dirty
            .iter()
            .filter(|&&i| self.index.notes[i].published)
            .count();
        self.render_some(|i| dirty.contains(&i));
        lap("render", &mut timings);
        self.assemble_diagnostics();
        let faces: HashMap<usize, Face> = before.into_iter().map(|(i, (f, _, _))| (i, f)).collect();
        outcome.touched = match &old_index {
            OldIndex::Snapshot(snap) => {
                let used = self.index.files.iter().map(|f| f.used);
                if used.eq(used_before.iter().copied()) {
                    Touched::of(&self.view(), changes(self, snap, &faces, &dirty))
                } else {
                    None
                }
            }
            OldIndex::Full(old) => {
                let snap = Snapshot::of(old, &faces.keys().copied().collect());
                if same_shape(old, &self.index) {
                    Touched::of(&self.view(), changes(self, &snap, &faces, &dirty))
                } else {
                    None
                }
            }
            OldIndex::None => None,
        };
        lap("update", &mut timings);
        self.timings = timings;
        Ok(outcome)
    }

    /// Reads and parses the changed notes that still exist (`None`: gone).
    fn reparse(&self, changed: &BTreeSet<&VaultPath>) -> Vec<(VaultPath, Parsed)> {
        changed
            .par_iter()
            .map(|p| {
                let source = scan::disk_path(&self.content, p);
                if !source.is_file() {
                    return ((*p).clone(), None);
                }
                let (note, mut d) = scan::read_note((*p).clone(), &source);
                let parsed = note.map(|n| {
                    let (mut note, pd) = parse::parse_note(&n);
                    d.extend(pd);
                    // Changed since the last commit: created stays the
                    // history's, updated is now (the file's time).
                    note.history = self
                        .history
                        .as_ref()
                        .and_then(|h| h.files.get(p.as_str()))
                        .map(|h| crate::history::FileHistory {
                            created: h.created,
                            updated: crate::history::Stamp {
                                secs: note.modified,
                                offset: 0,
                            },
                            author: String::new(),
                        });
                    (note, d)
                });
                ((*p).clone(), parsed)
            })
            .collect()
    }

    /// The same notes, the same names: swaps the notes in and resolves
    /// again only what can have changed. Returns the notes to render again,
    /// what the index said before, and the notes parsed again.
    fn update_in_place(
        &mut self,
        fresh: Vec<(VaultPath, Parsed)>,
        outcome: &mut Outcome,
    ) -> (HashSet<usize>, OldIndex, BTreeSet<usize>) {
        let id_of = |notes: &[Note], p: &VaultPath| notes.binary_search_by(|n| n.path.cmp(p)).ok();
        let mut ids = BTreeSet::new();
        for (p, parsed) in fresh {
            if let (Some(i), Some((note, d))) = (id_of(&self.notes, &p), parsed) {
                self.notes[i] = note;
                self.parse_diagnostics[i] = d;
                ids.insert(i);
            }
        }
        outcome.reparsed = ids.len();
        let redo = index::anchored_to(&self.index, &self.notes, &ids);
        let old_sigs: Vec<(usize, Vec<String>)> =
            redo.iter().map(|&i| (i, signature(self, i))).collect();
        let snapshot = Snapshot::of(&self.index, &ids);
        let diags = index::update_index(&mut self.index, &self.notes, &ids, &redo);
        self.set_index_diagnostics(diags);
        let mut dirty: HashSet<usize> = ids.iter().copied().collect();
        dirty.extend(
            old_sigs
                .into_iter()
                .filter(|(i, sig)| *sig != signature(self, *i))
                .map(|(i, _)| i),
        );
        (dirty, OldIndex::Snapshot(snapshot), ids)
    }

    /// Notes came, went or changed names: builds the index again. Returns
    /// what [`Site::update_in_place`] does.
    fn rebuild_index(
        &mut self,
        fresh: Vec<(VaultPath, Parsed)>,
        changed: &BTreeSet<&VaultPath>,
        old_url_of: &HashMap<VaultPath, String>,
        outcome: &mut Outcome,
    ) -> (HashSet<usize>, OldIndex, BTreeSet<usize>) {
        let id_of = |notes: &[Note], p: &VaultPath| notes.binary_search_by(|n| n.path.cmp(p)).ok();
        let old_sigs: HashMap<VaultPath, Vec<String>> = (0..self.notes.len())
            .map(|i| (self.notes[i].path.clone(), signature(self, i)))
            .collect();
        let mut added = Vec::new();
        let mut removed = Vec::new();
        // Old entries that did not change, plus the new ones, sorted by path.
        type Entry = (
            Note,
            Vec<Diagnostic>,
            Option<RenderedNote>,
            Vec<Diagnostic>,
            bool,
        );
        let mut entries: Vec<Entry> = Vec::with_capacity(self.notes.len() + fresh.len());
        let notes = std::mem::take(&mut self.notes);
        let parse_d = std::mem::take(&mut self.parse_diagnostics);
        let rendered = std::mem::take(&mut self.rendered);
        let render_d = std::mem::take(&mut self.render_diagnostics);
        let old_paths: BTreeSet<VaultPath> = notes.iter().map(|n| n.path.clone()).collect();
        for (((n, pd), r), rd) in notes.into_iter().zip(parse_d).zip(rendered).zip(render_d) {
            if !changed.contains(&n.path) {
                entries.push((n, pd, r, rd, false));
            }
        }
        for (path, parsed) in fresh {
            match parsed {
                Some((note, d)) => {
                    if !old_paths.contains(&path) {
                        added.push(path.clone());
                    }
                    outcome.reparsed += 1;
                    entries.push((note, d, None, Vec::new(), true));
                }
                None if old_paths.contains(&path) => removed.push(path),
                None => {}
            }
        }
        outcome.removed = removed.len();
        entries.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        let mut reparsed = BTreeSet::new();
        for (i, (n, pd, r, rd, fresh)) in entries.into_iter().enumerate() {
            self.notes.push(n);
            self.parse_diagnostics.push(pd);
            self.rendered.push(r);
            self.render_diagnostics.push(rd);
            if fresh {
                reparsed.insert(i);
            }
        }
        let files: Vec<VaultPath> = self.attachments.iter().map(|a| a.path.clone()).collect();
        let (index, index_diags) = index::build_index(&self.notes, &files, self.config.drafts);
        let old = std::mem::replace(&mut self.index, index);
        self.set_index_diagnostics(index_diags);
        let dirty: HashSet<usize> = (0..self.notes.len())
            .filter(|&i| {
                reparsed.contains(&i)
                    || old_sigs.get(&self.notes[i].path) != Some(&signature(self, i))
                    || crate::render::reads_note_names(&self.notes[i].body)
            })
            .collect();
        if let ([old_path], [new_path]) = (removed.as_slice(), added.as_slice()) {
            let old_url = old_url_of.get(old_path).cloned();
            let new_url = id_of(&self.notes, new_path)
                .map(|i| self.index.notes[i].slug.url().as_str().to_string());
            if let (Some(o), Some(n)) = (old_url, new_url) {
                outcome.renamed = Some((o, n));
            }
        }
        let same_notes = added.is_empty() && removed.is_empty();
        (
            dirty,
            if same_notes {
                OldIndex::Full(Box::new(old))
            } else {
                OldIndex::None
            },
            reparsed,
        )
    }

    /// Adds to `dirty` the notes embedding one parsed again, directly or
    /// through other embeds: they show it, so they are rendered again too.
    fn embedding(&self, reparsed: &BTreeSet<usize>, dirty: &mut HashSet<usize>) {
        let mut queue: Vec<usize> = reparsed.iter().copied().collect();
        if !queue.is_empty() {
            // A base lists notes by what they hold: any edit can change
            // what it shows, and what the notes embedding it show.
            for (i, n) in self.notes.iter().enumerate() {
                if crate::bases::draws(n) && dirty.insert(i) {
                    queue.push(i);
                }
            }
            let mut embedded_by: HashMap<usize, Vec<usize>> = HashMap::new();
            for (i, n) in self.notes.iter().enumerate() {
                for (r, l) in n.links.iter().zip(&self.index.notes[i].links) {
                    if let (true, Link::Note { id, .. }) = (r.raw.embed, l) {
                        embedded_by.entry(id.0).or_default().push(i);
                    }
                }
            }
            while let Some(i) = queue.pop() {
                for &e in embedded_by.get(&i).into_iter().flatten() {
                    if dirty.insert(e) {
                        queue.push(e);
                    }
                }
            }
        }
    }

    /// Replaces the index's findings (the scan's stay).
    fn set_index_diagnostics(&mut self, diags: Vec<Diagnostic>) {
        self.global_diagnostics.retain(|d| {
            use crate::diagnostics::Kind::{Config, Encoding, Io};
            matches!(d.kind, Io | Config | Encoding)
        });
        self.global_diagnostics.extend(diags);
    }
}

/// The index before an edit, as much as [`touched`] needs.
enum OldIndex {
    /// Updated in place: what was kept of it.
    Snapshot(Snapshot),
    /// Built again with the same notes.
    Full(Box<Index>),
    /// Notes came or went.
    None,
}

/// What the index said of the edited notes before the edit: their links and
/// tags, and the notes two links around them.
struct Snapshot {
    outlinks: HashMap<usize, Vec<usize>>,
    tags: HashMap<usize, Vec<String>>,
    around: BTreeSet<usize>,
}

impl Snapshot {
    fn of(idx: &Index, ids: &BTreeSet<usize>) -> Snapshot {
        let mut seeds = ids.clone();
        for &i in ids {
            seeds.extend(idx.notes[i].outlinks.iter().copied());
        }
        Snapshot {
            outlinks: ids
                .iter()
                .map(|&i| (i, idx.notes[i].outlinks.clone()))
                .collect(),
            tags: ids
                .iter()
                .map(|&i| (i, idx.notes[i].tags.clone()))
                .collect(),
            around: idx.around(&seeds, 2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        let config = crate::load_config(dir.path(), &crate::Overrides::default()).unwrap();
        let site = crate::load_site(dir.path(), config).unwrap();
        (dir, site)
    }

    fn html(site: &Site, path: &str) -> String {
        let i = site
            .notes
            .iter()
            .position(|n| n.path.as_str() == path)
            .unwrap();
        site.rendered[i].as_ref().unwrap().html.clone()
    }

    #[test]
    fn a_body_edit_rerenders_the_note_and_its_embedders_only() {
        let (dir, mut site) = site(&[
            ("a.md", "![[b]]"),
            ("b.md", "old text"),
            ("c.md", "[[b]]"),
            ("d.md", "alone"),
        ]);
        std::fs::write(dir.path().join("b.md"), "new text").unwrap();
        let out = site.update_notes(&[VaultPath::new("b.md")]).unwrap();
        assert_eq!(out.reparsed, 1);
        assert_eq!(
            out.rerendered, 2,
            "b and its embedder a; c's links did not change"
        );
        assert!(html(&site, "a.md").contains("new text"));
    }

    #[test]
    fn a_base_is_drawn_again_when_a_note_it_lists_changes() {
        let (dir, mut site) = site(&[
            ("Shelf.base", "views:\n  - type: table\n    name: T\n    filters: 'year > 0'\n    order: [file.name, year]\n"),
            ("Book.md", "---\nyear: 1965\n---\nText."),
            ("Home.md", "![[Shelf.base]]"),
            ("Block.md", "```base\nfilters: 'year > 1999'\n```"),
            ("Other.md", "alone"),
        ]);
        assert!(html(&site, "Home.md").contains(">1965</td>"));
        assert!(html(&site, "Block.md").contains("0 results"));
        std::fs::write(dir.path().join("Book.md"), "---\nyear: 2001\n---\nText.").unwrap();
        let out = site.update_notes(&[VaultPath::new("Book.md")]).unwrap();
        assert_eq!(
            out.rerendered, 4,
            "the note, the base, the note embedding it and the block; not Other"
        );
        assert!(html(&site, "Shelf.base").contains(">2001</td>"));
        assert!(html(&site, "Home.md").contains(">2001</td>"));
        assert!(html(&site, "Block.md").contains("1 result"));
    }

    #[test]
    fn creating_a_wanted_note_fixes_links_to_it() {
        let (dir, mut site) = site(&[("a.md", "[[Wanted]]")]);
        assert!(html(&site, "a.md").contains("broken-link"));
        assert_eq!(site.diagnostics.len(), 1);
        std::fs::write(dir.path().join("Wanted.md"), "here").unwrap();
        let out = site.update_notes(&[VaultPath::new("Wanted.md")]).unwrap();
        assert_eq!(out.rerendered, 2);
        assert!(html(&site, "a.md").contains("href=\"../wanted/index.html\""));
        assert!(site.diagnostics.is_empty(), "{:?}", site.diagnostics);
    }

    #[test]
    fn a_diagram_node_naming_a_new_note_links_to_it() {
        let diagram =
            "```mermaid\ngraph TD\n  A[Plan] --> B[Wanted]\n  class B internal-link\n```\n";
        let (dir, mut site) = site(&[("a.md", diagram), ("c.md", "c")]);
        assert!(!html(&site, "a.md").contains("wanted/index.html"));
        std::fs::write(dir.path().join("Wanted.md"), "here").unwrap();
        site.update_notes(&[VaultPath::new("Wanted.md")]).unwrap();
        assert!(
            html(&site, "a.md").contains("href=\"../wanted/index.html\""),
            "{}",
            html(&site, "a.md")
        );
    }

    #[test]
    fn renames_and_deletions_are_reported() {
        let (dir, mut site) = site(&[("a.md", "[[b]]"), ("b.md", "b")]);
        std::fs::rename(dir.path().join("b.md"), dir.path().join("c.md")).unwrap();
        let out = site
            .update_notes(&[VaultPath::new("b.md"), VaultPath::new("c.md")])
            .unwrap();
        assert_eq!(out.renamed, Some(("b/".into(), "c/".into())));
        assert!(html(&site, "a.md").contains("broken-link"));
        std::fs::remove_file(dir.path().join("c.md")).unwrap();
        let out = site.update_notes(&[VaultPath::new("c.md")]).unwrap();
        assert_eq!((out.removed, out.renamed), (1, None));
        assert_eq!(site.notes.len(), 1);
        assert_eq!(site.rendered.len(), 1);
    }

    #[test]
    fn fixing_an_encoding_clears_its_finding() {
        let (dir, _) = site(&[("a.md", "x")]);
        std::fs::write(dir.path().join("b.md"), b"caf\xe9").unwrap();
        let config = crate::load_config(dir.path(), &crate::Overrides::default()).unwrap();
        let mut site = crate::load_site(dir.path(), config).unwrap();
        assert_eq!(site.diagnostics.len(), 1);
        std::fs::write(dir.path().join("a.md"), "y").unwrap();
        site.update_notes(&[VaultPath::new("a.md")]).unwrap();
        assert_eq!(
            site.diagnostics.len(),
            1,
            "an unrelated edit keeps the finding"
        );
        std::fs::write(dir.path().join("b.md"), "café").unwrap();
        site.update_notes(&[VaultPath::new("b.md")]).unwrap();
        assert!(site.diagnostics.is_empty(), "{:?}", site.diagnostics);
    }

    #[test]
    fn hidden_and_non_note_paths_are_ignored() {
        let (dir, mut site) = site(&[("a.md", "x")]);
        std::fs::create_dir_all(dir.path().join(".obsidian")).unwrap();
        std::fs::write(dir.path().join(".obsidian/x.md"), "x").unwrap();
        let out = site
            .update_notes(&[VaultPath::new(".obsidian/x.md"), VaultPath::new("a.md.swp")])
            .unwrap();
        assert_eq!(out.reparsed, 0);
        assert_eq!(site.notes.len(), 1);
    }
}
