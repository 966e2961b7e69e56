//! Pages of the built-in theme made without Tera.
//!
//! A site has one page per note and one redirect per alias, and its tag and
//! folder pages list notes by the thousand: for those, filling the built-in
//! templates through Tera (building its context values, looking every
//! variable up by name) was a fifth of a build. When the theme
//! leaves the templates a page uses to the built-in ones, the page is drawn
//! here instead, byte for byte what Tera draws from them: the tests in
//! `tests/build.rs` render both ways and compare. A change to one of those
//! templates must be made here too; a site's own templates always go
//! through Tera.

use super::{Card, Ctx, Emitter, FolderCtx, PageCtx, TagLink, Words};
use crate::html::escape_into as esc;
use crate::templates::Theme;

/// The templates a note page is made from.
const NOTE_TEMPLATES: [&str; 5] = [
    "base.html",
    "note.html",
    "macros.html",
    "reader.html",
    "folder_listing.html",
];

/// Whether note pages can be drawn here: every template they use is built in.
pub(super) fn draws_notes(theme: &Theme) -> bool {
    NOTE_TEMPLATES.iter().all(|t| theme.is_builtin(t))
}

/// Whether pages made from `template` (`tag.html`, `folder.html`) can be
/// drawn here: it and the templates it uses are built in.
pub(super) fn draws(theme: &Theme, template: &str) -> bool {
    theme.is_builtin(template) && draws_notes(theme)
}

impl Emitter<'_> {
    /// An alias's redirect page, as the built-in `redirect.html` draws it.
    pub(super) fn redirect_page(&self, page: &PageCtx) -> Vec<u8> {
        let target = page.target.as_deref().unwrap_or_default();
        let mut out = String::with_capacity(512);
        out.push_str("<!DOCTYPE html>\n<html lang=\"");
        esc(&mut out, self.site.lang);
        out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
        esc(&mut out, &page.title);
        out.push_str(" · ");
        esc(&mut out, self.site.title);
        out.push_str("</title>\n<meta name=\"robots\" content=\"noindex\">\n");
        out.push_str("<meta http-equiv=\"refresh\" content=\"0; url=");
        esc(&mut out, target);
        out.push_str("\">\n");
        if let Some(c) = &page.canonical {
            out.push_str("<link rel=\"canonical\" href=\"");
            esc(&mut out, c);
            out.push_str("\">");
        }
        out.push_str("\n</head>\n<body>\n<p>");
        esc(&mut out, self.t["redirect"]);
        out.push_str(" <a href=\"");
        esc(&mut out, target);
        out.push_str("\">");
        esc(&mut out, &page.title);
        out.push_str("</a>.</p>\n</body>\n</html>\n");
        out.into_bytes()
    }
}

/// A note page, as the built-in `note.html` (over `base.html`) draws it.
pub(super) fn note_page(ctx: &Ctx) -> Vec<u8> {
    let p = &ctx.page;
    let t = ctx.t;
    // Room for the whole page at once: the note's HTML, its local graph, the
    // explorer, and the rest of the page (6 to 9 KiB of markup and links on
    // the generated vaults and `content/`).
    let r = &ctx.reader;
    let drawn = [r.local_graph.as_deref(), r.explorer_html.as_deref()];
    let room = p.content.len() + drawn.iter().flatten().map(|s| s.len()).sum::<usize>();
    let mut out = String::with_capacity(room + 12 * 1024);
    let o = &mut out;
    head(o, ctx);
    // block content
    o.push_str("\n<article class=\"note\">\n");
    breadcrumbs(o, ctx);
    o.push_str("\n<h1 class=\"note-title\">");
    esc(o, &p.title);
    o.push_str("</h1>\n");
    // block meta
    o.push('\n');
    if !p.tags.is_empty() {
        o.push_str("<ul class=\"tag-list\" aria-label=\"");
        esc(o, t["tags"]);
        o.push_str("\">");
        for tag in &p.tags {
            o.push_str("<li><a class=\"tag\" href=\"");
            esc(o, &tag.url);
            o.push_str("\">#");
            esc(o, &tag.name);
            o.push_str("</a></li>");
        }
        o.push_str("</ul>");
    }
    o.push('\n');
    if !p.properties.is_empty() {
        o.push_str("\n<details class=\"properties\" open><summary>");
        esc(o, t["properties"]);
        o.push_str("</summary>\n<dl>");
        for prop in &p.properties {
            o.push_str("<dt>");
            esc(o, &prop.name);
            o.push_str("</dt><dd>");
            o.push_str(&prop.html);
            o.push_str("</dd>");
        }
        o.push_str("</dl>\n</details>\n");
    }
    o.push('\n');
    // end of block meta
    o.push_str("\n<div class=\"note-body\">\n");
    o.push_str(p.content);
    o.push_str("\n</div>\n");
    if let Some(f) = &ctx.folder {
        folder_listing(o, t, f);
    }
    o.push_str("\n</article>\n");
    // end of block content
    tail(o, ctx, true);
    out.into_bytes()
}

