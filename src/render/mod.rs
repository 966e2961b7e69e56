//! Rendering: from a parsed note and the index to HTML.
//!
//! Fifth stage, run in parallel. The note's stored Markdown events go through
//! small named passes, each its own module, in this order: `links` (links,
//! embeds, broken links), `math` (formulas to MathML), `callouts`, `blocks`
//! (block-id anchors), `tasks` (task items and custom markers), `inline`
//! (tags and `==highlight==`), `code` (syntax highlighting and Mermaid
//! diagrams), `footnotes` (numbering, inline `^[…]` notes) and `headings`
//! (anchor links); then pulldown-cmark writes the HTML, and `sanitize`
//! cleans it when the site asks for it. Render knows no templates, no server
//! and no filesystem: it returns a [`RenderedNote`].

mod blocks;
mod callouts;
mod code;
mod footnotes;
mod headings;
mod inline;
pub use code::reads_note_names;
pub use inline::text_with_urls;
mod links;
pub use links::link_tags;
mod math;
mod tasks;

use crate::config::CalloutType;
use crate::diagnostics::Diagnostic;
use crate::index::Index;
use crate::markdown::first_block_len;
use crate::parse::Note;
use crate::paths::{relative_url, LinkStyle, UrlPath};
use pulldown_cmark::Event;
use std::collections::BTreeMap;

/// Everything a note needs from the rest of the site to be rendered.
pub struct RenderContext<'a> {
    /// All parsed notes.
    pub notes: &'a [Note],
    /// The resolved index.
    pub index: &'a Index,
    /// How page links are written.
    pub style: LinkStyle,
    /// Whether a single newline is a line break.
    pub line_breaks: bool,
    /// Extra callout types from `site.toml`.
    pub callouts: &'a BTreeMap<String, CalloutType>,
    /// Sanitise the HTML of notes (`sanitize`, on unless `site.toml` says
    /// `sanitize = false`).
    pub sanitize: bool,
    /// Highlight code (off for `isokb check`, which writes no HTML).
    pub highlight: bool,
    /// The site's language, for the few words render writes.
    pub language: crate::i18n::Language,
    /// The attachments, parallel to `index.files` (bases read their size
    /// and times).
    pub files: &'a [crate::scan::Attachment],
}

/// A table-of-contents entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// Heading level (2 for `##`).
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Heading text.
    pub text: String,
}

/// A note, rendered.
#[derive(Debug, Clone, Default)]
pub struct RenderedNote {
    /// The body as HTML.
    pub html: String,
    /// Headings for the table of contents.
    pub toc: Vec<TocEntry>,
}

/// Embeds nest at most this deep.
pub const MAX_EMBED_DEPTH: usize = 5;

/// Part of a note being rendered, in the embed chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub range: (usize, usize),
    pub fragment: Option<String>,
}

/// State of one page being rendered: where it lives (for relative URLs), the
/// embed chain (for cycle detection) and the findings so far.
pub(crate) struct Page<'a> {
    pub ctx: &'a RenderContext<'a>,
    pub depth: usize,
    pub chain: Vec<usize>,
    /// For each note of `chain`, the events rendered (`start..end`) and the
    /// section or block they are (`None` for the whole note): a note may
    /// embed another part of itself, and only the same part again is a
    /// cycle.
    pub parts: Vec<Part>,
    pub diags: Vec<Diagnostic>,
    /// Markup isokb generated (MathML, SVG, players) held out of sanitising.
    pub own: Vec<String>,
    /// Diagrams drawn so far on this page (their SVG ids must differ).
    pub diagrams: usize,
    /// Embedded ranges with footnotes so far (each gets its own ids).
    pub footnote_scopes: usize,
    /// Whether the page holds something the sanitiser must see: HTML the
    /// author wrote, or a link whose URL is not plainly safe.
    pub raw_html: bool,
    /// Inside an embed of a base: the view it names (`""` for the first).
    pub base_view: Option<String>,
    /// Bases drawn so far on this page (their views' ids must differ).
    pub bases: usize,
    /// The boards of the canvases being drawn (a canvas may show another),
    /// each with its nodes' boxes and its markers' mark.
    pub canvas: Vec<(crate::canvas::Board, String)>,
}

