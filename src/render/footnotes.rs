//! Render pass: footnotes, including Obsidian's inline `^[…]` notes.
//!
//! pulldown-cmark parses `[^label]` references and their definitions but not
//! inline notes: `^[text]` is found here, across text events (its text may
//! hold emphasis, links or math), and becomes a reference plus a definition.
//! All footnotes are then numbered by first reference and listed at the end
//! of the rendered range in `<section class="footnotes">`, each with a link
//! back to its reference. Ids carry a scope per rendered range so a page and
//! the notes it embeds never share one. Runs after the passes that rewrite
//! links and math, so moving a note's events cannot upset their numbering.

use super::Page;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::VecDeque;

/// Footnotes of one rendered range: inline ones found, then all laid out.
pub(crate) fn pass<'e>(page: &mut Page, events: Vec<Event<'e>>) -> Vec<Event<'e>> {
    let has_inline = events
        .iter()
        .any(|e| matches!(e, Event::Text(t) if t.contains("^[")));
    let has_notes = events.iter().any(|e| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    });
    if !has_inline && !has_notes {
        return events;
    }
    let events = if has_inline { inline(events) } else { events };
    // The page's own notes get plain ids; each embedded range its own scope.
    let scope = if page.chain.len() == 1 {
        0
    } else {
        page.footnote_scopes += 1;
        page.footnote_scopes
    };
    let back = page.ctx.language.word("footnote_back");
    layout(events, scope, back)
}

/// Rewrites `^[…]` into references and appends their definitions.
fn inline<'e>(events: Vec<Event<'e>>) -> Vec<Event<'e>> {
    let mut queue: VecDeque<Event<'e>> = events.into();
    let mut out = Vec::with_capacity(queue.len());
    let mut defs = Vec::new();
    while let Some(ev) = queue.pop_front() {
        let Event::Text(t) = &ev else {
            out.push(ev);
            continue;
        };
        let Some(at) = t.find("^[") else {
            out.push(ev);
            continue;
        };
        queue.push_front(Event::Text(t[at + 2..].to_string().into()));
        let Some((content, rest)) = take_note(&mut queue) else {
            // No closing bracket in this block: the text stays as written.
            let first = queue.pop_front().unwrap_or(Event::Text("".into()));
            out.push(Event::Text(t[..at + 2].to_string().into()));
            out.push(first);
            continue;
        };
        if at > 0 {
            out.push(Event::Text(t[..at].to_string().into()));
        }
        let label: CowStr<'e> = format!("\u{0}inline-{}", defs.len() + 1).into();
        out.push(Event::FootnoteReference(label.clone()));
        defs.push(Event::Start(Tag::FootnoteDefinition(label)));
        defs.push(Event::Start(Tag::Paragraph));
        defs.extend(content);
        defs.push(Event::End(TagEnd::Paragraph));
        defs.push(Event::End(TagEnd::FootnoteDefinition));
        if !rest.is_empty() {
            queue.push_front(Event::Text(rest.into()));
        }
    }
    out.extend(defs);
    out
}

/// Takes the events of an inline note up to its closing `]` (brackets in its
/// text must balance, and so must its tags) and the text after that bracket.
/// Returns `None`, taking nothing, when the block ends first.
fn take_note<'e>(queue: &mut VecDeque<Event<'e>>) -> Option<(Vec<Event<'e>>, String)> {
    let (mut brackets, mut tags) = (0usize, 0usize);
    for i in 0..queue.len() {
        match &queue[i] {
            Event::Text(t) => {
                for (j, c) in t.char_indices() {
                    match c {
                        '[' => brackets += 1,
                        ']' if brackets > 0 => brackets -= 1,
                        ']' if tags == 0 => {
                            let (before, rest) = (t[..j].to_string(), t[j + 1..].to_string());
                            let mut content: Vec<Event<'e>> = queue.drain(..=i).collect();
                            content.pop();
                            if !before.is_empty() {
                                content.push(Event::Text(before.into()));
                            }
                            return Some((content, rest));
                        }
                        _ => {}
                    }
                }
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::Heading { .. }) => {
                return None
            }
            Event::Start(_) => tags += 1,
            Event::End(_) if tags == 0 => return None,
            Event::End(_) => tags -= 1,
            _ => {}
        }
    }
    None
}