/// `base.html` after its content block; `note` fills the pager, aside and
/// scripts blocks as `note.html` does (other pages leave them empty).
fn tail(o: &mut String, ctx: &Ctx, note: bool) {
    let t = ctx.t;
    o.push_str("\n</main>\n");
    if note {
        pager(o, ctx);
    }
    o.push('\n');
    if note {
        aside(o, ctx);
    }
    o.push('\n');
    if let Some(h) = ctx.reader.explorer_html.as_deref() {
        o.push_str(h);
    }
    o.push_str("\n</div>\n<footer class=\"site-footer\"><p>");
    esc(o, t["built_with"]);
    if let Some(feed) = &ctx.urls.feed {
        o.push_str(" · <a href=\"");
        esc(o, feed);
        o.push_str("\">");
        esc(o, t["feed"]);
        o.push_str("</a>");
    }
    o.push_str("</p></footer>\n<script src=\"");
    esc(o, &ctx.urls.js);
    o.push_str("\" defer></script>\n");
    if note
        && ctx
            .reader
            .local_graph
            .as_deref()
            .is_some_and(|g| !g.is_empty())
    {
        o.push_str("<script src=\"");
        esc(o, &ctx.reader.graph_ui);
        o.push_str("\" defer></script>");
    }
    o.push('\n');
    if let Some(l) = ctx.live_reload.filter(|l| !l.is_empty()) {
        o.push_str(l);
    }
    o.push_str("\n</body>\n</html>\n");
}

/// A tag's page, as the built-in `tag.html` (over `base.html`) draws it.
pub(super) fn tag_page(ctx: &Ctx) -> Option<Vec<u8>> {
    let (t, tag) = (ctx.t, ctx.tag.as_ref()?);
    let mut out = String::with_capacity(1024 + 512 * tag.notes.len());
    let o = &mut out;
    head(o, ctx);
    o.push('\n');
    breadcrumbs(o, ctx);
    o.push_str("\n<h1><span class=\"tag-hash\">#</span>");
    esc(o, &tag.name);
    o.push_str("</h1>\n");
    if !tag.children.is_empty() {
        counted_links(
            o,
            t["subtags"],
            "tag-cloud",
            " class=\"tag\"",
            "#",
            &tag.children,
        );
    }
    o.push_str("\n<h2>");
    esc(o, t["notes"]);
    o.push_str(" <span class=\"count\">");
    o.push_str(itoa::Buffer::new().format(tag.notes.len()));
    o.push_str("</span></h2>\n");
    note_list(o, &tag.notes);
    o.push('\n');
    tail(o, ctx, false);
    Some(out.into_bytes())
}

/// A folder's page, as the built-in `folder.html` (over `base.html`) draws it.
pub(super) fn folder_page(ctx: &Ctx) -> Option<Vec<u8>> {
    let f = ctx.folder.as_ref()?;
    let mut out = String::with_capacity(2048 + 512 * f.notes.len());
    let o = &mut out;
    head(o, ctx);
    o.push('\n');
    breadcrumbs(o, ctx);
    o.push_str("\n<h1>");
    esc(o, &ctx.page.title);
    o.push_str("</h1>\n");
    folder_listing(o, ctx.t, f);
    o.push('\n');
    tail(o, ctx, false);
    Some(out.into_bytes())
}

