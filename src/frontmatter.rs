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
    /// `unlisted: true` (or `publish: unlisted`): published, reachable by
    /// its address, listed nowhere.
    pub unlisted: bool,
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
            "publish"
                if first_text(&v).is_some_and(|t| t.trim().eq_ignore_ascii_case("unlisted")) =>
            {
                fm.unlisted = true;
            }
            "publish" => fm.publish = Some(truthy(&v)),
            "unlisted" => fm.unlisted = truthy(&v),
            "permalink" => fm.permalink = first_text(&v),
            "lang" => fm.lang = first_text(&v),
            _ => fm.properties.push((key, v)),
        }
    }
    Ok(fm)
}

/// Reads a whole YAML document (a `.base` file, a ` ```base ` block) as a
/// value, keys in written order; an error is its message and byte offset.
pub fn parse_document(yaml: &str) -> Result<Value, (String, usize)> {
    let value: Yaml = serde_yaml::from_str(yaml).map_err(|e| {
        let at = e.location().map_or(0, |l| l.index());
        let msg = e.to_string();
        (
            msg.split(" at line ").next().unwrap_or(&msg).to_string(),
            at,
        )
    })?;
    Ok(Value::from_yaml(value))
}

/// The keys read as a note's date (`date`, else `created`) and as its last
/// update (`updated` or `modified`).
pub const DATE_KEYS: [&str; 4] = ["date", "created", "updated", "modified"];

/// `YYYY-MM-DD`, optionally followed by a time (`T10:30`, ` 10:30:00Z` …).
pub fn is_date(s: &str) -> bool {
    let s = s.trim();
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let date = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    date && (b.len() == 10
        || (matches!(b[10], b'T' | b' ')
            && b.len() >= 16
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)))
}

/// A date of the calendar written `YYYY-MM-DD` (then maybe a time): not
/// `2024-02-30`, `2024-13-01`, `31/01/2024` or `2024`.
pub fn is_calendar_date(s: &str) -> bool {
    let s = s.trim();
    is_date(s) && chrono::NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").is_ok()
}

/// Drops a `date` or `updated` that is not a calendar date (pages, feeds and
/// the sitemap then use the file's time) and reports where it is written.
/// `text` is the note, `yaml` its front matter starting at `offset`.
pub fn check_dates(fm: &mut FrontMatter, text: &str, yaml: &str, offset: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (value, keys) in [
        (&mut fm.date, ["date", "created"]),
        (&mut fm.updated, ["updated", "modified"]),
    ] {
        let Some(bad) = value.take_if(|d| !is_calendar_date(d)) else {
            continue;
        };
        // The key it came from: the first of the two whose value holds it,
        // else the first written (a list, a block scalar).
        let holding = |k: &str| {
            value_offset(yaml, k).filter(|&at| {
                yaml[at..]
                    .trim_start_matches(['"', '\'', '[', ' '])
                    .starts_with(bad.as_str())
            })
        };
        let (key, at) = keys
            .iter()
            .find_map(|&k| Some((k, holding(k)?)))
            .or_else(|| keys.iter().find_map(|&k| Some((k, value_offset(yaml, k)?))))
            .unwrap_or((keys[0], 0));
        out.push(
            Diagnostic::new(
                Kind::InvalidDate,
                "",
                format!("`{key}: {bad}` is not a date: the page, the feed and the sitemap use the file's time instead"),
            )
            .at(Position::of_offset(text, offset + at))
            .help("write the date as `YYYY-MM-DD`, like `2024-01-31` (a time may follow: `2024-01-31T10:30`)"),
        );
    }
    out
}

/// Byte offset in `yaml` of the value of the top-level `key` (or of the key
/// when its value starts on the next line).
pub fn value_offset(yaml: &str, key: &str) -> Option<usize> {
    let mut start = 0;
    for line in yaml.split_inclusive('\n') {
        let here = start;
        start += line.len();
        let rest = ["\"", "'", ""]
            .iter()
            .find_map(|q| line.strip_prefix(&format!("{q}{key}{q}")));
        let Some(rest) = rest else { continue };
        let after = rest.trim_start_matches([' ', '\t']);
        let Some(value) = after.strip_prefix(':') else {
            continue;
        };
        let value_start = value.len() - value.trim_start_matches([' ', '\t']).len();
        let value_text = value.trim();
        if value_text.is_empty() {
            return Some(here);
        }
        return Some(here + (line.len() - value.len()) + value_start);
    }
    None
}

