//! A view as HTML: a table, cards or a list, static (it reads without
//! JavaScript and from `file://`); the theme's script adds sorting by a
//! header and a filter box to tables.

use super::eval::Env;
use super::file::View;
use super::value::{num_text, Row, Value};
use super::view::{Group, Line, Shown};
use crate::html::{escape, escape_into};
use crate::i18n::Language;
use chrono::{Datelike, Timelike};
use rayon::prelude::*;
use std::fmt::Write;

/// How a view reaches the rest of the site.
pub struct Out<'a> {
    /// The relative URL of a file's page (a note) or of the file itself (an
    /// attachment), from the page being written.
    pub href: &'a (dyn Fn(Row) -> String + Sync),
    /// The site's language (dates, numbers, words).
    pub lang: Language,
    /// The evaluation environment (names of files, links).
    pub env: &'a Env<'a>,
    /// Whether `html()` values are cleaned as the author's HTML is.
    pub clean: bool,
}

impl Out<'_> {
    /// The file's own link: its name without extension, as Obsidian shows it.
    fn file_link(&self, r: Row) -> String {
        let mut out = String::new();
        self.file_link_into(&mut out, r);
        out
    }

    fn file_link_into(&self, out: &mut String, r: Row) {
        let path = self.env.vault.path(r);
        let name = path.rsplit('/').next().unwrap_or(path);
        let shown = match r {
            Row::Note(_) => name.rsplit_once('.').map_or(name, |(s, _)| s),
            Row::File(_) => name,
        };
        out.push_str("<a class=\"internal\" href=\"");
        escape_into(out, &(self.href)(r));
        out.push_str("\">");
        escape_into(out, shown);
        out.push_str("</a>");
    }

    /// A value in a cell, written at the end of `out`: the frequent kinds
    /// straight, the others through [`Out::value`].
    fn value_into(&self, out: &mut String, v: &Value) {
        match v {
            Value::Null => {}
            Value::Str(s) => escape_into(out, s),
            Value::Num(n) if n.fract() == 0.0 && n.abs() < 10_000.0 => {
                // Up to four digits, a number reads the same in every language.
                let _ = write!(out, "{}", *n as i64);
            }
            Value::File(r) => self.file_link_into(out, *r),
            other => out.push_str(&self.value(other)),
        }
    }

    /// A value in a cell.
    pub fn value(&self, v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::Bool(b) => format!(
                "<input type=\"checkbox\" disabled{} aria-label=\"{b}\">",
                if *b { " checked" } else { "" }
            ),
            Value::Num(n) => escape(&self.lang.number(&num_text(*n))),
            Value::Date(d, time) => {
                let t = time.then(|| format!("{:02}:{:02}", d.hour(), d.minute()));
                let shown = self
                    .lang
                    .date(d.day(), d.month0() as usize, d.year(), t.as_deref());
                let iso = v.text();
                format!(
                    "<time datetime=\"{}\">{}</time>",
                    escape(&iso),
                    escape(&shown)
                )
            }
            Value::List(items) => items
                .iter()
                .map(|i| self.value(i))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            Value::Link(l) => {
                let text = match &l.display {
                    Some(d) => self.value(d),
                    None => escape(l.target.rsplit('/').next().unwrap_or(&l.target)),
                };
                match l.to {
                    Some(r) => format!(
                        "<a class=\"internal\" href=\"{}\">{text}</a>",
                        escape(&(self.href)(r))
                    ),
                    None if is_web(&l.target) => format!(
                        "<a class=\"external\" href=\"{}\" rel=\"noopener\">{text}</a>",
                        escape(&l.target)
                    ),
                    None => format!("<span class=\"unresolved\">{text}</span>"),
                }
            }
            Value::File(r) => self.file_link(*r),
            Value::Image(src) => match self.image_src(src) {
                Some(url) => format!("<img src=\"{}\" alt=\"\" loading=\"lazy\">", escape(&url)),
                None => String::new(),
            },
            Value::Icon(name) => format!(
                "<span class=\"base-icon\" data-icon=\"{0}\">{0}</span>",
                escape(name)
            ),
            Value::Html(h) if self.clean => crate::sanitize::clean(h, &[]),
            Value::Html(h) => h.clone(),
            Value::Error(e) => format!(
                "<span class=\"base-error\">{}</span>",
                escape(&format!("Error: {e}"))
            ),
            other => escape(&other.text()),
        }
    }

    /// Where an image is: a web address, or a file of the vault.
    fn image_src(&self, src: &str) -> Option<String> {
        let s = crate::markdown::sole_link(src)
            .map_or_else(|| src.trim().to_string(), |(r, _)| r.target);
        if is_web(&s) {
            return Some(s);
        }
        self.env
            .vault
            .resolve(&s, self.env.folder)
            .map(|r| (self.href)(r))
    }
}

