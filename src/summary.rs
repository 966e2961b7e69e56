//! What a reader sees of a note as plain text, for its summary (the
//! description meta, listings, link previews): computed at parse, from the
//! parse's events, below render and every page that shows it.

use crate::markdown::{callout_header, first_block_len, task_marker, trailing_block_id};
use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use std::borrow::Cow;

/// A note's summary: its description, else the start of its text after the
/// H1 its title came from. Computed once, at parse, from the parse's events.
pub fn note_summary<'a, I>(description: Option<&str>, skip_h1: bool, events: I) -> String
where
    I: IntoIterator<Item = &'a Event<'a>>,
    I::IntoIter: Clone,
{
    if let Some(d) = description {
        return d.to_string();
    }
    let events = events.into_iter();
    let skip = if skip_h1 {
        first_block_len(events.clone())
    } else {
        0
    };
    let mut text = summarize(&summary_text(events.skip(skip), Some(200)), "", 200);
    text.shrink_to_fit();
    text
}

/// What a reader sees of a note's events, for its summary: no code blocks,
/// raw HTML or formulas, and no Obsidian syntax left (callout markers keep
/// their title, task markers, `==`, block ids and inline notes go).
///
/// With `max`, stops once [`summarize`] to `max` characters has all it
/// reads: more than `max` characters outside spaces, in whole words.
pub fn summary_text<'a>(
    events: impl IntoIterator<Item = &'a Event<'a>>,
    max: Option<usize>,
) -> String {
    let mut out = String::new();
    // Counting characters is done again only after this many more bytes.
    let mut next_check = max.unwrap_or(usize::MAX);
    let mut code = 0usize;
    let mut block_start = false;
    let mut wiki_label = false;
    let mut in_note = 0usize;
    let mut html = crate::markdown::HiddenHtml::default();
    for e in events {
        let hidden = html.hides(e);
        if in_note > 0 && !matches!(e, Event::Text(_)) {
            continue;
        }
        match e {
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => code += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => code = code.saturating_sub(1),
            Event::Text(_) | Event::Code(_) | Event::InlineMath(_) if hidden => {}
            Event::Start(Tag::Link { link_type, .. }) => {
                wiki_label = matches!(link_type, LinkType::WikiLink { has_pothole: false });
            }
            Event::End(TagEnd::Link) => wiki_label = false,
            // `[[Note#Heading]]` reads `Note > Heading`, as the link shows it.
            Event::Text(t) if code == 0 && wiki_label && in_note == 0 => {
                out.push_str(&t.trim_start_matches('#').replace('#', " > "));
            }
            Event::Text(t) if code == 0 && in_note > 0 => {
                out.push_str(&without_inline_notes(t, &mut in_note));
            }
            Event::Start(Tag::Paragraph | Tag::Item) => block_start = true,
            Event::Text(t) if code == 0 => {
                let mut t: &str = t;
                if block_start {
                    if callout_header(t).is_some() {
                        // Keep the title, with the space before any markup that follows.
                        let after = t.find(']').map_or(t.len(), |i| i + 1);
                        t = t[after..].trim_start_matches(['+', '-']);
                    } else if let Some((_, rest)) = task_marker(t) {
                        t = rest;
                    }
                }
                let t = trailing_block_id(t).map_or(t, |(before, _)| before);
                let t = without_inline_notes(t, &mut in_note);
                if t.contains("==") {
                    out.push_str(&t.replace("==", ""));
                } else {
                    out.push_str(&t);
                }
                block_start = false;
            }
            Event::Code(t) | Event::InlineMath(t) => out.push_str(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::TableCell
                | TagEnd::FootnoteDefinition,
            ) => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                // Every word so far is whole: enough of them ends the summary.
                if in_note == 0 && out.len() > next_check {
                    let max = max.unwrap_or(usize::MAX);
                    if out.chars().filter(|c| !c.is_whitespace()).count() > max {
                        break;
                    }
                    next_check = out.len() + max;
                }
            }
            _ => block_start = false,
        }
    }
    out
}

/// `text^[note] more` → `text more`; `depth` carries an open note (and its
/// inner brackets) over to the next text run.
fn without_inline_notes<'a>(t: &'a str, depth: &mut usize) -> Cow<'a, str> {
    if *depth == 0 && !t.contains("^[") {
        return Cow::Borrowed(t);
    }
    let mut out = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, *depth) {
            ('^', 0) if chars.peek() == Some(&'[') => {
                chars.next();
                *depth = 1;
            }
            (_, 0) => out.push(c),
            ('[', _) => *depth += 1,
            (']', _) => *depth -= 1,
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// The first `max` characters of the text (title removed), cut at a word.
pub fn summarize(text: &str, title: &str, max: usize) -> String {
    let text = text.trim_start();
    let text = text.strip_prefix(title).unwrap_or(text);
    let words = text.split_whitespace();
    let mut out = String::new();
    for w in words {
        if out.chars().count() + w.chars().count() > max {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}
