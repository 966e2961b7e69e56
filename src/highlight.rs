//! Syntax highlighting: the only module that knows syntect.
//!
//! The syntax set and themes load once per process. Highlighting emits CSS
//! classes (`hl-keyword` …), never inline styles, so light and dark themes
//! are two stylesheets over the same HTML.
//!
//! Code in a knowledge base repeats itself: imports, closing braces, the
//! same snippet adapted in many notes. The regex work of a line depends
//! only on the line and the parser's state before it, so each thread keeps
//! the lines it met twice with the states around them ([`LineMemo`]), and
//! a line met again in the same state costs a comparison instead of a parse.

use std::cell::RefCell;
use std::hash::BuildHasher;
use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// Highlighted HTML for `code` in `lang`, or `None` when the language is unknown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    if lang.is_empty() {
        return None;
    }
    let ss = syntaxes();
    let syntax = ss.find_syntax_by_token(lang)?;
    MEMO.with(|memo| highlight_with(&mut memo.borrow_mut(), ss, syntax, code))
}

/// What [`syntect::html::ClassedHTMLGenerator`] does, one line at a time
/// through the memo.
fn highlight_with(
    memo: &mut LineMemo,
    ss: &SyntaxSet,
    syntax: &SyntaxReference,
    code: &str,
) -> Option<String> {
    let lang = syntax as *const SyntaxReference as usize;
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut open: isize = 0;
    let mut html = String::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        let key = LineMemo::key(lang, line);
        if let Some(known) = memo.find(key, lang, line, &state, &scopes) {
            html.push_str(&known.html);
            open += known.delta;
            state.clone_from(&known.state_after);
            scopes.clone_from(&known.scopes_after);
            continue;
        }
        let keep = memo.worth_keeping(key);
        let before = keep.then(|| (state.clone(), scopes.clone()));
        let ops = state.parse_line(line, ss).ok()?;
        let (out, delta) = line_tokens_to_classed_spans(line, &ops, STYLE, &mut scopes).ok()?;
        html.push_str(&out);
        open += delta;
        if let Some((state_before, scopes_before)) = before {
            memo.keep(
                key,
                Line {
                    lang,
                    line: line.into(),
                    state_before,
                    scopes_before,
                    html: out.into(),
                    delta,
                    state_after: state.clone(),
                    scopes_after: scopes.clone(),
                },
            );
        }
    }
    for _ in 0..open {
        html.push_str("</span>");
    }
    Some(html)
}

thread_local! {
    static MEMO: RefCell<LineMemo> = RefCell::new(LineMemo::default());
}

/// Lines seen twice, with the parser and scope states around them.
#[derive(Default)]
struct LineMemo {
    /// Hashes of the lines seen once: a line is kept the second time.
    seen: rustc_hash::FxHashSet<u64>,
    lines: rustc_hash::FxHashMap<u64, Vec<Line>>,
    bytes: usize,
}

struct Line {
    lang: usize,
    line: Box<str>,
    state_before: ParseState,
    scopes_before: ScopeStack,
    html: Box<str>,
    delta: isize,
    state_after: ParseState,
    scopes_after: ScopeStack,
}

/// The memo's bound per thread, counted in line and HTML bytes (the states
/// add about as much again); past it, it starts over.
const MEMO_BYTES: usize = 4 << 20;
/// The bound on the hashes of lines seen once.
const SEEN_LINES: usize = 1 << 18;

impl LineMemo {
    /// The memo's key of a line of a language.
    fn key(lang: usize, line: &str) -> u64 {
        rustc_hash::FxBuildHasher.hash_one((lang, line))
    }

    fn find(
        &self,
        key: u64,
        lang: usize,
        line: &str,
        state: &ParseState,
        scopes: &ScopeStack,
    ) -> Option<&Line> {
        self.lines.get(&key)?.iter().find(|l| {
            l.lang == lang
                && &*l.line == line
                && l.state_before == *state
                && l.scopes_before == *scopes
        })
    }

