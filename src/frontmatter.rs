//! Front matter: the YAML block at the top of a note, read leniently.
//!
//! Part of the parse stage, and the only module that knows the YAML engine.
//! It accepts what real vaults hold (BOM, CRLF, empty blocks, `tags` as a list
//! or a string, the deprecated `tag`/`alias`/`cssclass`, null items) and keeps
//! every other key as a typed [`Value`]. Errors carry the YAML parser's own
//! position, mapped to the note's line and column.

use crate::diagnostics::{Diagnostic, Kind, Position};
use serde_yaml::Value as Yaml;

/// A property value, typed as YAML gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `key:` with nothing after it.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as written (`3`, `18.5`).
    Number(String),
    /// Any text (dates stay text: `2024-01-03`).
    Text(String),
    /// A list.
    List(Vec<Value>),
    /// A nested mapping.
    Map(Vec<(String, Value)>),
}

impl Value {
    fn from_yaml(y: Yaml) -> Value {
        match y {
            Yaml::Null => Value::Null,
            Yaml::Bool(b) => Value::Bool(b),
            Yaml::Number(n) => Value::Number(n.to_string()),
            Yaml::String(s) => Value::Text(s),
            Yaml::Sequence(items) => Value::List(items.into_iter().map(Value::from_yaml).collect()),
            Yaml::Mapping(m) => Value::Map(
                m.into_iter()
                    .map(|(k, v)| (key_text(&k), Value::from_yaml(v)))
                    .collect(),
            ),
            Yaml::Tagged(t) => Value::from_yaml(t.value),
        }
    }

    /// The texts in this value: one for a scalar, each item's for a list; nulls skipped.
    pub fn texts(&self) -> Vec<String> {
        match self {
            Value::Null | Value::Map(_) => Vec::new(),
            Value::Bool(b) => vec![b.to_string()],
            Value::Number(n) | Value::Text(n) => vec![n.clone()],
            Value::List(items) => items.iter().flat_map(Value::texts).collect(),
        }
    }

    /// The YAML type name, for diagnostics and templates.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "empty",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::Text(_) => "text",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }
}

fn key_text(k: &Yaml) -> String {
    match k {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        _ => serde_yaml::to_string(k)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// The known properties of a note, and the others in their written order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `tags` and `tag`, as written (leading `#` and all).
    pub tags: Vec<String>,
    /// `aliases` and `alias`.
    pub aliases: Vec<String>,
    /// `cssclasses` and `cssclass`.
    pub cssclasses: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// `date`, as written.
    pub date: Option<String>,
    /// `updated`, as written.
    pub updated: Option<String>,
    /// `draft: true`.
    pub draft: bool,
    /// `publish: false` makes this `Some(false)`.
    pub publish: Option<bool>,
    /// `permalink`: a slug to use instead of the path's.
    pub permalink: Option<String>,
    /// `lang`.
    pub lang: Option<String>,
    /// Every other key, in order.
    pub properties: Vec<(String, Value)>,
}

/// A note's text split into its front matter and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the fences, if there is a block.
    pub yaml: Option<&'a str>,
    /// Byte offset of the YAML text in the note.
    pub yaml_offset: usize,
    /// Byte offset where the body starts.
    pub body_offset: usize,
}

/// Finds the front-matter block. An opening `---` without a closing one is an
/// error, and the whole text is then body.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let none = Split {
        yaml: None,
        yaml_offset: 0,
        body_offset: 0,
    };
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(none);
    }
    let yaml_offset = (first_end + 1).min(text.len());
    let mut pos = yaml_offset;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body_offset = (end + 1).min(text.len());
            return Ok(Split {
                yaml: Some(&text[yaml_offset..pos]),
                yaml_offset,
                body_offset,
            });
        }
        pos = end + 1;
    }
    Err(Diagnostic::new(
        Kind::FrontMatter,
        "",
        "the front matter opened by `---` is never closed",
    )
    .at(Position { line: 1, col: 1 })
    .help("add a line `---` after the last property"))
}

/// Parses the YAML of a front-matter block. `offset` is where it starts in
/// `text`, so errors point into the note.
pub fn parse(text: &str, yaml: &str, offset: usize) -> Result<FrontMatter, Diagnostic> {
    let at = |index: usize| Position::of_offset(text, offset + index);
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let value: Yaml = serde_yaml::from_str(yaml).map_err(|e| {
        let pos = e.location().map_or(at(0), |l| at(l.index()));
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        Diagnostic::new(
            Kind::FrontMatter,
            "",
            format!("invalid YAML in the front matter: {msg}"),
        )
        .at(pos)
        .help("quote values that hold `: `, `#`, `[` or `{`, e.g. `title: \"ISO: the basics\"`")
    })?;
    let map = match value {
        Yaml::Mapping(m) => m,
        Yaml::Null => return Ok(FrontMatter::default()),
        other => {
            let kind = Value::from_yaml(other).type_name();
            return Err(Diagnostic::new(
                Kind::FrontMatter,
                "",
                format!("the front matter must be a set of `key: value` properties, not a {kind}"),
            )
            .at(at(0))
            .help("write one property per line, like `title: My note`"));
        }
    };
    let mut fm = FrontMatter::default();
    for (k, v) in map {
        let key = key_text(&k);
        let v = Value::from_yaml(v);
        match key.as_str() {
            "title" => fm.title = first_text(&v),
            "tags" | "tag" => fm.tags.extend(split_list(&v)),
            "aliases" | "alias" => fm
                .aliases
                .extend(v.texts().into_iter().filter(|s| !s.trim().is_empty())),
            "cssclasses" | "cssclass" => fm.cssclasses.extend(split_list(&v)),
            "description" => fm.description = first_text(&v),
            "date" | "created" if fm.date.is_none() || key == "date" => fm.date = first_text(&v),
            "updated" | "modified" => fm.updated = first_text(&v),
            "draft" => fm.draft = truthy(&v),
            "publish" => fm.publish = Some(truthy(&v)),
            "permalink" => fm.permalink = first_text(&v),
            "lang" => fm.lang = first_text(&v),
            _ => fm.properties.push((key, v)),
        }
    }
    Ok(fm)
}

