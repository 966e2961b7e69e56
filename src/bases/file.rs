//! The `.base` format (Help › Bases syntax): YAML with `filters`,
//! `formulas`, `properties`, `summaries` and `views`, read into a [`Base`]
//! with every expression parsed once. Keys isokb does not use (layout keys
//! such as `columnSize`, `cardSize`, `imageFit`, a plugin's own) are left
//! alone, as Obsidian leaves them.

use super::eval::{Formulas, FUNCTIONS, METHODS};
use super::expr::{self, Expr};
use crate::frontmatter::{self, Value as Yaml};

/// A filter: one statement, or a group.
#[derive(Debug)]
pub enum Filter {
    /// An expression, true or false for a file.
    Expr(Result<Expr, String>),
    /// All true.
    And(Vec<Filter>),
    /// At least one true.
    Or(Vec<Filter>),
    /// None true.
    Not(Vec<Filter>),
}

/// One view of a base.
#[derive(Debug, Default)]
pub struct View {
    /// `table`, `cards`, `list`, `map` or a plugin's type.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its own filters, and-ed with the base's.
    pub filters: Option<Filter>,
    /// The properties shown, in order (`note.x`, `file.x`, `formula.x`).
    pub order: Vec<String>,
    /// Sort keys, with whether each is descending.
    pub sort: Vec<(String, bool)>,
    /// The property rows are grouped by, descending or not.
    pub group_by: Option<(String, bool)>,
    /// At most this many rows.
    pub limit: Option<usize>,
    /// Per property, the summary's name.
    pub summaries: Vec<(String, String)>,
    /// Cards: the property holding the cover image.
    pub image: Option<String>,
    /// Cards: `contain` rather than `cover`.
    pub image_contain: bool,
    /// Cards: width over height of the cover.
    pub image_ratio: Option<f64>,
    /// Lists: `bullets` (default), `numbers` or `none`.
    pub markers: String,
    /// Lists: properties as nested items rather than on one line.
    pub indent: bool,
    /// Lists: what separates properties on one line.
    pub separator: String,
}

/// A base, read.
#[derive(Debug, Default)]
pub struct Base {
    /// Filters of every view.
    pub filters: Option<Filter>,
    /// Formula properties.
    pub formulas: Formulas,
    /// Display names, by property.
    pub names: Vec<(String, String)>,
    /// Custom summaries: name and formula over `values`.
    pub summaries: Vec<(String, Result<Expr, String>)>,
    /// The views, in order (the first is the default).
    pub views: Vec<View>,
}

/// A problem in a base: what, where (a byte offset in its text), and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// Where, in the base's text.
    pub offset: usize,
    /// What to do about it.
    pub help: &'static str,
}

/// A property as views and sorts name it: `note.x`, `file.x` or
/// `formula.x` (a bare name is a note property).
pub fn property_key(name: &str) -> String {
    let n = name.trim();
    if n.starts_with("note.") || n.starts_with("file.") || n.starts_with("formula.") {
        n.to_string()
    } else {
        format!("note.{n}")
    }
}

fn text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::Text(s) | Yaml::Number(s) => Some(s.clone()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn get<'v>(map: &'v [(String, Yaml)], key: &str) -> Option<&'v Yaml> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Reads a base from its text; the problems say what could not be read.
/// An unreadable file gives `None` and one problem.
pub fn read(src: &str) -> (Option<Base>, Vec<Problem>) {
    let mut problems = Vec::new();
    let root = match frontmatter::parse_document(src) {
        Ok(Yaml::Map(m)) => m,
        Ok(Yaml::Null) => Vec::new(),
        Ok(other) => {
            problems.push(Problem {
                message: format!("a base is a set of keys (filters, formulas, properties, summaries, views), not a {}", other.type_name()),
                offset: 0,
                help: "start from `views:` with one `- type: table` entry",
            });
            return (None, problems);
        }
        Err((msg, offset)) => {
            problems.push(Problem {
                message: format!("invalid YAML in the base: {msg}"),
                offset,
                help: "quote expressions that hold `: `, `#`, `[` or `{`, e.g. `- 'status != \"done\"'`",
            });
            return (None, problems);
        }
    };
    let mut r = Reader { src, problems };
    let mut base = Base {
        filters: get(&root, "filters").map(|f| r.filter(f)),
        ..Base::default()
    };
    if let Some(Yaml::Map(fs)) = get(&root, "formulas") {
        for (name, v) in fs {
            let e = r.expr(&text(v).unwrap_or_default());
            base.formulas.list.push((name.clone(), e));
        }
    }
    if let Some(Yaml::Map(ps)) = get(&root, "properties") {
        for (name, v) in ps {
            if let Some(d) = match v {
                Yaml::Map(m) => get(m, "displayName").and_then(text),
                _ => None,
            } {
                base.names.push((property_key(name), d));
            }
        }
    }
    if let Some(Yaml::Map(ss)) = get(&root, "summaries") {
        for (name, v) in ss {
            let e = r.expr(&text(v).unwrap_or_default());
            base.summaries.push((name.clone(), e));
        }
    }
    match get(&root, "views") {
        Some(Yaml::List(vs)) => {
            for v in vs {
                if let Yaml::Map(m) = v {
                    base.views.push(r.view(m));
                }
            }
        }
        Some(_) => r.problem(
            "`views` must be a list of views",
            "views",
            "write each view as `- type: table`",
        ),
        None => {}
    }
    if base.views.is_empty() {
        // Obsidian opens a base without views as one table.
        base.views.push(View {
            kind: "table".into(),
            name: "Table".into(),
            ..View::default()
        });
    }
    (Some(base), r.problems)
}

