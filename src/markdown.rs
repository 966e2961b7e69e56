//! Markdown syntax: the one place that configures pulldown-cmark.
//!
//! Parse and render both call into this module, so they agree on which events
//! are internal links, which text is a tag and which text is a block id. It
//! also owns the raw-text steps that must happen before the Markdown parser
//! runs (`%%comments%%`, which may span blocks). Pure functions only.

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// The pulldown-cmark extensions isokb turns on.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// Parses `text` into events borrowing from it, with their byte ranges,
/// consecutive text events merged (pulldown-cmark splits text at `[`, `]`,
/// `!` …): merged text that is one piece of the source borrows it too.
pub fn events(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    // One event per 15 to 25 bytes of Markdown: grown rarely.
    let mut out: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(text.len() / 16 + 8);
    // Inside a wikilink with no target (`[[ ]]`), kept as the text written.
    let mut skip_depth = 0usize;
    // The index in `out` of an escaped `=` (`\==text==`) or `^` (`\^id`), a
    // run of its own that no text joins, so no `==` is made across it and no
    // block id read from it.
    let mut escaped_eq: Option<usize> = None;
    for (ev, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if skip_depth > 0 {
            match ev {
                Event::Start(_) => skip_depth += 1,
                Event::End(_) => skip_depth -= 1,
                _ => {}
            }
            continue;
        }
        let ev = match ev {
            Event::Start(
                Tag::Link {
                    link_type: LinkType::WikiLink { .. },
                    ref dest_url,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::WikiLink { .. },
                    ref dest_url,
                    ..
                },
            ) if dest_url.trim().is_empty() => {
                skip_depth = 1;
                Event::Text(CowStr::Borrowed(&text[range.clone()]))
            }
            ev => ev,
        };
        if let Event::Text(t) = &ev {
            // `\#word` is text, not a tag: the escaped `#` joins the text
            // before it (across the backslash) and what follows it starts a
            // run of its own, so no run has a tag there.
            if t.starts_with('#') && range.start > 0 && text.as_bytes()[range.start - 1] == b'\\' {
                let hash = range.start..range.start + 1;
                match out.last_mut() {
                    Some((Event::Text(prev), prev_range)) if prev_range.end + 1 == range.start => {
                        let mut s = prev.to_string();
                        s.push('#');
                        *prev = CowStr::from(s);
                        prev_range.end = hash.end;
                    }
                    _ => out.push((Event::Text(CowStr::Borrowed(&text[hash.clone()])), hash)),
                }
                if t.len() > 1 {
                    out.push((Event::Text(after_first(t)), range.start + 1..range.end));
                }
                continue;
            }
            // `\==` and `\^id` likewise: the escaped character is a run of its
            // own, so no highlight starts there and no block id ends there.
            if (t.starts_with('=') || t.starts_with('^'))
                && range.start > 0
                && text.as_bytes()[range.start - 1] == b'\\'
            {
                let eq = range.start..range.start + 1;
                out.push((Event::Text(CowStr::Borrowed(&text[eq.clone()])), eq));
                escaped_eq = Some(out.len() - 1);
                if t.len() > 1 {
                    out.push((Event::Text(after_first(t)), range.start + 1..range.end));
                }
                continue;
            }
            let joins = escaped_eq != Some(out.len().wrapping_sub(1));
            if let Some((Event::Text(prev), prev_range)) = out.last_mut().filter(|_| joins) {
                if prev_range.end == range.start {
                    let mut s = prev.to_string();
                    s.push_str(t);
                    *prev = CowStr::from(s);
                    prev_range.end = range.end;
                    continue;
                }
            }
        }
        out.push((ev, range));
    }
    out
}

/// A text run without its first (one-byte) character.
fn after_first<'a>(t: &CowStr<'a>) -> CowStr<'a> {
    match t {
        CowStr::Borrowed(b) => CowStr::Borrowed(&b[1..]),
        other => CowStr::from(other[1..].to_string()),
    }
}

