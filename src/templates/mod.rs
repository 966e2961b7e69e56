//! Templates: the only module that knows Tera.
//!
//! The default theme (`themes/default/` in the repository) is embedded in the
//! binary, so isokb works on any vault with no theme folder. A site's own
//! `themes/<name>/templates/X.html` replaces the built-in `X.html`, and its
//! `static/` files replace or add to the built-in ones. Everything user
//! written reaches templates as data and is escaped by Tera's autoescape,
//! except the HTML that render produced, which templates mark `| safe`.

use crate::diagnostics::{Diagnostic, Kind};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

mod fold;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Template values shared by every page of a build (the site, the words),
/// folded into the templates by [`Theme::pages`].
#[derive(Debug, Clone, Default)]
pub struct Shared(BTreeMap<String, serde_json::Value>);

impl Shared {
    /// Adds `value` as `key` (a map or a plain value: nothing that fails to
    /// serialise).
    pub fn with(mut self, key: &str, value: &impl serde::Serialize) -> Shared {
        if let Ok(v) = serde_json::to_value(value) {
            self.0.insert(key.to_string(), v);
        }
        self
    }
}

/// A theme's templates ready to draw the pages of one build, with the values
/// every page shares folded in once (see [`fold`]).
pub struct Pages {
    tera: Tera,
    /// The shared values some template still reads as data.
    shared: Option<tera::Context>,
    /// The folded values some template still reads as data.
    read: std::collections::BTreeSet<String>,
}

impl Pages {
    /// Whether a template still reads `name` (a shared or fixed value) as
    /// data: when it does not, pages need not carry it.
    pub fn reads(&self, name: &str) -> bool {
        self.read.contains(name)
    }

    /// Renders a template with a serialisable context and the shared values,
    /// as the bytes of the page: Tera writes them without checking again that
    /// its output is UTF-8 (it always is: templates and values are strings).
    pub fn render(
        &self,
        name: &str,
        ctx: &impl serde::Serialize,
        page: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        draw(&self.tera, self.shared.as_ref(), name, ctx, page)
    }
}

fn draw(
    tera: &Tera,
    shared: Option<&tera::Context>,
    name: &str,
    ctx: &impl serde::Serialize,
    page: &str,
) -> Result<Vec<u8>, Diagnostic> {
    let mut all = tera::Context::from_serialize(ctx).map_err(|e| template_error(page, &e))?;
    if let Some(s) = shared {
        let mut with = s.clone();
        with.extend(all);
        all = with;
    }
    let mut out = Vec::with_capacity(16 * 1024);
    tera.render_to(name, &all, &mut out)
        .map_err(|e| template_error(page, &e))?;
    Ok(out)
}

/// A loaded theme: templates ready to render and static files to copy.
pub struct Theme {
    tera: Tera,
    /// Whether a template may read `reader.explorer` (see [`reads_explorer_data`]).
    explorer_data: bool,
    /// Static files by their path under `static/`.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads the built-in theme, then the site's `themes/<name>/` over it.
    pub fn load(site_root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut sources, &mut statics);
        let dir = site_root.join("themes").join(name);
        if dir.is_dir() {
            collect_dir(&dir, &mut sources, &mut statics)?;
        } else if name != "default" {
            return Err(Diagnostic::new(
                Kind::Config,
                "site.toml",
                format!(
                    "the theme `{name}` does not exist (looked for `{}`)",
                    dir.display()
                ),
            )
            .help("create the folder, or set `theme = \"default\"`"));
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // The same escaping as render: `&<>"'`, leaving `/` readable in URLs.
        tera.set_escape_fn(crate::html::escape);
        tera.register_filter("wbr", wbr);
        tera.add_raw_templates(sources.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|e| template_error("themes", &e))?;
        let explorer_data = sources.values().any(|s| reads_explorer_data(s));
        Ok(Theme {
            tera,
            explorer_data,
            statics,
        })
    }

    /// The text of a file of the built-in theme (`templates/base.html`).
    pub fn default_source(path: &str) -> Option<&'static str> {
        DEFAULT_THEME.get_file(path).and_then(|f| f.contents_utf8())
    }

    /// Every text file of the built-in theme (templates, scripts, styles).
    pub fn default_texts() -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut stack = vec![&DEFAULT_THEME];
        while let Some(dir) = stack.pop() {
            out.extend(dir.files().filter_map(|f| f.contents_utf8()));
            stack.extend(dir.dirs());
        }
        out
    }

    /// Whether a template may read the explorer as data (`reader.explorer`);
    /// the built-in templates use only its HTML (`reader.explorer_html`).
    pub fn uses_explorer_data(&self) -> bool {
        self.explorer_data
    }

    /// Whether a template exists (`archetypes/norme.html`).
    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// The templates ready for pages that all share `shared`, and `fixed`:
    /// values (or fields of values, `page.kind`) that are the same on those
    /// pages, folded in but left to each page's own context otherwise.
    pub fn pages(&self, shared: &Shared, fixed: &Shared) -> Pages {
        let mut tera = self.tera.clone();
        let mut all = shared.0.clone();
        all.extend(fixed.0.iter().map(|(k, v)| (k.clone(), v.clone())));
        let read = fold::fold(&mut tera, &all);
        let mut ctx = tera::Context::new();
        let mut carried = false;
        for (k, v) in shared.0.iter().filter(|(k, _)| read.contains(*k)) {
            ctx.insert(k.as_str(), v);
            carried = true;
        }
        Pages {
            tera,
            shared: carried.then_some(ctx),
            read,
        }
    }

    /// Renders a template with a serialisable context alone (nothing shared).
    pub fn render_bytes(
        &self,
        name: &str,
        ctx: &impl serde::Serialize,
        page: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        draw(&self.tera, None, name, ctx, page)
    }
}

