//! Render pass: fenced code blocks, highlighted at build time, and Mermaid
//! diagrams drawn at build time.
//!
//! The code goes to `highlight` (the syntect owner); the block gets a
//! language label and a copy button the theme's script enables. A
//! ```` ```mermaid ```` block goes to `mermaid` and becomes inline SVG in a
//! `<div class="mermaid">`; a diagram that cannot be drawn stays visible as
//! its source and is reported once, with the line parse recorded for the
//! block (the n-th code block of a note is `note.code_pos[n]`).

use super::Page;
use crate::diagnostics::{Diagnostic, Kind, Position};
use crate::highlight;
use crate::html::escape;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

/// Whether an event opens a code block (to count them before a slice).
pub fn is_code_start(e: &Event<'_>) -> bool {
    matches!(e, Event::Start(Tag::CodeBlock(_)))
}

/// Replaces each code block of note `id`; `k` is the ordinal of the first one.
pub(crate) fn pass<'e>(
    page: &mut Page,
    id: usize,
    mut k: usize,
    events: Vec<Event<'e>>,
) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(ev) = iter.next() {
        let Event::Start(Tag::CodeBlock(kind)) = ev else {
            out.push(ev);
            continue;
        };
        let mut code = String::new();
        for e in iter.by_ref() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let marker = match &kind {
            CodeBlockKind::Fenced(info)
                if info.starts_with(crate::canvas::BOARD)
                    && crate::canvas::is_canvas(&page.ctx.notes[id].path) =>
            {
                canvas_kind(page, info, k)
            }
            _ => None,
        };
        let html = if let Some(marker) = marker {
            canvas_marker(page, id, marker, &code)
        } else if lang.eq_ignore_ascii_case("mermaid") {
            diagram(page, id, k, &code)
        } else if lang.eq_ignore_ascii_case("base") {
            base(page, id, &code)
        } else {
            page.own(block(&code, &lang, page.ctx.highlight))
        };
        k += 1;
        out.push(Event::Html(html.into()));
    }
    out
}

/// Which of the canvas's markers a code block is, if any: the board's is
/// the canvas's first code block (`k` 0), and gives the mark the others
/// carry; no text of the canvas comes before it, so none can pass for it.
fn canvas_kind(page: &mut Page, info: &str, k: usize) -> Option<&'static str> {
    use crate::canvas;
    if k == 0 {
        let mark = canvas::mark_of(info)?;
        page.canvas
            .push((canvas::Board::default(), mark.to_string()));
        return Some(canvas::BOARD);
    }
    let (_, mark) = page.canvas.last()?;
    match canvas::marker(info, mark)? {
        canvas::NODE => Some(canvas::NODE),
        canvas::END => Some(canvas::END),
        canvas::CLOSE => Some(canvas::CLOSE),
        _ => None,
    }
}

/// A canvas's marker block ([`crate::canvas`]): the board with its edges,
/// a node's start or end, the board's end.
fn canvas_marker(page: &mut Page, id: usize, lang: &str, code: &str) -> String {
    use crate::canvas;
    let html = match lang {
        canvas::BOARD => {
            if let Some((board, _)) = page.canvas.last_mut() {
                *board = serde_json::from_str(code).unwrap_or_default();
            }
            canvas::board_html(code, &page.ctx.notes[id].title)
        }
        canvas::NODE => {
            let ctx = page.ctx;
            let folder = ctx.notes[id].path.folder();
            let background = |name: &str| match ctx.index.target_named(name, folder)? {
                crate::resolve::Target::File(f) => Some(page.url(&ctx.index.files[f.0].url)),
                crate::resolve::Target::Note(_) => None,
            };
            match page.canvas.last() {
                Some((board, _)) => canvas::node_open(code, board, &background),
                None => String::new(),
            }
        }
        canvas::END => canvas::NODE_CLOSE.to_string(),
        canvas::CLOSE => {
            page.canvas.pop();
            canvas::BOARD_CLOSE.to_string()
        }
        _ => String::new(),
    };
    page.own(html)
}

/// A base: its views, drawn for the page's note (`this`), its links
/// relative to the page.
fn base(page: &mut Page, id: usize, code: &str) -> String {
    use crate::bases::{self, value::Row, Which};
    let ctx = page.ctx;
    let which = match page.base_view.as_deref() {
        None => Which::All,
        Some("") => Which::First,
        Some(v) => Which::Named(v),
    };
    let (depth, style) = (page.depth, ctx.style);
    let href = |r: Row| {
        let target = match r {
            Row::Note(i) => ctx.index.note_url(i),
            Row::File(f) => ctx.index.files[f].url.clone(),
        };
        crate::paths::relative_url(depth, &target, style)
    };
    let site = bases::Site {
        vault: bases::vault::Vault {
            notes: ctx.notes,
            index: ctx.index,
            files: ctx.files,
            months: ctx.language.months(),
        },
        lang: ctx.language,
        this: page.chain[0],
        folder: ctx.notes[id].path.folder(),
        href: &href,
        clean: ctx.sanitize,
        nth: page.bases,
    };
    if which == Which::All {
        page.bases += 1;
    }
    let html = bases::draw(code, which, &site);
    page.own(html)
}

