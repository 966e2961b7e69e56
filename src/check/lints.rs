//! Site-wide lints: findings that need the whole vault at once.
//!
//! Runs after the index, on a loaded [`Site`], for `isokb check`: orphan
//! notes, empty notes, attachments nobody uses, and properties whose type
//! disagrees with the same property elsewhere. Everything comes from the
//! index and the parsed notes, except property types and positions, for which
//! each note's front matter is read again (the parsed note keeps known
//! properties as plain text). It writes nothing and never fails: a file that
//! cannot be read again is simply skipped (scan already reported it).

use crate::diagnostics::{Diagnostic, Kind, Position};
use crate::frontmatter::{self, Value};
use crate::ids::FileId;
use crate::index::Link;
use crate::paths::VaultPath;
use crate::Site;
use pulldown_cmark::Event;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Adds the site-wide findings to `site` and reassembles its diagnostics.
pub fn apply(site: &mut Site) {
    let found = lint(site);
    site.add_findings(found);
}

/// The site-wide findings, with vault-relative paths.
pub fn lint(site: &Site) -> Vec<Diagnostic> {
    let mut out = orphans(site);
    out.extend(empty_notes(site));
    out.extend(unused_attachments(site));
    out.extend(property_types(site));
    out
}

/// Published notes that no other published note links to or embeds. The
/// home note and folder notes are exempt: the site's navigation links them.
pub fn orphans(site: &Site) -> Vec<Diagnostic> {
    let index = &site.index;
    let folder_notes = folder_notes(site);
    site.notes
        .iter()
        .zip(&index.notes)
        .enumerate()
        .filter(|(i, (_, info))| {
            info.listed
                && Some(*i) != index.home
                && !folder_notes.contains(i)
                && info.backlinks.is_empty()
        })
        .map(|(_, (n, _))| {
            Diagnostic::new(
                Kind::Orphan,
                n.path.as_str(),
                format!(
                    "no published note links to `{}`: readers reach it only through lists, tags and search",
                    n.title
                ),
            )
            .help(format!(
                "link it from a related note with `[[{}]]`, or mark it `draft: true`",
                n.path.stem()
            ))
        })
        .collect()
}

/// Published notes whose page would show nothing but their title.
pub fn empty_notes(site: &Site) -> Vec<Diagnostic> {
    let folder_notes = folder_notes(site);
    site.notes
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            site.index.notes[*i].published
                && Some(*i) != site.index.home
                && !folder_notes.contains(i)
        })
        .filter(|(_, n)| {
            let text = n.text.trim();
            let only_title = text.is_empty() || (n.title_is_h1 && text == n.title.trim());
            only_title
                && n.links.is_empty()
                && n.front.properties.is_empty()
                && !n.events().iter().any(|e| {
                    matches!(
                        e,
                        Event::Html(_)
                            | Event::InlineHtml(_)
                            | Event::InlineMath(_)
                            | Event::DisplayMath(_)
                    )
                })
        })
        .map(|(_, n)| {
            Diagnostic::new(
                Kind::EmptyNote,
                n.path.as_str(),
                format!(
                    "`{}` is empty: its page would show nothing but its title",
                    n.title
                ),
            )
            .help("write the note, or mark it `draft: true` until it is ready")
        })
        .collect()
}

/// The notes that introduce a folder (`F/index.md`, `F.md` beside `F/`).
fn folder_notes(site: &Site) -> HashSet<usize> {
    site.index
        .folders
        .values()
        .filter_map(|f| f.index_note)
        .collect()
}

/// Attachments that no note, published or not, links to or embeds.
pub fn unused_attachments(site: &Site) -> Vec<Diagnostic> {
    let used: HashSet<FileId> = site
        .index
        .notes
        .iter()
        .flat_map(|n| n.links.iter().chain(&n.property_links))
        .filter_map(|l| match l {
            Link::File { id } => Some(*id),
            _ => None,
        })
        .collect();
    let published = if site.config.publish_all_attachments {
        "it is published only because `publish_all_attachments` is on"
    } else {
        "it is not published"
    };
    site.attachments
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(&FileId(*i)))
        .map(|(_, a)| {
            Diagnostic::new(
                Kind::UnusedAttachment,
                a.path.as_str(),
                format!("no note links to or embeds `{}`; {published}", a.path),
            )
            .help(format!(
                "embed it with `![[{}]]`, or delete it",
                a.path.file_name()
            ))
        })
        .collect()
}

