//! Render pass: block ids (`^id`).
//!
//! ` ^id` at the end of a paragraph or list item becomes the element's `id`
//! (`id="^id"`, so `#^id` links work as Obsidian writes them) and leaves the
//! visible text. A paragraph holding only `^id` after a list, quote or table
//! wraps that previous block in an anchored `<div>`. In embedded content the
//! ids still leave the text but anchor nothing: the page already has them.

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
                    if !anchors {
                        i += 3;
                        continue;
                    }
                    out.insert(
                        start,
                        Event::Html(
                            format!("<div class=\"block\" id=\"^{}\">\n", escape(id)).into(),
                        ),
                    );
                    out.push(Event::Html("</div>\n".into()));
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
                        out.push(Event::Text(before.to_string().into()));
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
                        let start = if before.is_empty() && depth == 1 {
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
    let _ = last_top;
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
}