    /// Whether the line is met for the second time (or more).
    fn worth_keeping(&mut self, key: u64) -> bool {
        if self.seen.contains(&key) {
            return true;
        }
        if self.seen.len() >= SEEN_LINES {
            self.seen.clear();
        }
        self.seen.insert(key);
        false
    }

    fn keep(&mut self, key: u64, line: Line) {
        self.bytes += line.line.len() + line.html.len() + 64;
        if self.bytes > MEMO_BYTES {
            self.lines.clear();
            self.bytes = 0;
        }
        self.lines.entry(key).or_default().push(line);
    }
}

/// The names of the available themes.
pub fn theme_names() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}

/// The CSS of a theme, for the classes [`highlight`] emits.
pub fn theme_css(name: &str) -> Option<String> {
    let theme = themes().themes.get(name)?;
    css_for_theme_with_class_style(theme, STYLE).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_syntax_set_loads_once_per_process() {
        let here = syntaxes() as *const SyntaxSet as usize;
        let there = std::thread::spawn(|| syntaxes() as *const SyntaxSet as usize)
            .join()
            .unwrap();
        assert_eq!(here, there);
        assert_eq!(here, syntaxes() as *const SyntaxSet as usize);
    }

    /// syntect's own generator, the reference for the memo.
    fn plain(code: &str, lang: &str) -> String {
        let ss = syntaxes();
        let syntax = ss.find_syntax_by_token(lang).unwrap();
        let mut gen = syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        gen.finalize()
    }

    #[test]
    fn remembered_lines_give_the_html_of_a_fresh_parse() {
        let blocks = [
            (
                "rust",
                "fn main() {\n    let s = \"}\";\n}\n/* open\n}\n*/\n}\n",
            ),
            ("rust", "}\nfn x() {\n    let s = \"}\";\n}\n"),
            ("python", "def f():\n    return \"\"\"\n}\n\"\"\"\n}\n"),
            ("yaml", "a: 1\nb: |\n  }\n  a: 1\na: 1\n"),
            ("html", "<p>}</p>\n<script>\n}\n</script>\n}\n"),
            ("rust", "let s = \"unterminated\n}\n"),
        ];
        let mut memo = LineMemo::default();
        let ss = syntaxes();
        // Three rounds: the first sees each line, the second keeps it, the
        // third reads it back; lines recur within and across languages and
        // in different states (`}` in code, in a string, in a comment).
        for round in 0..3 {
            for (lang, code) in blocks {
                let syntax = ss.find_syntax_by_token(lang).unwrap();
                let got = highlight_with(&mut memo, ss, syntax, code).unwrap();
                assert_eq!(got, plain(code, lang), "{lang} round {round}: {code:?}");
            }
        }
        assert!(
            memo.lines.values().any(|v| v.len() > 1),
            "one line, several states"
        );
        let hits = memo.lines.len();
        assert!(hits > 10, "{hits} lines remembered");
    }

    #[test]
    fn the_memo_starts_over_past_its_bound() {
        let mut memo = LineMemo::default();
        let ss = syntaxes();
        let syntax = ss.find_syntax_by_token("rust").unwrap();
        let code: String = (0..4000)
            .map(|i| format!("let v{i} = \"{}\";\n", "x".repeat(600)))
            .collect();
        for _ in 0..2 {
            assert_eq!(
                highlight_with(&mut memo, ss, syntax, &code).unwrap(),
                plain(&code, "rust")
            );
        }
        assert!(memo.bytes <= MEMO_BYTES);
        assert!(memo.lines.len() < 4000, "started over");
    }

    #[test]
    fn known_and_unknown_languages() {
        assert!(highlight("let x = 1;", "rust").unwrap().contains("hl-"));
        assert!(highlight("x", "dataview").is_none());
        assert!(highlight("x", "").is_none());
        assert!(theme_css("InspiredGitHub").unwrap().contains(".hl-"));
        assert!(theme_css("nope").is_none());
        assert!(theme_names().contains(&"base16-ocean.dark".to_string()));
    }
}