impl Page<'_> {
    /// A relative link from this page to a site location.
    pub fn url(&self, target: &UrlPath) -> String {
        relative_url(self.depth, target, self.ctx.style)
    }

    /// Marks markup isokb generated itself (MathML, diagram SVG, icons,
    /// players): returned as is, or, when sanitising, as a placeholder that
    /// `sanitize` puts back after cleaning the author's HTML.
    pub fn own(&mut self, html: String) -> String {
        if !self.ctx.sanitize {
            return html;
        }
        // The line end stays outside: the HTML writer reads it to know
        // whether the next block needs one.
        let body = html.trim_end_matches('\n').len();
        let mut held = crate::sanitize::placeholder(self.own.len());
        held.push_str(&html[body..]);
        let mut html = html;
        html.truncate(body);
        self.own.push(html);
        held
    }
}

/// Whether rendering `note` can find something to report: every finding of
/// render comes from an embed (cycles, depth), a formula or a Mermaid
/// diagram. `check` renders only these notes.
pub fn may_report(note: &crate::parse::Note) -> bool {
    !note.math_pos.is_empty()
        || note.links.iter().any(|l| l.raw.embed)
        || (!note.code_pos.is_empty()
            && note
                .body
                .as_bytes()
                .windows(7)
                .any(|w| w.eq_ignore_ascii_case(b"mermaid")))
}

/// Renders note `id` for its own page.
pub fn render_note(ctx: &RenderContext, id: usize) -> (RenderedNote, Vec<Diagnostic>) {
    let note = &ctx.notes[id];
    let events = note.events();
    let skip_h1 = if note.title_is_h1 {
        first_block_len(&events)
    } else {
        0
    };
    let mut page = Page {
        ctx,
        depth: ctx.index.notes[id].slug.depth(),
        chain: vec![id],
        parts: vec![Part {
            range: (skip_h1, events.len()),
            fragment: None,
        }],
        diags: Vec::new(),
        own: Vec::new(),
        diagrams: 0,
        footnote_scopes: 0,
        raw_html: false,
        base_view: None,
        bases: 0,
        canvas: Vec::new(),
    };
    let mut html = render_events(&mut page, id, events, skip_h1);
    if ctx.sanitize {
        // A page made of isokb's own markup alone has nothing to clean.
        html = match page.raw_html {
            true => crate::sanitize::clean(&html, &page.own),
            false => crate::sanitize::restore(html, &page.own),
        };
    }
    // A canvas's headings are its cards' titles, not sections of a page.
    let sections = if crate::canvas::is_canvas(&note.path) {
        &[][..]
    } else {
        &note.headings[..]
    };
    let toc = sections
        .iter()
        .skip(usize::from(note.title_is_h1))
        .map(|h| TocEntry {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect();
    (RenderedNote { html, toc }, page.diags)
}

/// Renders `events[start..]` of note `id` (a whole body, a section or a block)
/// through every pass, as HTML for the current page.
pub(crate) fn render_events<'e>(
    page: &mut Page,
    id: usize,
    events: Vec<Event<'e>>,
    start: usize,
) -> String {
    let end = events.len();
    render_range(page, id, events, start, end)
}

pub(crate) fn render_range<'e>(
    page: &mut Page,
    id: usize,
    mut events: Vec<Event<'e>>,
    start: usize,
    end: usize,
) -> String {
    events.truncate(end);
    let evs = events.split_off(start);
    if page.ctx.sanitize && !page.raw_html {
        page.raw_html = evs.iter().any(crate::sanitize::needs_cleaning);
    }
    // No raw-text tag of the author's can swallow the rest of the note or
    // the page (GFM's tag filter), cleaned or not.
    let cleaned = page.ctx.sanitize;
    let filtered = |h: pulldown_cmark::CowStr<'e>| match crate::sanitize::tagfilter(&h, cleaned) {
        std::borrow::Cow::Borrowed(_) => h,
        std::borrow::Cow::Owned(o) => o.into(),
    };
    let evs = if evs
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
    {
        evs.into_iter()
            .map(|e| match e {
                Event::Html(h) => Event::Html(filtered(h)),
                Event::InlineHtml(h) => Event::InlineHtml(filtered(h)),
                e => e,
            })
            .collect()
    } else {
        evs
    };
    let before = &events[..];
    let evs = links::pass(page, id, links::count_refs(before), evs);
    let evs = math::pass(
        page,
        id,
        before.iter().filter(|e| math::is_math(e)).count(),
        evs,
    );
    let anchors = page.chain.len() == 1;
    let evs = blocks::quote_ids(evs, anchors);
    let evs = callouts::pass(page, evs);
    let evs = links::unwrap_block_embeds(evs);
    let evs = blocks::pass(evs, anchors);
    let evs = tasks::pass(evs);
    let evs = inline::pass(evs, page);
    let evs = code::pass(
        page,
        id,
        before.iter().filter(|e| code::is_code_start(e)).count(),
        evs,
    );
    let evs = footnotes::pass(page, evs);
    let evs = headings::pass(evs, anchors);
    let line_breaks = page.ctx.line_breaks;
    let evs = evs.into_iter().map(|e| match e {
        Event::SoftBreak if line_breaks => Event::HardBreak,
        e => e,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, evs);
    // pulldown-cmark opens a table's body after its head even when no row
    // follows: GFM writes no empty `<tbody>`.
    const EMPTY_BODY: &str = "</thead><tbody>\n</tbody>";
    if html.contains(EMPTY_BODY) {
        html = html.replace(EMPTY_BODY, "</thead>");
    }
    html
}

