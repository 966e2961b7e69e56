//! Parsing: from one note's text to a [`Note`].
//!
//! Third stage, run in parallel over the vault. It splits the front matter,
//! removes comments, runs the Markdown parser and extracts everything later
//! stages need without rendering: the title,
//! headings with their anchor ids, block ids, inline tags and every internal
//! reference with its position. It resolves nothing and touches no file.

use crate::diagnostics::{Diagnostic, Kind, LineIndex, Position};
use crate::frontmatter::{self, FrontMatter, Value};
use crate::markdown::{self, RawRef};
use crate::paths::{slugify, VaultPath};
use crate::scan::SourceNote;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashSet;

/// A heading of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its plain text.
    pub text: String,
    /// Its anchor id, unique in the note (`role-et-missions`).
    pub id: String,
}

/// An internal link or embed, as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// Target, anchor, embed or not.
    pub raw: RawRef,
    /// Where it starts in the note file.
    pub pos: Position,
    /// The front-matter property it was written in, for links in properties.
    pub property: Option<String>,
}

impl LinkRef {
    /// The link as a reader would recognise it: `[[Note#Heading]]`.
    pub fn display(&self) -> String {
        let bang = if self.raw.embed { "!" } else { "" };
        match &self.raw.anchor {
            Some(a) => format!("{bang}[[{}#{}]]", self.raw.target, a),
            None => format!("{bang}[[{}]]", self.raw.target),
        }
    }
}

/// A parsed note. Its [`Note::events`] are what render turns into HTML, in
/// the same order as `links` (the n-th internal link event is `links[n]`).
#[derive(Debug, Clone)]
pub struct Note {
    /// Where it is in the vault.
    pub path: VaultPath,
    /// Its front matter (default when it has none or it is invalid).
    pub front: FrontMatter,
    /// `title`, else the first H1, else the file name.
    pub title: String,
    /// Whether the body starts with the H1 the title came from (the page shows it once).
    pub title_is_h1: bool,
    /// Headings in order, with unique ids.
    pub headings: Vec<Heading>,
    /// Block ids (`^id`) defined in the note, without the caret.
    pub block_ids: Vec<String>,
    /// Internal links and embeds in the body, in event order.
    pub links: Vec<LinkRef>,
    /// Links written in front-matter properties.
    pub property_links: Vec<LinkRef>,
    /// Inline tags with their positions.
    pub inline_tags: Vec<(String, Position)>,
    /// Tags from the front matter, as written, each with where it is written.
    pub front_tags: Vec<(String, Position)>,
    /// Where each of `front.aliases` is written.
    pub alias_pos: Vec<Position>,
    /// The body without its comments: [`Note::events`] parses it again when
    /// render needs it. Keeping the text rather than the events costs one
    /// more run of the Markdown parser per page and a quarter of the memory.
    pub body: String,
    /// Where each math formula (`$…$`, `$$…$$`) starts, in event order, so
    /// render can report a formula it cannot draw.
    pub math_pos: Vec<Position>,
    /// Where each code block starts, in event order (for diagram findings).
    pub code_pos: Vec<Position>,
    /// Plain text of the body, for search.
    pub text: String,
    /// A plain-text summary (the description, else the start of the text).
    pub summary: String,
    /// Modification time, seconds since the epoch.
    pub modified: i64,
    /// The file's length in bytes (`file.size` in bases).
    pub size: u64,
    /// When git says it was added and last changed, and by whom (`None`
    /// outside git, for a file not committed yet, or in `check`).
    pub history: Option<crate::history::FileHistory>,
}

impl Note {
    /// A note of `src` with nothing read yet: no front matter, no body.
    fn empty(src: &SourceNote) -> Note {
        Note {
            path: src.path.clone(),
            front: FrontMatter::default(),
            title: String::new(),
            title_is_h1: false,
            headings: Vec::new(),
            block_ids: Vec::new(),
            links: Vec::new(),
            property_links: Vec::new(),
            inline_tags: Vec::new(),
            front_tags: Vec::new(),
            alias_pos: Vec::new(),
            body: String::new(),
            math_pos: Vec::new(),
            code_pos: Vec::new(),
            text: String::new(),
            summary: String::new(),
            modified: src.modified,
            history: None,
            size: src.text.len() as u64,
        }
    }

    /// The date a note is listed under: `updated`, else `date`, else when
    /// git last saw it change, else its file time.
    pub fn listed_date(&self) -> Option<String> {
        self.front_day(self.front.updated.as_deref())
            .or_else(|| self.front_day(self.front.date.as_deref()))
            .or_else(|| self.updated_date())
    }

