//! Repairs: what `isokb fix` may change in a vault, and how it writes.
//!
//! Sits beside `check`: it scans and parses the vault with the pipeline's own
//! stages, then plans repairs that are safe and unambiguous, each one local to
//! the text it repairs:
//!
//! - mojibake, when [`crate::mojibake::detect`] finds an exact round trip;
//! - wikilinks whose only match differs from them by case only
//!   (`[[iso 9001]]` → `[[ISO 9001]]`);
//! - wikilinks that resolve only through a unique alias, rewritten in
//!   Obsidian's own form (`[[Org]]` → `[[ISO|Org]]`, an existing `|text` kept);
//! - the pipe of a labelled wikilink in a table row, escaped
//!   (`| [[ISO|Org]] |` → `| [[ISO\|Org]] |`: the `table-pipe` finding).
//!
//! A [`Plan`] is computed without writing anything; [`apply`] then writes one
//! file atomically (a temporary file in the same folder, renamed over the
//! original), keeping its BOM and line endings, and refuses to touch a
//! read-only file or a file that changed since it was read. Positions come
//! from parse (`LinkRef::pos`, already mapped back through removed comments),
//! and each edit checks the source text it replaces before making it.

use crate::diagnostics::{paint, plural, Diagnostic, Kind, Position};
use crate::parse::{parse_note, LinkRef, Note};
use crate::paths::VaultPath;
use crate::resolve::{NameTable, Resolution, Rule, Target};
use crate::scan::SourceNote;
use crate::{load_config, scan, scan_options, Overrides};
use rayon::prelude::*;
use std::fmt;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// One repair made in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// Mojibake repaired on some lines.
    Mojibake {
        /// The encoding the text had been wrongly decoded with.
        encoding: &'static str,
        /// How many lines changed.
        lines: usize,
    },
    /// A link whose target differed from its note's name by case only.
    Case {
        /// Where the link is.
        pos: Position,
        /// The link before.
        from: String,
        /// The link after.
        to: String,
    },
    /// A wikilink's pipe in a table row, escaped.
    TablePipe {
        /// Where the pipe is.
        pos: Position,
    },
    /// A link that resolved only through an alias.
    Alias {
        /// Where the link is.
        pos: Position,
        /// The link before.
        from: String,
        /// The link after.
        to: String,
    },
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Repair::Mojibake { encoding, lines } => write!(
                f,
                "mojibake: {lines} line{} had been decoded as {encoding}",
                if *lines == 1 { "" } else { "s" }
            ),
            Repair::Case { pos, from, to } => {
                write!(f, "{}:{}: case of `{from}` → `{to}`", pos.line, pos.col)
            }
            Repair::TablePipe { pos } => {
                write!(
                    f,
                    "{}:{}: `|` in a table row's wikilink → `\\|`",
                    pos.line, pos.col
                )
            }
            Repair::Alias { pos, from, to } => {
                write!(f, "{}:{}: alias link `{from}` → `{to}`", pos.line, pos.col)
            }
        }
    }
}

/// The repairs planned for one file.
#[derive(Debug, Clone)]
pub struct FileFix {
    /// The note.
    pub path: VaultPath,
    /// The path shown to users (relative to where isokb runs).
    pub shown: String,
    /// The file on disk.
    pub file: PathBuf,
    /// Its bytes when they were read.
    pub before: Vec<u8>,
    /// Its modification time when it was read.
    pub modified: Option<SystemTime>,
    /// The repaired bytes.
    pub after: Vec<u8>,
    /// What changed, in order.
    pub repairs: Vec<Repair>,
}

impl FileFix {
    /// `fixed PATH` (or `would fix`, in a dry run), then a line per repair.
    pub fn done_line(&self, dry_run: bool, color: bool) -> String {
        let verb = if dry_run { "would fix" } else { "fixed" };
        let mut s = format!("{} {}", paint(color, "1;32", verb), self.shown);
        for r in &self.repairs {
            s.push_str(&format!("\n  {r}"));
        }
        s
    }

    /// The change as a unified diff.
    pub fn diff(&self) -> String {
        let strip = |b: &[u8]| -> String {
            let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
            String::from_utf8_lossy(b).into_owned()
        };
        unified_diff(&self.shown, &strip(&self.before), &strip(&self.after))
    }
}

