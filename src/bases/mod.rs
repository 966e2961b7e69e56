//! Obsidian Bases, drawn at build time (Help › Bases): a `.base` file is a
//! page of the site, a ` ```base ` block draws in its note, and
//! `![[X.base]]` / `![[X.base#View]]` draw the first or the named view in
//! the embedding note, where `this` is that note.
//!
//! [`file`] reads the format, [`expr`] parses the expression language,
//! [`vault`] gives each file's properties, tags and links as values,
//! [`eval`] and `methods` evaluate it, `view` runs a view (filters,
//! formulas, sort, limit, groups, summaries) and `html` draws it. Only
//! published notes are rows: a draft is in no view, count or summary.
//! The rows of a view are not links between notes (Obsidian does not count
//! query results as links): they never enter the index.

pub mod eval;
pub mod expr;
pub mod file;
mod html;
mod methods;
pub mod types;
pub mod value;
pub mod vault;
pub mod view;

use crate::diagnostics::{Diagnostic, Kind, Position};
use crate::paths::VaultPath;
pub use html::view_id;
use value::Row;

/// Whether a note draws a base: a `.base` file, or a note with a
/// ` ```base ` block (a `~~~base` one too; a mention in a longer fence
/// only costs a drawing more).
pub fn draws(note: &crate::parse::Note) -> bool {
    is_base(&note.path) || note.body.contains("```base") || note.body.contains("~~~base")
}

/// Whether a vault path is a base (`.base`).
pub fn is_base(path: &VaultPath) -> bool {
    path.extension() == "base"
}

/// The findings of a base's text in file `path`, whose first line is
/// `line + 1` of the file (0 for a `.base` file, the fence's line for a
/// ` ```base ` block).
pub fn check(src: &str, path: &str, line: usize) -> Vec<Diagnostic> {
    let (_, problems) = file::read(src);
    problems
        .into_iter()
        .map(|p| {
            let at = Position::of_offset(src, p.offset);
            Diagnostic::new(Kind::Base, path, p.message)
                .at(Position {
                    line: at.line + line,
                    col: at.col,
                })
                .help(p.help)
        })
        .collect()
}

/// Which views to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which<'a> {
    /// Every view, each under its name (a base's page, a block).
    All,
    /// The first view (`![[X.base]]`).
    First,
    /// The view whose [`view_id`] this is (`![[X.base#View]]`).
    Named(&'a str),
}

/// What drawing a base needs from the site.
pub struct Site<'a> {
    /// Notes, index and month names.
    pub vault: vault::Vault<'a>,
    /// The site's language.
    pub lang: crate::i18n::Language,
    /// The note `this` is: the page's own note.
    pub this: usize,
    /// The folder of the base (where `link("name")` resolves from).
    pub folder: &'a str,
    /// The relative URL of a file from the page being written.
    pub href: &'a (dyn Fn(Row) -> String + Sync),
    /// How many bases the page drew whole (every view) before this one: the
    /// second and later number their views' ids (`view-all-2`), so that ids
    /// stay unique.
    pub nth: usize,
    /// Whether `html()` values are cleaned (the site's `sanitize`).
    pub clean: bool,
}

/// A base drawn as HTML. A base that cannot be read says so in the page
/// (its findings were reported by [`check`] at parse).
pub fn draw(src: &str, which: Which, site: &Site) -> String {
    let (base, problems) = file::read(src);
    let Some(base) = base else {
        let why = problems
            .first()
            .map_or(String::new(), |p| p.message.clone());
        return format!(
            "<div class=\"base base-failed\"><p>{} — {}</p></div>",
            crate::html::escape(site.lang.word("base_failed")),
            crate::html::escape(&why)
        );
    };
    let env = eval::Env {
        vault: site.vault,
        formulas: &base.formulas,
        this: Row::Note(site.this),
        now: chrono::Local::now().naive_local(),
        folder: site.folder,
    };
    let out = html::Out {
        href: site.href,
        lang: site.lang,
        env: &env,
        clean: site.clean,
    };
    let file_name = site.lang.word("base_file_name");
    let views: Vec<&file::View> = match which {
        Which::All => base.views.iter().collect(),
        Which::First => base.views.iter().take(1).collect(),
        Which::Named(id) => {
            let named: Vec<&file::View> = base
                .views
                .iter()
                .filter(|v| view_id(&v.name) == id)
                .collect();
            if named.is_empty() {
                base.views.iter().take(1).collect()
            } else {
                named
            }
        }
    };
    let caption = views.len() > 1 || which == Which::All;
    // Views drawn all together are tabs and take ids (a page's first base
    // its views' anchors); an embedded view needs none.
    let dom_id = |v: &file::View| match (which, site.nth) {
        (Which::All, 0) => view_id(&v.name),
        (Which::All, n) => format!("{}-{}", view_id(&v.name), n + 1),
        _ => String::new(),
    };
    let mut h = format!(
        "<div class=\"base\" data-filter=\"{}\">",
        crate::html::escape(site.lang.word("base_filter"))
    );
    if views.len() > 1 {
        h.push_str(&format!(
            "<nav class=\"base-tabs\" aria-label=\"{}\"><ul>",
            crate::html::escape(site.lang.word("base_views"))
        ));
        for v in &views {
            h.push_str(&format!(
                "<li><a href=\"#{}\">{}</a></li>",
                crate::html::escape(&dom_id(v)),
                crate::html::escape(&v.name)
            ));
        }
        h.push_str("</ul></nav>");
    }
    for v in views {
        let shown = view::run(&base, v, &env, file_name);
        h.push_str(&html::view(&out, v, &shown, caption, &dom_id(v)));
    }
    h.push_str("</div>\n");
    h
}

/// The text of a `.base` file kept as a note (its body is the file in one
/// fenced block).
pub fn source_of(note: &crate::parse::Note) -> &str {
    let body = note.body.as_str();
    let start = body.find('\n').map_or(body.len(), |i| i + 1);
    let end = body
        .trim_end_matches('\n')
        .rfind('\n')
        .unwrap_or(start)
        .max(start);
    &body[start..end]
}

/// Whether a view of this base has this [`view_id`] (a link or embed `#View`).
pub fn has_view(src: &str, id: &str) -> bool {
    file::view_names(src).iter().any(|n| view_id(n) == id)
}
