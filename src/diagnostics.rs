//! Diagnostics: what is wrong in a vault, where, and what to do about it.
//!
//! Every stage returns its findings as [`Diagnostic`] values instead of printing
//! or failing; the [`Policy`] built from `site.toml` and the command line decides
//! which kinds are errors. This module owns their formatting
//! (`path:line:col: level[kind]: message` plus an optional `help:` line).
//! It must not know anything about the pipeline stages that create them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How serious a finding is once the policy has been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported at all.
    Off,
    /// Reported with `--verbose` only.
    Info,
    /// Reported; fails the build only under `--strict`.
    Warning,
    /// Reported; fails the build.
    Error,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        })
    }
}

macro_rules! kinds {
    ($( $variant:ident = $name:literal, $level:ident, $doc:literal; )*) => {
        /// The kinds of finding. Each has a stable kebab-case name used in
        /// `site.toml`, on the command line and in machine-readable output.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $( #[doc = $doc] $variant, )* }

        impl Kind {
            /// Every kind, in documentation order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];
            /// The stable name of the kind.
            pub fn name(self) -> &'static str { match self { $(Kind::$variant => $name,)* } }
            /// The level used when neither `site.toml` nor a flag says otherwise.
            pub fn default_level(self) -> Level { match self { $(Kind::$variant => Level::$level,)* } }
            /// One sentence saying what the kind means.
            pub fn description(self) -> &'static str { match self { $(Kind::$variant => $doc,)* } }
            /// Looks a kind up by its stable name.
            pub fn from_name(name: &str) -> Option<Kind> {
                match name { $($name => Some(Kind::$variant),)* _ => None }
            }
        }
    };
}

kinds! {
    Config = "config", Error, "site.toml or a command-line option is invalid.";
    Io = "io", Error, "a file or folder could not be read or written.";
    Encoding = "encoding", Error, "a note is not valid UTF-8 text.";
    FrontMatter = "front-matter", Error, "the YAML front matter of a note cannot be read.";
    BrokenLink = "broken-link", Warning, "a link or embed points to a note or file that does not exist.";
    BrokenAnchor = "broken-anchor", Warning, "a link points to a heading or block that does not exist in its target.";
    AmbiguousLink = "ambiguous-link", Warning, "several notes match a link; the closest one was chosen.";
    UnpublishedLink = "unpublished-link", Warning, "a link points to a draft or unpublished note; it is shown as plain text.";
    AliasCollision = "alias-collision", Warning, "an alias is used by several notes, or shadows a note name.";
    DuplicateSlug = "duplicate-slug", Warning, "two pages would have the same URL; one was renamed.";
    InvalidTag = "invalid-tag", Warning, "a tag in the front matter is not a valid tag.";
    TablePipe = "table-pipe", Warning, "a `|` inside a wikilink in a table row is not escaped (`[[Note\\|label]]`): other Markdown tools split the cell there.";
    InvalidDate = "invalid-date", Warning, "a date property is not a calendar date `YYYY-MM-DD`; the file's time is used instead.";
    Template = "template", Error, "a theme template failed to render.";
    EmbedCycle = "embed-cycle", Warning, "embeds form a cycle or nest too deeply.";
    Math = "math", Warning, "a formula could not be rendered to MathML; it is shown as code.";
    Diagram = "diagram", Warning, "a Mermaid diagram could not be rendered; it is shown as its source.";
    Mojibake = "mojibake", Warning, "text looks like UTF-8 decoded with the wrong encoding.";
    Orphan = "orphan", Info, "a published note that no other published note links to or embeds (the home note and folder notes are exempt).";
    EmptyNote = "empty-note", Warning, "a published note with nothing but its title: no text, links, embeds or properties.";
    UnusedAttachment = "unused-attachment", Info, "an attachment that no note links to or embeds.";
    PropertyType = "property-type", Warning, "a property whose value has another type than the same property elsewhere in the vault.";
    ShallowHistory = "shallow-history", Warning, "the vault is a shallow git clone, so notes' dates come from the files' times; fetch the whole history (`fetch-depth: 0`).";
    GitHistory = "git-history", Warning, "the vault is in a git work tree but git could not read its history; notes' dates come from the files' times.";
    Canvas = "canvas", Warning, "a canvas (`.canvas`) is not valid JSON Canvas, or has a node or edge that cannot be drawn; the page draws the rest.";
    Base = "base", Warning, "a base (a `.base` file or a ```base block) cannot be read, or calls a function isokb does not implement; the page shows what could not be drawn.";
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A position in a source file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values.
    pub col: usize,
}

impl Position {
    /// The position of byte `offset` in `text`. Offsets past the end clamp to it.
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Position { line, col }
    }
}

/// Line starts of a text, for many offset → position lookups in O(log n) each.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The position of byte `offset` (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        Position {
            line,
            col: self.text[start..offset].chars().count() + 1,
        }
    }
}