/// Everything `fix` would change, computed without writing.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files to rewrite, in path order.
    pub files: Vec<FileFix>,
    /// Notes that were skipped, and why (not UTF-8, symbolic links …).
    pub skipped: Vec<Diagnostic>,
}

/// What happened when a fix was applied.
#[derive(Debug)]
pub enum Outcome {
    /// The file was rewritten.
    Written,
    /// The file is read-only: it was left as it was.
    ReadOnly,
    /// The file changed after it was read: it was not overwritten.
    Changed,
    /// Writing failed; the original is intact.
    Failed(std::io::Error),
}

impl Outcome {
    /// Why the file was left as it was, or `None` when it was written.
    pub fn problem(&self) -> Option<String> {
        match self {
            Outcome::Written => None,
            Outcome::ReadOnly => Some("the file is read-only".to_string()),
            Outcome::Changed => Some("the file changed while isokb was running".to_string()),
            Outcome::Failed(e) => Some(format!("cannot write it: {e}")),
        }
    }
}

/// The totals of an `isokb fix` run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    /// Whether nothing is written (`--dry-run`).
    pub dry_run: bool,
    /// Files fixed (or that would be).
    pub done: usize,
    /// Repairs in them.
    pub repairs: usize,
    /// Files that could not be rewritten.
    pub failed: usize,
}

impl Tally {
    /// Counts `fix` and what applying it did (`None` in a dry run), and
    /// returns the finding that says why it failed, if it did.
    pub fn add(&mut self, fix: &FileFix, outcome: Option<&Outcome>) -> Option<Diagnostic> {
        match outcome.and_then(Outcome::problem) {
            Some(why) => {
                self.failed += 1;
                let message = format!("{why}; it was left as it was");
                Some(Diagnostic::new(Kind::Io, &fix.shown, message))
            }
            None => {
                self.done += 1;
                self.repairs += fix.repairs.len();
                None
            }
        }
    }

    /// The closing line: `fixed N files (M repairs)` and the failures.
    pub fn summary_line(&self) -> String {
        let (files, repairs) = (plural(self.done, "file"), plural(self.repairs, "repair"));
        let mut line = if self.dry_run {
            format!("would fix {files} ({repairs}); nothing was written (--dry-run)")
        } else {
            format!("fixed {files} ({repairs})")
        };
        if self.failed > 0 {
            line.push_str(&format!(
                "; {} could not be fixed",
                plural(self.failed, "file")
            ));
        }
        line
    }
}

/// Scans and parses the vault under `root` and plans every safe repair.
pub fn plan(root: &Path, o: &Overrides) -> Result<Plan, Diagnostic> {
    let config = load_config(root, o)?;
    let content = root.join(&config.content_dir);
    let (vault, _) = scan::scan(&content, &scan_options(root, &config))?;
    let shown = crate::paths::shown_prefix(&content);
    let mut plan = Plan::default();
    // Read each note again as bytes: the fix must keep its BOM and endings.
    let read: Vec<Result<Source, Diagnostic>> = vault
        .notes
        .par_iter()
        .map(|n| Source::read(&content, &n.path))
        .collect();
    let mut sources = Vec::new();
    for r in read {
        match r {
            Ok(s) => sources.push(s),
            Err(d) => plan.skipped.push(d),
        }
    }
    let notes: Vec<Note> = sources
        .par_iter()
        .map(|s| {
            parse_note(&SourceNote {
                path: s.path.clone(),
                text: s.text.clone(),
                modified: 0,
            })
            .0
        })
        .collect();
    let files: Vec<VaultPath> = vault.attachments.iter().map(|a| a.path.clone()).collect();
    let table = NameTable::new(
        notes
            .iter()
            .map(|n| (n.path.as_str(), n.front.aliases.as_slice())),
        files.iter().map(VaultPath::as_str),
    );
    let ctx = Ctx {
        notes: &notes,
        files: &files,
        table: &table,
    };
    let fixes: Vec<Option<FileFix>> = sources
        .into_par_iter()
        .zip(notes.par_iter())
        .map(|(src, note)| src.fix(note, &ctx, &shown))
        .collect();
    plan.files = fixes.into_iter().flatten().collect();
    Ok(plan)
}

