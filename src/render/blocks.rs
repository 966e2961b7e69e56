//! Render pass: block ids (`^id`).
//!
//! ` ^id` at the end of a paragraph or list item becomes the element's `id`
//! (`id="^id"`, so `#^id` links work as Obsidian writes them) and leaves the
//! visible text. A paragraph holding only `^id` after a list, quote or table
//! wraps that previous block in an anchored `<div>`. As in Obsidian, an id
//! ending a quote or a callout (`> text ^id`, `> ^id` on its last line, or
//! `^id` on the line after it) names the whole quote or callout: it is
//! wrapped the same way, before the callout pass turns it into a callout.
//! In embedded content the ids still leave the text but anchor nothing: the
//! page already has them.

use crate::html::escape;
use crate::markdown::{first_block_len, is_block_end, trailing_block_id};
use pulldown_cmark::{Event, Tag, TagEnd};

fn closes_block(next: Option<&Event>) -> bool {
    match next {
        Some(Event::End(e)) => is_block_end(e),
        Some(Event::Start(Tag::List(_))) => true,
        _ => false,
    }
}

/// An anchored `<div>` around a block.
fn wrap<'e>(out: &mut Vec<Event<'e>>, start: usize, id: &str) {
    out.insert(
        start,
        Event::Html(format!("<div class=\"block\" id=\"^{}\">\n", escape(id)).into()),
    );
    out.push(Event::Html("</div>\n".into()));
}

/// Takes the block id off the end of the paragraph that `out` ends with
/// (its `End`), with the line break before it and the paragraph itself if
/// nothing else is left; returns the id.
fn take_trailing_id(out: &mut Vec<Event<'_>>) -> Option<String> {
    let n = out.len();
    if n < 2 || !matches!(out[n - 1], Event::End(TagEnd::Paragraph)) {
        return None;
    }
    let Event::Text(t) = &out[n - 2] else {
        return None;
    };
    let (before, id) = trailing_block_id(t)?;
    let (before, id) = (before.to_string(), id.to_string());
    let end = out.pop();
    out.pop();
    if before.is_empty() {
        while matches!(out.last(), Some(Event::SoftBreak | Event::HardBreak)) {
            out.pop();
        }
    } else {
        out.push(Event::Text(before.into()));
    }
    if matches!(out.last(), Some(Event::Start(Tag::Paragraph))) {
        out.pop();
    } else {
        out.extend(end);
    }
    Some(id)
}