/// Byte offsets in `yaml` of each of `items`, the values of the first of
/// `keys` written (`tags: [a, b]`, a block list, `tags: a, b`): each item is
/// looked for after the one before it, within the key's lines; an item not
/// found there (written another way) gets the key's offset.
pub fn item_offsets(yaml: &str, keys: &[&str], items: &[String]) -> Vec<usize> {
    let Some((key_at, value_at)) = keys.iter().find_map(|k| {
        let v = value_offset(yaml, k)?;
        let line = yaml[..v].rfind('\n').map_or(0, |i| i + 1);
        Some((line, v))
    }) else {
        return vec![0; items.len()];
    };
    // The key's lines end where the next top-level key starts.
    let first_end = yaml[key_at..]
        .find('\n')
        .map_or(yaml.len(), |i| key_at + i + 1);
    let mut end = first_end;
    for line in yaml[first_end..].split_inclusive('\n') {
        if line.starts_with(|c: char| !c.is_whitespace() && c != '-') {
            break;
        }
        end += line.len();
    }
    let mut cursor = value_at;
    items
        .iter()
        .map(|item| match yaml[cursor..end].find(item.as_str()) {
            Some(i) if !item.is_empty() => {
                cursor += i + item.len();
                cursor - item.len()
            }
            _ => key_at,
        })
        .collect()
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

    #[test]
    fn dates_are_calendar_dates() {
        for d in ["2024-01-31", "2024-01-31T10:30", "2024-01-31 10:30:00Z"] {
            assert!(is_date(d), "{d}");
            assert!(is_calendar_date(d), "{d}");
        }
        for d in [
            "2024",
            "31/01/2024",
            "2024-1-31",
            "2024-01-31x",
            "2024-01-31T1",
        ] {
            assert!(!is_date(d), "{d}");
            assert!(!is_calendar_date(d), "{d}");
        }
        // Shaped like dates, not on the calendar.
        for d in ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10"] {
            assert!(is_date(d), "{d}");
            assert!(!is_calendar_date(d), "{d}");
        }
        assert!(is_calendar_date("2024-02-29"));
    }

    #[test]
    fn invalid_dates_are_dropped_and_reported_where_written() {
        let text = "---\ntitle: Été\ncreated: 2024-01-02\ndate: \"2024-02-30\"\nmodified: 31/01/2024\n---\nTexte\n";
        let parts = split(text).unwrap();
        let yaml = parts.yaml.unwrap();
        let mut fm = parse(text, yaml, parts.yaml_offset).unwrap();
        assert_eq!(fm.date.as_deref(), Some("2024-02-30"));
        let found = check_dates(&mut fm, text, yaml, parts.yaml_offset);
        assert_eq!(fm.date, None);
        assert_eq!(fm.updated, None);
        let shown: Vec<(String, usize, usize)> = found
            .iter()
            .map(|d| {
                let p = d.pos.unwrap();
                (d.message.clone(), p.line, p.col)
            })
            .collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].0.starts_with("`date: 2024-02-30` is not a date"),
            "{shown:?}"
        );
        assert_eq!((shown[0].1, shown[0].2), (4, 7));
        assert!(
            shown[1].0.starts_with("`modified: 31/01/2024`"),
            "{shown:?}"
        );
        assert_eq!((shown[1].1, shown[1].2), (5, 11));
        assert!(found.iter().all(|d| d.kind == Kind::InvalidDate));
        // Good dates stay.
        let text = "---\ndate: 2024-02-29\nupdated: 2024-03-01T10:30\n---\n";
        let parts = split(text).unwrap();
        let yaml = parts.yaml.unwrap();
        let mut fm = parse(text, yaml, parts.yaml_offset).unwrap();
        assert!(check_dates(&mut fm, text, yaml, parts.yaml_offset).is_empty());
        assert_eq!(fm.date.as_deref(), Some("2024-02-29"));
        assert_eq!(fm.updated.as_deref(), Some("2024-03-01T10:30"));
    }

    #[test]
    fn value_offsets_point_at_values() {
        let yaml = "title: x\ndate:   2024\n\"pays\": Suisse\nsource:\n  - a\n";
        assert_eq!(&yaml[value_offset(yaml, "date").unwrap()..][..4], "2024");
        assert_eq!(&yaml[value_offset(yaml, "pays").unwrap()..][..6], "Suisse");
        assert_eq!(
            &yaml[value_offset(yaml, "source").unwrap()..][..6],
            "source"
        );
        assert_eq!(value_offset(yaml, "dat"), None);
        assert_eq!(value_offset(yaml, "a"), None);
    }

    #[test]
    fn items_are_found_on_their_own_lines() {
        let yaml =
            "title: x\ntags:\n  - norme\n  - \"1984\"\naliases: [Un, Deux, Un]\nautre: 1984\n";
        let tags = item_offsets(yaml, &["tags", "tag"], &["norme".into(), "1984".into()]);
        assert_eq!(&yaml[tags[0]..][..5], "norme");
        assert_eq!(&yaml[tags[1]..][..4], "1984");
        assert!(tags[1] < yaml.find("autre").unwrap());
        let aliases = item_offsets(
            yaml,
            &["aliases", "alias"],
            &["Un".into(), "Deux".into(), "Un".into(), "Trois".into()],
        );
        let line = yaml.find("aliases").unwrap();
        assert_eq!(
            aliases,
            [line + 10, line + 14, line + 20, line],
            "repeated items move on; one not written at the key falls back to it"
        );
        assert_eq!(item_offsets(yaml, &["none"], &["a".into()]), [0]);
    }
}
