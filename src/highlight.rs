//! Syntax highlighting: the only module that knows syntect.
//!
//! The syntax set and themes load once per process. Highlighting emits CSS
//! classes (`hl-keyword` …), never inline styles, so light and dark themes
//! are two stylesheets over the same HTML.

use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
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
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
    for line in LinesWithEndings::from(code) {
        gen.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(gen.finalize())
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