/// A note's file as read for fixing.
struct Source {
    path: VaultPath,
    file: PathBuf,
    bytes: Vec<u8>,
    modified: Option<SystemTime>,
    bom: bool,
    /// The text without BOM, mojibake repaired.
    text: String,
    mojibake: Option<Repair>,
}

impl Source {
    fn read(content: &Path, path: &VaultPath) -> Result<Source, Diagnostic> {
        let file = scan::disk_path(content, path);
        let skip = |why: String| Diagnostic::new(crate::diagnostics::Kind::Io, path.as_str(), why);
        let meta = std::fs::symlink_metadata(&file)
            .map_err(|e| skip(format!("cannot read the note: {e}")))?;
        if meta.file_type().is_symlink() {
            return Err(skip(
                "a symbolic link: the file it points to is fixed instead".into(),
            ));
        }
        let bytes = std::fs::read(&file).map_err(|e| skip(format!("cannot read the note: {e}")))?;
        let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (true, rest),
            None => (false, &bytes[..]),
        };
        let text = std::str::from_utf8(body)
            .map_err(|_| skip("not valid UTF-8: nothing in it can be repaired safely".into()))?
            .to_string();
        let (text, mojibake) = match crate::mojibake::detect(&text) {
            Some(r) => {
                let repair = Repair::Mojibake {
                    encoding: r.encoding.name(),
                    lines: r.lines.len(),
                };
                (r.text, Some(repair))
            }
            None => (text, None),
        };
        Ok(Source {
            path: path.clone(),
            file,
            modified: meta.modified().ok(),
            bytes,
            bom,
            text,
            mojibake,
        })
    }

    /// A backslash before each unescaped pipe of a wikilink in a table row
    /// of the body (a link rewritten in the same run keeps its pipe: the
    /// next run escapes it).
    fn table_pipes(&self) -> Vec<(Range<usize>, String, Repair)> {
        let body = crate::frontmatter::split(&self.text).map_or(0, |s| s.body_offset);
        let Some((_, pipes)) = crate::markdown::escape_table_pipes(&self.text[body..]) else {
            return Vec::new();
        };
        pipes
            .into_iter()
            .map(|p| {
                let at = body + p;
                let pos = Position::of_offset(&self.text, at);
                (at..at, "\\".to_string(), Repair::TablePipe { pos })
            })
            .collect()
    }

    /// Applies the link repairs to the (mojibake-repaired) text.
    fn fix(self, note: &Note, ctx: &Ctx<'_>, shown: &str) -> Option<FileFix> {
        let mut edits: Vec<(Range<usize>, String, Repair)> = note
            .links
            .iter()
            .chain(&note.property_links)
            .filter_map(|r| ctx.link_edit(&self.text, note, r))
            .chain(self.table_pipes())
            .collect();
        edits.sort_by_key(|e| (e.0.start, e.0.end));
        edits.dedup_by(|b, a| b.0.start < a.0.end);
        let mut text = self.text;
        for (range, new, _) in edits.iter().rev() {
            text.replace_range(range.clone(), new);
        }
        let mut after = Vec::with_capacity(text.len() + 3);
        if self.bom {
            after.extend_from_slice(b"\xEF\xBB\xBF");
        }
        after.extend_from_slice(text.as_bytes());
        if after == self.bytes {
            return None;
        }
        let repairs = self
            .mojibake
            .into_iter()
            .chain(edits.into_iter().map(|e| e.2))
            .collect();
        Some(FileFix {
            shown: format!("{shown}{}", self.path),
            path: self.path,
            file: self.file,
            before: self.bytes,
            modified: self.modified,
            after,
            repairs,
        })
    }
}

/// What link repairs need to know about the vault.
struct Ctx<'a> {
    notes: &'a [Note],
    files: &'a [VaultPath],
    table: &'a NameTable,
}