/// A Mermaid block: its SVG, or its source and one finding.
fn diagram(page: &mut Page, id: usize, k: usize, code: &str) -> String {
    page.diagrams += 1;
    let dom_id = format!("mermaid-{}-{}", page.chain[0], page.diagrams);
    match crate::mermaid::to_svg(code, &dom_id, false) {
        Ok(svg) => {
            let svg = link_nodes(page, id, keep_readable(svg));
            // The same diagram in Mermaid's dark theme, shown in dark mode.
            let dark = crate::mermaid::to_svg(code, &format!("{dom_id}-dark"), true)
                .map(|d| link_nodes(page, id, keep_readable(d)))
                .unwrap_or_default();
            format!(
                "<div class=\"mermaid\">{}{}</div>\n",
                page.own(svg),
                page.own(dark)
            )
        }
        Err(e) => {
            let note = &page.ctx.notes[id];
            // The fence is line 1 of the block; the diagram starts on the next.
            let pos = note.code_pos.get(k).map(|p| Position {
                line: p.line
                    + 1
                    + e.offset
                        .map_or(0, |o| code[..o.min(code.len())].matches('\n').count()),
                col: 1,
            });
            let mut d = Diagnostic::new(
                Kind::Diagram,
                note.path.as_str(),
                format!(
                    "cannot draw this Mermaid diagram: {}; it is shown as its source",
                    e.message.trim_end_matches('.')
                ),
            )
            .help("check the diagram in the Mermaid live editor (mermaid.live)");
            d.pos = pos;
            page.diags.push(d);
            // The reader sees that a diagram is missing, and why.
            let caption = format!(
                "<p class=\"diagram-error\">{} — {}</p>\n",
                escape(page.ctx.language.word("diagram_failed")),
                escape(e.message.trim_end_matches('.'))
            );
            page.own(caption + &block(code, "mermaid", page.ctx.highlight))
        }
    }
}

/// A Mermaid SVG drawn at its natural width when there is room (its
/// `style="max-width: 1020.36px;"`), shrunk to 70 % of it at most: below
/// that, its box scrolls sideways.
fn keep_readable(svg: String) -> String {
    let Some(head_end) = svg.find('>') else {
        return svg;
    };
    let Some(at) = svg[..head_end].find("max-width:") else {
        return svg;
    };
    let from = at + "max-width:".len();
    let Some(px) = svg[from..head_end].find("px") else {
        return svg;
    };
    match svg[from..from + px].trim().parse::<f64>() {
        Ok(w) if w.is_finite() && w > 0.0 => {
            let end = from + px + 2;
            format!(
                "{}; min-width: {:.0}px{}",
                &svg[..end],
                w * 0.7,
                &svg[end..]
            )
        }
        _ => svg,
    }
}

/// Whether a note's rendering reads the names of other notes beyond its
/// links: a Mermaid diagram with `internal-link` nodes, which link to the note
/// their text names. Such a note is drawn again whenever notes come, go or
/// change names.
pub fn reads_note_names(body: &str) -> bool {
    body.contains("internal-link") && body.contains("mermaid")
}

