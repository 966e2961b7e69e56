//! Render pass: internal links and embeds.
//!
//! The n-th internal link event of a note is the n-th entry of its resolved
//! links in the index (parse and this pass both use `markdown::internal_ref`).
//! Resolved links get relative `href`s; broken and unpublished ones become
//! visibly marked text; embeds become images, players or transcluded notes.

use super::{render_range, Page, Part, MAX_EMBED_DEPTH};
use crate::diagnostics::{Diagnostic, Kind};
use crate::html::escape;
use crate::index::{Index, Link};
use crate::markdown::{internal_ref, plain_text, RawRef};
use crate::paths::{relative_url, LinkStyle};
use pulldown_cmark::{Event, Tag, TagEnd};

/// How many internal references are in `events` (to offset a slice).
pub fn count_refs(events: &[Event<'_>]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, Event::Start(t) if internal_ref(t).is_some()))
        .count()
}

/// Rewrites links and embeds of note `id`; `k` is the ordinal of the first link.
pub(crate) fn pass<'e>(
    page: &mut Page,
    id: usize,
    mut k: usize,
    events: Vec<Event<'e>>,
) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len());
    let mut closers: Vec<Option<&'static str>> = Vec::new();
    let mut iter = events.into_iter();
    while let Some(ev) = iter.next() {
        match ev {
            Event::Start(tag @ Tag::Link { .. }) => match internal_ref(&tag) {
                Some(raw) => {
                    let link = page.ctx.index.notes[id]
                        .links
                        .get(k)
                        .cloned()
                        .unwrap_or(Link::Broken);
                    k += 1;
                    let (mut open, close) = link_open(page, id, &link, &raw);
                    // A Markdown link's title (`[a](Note.md "title")`) is kept.
                    if let Tag::Link { title, .. } = &tag {
                        if !title.is_empty() && open.starts_with("<a ") {
                            open.insert_str(
                                open.len() - 1,
                                &format!(" title=\"{}\"", escape(title)),
                            );
                        }
                    }
                    out.push(Event::Html(open.into()));
                    closers.push(Some(close));
                    if let Tag::Link {
                        link_type: pulldown_cmark::LinkType::WikiLink { has_pothole: false },
                        ..
                    } = tag
                    {
                        // `[[Note#Heading]]` reads "Note > Heading"; skip the raw text.
                        for e in iter.by_ref() {
                            if matches!(e, Event::End(TagEnd::Link)) {
                                break;
                            }
                        }
                        // A block reads as its words, not as its `^id`.
                        let label = match &link {
                            Link::Note {
                                id: target,
                                fragment: Some(f),
                            } if f.starts_with('^') => {
                                crate::markdown::block_text(&page.ctx.notes[*target].body, &f[1..])
                            }
                            _ => None,
                        };
                        out.push(Event::Text(
                            label.unwrap_or_else(|| wiki_label(&raw)).into(),
                        ));
                        out.push(Event::Html(close.into()));
                        closers.pop();
                    }
                }
                None => {
                    closers.push(None);
                    out.push(Event::Start(tag));
                }
            },
            Event::End(TagEnd::Link) => match closers.pop().flatten() {
                Some(close) => out.push(Event::Html(close.into())),
                None => out.push(Event::End(TagEnd::Link)),
            },
            Event::Start(tag @ Tag::Image { .. }) => {
                let inner: Vec<Event> = iter
                    .by_ref()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Image)))
                    .collect();
                match internal_ref(&tag) {
                    Some(raw) => {
                        let link = page.ctx.index.notes[id]
                            .links
                            .get(k)
                            .cloned()
                            .unwrap_or(Link::Broken);
                        k += 1;
                        let label = plain_text(&inner);
                        let html = missing_image(&link, &tag, &label)
                            .unwrap_or_else(|| embed(page, id, &link, &raw, &label));
                        out.push(Event::Html(html.into()));
                    }
                    None => match web_embed(page, &tag, &plain_text(&inner)) {
                        Some(html) => out.push(Event::Html(html.into())),
                        None => {
                            out.push(Event::Start(tag));
                            out.extend(inner);
                            out.push(Event::End(TagEnd::Image));
                        }
                    },
                }
            }
            e => out.push(e),
        }
    }
    out
}