/// The type of a property value, as Obsidian's property editor sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PropType {
    /// Any other text.
    Text,
    /// A number.
    Number,
    /// `true` or `false`.
    Checkbox,
    /// `YYYY-MM-DD`, with or without a time.
    Date,
    /// A list.
    List,
    /// A nested mapping.
    Object,
}

impl PropType {
    /// The name shown in findings.
    pub fn name(self) -> &'static str {
        match self {
            PropType::Text => "text",
            PropType::Number => "number",
            PropType::Checkbox => "checkbox",
            PropType::Date => "date",
            PropType::List => "list",
            PropType::Object => "object",
        }
    }

    /// The type of a value; `None` for empty values, which fit any type.
    pub fn of(v: &Value) -> Option<PropType> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => PropType::Checkbox,
            Value::Number(_) => PropType::Number,
            Value::Text(s) if frontmatter::is_date(s) => PropType::Date,
            Value::Text(_) => PropType::Text,
            Value::List(items) if items.iter().all(|i| *i == Value::Null) => return None,
            Value::List(_) => PropType::List,
            Value::Map(_) => PropType::Object,
        })
    }

    /// A type of `.obsidian/types.json` (`multitext`, `datetime` …).
    fn from_obsidian(name: &str) -> Option<PropType> {
        Some(match name {
            "text" => PropType::Text,
            "multitext" | "tags" | "aliases" => PropType::List,
            "number" => PropType::Number,
            "checkbox" => PropType::Checkbox,
            "date" | "datetime" => PropType::Date,
            _ => return None,
        })
    }

    /// Whether a value of type `found` is acceptable where `self` is expected.
    /// A single text where a list is expected is (Obsidian reads it as one item).
    fn accepts(self, found: PropType) -> bool {
        self == found || (self == PropType::List && found == PropType::Text)
    }

    fn help(self) -> &'static str {
        match self {
            PropType::Text => "quote the value to make it text, like `key: \"…\"`",
            PropType::Number => "write a plain number, without quotes or units",
            PropType::Checkbox => "write `true` or `false`",
            PropType::Date => "write the date as `YYYY-MM-DD`, like `2024-01-31`",
            PropType::List => "write it as a list, one `- item` per line",
            PropType::Object => "write it as nested `key: value` lines",
        }
    }
}

/// Property names whose value may be a list or a single string by design.
const LIST_OR_TEXT: &[&str] = &["tags", "tag", "aliases", "alias", "cssclasses", "cssclass"];

/// One property as found in one note.
struct Found {
    note: usize,
    ty: PropType,
    pos: Position,
    shown: String,
}

/// Properties whose type differs from the type `.obsidian/types.json`
/// declares, or else from the type most notes give them.
pub fn property_types(site: &Site) -> Vec<Diagnostic> {
    let declared = declared_types(&site.content);
    let relied = base_types(site);
    let per_note: Vec<Vec<(String, PropType, Position, String)>> = site
        .notes
        .par_iter()
        .map(|n| note_properties(&site.content, &n.path))
        .collect();
    let mut by_key: BTreeMap<String, Vec<Found>> = BTreeMap::new();
    for (note, props) in per_note.into_iter().enumerate() {
        for (key, ty, pos, shown) in props {
            by_key.entry(key).or_default().push(Found {
                note,
                ty,
                pos,
                shown,
            });
        }
    }
    let mut out = Vec::new();
    for (key, found) in &by_key {
        // Dates are checked note by note when parsed (`invalid-date`).
        if LIST_OR_TEXT.contains(&key.as_str()) || frontmatter::DATE_KEYS.contains(&key.as_str()) {
            continue;
        }
        let (expected, why) = match (declared.get(key), relied.get(key)) {
            (Some(&ty), _) => (ty, "`.obsidian/types.json` declares it".to_string()),
            (None, Some((ty, base))) => (*ty, format!("the base `{base}` reads it as one")),
            (None, None) => {
                // A single text where others have lists is a list of one.
                let has_list = found.iter().any(|f| f.ty == PropType::List);
                let family = |t: PropType| {
                    if has_list && t == PropType::Text {
                        PropType::List
                    } else {
                        t
                    }
                };
                let mut counts: Vec<(PropType, usize, usize)> = Vec::new();
                for f in found {
                    match counts.iter_mut().find(|(t, _, _)| *t == family(f.ty)) {
                        Some(c) => c.1 += 1,
                        None => counts.push((family(f.ty), 1, f.note)),
                    }
                }
                if counts.len() < 2 {
                    continue;
                }
                // Most notes win; on a tie, the type met first in path order.
                counts.sort_by_key(|&(_, n, first)| (std::cmp::Reverse(n), first));
                let (ty, n, _) = counts[0];
                let example = found
                    .iter()
                    .find(|f| family(f.ty) == ty)
                    .map(|f| format!(" (like `{}`)", site.notes[f.note].path))
                    .unwrap_or_default();
                let notes = if n == 1 { "note" } else { "notes" };
                (ty, format!("{n} other {notes} make it one{example}"))
            }
        };
        for f in found.iter().filter(|f| !expected.accepts(f.ty)) {
            out.push(
                Diagnostic::new(
                    Kind::PropertyType,
                    site.notes[f.note].path.as_str(),
                    format!(
                        "`{key}` is a {} here (`{}`), but a {}: {why}",
                        f.ty.name(),
                        f.shown,
                        expected.name(),
                    ),
                )
                .at(f.pos)
                .help(expected.help()),
            );
        }
    }
    out
}