crate::indexed_by!(crate::ids::NoteId => Option<RenderedNote>);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Strings of `0..max_len` pieces drawn from `pieces`, `per_len` of each
    /// length, the same for the same seed (a linear congruential generator).
    pub(crate) fn mixed_strings(
        pieces: &[&str],
        max_len: usize,
        per_len: usize,
        mut seed: u64,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for len in 0..max_len {
            for _ in 0..per_len {
                let mut s = String::new();
                for _ in 0..len {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    s.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
                }
                out.push(s);
            }
        }
        out
    }
    use crate::index::build_index;
    use crate::parse::parse_note;
    use crate::paths::VaultPath;
    use crate::scan::SourceNote;
    use crate::summary::{summarize, summary_text};

    /// Renders the first note of a small vault.
    pub fn render_first(files: &[(&str, &str)]) -> (String, Vec<Diagnostic>) {
        render_nth(files, 0)
    }

    pub fn render_nth(files: &[(&str, &str)], n: usize) -> (String, Vec<Diagnostic>) {
        render_with(files, n, false)
    }

    pub fn render_with(
        files: &[(&str, &str)],
        n: usize,
        sanitize: bool,
    ) -> (String, Vec<Diagnostic>) {
        let notes: Vec<Note> = files
            .iter()
            .map(|(p, t)| {
                parse_note(&SourceNote {
                    path: VaultPath::new(p),
                    text: t.to_string(),
                    modified: 0,
                })
                .0
            })
            .collect();
        let attachments = [
            VaultPath::new("img/Photo 1.png"),
            VaultPath::new("doc.pdf"),
            VaultPath::new("son.mp3"),
        ];
        let (index, _) = build_index(&notes, &attachments, false);
        let callouts = BTreeMap::new();
        let ctx = RenderContext {
            notes: &notes,
            index: &index,
            style: LinkStyle::Explicit,
            line_breaks: true,
            callouts: &callouts,
            sanitize,
            highlight: true,
            language: crate::i18n::Language::english(),
            files: &[],
        };
        let (r, d) = render_note(&ctx, n);
        (r.html, d)
    }

    #[test]
    fn title_h1_is_not_repeated_and_summary_skips_it() {
        let (html, _) = render_first(&[("a.md", "# Titre\n\nCorps du texte.")]);
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("<p>Corps du texte.</p>"));
        assert_eq!(
            summarize("Titre Corps du texte long", "Titre", 10),
            "Corps du…"
        );
    }

    #[test]
    fn a_summary_read_up_to_its_length_equals_one_of_the_whole_text() {
        let word =
            |i: usize| ["qualité", "x", "audit", "«", "l'été", "données"][i % 6].repeat(1 + i % 4);
        // Paragraphs, lines, one long line, list items; words apart by one
        // space or many (bytes the summary does not count).
        let shapes = [
            ("\n\n", " "),
            ("\n", " "),
            (" ", " "),
            ("\n\n- ", " "),
            ("\n", "            "),
        ];
        for n in [0, 1, 30, 39, 40, 41, 60, 200, 400] {
            for (breaks, gap) in shapes {
                let body: String = (0..n)
                    .map(|i| format!("{}{}", word(i), if i % 3 == 2 { breaks } else { gap }))
                    .collect();
                let (note, _) = crate::parse::parse_note(&SourceNote {
                    path: VaultPath::new("a.md"),
                    text: format!("{body}\n\n{}", "z".repeat(300)),
                    modified: 0,
                });
                assert_eq!(
                    note.summary,
                    summarize(&summary_text(&note.events(), None), "", 200),
                    "{n} words, {breaks:?}, {gap:?}"
                );
            }
        }
    }

    #[test]
    fn summaries_keep_words_apart_only_where_the_text_does() {
        let (n, _) = crate::parse::parse_note(&SourceNote {
            path: VaultPath::new("a.md"),
            text: "> [!tip] Un *titre* riche\n> **gras**, fin.\n\nSuite".into(),
            modified: 0,
        });
        assert_eq!(
            summary_text(&n.events(), None),
            " Un titre riche gras, fin. Suite "
        );
    }

    #[test]
    fn summaries_hold_no_obsidian_syntax() {
        let (n, _) = crate::parse::parse_note(&SourceNote {
            path: VaultPath::new("a.md"),
            text: "# T\n\n> [!faq]- Pourquoi ?\n> ==Parce que==^[note *en [[x]] deux*] $x$ ^blk\n\n- [?] tâche [[N#Rôle]] ![[img.png|300]]\n\n```rust\nlet x = 1;\n```\n\n`code` fin".into(),
            modified: 0,
        });
        let events = n.events();
        let text = summary_text(&events[first_block_len(&events)..], None);
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>().join(" "),
            "Pourquoi ? Parce que x tâche N > Rôle code fin"
        );
    }

    #[test]
    fn soft_breaks_follow_the_setting() {
        let (html, _) = render_first(&[("a.md", "ligne 1\nligne 2")]);
        assert!(html.contains("ligne 1<br />"), "{html}");
    }

    #[test]
    fn an_unclosed_raw_text_tag_swallows_nothing() {
        for sanitize in [true, false] {
            for tag in ["textarea", "title", "xmp", "plaintext", "noembed"] {
                // CommonMark makes the rest of the note one HTML block;
                // the tag is written as text, so it stays visible and
                // cannot take in what follows the note.
                let note = format!("Before.\n\n<{tag}>\n\nAfter it, **bold** text.\n");
                let (html, _) = render_with(&[("a.md", &note)], 0, sanitize);
                assert!(
                    html.contains("After it, "),
                    "{tag}, sanitize {sanitize}: {html}"
                );
                assert!(
                    html.contains(&format!("&lt;{tag}")) && !html.contains(&format!("<{tag}")),
                    "{tag}, sanitize {sanitize}: {html}"
                );
            }
        }
    }

    #[test]
    fn sanitizing_removes_author_scripts_and_keeps_isokb_markup() {
        let note = "> [!tip] T\n> $x^2$\n\n```mermaid\npie\n  \"a\" : 1\n```\n\n```rust\nlet a = 1;\n```\n\n- [?] t ^blk\n\nA^[n] <span onclick=\"x()\">s</span><script>alert(1)</script>\n\n<iframe src=\"javascript:alert(2)\"></iframe> <iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n\n![[doc.pdf]]\n\n## H";
        let (raw, _) = render_with(&[("a.md", note)], 0, false);
        assert!(
            raw.contains("&lt;script>") && raw.contains("onclick"),
            "raw HTML passes with sanitize off, GFM's tag filter aside"
        );
        let (html, _) = render_with(&[("a.md", note)], 0, true);
        for kept in [
            "<div class=\"callout\" data-callout=\"tip\">",
            "<span class=\"callout-icon\"><svg viewBox",
            "<math><msup>",
            "<div class=\"mermaid\"><svg id=\"mermaid-0-1\"",
            "<style>",
            "<span class=\"hl-",
            "<button class=\"copy-code\"",
            "<li id=\"^blk\" class=\"task-list-item is-checked\" data-task=\"?\"><input type=\"checkbox\"",
            "<section class=\"footnotes\">",
            "<iframe src=\"../doc.pdf\"",
            "<h2 id=\"h\">H <a class=\"heading-anchor\" href=\"#h\" aria-hidden=\"true\" tabindex=\"-1\">",
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
        ] {
            assert!(html.contains(kept), "lost {kept}: {html}");
        }
        for gone in ["<script", "onclick", "javascript:"] {
            assert!(!html.contains(gone), "kept {gone}: {html}");
        }
    }
}