/// Link text for a wikilink without `|text`, as Obsidian shows it: `Note`,
/// `Note > Heading`, `Heading`.
fn wiki_label(raw: &RawRef) -> String {
    let anchor = raw.anchor.as_deref().map(|a| {
        a.split('#')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" > ")
    });
    match (raw.target.is_empty(), anchor) {
        (true, Some(a)) => a,
        (false, Some(a)) if !a.is_empty() => format!("{} > {}", raw.target, a),
        _ => raw.target.clone(),
    }
}

fn link_open(page: &Page, id: usize, link: &Link, raw: &RawRef) -> (String, &'static str) {
    let own = (page.chain.len() == 1).then_some(id);
    link_tags(
        page.ctx.index,
        link,
        &raw.target,
        page.depth,
        page.ctx.style,
        own,
    )
}

/// The tags around a link's text, the one markup of links for note bodies
/// and property values: `<a>` to a note or a file (URLs relative to a page
/// `depth` folders down), or a `<span>` for an unpublished or missing
/// `target`. A link from note `own` to one of its own headings is a bare
/// `#fragment`.
pub fn link_tags(
    index: &Index,
    link: &Link,
    target: &str,
    depth: usize,
    style: LinkStyle,
    own: Option<usize>,
) -> (String, &'static str) {
    match link {
        Link::Note { id: to, fragment } => {
            let frag = fragment
                .as_deref()
                .map(|f| format!("#{}", escape(f)))
                .unwrap_or_default();
            let href = if Some(to.0) == own && !frag.is_empty() {
                frag
            } else {
                let url = relative_url(depth, &index.note_url(to.0), style);
                format!("{}{frag}", escape(&url))
            };
            (format!("<a class=\"internal\" href=\"{href}\">"), "</a>")
        }
        Link::File { id: f } => (
            format!(
                "<a class=\"internal file\" href=\"{}\">",
                escape(&relative_url(depth, &index.files[*f].url, style))
            ),
            "</a>",
        ),
        Link::Unpublished => ("<span class=\"unpublished-link\">".into(), "</span>"),
        Link::Broken => (
            format!(
                "<span class=\"broken-link\" title=\"{}\">",
                escape(&format!("missing: {target}"))
            ),
            "</span>",
        ),
    }
}

/// A Markdown image (not a `![[…]]` embed) whose file is missing, with alt
/// text: the alt text, as a browser shows it.
fn missing_image(link: &Link, tag: &Tag, label: &str) -> Option<String> {
    match (link, tag) {
        (
            Link::Broken,
            Tag::Image {
                link_type,
                dest_url,
                ..
            },
        ) if !matches!(link_type, pulldown_cmark::LinkType::WikiLink { .. })
            && !label.trim().is_empty() =>
        {
            Some(format!(
                "<span class=\"broken-link embed\" title=\"{}\">{}</span>",
                escape(&format!("missing: {dest_url}")),
                escape(label)
            ))
        }
        _ => None,
    }
}

/// The HTML of one embed.
fn embed(page: &mut Page, id: usize, link: &Link, raw: &RawRef, label: &str) -> String {
    let index = page.ctx.index;
    match link {
        Link::File { id: f } => {
            let url = page.url(&index.files[*f].url);
            file_embed(page, &url, &index.files[*f], raw, label)
        }
        Link::Note {
            id: target,
            fragment,
        } => note_embed(page, id, target.0, fragment.as_deref(), raw),
        Link::Unpublished => format!(
            "<span class=\"unpublished-link\">{}</span>",
            escape(&raw.target)
        ),
        Link::Broken => format!(
            "<span class=\"broken-link embed\" title=\"{}\">{}</span>",
            escape(&format!("missing: {}", raw.target)),
            escape(&raw.target)
        ),
    }
}