struct Reader<'s> {
    src: &'s str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    /// Where `needle` is written in the base (0 when it cannot be found).
    fn find(&self, needle: &str) -> usize {
        self.src.find(needle).unwrap_or(0)
    }

    fn problem(&mut self, message: &str, near: &str, help: &'static str) {
        let offset = self.find(near);
        self.problems.push(Problem {
            message: message.into(),
            offset,
            help,
        });
    }

    /// Parses an expression and checks that it calls only what is implemented.
    fn expr(&mut self, s: &str) -> Result<Expr, String> {
        let at = self.find(s);
        match expr::parse(s) {
            Ok(e) => {
                let mut calls = Vec::new();
                expr::calls(&e, &mut calls);
                for (name, method) in calls {
                    let known = if method { METHODS } else { FUNCTIONS };
                    if !known.contains(&name.as_str()) {
                        let what = if method { "method" } else { "function" };
                        let offset = at + s.find(&format!("{name}(")).unwrap_or(0);
                        self.problems.push(Problem {
                            message: format!("the {what} `{name}()` is not one isokb implements; its cells show an error"),
                            offset,
                            help: "use the functions listed in Obsidian Help › Bases › Functions",
                        });
                    }
                }
                Ok(e)
            }
            Err(e) => {
                self.problems.push(Problem {
                    message: format!("cannot read the expression `{s}`: {}", e.message),
                    offset: at + e.offset.min(s.len()),
                    help: "write text in quotes, e.g. `status == \"done\"`; functions are in Obsidian Help › Bases › Functions",
                });
                Err(e.message)
            }
        }
    }

    fn filter(&mut self, v: &Yaml) -> Filter {
        let items = |r: &mut Self, v: &Yaml| -> Vec<Filter> {
            match v {
                Yaml::List(l) => l.iter().map(|i| r.filter(i)).collect(),
                other => vec![r.filter(other)],
            }
        };
        match v {
            Yaml::Map(m) => {
                let mut groups = Vec::new();
                for (k, v) in m {
                    groups.push(match k.as_str() {
                        "and" => Filter::And(items(self, v)),
                        "or" => Filter::Or(items(self, v)),
                        "not" => Filter::Not(items(self, v)),
                        other => {
                            self.problem(
                                &format!("a filter group is `and`, `or` or `not`, not `{other}`"),
                                other,
                                "write `and:` followed by a list of conditions",
                            );
                            Filter::Expr(Err(format!("unknown filter group {other}")))
                        }
                    });
                }
                if groups.len() == 1 {
                    groups.pop().unwrap_or(Filter::And(Vec::new()))
                } else {
                    Filter::And(groups)
                }
            }
            Yaml::Null => Filter::And(Vec::new()),
            other => Filter::Expr(self.expr(&text(other).unwrap_or_default())),
        }
    }

    fn view(&mut self, m: &[(String, Yaml)]) -> View {
        let list = |key: &str| -> Vec<String> {
            match get(m, key) {
                Some(Yaml::List(l)) => l
                    .iter()
                    .filter_map(text)
                    .map(|s| property_key(&s))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let by = |v: &Yaml| -> Option<(String, bool)> {
            let Yaml::Map(s) = v else { return None };
            let p = get(s, "property").and_then(text)?;
            let desc = get(s, "direction")
                .and_then(text)
                .is_some_and(|d| d.eq_ignore_ascii_case("desc"));
            Some((property_key(&p), desc))
        };
        let kind = get(m, "type")
            .and_then(text)
            .unwrap_or_else(|| "table".into());
        View {
            name: get(m, "name")
                .and_then(text)
                .unwrap_or_else(|| title_of(&kind)),
            filters: get(m, "filters").map(|f| self.filter(f)),
            order: list("order"),
            sort: match get(m, "sort") {
                Some(Yaml::List(l)) => l.iter().filter_map(by).collect(),
                _ => Vec::new(),
            },
            group_by: get(m, "groupBy").and_then(by),
            limit: get(m, "limit").and_then(text).and_then(|l| l.parse().ok()),
            summaries: match get(m, "summaries") {
                Some(Yaml::Map(s)) => s
                    .iter()
                    .filter_map(|(k, v)| Some((property_key(k), text(v)?)))
                    .collect(),
                _ => Vec::new(),
            },
            image: get(m, "image").and_then(text).map(|p| property_key(&p)),
            image_contain: get(m, "imageFit")
                .and_then(text)
                .is_some_and(|f| f == "contain"),
            image_ratio: get(m, "imageAspectRatio")
                .and_then(text)
                .and_then(|r| r.parse().ok())
                .filter(|r: &f64| *r > 0.0 && r.is_finite()),
            markers: get(m, "markers")
                .and_then(text)
                .unwrap_or_else(|| "bullets".into()),
            indent: get(m, "indentProperties")
                .and_then(text)
                .is_some_and(|b| b == "true"),
            separator: get(m, "separator")
                .and_then(text)
                .unwrap_or_else(|| ", ".into()),
            kind,
        }
    }
}

fn title_of(kind: &str) -> String {
    let mut c = kind.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The names of a base's views, for links and embeds that name one.
pub fn view_names(src: &str) -> Vec<String> {
    match read(src).0 {
        Some(b) => b.views.into_iter().map(|v| v.name).collect(),
        None => Vec::new(),
    }
}
