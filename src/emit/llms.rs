//! `llms.txt` and the Markdown twins of the notes (`llms = true`): what the
//! llms.txt proposal (<https://llmstxt.org>) asks of a site, so that language
//! models read the knowledge base as clean Markdown rather than as pages.
//!
//! Each published note gets `<page>.md` beside its page (`x/index.html.md`,
//! as the proposal names them): its Markdown as written, without comments
//! or front matter, its links and embeds turned into ordinary Markdown links
//! to the site's pages and files. `llms.txt` lists the listed notes by
//! folder, each linked to its twin with its summary.

use super::Emitter;
use crate::index::Link;
use crate::paths::UrlPath;
use pulldown_cmark::{Event, Tag, TagEnd};

/// Where a note's twin is written, from its page's file (`x/index.html`).
pub(super) fn twin_path(page: &str) -> String {
    format!("{page}.md")
}

/// `text` as the text of a Markdown link: brackets and backslashes escaped,
/// on one line.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

/// An address as a Markdown link destination (`<…>` when it holds spaces
/// or parentheses).
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace(['<', '>'], ""))
    } else {
        url.to_string()
    }
}

fn is_image(path: &str) -> bool {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "avif" | "bmp"
    )
}

impl Emitter<'_> {
    /// An address of the site as the twin of a page `depth` folders deep
    /// links it: absolute with a `base_url`, else relative.
    fn twin_href(&self, depth: usize, url: &UrlPath) -> String {
        match &self.v.config.base_url {
            Some(base) => url.absolute(base),
            None => self.url(depth, url),
        }
    }

    /// The Markdown twin of note `id`.
    pub(super) fn twin(&self, id: usize) -> String {
        let v = self.v;
        let n = &v.notes[id];
        let info = &v.index.notes[id];
        let depth = info.slug.depth();
        let mut out = String::with_capacity(n.body.len() + 256);
        out.push_str(&format!("# {}\n\n", n.title));
        if let Some(d) = n
            .front
            .description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
        {
            out.push_str(&format!("> {}\n\n", d.trim().replace('\n', " ")));
        }
        let events = crate::markdown::events(&n.body);
        // The title comes first, once: the body's own H1 is left out.
        let start = if n.title_is_h1 {
            events
                .iter()
                .find(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(0, |(_, r)| r.end)
        } else {
            0
        };
        let start = start + (n.body.len() - start - n.body[start..].trim_start().len());
        let (mut last, mut k, mut covered) = (start, 0, start);
        for (i, (ev, range)) in events.iter().enumerate() {
            let Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) = ev else {
                continue;
            };
            let Some(raw) = crate::markdown::internal_ref(tag) else {
                continue;
            };
            let link = info.links.get(k);
            k += 1;
            // A link inside one already written (an image in a link) goes with it.
            if range.start < covered || range.start < last {
                continue;
            }
            let end = events[i + 1..]
                .iter()
                .scan(1usize, |open, (e, _)| {
                    match e {
                        Event::Start(Tag::Link { .. } | Tag::Image { .. }) => *open += 1,
                        Event::End(TagEnd::Link | TagEnd::Image) => *open -= 1,
                        _ => {}
                    }
                    Some(*open)
                })
                .position(|open| open == 0)
                .map_or(events.len(), |p| i + 1 + p);
            let text = crate::markdown::plain_text(events[i + 1..end].iter().map(|(e, _)| e));
            let md = self.twin_link(depth, &raw, link, text.trim());
            out.push_str(&n.body[last..range.start]);
            out.push_str(&md);
            last = range.end;
            covered = range.end;
        }
        out.push_str(&n.body[last..]);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    /// One internal link or embed of a twin, as plain Markdown.
    fn twin_link(
        &self,
        depth: usize,
        raw: &crate::markdown::RawRef,
        link: Option<&Link>,
        text: &str,
    ) -> String {
        let v = self.v;
        let idx = v.index;
        let shown = |fallback: &str| {
            label(
                if text.is_empty() || text.chars().all(|c| c.is_ascii_digit() || c == 'x') {
                    fallback
                } else {
                    text
                },
            )
        };
        match link {
            Some(Link::Note { id, fragment }) => {
                let mut url = self.twin_href(depth, &idx.note_url(id.0));
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(&crate::paths::encode_path(f));
                }
                let title = &v.notes[id.0].title;
                let text = if raw.embed { title.as_str() } else { text };
                format!(
                    "[{}]({})",
                    label(if text.is_empty() { title } else { text }),
                    destination(&url)
                )
            }
            Some(Link::File { id }) => {
                let f = &idx.files[id.0];
                let url = self.twin_href(depth, &f.url);
                if raw.embed && is_image(&f.name) {
                    format!("![{}]({})", shown(&f.name), destination(&url))
                } else {
                    format!("[{}]({})", shown(&f.name), destination(&url))
                }
            }
            // A draft, or nothing: its words, as the page shows them.
            _ => label(if text.is_empty() { &raw.target } else { text }),
        }
    }

    /// `llms.txt`: the site's title and description, then its listed notes
    /// by folder, each linked to its Markdown twin with its summary.
    pub(super) fn llms_txt(&self) -> String {
        let v = self.v;
        let idx = v.index;
        let c = v.config;
        let mut out = format!("# {}\n\n", c.title.trim());
        if !c.description.trim().is_empty() {
            out.push_str(&format!(
                "> {}\n\n",
                c.description.trim().replace('\n', " ")
            ));
        }
        let entry = |i: usize| {
            let url = UrlPath::new(twin_path(&idx.notes[i].slug.file()));
            let href = self.twin_href(0, &url);
            let summary = v.notes[i]
                .summary
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let mut line = format!("- [{}]({})", label(&v.notes[i].title), destination(&href));
            if !summary.is_empty() {
                line.push_str(": ");
                line.push_str(&summary);
            }
            line.push('\n');
            line
        };
        if let Some(h) = idx.home.filter(|&h| idx.notes[h].published) {
            out.push_str(&entry(h));
            out.push('\n');
        }
        for (path, f) in &idx.folders {
            let mut ids: Vec<usize> = f
                .index_note
                .into_iter()
                .chain(f.notes.iter().copied())
                .collect();
            ids.retain(|&i| idx.notes[i].listed && Some(i) != idx.home);
            if ids.is_empty() {
                continue;
            }
            idx.sort_by_title(&mut ids[usize::from(f.index_note.is_some())..]);
            let title = if path.is_empty() {
                self.t["notes"].to_string()
            } else {
                let names: Vec<String> = path
                    .split('/')
                    .scan(String::new(), |so_far, part| {
                        if !so_far.is_empty() {
                            so_far.push('/');
                        }
                        so_far.push_str(part);
                        Some(
                            idx.folders
                                .get(so_far.as_str())
                                .and_then(|f| f.index_note)
                                .map_or_else(|| part.to_string(), |i| v.notes[i].title.clone()),
                        )
                    })
                    .collect();
                names.join(" / ")
            };
            out.push_str(&format!("## {title}\n\n"));
            for i in ids {
                out.push_str(&entry(i));
            }
            out.push('\n');
        }
        out
    }
}
