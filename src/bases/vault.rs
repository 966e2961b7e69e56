//! The site as bases read it: which files are rows, and each file's note
//! properties, file properties, tags and links, as Bases values.

use super::value::{equal, parse_date, Link, Row, Value};
use crate::frontmatter::Value as Yaml;
use crate::index::{Index, Link as Resolved};
use crate::parse::Note;
use crate::resolve::Target;

/// The site as bases read it: every note and attachment, resolved.
#[derive(Clone, Copy)]
pub struct Vault<'a> {
    /// Parsed notes (Markdown notes and `.base` files).
    pub notes: &'a [Note],
    /// The index.
    pub index: &'a Index,
    /// The attachments, parallel to `index.files` (their size and times are
    /// read from the disk when a base asks for them).
    pub files: &'a [crate::scan::Attachment],
    /// Month names for `format`.
    pub months: &'a [&'a str],
}

impl<'a> Vault<'a> {
    /// Every file a base can list: the published notes, then the attachments.
    pub fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        let notes = (0..self.notes.len())
            .filter(|&i| self.index.notes[i].listed)
            .map(Row::Note);
        notes.chain((0..self.index.files.len()).map(Row::File))
    }

    /// The vault path of a file.
    pub fn path(&self, r: Row) -> &'a str {
        match r {
            Row::Note(i) => self.notes[i].path.as_str(),
            Row::File(i) => self.index.files[i].path.as_str(),
        }
    }

    /// The file a name leads to from `folder`, as a wikilink there would.
    pub fn resolve(&self, name: &str, folder: &str) -> Option<Row> {
        let name = name.split(['#', '|']).next().unwrap_or(name);
        match self.index.target_named(name, folder)? {
            Target::Note(id) => Some(Row::Note(id.0)),
            Target::File(id) => Some(Row::File(id.0)),
        }
    }

    pub(super) fn link_to(&self, r: Row) -> Value {
        let path = self.path(r);
        Value::Link(Box::new(Link {
            target: crate::paths::strip_md(path).to_string(),
            display: None,
            to: Some(r),
        }))
    }

    /// A property value as a base sees it: wikilinks are links, ISO dates
    /// dates, numbers numbers.
    pub fn convert(&self, v: &Yaml, folder: &str) -> Value {
        match v {
            Yaml::Null => Value::Null,
            Yaml::Bool(b) => Value::Bool(*b),
            Yaml::Number(n) => n.parse().map_or_else(|_| Value::Str(n.clone()), Value::Num),
            Yaml::Text(s) => self.text_value(s, folder),
            Yaml::List(items) => {
                Value::List(items.iter().map(|i| self.convert(i, folder)).collect())
            }
            Yaml::Map(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), self.convert(v, folder)))
                    .collect(),
            ),
        }
    }

    fn text_value(&self, s: &str, folder: &str) -> Value {
        let t = s.trim();
        if let Some((raw, label)) = crate::markdown::sole_link(t) {
            return Value::Link(Box::new(Link {
                to: self.resolve(&raw.target, folder),
                target: raw.target,
                display: label.map(Value::Str),
            }));
        }
        if t.len() >= 10 && t.as_bytes()[4] == b'-' {
            if let Some((d, time)) = parse_date(t) {
                return Value::Date(d, time);
            }
        }
        Value::Str(s.to_string())
    }

    /// Note property `name` of a file (`Null` for attachments and missing ones).
    pub fn property(&self, r: Row, name: &str) -> Value {
        let Row::Note(i) = r else {
            return Value::Null;
        };
        let n = &self.notes[i];
        let f = &n.front;
        let texts = |v: &[String]| Value::List(v.iter().map(|t| Value::Str(t.clone())).collect());
        let one = |v: &Option<String>| match v {
            Some(s) => self.text_value(s, n.path.folder()),
            None => Value::Null,
        };
        match name {
            "tags" | "tag" => texts(&f.tags),
            "aliases" | "alias" => texts(&f.aliases),
            "cssclasses" | "cssclass" => texts(&f.cssclasses),
            "title" => one(&f.title),
            "description" => one(&f.description),
            "date" | "created" => one(&f.date),
            "updated" | "modified" => one(&f.updated),
            "permalink" => one(&f.permalink),
            "lang" => one(&f.lang),
            "draft" => Value::Bool(f.draft),
            "publish" => f.publish.map_or(Value::Null, Value::Bool),
            _ => f
                .properties
                .iter()
                .find(|(k, _)| k == name)
                .or_else(|| {
                    f.properties
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                })
                .map_or(Value::Null, |(_, v)| self.convert(v, n.path.folder())),
        }
    }

    pub(super) fn properties(&self, r: Row) -> Value {
        let Row::Note(i) = r else {
            return Value::Object(Vec::new());
        };
        let f = &self.notes[i].front;
        let mut names: Vec<&str> = Vec::new();
        for (k, present) in [
            ("title", f.title.is_some()),
            ("tags", !f.tags.is_empty()),
            ("aliases", !f.aliases.is_empty()),
            ("cssclasses", !f.cssclasses.is_empty()),
            ("description", f.description.is_some()),
            ("date", f.date.is_some()),
            ("updated", f.updated.is_some()),
        ] {
            if present {
                names.push(k);
            }
        }
        names.extend(f.properties.iter().map(|(k, _)| k.as_str()));
        Value::Object(
            names
                .into_iter()
                .map(|k| (k.to_string(), self.property(r, k)))
                .collect(),
        )
    }

    pub(super) fn has_property(&self, r: Row, name: &str) -> bool {
        !matches!(self.property(r, name), Value::Null)
            || matches!(r, Row::Note(i) if self.notes[i].front.properties.iter().any(|(k, _)| k == name))
    }

    /// The tags of a file, `#` first, front matter then body, each once.
    pub(super) fn tags(&self, r: Row) -> Vec<String> {
        let Row::Note(i) = r else {
            return Vec::new();
        };
        self.index.notes[i]
            .tags
            .iter()
            .map(|k| {
                let name = self
                    .index
                    .tags
                    .get(k)
                    .map_or(k.as_str(), |t| t.name.as_str());
                format!("#{name}")
            })
            .collect()
    }

    pub(super) fn has_tag(&self, r: Row, wanted: &str) -> bool {
        let w = crate::paths::name_key(wanted.trim_start_matches('#'));
        let Row::Note(i) = r else {
            return false;
        };
        self.index.notes[i]
            .tags
            .iter()
            .any(|k| *k == w || (k.starts_with(&w) && k.as_bytes().get(w.len()) == Some(&b'/')))
    }

    /// Links of a note (`embeds` only, or every body and property link), each once.
    pub(super) fn links(&self, r: Row, embeds: bool) -> Vec<Value> {
        let Row::Note(i) = r else {
            return Vec::new();
        };
        let (n, info) = (&self.notes[i], &self.index.notes[i]);
        let body = n.links.iter().zip(&info.links);
        let props = n.property_links.iter().zip(&info.property_links);
        let mut out: Vec<Value> = Vec::new();
        let all: Vec<_> = if embeds {
            body.filter(|(r, _)| r.raw.embed).collect()
        } else {
            body.chain(props).collect()
        };
        for (raw, l) in all {
            let v = match l {
                Resolved::Note { id, .. } => self.link_to(Row::Note(id.0)),
                Resolved::File { id } => self.link_to(Row::File(id.0)),
                _ => Value::Link(Box::new(Link {
                    target: raw.raw.target.clone(),
                    display: None,
                    to: None,
                })),
            };
            if !out.iter().any(|o| equal(o, &v)) {
                out.push(v);
            }
        }
        out
    }

    pub(super) fn links_to(&self, from: Row, to: Row) -> bool {
        let Row::Note(i) = from else {
            return false;
        };
        let info = &self.index.notes[i];
        info.links
            .iter()
            .chain(&info.property_links)
            .any(|l| match (l, to) {
                (Resolved::Note { id, .. }, Row::Note(t)) => id.0 == t,
                (Resolved::File { id }, Row::File(t)) => id.0 == t,
                _ => false,
            })
    }

    /// A file property (`name`, `path`, `mtime`…); `None` for an unknown name.
    pub fn file_field(&self, r: Row, name: &str) -> Option<Value> {
        let path = self.path(r);
        let file_name = path.rsplit('/').next().unwrap_or(path);
        let ext_at = file_name.rfind('.').filter(|&i| i > 0);
        let str = |s: &str| Value::Str(s.to_string());
        let note = match r {
            Row::Note(i) => Some(&self.notes[i]),
            Row::File(_) => None,
        };
        let time = |secs: i64| {
            chrono::DateTime::from_timestamp(secs, 0)
                .map_or(Value::Null, |d| Value::Date(d.naive_utc(), true))
        };
        // An attachment's size and times, from the disk.
        let meta = || match r {
            Row::File(i) => self
                .files
                .get(i)
                .and_then(|a| std::fs::metadata(&a.source).ok()),
            Row::Note(_) => None,
        };
        let secs = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(Value::Null, |d| time(d.as_secs() as i64))
        };
        Some(match name {
            "name" => str(file_name),
            "basename" => str(ext_at.map_or(file_name, |i| &file_name[..i])),
            "path" => str(path),
            "folder" => str(match path.rfind('/') {
                Some(i) => &path[..i],
                None => "/",
            }),
            "ext" => str(ext_at.map_or("", |i| &file_name[i + 1..])),
            "size" => match note {
                Some(n) => Value::Num(n.size as f64),
                None => meta().map_or(Value::Null, |m| Value::Num(m.len() as f64)),
            },
            "mtime" => match note {
                Some(n) => time(n.history.as_ref().map_or(n.modified, |h| h.updated.secs)),
                None => meta().map_or(Value::Null, |m| secs(m.modified())),
            },
            "ctime" => match note {
                Some(n) => match n.front.date.as_deref().and_then(parse_date) {
                    Some((d, t)) => Value::Date(d, t),
                    None => time(n.history.as_ref().map_or(n.modified, |h| h.created.secs)),
                },
                // The file's birth time where the system keeps one.
                None => meta().map_or(Value::Null, |m| match m.created() {
                    Ok(t) => secs(Ok(t)),
                    Err(_) => secs(m.modified()),
                }),
            },
            "tags" => Value::List(self.tags(r).into_iter().map(Value::Str).collect()),
            "links" => Value::List(self.links(r, false)),
            "embeds" => Value::List(self.links(r, true)),
            "backlinks" => match r {
                Row::Note(i) => Value::List(
                    self.index.notes[i]
                        .backlinks
                        .iter()
                        .map(|&b| self.link_to(Row::Note(b)))
                        .collect(),
                ),
                Row::File(_) => Value::List(Vec::new()),
            },
            "properties" => self.properties(r),
            "file" => Value::File(r),
            _ => return None,
        })
    }
}