/// Gives a top-level quote (or callout, still a quote here) the block id
/// that ends it or stands alone on the line after it.
pub(crate) fn quote_ids<'e>(events: Vec<Event<'e>>, anchors: bool) -> Vec<Event<'e>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::BlockQuote(_))))
    {
        return events;
    }
    let mut out: Vec<Event<'e>> = Vec::with_capacity(events.len() + 2);
    let mut depth = 0usize;
    let mut quote = None;
    let mut i = 0;
    while i < events.len() {
        let ev = events[i].clone();
        i += 1;
        match &ev {
            Event::Start(t) => {
                if depth == 0 && matches!(t, Tag::BlockQuote(_)) {
                    quote = Some(out.len());
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(ev);
        let Some(start) = quote.filter(|_| depth == 0) else {
            continue;
        };
        quote = None;
        out.pop();
        let mut id = take_trailing_id(&mut out);
        out.push(events[i - 1].clone());
        if id.is_none() {
            if let (
                Some(Event::Start(Tag::Paragraph)),
                Some(Event::Text(t)),
                Some(Event::End(TagEnd::Paragraph)),
            ) = (events.get(i), events.get(i + 1), events.get(i + 2))
            {
                if let Some(("", lone)) = trailing_block_id(t) {
                    id = Some(lone.to_string());
                    i += 3;
                }
            }
        }
        if let Some(id) = id.filter(|_| anchors) {
            wrap(&mut out, start, &id);
        }
    }
    out
}

/// Moves block ids from the text to the elements (`anchors` false: only
/// removes them, for embedded content).
pub(crate) fn pass<'e>(events: Vec<Event<'e>>, anchors: bool) -> Vec<Event<'e>> {
    let mut out: Vec<Event<'e>> = Vec::with_capacity(events.len());
    let mut open: Vec<usize> = Vec::new(); // indices in `out` of open paragraphs and items
    let mut depth = 0usize;
    let mut last_top: Option<usize> = None;
    let mut i = 0;
    while i < events.len() {
        // A lone `^id` paragraph at the top level anchors the previous block.
        if depth == 0 {
            if let (
                Event::Start(Tag::Paragraph),
                Some(Event::Text(t)),
                Some(Event::End(TagEnd::Paragraph)),
            ) = (&events[i], events.get(i + 1), events.get(i + 2))
            {
                if let (Some(("", id)), Some(start)) = (trailing_block_id(t), last_top) {
                    if anchors {
                        wrap(&mut out, start, id);
                    }
                    i += 3;
                    continue;
                }
            }
        }
        let ev = events[i].clone();
        match &ev {
            Event::Start(t) => {
                if depth == 0 {
                    last_top = Some(out.len());
                }
                depth += 1;
                if matches!(t, Tag::Paragraph | Tag::Item) {
                    open.push(out.len());
                }
            }
            Event::End(t) => {
                depth = depth.saturating_sub(1);
                if matches!(t, TagEnd::Paragraph | TagEnd::Item) {
                    open.pop();
                }
            }
            Event::Text(t) if closes_block(events.get(i + 1)) => {
                if let (Some((before, id)), Some(&at)) = (trailing_block_id(t), open.last()) {
                    let tag = if matches!(out[at], Event::Start(Tag::Item)) {
                        "li"
                    } else {
                        "p"
                    };
                    if matches!(out[at], Event::Start(_)) {
                        if anchors {
                            out[at] = Event::Html(format!("<{tag} id=\"^{}\">", escape(id)).into());
                        }
                        if before.is_empty() {
                            // `^id` on a line of its own: no line break left before it.
                            while out.len() > at + 1
                                && matches!(out.last(), Some(Event::SoftBreak | Event::HardBreak))
                            {
                                out.pop();
                            }
                        } else {
                            out.push(Event::Text(before.to_string().into()));
                        }
                        i += 1;
                        continue;
                    }
                }
            }
            _ => {}
        }
        out.push(ev);
        i += 1;
    }
    out
}