/// A wikilink as written in the source: byte ranges of its parts.
#[derive(Debug, PartialEq, Eq)]
pub struct Written<'a> {
    /// The whole link, `[[` to `]]` (without a leading `!`).
    pub range: Range<usize>,
    /// Whether an `!` precedes it.
    pub embed: bool,
    /// The target as written (may have spaces around it).
    pub target: &'a str,
    /// `#anchor` as written, with its `#`.
    pub anchor: &'a str,
    /// The label after `|` (or `\|` in tables), if any.
    pub label: Option<&'a str>,
    /// Whether the pipe was escaped (`\|`).
    pub escaped_pipe: bool,
}

/// Reads the wikilink that starts at byte `at` (its `[[` or its `!`).
pub fn written_link(text: &str, at: usize) -> Option<Written<'_>> {
    let s = text.get(at..)?;
    let (embed, open) = if s.starts_with("![[") {
        (true, at + 1)
    } else if s.starts_with("[[") {
        (false, at)
    } else {
        return None;
    };
    let inner_start = open + 2;
    let len = text[inner_start..].find("]]")?;
    let inner = &text[inner_start..inner_start + len];
    if inner.contains(['\n', '\r']) || inner.contains("[[") {
        return None;
    }
    let (dest, label, escaped_pipe) = match inner.find('|') {
        Some(i) if inner[..i].ends_with('\\') => (&inner[..i - 1], Some(&inner[i + 1..]), true),
        Some(i) => (&inner[..i], Some(&inner[i + 1..]), false),
        None => (inner, None, false),
    };
    let (target, anchor) = match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    Some(Written {
        range: open..inner_start + len + 2,
        embed,
        target,
        anchor,
        label,
        escaped_pipe,
    })
}

/// `s` with its `[[…]]` spans removed (their pipes are no table's).
fn without_wikilinks(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start..].find("]]") else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// The byte offset of a line and column (in characters) in `text`.
pub fn offset_of(text: &str, pos: Position) -> Option<usize> {
    let mut start = 0;
    for _ in 1..pos.line {
        start += text[start..].find('\n')? + 1;
    }
    let line = &text[start..];
    line.char_indices()
        .nth(pos.col.checked_sub(1)?)
        .map(|(i, _)| start + i)
}

impl Ctx<'_> {
    /// The edit that repairs one link, if it needs one and the repair is certain.
    fn link_edit(
        &self,
        text: &str,
        note: &Note,
        r: &LinkRef,
    ) -> Option<(Range<usize>, String, Repair)> {
        if !r.raw.wiki {
            return None;
        }
        let at = offset_of(text, r.pos)?;
        let w = written_link(text, at)?;
        let target = w.target.trim();
        if target != r.raw.target || target.is_empty() {
            return None;
        }
        let folder = note.path.folder();
        let Resolution::Found {
            target: found,
            rule,
            others,
        } = self.table.resolve(target, folder)
        else {
            return None;
        };
        if !others.is_empty() {
            return None;
        }
        let unique = |name: &str| {
            matches!(self.table.resolve(name, folder),
                Resolution::Found { target: t, rule: ru, others: o }
                    if t == found && o.is_empty() && ru != Rule::Alias)
        };
        let old = &text[w.range.clone()];
        let target_at = w.target.as_ptr() as usize - text.as_ptr() as usize;
        let lead = w.target.len() - w.target.trim_start().len();
        let (new, is_alias) = match rule {
            Rule::Path | Rule::Suffix => {
                let name = self.case_fixed(target, found)?;
                if !unique(&name) {
                    return None;
                }
                let mut s = old.to_string();
                let from = target_at + lead - w.range.start;
                s.replace_range(from..from + target.len(), &name);
                (s, false)
            }
            Rule::Alias => {
                let Target::Note(id) = found else {
                    return None;
                };
                // Only body links outside tables: a `|` elsewhere on the line
                // could be a table, where the pipe would need escaping.
                let line_start = text[..w.range.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[w.range.end..]
                    .find('\n')
                    .map_or(text.len(), |i| w.range.end + i);
                let outside = format!(
                    "{}{}",
                    &text[line_start..w.range.start],
                    &text[w.range.end..line_end]
                );
                let in_table = without_wikilinks(&outside).contains('|') || w.escaped_pipe;
                if w.embed
                    || r.property.is_some()
                    || (w.label.is_none() && (in_table || !w.anchor.is_empty()))
                {
                    return None;
                }
                let n = &self.notes[id];
                let name = [n.path.stem(), n.path.without_md()]
                    .into_iter()
                    .find(|name| !name.contains(['|', '#', '[', ']', '^']) && unique(name))?;
                let bar = if w.escaped_pipe { "\\|" } else { "|" };
                let label = w.label.unwrap_or(target);
                (format!("[[{name}{}{bar}{label}]]", w.anchor), true)
            }
            Rule::Relative => return None,
        };
        if new == old {
            return None;
        }
        let from = format!("{}{old}", if w.embed { "!" } else { "" });
        let to = format!("{}{new}", if w.embed { "!" } else { "" });
        let repair = if is_alias {
            Repair::Alias {
                pos: r.pos,
                from,
                to,
            }
        } else {
            Repair::Case {
                pos: r.pos,
                from,
                to,
            }
        };
        Some((w.range, new, repair))
    }

    /// The target with the case of the note's or file's actual name, when
    /// that is the only difference.
    fn case_fixed(&self, written: &str, found: Target) -> Option<String> {
        if written.starts_with(['/', '.']) {
            return None;
        }
        let full = match found {
            Target::Note(i) => {
                let p = &self.notes[i].path;
                if written.to_lowercase().ends_with(".md") {
                    p.as_str()
                } else {
                    p.without_md()
                }
            }
            Target::File(i) => self.files[i].as_str(),
        };
        let k = written.split('/').count();
        let parts: Vec<&str> = full.split('/').collect();
        let candidate = parts.get(parts.len().checked_sub(k)?..)?.join("/");
        (candidate != written && candidate.to_lowercase() == written.to_lowercase())
            .then_some(candidate)
    }
}

