//! Link resolution: which note or file a link target names.
//!
//! Pure functions over a [`NameTable`] built from the vault's paths and
//! aliases, following `OFM.md`: exact vault path, then path relative to the
//! linking note, then path suffix (the basename for a bare name), then alias.
//! Case and Unicode normalisation form are ignored. Among several matches the
//! one in the linking note's folder wins, then the shortest path. Used by the
//! index stage; knows nothing of rendering.

use crate::ids::{FileId, NoteId};
use crate::paths::{join_relative, name_key, strip_md};
use rayon::prelude::*;
use std::collections::HashMap;

/// What a target can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// A note.
    Note(NoteId),
    /// An attachment.
    File(FileId),
}

/// How a target was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Exact vault path.
    Path,
    /// Path relative to the linking note.
    Relative,
    /// Path suffix or basename.
    Suffix,
    /// An alias.
    Alias,
}

/// The answer for one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// One match, or the preferred one of several (`others` lists the rest).
    Found {
        /// The chosen target.
        target: Target,
        /// The rule that found it.
        rule: Rule,
        /// Other candidates at the same rule: the link is ambiguous when not empty.
        others: Vec<Target>,
    },
    /// Nothing matches.
    Missing,
}

#[derive(Debug, Clone)]
struct Entry {
    target: Target,
    /// Path key without `.md` for notes, with extension for files.
    key: String,
    folder: String,
}

/// Every name a link can use, keyed by [`name_key`].
#[derive(Debug, Default)]
pub struct NameTable {
    by_path: HashMap<String, Vec<usize>>,
    by_basename: HashMap<String, Vec<usize>>,
    by_alias: HashMap<String, Vec<usize>>,
    entries: Vec<Entry>,
}

impl NameTable {
    /// Builds the table from note paths (with `.md`), their aliases, and attachment paths.
    pub fn new<'a>(
        notes: impl IntoIterator<Item = (&'a str, &'a [String])>,
        files: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut t = NameTable::default();
        // The keys, made in parallel; the tables are filled in order.
        let notes: Vec<(&str, &[String])> = notes.into_iter().collect();
        let keys: Vec<(String, Vec<String>)> = notes
            .par_iter()
            .map(|(path, aliases)| {
                (
                    name_key(strip_md(path)),
                    aliases.iter().map(|a| name_key(a)).collect(),
                )
            })
            .collect();
        for (i, (key, aliases)) in keys.into_iter().enumerate() {
            let idx = t.push(Target::Note(NoteId(i)), key);
            for a in aliases {
                t.by_alias.entry(a).or_default().push(idx);
            }
        }
        for (i, path) in files.into_iter().enumerate() {
            t.push(Target::File(FileId(i)), name_key(path));
        }
        t
    }

    /// Adds a target under its path's [`name_key`].
    fn push(&mut self, target: Target, key: String) -> usize {
        let folder = key
            .rfind('/')
            .map_or(String::new(), |i| key[..i].to_string());
        let base = key.rsplit('/').next().unwrap_or(&key).to_string();
        let idx = self.entries.len();
        self.by_path.entry(key.clone()).or_default().push(idx);
        self.by_basename.entry(base).or_default().push(idx);
        self.entries.push(Entry {
            target,
            key,
            folder,
        });
        idx
    }

    /// Resolves `target` written in a note in `from_folder` (its vault folder).
    pub fn resolve(&self, target: &str, from_folder: &str) -> Resolution {
        self.resolve_from(target, &name_key(from_folder))
    }

    /// [`NameTable::resolve`] with the linking note's folder already a key
    /// (`name_key(folder)`): a note's links share it.
    pub fn resolve_from(&self, target: &str, from: &str) -> Resolution {
        let raw = target.trim().trim_start_matches('/');
        let key = name_key(raw);
        if key.is_empty() {
            return Resolution::Missing;
        }
        let note_key = strip_md(&key).to_string();
        let explicit_relative = raw.starts_with("./") || raw.starts_with("../");
        let relative = join_relative(from, &key);
        let exact = || self.lookup_path(&note_key, &key);
        let rel = || {
            relative
                .as_ref()
                .map(|r| self.lookup_path(strip_md(r), r))
                .unwrap_or_default()
        };
        let steps: [(Rule, &dyn Fn() -> Vec<usize>); 4] = if explicit_relative {
            [
                (Rule::Relative, &rel),
                (Rule::Path, &exact),
                (Rule::Suffix, &|| self.suffix(&note_key, &key)),
                (Rule::Alias, &|| self.alias(&key)),
            ]
        } else {
            [
                (Rule::Path, &exact),
                (Rule::Relative, &rel),
                (Rule::Suffix, &|| self.suffix(&note_key, &key)),
                (Rule::Alias, &|| self.alias(&key)),
            ]
        };
        for (rule, step) in steps {
            let found = step();
            if !found.is_empty() {
                return self.choose(found, rule, from);
            }
        }
        Resolution::Missing
    }

    fn lookup_path(&self, note_key: &str, file_key: &str) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .by_path
            .get(note_key)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| matches!(self.entries[i].target, Target::Note(_)))
            .collect();
        if v.is_empty() {
            v = self
                .by_path
                .get(file_key)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| matches!(self.entries[i].target, Target::File(_)))
                .collect();
        }
        v
    }

    fn suffix(&self, note_key: &str, file_key: &str) -> Vec<usize> {
        let pick = |key: &str, want_note: bool| -> Vec<usize> {
            let base = key.rsplit('/').next().unwrap_or(key);
            // `e.key` is `key` or ends with `/key`.
            let matches = |k: &str| {
                k.strip_suffix(key)
                    .is_some_and(|head| head.is_empty() || head.ends_with('/'))
            };
            self.by_basename
                .get(base)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| {
                    let e = &self.entries[i];
                    matches!(e.target, Target::Note(_)) == want_note && matches(&e.key)
                })
                .collect()
        };
        let notes = pick(note_key, true);
        if notes.is_empty() {
            pick(file_key, false)
        } else {
            notes
        }
    }

    fn alias(&self, key: &str) -> Vec<usize> {
        let mut v = self.by_alias.get(key).cloned().unwrap_or_default();
        if v.is_empty() {
            v = self
                .by_alias
                .get(strip_md(key))
                .cloned()
                .unwrap_or_default();
        }
        v.dedup();
        v
    }

    fn choose(&self, mut found: Vec<usize>, rule: Rule, from: &str) -> Resolution {
        found.sort_by(|&a, &b| {
            let (ea, eb) = (&self.entries[a], &self.entries[b]);
            (ea.folder != from, ea.key.len(), &ea.key).cmp(&(
                eb.folder != from,
                eb.key.len(),
                &eb.key,
            ))
        });
        found.dedup_by_key(|i| self.entries[*i].target);
        let target = self.entries[found[0]].target;
        let others = found[1..].iter().map(|&i| self.entries[i].target).collect();
        Resolution::Found {
            target,
            rule,
            others,
        }
    }

    /// The names a note can be linked by (for "did you mean" suggestions): basenames and aliases.
    pub fn note_names(&self) -> impl Iterator<Item = (&str, Target)> + '_ {
        self.by_basename
            .iter()
            .chain(self.by_alias.iter())
            .flat_map(move |(k, v)| v.iter().map(move |&i| (k.as_str(), self.entries[i].target)))
    }
}