    /// The day it was last changed: `updated` (or `modified`) in its front
    /// matter, else its last commit, else its `date` (a file's time says
    /// little: a checkout sets it), else its file time.
    pub fn updated_date(&self) -> Option<String> {
        Some(match self.last_change()? {
            Change::Day(d) => d,
            Change::Commit(s) => s.day(),
            Change::File(t) => t.format("%Y-%m-%d").to_string(),
        })
    }

    /// The moment it was last changed, as RFC 3339 (for feeds), in the
    /// order of [`Note::updated_date`]; front-matter days at midnight UTC.
    pub fn updated_moment(&self) -> Option<String> {
        Some(match self.last_change()? {
            Change::Day(d) => format!("{d}T00:00:00Z"),
            Change::Commit(s) => s.rfc3339(),
            Change::File(t) => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        })
    }

    /// The day it was created: `date` (or `created`), else the commit that added it.
    pub fn created_date(&self) -> Option<String> {
        self.front_day(self.front.date.as_deref())
            .or_else(|| self.history.as_ref().map(|h| h.created.day()))
    }

    fn front_day(&self, d: Option<&str>) -> Option<String> {
        d.map(|d| d.chars().take(10).collect())
    }

    /// Where its last change is known from, in the order [`Note::updated_date`] says.
    fn last_change(&self) -> Option<Change<'_>> {
        if let Some(d) = self.front_day(self.front.updated.as_deref()) {
            return Some(Change::Day(d));
        }
        if let Some(h) = &self.history {
            return Some(Change::Commit(&h.updated));
        }
        if let Some(d) = self.front_day(self.front.date.as_deref()) {
            return Some(Change::Day(d));
        }
        (self.modified > 0)
            .then(|| chrono::DateTime::from_timestamp(self.modified, 0))
            .flatten()
            .map(Change::File)
    }

    /// The Markdown events of the body (comments removed, text merged,
    /// heading ids set): the same every time.
    pub fn events(&self) -> Vec<Event<'_>> {
        let mut ids = self.headings.iter();
        let mut events: Vec<Event<'_>> = markdown::events(&self.body)
            .into_iter()
            .map(|(ev, _)| ev)
            .collect();
        for ev in &mut events {
            if let Event::Start(Tag::Heading { id, .. }) = ev {
                *id = ids.next().map(|h| CowStr::Borrowed(h.id.as_str()));
            }
        }
        events
    }

    /// Whether its page is published but listed nowhere (`unlisted: true`,
    /// `publish: unlisted`).
    pub fn is_unlisted(&self) -> bool {
        self.front.unlisted
    }

    /// Whether a published site shows this note (`draft` and `publish: false` hide it).
    pub fn is_draft(&self) -> bool {
        self.front.draft || self.front.publish == Some(false)
    }
}

/// Where a note's last change is known from.
enum Change<'a> {
    /// A day its front matter gives.
    Day(String),
    /// Its last commit.
    Commit(&'a crate::history::Stamp),
    /// Its file's time.
    File(chrono::DateTime<chrono::Utc>),
}