/// Removes `%%comments%%` (inline or across lines) outside code. Newlines
/// inside a comment are kept so line numbers stay right. Returns the new text
/// and, for each removed span, `(offset in new text, bytes removed so far)`.
pub fn strip_comments(text: &str) -> (String, Vec<(usize, usize)>) {
    if !text.contains("%%") {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let mut removed = 0;
    let mut fence = Fence::default();
    let mut in_comment = false;
    for line in text.split_inclusive('\n') {
        if !in_comment && fence.is_code(line.trim_start()) {
            out.push_str(line);
            continue;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if in_comment {
                if line[i..].starts_with("%%") {
                    in_comment = false;
                    i += 2;
                    removed += 2;
                    shifts.push((out.len(), removed));
                } else {
                    let ch = line[i..].chars().next().map_or(1, char::len_utf8);
                    if bytes[i] == b'\n' {
                        out.push('\n');
                    } else {
                        removed += ch;
                    }
                    i += ch;
                }
            } else if bytes[i] == b'`' {
                // Skip an inline code span: same number of backticks closes it.
                let run = line[i..].bytes().take_while(|&b| b == b'`').count();
                let ticks = &line[i..i + run];
                let close = line[i + run..].find(ticks).map(|j| i + run + j + run);
                let end = close.unwrap_or(i + run);
                out.push_str(&line[i..end]);
                i = end;
            } else if line[i..].starts_with("%%") {
                in_comment = true;
                i += 2;
                removed += 2;
                shifts.push((out.len(), removed));
            } else {
                let ch = line[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&line[i..i + ch]);
                i += ch;
            }
        }
    }
    (out, shifts)
}

/// Obsidian reads `[[Note|label]]` in a table row as one link, where GFM
/// splits the cell at its `|` (the link is lost and the row loses its last
/// cell). Escapes each such pipe (`[[Note\|label]]`, as Obsidian's own
/// docs write it) in the header and body rows of tables, outside code
/// blocks and code spans, in quotes and callouts too. Returns `None` when
/// nothing changes, else the new text and the offsets, in `text`, of the
/// pipes escaped (a backslash was inserted before each).
pub fn escape_table_pipes(text: &str) -> Option<(String, Vec<usize>)> {
    if !text.contains("[[") || !text.contains('|') {
        return None;
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        lines.push((start, line));
        start += line.len();
    }
    let mut pipes = Vec::new();
    let mut fence = Fence::default();
    let mut in_table = false;
    for (i, &(at, line)) in lines.iter().enumerate() {
        let inner = quote_content(line);
        let trimmed = inner.trim_start();
        if fence.is_code(trimmed) {
            in_table = false;
            continue;
        }
        if trimmed.trim().is_empty() || !inner.contains('|') {
            in_table = false;
            continue;
        }
        if is_delimiter_row(inner) {
            if !in_table {
                // The header is the row above, when it is one.
                if let Some(&(hat, header)) = i.checked_sub(1).and_then(|h| lines.get(h)) {
                    let h = quote_content(header);
                    if h.contains('|') && !is_delimiter_row(h) {
                        link_pipes(header, hat, &mut pipes);
                    }
                }
            }
            in_table = true;
            continue;
        }
        if in_table {
            link_pipes(line, at, &mut pipes);
        }
    }
    if pipes.is_empty() {
        return None;
    }
    pipes.sort_unstable();
    pipes.dedup();
    let mut out = String::with_capacity(text.len() + pipes.len());
    let mut from = 0;
    for &p in &pipes {
        out.push_str(&text[from..p]);
        out.push('\\');
        from = p;
    }
    out.push_str(&text[from..]);
    Some((out, pipes))
}

/// Maps an offset in text from [`escape_table_pipes`] back to the text it
/// was given (`pipes`: the offsets it returned).
pub fn unescaped_offset(pipes: &[usize], offset: usize) -> usize {
    // The backslash before pipe k is at `pipes[k] + k` in the new text.
    let before = pipes
        .iter()
        .enumerate()
        .take_while(|&(k, &p)| p + k < offset)
        .count();
    offset - before
}

/// A line without its blockquote markers (`> > text` → `text`).
fn quote_content(line: &str) -> &str {
    let mut rest = line;
    loop {
        let t = rest.trim_start_matches([' ', '\t']);
        match t.strip_prefix('>') {
            Some(r) if rest.len() - t.len() <= 3 => rest = r,
            _ => return rest,
        }
    }
}

/// A table's delimiter row: `| --- | :-: |`, `---|---`.
fn is_delimiter_row(line: &str) -> bool {
    let t = line.trim();
    t.contains('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The offsets of the unescaped `|` inside `[[…]]` on one line (starting at
/// `at` in the text), outside code spans.
fn link_pipes(line: &str, at: usize, out: &mut Vec<usize>) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' {
            let run = line[i..].bytes().take_while(|&x| x == b'`').count();
            let ticks = &line[i..i + run];
            i = match line[i + run..].find(ticks) {
                Some(j) => i + run + j + run,
                None => i + run,
            };
        } else if b[i..].starts_with(b"[[") {
            let Some(len) = line[i + 2..].find("]]") else {
                return;
            };
            let inner = &line[i + 2..i + 2 + len];
            if !inner.contains("[[") {
                for (j, c) in inner.char_indices() {
                    if c == '|' && (j == 0 || inner.as_bytes()[j - 1] != b'\\') {
                        out.push(at + i + 2 + j);
                    }
                }
            }
            i += 2 + len + 2;
        } else if b[i] == b'\\' {
            i += 2;
        } else {
            i += 1;
        }
    }
}