fn file_embed(
    page: &mut Page,
    url: &str,
    file: &crate::index::FileInfo,
    raw: &RawRef,
    label: &str,
) -> String {
    let ext = file
        .url
        .as_str()
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let href = escape(url);
    let name = escape(&file.name);
    match ext.as_str() {
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "avif" | "bmp" => {
            let (alt, size) = image_size(label);
            // Obsidian's alt text for an image embedded without one: its name.
            let alt = if alt.trim().is_empty() {
                &name
            } else {
                &escape(alt)
            };
            format!(
                "<img src=\"{href}\" alt=\"{alt}\"{} loading=\"lazy\">",
                size_attrs(size)
            )
        }
        "pdf" => {
            // `#page=3` opens the viewer there, `#height=400` sets its height.
            let mut page_frag = String::new();
            let mut height = String::new();
            for part in raw.anchor.as_deref().unwrap_or("").split('&') {
                match part.split_once('=') {
                    Some(("page", n)) if n.parse::<u32>().is_ok() => {
                        page_frag = format!("#page={n}");
                    }
                    Some(("height", n)) if n.parse::<u32>().is_ok() => {
                        height = format!(" height=\"{n}\"");
                    }
                    _ => {}
                }
            }
            let viewer = page.own(format!(
                "<iframe src=\"{href}{page_frag}\" title=\"{name}\"{height} loading=\"lazy\"></iframe>"
            ));
            format!(
                "<div class=\"embed-pdf\">{viewer}<a href=\"{href}{page_frag}\">{name}</a></div>"
            )
        }
        "mp3" | "wav" | "m4a" | "ogg" | "flac" | "3gp" => {
            format!("<audio controls preload=\"metadata\" src=\"{href}\" title=\"{name}\"></audio>")
        }
        "mp4" | "webm" | "ogv" | "mov" | "mkv" => {
            format!("<video controls preload=\"metadata\" src=\"{href}\" title=\"{name}\"></video>")
        }
        _ => format!("<a class=\"internal file\" href=\"{href}\">{name}</a>"),
    }
}

fn size_attrs(size: Option<(u32, Option<u32>)>) -> String {
    match size {
        Some((w, Some(h))) => format!(" width=\"{w}\" height=\"{h}\""),
        Some((w, None)) => format!(" width=\"{w}\""),
        None => String::new(),
    }
}

/// What Obsidian makes of an external image (`![alt](https://…)`) other
/// than a plain image: a size written after a pipe or alone
/// (`![alt|100x145](url)`, `![250](url)`); a YouTube video, played from
/// YouTube's no-cookie domain and loaded only when scrolled to; a post on X
/// (Twitter), a link card to it (its script is not loaded). `None`: the
/// image as pulldown-cmark writes it.
fn web_embed(page: &mut Page, tag: &Tag, label: &str) -> Option<String> {
    let Tag::Image {
        dest_url, title, ..
    } = tag
    else {
        return None;
    };
    let url = dest_url.as_ref();
    if let Some(id) = youtube_id(url) {
        let alt = if label.trim().is_empty() {
            "YouTube"
        } else {
            label
        };
        let player = page.own(format!(
            "<iframe src=\"https://www.youtube-nocookie.com/embed/{}\" title=\"{}\" loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\" allow=\"encrypted-media; picture-in-picture; fullscreen\" allowfullscreen></iframe>",
            escape(&id),
            escape(alt)
        ));
        return Some(format!("<span class=\"embed-video\">{player}</span>"));
    }
    if let Some(who) = x_post(url) {
        let text = if label.trim().is_empty() {
            format!("@{who} on X")
        } else {
            label.to_string()
        };
        return Some(format!(
            "<a class=\"embed-web embed-post\" href=\"{}\">{}</a>",
            escape(url),
            escape(&text)
        ));
    }
    let (alt, size) = image_size(label);
    size?;
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(title))
    };
    Some(format!(
        "<img src=\"{}\" alt=\"{}\"{title}{}>",
        escape(url),
        escape(alt),
        size_attrs(size)
    ))
}

/// The video id of a YouTube URL (`watch?v=`, `youtu.be/`, `shorts/`,
/// `embed/`), when it is one.
fn youtube_id(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u
        .host_str()?
        .trim_start_matches("www.")
        .trim_start_matches("m.");
    let id = match host {
        "youtu.be" => u.path_segments()?.next()?.to_string(),
        "youtube.com" | "music.youtube.com" | "youtube-nocookie.com" => {
            let mut seg = u.path_segments()?;
            match seg.next()? {
                "watch" => u.query_pairs().find(|(k, _)| k == "v")?.1.into_owned(),
                "shorts" | "embed" | "live" => seg.next()?.to_string(),
                _ => return None,
            }
        }
        _ => return None,
    };
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then_some(id)
}