/// Numbers references, moves definitions to a list at the end.
fn layout<'e>(events: Vec<Event<'e>>, scope: usize, back: &str) -> Vec<Event<'e>> {
    let prefix = if scope == 0 {
        String::new()
    } else {
        format!("e{scope}-")
    };
    let mut order: Vec<CowStr<'e>> = Vec::new();
    // How many times each footnote (in `order`) is cited.
    let mut cited: Vec<usize> = Vec::new();
    let mut defs: Vec<(CowStr<'e>, Vec<Event<'e>>)> = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(ev) = iter.next() {
        match ev {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let mut depth = 0usize;
                let body: Vec<Event<'e>> = iter
                    .by_ref()
                    .take_while(|e| match e {
                        Event::End(TagEnd::FootnoteDefinition) if depth == 0 => false,
                        Event::Start(_) => {
                            depth += 1;
                            true
                        }
                        Event::End(_) => {
                            depth = depth.saturating_sub(1);
                            true
                        }
                        _ => true,
                    })
                    .collect();
                defs.push((label, body));
            }
            Event::FootnoteReference(label) => {
                let n = match order.iter().position(|l| *l == label) {
                    Some(i) => i + 1,
                    None => {
                        order.push(label);
                        cited.push(0);
                        order.len()
                    }
                };
                cited[n - 1] += 1;
                // A footnote cited again gets a reference id of its own.
                let id = match cited[n - 1] {
                    1 => format!("fnref-{prefix}{n}"),
                    k => format!("fnref-{prefix}{n}-{k}"),
                };
                out.push(Event::Html(
                    format!("<sup class=\"footnote-ref\"><a href=\"#fn-{prefix}{n}\" id=\"{id}\">{n}</a></sup>").into(),
                ));
            }
            e => out.push(e),
        }
    }
    // Definitions nobody refers to are still shown, after the others,
    // with no link back.
    for (label, _) in &defs {
        if !order.contains(label) {
            order.push(label.clone());
            cited.push(0);
        }
    }
    list(&mut out, (&order, &cited), defs, (&prefix, back));
    out
}