/// Nodes of class `internal-link` (`class A,B internal-link`) link to the
/// note their text names, as in Obsidian; a name that leads nowhere stays
/// a plain node.
fn link_nodes(page: &Page, id: usize, svg: String) -> String {
    const NODE: &str = "<g class=\"node ";
    if !svg.contains("internal-link") {
        return svg;
    }
    let folder = page.ctx.notes[id].path.folder();
    let mut out = String::with_capacity(svg.len() + 256);
    let mut rest = svg.as_str();
    while let Some(at) = rest.find(NODE) {
        let Some(open_end) = rest[at..].find('>').map(|i| at + i + 1) else {
            break;
        };
        let open = &rest[at..open_end];
        let class = open[NODE.len() - 1..].split('"').next().unwrap_or("");
        let close = group_end(&rest[open_end..]).map(|i| open_end + i);
        let target = close
            .filter(|_| class.split(' ').any(|c| c == "internal-link"))
            .and_then(|c| {
                let label = node_text(&rest[open_end..c]);
                page.ctx.index.note_named(&label, folder)
            });
        match (target, close) {
            (Some(t), Some(c)) => {
                let href = page.url(&page.ctx.index.note_url(t));
                out.push_str(&rest[..open_end]);
                out.push_str(&format!(
                    "<a class=\"internal-link\" href=\"{}\">",
                    escape(&href)
                ));
                out.push_str(&rest[open_end..c]);
                out.push_str("</a>");
                rest = &rest[c..];
            }
            _ => {
                out.push_str(&rest[..open_end]);
                rest = &rest[open_end..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the `<g>` whose content starts `svg` closes.
fn group_end(svg: &str) -> Option<usize> {
    let mut depth = 1usize;
    let mut i = 0;
    while let Some(j) = svg[i..].find('<') {
        let at = i + j;
        let tail = &svg[at..];
        if tail.starts_with("</g>") {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        } else if tail.starts_with("<g ") || tail.starts_with("<g>") {
            let end = tail.find('>')?;
            if !tail[..end].ends_with('/') {
                depth += 1;
            }
        }
        i = at + 1;
    }
    None
}

/// The text of a drawn node: its labels' text, entities read back.
fn node_text(svg: &str) -> String {
    let mut text = String::new();
    let mut inside = false;
    for c in svg.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn block(code: &str, lang: &str, highlight: bool) -> String {
    let body = highlight
        .then(|| highlight::highlight(code, lang))
        .flatten()
        .unwrap_or_else(|| escape(code));
    let label = if lang.is_empty() {
        String::new()
    } else {
        format!("<span class=\"code-lang\">{}</span>", escape(lang))
    };
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    format!("<div class=\"code-block\"><div class=\"code-header\">{label}<button class=\"copy-code\" type=\"button\" hidden>Copy</button></div><pre class=\"hl\"><code{class}>{body}</code></pre></div>\n")
}

#[cfg(test)]
mod tests {

    #[test]
    fn mermaid_internal_link_nodes_link_to_their_notes() {
        let (html, diags) = super::super::tests::render_first(&[
            (
                "a.md",
                "```mermaid\ngraph TD\nBiology --> C[Chemistry & co]\nD --> E\nclass Biology,C internal-link;\n```\n",
            ),
            ("Biology.md", "# Biology\n"),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            html.matches("<a class=\"internal-link\" href=\"../biology/index.html\">")
                .count(),
            2,
            "once in each theme's drawing: {html}"
        );
        assert_eq!(
            html.matches("<a class=\"internal-link\"").count(),
            2,
            "no note named Chemistry & co: {html}"
        );
        assert_eq!(
            super::node_text("<text><tspan>Chemistry &amp;</tspan> <tspan>co</tspan></text>"),
            "Chemistry & co"
        );
        assert_eq!(super::group_end("<rect/><g><t/></g>x</g>tail"), Some(19));
        assert_eq!(super::group_end("<g/></g>"), Some(4));
    }

    use super::super::tests::{render_first, render_nth};
    use crate::diagnostics::{Kind, Position};

    #[test]
    fn code_is_highlighted_with_classes_and_unknown_languages_stay_plain() {
        let (html, _) = render_first(&[(
            "a.md",
            "```rust\nfn main() { let x = \"<s>\"; }\n```\n\n```dataview\nLIST FROM #x\n```\n",
        )]);
        assert!(
            html.contains("<span class=\"code-lang\">rust</span>"),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(
            !html.contains("style="),
            "classes, not inline styles: {html}"
        );
        assert!(html.contains("&lt;s&gt;"), "{html}");
        assert!(html.contains("LIST FROM #x"), "{html}");
    }

    #[test]
    fn mermaid_blocks_become_inline_svg_with_unique_ids() {
        let (html, diags) = render_nth(
            &[
                ("a.md", "```mermaid\nflowchart LR\n  A --> B\n```\n\n![[b]]"),
                ("b.md", "```mermaid\npie\n  \"x\" : 1\n```"),
            ],
            0,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(
            html.contains("<div class=\"mermaid\"><svg id=\"mermaid-0-1\""),
            "{html}"
        );
        assert!(
            html.contains("<svg id=\"mermaid-0-2\""),
            "embedded diagram: {html}"
        );
        assert!(
            !html.contains("```") && !html.contains("code-block"),
            "{html}"
        );
    }

    #[test]
    fn a_broken_diagram_shows_its_source_and_names_its_line() {
        let (html, diags) = render_first(&[(
            "a.md",
            "# T\n\n```js\nx\n```\n\n- item\n\n  ```mermaid\n  flowchart TD\n    A[Open --> B\n  ```\n",
        )]);
        assert!(
            html.contains("<span class=\"code-lang\">mermaid</span>"),
            "{html}"
        );
        assert!(html.contains("A[Open --&gt; B"), "{html}");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].kind, Kind::Diagram);
        assert_eq!(diags[0].pos.map(|p| p.line), Some(11), "{:?}", diags[0]);
        let _ = Position::default();
    }
}