/// `base.html` up to its content block.
fn head(o: &mut String, ctx: &Ctx) {
    let (p, t, u) = (&ctx.page, ctx.t, &ctx.urls);
    o.push_str("<!DOCTYPE html>\n<html lang=\"");
    esc(o, ctx.site.lang);
    o.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    esc(o, &p.title);
    o.push_str(" · ");
    esc(o, ctx.site.title);
    o.push_str("</title>\n");
    if !p.description.is_empty() {
        o.push_str("<meta name=\"description\" content=\"");
        esc(o, &p.description);
        o.push_str("\">");
    }
    o.push('\n');
    if let Some(c) = p.canonical.as_deref().filter(|c| !c.is_empty()) {
        o.push_str("<link rel=\"canonical\" href=\"");
        esc(o, c);
        o.push_str("\">");
    }
    o.push_str("\n<meta name=\"generator\" content=\"isokb\">\n<script>(function(){var d=document.documentElement;d.className+=\" js\";try{var t=localStorage.getItem(\"isokb-theme\");if(t)d.setAttribute(\"data-theme\",t);}catch(e){}})();</script>\n<link rel=\"stylesheet\" href=\"");
    esc(o, &u.css);
    o.push_str("\">\n<link rel=\"stylesheet\" href=\"");
    esc(o, &u.generated_css);
    o.push_str("\">\n");
    if let Some(feed) = u.feed.as_deref().filter(|f| !f.is_empty()) {
        o.push_str("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        esc(o, ctx.site.title);
        o.push_str("\" href=\"");
        esc(o, feed);
        o.push_str("\">");
    }
    o.push_str("\n</head>\n<body class=\"kind-");
    esc(o, p.kind);
    if !p.cssclasses.is_empty() {
        o.push(' ');
        esc(o, &p.cssclasses);
    }
    o.push_str("\" data-root=\"");
    esc(o, &ctx.root);
    o.push_str("\">\n<a class=\"skip-link\" href=\"#content\">");
    esc(o, t["skip"]);
    o.push_str("</a>\n<header class=\"site-header\">\n  <a class=\"site-title\" href=\"");
    esc(o, &u.home);
    o.push_str("\">");
    esc(o, ctx.site.title);
    o.push_str("</a>\n  <nav class=\"site-nav\" aria-label=\"");
    esc(o, t["menu"]);
    o.push_str("\">\n    <a href=\"");
    esc(o, &u.home);
    o.push_str("\">");
    esc(o, t["home"]);
    o.push_str("</a>\n    <a href=\"");
    esc(o, &u.tags);
    o.push_str("\">");
    esc(o, t["tags"]);
    o.push_str("</a>\n    <a href=\"");
    esc(o, &ctx.reader.graph_url);
    o.push_str("\">");
    esc(o, t["graph"]);
    o.push_str("</a>\n  </nav>\n  <div class=\"search\" role=\"search\">\n    <label class=\"visually-hidden\" for=\"search-input\">");
    esc(o, t["search"]);
    o.push_str("</label>\n    <input id=\"search-input\" type=\"search\" role=\"combobox\" aria-autocomplete=\"list\" aria-expanded=\"false\" aria-controls=\"search-results\" placeholder=\"");
    esc(o, t["search_placeholder"]);
    o.push_str("\" autocomplete=\"off\" spellcheck=\"false\" data-index=\"");
    esc(o, &u.search_js);
    for (attr, word) in [
        ("data-empty", "no_results"),
        ("data-loading", "searching"),
        ("data-hint", "search_hint"),
        ("data-failed", "search_failed"),
        ("data-results", "results"),
    ] {
        o.push_str("\" ");
        o.push_str(attr);
        o.push_str("=\"");
        esc(o, t[word]);
    }
    o.push_str("\">\n    <kbd class=\"search-key\" aria-hidden=\"true\">/</kbd>\n    <ul id=\"search-results\" class=\"search-results\" role=\"listbox\" aria-label=\"");
    esc(o, t["search"]);
    o.push_str("\" hidden></ul>\n    <p id=\"search-status\" class=\"visually-hidden\" role=\"status\" aria-live=\"polite\"></p>\n  </div>\n  <button class=\"theme-toggle\" type=\"button\" aria-pressed=\"false\" aria-label=\"");
    esc(o, t["dark_mode"]);
    o.push_str("\" title=\"");
    esc(o, t["dark_mode"]);
    o.push_str("\"><svg viewBox=\"0 0 24 24\" width=\"18\" height=\"18\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" aria-hidden=\"true\"><path d=\"M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z\"/></svg></button>\n</header>\n<div class=\"layout\">\n<main id=\"content\" class=\"content\" tabindex=\"-1\">\n");
}

/// The `breadcrumbs` macro of `macros.html`.
fn breadcrumbs(o: &mut String, ctx: &Ctx) {
    o.push('\n');
    if !ctx.page.breadcrumbs.is_empty() {
        o.push_str("<nav class=\"breadcrumbs\" aria-label=\"");
        esc(o, ctx.t["breadcrumbs"]);
        o.push_str("\"><ol>");
        for b in &ctx.page.breadcrumbs {
            o.push_str("<li><a href=\"");
            esc(o, &b.url);
            o.push_str("\">");
            esc(o, &b.title);
            o.push_str("</a></li>");
        }
        o.push_str("</ol></nav>");
    }
    o.push('\n');
}

/// A heading over a list of links with their counts: a tag's sub-tags
/// (`tag.html`) and a folder's sub-folders (`folder_listing.html`). `attrs`
/// go into each `<a>` before `href`, `prefix` before each name.
fn counted_links(
    o: &mut String,
    heading: &str,
    list_class: &str,
    attrs: &str,
    prefix: &str,
    links: &[TagLink],
) {
    o.push_str("<h2>");
    esc(o, heading);
    o.push_str("</h2>\n<ul class=\"");
    o.push_str(list_class);
    o.push_str("\">");
    for l in links {
        o.push_str("<li><a");
        o.push_str(attrs);
        o.push_str(" href=\"");
        esc(o, &l.url);
        o.push_str("\">");
        o.push_str(prefix);
        esc(o, &l.name);
        o.push_str("</a> <span class=\"count\">");
        o.push_str(itoa::Buffer::new().format(l.count));
        o.push_str("</span></li>");
    }
    o.push_str("</ul>");
}

/// `folder_listing.html`, with the `note_list` macro of `macros.html`.
fn folder_listing(o: &mut String, t: &Words, f: &FolderCtx) {
    // Tera drops the line break after the template's `import`.
    o.push_str("<section class=\"folder-listing\">\n");
    if !f.subfolders.is_empty() {
        counted_links(o, t["folders"], "folder-list", "", "", &f.subfolders);
    }
    o.push('\n');
    if !f.notes.is_empty() {
        o.push_str("<h2>");
        esc(o, t["notes"]);
        o.push_str("</h2>");
        note_list(o, &f.notes);
    }
    o.push_str("\n</section>\n");
}

/// The `note_list` macro of `macros.html`.
fn note_list(o: &mut String, notes: &[Card]) {
    o.push_str("\n<ul class=\"note-list\">\n");
    for n in notes {
        o.push_str("<li><a class=\"internal\" href=\"");
        esc(o, &n.url);
        o.push_str("\">");
        esc(o, n.title);
        o.push_str("</a>");
        if let Some(d) = n.date.filter(|d| !d.is_empty()) {
            o.push_str(" <time datetime=\"");
            esc(o, d);
            o.push_str("\">");
            esc(o, d);
            o.push_str("</time>");
        }
        if !n.summary.is_empty() {
            o.push_str("<p class=\"summary\">");
            esc(o, n.summary);
            o.push_str("</p>");
        }
        o.push_str("</li>\n");
    }
    o.push_str("\n</ul>\n");
}

/// The pager block of `note.html` (the `pager` macro of `reader.html`).
fn pager(o: &mut String, ctx: &Ctx) {
    let (r, t) = (&ctx.reader, ctx.t);
    o.push('\n');
    if r.prev.is_some() || r.next.is_some() {
        o.push_str("<nav class=\"pager\" aria-label=\"");
        esc(o, t["pager"]);
        o.push_str("\">\n");
        if let Some(prev) = &r.prev {
            o.push_str("<a class=\"pager-prev\" rel=\"prev\" href=\"");
            esc(o, &prev.url);
            o.push_str("\"><span class=\"pager-label\">");
            esc(o, t["previous"]);
            o.push_str("</span> <span class=\"pager-title\">");
            esc(o, &prev.title);
            o.push_str("</span></a>");
        }
        o.push('\n');
        if let Some(next) = &r.next {
            o.push_str("<a class=\"pager-next\" rel=\"next\" href=\"");
            esc(o, &next.url);
            o.push_str("\"><span class=\"pager-label\">");
            esc(o, t["next"]);
            o.push_str("</span> <span class=\"pager-title\">");
            esc(o, &next.title);
            o.push_str("</span></a>");
        }
        o.push_str("\n</nav>");
    }
    o.push('\n');
}

/// The aside block of `note.html`: local graph, contents, backlinks.
fn aside(o: &mut String, ctx: &Ctx) {
    let (p, r, t) = (&ctx.page, &ctx.reader, ctx.t);
    o.push_str("\n<aside class=\"sidebar\">\n\n");
    if let Some(data) = r.local_graph.as_deref().filter(|g| !g.is_empty()) {
        o.push_str("<section class=\"local-graph\" aria-labelledby=\"local-graph-title\">\n<h2 id=\"local-graph-title\">");
        esc(o, t["local_graph"]);
        o.push_str("</h2>\n<div class=\"graph-box\" data-graph=\"local\"><canvas class=\"graph-canvas\" role=\"img\" aria-label=\"");
        esc(o, t["local_graph"]);
        o.push_str("\"></canvas></div>\n<div class=\"graph-controls\">\n<label>");
        esc(o, t["graph_depth"]);
        o.push_str(" <select class=\"graph-depth\"><option value=\"1\" selected>1</option><option value=\"2\">2</option></select></label>\n<label><input type=\"checkbox\" class=\"graph-tags\"> ");
        esc(o, t["graph_tags"]);
        o.push_str("</label>\n</div>\n<p class=\"graph-more\"><a href=\"");
        esc(o, &r.graph_url);
        o.push_str("\">");
        esc(o, t["open_graph"]);
        o.push_str("</a></p>\n<script type=\"application/json\" class=\"graph-data\">");
        o.push_str(data);
        o.push_str("</script>\n</section>");
    }
    o.push_str("\n\n");
    if !p.toc.is_empty() {
        o.push_str("\n<nav class=\"toc\" aria-label=\"");
        esc(o, t["contents"]);
        o.push_str("\"><h2>");
        esc(o, t["contents"]);
        o.push_str("</h2>\n<ol>");
        for h in p.toc {
            o.push_str("<li class=\"toc-level-");
            o.push_str(itoa::Buffer::new().format(h.level));
            o.push_str("\"><a href=\"#");
            esc(o, &h.id);
            o.push_str("\">");
            esc(o, &h.text);
            o.push_str("</a></li>");
        }
        o.push_str("</ol>\n</nav>\n");
    }
    o.push_str("\n<section class=\"backlinks\" aria-labelledby=\"backlinks-title\"><h2 id=\"backlinks-title\">");
    esc(o, t["backlinks"]);
    o.push_str("</h2>\n");
    if p.backlinks.is_empty() {
        o.push_str("<p class=\"empty\">");
        esc(o, t["no_backlinks"]);
        o.push_str("</p>");
    } else {
        o.push_str("<ul>");
        for b in &p.backlinks {
            o.push_str("<li><a class=\"internal\" href=\"");
            esc(o, &b.url);
            o.push_str("\">");
            esc(o, b.title);
            o.push_str("</a></li>");
        }
        o.push_str("</ul>");
    }
    o.push_str("\n</section>\n</aside>\n");
}