fn is_web(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// The anchor that names a view (`#view-reading-list`): its id on the
/// base's page, where it is the first base drawn.
pub fn view_id(name: &str) -> String {
    format!("view-{}", crate::paths::slugify(name))
}

/// One view, drawn.
pub fn view(out: &Out, v: &View, shown: &Shown, caption: bool, dom_id: &str) -> String {
    let count = match shown.count {
        1 => format!("1 {}", out.lang.word("result")),
        n => format!(
            "{} {}",
            out.lang.number(&n.to_string()),
            out.lang.word("results")
        ),
    };
    let body = match v.kind.as_str() {
        "cards" => cards(out, v, shown),
        "list" | "map" => list(out, v, shown),
        _ => table(out, v, shown),
    };
    let head = if caption {
        format!(
            "<div class=\"base-head\"><span class=\"base-view-name\">{}</span> <span class=\"base-count\">{count}</span></div>",
            escape(&v.name)
        )
    } else {
        format!("<div class=\"base-head\"><span class=\"base-count\">{count}</span></div>")
    };
    let id = match dom_id {
        "" => String::new(),
        id => format!(" id=\"{}\"", escape(id)),
    };
    format!(
        "<div class=\"base-view\"{id} data-view=\"{}\">{head}{body}</div>",
        escape(&v.kind)
    )
}

fn summary_cells(
    out: &Out,
    v: &View,
    shown: &Shown,
    sums: &[Option<Value>],
    class: &str,
) -> String {
    if sums.iter().all(Option::is_none) {
        return String::new();
    }
    let cells: String = shown
        .columns
        .iter()
        .zip(sums)
        .map(|(c, s)| match s {
            Some(val) => {
                let name = v
                    .summaries
                    .iter()
                    .find(|(k, _)| *k == c.key)
                    .map_or("", |(_, n)| n.as_str());
                format!(
                    "<td><span class=\"base-summary-name\">{}</span> {}</td>",
                    escape(&summary_label(out, name)),
                    out.value(val)
                )
            }
            None => "<td></td>".to_string(),
        })
        .collect();
    format!("<tr class=\"{class}\">{cells}</tr>")
}

fn cell(out: &Out, key: &str, line: &Line, v: &Value) -> String {
    let mut h = String::new();
    cell_into(out, &mut h, key, line, v);
    h
}

fn cell_into(out: &Out, h: &mut String, key: &str, line: &Line, v: &Value) {
    if key == "file.name" {
        out.file_link_into(h, line.row)
    } else {
        out.value_into(h, v)
    }
}

/// A group's heading above its cards or list items (none when the view is not grouped).
fn group_heading(out: &Out, g: &Group) -> String {
    match g.value {
        Some(_) => format!("<p class=\"base-group\">{}</p>", group_label(out, g)),
        None => String::new(),
    }
}

fn group_label(out: &Out, g: &Group) -> String {
    match &g.value {
        Some(v) if !v.is_empty() => out.value(v),
        _ => escape(out.lang.word("base_empty_group")),
    }
}

/// A summary's name as the site's language writes it (`Moyenne`), else as written.
fn summary_label(out: &Out, name: &str) -> String {
    match out
        .lang
        .word(&format!("base_summary_{}", name.to_lowercase()))
    {
        "" => name.to_string(),
        w => w.to_string(),
    }
}

fn row_into(out: &Out, h: &mut String, shown: &Shown, line: &Line) {
    h.push_str("<tr>");
    for (c, v) in shown.columns.iter().zip(&line.values) {
        // What a click on the header sorts by, where the text would mislead.
        h.push_str("<td");
        match v {
            Value::Num(n) => {
                let _ = write!(h, " data-sort=\"{}\"", num_text(*n));
            }
            Value::Date(d, _) => {
                let _ = write!(h, " data-sort=\"{}\"", d.and_utc().timestamp_millis());
            }
            _ => {}
        }
        h.push('>');
        cell_into(out, h, &c.key, line, v);
        h.push_str("</td>");
    }
    h.push_str("</tr>");
}

fn table(out: &Out, v: &View, shown: &Shown) -> String {
    let mut h = String::from("<table class=\"base-table\"><thead><tr>");
    for c in &shown.columns {
        h.push_str(&format!("<th scope=\"col\">{}</th>", escape(&c.label)));
    }
    h.push_str("</tr></thead>");
    let n = shown.columns.len();
    for g in &shown.groups {
        h.push_str("<tbody>");
        if g.value.is_some() {
            h.push_str(&format!(
                "<tr class=\"base-group\"><th colspan=\"{n}\" scope=\"rowgroup\">{} <span class=\"base-count\">{}</span></th></tr>",
                group_label(out, g),
                g.lines.len()
            ));
            h.push_str(&summary_cells(out, v, shown, &g.summaries, "base-summary"));
        }
        // Rows in parallel, a chunk at a time, in order.
        let chunks: Vec<String> = g
            .lines
            .par_chunks(256)
            .map(|chunk| {
                let mut h = String::new();
                for line in chunk {
                    row_into(out, &mut h, shown, line);
                }
                h
            })
            .collect();
        chunks.iter().for_each(|c| h.push_str(c));
        h.push_str("</tbody>");
    }
    let foot = summary_cells(out, v, shown, &shown.summaries, "base-summary");
    if !foot.is_empty() {
        h.push_str(&format!("<tfoot>{foot}</tfoot>"));
    }
    h.push_str("</table>");
    h
}

fn cover(out: &Out, v: &View, image: &Value) -> String {
    let image = match image {
        Value::List(l) => l.first().unwrap_or(&Value::Null),
        other => other,
    };
    let ratio = v
        .image_ratio
        .map(|r| format!(" style=\"aspect-ratio: {}\"", num_text(1.0 / r)))
        .unwrap_or_default();

    // An attachment itself (`image: file.file` lists images as cards), or a
    // link to one.
    let is_image = |r: &Row| {
        let path = out.env.vault.path(*r).to_ascii_lowercase();
        matches!(r, Row::File(_))
            && [
                ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".bmp",
            ]
            .iter()
            .any(|e| path.ends_with(e))
    };
    let file = match image {
        Value::File(r) => Some(*r).filter(is_image),
        Value::Link(l) => l.to.filter(is_image),
        _ => None,
    };
    if let Some(r) = file {
        return format!(
            "<div class=\"base-cover{}\"{ratio}><img src=\"{}\" alt=\"\" loading=\"lazy\"></div>",
            if v.image_contain { " contain" } else { "" },
            escape(&(out.href)(r))
        );
    }
    let text = match image {
        Value::Link(l) => l.target.clone(),
        Value::Null => return String::new(),
        other => other.text(),
    };
    let t = text.trim();
    let is_hex = t.len() > 1
        && t.len() <= 9
        && t.starts_with('#')
        && t[1..].chars().all(|c| c.is_ascii_hexdigit());
    if is_hex {
        return format!("<div class=\"base-cover\" style=\"background: {t}\"></div>");
    }
    match out.image_src(t) {
        Some(url) => format!(
            "<div class=\"base-cover{}\"{ratio}><img src=\"{}\" alt=\"\" loading=\"lazy\"></div>",
            if v.image_contain { " contain" } else { "" },
            escape(&url)
        ),
        None => String::new(),
    }
}

fn cards(out: &Out, v: &View, shown: &Shown) -> String {
    let mut h = String::new();
    for g in &shown.groups {
        h.push_str(&group_heading(out, g));
        h.push_str("<ul class=\"base-cards\">");
        for line in &g.lines {
            h.push_str("<li class=\"base-card\">");
            h.push_str(&cover(out, v, &line.image));
            h.push_str(&format!(
                "<p class=\"base-card-title\">{}</p>",
                out.file_link(line.row)
            ));
            let props: String = shown
                .columns
                .iter()
                .zip(&line.values)
                .filter(|(c, v)| c.key != "file.name" && !v.is_empty())
                .map(|(c, v)| format!("<dt>{}</dt><dd>{}</dd>", escape(&c.label), out.value(v)))
                .collect();
            if !props.is_empty() {
                h.push_str(&format!("<dl>{props}</dl>"));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
    }
    h
}

fn list(out: &Out, v: &View, shown: &Shown) -> String {
    let (open, close) = match v.markers.as_str() {
        "numbers" => ("<ol class=\"base-list\">", "</ol>"),
        "none" => ("<ul class=\"base-list plain\">", "</ul>"),
        _ => ("<ul class=\"base-list\">", "</ul>"),
    };
    let mut h = String::new();
    for g in &shown.groups {
        h.push_str(&group_heading(out, g));
        h.push_str(open);
        for line in &g.lines {
            let parts: Vec<String> = shown
                .columns
                .iter()
                .zip(&line.values)
                .map(|(c, val)| cell(out, &c.key, line, val))
                .filter(|s| !s.is_empty())
                .collect();
            let (first, rest) = match parts.split_first() {
                Some((f, r)) => (f.clone(), r.to_vec()),
                None => (out.file_link(line.row), Vec::new()),
            };
            h.push_str("<li>");
            h.push_str(&first);
            if !rest.is_empty() {
                if v.indent {
                    h.push_str("<ul>");
                    for p in rest {
                        h.push_str(&format!("<li>{p}</li>"));
                    }
                    h.push_str("</ul>");
                } else {
                    h.push_str(&escape(&v.separator));
                    h.push_str(&rest.join(&escape(&v.separator)));
                }
            }
            h.push_str("</li>");
        }
        h.push_str(close);
    }
    h
}
