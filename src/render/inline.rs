//! Render pass: inline `#tags` and `==highlights==` in text.
//!
//! Tags become links to their tag page (found with the same
//! `markdown::find_tags` that parse used, headings included, as Obsidian
//! counts them); `==text==` becomes `<mark>`. Text inside code blocks and
//! links is left alone.

use super::Page;
use crate::html::escape;
use crate::markdown::find_tags;
use crate::paths::name_key;
use pulldown_cmark::{Event, Tag, TagEnd};

/// Whether an event starts or ends a block a highlight cannot cross.
fn block_edge(e: &Event) -> bool {
    matches!(
        e,
        Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::Heading { .. })
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_))
    )
}

/// For each `==` in the text of `events` (outside code), in order, whether
/// it opens or closes a highlight. As in Obsidian, a `==` opens one only
/// before a non-space and closes one only after a non-space, within one
/// block: `a == b`, an `==` left alone, or `\==escaped==` stays text.
fn highlight_delimiters(events: &[Event]) -> Vec<bool> {
    let mut active = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut code = 0usize;
    for e in events {
        match e {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            e if block_edge(e) => open.clear(),
            Event::Text(t) if code == 0 => {
                for (i, _) in t.match_indices("==") {
                    let before = t[..i].chars().next_back();
                    let after = t[i + 2..].chars().next();
                    let k = active.len();
                    active.push(false);
                    if before == Some('=') || after == Some('=') {
                        // Part of a longer run of `=` (`===`, `====`): text.
                        continue;
                    }
                    if !before.is_some_and(char::is_whitespace) && !open.is_empty() {
                        if let Some(o) = open.pop() {
                            active[o] = true;
                            active[k] = true;
                        }
                    } else if !after.is_some_and(char::is_whitespace) {
                        open.push(k);
                    }
                }
            }
            _ => {}
        }
    }
    active
}

/// Splits text events into tags, highlights and plain text.
pub(crate) fn pass<'e>(events: Vec<Event<'e>>, page: &Page) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len());
    let mut code = 0usize;
    let mut link = 0usize;
    let mut marking = false;
    let delimiters = highlight_delimiters(&events);
    let mut next = delimiters.iter().copied();
    for ev in events {
        match &ev {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link { .. }) => link += 1,
            Event::End(TagEnd::Link) => link = link.saturating_sub(1),
            Event::Html(h)
                if h.starts_with("<a ")
                    || h.starts_with("<span class=\"broken-link")
                    || h.starts_with("<span class=\"unpublished-link") =>
            {
                link += 1
            }
            Event::Html(h) if h.as_ref() == "</a>" || h.as_ref() == "</span>" => {
                link = link.saturating_sub(1)
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) if marking => {
                out.push(Event::Html("</mark>".into()));
                marking = false;
            }
            Event::Text(t) if code == 0 => {
                let (tags, urls) = (link == 0, link == 0);
                let mut mark = Marks {
                    on: &mut marking,
                    delimiters: &mut next,
                };
                split_text(t, tags, urls, page, &mut mark, &mut out);
                continue;
            }
            _ => {}
        }
        out.push(ev);
    }
    out
}

/// Whether a highlight is open, and whether each `==` still to come opens or
/// closes one.
struct Marks<'a, 'd> {
    on: &'a mut bool,
    delimiters: &'a mut std::iter::Copied<std::slice::Iter<'d, bool>>,
}

fn split_text<'e>(
    text: &str,
    tags: bool,
    urls: bool,
    page: &Page,
    marking: &mut Marks<'_, '_>,
    out: &mut Vec<Event<'e>>,
) {
    let found = if tags { find_tags(text) } else { Vec::new() };
    let mut last = 0;
    let push_marked = |s: &str, out: &mut Vec<Event<'e>>, marking: &mut Marks<'_, '_>| {
        let mut parts = s.split("==");
        let mut text = parts.next().unwrap_or_default().to_string();
        for p in parts {
            if marking.delimiters.next() != Some(true) {
                text.push_str("==");
                text.push_str(p);
                continue;
            }
            if !text.is_empty() {
                out.push(Event::Text(std::mem::take(&mut text).into()));
            }
            *marking.on = !*marking.on;
            out.push(Event::Html(
                if *marking.on { "<mark>" } else { "</mark>" }.into(),
            ));
            text.push_str(p);
        }
        if !text.is_empty() {
            out.push(Event::Text(text.into()));
        }
    };
    let push_plain = |s: &str, out: &mut Vec<Event<'e>>, marking: &mut Marks<'_, '_>| {
        if !urls || !(s.contains("://") || s.contains("www.")) {
            return push_marked(s, out, marking);
        }
        for span in bare_urls().spans(s) {
            let shown = span.as_str();
            match gfm_href(shown).filter(|_| span.kind() == Some(&linkify::LinkKind::Url)) {
                Some(href) => {
                    // A `==` inside the URL is no delimiter.
                    for _ in shown.matches("==") {
                        marking.delimiters.next();
                    }
                    out.push(Event::Html(
                        format!("<a href=\"{}\">{}</a>", escape(&href), escape(shown)).into(),
                    ));
                }
                None => push_marked(span.as_str(), out, marking),
            }
        }
    };
    for (range, tag) in found {
        push_plain(&text[last..range.start], out, marking);
        match page.ctx.index.tags.get(&name_key(tag)) {
            Some(info) => out.push(Event::Html(
                format!(
                    "<a class=\"tag\" href=\"{}\">#{}</a>",
                    escape(&page.url(&info.slug.url())),
                    escape(tag)
                )
                .into(),
            )),
            None => out.push(Event::Html(
                format!("<span class=\"tag\">#{}</span>", escape(tag)).into(),
            )),
        }
        last = range.end;
    }
    push_plain(&text[last..], out, marking);
}