/// Parses one note. Never fails: problems come back as diagnostics, and the
/// note is still built from what could be read.
pub fn parse_note(src: &SourceNote) -> (Note, Vec<Diagnostic>) {
    if crate::bases::is_base(&src.path) {
        return parse_base(src);
    }
    if crate::canvas::is_canvas(&src.path) {
        return parse_canvas(src);
    }
    let text = src.text.as_str();
    let mut diags = Vec::new();
    if let Some(r) = crate::mojibake::detect(text) {
        diags.extend(crate::mojibake::diagnostic(src.path.as_str(), &r));
    }
    let mut front = FrontMatter::default();
    let mut body_offset = 0;
    let lines = LineIndex::new(text);
    let mut fm_pos = Position { line: 1, col: 1 };
    let mut front_tags = Vec::new();
    let mut alias_pos = Vec::new();
    match frontmatter::split(text) {
        Ok(split) => {
            body_offset = split.body_offset;
            if let Some(yaml) = split.yaml {
                fm_pos = lines.position(split.yaml_offset);
                match frontmatter::parse(text, yaml, split.yaml_offset) {
                    Ok(mut f) => {
                        for mut d in frontmatter::check_dates(&mut f, text, yaml, split.yaml_offset)
                        {
                            d.path = src.path.to_string();
                            diags.push(d);
                        }
                        let at = |o: usize| lines.position(split.yaml_offset + o);
                        let tags = frontmatter::item_offsets(yaml, &["tags", "tag"], &f.tags);
                        front_tags = f
                            .tags
                            .iter()
                            .cloned()
                            .zip(tags.into_iter().map(at))
                            .collect();
                        let aliases =
                            frontmatter::item_offsets(yaml, &["aliases", "alias"], &f.aliases);
                        alias_pos = aliases.into_iter().map(at).collect();
                        front = f;
                    }
                    Err(mut d) => {
                        d.path = src.path.to_string();
                        diags.push(d);
                    }
                }
            }
        }
        Err(mut d) => {
            d.path = src.path.to_string();
            diags.push(d);
        }
    }
    let body = &text[body_offset..];
    let (stripped, shifts) = markdown::strip_comments(body);
    let at =
        |offset: usize| lines.position(body_offset + markdown::original_offset(&shifts, offset));
    let (stripped, pipes) = match markdown::escape_table_pipes(&stripped) {
        Some((escaped, pipes)) => (escaped, pipes),
        None => (stripped, Vec::new()),
    };
    for &p in &pipes {
        diags.push(
            Diagnostic::new(
                Kind::TablePipe,
                src.path.as_str(),
                "a `|` inside a wikilink in a table row: Obsidian reads one link, other Markdown tools split the cell there",
            )
            .at(at(p))
            .help("escape it as `\\|` (`[[Note\\|label]]`), as Obsidian writes it, or run `isokb fix`; the site shows the link either way"),
        );
    }
    let pos_of = |offset: usize| at(markdown::unescaped_offset(&pipes, offset));

    let mut note = Note {
        property_links: property_links(&front, text, fm_pos),
        front_tags,
        alias_pos,
        front,
        ..Note::empty(src)
    };
    fill(&mut note, stripped, &pos_of, &mut diags);
    (note, diags)
}

/// Reads a note's body (`stripped` of its comments): headings, links, tags,
/// text, the bases it draws, its title and summary; `pos_of` places an
/// offset of the body in the file.
fn fill(
    note: &mut Note,
    stripped: String,
    pos_of: &dyn Fn(usize) -> Position,
    diags: &mut Vec<Diagnostic>,
) {
    let events = markdown::events(&stripped);
    collect(note, &events, pos_of);
    for (k, code) in base_blocks(&events) {
        let line = note.code_pos.get(k).map_or(0, |p| p.line);
        diags.extend(crate::bases::check(&code, note.path.as_str(), line));
    }
    note.title = match (&note.front.title, note.title_is_h1) {
        (Some(t), _) => {
            note.title_is_h1 =
                note.title_is_h1 && note.headings.first().is_some_and(|h| &h.text == t);
            t.clone()
        }
        (None, true) => note.headings[0].text.clone(),
        (None, false) => note.path.stem().to_string(),
    };
    note.summary = crate::summary::note_summary(
        note.front.description.as_deref(),
        note.title_is_h1,
        events.iter().map(|(e, _)| e),
    );
    // The events borrow the text: done with them, the note keeps it.
    drop(events);
    note.body = stripped;
    // Both are kept for the whole build: give back what growing them reserved.
    note.body.shrink_to_fit();
    note.text.shrink_to_fit();
}

/// A canvas (`.canvas`): its board as Markdown between markers
/// ([`crate::canvas`]), read as a note's body, each part placed at its
/// node in the file; titled by its file name.
fn parse_canvas(src: &SourceNote) -> (Note, Vec<Diagnostic>) {
    let read = crate::canvas::read(&src.text, src.path.as_str());
    let mut diags = read.findings;
    let (stripped, shifts) = markdown::strip_comments(&read.markdown);
    let origins = read.origins;
    let pos_of =
        |offset: usize| crate::canvas::origin(&origins, markdown::original_offset(&shifts, offset));
    let mut note = Note {
        front: FrontMatter {
            title: Some(src.path.stem().to_string()),
            ..FrontMatter::default()
        },
        ..Note::empty(src)
    };
    fill(&mut note, stripped, &pos_of, &mut diags);
    // Search finds it by name and by the words of its nodes.
    note.text = format!("{} {}", note.title, read.words);
    (note, diags)
}

