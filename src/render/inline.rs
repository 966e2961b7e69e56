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
        let links = if urls && may_hold_links(s) {
            crate::autolink::find(s)
        } else {
            Vec::new()
        };
        let mut last = 0;
        for link in links {
            push_marked(&s[last..link.range.start], out, marking);
            let shown = &s[link.range.clone()];
            // A `==` inside the address is no delimiter.
            for _ in shown.matches("==") {
                marking.delimiters.next();
            }
            out.push(Event::Html(
                format!("<a href=\"{}\">{}</a>", escape(&link.href), escape(shown)).into(),
            ));
            last = link.range.end;
        }
        push_marked(&s[last..], out, marking);
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

/// Whether text may hold a bare link (a scheme, `www.` or an `@`).
fn may_hold_links(s: &str) -> bool {
    s.contains("://") || s.contains("www.") || s.contains('@')
}

/// Plain text as HTML, its bare URLs made links as in a note's text (for
/// property values).
pub fn text_with_urls(text: &str) -> String {
    if !may_hold_links(text) {
        return escape(text);
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut last = 0;
    for link in crate::autolink::find(text) {
        out.push_str(&escape(&text[last..link.range.start]));
        out.push_str(&format!(
            "<a href=\"{}\">{}</a>",
            escape(&link.href),
            escape(&text[link.range.clone()])
        ));
        last = link.range.end;
    }
    out.push_str(&escape(&text[last..]));
    out
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

    #[test]
    fn bare_e_mail_addresses_and_ftp_become_links_by_gfm_rules() {
        let (html, _) = render_first(&[(
            "a.md",
            "Écrire à qualite+iso@exemple.fr. ou a.b@c-; voir www.google.com/search?q=(business))+ok et ftp://foo.bar.baz.

| a | b |\n",
        )]);
        for want in [
            "Écrire à <a href=\"mailto:qualite+iso@exemple.fr\">qualite+iso@exemple.fr</a>. ou a.b@c-;",
            "<a href=\"http://www.google.com/search?q=(business))+ok\">www.google.com/search?q=(business))+ok</a>",
            "<a href=\"ftp://foo.bar.baz\">ftp://foo.bar.baz</a>.",
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
    }

    #[test]
    fn a_table_without_rows_has_no_empty_body() {
        let (html, _) = render_first(&[("a.md", "| a | b |\n| --- | --- |\n")]);
        assert!(
            html.contains("</thead></table>") && !html.contains("<tbody>"),
            "{html}"
        );
    }
}