/// Fenced code blocks met line by line (the raw-text steps leave them alone).
#[derive(Default)]
struct Fence(Option<(char, usize)>);

impl Fence {
    /// Whether `line` (its indentation removed) opens, is inside or closes
    /// a fenced code block.
    fn is_code(&mut self, line: &str) -> bool {
        if let Some((c, n)) = self.0 {
            let run = line.chars().take_while(|&x| x == c).count();
            if run >= n && line[run * c.len_utf8()..].trim().is_empty() {
                self.0 = None;
            }
            return true;
        }
        if let Some(c) = line.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = line.chars().take_while(|&x| x == c).count();
            if run >= 3 {
                self.0 = Some((c, run));
                return true;
            }
        }
        false
    }
}

/// Maps an offset in comment-stripped text back to the original text.
pub fn original_offset(shifts: &[(usize, usize)], offset: usize) -> usize {
    let idx = shifts.partition_point(|&(at, _)| at <= offset);
    offset + if idx == 0 { 0 } else { shifts[idx - 1].1 }
}

/// What an internal reference points at, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRef {
    /// Target name or path, decoded (`Other note.md`, `folder/Note`, empty for `#H`).
    pub target: String,
    /// Everything after the first `#` (`Heading#Sub`, `^block`), if any.
    pub anchor: Option<String>,
    /// Whether it is an embed (`![[…]]` or a local image).
    pub embed: bool,
    /// Whether it was written as a wikilink.
    pub wiki: bool,
}