/// Levenshtein distance, giving up (returning `max + 1`) past `max`.
pub fn bounded_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    bounded_distance_chars(&a, &b, max)
}

/// [`bounded_distance`] over characters already split.
pub fn bounded_distance_chars(a: &[char], b: &[char], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(max + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> NameTable {
        let notes: Vec<(&str, Vec<String>)> = vec![
            ("index.md", vec![]),
            (
                "Organisations/ISO.md",
                vec![
                    "International Organization for Standardization".into(),
                    "Org".into(),
                ],
            ),
            ("Qualité/Réunion du 3 mai.md", vec![]),
            ("a/sub/note.md", vec![]),
            ("b/note.md", vec![]),
            ("b/c/deep/note.md", vec![]),
            ("Norme/Norme.md", vec!["Org".into()]),
            ("v1.2.md", vec![]),
        ];
        let files = ["images/Pasted image 1.png", "docs/guide.pdf"];
        NameTable::new(notes.iter().map(|(p, a)| (*p, a.as_slice())), files)
    }

    fn found(r: Resolution) -> (Target, Rule, usize) {
        match r {
            Resolution::Found {
                target,
                rule,
                others,
            } => (target, rule, others.len()),
            Resolution::Missing => panic!("missing"),
        }
    }

    #[test]
    fn resolution_table() {
        let t = table();
        use Rule::*;
        use Target::*;
        let cases: Vec<(&str, &str, (Target, Rule, usize))> = vec![
            ("ISO", "", (Note(NoteId(1)), Suffix, 0)),
            ("iso", "x", (Note(NoteId(1)), Suffix, 0)),
            ("ISO.md", "", (Note(NoteId(1)), Suffix, 0)),
            ("Organisations/ISO", "", (Note(NoteId(1)), Path, 0)),
            ("/Organisations/ISO.md", "", (Note(NoteId(1)), Path, 0)),
            (
                "International Organization for Standardization",
                "",
                (Note(NoteId(1)), Alias, 0),
            ),
            ("qualité/réunion du 3 mai", "", (Note(NoteId(2)), Path, 0)),
            ("Re\u{301}union du 3 mai", "", (Note(NoteId(2)), Suffix, 0)),
            ("sub/note", "", (Note(NoteId(3)), Suffix, 0)),
            ("note", "b", (Note(NoteId(4)), Relative, 0)),
            ("note", "a/sub", (Note(NoteId(3)), Relative, 0)),
            ("note", "a", (Note(NoteId(4)), Suffix, 2)),
            ("note", "z", (Note(NoteId(4)), Suffix, 2)),
            ("../note", "b/c", (Note(NoteId(4)), Relative, 0)),
            ("deep/note", "b", (Note(NoteId(5)), Suffix, 0)),
            ("Org", "", (Note(NoteId(6)), Alias, 1)),
            ("v1.2", "", (Note(NoteId(7)), Path, 0)),
            ("Pasted image 1.png", "", (File(FileId(0)), Suffix, 0)),
            ("images/Pasted image 1.png", "", (File(FileId(0)), Path, 0)),
            ("guide.pdf", "", (File(FileId(1)), Suffix, 0)),
        ];
        for (target, from, want) in cases {
            assert_eq!(
                found(t.resolve(target, from)),
                want,
                "[[{target}]] from {from:?}"
            );
        }
        for missing in [
            "Nope",
            "",
            "Pasted image 1",
            "../../etc/passwd",
            "sub/other",
        ] {
            assert_eq!(t.resolve(missing, "a"), Resolution::Missing, "{missing}");
        }
    }

    #[test]
    fn bounded_distance_stops_early() {
        assert_eq!(bounded_distance("zettel", "zettel", 2), 0);
        assert_eq!(bounded_distance("Zettel", "zettel", 2), 1);
        assert_eq!(bounded_distance("abc", "xyzxyz", 2), 3);
    }
}
