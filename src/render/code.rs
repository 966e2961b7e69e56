//! Render pass: fenced code blocks, highlighted at build time.
//!
//! The code goes to `highlight` (the syntect owner); the block gets a
//! language label and a copy button the theme's script enables.

use super::escape;
use crate::highlight;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

/// Replaces each code block with highlighted HTML.
pub(crate) fn pass(events: Vec<Event<'static>>) -> Vec<Event<'static>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(ev) = iter.next() {
        let Event::Start(Tag::CodeBlock(kind)) = ev else {
            out.push(ev);
            continue;
        };
        let mut code = String::new();
        for e in iter.by_ref() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        out.push(Event::Html(block(&code, &lang).into()));
    }
    out
}

fn block(code: &str, lang: &str) -> String {
    let body = highlight::highlight(code, lang).unwrap_or_else(|| escape(code));
    let label = if lang.is_empty() {
        String::new()
    } else {
        format!("<span class=\"code-lang\">{}</span>", escape(lang))
    };
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    format!("<div class=\"code-block\"><div class=\"code-header\">{label}<button class=\"copy-code\" type=\"button\" hidden>Copy</button></div><pre class=\"hl\"><code{class}>{body}</code></pre></div>\n")
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_first;

    #[test]
    fn code_is_highlighted_with_classes_and_unknown_languages_stay_plain() {
        let (html, _) = render_first(&[(
            "a.md",
            "```rust\nfn main() { let x = \"<s>\"; }\n```\n\n```dataview\nLIST FROM #x\n```\n",
        )]);
        assert!(
            html.contains("<span class=\"code-lang\">rust</span>"),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(
            !html.contains("style="),
            "classes, not inline styles: {html}"
        );
        assert!(html.contains("&lt;s&gt;"), "{html}");
        assert!(html.contains("LIST FROM #x"), "{html}");
    }
}