/// A code fence longer than any run of backticks in `text`, so that a
/// block fenced with it holds `text` whole.
pub fn fence_for(text: &str) -> String {
    let (mut longest, mut run) = (0, 0);
    for b in text.bytes() {
        run = if b == b'`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

/// Whether a link event is internal, and what it points at. External URLs,
/// `mailto:` and other schemes return `None`.
pub fn internal_ref(tag: &Tag<'_>) -> Option<RawRef> {
    let (link_type, dest, embed) = match tag {
        Tag::Link {
            link_type,
            dest_url,
            ..
        } => (*link_type, dest_url, false),
        Tag::Image {
            link_type,
            dest_url,
            ..
        } => (*link_type, dest_url, true),
        _ => return None,
    };
    let wiki = matches!(link_type, LinkType::WikiLink { .. });
    let dest = dest.trim();
    if !wiki {
        if matches!(link_type, LinkType::Autolink | LinkType::Email)
            || has_scheme(dest)
            || dest.starts_with("//")
        {
            return None;
        }
        if dest.is_empty() {
            return None;
        }
    }
    // `[[Note\|text]]` inside a table leaves the escaping backslash behind.
    let dest = dest.trim_end_matches('\\');
    let decoded = if wiki {
        dest.to_string()
    } else {
        crate::paths::decode_percent(dest)
    };
    let (target, anchor) = match decoded.find('#') {
        Some(i) => (
            decoded[..i].trim().to_string(),
            Some(decoded[i + 1..].trim().to_string()),
        ),
        None => (decoded.trim().to_string(), None),
    };
    Some(RawRef {
        target,
        anchor,
        embed,
        wiki,
    })
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 1 => s[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// Finds inline `#tags` in a text run: `#` at the start or after whitespace,
/// then letters, digits, `_`, `-`, `/`, with at least one non-digit.
/// Returns the byte range of each tag (with its `#`) and the tag without it.
pub fn find_tags(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    // Straight to each `#` (most text has none), then a look at the
    // character before it.
    for (i, _) in text.match_indices('#') {
        if text[..i]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace)
        {
            let rest = &text[i + 1..];
            let len = rest
                .char_indices()
                .find(|&(_, ch)| !is_tag_char(ch))
                .map_or(rest.len(), |(j, _)| j);
            let tag = rest[..len].trim_end_matches('/');
            if is_valid_tag(tag) {
                out.push((i..i + 1 + tag.len(), tag));
            }
        }
    }
    out
}

/// What Obsidian lets into a tag: anything but white space, the ASCII
/// punctuation other than `_`, `-` and `/`, and the general and
/// supplemental punctuation blocks (`’`, `…`, `—`, `“`): letters of any
/// script, digits, emoji and other symbols (`#🚀launch`, `#done✅`).
fn is_tag_char(c: char) -> bool {
    !(c.is_whitespace()
        || (c.is_ascii_punctuation() && !matches!(c, '_' | '-' | '/'))
        || matches!(c as u32, 0x2000..=0x206F | 0x2E00..=0x2E7F)
        || c.is_control())
}

/// A tag is what [`is_tag_char`] allows (letters of any script, digits,
/// `_`, `-`, `/`, emoji and symbols), with at least one character that is
/// not a digit, and no empty `/` segment.
pub fn is_valid_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.chars().all(is_tag_char)
        && tag.chars().any(|c| !c.is_ascii_digit() && c != '/')
        && !tag.split('/').any(str::is_empty)
}

/// The text of the block that `^id` names in a note's Markdown `body`, as
/// a link to it reads (`[[Note#^id]]` shows the block's words, not its id):
/// the paragraph or item the id ends, or the block before an id on a line of
/// its own; Markdown marks taken off, cut at about 80 characters.
pub fn block_text(body: &str, id: &str) -> Option<String> {
    let lines: Vec<&str> = body.lines().collect();
    let marker = format!("^{id}");
    let at = lines.iter().position(|l| {
        let t = l.trim_end();
        t.strip_suffix(marker.as_str())
            .is_some_and(|before| before.is_empty() || before.ends_with(char::is_whitespace))
    })?;
    let own = lines[at].trim_end();
    let own = own[..own.len() - marker.len()].trim();
    let is_item = |l: &str| {
        let t = l.trim_start().trim_start_matches('>').trim_start();
        t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with("+ ")
            || t.split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    // The block's lines: this one and those before it up to a blank line (an
    // item stops at its own first line).
    let mut first = at;
    let mut end = at;
    if own.is_empty() {
        end = at.checked_sub(1)?;
        while end > 0 && lines[end].trim().is_empty() {
            end -= 1;
        }
        first = end;
    }
    while first > 0 && !lines[first - 1].trim().is_empty() && !is_item(lines[first]) {
        first -= 1;
    }
    let mut text = String::new();
    for (i, l) in lines[first..=end].iter().enumerate() {
        let l = if first + i == at { own } else { l.trim() };
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&plain_line(l));
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() || text.starts_with('|') {
        return None;
    }
    Some(match text.char_indices().nth(80) {
        Some((cut, _)) => {
            let cut = text[..cut].rfind(' ').unwrap_or(cut);
            format!("{}…", text[..cut].trim_end())
        }
        None => text,
    })
}

/// One line of Markdown as a reader sees its words: no list or quote marks,
/// no emphasis marks, links as their text.
fn plain_line(line: &str) -> String {
    let mut l = line.trim_start();
    loop {
        let before = l;
        l = l.trim_start_matches('>').trim_start();
        for m in ["- [ ] ", "- [x] ", "- [X] ", "- ", "* ", "+ "] {
            if let Some(r) = l.strip_prefix(m) {
                l = r;
            }
        }
        if let Some((n, r)) = l.split_once(". ") {
            if !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()) {
                l = r;
            }
        }
        l = l.trim_start_matches('#').trim_start();
        if l == before {
            break;
        }
    }
    let mut out = String::new();
    for piece in split_wikilinks(l) {
        match piece {
            Piece::Text(t) => out.push_str(&t),
            Piece::Link(raw, label) => {
                out.push_str(label.as_deref().unwrap_or(raw.target.as_str()));
            }
            Piece::External(text, _) => out.push_str(&text),
        }
    }
    out.replace("**", "")
        .replace("__", "")
        .replace("==", "")
        .replace("~~", "")
        .replace('`', "")
}

/// A block id at the end of a text run (`… ^my-id`): the text before it and the id.
pub fn trailing_block_id(text: &str) -> Option<(&str, &str)> {
    let caret = text.rfind('^')?;
    let id = text[caret + 1..].trim_end();
    let before = &text[..caret];
    let valid_id = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let separated = before.is_empty() || before.ends_with(char::is_whitespace);
    (valid_id && separated).then(|| (before.trim_end(), id))
}

/// The plain text of the inline events between `start` and the matching end
/// (heading text, link text): text and code, nothing else.
pub fn plain_text<'a>(events: impl IntoIterator<Item = &'a Event<'a>>) -> String {
    let mut s = String::new();
    for ev in events {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// A piece of a plain string that may hold links (property values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text as written.
    Text(String),
    /// `[[target#anchor|label]]`, or `[label](target.md#anchor)`.
    Link(RawRef, Option<String>),
    /// `[label](https://…)`: a web address (its `target`), not resolved.
    External(String, RawRef),
}

/// Splits a plain string (not Markdown: a property value) into text,
/// `[[wikilinks]]` and Markdown links `[text](Note.md)` or
/// `[text](https://…)`, as Obsidian reads property values.
pub fn split_wikilinks(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut text = String::new();
    while let Some(start) = rest.find('[') {
        let found = if rest[start..].starts_with("[[") {
            wikilink_at(&rest[start + 2..])
        } else {
            markdown_link_at(&rest[start + 1..])
        };
        let Some((mut piece, used)) = found else {
            text.push_str(&rest[..start + 1]);
            rest = &rest[start + 1..];
            continue;
        };
        text.push_str(&rest[..start]);
        if let Piece::Link(raw, _) | Piece::External(_, raw) = &mut piece {
            if text.ends_with('!') {
                text.pop();
                raw.embed = true;
            }
        }
        if !text.is_empty() {
            out.push(Piece::Text(std::mem::take(&mut text)));
        }
        out.push(piece);
        let skip = if rest[start..].starts_with("[[") {
            2
        } else {
            1
        };
        rest = &rest[start + skip + used..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// A string that is one link and nothing else, as a property value or a
/// setting names a file (`[[Note|label]]`, `![[cover.png]]`,
/// `[text](Note.md)`): the link and its label.
pub fn sole_link(s: &str) -> Option<(RawRef, Option<String>)> {
    let mut pieces = split_wikilinks(s.trim()).into_iter();
    match (pieces.next(), pieces.next()) {
        (Some(Piece::Link(r, label)), None) => Some((r, label)),
        _ => None,
    }
}

/// `target#anchor|label]]` at the start of `s`, and the bytes it takes.
fn wikilink_at(s: &str) -> Option<(Piece, usize)> {
    let len = s.find("]]")?;
    let inner = &s[..len];
    let (dest, label) = match inner.split_once('|') {
        Some((d, l)) => (d, Some(l.trim().to_string())),
        None => (inner, None),
    };
    Some((Piece::Link(written_ref(dest, true), label), len + 2))
}

/// A link's `target#anchor` as written in a property value.
fn written_ref(dest: &str, wiki: bool) -> RawRef {
    let (target, anchor) = match dest.split_once('#') {
        Some((t, a)) => (t.trim().to_string(), Some(a.trim().to_string())),
        None => (dest.trim().to_string(), None),
    };
    RawRef {
        target,
        anchor,
        embed: false,
        wiki,
    }
}

/// `text](destination)` at the start of `s` (the destination maybe in
/// `<…>`), as a Markdown link in a property value (Obsidian 1.11): a note
/// or file, or a web address. The bytes it takes.
fn markdown_link_at(s: &str) -> Option<(Piece, usize)> {
    let close = s.find("](")?;
    let label = &s[..close];
    if label.contains(['[', ']', '\n']) {
        return None;
    }
    let after = &s[close + 2..];
    let (dest, used) = match after.strip_prefix('<') {
        Some(a) => {
            let end = a.find('>')?;
            a[end + 1..]
                .starts_with(')')
                .then_some((&a[..end], end + 3))?
        }
        None => {
            let end = after.find(')')?;
            let d = &after[..end];
            (!d.contains(char::is_whitespace)).then_some((d, end + 1))?
        }
    };
    let dest = dest.trim();
    if dest.is_empty() {
        return None;
    }
    let label = label.trim().to_string();
    let used = close + 2 + used;
    if has_scheme(dest) || dest.starts_with("//") {
        let raw = RawRef {
            target: dest.to_string(),
            anchor: None,
            embed: false,
            wiki: false,
        };
        return Some((Piece::External(label, raw), used));
    }
    let raw = written_ref(&crate::paths::decode_percent(dest), false);
    Some((Piece::Link(raw, Some(label)), used))
}

/// Follows events through inline `<script>` and `<style>` elements, whose
/// text a browser never shows. An element left open ends with its block.
#[derive(Debug, Default)]
pub struct HiddenHtml(usize);

impl HiddenHtml {
    /// Takes the next event: whether it is inside such an element.
    pub fn hides(&mut self, ev: &Event<'_>) -> bool {
        match ev {
            Event::InlineHtml(h) => self.0 = self.0.saturating_add_signed(hidden_html_depth(h)),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell,
            ) => {
                self.0 = 0;
            }
            _ => {}
        }
        self.0 > 0
    }
}

/// For inline raw HTML: `1` when it opens an element whose text is not read
/// (`<script>`, `<style>`), `-1` when it closes one, else `0`. Their text
/// stays out of summaries, search and tags, as a browser never shows it.
fn hidden_html_depth(html: &str) -> isize {
    let h = html.as_bytes();
    let (closing, name) = match h {
        [b'<', b'/', rest @ ..] => (true, rest),
        [b'<', rest @ ..] => (false, rest),
        _ => return 0,
    };
    let hidden = ["script", "style"].iter().any(|t| {
        name.len() >= t.len()
            && name[..t.len()].eq_ignore_ascii_case(t.as_bytes())
            && name
                .get(t.len())
                .is_none_or(|c| matches!(c, b'>' | b'/') || c.is_ascii_whitespace())
    });
    match (hidden, closing) {
        (false, _) => 0,
        // `<script src=… />` opens nothing.
        (true, false) if html.trim_end().ends_with("/>") => 0,
        (true, false) => 1,
        (true, true) => -1,
    }
}

/// Whether an end closes an inline span (emphasis, a link), not a block.
pub fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Whether an end tag closes a block that a block id may attach to.
pub fn is_block_end(end: &TagEnd) -> bool {
    matches!(end, TagEnd::Paragraph | TagEnd::Item)
}

/// A callout's first line, `[!type]+ Title` → (type, fold, title).
pub fn callout_header(text: &str) -> Option<(&str, Option<char>, &str)> {
    let rest = text.trim_start().strip_prefix("[!")?;
    let close = rest.find(']')?;
    let kind = rest[..close].trim();
    if kind.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let after = &rest[close + 1..];
    let fold = after.chars().next().filter(|c| *c == '+' || *c == '-');
    // Trailing space is kept: markup may follow it on the title line.
    let title = after[fold.map_or(0, |_| 1)..].trim_start();
    Some((kind, fold, title))
}

/// A task's marker, `[c]` at the start of an item's text: the marker and the rest of the text.
pub fn task_marker(text: &str) -> Option<(char, &str)> {
    let rest = text.strip_prefix('[')?;
    let mut chars = rest.chars();
    let c = chars.next()?;
    let after = chars.as_str().strip_prefix(']')?;
    let spaced = after.is_empty() || after.starts_with([' ', '\t']);
    (spaced && !c.is_whitespace() && c != ']').then(|| (c, after.trim_start()))
}

/// Number of events in the first top-level block of `events` (to skip a
/// title's H1, or to find where the block starting at an event ends).
pub fn first_block_len<'a>(events: impl IntoIterator<Item = &'a Event<'a>>) -> usize {
    let mut depth = 0i32;
    let mut n = 0;
    for (i, e) in events.into_iter().enumerate() {
        n = i + 1;
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ if depth == 0 => return i + 1,
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_reads_as_its_words() {
        let body = "# T\n\nUn paragraphe sur **deux**\nlignes avec [[Note|un lien]]. ^para\n\n- premier point\n- second point ==clé== ^item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n^table\n\n> Une citation\n\n^quote\n\nUn texte très long qui dépasse largement la limite de quatre-vingts caractères prévue pour les libellés de liens. ^long\n";
        assert_eq!(
            block_text(body, "para").as_deref(),
            Some("Un paragraphe sur deux lignes avec un lien.")
        );
        assert_eq!(
            block_text(body, "item").as_deref(),
            Some("second point clé")
        );
        assert_eq!(block_text(body, "table"), None, "a table keeps its id");
        assert_eq!(block_text(body, "quote").as_deref(), Some("Une citation"));
        assert_eq!(
            block_text(body, "long").as_deref(),
            Some("Un texte très long qui dépasse largement la limite de quatre-vingts caractères…")
        );
        assert_eq!(block_text(body, "absent"), None);
        assert_eq!(
            block_text("x^para\n", "para"),
            None,
            "the id follows a space"
        );
    }

    #[test]
    fn wikilinks_without_a_target_stay_text() {
        let text = "a [[ ]] b ![[  ]] c [[|x]] d [[Note]]";
        let evs = events(text);
        let links = evs
            .iter()
            .filter(|(e, _)| matches!(e, Event::Start(Tag::Link { .. } | Tag::Image { .. })))
            .count();
        assert_eq!(links, 1, "{evs:?}");
        let Some((Event::Text(t), r)) = evs.get(1) else {
            panic!("{evs:?}");
        };
        assert_eq!(t.as_ref(), "a [[ ]] b ![[  ]] c [[|x]] d ");
        assert_eq!(r.clone(), 0..t.len());
    }

    #[test]
    fn script_and_style_hide_their_text() {
        for (h, d) in [
            ("<script>", 1),
            ("<SCRIPT type=\"module\">", 1),
            ("<style>", 1),
            ("</script>", -1),
            ("</Style >", -1),
            ("<script src=\"x.js\"/>", 0),
            ("<scripts>", 0),
            ("<span>", 0),
            ("</span>", 0),
            ("<!-- x -->", 0),
        ] {
            assert_eq!(hidden_html_depth(h), d, "{h}");
        }
    }

    #[test]
    fn comments_are_removed_outside_code_only() {
        let (s, _) = strip_comments("a %%hidden%% b\n");
        assert_eq!(s, "a  b\n");
        let (s, _) = strip_comments("x\n%%\n```dataview\nLIST\n```\n%%\n[[Kept]]\n");
        assert_eq!(s, "x\n\n\n\n\n\n[[Kept]]\n");
        let (s, _) = strip_comments("```\n%%code%%\n```\n`%%inline%%` %%gone%%");
        assert_eq!(s, "```\n%%code%%\n```\n`%%inline%%` ");
    }

    #[test]
    fn an_escaped_hash_is_text_not_a_tag() {
        let tags = |text: &str| -> Vec<String> {
            events(text)
                .iter()
                .filter_map(|(e, _)| match e {
                    Event::Text(t) => Some(t.to_string()),
                    _ => None,
                })
                .flat_map(|t| {
                    find_tags(&t)
                        .into_iter()
                        .map(|(_, g)| g.to_string())
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        assert_eq!(tags("a \\#mot et #vrai"), vec!["vrai"]);
        assert_eq!(tags("\\#mot au début"), Vec::<String>::new());
        assert_eq!(tags("> \\#cité\n\n- \\#liste #oui"), vec!["oui"]);
        let text: String = events("a \\#mot b")
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(text, "a #mot b");
    }

    #[test]
    fn wikilink_pipes_in_table_rows_are_escaped() {
        let text = "| Norme | Rôle |\n| --- | --- |\n| [[ISO 9001|La 9001]] | a \\| b `[[x|y]]` |\n\nHors [[A|b]] | c\n";
        let (out, pipes) = escape_table_pipes(text).unwrap();
        assert_eq!(
            out,
            "| Norme | Rôle |\n| --- | --- |\n| [[ISO 9001\\|La 9001]] | a \\| b `[[x|y]]` |\n\nHors [[A|b]] | c\n"
        );
        assert_eq!(pipes, vec![text.find("|La").unwrap()]);
        // Offsets in the new text map back: the link, the escape, the label.
        let at = out.find("\\|La").unwrap();
        assert_eq!(unescaped_offset(&pipes, at), pipes[0]);
        assert_eq!(unescaped_offset(&pipes, at + 1), pipes[0]);
        assert_eq!(unescaped_offset(&pipes, at + 2), pipes[0] + 1);
        assert_eq!(unescaped_offset(&pipes, 3), 3);
        // The header row, tables in callouts, code blocks left alone.
        let text = "> [!note] T\n> | [[A|a]] | b |\n> |---|---|\n> | [[B|b]] | c |\n\n```\n| [[C|c]] |\n|---|\n```\n";
        let (out, pipes) = escape_table_pipes(text).unwrap();
        assert_eq!(pipes.len(), 2, "{out}");
        assert!(out.contains("[[A\\|a]]") && out.contains("[[B\\|b]]") && out.contains("[[C|c]]"));
        // Not a table; an escaped pipe; multibyte text around a backslash.
        assert!(escape_table_pipes("[[A|b]] | c\n---\n").is_none());
        assert!(escape_table_pipes("| [[A\\|b]] |\n|---|\n| é\\é [[C\\|d]] |\n").is_none());
    }

    #[test]
    fn stripped_offsets_map_back() {
        let text = "ab %%xyz%% cd";
        let (s, shifts) = strip_comments(text);
        let at = s.find("cd").unwrap();
        assert_eq!(original_offset(&shifts, at), text.find("cd").unwrap());
        assert_eq!(original_offset(&shifts, 1), 1);
    }

    #[test]
    fn tags_follow_obsidian_rules() {
        let found: Vec<&str> = find_tags("#iso et #norme/iso-9001, #1984 x#no (#yes) #été #a/")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(found, ["iso", "norme/iso-9001", "été", "a"]);
        let found: Vec<&str> =
            find_tags("#🚀launch, #done✅ #c++ #l’été #fin… #x:y #q? #日本語 #a.b #«x»")
                .into_iter()
                .map(|(_, t)| t)
                .collect();
        assert_eq!(
            found,
            [
                "🚀launch",
                "done✅",
                "c",
                "l",
                "fin",
                "x",
                "q",
                "日本語",
                "a",
                "«x»"
            ]
        );
        assert!(!is_valid_tag("1984"));
        assert!(is_valid_tag("y1984"));
        assert!(!is_valid_tag("a//b"));
    }

    #[test]
    fn markdown_links_in_plain_strings() {
        let p = split_wikilinks("Voir [la norme](Normes/ISO%209001.md#Rôle), [site](https://www.iso.org) et [x](<Mon fichier.pdf>) puis [pas un lien] et [vide]()");
        assert_eq!(p[0], Piece::Text("Voir ".into()));
        match &p[1] {
            Piece::Link(r, l) => {
                assert_eq!(
                    (r.target.as_str(), r.anchor.as_deref()),
                    ("Normes/ISO 9001.md", Some("Rôle"))
                );
                assert!(!r.wiki);
                assert_eq!(l.as_deref(), Some("la norme"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(p[2], Piece::Text(", ".into()));
        assert!(
            matches!(&p[3], Piece::External(l, r) if l == "site" && r.target == "https://www.iso.org")
        );
        assert!(matches!(&p[5], Piece::Link(r, _) if r.target == "Mon fichier.pdf"));
        assert_eq!(p[6], Piece::Text(" puis [pas un lien] et [vide]()".into()));
        assert_eq!(p.len(), 7);
    }

    #[test]
    fn wikilinks_in_plain_strings() {
        let p = split_wikilinks("Siège : [[Genève|Genève, Suisse]] et [[ISO#Rôle]]");
        assert_eq!(p.len(), 4);
        assert_eq!(p[0], Piece::Text("Siège : ".into()));
        match &p[1] {
            Piece::Link(r, l) => {
                assert_eq!(r.target, "Genève");
                assert_eq!(l.as_deref(), Some("Genève, Suisse"));
            }
            _ => panic!(),
        }
        assert!(matches!(&p[3], Piece::Link(r, None) if r.anchor.as_deref() == Some("Rôle")));
        assert_eq!(
            split_wikilinks("no [[link"),
            vec![Piece::Text("no [[link".into())]
        );
    }

    #[test]
    fn block_ids_need_a_space_and_simple_names() {
        assert_eq!(trailing_block_id("texte ^abc-1"), Some(("texte", "abc-1")));
        assert_eq!(trailing_block_id("^solo"), Some(("", "solo")));
        assert_eq!(trailing_block_id("x^abc"), None);
        assert_eq!(trailing_block_id("2^10 est"), None);
    }

    #[test]
    fn internal_refs_decode_and_split_anchors() {
        let ev = events("[[Note#Rôle et missions|r]] [a](Other%20note.md#H) [b](https://x.org) ![[img.png|300]] [c](<My note.md>)");
        let refs: Vec<RawRef> = ev
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(t) => internal_ref(t),
                _ => None,
            })
            .collect();
        assert_eq!(refs.len(), 4);
        assert_eq!(refs[0].target, "Note");
        assert_eq!(refs[0].anchor.as_deref(), Some("Rôle et missions"));
        assert_eq!(refs[1].target, "Other note.md");
        assert!(refs[2].embed && refs[2].wiki);
        assert_eq!(refs[3].target, "My note.md");
    }
}