/// The author of a post on X (Twitter): `https://x.com/user/status/123`.
fn x_post(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    let host = u
        .host_str()?
        .trim_start_matches("www.")
        .trim_start_matches("mobile.");
    if !matches!(u.scheme(), "http" | "https") || !matches!(host, "twitter.com" | "x.com") {
        return None;
    }
    let mut seg = u.path_segments()?;
    let who = seg.next()?;
    (seg.next()? == "status" && seg.next()?.chars().all(|c| c.is_ascii_digit()))
        .then(|| who.to_string())
}

/// `300` → width, `640x480` → both; anything else is alt text.
fn image_size(label: &str) -> (&str, Option<(u32, Option<u32>)>) {
    let (alt, spec) = match label.rsplit_once('|') {
        Some((a, s)) => (a, s),
        None => ("", label),
    };
    let spec = spec.trim();
    if let Ok(w) = spec.parse::<u32>() {
        return (alt, Some((w, None)));
    }
    if let Some((w, h)) = spec.split_once('x') {
        if let (Ok(w), Ok(h)) = (w.trim().parse(), h.trim().parse()) {
            return (alt, Some((w, Some(h))));
        }
    }
    (label, None)
}

fn note_embed(
    page: &mut Page,
    from: usize,
    target: usize,
    fragment: Option<&str>,
    raw: &RawRef,
) -> String {
    let ctx = page.ctx;
    let note = &ctx.notes[target];
    let href = escape(&page.url(&ctx.index.note_url(target)));
    if crate::bases::is_base(&note.path) {
        return base_embed(page, target, fragment, &href);
    }
    // A section or block that is not there (the index reported it): shown
    // as Obsidian does, not as the whole note.
    let missing = raw
        .anchor
        .as_deref()
        .filter(|a| !a.is_empty() && fragment.is_none())
        .filter(|a| crate::index::find_anchor(note, a).is_none());
    if let Some(anchor) = missing {
        let word = |key| ctx.language.word(key);
        let words = (word("missing_section"), word("missing_section_in"));
        return format!(
            "<div class=\"embed embed-missing\" data-embed=\"{}\"><div class=\"embed-title\"><a class=\"internal\" href=\"{href}\">{}</a></div><div class=\"embed-content\"><p>{} #{} {} {}</p></div></div>",
            escape(note.path.as_str()),
            escape(&note.title),
            words.0,
            escape(anchor),
            words.1,
            escape(&note.title),
        );
    }
    let events = note.events();
    let (start, end) = match fragment {
        Some(f) => section_range(&events, f),
        None => (
            if note.title_is_h1 {
                crate::markdown::first_block_len(&events)
            } else {
                0
            },
            events.len(),
        ),
    };
    let part = Part {
        range: (start, end),
        fragment: fragment.map(str::to_string),
    };
    // Another section of a note already shown is no cycle; the same one is.
    let again = (page.chain.iter().zip(&page.parts)).position(|(&n, p)| n == target && *p == part);
    if again.is_some() || page.chain.len() > MAX_EMBED_DEPTH {
        let d = stopped_embed(page, from, (target, part), raw, again);
        page.diags.push(d);
        return format!(
            "<a class=\"internal embed-stopped\" href=\"{href}{}\">{}</a>",
            fragment
                .map(|f| format!("#{}", escape(f)))
                .unwrap_or_default(),
            escape(&note.title)
        );
    }
    // A list item comes in its list, numbered as there.
    let (events, end) = match super::blocks::list_of_item(&events, start) {
        Some(first) => {
            let mut events = events;
            events.insert(end, Event::End(TagEnd::List(first.is_some())));
            events.insert(start, Event::Start(Tag::List(first)));
            (events, end + 2)
        }
        None => (events, end),
    };
    page.chain.push(target);
    page.parts.push(part);
    let body = render_range(page, target, events, start, end);
    page.chain.pop();
    page.parts.pop();
    format!(
        "<div class=\"embed\" data-embed=\"{}\"><div class=\"embed-title\"><a class=\"internal\" href=\"{href}{}\">{}</a></div><div class=\"embed-content\">{body}</div></div>",
        escape(note.path.as_str()),
        fragment.map(|f| format!("#{}", escape(f))).unwrap_or_default(),
        escape(&note.title),
    )
}