/// One finding about the vault or the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem this is; the policy maps it to a level.
    pub kind: Kind,
    /// The file, relative to the site root (or as given for config files).
    pub path: String,
    /// Where in the file, when known.
    pub pos: Option<Position>,
    /// What is wrong, in plain words. Names are put in backticks.
    pub message: String,
    /// A likely fix, when there is one.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding with no position and no help.
    pub fn new(kind: Kind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            path: path.into(),
            pos: None,
            message: message.into(),
            help: None,
        }
    }

    /// Sets the position.
    pub fn at(mut self, pos: Position) -> Self {
        self.pos = Some(pos);
        self
    }

    /// Sets the position when there is one.
    pub fn at_maybe(mut self, pos: Option<Position>) -> Self {
        self.pos = pos.or(self.pos);
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `path:line:col` (or just `path`).
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}", self.path, p.line, p.col),
            None => self.path.clone(),
        }
    }

    /// The human form: `path:line:col: level[kind]: message` and an indented `help:`.
    pub fn render(&self, level: Level) -> String {
        self.line(level, false)
    }

    /// The one formatter of a finding for people, used by every command that
    /// prints one: [`Diagnostic::render`], painted with terminal colours
    /// when `color`.
    pub fn line(&self, level: Level, color: bool) -> String {
        let head = format!("{level}[{}]", self.kind);
        let mut s = format!(
            "{}: {}: {}",
            self.location(),
            paint(color, level.style(), &head),
            self.message
        );
        if let Some(h) = &self.help {
            s.push_str(&format!("\n  {} {h}", paint(color, "1;32", "help:")));
        }
        s
    }

    /// The level of a finding that stopped isokb from running: a broken
    /// configuration, an unreadable file or a broken template always is an
    /// error, whatever the policy says.
    pub fn stop_level(&self) -> Level {
        match self.kind {
            Kind::Config | Kind::Io | Kind::Template => Level::Error,
            k => k.default_level(),
        }
    }
}

/// `s` in the terminal style `code` (an SGR parameter such as `1;31`) when
/// `color`, else `s` itself.
pub fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// How findings are printed for people, on stderr.
#[derive(Debug, Clone, Copy, Default)]
pub struct Printer {
    /// In terminal colours.
    pub color: bool,
    /// Errors only (`--quiet`).
    pub quiet: bool,
    /// Informational findings and timings too (`--verbose`).
    pub verbose: bool,
}

impl Printer {
    /// In colour when stderr is a terminal and `NO_COLOR` is not set.
    pub fn stderr(quiet: bool, verbose: bool) -> Printer {
        use std::io::IsTerminal;
        Printer {
            color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            quiet,
            verbose,
        }
    }

    /// Prints `d` at `level` (unless `quiet` and below an error).
    pub fn print(&self, level: Level, d: &Diagnostic) {
        if !self.quiet || level >= Level::Error {
            eprintln!("{}", d.line(level, self.color));
        }
    }
}

/// `n word` or `n words`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl Level {
    /// The terminal style of the level's name: red errors, yellow warnings,
    /// cyan information.
    pub fn style(self) -> &'static str {
        match self {
            Level::Error => "1;31",
            Level::Warning => "1;33",
            _ => "1;36",
        }
    }
}

impl Kind {
    /// A kind named on the command line, or a message listing the kinds.
    pub fn parse(name: &str) -> Result<Kind, String> {
        Kind::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            format!(
                "unknown diagnostic kind `{name}`; the kinds are: {}",
                names.join(", ")
            )
        })
    }
}

/// Decides the level of each kind: defaults, then `site.toml`, then flags.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    levels: BTreeMap<Kind, Level>,
    /// When set, every warning counts as an error.
    pub strict: bool,
}

impl Policy {
    /// Overrides the level of one kind.
    pub fn set(&mut self, kind: Kind, level: Level) {
        self.levels.insert(kind, level);
    }

    /// The level a finding of this kind is reported at.
    pub fn level(&self, kind: Kind) -> Level {
        let level = self
            .levels
            .get(&kind)
            .copied()
            .unwrap_or_else(|| kind.default_level());
        if self.strict && level == Level::Warning {
            Level::Error
        } else {
            level
        }
    }
}

/// Sorts findings by file, position and message, and removes exact repeats.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.pos, a.kind, &a.message).cmp(&(&b.path, b.pos, b.kind, &b.message))
    });
    diags.dedup();
}

/// Counts per level after applying the policy: (errors, warnings).
pub fn count(diags: &[Diagnostic], policy: &Policy) -> (usize, usize) {
    diags
        .iter()
        .fold((0, 0), |(e, w), d| match policy.level(d.kind) {
            Level::Error => (e + 1, w),
            Level::Warning => (e, w + 1),
            _ => (e, w),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçé x\n";
        assert_eq!(Position::of_offset(text, 0), Position { line: 1, col: 1 });
        assert_eq!(Position::of_offset(text, 3), Position { line: 2, col: 1 });
        // "çé " is 5 bytes, 3 characters.
        assert_eq!(Position::of_offset(text, 8), Position { line: 2, col: 4 });
        assert_eq!(Position::of_offset(text, 999).line, 3);
    }

    #[test]
    fn line_index_agrees_with_the_direct_count() {
        let text = "ab\nçé x\n\nlast";
        let idx = LineIndex::new(text);
        for off in 0..=text.len() + 2 {
            assert_eq!(
                idx.position(off),
                Position::of_offset(text, off),
                "offset {off}"
            );
        }
    }

    #[test]
    fn render_has_location_level_kind_and_help() {
        let d = Diagnostic::new(
            Kind::BrokenLink,
            "notes/a.md",
            "unresolved link `[[Zettel]]`",
        )
        .at(Position { line: 14, col: 9 })
        .help("did you mean `[[Zettel method]]`?");
        assert_eq!(
            d.render(Level::Error),
            "notes/a.md:14:9: error[broken-link]: unresolved link `[[Zettel]]`\n  help: did you mean `[[Zettel method]]`?"
        );
    }

    #[test]
    fn policy_strict_promotes_warnings_only() {
        let mut p = Policy::default();
        p.set(Kind::Mojibake, Level::Info);
        p.strict = true;
        assert_eq!(p.level(Kind::BrokenLink), Level::Error);
        assert_eq!(p.level(Kind::Mojibake), Level::Info);
        assert_eq!(Kind::from_name("broken-link"), Some(Kind::BrokenLink));
    }
}