/// Writes one planned fix: atomically, only when the file is writable and
/// unchanged since it was read.
pub fn apply(fix: &FileFix) -> Outcome {
    let meta = match std::fs::metadata(&fix.file) {
        Ok(m) => m,
        Err(e) => return Outcome::Failed(e),
    };
    if meta.permissions().readonly() {
        return Outcome::ReadOnly;
    }
    match std::fs::read(&fix.file) {
        Ok(now) if now == fix.before && meta.modified().ok() == fix.modified => {}
        Ok(_) => return Outcome::Changed,
        Err(e) => return Outcome::Failed(e),
    }
    match write_atomic(&fix.file, &fix.after, meta.permissions()) {
        Ok(()) => Outcome::Written,
        Err(e) => Outcome::Failed(e),
    }
}

/// Writes `bytes` to a new file beside `file`, then renames it over `file`.
fn write_atomic(file: &Path, bytes: &[u8], perms: std::fs::Permissions) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.isokb-fix-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::set_permissions(&tmp, perms)?;
        std::fs::rename(&tmp, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A unified diff of two texts with three lines of context. Line endings are
/// not shown (a fix never changes them).
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    let clean = |l: &str| l.trim_end_matches('\n').trim_end_matches('\r').to_string();
    let mut out = if path.starts_with('/') {
        format!("--- {path}\n+++ {path}\n")
    } else {
        format!("--- a/{path}\n+++ b/{path}\n")
    };
    if a.len() != b.len() {
        out.push_str(&format!("@@ -1,{} +1,{} @@\n", a.len(), b.len()));
        a.iter()
            .for_each(|l| out.push_str(&format!("-{}\n", clean(l))));
        b.iter()
            .for_each(|l| out.push_str(&format!("+{}\n", clean(l))));
        return out;
    }
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    const CONTEXT: usize = 3;
    let mut hunks: Vec<Range<usize>> = Vec::new();
    for &i in &changed {
        let r = i.saturating_sub(CONTEXT)..(i + CONTEXT + 1).min(a.len());
        match hunks.last_mut() {
            Some(last) if r.start <= last.end => last.end = r.end,
            _ => hunks.push(r),
        }
    }
    for h in hunks {
        let n = h.len();
        out.push_str(&format!(
            "@@ -{},{n} +{},{n} @@\n",
            h.start + 1,
            h.start + 1
        ));
        let mut i = h.start;
        while i < h.end {
            if a[i] == b[i] {
                out.push_str(&format!(" {}\n", clean(a[i])));
                i += 1;
                continue;
            }
            let run_end = (i..h.end).find(|&j| a[j] == b[j]).unwrap_or(h.end);
            (i..run_end).for_each(|j| out.push_str(&format!("-{}\n", clean(a[j]))));
            (i..run_end).for_each(|j| out.push_str(&format!("+{}\n", clean(b[j]))));
            i = run_end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_links_are_split_into_their_parts() {
        let t = "x ![[a b#H|lbl]] [[ c \\| d]]";
        let w = written_link(t, 2).unwrap();
        assert!(w.embed);
        assert_eq!((w.target, w.anchor, w.label), ("a b", "#H", Some("lbl")));
        assert_eq!(&t[w.range], "[[a b#H|lbl]]");
        let w = written_link(t, 17).unwrap();
        assert_eq!(
            (w.target, w.label, w.escaped_pipe),
            (" c ", Some(" d"), true)
        );
        assert_eq!(written_link(t, 0), None);
        assert_eq!(written_link("[[a\nb]]", 0), None);
    }

    #[test]
    fn offsets_count_characters() {
        let t = "é\nab [[x]]";
        assert_eq!(
            offset_of(t, Position { line: 2, col: 4 }),
            Some(t.find("[[").unwrap())
        );
        assert_eq!(offset_of(t, Position { line: 1, col: 1 }), Some(0));
        assert_eq!(offset_of(t, Position { line: 3, col: 1 }), None);
    }

    #[test]
    fn diffs_show_changed_lines_with_context() {
        let before = "1\n2\n3\n4\n5\n6\n7\n8\r\n9\n10\n";
        let after = "1\n2\n3\n4\n5\n6\n7\nhuit\r\n9\n10\n";
        let d = unified_diff("a.md", before, after);
        assert_eq!(
            d,
            "--- a/a.md\n+++ b/a.md\n@@ -5,6 +5,6 @@\n 5\n 6\n 7\n-8\n+huit\n 9\n 10\n"
        );
    }

    fn plan_for(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, t).unwrap();
        }
        let plan = plan(dir.path(), &Overrides::default()).unwrap();
        plan.files
            .iter()
            .map(|f| {
                (
                    f.path.to_string(),
                    String::from_utf8(f.after.clone()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn link_repairs_are_local_and_certain() {
        let fixed = plan_for(&[
            (
                "Normes/ISO 9001.md",
                "---\naliases: [QMS]\n---\n# ISO 9001\n",
            ),
            ("Org/ISO.md", "---\naliases: [Org, Shared]\n---\n"),
            ("Other.md", "---\naliases: [Shared]\n---\n"),
            ("pic.PNG", "png"),
            (
                "a.md",
                "Voir [[iso 9001]], [[normes/iso 9001#Scope|s]] et [[ISO 9001]].\n\
                 %%[[iso 9001]]%% [[QMS]] [[org|O]] ![[pic.png]] [[Shared]]\n\
                 | t | [[Org]] |\n|---|---|\n`[[iso 9001]]` [[QMS#H]]\r\n",
            ),
        ]);
        assert_eq!(fixed.len(), 1, "{fixed:?}");
        assert_eq!(
            fixed[0].1,
            "Voir [[ISO 9001]], [[Normes/ISO 9001#Scope|s]] et [[ISO 9001]].\n\
             %%[[iso 9001]]%% [[ISO 9001|QMS]] [[ISO|O]] ![[pic.PNG]] [[Shared]]\n\
             | t | [[Org]] |\n|---|---|\n`[[iso 9001]]` [[QMS#H]]\r\n"
        );
    }

    #[test]
    fn ambiguous_and_clean_vaults_are_left_alone() {
        let fixed = plan_for(&[
            ("x/Note.md", "x"),
            ("y/Note.md", "y"),
            ("z.md", "[[note]] [[Missing]] Fiche d'Identité 🎯 Größe"),
        ]);
        assert!(fixed.is_empty(), "{fixed:?}");
    }
}