/// The `wbr` filter: the text escaped, with a line-break opportunity
/// (`<wbr>`) after each `_`, so that `10_COURS_ET_INGESTION` wraps at its
/// underscores rather than mid-word. Its output is HTML: `{{ x | wbr | safe }}`.
fn wbr(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = match value {
        tera::Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
        other => std::borrow::Cow::Owned(tera::to_value(other)?.to_string()),
    };
    let escaped = crate::html::escape(&text);
    Ok(tera::Value::String(if escaped.contains('_') {
        escaped.replace('_', "_<wbr>")
    } else {
        escaped
    }))
}

/// Whether a template's text may read the explorer's data: a `.explorer`
/// field (not `.explorer_html`, nor the word `t.explorer`), an `["explorer"]`
/// subscript or a call of an `explorer` macro.
fn reads_explorer_data(src: &str) -> bool {
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = src.as_bytes();
    src.contains("[\"explorer\"]")
        || src.contains("['explorer']")
        || src.contains("::explorer(")
        || src.match_indices(".explorer").any(|(i, m)| {
            let after = b.get(i + m.len()).copied();
            let words = i >= 1 && b[i - 1] == b't' && (i < 2 || !ident(b[i - 2]));
            !after.is_some_and(ident) && !words
        })
}

fn template_error(page: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    Diagnostic::new(Kind::Template, page, msg)
        .help("check the theme's template for a misspelt variable or an unclosed block")
}

fn collect_embedded(
    dir: &Dir<'static>,
    sources: &mut BTreeMap<String, String>,
    statics: &mut BTreeMap<String, Vec<u8>>,
) {
    for f in dir.files() {
        let path = f.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            sources.insert(
                name.to_string(),
                String::from_utf8_lossy(f.contents()).into_owned(),
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), f.contents().to_vec());
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, sources, statics);
    }
}

fn collect_dir(
    dir: &Path,
    sources: &mut BTreeMap<String, String>,
    statics: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), Diagnostic> {
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.map_err(|e| {
            Diagnostic::new(
                Kind::Io,
                dir.display().to_string(),
                format!("cannot read the theme: {e}"),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let read = || {
            std::fs::read(entry.path()).map_err(|e| {
                Diagnostic::new(
                    Kind::Io,
                    entry.path().display().to_string(),
                    format!("cannot read: {e}"),
                )
            })
        };
        if let Some(name) = rel.strip_prefix("templates/") {
            sources.insert(
                name.to_string(),
                String::from_utf8_lossy(&read()?).into_owned(),
            );
        } else if let Some(name) = rel.strip_prefix("static/") {
            statics.insert(name.to_string(), read()?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explorer_data_goes_only_to_themes_that_read_it() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!Theme::load(dir.path(), "default")
            .unwrap()
            .uses_explorer_data());
        for (src, reads) in [
            ("{{ reader.explorer_html | safe }} {{ t.explorer }}", false),
            ("<nav class=\"explorer\">{{ explorer }}</nav>", false),
            ("{{ r::explorer(root=reader.explorer, t=t) }}", true),
            ("{% for c in reader.explorer.folders %}{% endfor %}", true),
            (
                "{% macro side(nav) %}{{ nav.explorer | length }}{% endmacro %}",
                true,
            ),
            ("{{ reader[\"explorer\"] }}", true),
            ("{{ r::explorer(root=x, t=t) }}", true),
        ] {
            assert_eq!(reads_explorer_data(src), reads, "{src}");
        }
        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(
            templates.join("folder.html"),
            "{% extends \"base.html\" %}{% block content %}{{ reader.explorer.name }}{% endblock %}",
        )
        .unwrap();
        assert!(Theme::load(dir.path(), "default")
            .unwrap()
            .uses_explorer_data());
    }

    #[test]
    fn default_theme_is_embedded_and_overridable() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        assert!(theme.has("note.html") && theme.has("archetypes/organisation.html"));
        assert!(theme.statics.contains_key("style.css"));
        std::fs::create_dir_all(dir.path().join("themes/default/templates")).unwrap();
        std::fs::write(
            dir.path().join("themes/default/templates/404.html"),
            "custom {{ t.home }}",
        )
        .unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        let mut t = BTreeMap::new();
        t.insert("home", "Accueil");
        #[derive(serde::Serialize)]
        struct C<'a> {
            t: BTreeMap<&'a str, &'a str>,
        }
        assert_eq!(
            theme
                .render_bytes("404.html", &C { t }, "404.html")
                .unwrap(),
            b"custom Accueil"
        );
        assert!(Theme::load(dir.path(), "missing").is_err());
    }

    #[test]
    fn template_errors_are_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes/default/templates")).unwrap();
        std::fs::write(
            dir.path().join("themes/default/templates/404.html"),
            "{{ nope.x }}",
        )
        .unwrap();
        let theme = Theme::load(dir.path(), "default").unwrap();
        let err = theme
            .render_bytes("404.html", &serde_json::json!({}), "404.html")
            .unwrap_err();
        assert_eq!(err.kind, Kind::Template);
        assert!(err.message.contains("nope"), "{}", err.message);
    }
}