/// `![[X.base]]` (the first view) or `![[X.base#View]]` (that view), drawn
/// for the embedding page's note.
fn base_embed(page: &mut Page, target: usize, fragment: Option<&str>, href: &str) -> String {
    let note = &page.ctx.notes[target];
    let events = note.events();
    let end = events.len();
    let outer = page.base_view.replace(fragment.unwrap_or("").to_string());
    page.chain.push(target);
    page.parts.push(Part {
        range: (0, end),
        fragment: fragment.map(str::to_string),
    });
    let body = render_range(page, target, events, 0, end);
    page.chain.pop();
    page.parts.pop();
    page.base_view = outer;
    format!(
        "<div class=\"embed embed-base\" data-embed=\"{}\"><div class=\"embed-title\"><a class=\"internal\" href=\"{href}{}\">{}</a></div><div class=\"embed-content\">{body}</div></div>",
        escape(note.path.as_str()),
        fragment.map(|f| format!("#{}", escape(f))).unwrap_or_default(),
        escape(&note.title),
    )
}

/// The finding for an embed that would loop or nest too deep. A cycle (the
/// same part of a note met again at `again` in the chain) is named from its
/// first note by path and reported at the embed that closes it, so every
/// page that meets the same cycle reports the same finding (and the site
/// reports it once).
fn stopped_embed(
    page: &Page,
    from: usize,
    (target, part): (usize, Part),
    raw: &RawRef,
    again: Option<usize>,
) -> Diagnostic {
    let ctx = page.ctx;
    let path = |i: usize| ctx.notes[i].path.as_str();
    let name = |i: usize, p: &Part| match &p.fragment {
        Some(f) => format!("`{}#{f}`", path(i)),
        None => format!("`{}`", path(i)),
    };
    let embed_pos = |a: usize, b: usize, frag: &Option<String>| {
        let links = &ctx.index.notes[a].links;
        (0..links.len())
            .find(|&k| {
                matches!(&links[k], Link::Note { id, fragment } if id.0 == b && fragment == frag)
                    && ctx.notes[a].links.get(k).is_some_and(|l| l.raw.embed)
            })
            .and_then(|k| ctx.notes[a].links.get(k).map(|l| l.pos))
    };
    let Some(at) = again else {
        let names: Vec<String> = (page.chain.iter().zip(&page.parts))
            .map(|(&i, p)| name(i, p))
            .chain([name(target, &part)])
            .collect();
        let mut d = Diagnostic::new(
            Kind::EmbedCycle,
            path(from),
            format!(
                "embeds nested too deep: {}; the embed is shown as a link",
                names.join(" → ")
            ),
        );
        d.pos = ctx.notes[from]
            .links
            .iter()
            .find(|l| l.raw == *raw)
            .map(|l| l.pos);
        return d;
    };
    let mut cycle: Vec<(usize, &Part)> = page.chain[at..]
        .iter()
        .copied()
        .zip(&page.parts[at..])
        .collect();
    let first = (0..cycle.len())
        .min_by_key(|&i| name(cycle[i].0, cycle[i].1))
        .unwrap_or(0);
    cycle.rotate_left(first);
    let (last, _) = cycle[cycle.len() - 1];
    let names: Vec<String> = cycle
        .iter()
        .chain(cycle.first())
        .map(|&(i, p)| name(i, p))
        .collect();
    let mut d = Diagnostic::new(
        Kind::EmbedCycle,
        path(last),
        format!(
            "an embed cycle: {}; the embed is shown as a link",
            names.join(" → ")
        ),
    );
    d.pos = embed_pos(last, cycle[0].0, &cycle[0].1.fragment);
    d
}

/// The events of one heading's section or one block.
fn section_range<'e>(ev: &[Event<'e>], fragment: &str) -> (usize, usize) {
    if let Some(block) = fragment.strip_prefix('^') {
        return super::blocks::block_range(ev, block).unwrap_or((0, ev.len()));
    }
    let Some(start) = ev.iter().position(
        |e| matches!(e, Event::Start(Tag::Heading { id: Some(i), .. }) if i.as_ref() == fragment),
    ) else {
        return (0, ev.len());
    };
    let level = match &ev[start] {
        Event::Start(Tag::Heading { level, .. }) => *level,
        _ => pulldown_cmark::HeadingLevel::H6,
    };
    let end = ev[start + 1..]
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Heading { level: l, .. }) if *l <= level))
        .map_or(ev.len(), |p| start + 1 + p);
    (start, end)
}