/// The type each property has in the bases of the site (see
/// [`crate::bases::types`]), with the first base that relies on it; a
/// property bases read as two types is left out.
fn base_types(site: &Site) -> BTreeMap<String, (PropType, String)> {
    use crate::bases::types::Use;
    let mut out: BTreeMap<String, (PropType, String)> = BTreeMap::new();
    let mut mixed = HashSet::new();
    for n in &site.notes {
        for src in crate::parse::base_sources(n) {
            for (key, u) in crate::bases::types::of_base(&src) {
                let ty = match u {
                    Use::Number => PropType::Number,
                    Use::Date => PropType::Date,
                    Use::Text => PropType::Text,
                    Use::List => PropType::List,
                };
                match out.get(&key) {
                    Some((t, _)) if *t != ty => {
                        mixed.insert(key);
                    }
                    Some(_) => {}
                    None => {
                        out.insert(key, (ty, n.path.as_str().to_string()));
                    }
                }
            }
        }
    }
    out.retain(|k, _| !mixed.contains(k));
    out
}

/// `content/.obsidian/types.json`: `{"types": {"date": "date", …}}`.
fn declared_types(content: &Path) -> BTreeMap<String, PropType> {
    let Ok(text) = std::fs::read_to_string(content.join(".obsidian/types.json")) else {
        return BTreeMap::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return BTreeMap::new();
    };
    json.get("types")
        .and_then(|t| t.as_object())
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), PropType::from_obsidian(v.as_str()?)?)))
                .collect()
        })
        .unwrap_or_default()
}

/// The typed top-level properties of one note, with the position of each value.
fn note_properties(content: &Path, path: &VaultPath) -> Vec<(String, PropType, Position, String)> {
    let file = crate::scan::disk_path(content, path);
    let (Some(src), _) = crate::scan::read_note(path.clone(), &file) else {
        return Vec::new();
    };
    let text = src.text.as_str();
    let Ok(split) = frontmatter::split(text) else {
        return Vec::new();
    };
    let Some(yaml) = split.yaml else {
        return Vec::new();
    };
    let Some(props) = frontmatter::typed_properties(yaml) else {
        return Vec::new();
    };
    props
        .into_iter()
        .filter_map(|(key, value)| {
            let ty = PropType::of(&value)?;
            let at = frontmatter::value_offset(yaml, &key).unwrap_or(0);
            let pos = Position::of_offset(text, split.yaml_offset + at);
            let shown: String = value.texts().join(", ").chars().take(40).collect();
            Some((key, ty, pos, shown))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_types_of_values() {
        assert_eq!(
            PropType::of(&Value::Number("2024".into())),
            Some(PropType::Number)
        );
        assert_eq!(
            PropType::of(&Value::Text("2024-01-31".into())),
            Some(PropType::Date)
        );
        assert_eq!(PropType::of(&Value::List(vec![Value::Null])), None);
        assert!(PropType::List.accepts(PropType::Text));
        assert!(!PropType::Text.accepts(PropType::List));
    }
}