/// The `<section class="footnotes">` list, in reference order, each with a
/// link back to each of its references (`↩`, `↩²` …).
fn list<'e>(
    out: &mut Vec<Event<'e>>,
    (order, cited): (&[CowStr<'e>], &[usize]),
    defs: Vec<(CowStr<'e>, Vec<Event<'e>>)>,
    (prefix, back_label): (&str, &str),
) {
    out.push(Event::Html("<section class=\"footnotes\">\n<ol>\n".into()));
    for (i, label) in order.iter().enumerate() {
        let n = i + 1;
        let body = defs
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, b)| b.clone())
            .unwrap_or_default();
        out.push(Event::Html(format!("<li id=\"fn-{prefix}{n}\">\n").into()));
        let back: String = (1..=cited.get(i).copied().unwrap_or(0))
            .map(|k| match k {
                1 => format!(" <a class=\"footnote-backref\" href=\"#fnref-{prefix}{n}\" aria-label=\"{back_label}\">↩</a>"),
                k => format!(" <a class=\"footnote-backref\" href=\"#fnref-{prefix}{n}-{k}\" aria-label=\"{back_label} ({k})\">↩<sup>{k}</sup></a>"),
            })
            .collect();
        let back = Event::Html(back.into());
        match body
            .iter()
            .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        {
            Some(p) if p + 1 == body.len() => {
                out.extend(body[..p].iter().cloned());
                out.push(back);
                out.push(Event::End(TagEnd::Paragraph));
            }
            _ => {
                out.extend(body);
                out.push(back);
            }
        }
        out.push(Event::Html("</li>\n".into()));
    }
    out.push(Event::Html("</ol>\n</section>\n".into()));
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render_first, render_nth};

    #[test]
    fn a_footnote_cited_twice_has_two_ids_and_an_unreferenced_one_no_dead_link() {
        let (html, _) = render_first(&[(
            "a.md",
            "One[^a] and again[^a], also[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n[^c]: Never cited.\n",
        )]);
        assert!(
            html.contains("<a href=\"#fn-1\" id=\"fnref-1\">1</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"#fn-1\" id=\"fnref-1-2\">1</a>"),
            "{html}"
        );
        assert!(
            html.contains("<p>Note A. <a class=\"footnote-backref\" href=\"#fnref-1\" aria-label=\"back to the text\">↩</a> <a class=\"footnote-backref\" href=\"#fnref-1-2\" aria-label=\"back to the text (2)\">↩<sup>2</sup></a></p>"),
            "{html}"
        );
        assert!(
            html.contains("<li id=\"fn-3\">\n<p>Never cited.</p>"),
            "{html}"
        );
        let mut ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let all = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all, "ids unique: {html}");
        for href in html.split("href=\"#").skip(1) {
            let target = &href[..href.find('"').unwrap()];
            assert!(ids.contains(&target), "#{target} has no element: {html}");
        }
    }

    #[test]
    fn references_are_numbered_and_definitions_listed_at_the_end() {
        let (html, _) = render_first(&[(
            "a.md",
            "A[^b] then[^a] and[^b] again.\n\n[^a]: First **def**.\n\n[^b]: Second.\n\n## Later\n\ntext",
        )]);
        assert!(html.contains("A<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup> then<sup class=\"footnote-ref\"><a href=\"#fn-2\""), "{html}");
        let section = &html[html.find("<section class=\"footnotes\">").expect("section")..];
        assert!(
            html.find("<h2").unwrap() < html.find("<section").unwrap(),
            "at the end: {html}"
        );
        assert!(
            section.contains(
                "<li id=\"fn-1\">\n<p>Second. <a class=\"footnote-backref\" href=\"#fnref-1\""
            ),
            "{section}"
        );
        assert!(
            section.contains("<li id=\"fn-2\">\n<p>First <strong>def</strong>."),
            "{section}"
        );
    }

    #[test]
    fn inline_notes_become_footnotes() {
        let (html, _) = render_first(&[(
            "a.md",
            "Texte^[une note avec *emphase*, [[b|un lien]] et $x$] suite, et [crochets] ^[seconde [avec] crochets].\n\n^[pas fermée\n\nfin",
        )]);
        assert!(html.contains("Texte<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup> suite, et [crochets] <sup"), "{html}");
        assert!(html.contains("<li id=\"fn-1\">\n<p>une note avec <em>emphase</em>, <span class=\"broken-link\" title=\"missing: b\">un lien</span> et <math>"), "{html}");
        assert!(
            html.contains(
                "<li id=\"fn-2\">\n<p>seconde [avec] crochets <a class=\"footnote-backref\""
            ),
            "{html}"
        );
        assert!(html.contains("<p>^[pas fermée</p>"), "{html}");
        assert!(!html.contains("^[une"), "{html}");
    }

    #[test]
    fn embedded_notes_have_their_own_footnote_ids() {
        let (html, _) = render_nth(
            &[
                ("a.md", "Top^[haut]\n\n![[b]]"),
                ("b.md", "Bas^[embarquée]"),
            ],
            0,
        );
        assert!(html.contains("id=\"fn-1\""), "{html}");
        assert!(html.contains("id=\"fn-e1-1\""), "{html}");
        assert_eq!(html.matches("id=\"fn-1\"").count(), 1, "{html}");
    }
}