/// A block-level embed (`<div>`) cannot sit in a `<p>`: a paragraph holding
/// one is split around it, and pieces left with nothing but line breaks or
/// spaces are dropped. Runs after the callout pass, which may leave an embed
/// in a paragraph after the callout's title line.
pub(crate) fn unwrap_block_embeds<'e>(events: Vec<Event<'e>>) -> Vec<Event<'e>> {
    let is_block = |e: &Event| matches!(e, Event::Html(h) if h.starts_with("<div class=\"embed"));
    let blank = |e: &Event| match e {
        Event::SoftBreak | Event::HardBreak => true,
        Event::Text(t) => t.trim().is_empty(),
        _ => false,
    };
    let flush = |piece: &mut Vec<Event<'e>>, out: &mut Vec<Event<'e>>| {
        if !piece.iter().all(blank) {
            out.push(Event::Start(Tag::Paragraph));
            out.append(piece);
            out.push(Event::End(TagEnd::Paragraph));
        }
        piece.clear();
    };
    let mut out: Vec<Event<'e>> = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(ev) = iter.next() {
        if !matches!(ev, Event::Start(Tag::Paragraph)) {
            out.push(ev);
            continue;
        }
        let inner: Vec<Event<'e>> = iter
            .by_ref()
            .take_while(|e| !matches!(e, Event::End(TagEnd::Paragraph)))
            .collect();
        if !inner.iter().any(is_block) {
            out.push(Event::Start(Tag::Paragraph));
            out.extend(inner);
            out.push(Event::End(TagEnd::Paragraph));
            continue;
        }
        let mut piece = Vec::new();
        for e in inner {
            if is_block(&e) {
                flush(&mut piece, &mut out);
                out.push(e);
            } else {
                piece.push(e);
            }
        }
        flush(&mut piece, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render_first, render_nth};
    use crate::diagnostics::Kind;

    #[test]
    fn resolved_links_are_relative_and_labelled() {
        let (html, _) = render_first(&[
            (
                "dir/a.md",
                "[[b]] [[b#Rôle et missions]] [[b|texte]] [x](b.md) [[#Local]]\n\n## Local",
            ),
            ("b.md", "## Rôle et missions"),
        ]);
        assert!(
            html.contains("<a class=\"internal\" href=\"../../b/index.html\">b</a>"),
            "{html}"
        );
        assert!(
            html.contains(
                "href=\"../../b/index.html#role-et-missions\">b &gt; Rôle et missions</a>"
            ),
            "{html}"
        );
        assert!(html.contains(">texte</a>"));
        assert!(
            html.contains("<a class=\"internal\" href=\"#local\">Local</a>"),
            "{html}"
        );
    }

    #[test]
    fn broken_and_unpublished_links_are_not_hrefs() {
        let (html, _) = render_first(&[
            ("a.md", "[[Nulle part]] et [[d|brouillon]]"),
            ("d.md", "---\ndraft: true\n---\n"),
        ]);
        assert!(
            html.contains(
                "<span class=\"broken-link\" title=\"missing: Nulle part\">Nulle part</span>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"unpublished-link\">brouillon</span>"),
            "{html}"
        );
        assert!(!html.contains("href=\"../d"));
    }

    #[test]
    fn markdown_link_titles_stay_and_missing_images_show_their_alt_text() {
        let (html, _) = render_first(&[
            (
                "a.md",
                "[lien](b.md \"Le « titre »\") ![Un schéma](absent.png) ![](vide.png) ![[absent2.png]]",
            ),
            ("b.md", "B"),
        ]);
        for want in [
            "<a class=\"internal\" href=\"../b/index.html\" title=\"Le « titre »\">lien</a>",
            "<span class=\"broken-link embed\" title=\"missing: absent.png\">Un schéma</span>",
            // No alt text, or a wikilink embed: the file's name.
            "<span class=\"broken-link embed\" title=\"missing: vide.png\">vide.png</span>",
            "<span class=\"broken-link embed\" title=\"missing: absent2.png\">absent2.png</span>",
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
    }

    #[test]
    fn image_pdf_audio_embeds() {
        let (html, _) = render_first(&[(
            "n/a.md",
            "![[Photo 1.png|300]] ![[Photo 1.png|640x480]] ![[doc.pdf#page=3]] ![[son.mp3]]",
        )]);
        assert!(
            html.contains(
                "<img src=\"../../img/photo-1.png\" alt=\"Photo 1.png\" width=\"300\" loading=\"lazy\">"
            ),
            "{html}"
        );
        assert!(html.contains("width=\"640\" height=\"480\""));
        assert!(
            html.contains("<iframe src=\"../../doc.pdf#page=3\""),
            "{html}"
        );
        assert!(html.contains("<audio controls"));
    }

    #[test]
    fn media_embeds_as_obsidian_shows_them() {
        let (html, _) = render_first(&[(
            "a.md",
            "![[Photo 1.png]] ![[Photo 1.png|Une photo|200]] ![[doc.pdf#height=400]] ![[doc.pdf#page=2&height=300]] [[doc.pdf]]\n\n![Logo|100x145](https://example.org/logo.png) ![250](https://example.org/w.png) ![plain](https://example.org/p.png)\n\n![](https://www.youtube.com/watch?v=NnTvZWp5Q7o) ![Clip](https://youtu.be/NnTvZWp5Q7o?t=3) ![](https://www.youtube.com/shorts/abc_DEF-123)\n\n![](https://twitter.com/obsdmd/status/1580548874246443010) ![](https://x.com/obsdmd/status/1)\n",
        )]);
        for want in [
            "<img src=\"../img/photo-1.png\" alt=\"Photo 1.png\" loading=\"lazy\">",
            "<img src=\"../img/photo-1.png\" alt=\"Une photo\" width=\"200\" loading=\"lazy\">",
            "<iframe src=\"../doc.pdf\" title=\"doc.pdf\" height=\"400\" loading=\"lazy\"></iframe>",
            "<iframe src=\"../doc.pdf#page=2\" title=\"doc.pdf\" height=\"300\" loading=\"lazy\"></iframe>",
            "<img src=\"https://example.org/logo.png\" alt=\"Logo\" width=\"100\" height=\"145\">",
            "<img src=\"https://example.org/w.png\" alt=\"\" width=\"250\">",
            "<img src=\"https://example.org/p.png\" alt=\"plain\" />",
            "<span class=\"embed-video\"><iframe src=\"https://www.youtube-nocookie.com/embed/NnTvZWp5Q7o\" title=\"YouTube\" loading=\"lazy\"",
            "<iframe src=\"https://www.youtube-nocookie.com/embed/NnTvZWp5Q7o\" title=\"Clip\"",
            "<iframe src=\"https://www.youtube-nocookie.com/embed/abc_DEF-123\"",
            "<a class=\"embed-web embed-post\" href=\"https://twitter.com/obsdmd/status/1580548874246443010\">@obsdmd on X</a>",
            "<a class=\"embed-web embed-post\" href=\"https://x.com/obsdmd/status/1\">@obsdmd on X</a>",
        ] {
            assert!(html.contains(want), "{want}\n{html}");
        }
        assert!(!html.contains("youtube.com/watch"), "{html}");
        assert!(!html.contains("<img src=\"https://twitter"), "{html}");
    }

    #[test]
    fn an_embed_of_a_missing_section_says_so() {
        let (html, diags) = render_first(&[
            ("a.md", "![[b#Nowhere]] ![[b#^gone]] ![[b#B]]"),
            ("b.md", "# B\n\nBody of b.\n"),
        ]);
        assert!(
            html.contains("<div class=\"embed embed-missing\" data-embed=\"b.md\">"),
            "{html}"
        );
        assert!(
            html.contains("<p>Unable to find section #Nowhere in B</p>"),
            "{html}"
        );
        assert!(
            html.contains("<p>Unable to find section #^gone in B</p>"),
            "{html}"
        );
        assert_eq!(
            html.matches("Body of b.").count(),
            1,
            "the title heading embeds the note: {html}"
        );
        assert!(diags.is_empty(), "the index reports the anchors: {diags:?}");
    }

    #[test]
    fn note_embeds_transclude_sections_and_blocks() {
        let (html, _) = render_first(&[
            ("a.md", "![[b#Deux]]\n\n![[b#^blk]]"),
            (
                "b.md",
                "# B\n## Un\nun\n## Deux\ndeux\n### Sous\nsous\n## Trois\ntrois\n\nbloc ^blk\n",
            ),
        ]);
        assert!(
            html.contains("<div class=\"embed\" data-embed=\"b.md\">"),
            "{html}"
        );
        assert!(html.contains("deux") && html.contains("sous"), "{html}");
        assert!(
            !html.contains("<p>un</p>") && !html.contains("<p>trois</p>"),
            "{html}"
        );
        assert!(html.contains("bloc"), "{html}");
        assert!(!html.contains("<p><div"), "{html}");
        assert!(
            !html.contains(" id=\""),
            "embedded content anchors nothing: {html}"
        );
    }

    #[test]
    fn embeds_in_running_text_split_the_paragraph() {
        let (html, _) = render_first(&[
            ("a.md", "Avant ![[b]] après.\n\n![[b]]\n![[b]]"),
            ("b.md", "Texte de b."),
        ]);
        assert!(
            html.contains("<p>Avant </p>\n<div class=\"embed\""),
            "{html}"
        );
        assert!(html.contains("</div></div>\n<p> après.</p>"), "{html}");
        assert!(
            !html.contains("<p><div") && !html.contains("<p></p>"),
            "{html}"
        );
    }

    #[test]
    fn a_note_embeds_other_sections_of_itself_and_only_the_same_one_is_a_cycle() {
        let note = "# Title\n\nIntro.\n\n![[#Other heading]]\n\n![[a#Second]]\n\n## Other heading\n\nOther text.\n\n## Second\n\nSecond text.\n\n## Loop\n\nLoop text.\n\n![[#Loop]]\n";
        let (html, diags) = render_nth(&[("a.md", note)], 0);
        for text in ["Other text.", "Second text."] {
            assert_eq!(
                html.matches(text).count(),
                2,
                "{text} shown and embedded: {html}"
            );
        }
        assert_eq!(
            html.matches("<div class=\"embed\" data-embed=\"a.md\">")
                .count(),
            3,
            "two sections embedded, and the loop once: {html}"
        );
        assert_eq!(html.matches("Loop text.").count(), 2, "{html}");
        assert!(
            html.contains("<a class=\"internal embed-stopped\" href=\"../a/index.html#loop\">"),
            "{html}"
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].kind, Kind::EmbedCycle);
        assert!(
            diags[0].message.contains("`a.md#loop` → `a.md#loop`"),
            "{}",
            diags[0].message
        );
        assert_eq!(diags[0].pos.map(|p| p.line), Some(21));
        // A section holding an embed of the whole note is a cycle through
        // it (reported at `![[#S]]`), besides the note embedding itself.
        let (_, diags) = render_nth(&[("b.md", "Top.\n\n![[#S]]\n\n## S\n\n![[b]]\n")], 0);
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.pos.map(|p| p.line), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    Some(3),
                    "an embed cycle: `b.md#s` → `b.md` → `b.md#s`; the embed is shown as a link"
                ),
                (
                    Some(7),
                    "an embed cycle: `b.md` → `b.md`; the embed is shown as a link"
                )
            ]
        );
    }

    #[test]
    fn embed_cycles_stop_with_one_diagnostic() {
        let (html, diags) = render_nth(
            &[("a.md", "![[b]]"), ("b.md", "![[c]]"), ("c.md", "![[a]]")],
            0,
        );
        let cycles: Vec<_> = diags
            .iter()
            .filter(|d| d.kind == Kind::EmbedCycle)
            .collect();
        assert_eq!(cycles.len(), 1, "{diags:?}");
        assert!(
            cycles[0]
                .message
                .contains("`a.md` → `b.md` → `c.md` → `a.md`"),
            "{}",
            cycles[0].message
        );
        assert!(html.contains("embed-stopped"));
        // Every page meeting the cycle reports the same finding, at the
        // embed that closes it (`c.md` embedding `a.md`).
        let files = [
            ("a.md", "![[b]]"),
            ("b.md", "x\n\n![[c]]"),
            ("c.md", "![[a]]"),
        ];
        let found: Vec<_> = (0..3).map(|n| render_nth(&files, n).1).collect();
        assert_eq!(found[0], found[1]);
        assert_eq!(found[1], found[2]);
        assert_eq!(found[0][0].path, "c.md");
        assert_eq!(found[0][0].pos.map(|p| (p.line, p.col)), Some((1, 1)));
        let (_, diags) = render_nth(&[("a.md", "![[a]]")], 0);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].pos.map(|p| p.line), Some(1));
    }
}