/// Plain text as HTML, its bare URLs made links as in a note's text (for
/// property values).
pub fn text_with_urls(text: &str) -> String {
    if !(text.contains("://") || text.contains("www.")) {
        return escape(text);
    }
    let mut out = String::with_capacity(text.len() + 32);
    for span in bare_urls().spans(text) {
        let shown = span.as_str();
        match gfm_href(shown).filter(|_| span.kind() == Some(&linkify::LinkKind::Url)) {
            Some(href) => out.push_str(&format!(
                "<a href=\"{}\">{}</a>",
                escape(&href),
                escape(shown)
            )),
            None => out.push_str(&escape(shown)),
        }
    }
    out
}

/// Where a bare URL leads, if it is one of GFM's extended autolinks
/// (`http://`, `https://`, `www.`: no `javascript:` or other scheme a note
/// could slip in).
fn gfm_href(shown: &str) -> Option<String> {
    let starts = |p: &str| {
        shown
            .get(..p.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(p))
    };
    if starts("http://") || starts("https://") {
        Some(shown.to_string())
    } else if starts("www.") {
        Some(format!("http://{shown}"))
    } else {
        None
    }
}

/// Finds bare URLs as GFM's extended autolinks do: with a scheme
/// (`https://…`) or starting with `www.`; trailing punctuation and unmatched
/// closing brackets stay outside the link.
fn bare_urls() -> linkify::LinkFinder {
    let mut f = linkify::LinkFinder::new();
    f.kinds(&[linkify::LinkKind::Url])
        .url_must_have_scheme(false);
    f
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_first;

    #[test]
    fn tags_link_to_their_pages_and_highlights_mark() {
        let (html, _) = render_first(&[(
            "d/a.md",
            "Voir #norme/ISO-9001 et ==très important== ici.\n\n`#code` [#lien](x)",
        )]);
        assert!(html.contains("<a class=\"tag\" href=\"../../tags/norme/iso-9001/index.html\">#norme/ISO-9001</a>"), "{html}");
        assert!(html.contains("<mark>très important</mark>"), "{html}");
        assert!(html.contains("<code>#code</code>"));
        assert!(
            !html.contains("==") && !html.contains("tag\">#lien"),
            "{html}"
        );
    }

    #[test]
    fn a_highlight_needs_both_ends_and_an_escape_stays_text() {
        let (html, _) = render_first(&[(
            "a.md",
            "A \\==literal== text, a == b, and ==marked==.\n\n==open only\n\n`==code==` and ==x *y* z== then x==y==z.\n\n- ==item== and a == b\n\n| ==c== | d == e |\n|---|---|\n\n=== and ==== stay, ==a== too\n",
        )]);
        for want in [
            "<p>A ==literal== text, a == b, and <mark>marked</mark>.</p>",
            "<p>==open only</p>",
            "<p><code>==code==</code> and <mark>x <em>y</em> z</mark> then x<mark>y</mark>z.</p>",
            "<li><mark>item</mark> and a == b</li>",
            "<th><mark>c</mark></th><th>d == e</th>",
            "<p>=== and ==== stay, <mark>a</mark> too</p>",
        ] {
            assert!(html.contains(want), "{want}\n{html}");
        }
    }

    #[test]
    fn bare_urls_become_links() {
        let (html, _) = render_first(&[(
            "d/a.md",
            "Voir https://www.iso.org/fr/normes.html, puis (www.iec.ch) et https://a.example/?q=1&r=2 fichier.md.\n\njavascript://%0aalert(1) `https://code.example` [https://lien.example](https://x.example) ftp.example.com",
        )]);
        assert!(
            html.contains("Voir <a href=\"https://www.iso.org/fr/normes.html\">https://www.iso.org/fr/normes.html</a>, puis (<a href=\"http://www.iec.ch\">www.iec.ch</a>) et <a href=\"https://a.example/?q=1&amp;r=2\">https://a.example/?q=1&amp;r=2</a> fichier.md."),
            "{html}"
        );
        assert!(html.contains("<code>https://code.example</code>"), "{html}");
        assert_eq!(html.matches("<a ").count(), 4, "{html}");
        assert!(html.contains(" ftp.example.com"), "{html}");
    }
}