/// The event range of block `id` in a note's events (for `![[Note#^id]]`).
pub(crate) fn block_range(events: &[Event<'_>], id: &str) -> Option<(usize, usize)> {
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut last_top: Option<usize> = None;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(t) => {
                if depth == 0 {
                    last_top = Some(i);
                }
                depth += 1;
                if matches!(t, Tag::Paragraph | Tag::Item) {
                    open.push(i);
                }
            }
            Event::End(t) => {
                depth = depth.saturating_sub(1);
                if matches!(t, TagEnd::Paragraph | TagEnd::Item) {
                    open.pop();
                }
            }
            Event::Text(t) => {
                if let Some((before, found)) = trailing_block_id(t) {
                    if found.eq_ignore_ascii_case(id) {
                        let ends_quote = depth == 2
                            && matches!(
                                (events.get(i + 1), events.get(i + 2)),
                                (
                                    Some(Event::End(TagEnd::Paragraph)),
                                    Some(Event::End(TagEnd::BlockQuote(_)))
                                )
                            );
                        let start = if ends_quote {
                            last_top?
                        } else if before.is_empty() && depth == 1 {
                            last_top_before(events, i)?
                        } else {
                            *open.last()?
                        };
                        return Some((start, start + first_block_len(&events[start..])));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The list holding the item that starts at `item`, as the item's own
/// one-item list: `Some(n)` (ordered, `n` its number) or `None` (bullets);
/// `None` outside when `item` is no list item.
pub(crate) fn list_of_item(events: &[Event<'_>], item: usize) -> Option<Option<u64>> {
    if !matches!(events.get(item), Some(Event::Start(Tag::Item))) {
        return None;
    }
    let mut depth = 0usize;
    let mut before = 0u64;
    for e in events[..item].iter().rev() {
        match e {
            Event::End(_) => depth += 1,
            Event::Start(t) if depth == 0 => {
                return match t {
                    Tag::List(first) => Some(first.map(|n| n + before)),
                    _ => None,
                };
            }
            Event::Start(t) => {
                depth -= 1;
                if depth == 0 && matches!(t, Tag::Item) {
                    before += 1;
                }
            }
            _ => {}
        }
    }
    None
}

fn last_top_before(events: &[Event<'_>], para_text: usize) -> Option<usize> {
    let mut depth = 0i32;
    let mut last = None;
    for (i, e) in events[..para_text.saturating_sub(1)].iter().enumerate() {
        match e {
            Event::Start(_) => {
                if depth == 0 {
                    last = Some(i);
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_first;

    #[test]
    fn an_id_ending_a_quote_or_a_callout_names_all_of_it() {
        let (html, _) = render_first(&[(
            "a.md",
            "Para line\n^p1\n\n> quote text\n> ^q1\n\n> [!hint] Title\n> first\n>\n> second\n^c1\n\n> [!note] Other\n> body\n\n^c2\n\n> inline end ^q2\n",
        )]);
        assert!(html.contains("<p id=\"^p1\">Para line</p>"), "{html}");
        assert!(
            html.contains("<div class=\"block\" id=\"^q1\">\n<blockquote>\n<p>quote text</p>\n</blockquote>\n</div>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<div class=\"block\" id=\"^c1\">\n<div class=\"callout\" data-callout=\"hint\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("<p>second</p>\n</div></div>\n</div>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<div class=\"block\" id=\"^c2\">\n<div class=\"callout\" data-callout=\"note\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"block\" id=\"^q2\">\n<blockquote>\n<p>inline end</p>"),
            "{html}"
        );
        assert!(
            !html.contains("<br"),
            "no line break left where an id was: {html}"
        );
        assert!(!html.contains("^p1<") && !html.contains(">^"), "{html}");
    }

    #[test]
    fn embeds_of_a_callout_quote_or_list_item_show_the_whole_block() {
        let a = "> [!faq]- Why?\n> Because.\n>\n> And more.\n^why\n\n> A quote\n> ^q\n\n3. three\n4. four ^four\n5. five\n\n- dot ^dot\n- other\n";
        let (html, _) = render_first(&[
            (
                "b.md",
                "![[a#^why]]\n\n![[a#^q]]\n\n![[a#^four]]\n\n![[a#^dot]]\n",
            ),
            ("a.md", a),
        ]);
        assert!(
            html.contains("<div class=\"embed-content\"><details class=\"callout\" data-callout=\"faq\" data-callout-fold=\"-\">"),
            "{html}"
        );
        assert!(html.contains(">Why?</span>"), "{html}");
        assert!(html.contains("<p>Because.</p>\n<p>And more.</p>"), "{html}");
        assert!(
            html.contains(
                "<div class=\"embed-content\"><blockquote>\n<p>A quote</p>\n</blockquote>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"embed-content\"><ol start=\"4\">\n<li>four</li>\n</ol>"),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"embed-content\"><ul>\n<li>dot</li>\n</ul>"),
            "{html}"
        );
        assert!(
            !html.contains("[!faq]") && !html.contains("^why<"),
            "{html}"
        );
    }

    #[test]
    fn block_ids_become_anchors_and_leave_the_text() {
        let (html, _) = render_first(&[("a.md", "Un paragraphe ^para-1\n\n- item ^it\n- autre\n\n> cité\n\n^quote\n\n| a |\n|---|\n| b |\n\n^tab\n")]);
        assert!(
            html.contains("<p id=\"^para-1\">Un paragraphe</p>"),
            "{html}"
        );
        assert!(html.contains("<li id=\"^it\">item</li>"), "{html}");
        assert!(
            html.contains("<div class=\"block\" id=\"^quote\">\n<blockquote>"),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"block\" id=\"^tab\">\n<table>"),
            "{html}"
        );
        assert!(
            !html.contains("^para-1</p>") && !html.contains(">^"),
            "{html}"
        );
    }

    #[test]
    fn an_escaped_caret_is_text_not_a_block_id() {
        let (html, _) = render_first(&[(
            "a.md",
            "texte \\^pas-un-id

autre ^vrai

\\^seul
",
        )]);
        for want in [
            "<p>texte ^pas-un-id</p>",
            "<p id=\"^vrai\">autre</p>",
            "<p>^seul</p>",
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
        assert!(!html.contains("id=\"^pas-un-id\"") && !html.contains("id=\"^seul\""));
    }
}
