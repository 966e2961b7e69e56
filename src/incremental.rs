//! Incremental rebuilds: bring a [`Site`] up to date after some notes changed.
//!
//! Used by `serve`. Only the changed notes are read and parsed again; the
//! index is rebuilt (it is cheap and everything depends on it); then only the
//! notes whose output can differ are rendered again: the changed notes, the
//! notes whose resolved links changed (a target renamed, retitled, created or
//! deleted) and the notes that embed a changed note, transitively. The rest
//! keep their rendered HTML.

use crate::diagnostics::Diagnostic;
use crate::index::{self, Link};
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

impl Site {
    /// Re-reads the notes at `changed` (vault paths; missing files are
    /// removals) and updates the index, the rendered notes and the findings.
    pub fn update_notes(&mut self, changed: &[VaultPath]) -> Result<Outcome, Diagnostic> {
        let start = Instant::now();
        let mut skip_diags = Vec::new();
        let globs = scan::build_globs(&self.config.ignore, &mut skip_diags);
        let changed: BTreeSet<&VaultPath> = changed
            .iter()
            .filter(|p| {
                p.extension() == "md"
                    && !p.as_str().split('/').any(|c| c.starts_with('.'))
                    && !globs.is_match(p.as_str())
            })
            .collect();
        let old_ids: HashMap<VaultPath, usize> = self
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.path.clone(), i))
            .collect();
        let old_sigs: HashMap<VaultPath, Vec<String>> = (0..self.notes.len())
            .map(|i| (self.notes[i].path.clone(), signature(self, i)))
            .collect();
        let old_slugs: HashMap<VaultPath, String> = self
            .notes
            .iter()
            .zip(&self.index.notes)
            .map(|(n, x)| (n.path.clone(), x.slug.url().as_str().to_string()))
            .collect();

        // Read and parse the changed notes that still exist.
        type Parsed = Option<(Note, Vec<Diagnostic>)>;
        let fresh: Vec<(VaultPath, Parsed)> = changed
            .par_iter()
            .map(|p| {
                let source = self.content.join(p.as_str());
                if !source.is_file() {
                    return ((*p).clone(), None);
                }
                let (note, mut d) = scan::read_note((*p).clone(), &source);
                let parsed = note.map(|n| {
                    let (note, pd) = parse::parse_note(&n);
                    d.extend(pd);
                    (note, d)
                });
                ((*p).clone(), parsed)
            })
            .collect();

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
        for (((n, pd), r), rd) in notes.into_iter().zip(parse_d).zip(rendered).zip(render_d) {
            if !changed.contains(&n.path) {
                entries.push((n, pd, r, rd, false));
            }
        }
        let mut outcome = Outcome {
            reparsed: 0,
            ..Outcome::default()
        };
        let mut added = Vec::new();
        let mut removed = Vec::new();
        for (path, parsed) in fresh {
            match parsed {
                Some((note, d)) => {
                    if !old_ids.contains_key(&path) {
                        added.push(path.clone());
                    }
                    outcome.reparsed += 1;
                    entries.push((note, d, None, Vec::new(), true));
                }
                None if old_ids.contains_key(&path) => removed.push(path),
                None => {}
            }
        }
        outcome.removed = removed.len();
        entries.sort_by(|a, b| a.0.path.cmp(&b.0.path));
        let mut reparsed = Vec::with_capacity(entries.len());
        for (n, pd, r, rd, fresh) in entries {
            self.notes.push(n);
            self.parse_diagnostics.push(pd);
            self.rendered.push(r);
            self.render_diagnostics.push(rd);
            reparsed.push(fresh);
        }

        // Index again, then find what must be rendered again.
        let files: Vec<VaultPath> = self.attachments.iter().map(|a| a.path.clone()).collect();
        let (index, index_diags) = index::build_index(&self.notes, &files, self.config.drafts);
        self.index = index;
        // Scan findings (files skipped, unreadable folders) stay; index findings are redone.
        self.global_diagnostics.retain(|d| {
            use crate::diagnostics::Kind::{Config, Encoding, Io};
            matches!(d.kind, Io | Config | Encoding)
        });
        self.global_diagnostics.extend(index_diags);
        let mut dirty: HashSet<usize> = (0..self.notes.len())
            .filter(|&i| {
                reparsed[i] || old_sigs.get(&self.notes[i].path) != Some(&signature(self, i))
            })
            .collect();
        let mut embedded_by: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, n) in self.notes.iter().enumerate() {
            for (r, l) in n.links.iter().zip(&self.index.notes[i].links) {
                if let (true, Link::Note { id, .. }) = (r.raw.embed, l) {
                    embedded_by.entry(*id).or_default().push(i);
                }
            }
        }
        let mut queue: Vec<usize> = (0..self.notes.len()).filter(|&i| reparsed[i]).collect();
        while let Some(i) = queue.pop() {
            for &e in embedded_by.get(&i).into_iter().flatten() {
                if dirty.insert(e) {
                    queue.push(e);
                }
            }
        }
        outcome.rerendered = dirty
            .iter()
            .filter(|&&i| self.index.notes[i].published)
            .count();
        self.render_some(|i| dirty.contains(&i));
        self.assemble_diagnostics();
        if let ([old], [new]) = (removed.as_slice(), added.as_slice()) {
            let new_url = self
                .notes
                .iter()
                .position(|n| &n.path == new)
                .map(|i| self.index.notes[i].slug.url().as_str().to_string());
            if let (Some(o), Some(n)) = (old_slugs.get(old), new_url) {
                outcome.renamed = Some((o.clone(), n));
            }
        }
        self.timings = vec![("update", start.elapsed())];
        Ok(outcome)
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