/// The texts of the bases a note draws: a `.base` file's own text, or
/// its ` ```base ` blocks.
pub fn base_sources(note: &Note) -> Vec<String> {
    if crate::bases::is_base(&note.path) {
        return vec![crate::bases::source_of(note).to_string()];
    }
    if !crate::bases::draws(note) {
        return Vec::new();
    }
    base_blocks(&markdown::events(&note.body))
        .into_iter()
        .map(|(_, code)| code)
        .collect()
}

/// The ` ```base ` blocks of a note: each one's number among the code
/// blocks, and its text.
fn base_blocks(events: &[(Event<'_>, std::ops::Range<usize>)]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut k = 0;
    let mut open: Option<String> = None;
    for (ev, _) in events {
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let is_base = matches!(kind, pulldown_cmark::CodeBlockKind::Fenced(info)
                    if info.split_whitespace().next().is_some_and(|l| l.eq_ignore_ascii_case("base")));
                open = is_base.then(String::new);
            }
            Event::Text(t) => {
                if let Some(code) = &mut open {
                    code.push_str(t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = open.take() {
                    out.push((k, code));
                }
                k += 1;
            }
            _ => {}
        }
    }
    out
}

/// A `.base` file as a note: titled by its name, its body one ` ```base `
/// block holding the file (so it renders as a block does), its search text
/// its name. Its findings point into the file.
fn parse_base(src: &SourceNote) -> (Note, Vec<Diagnostic>) {
    let text = src.text.as_str();
    let fence = markdown::fence_for(text);
    let title = src.path.stem().to_string();
    let note = Note {
        title: title.clone(),
        body: format!(
            "{fence}base\n{}\n{fence}\n",
            text.trim_end_matches(['\n', '\r'])
        ),
        // The file's first line is the line after the fence.
        code_pos: vec![Position { line: 0, col: 1 }],
        text: title,
        ..Note::empty(src)
    };
    (note, crate::bases::check(text, src.path.as_str(), 0))
}

/// The ids the default theme gives its own elements (its templates and
/// scripts): a heading never takes one, so `## Content` gets `content-1` and
/// `[[Note#Content]]` reaches the heading, not the page's `<main>`.
pub const THEME_IDS: &[&str] = &[
    "alias-table",
    "backlinks-title",
    "content",
    "drawer",
    "explorer",
    "folder-notes",
    "isokb-preview",
    "local-graph-title",
    "recent-title",
    "search-input",
    "search-results",
    "search-status",
    "tag-tree",
    "top-tags-title",
];

/// Walks the events once: headings and their ids, links, tags, block ids, text.
fn collect<'e>(
    note: &mut Note,
    events: &[(Event<'e>, std::ops::Range<usize>)],
    pos_of: &dyn Fn(usize) -> Position,
) {
    let mut used_ids: HashSet<String> = THEME_IDS.iter().map(|s| s.to_string()).collect();
    let mut heading_start: Option<usize> = None;
    let mut in_code = 0usize;
    let mut hidden = markdown::HiddenHtml::default();
    let mut in_link = 0usize;
    note.title_is_h1 = matches!(
        events.first(),
        Some((
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H1,
                ..
            }),
            _
        ))
    );
    for (i, (ev, range)) in events.iter().enumerate() {
        let in_hidden = hidden.hides(ev);
        match ev {
            Event::Start(Tag::Heading { .. }) => heading_start = Some(i),
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    let text = markdown::plain_text(events[start + 1..i].iter().map(|(e, _)| e))
                        .trim()
                        .to_string();
                    let id = unique_id(&slugify(&text), &mut used_ids);
                    note.headings.push(Heading {
                        level: *level as u8,
                        text,
                        id,
                    });
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code += 1;
                note.code_pos.push(pos_of(range.start));
            }
            Event::InlineMath(_) | Event::DisplayMath(_) => note.math_pos.push(pos_of(range.start)),
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                in_link += 1;
                if let Some(raw) = markdown::internal_ref(tag) {
                    note.links.push(LinkRef {
                        raw,
                        pos: pos_of(range.start),
                        property: None,
                    });
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            Event::Text(t) if in_code == 0 && !in_hidden => {
                // Tags in headings count, as in Obsidian.
                if in_link == 0 {
                    for (r, tag) in markdown::find_tags(t) {
                        note.inline_tags
                            .push((tag.to_string(), pos_of(range.start + r.start)));
                    }
                }
                if ends_block(events.get(i + 1)) {
                    if let Some((_, id)) = markdown::trailing_block_id(t) {
                        note.block_ids.push(id.to_string());
                    }
                }
            }
            _ => {}
        }
        match ev {
            // The title's own heading is the title, not text to show again.
            _ if in_hidden || (note.title_is_h1 && heading_start == Some(0)) => {}
            Event::Text(t) if in_code == 0 => push_prose(&mut note.text, t, events.get(i + 1)),
            Event::Text(t) | Event::Code(t) => note.text.push_str(t),
            Event::End(e) if !markdown::is_inline_end(e) => space(&mut note.text),
            Event::SoftBreak | Event::HardBreak => space(&mut note.text),
            _ => {}
        }
    }
    strip_callout_markers(&mut note.text);
}

/// One space between blocks and lines (none after a link or an emphasis,
/// which would put a space before the punctuation that follows).
fn space(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

/// Whether a text run followed by `next` ends its block (a paragraph or an
/// item, before a nested list): where a `^block-id` may stand.
fn ends_block(next: Option<&(Event<'_>, std::ops::Range<usize>)>) -> bool {
    matches!(next, Some((Event::End(e), _)) if markdown::is_block_end(e))
        || matches!(next, Some((Event::Start(Tag::List(_)), _)))
}

/// Prose text as a reader sees it: no `==` of highlights, no `^block-id`
/// ending a block.
fn push_prose(text: &mut String, t: &str, next: Option<&(Event<'_>, std::ops::Range<usize>)>) {
    let t = match markdown::trailing_block_id(t) {
        Some((before, _)) if ends_block(next) => before,
        _ => t,
    };
    if t.contains("==") {
        text.push_str(&t.replace("==", ""));
    } else {
        text.push_str(t);
    }
}

/// Removes callout headers' markers (`[!note]`, `[!tip]-`) from the text,
/// keeping their titles.
fn strip_callout_markers(text: &mut String) {
    if !text.contains("[!") {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("[!") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let kind = after.find(']').filter(|&e| {
            e > 0
                && after[..e]
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        });
        match kind {
            Some(e) => {
                let tail = &after[e + 1..];
                let tail = tail.strip_prefix(['+', '-']).unwrap_or(tail);
                rest = tail.strip_prefix(' ').unwrap_or(tail);
            }
            None => {
                out.push_str("[!");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    *text = out;
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// `[[links]]` written inside property values (`siège: "[[Genève]]"`).
fn property_links(front: &FrontMatter, text: &str, fm_pos: Position) -> Vec<LinkRef> {
    let mut out = Vec::new();
    for (key, value) in &front.properties {
        for s in value_texts_deep(value) {
            for raw in wikilinks_in(&s) {
                let pos = text
                    .find(&format!("[[{}", raw.target))
                    .map_or(fm_pos, |o| Position::of_offset(text, o));
                out.push(LinkRef {
                    raw,
                    pos,
                    property: Some(key.clone()),
                });
            }
        }
    }
    out
}

/// The wikilinks in a plain string (property values).
pub fn wikilinks_in(s: &str) -> Vec<RawRef> {
    markdown::split_wikilinks(s)
        .into_iter()
        .filter_map(|p| match p {
            markdown::Piece::Link(r, _) => Some(r),
            markdown::Piece::Text(_) | markdown::Piece::External(..) => None,
        })
        .collect()
}

/// The texts of a property value in the order their links are numbered.
pub fn value_texts_deep(v: &Value) -> Vec<String> {
    match v {
        Value::Map(m) => m.iter().flat_map(|(_, v)| value_texts_deep(v)).collect(),
        other => other.texts(),
    }
}

crate::indexed_by!(crate::ids::NoteId => Note);

#[cfg(test)]
mod tests {
    #[test]
    fn every_id_of_the_default_theme_is_kept_from_headings() {
        let mut ids = std::collections::BTreeSet::new();
        for text in crate::templates::Theme::default_texts() {
            for pat in ["id=\"", ".id = \""] {
                for (i, _) in text.match_indices(pat) {
                    let rest = &text[i + pat.len()..];
                    let id = &rest[..rest.find('"').unwrap_or(0)];
                    // Made per item at run time (`search-result-3`) or from
                    // data (`{{ h.id }}`).
                    if !id.is_empty() && !id.contains("{{") && !id.ends_with('-') {
                        ids.insert(id);
                    }
                }
            }
        }
        assert!(ids.contains("content") && ids.len() >= 8, "{ids:?}");
        assert_eq!(ids, super::THEME_IDS.iter().copied().collect());
    }

    #[test]
    fn a_heading_never_takes_an_id_of_the_theme() {
        let (note, _) = super::parse_note(&crate::scan::SourceNote {
            path: crate::paths::VaultPath::new("n.md"),
            text: "# Content\n\n## Search input\n\n## Content\n".into(),
            modified: 0,
        });
        let ids: Vec<&str> = note.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["content-1", "search-input-1", "content-2"]);
    }

    #[test]
    fn the_search_text_reads_as_prose() {
        let (note, _) = super::parse_note(&crate::scan::SourceNote {
            path: crate::paths::VaultPath::new("n.md"),
            text: "# Genève\n\nLe siège de [[ISO]]\u{a0}: un ==cinquième== du coût, **voir** [la FAQ](https://iso.org).\nUne ligne. ^bloc-1\n\n> [!note]- Fuseau horaire\n> UTC+1.\n\n- point *un*\n- point deux ^item\n".into(),
            modified: 0,
        });
        assert_eq!(
            note.text.trim_end(),
            "Le siège de ISO\u{a0}: un cinquième du coût, voir la FAQ. Une ligne. Fuseau horaire UTC+1. point un point deux"
        );
    }
    use super::*;

    fn note(text: &str) -> (Note, Vec<Diagnostic>) {
        parse_note(&SourceNote {
            path: VaultPath::new("dir/Ma note.md"),
            text: text.into(),
            modified: 0,
        })
    }

    #[test]
    fn inline_script_and_style_text_is_not_read() {
        let (n, _) = note(
            "Avant <script>var t = \"a #cache\"; secret()</script> après #vu.\n\n\
             Style <style>.x { color: red }</style> fini.\n\n\
             Ouvert <script>jamais fermé #non\n\nSuite #oui lisible.\n",
        );
        let tags: Vec<&str> = n.inline_tags.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(tags, ["vu", "oui"]);
        for hidden in ["secret", "cache", "color", "jamais", "non"] {
            assert!(!n.text.contains(hidden), "{hidden} in {:?}", n.text);
            assert!(!n.summary.contains(hidden), "{hidden} in {:?}", n.summary);
        }
        for shown in ["Avant", "après", "fini", "Suite", "lisible"] {
            assert!(n.text.contains(shown), "{shown} not in {:?}", n.text);
            assert!(n.summary.contains(shown), "{shown} not in {:?}", n.summary);
        }
    }

    #[test]
    fn title_comes_from_property_then_h1_then_file_name() {
        assert_eq!(note("---\ntitle: T\n---\n# H\n").0.title, "T");
        let (n, _) = note("# Organisation (ISO)\n\ntext");
        assert_eq!(n.title, "Organisation (ISO)");
        assert!(n.title_is_h1);
        let (n, _) = note("intro\n\n# Later\n");
        assert_eq!(n.title, "Ma note");
        assert!(!n.title_is_h1);
    }

    #[test]
    fn headings_get_unique_obsidian_friendly_ids() {
        let (n, _) = note("# Rôle et missions\n## Rôle et missions\n## 🎯 Missions Principales\n");
        let ids: Vec<&str> = n.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids[0], "role-et-missions");
        assert_eq!(ids[1], "role-et-missions-1");
        assert!(ids[2].ends_with("missions-principales"), "{}", ids[2]);
    }

    #[test]
    fn links_tags_and_blocks_are_found_with_positions() {
        let text = "---\ntags: [a]\nsiège: \"[[Genève]]\"\n---\nVoir [[Autre]] et #iso.\n\n- item ^blk\n\n`#no` [[#Local]] %%[[Caché]]%%\n";
        let (n, d) = note(text);
        assert!(d.is_empty(), "{d:?}");
        let targets: Vec<&str> = n.links.iter().map(|l| l.raw.target.as_str()).collect();
        assert_eq!(targets, ["Autre", ""]);
        assert_eq!(n.links[0].pos, Position { line: 5, col: 6 });
        assert_eq!(
            n.inline_tags,
            vec![("iso".to_string(), Position { line: 5, col: 19 })]
        );
        assert_eq!(n.block_ids, ["blk"]);
        assert_eq!(n.property_links[0].raw.target, "Genève");
        assert_eq!(n.property_links[0].pos.line, 3);
        assert_eq!(n.front_tags[0].0, "a");
    }

    #[test]
    fn bad_front_matter_is_reported_and_the_body_still_parses() {
        let (n, d) = note("---\ntitle: [oops\n---\n# Corps\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "dir/Ma note.md");
        assert_eq!(n.title, "Corps");
    }
}