fn first_text(v: &Value) -> Option<String> {
    v.texts()
        .into_iter()
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Text(s) => matches!(s.trim().to_lowercase().as_str(), "true" | "yes" | "on"),
        _ => false,
    }
}

/// A list as written, or a string split on commas and spaces (`tags: a, b c`).
fn split_list(v: &Value) -> Vec<String> {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    match v {
        Value::List(_) => v.texts().into_iter().flat_map(|s| split(&s)).collect(),
        _ => v.texts().iter().flat_map(|s| split(s)).collect(),
    }
}

/// Every top-level property of a front-matter block with its YAML type, the
/// known ones (`date`, `tags`, `title` …) included, in written order. `None`
/// when the YAML cannot be read or is not a mapping (parse reports that).
/// For checks that compare the types of one property across notes.
pub fn typed_properties(yaml: &str) -> Option<Vec<(String, Value)>> {
    if yaml.trim().is_empty() {
        return Some(Vec::new());
    }
    match serde_yaml::from_str::<Yaml>(yaml).ok()? {
        Yaml::Mapping(m) => Some(
            m.into_iter()
                .map(|(k, v)| (key_text(&k), Value::from_yaml(v)))
                .collect(),
        ),
        Yaml::Null => Some(Vec::new()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<FrontMatter, Diagnostic> {
        let s = split(text)?;
        parse(text, s.yaml.unwrap_or(""), s.yaml_offset)
    }

    #[test]
    fn splits_blocks_in_real_world_forms() {
        let s = split("---\r\ntitle: x\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, Some("title: x\r\n"));
        assert_eq!(&"---\r\ntitle: x\r\n---\r\nbody"[s.body_offset..], "body");
        assert_eq!(split("no block\n---\n").unwrap().yaml, None);
        assert_eq!(split("---\n---\nbody").unwrap().yaml, Some(""));
        let err = split("---\ntitle: x\nbody\n").unwrap_err();
        assert_eq!(err.pos, Some(Position { line: 1, col: 1 }));
    }

    #[test]
    fn tags_aliases_and_classes_in_every_form() {
        let f = fm(
            "---\ntags: MOCs, projet/a b\naliases: ISO\ncssclass: wide\ntag:\n  - '#x'\n  -\n---\n",
        )
        .unwrap();
        assert_eq!(f.tags, ["MOCs", "projet/a", "b", "#x"]);
        assert_eq!(f.aliases, ["ISO"]);
        assert_eq!(f.cssclasses, ["wide"]);
        let f = fm("---\naliases:\n  - \"802.11\"\n  - 42\ntags:\n---\n").unwrap();
        assert_eq!(f.aliases, ["802.11", "42"]);
        assert!(f.tags.is_empty());
    }

    #[test]
    fn other_properties_keep_their_types_and_order() {
        let f = fm("---\npays: Suisse\nmembres: 163\nactif: true\ndate: 2010-10-31\nsource:\n  -\n  - \"[[Genève]]\"\nvide:\ndraft: true\n---\n").unwrap();
        let names: Vec<&str> = f.properties.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["pays", "membres", "actif", "source", "vide"]);
        assert_eq!(f.properties[1].1, Value::Number("163".into()));
        assert_eq!(f.properties[2].1, Value::Bool(true));
        assert_eq!(f.properties[3].1.texts(), ["[[Genève]]"]);
        assert_eq!(f.properties[4].1, Value::Null);
        assert_eq!(f.date.as_deref(), Some("2010-10-31"));
        assert!(f.draft);
    }

    #[test]
    fn yaml_errors_point_into_the_note() {
        let err = fm("---\ntitle: ok\ntags: [a, b\nx: 1\n---\n").unwrap_err();
        assert_eq!(err.kind, Kind::FrontMatter);
        let line = err.pos.unwrap().line;
        assert!((3..=5).contains(&line), "line {line}");
        let err = fm("---\n- a\n- b\n---\n").unwrap_err();
        assert!(err.message.contains("not a list"), "{}", err.message);
        assert_eq!(err.pos.unwrap().line, 2);
        assert!(fm("---\njust text\n---\n")
            .unwrap_err()
            .message
            .contains("text"));
    }
}
