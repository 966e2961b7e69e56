//! Render pass: callouts (`> [!type]+ Title`).
//!
//! A blockquote whose first text is `[!type]` becomes what Obsidian emits: an
//! element with `class="callout"` and `data-callout="type"` (the name as
//! written, lower case: `faq` stays `faq`, drawn as its canonical type
//! `question` by the icon and the stylesheet), a title with an inline SVG
//! icon, and the content, if there is any (a title-only callout has no
//! content box). Foldable callouts use `<details>`/`<summary>` so they fold
//! without JavaScript. Nested callouts work because each blockquote decides
//! for itself.

use super::Page;
use crate::config::CalloutType;
use crate::html::escape;
use crate::markdown::callout_header as header;
use pulldown_cmark::{Event, Tag, TagEnd};
use std::collections::BTreeMap;

/// The canonical type of a callout name (aliases folded), lower case.
pub fn canonical(kind: &str) -> String {
    let k = kind.to_lowercase();
    let c = match k.as_str() {
        "summary" | "tldr" => "abstract",
        "hint" | "important" => "tip",
        "check" | "done" => "success",
        "help" | "faq" => "question",
        "caution" | "attention" => "warning",
        "fail" | "missing" => "failure",
        "error" => "danger",
        "cite" => "quote",
        _ => return k,
    };
    c.to_string()
}

/// The icon of a canonical type (simple inline SVG, 24×24, stroked).
pub fn icon(kind: &str, custom: &BTreeMap<String, CalloutType>) -> String {
    if let Some(c) = custom.get(kind) {
        if c.icon.trim_start().starts_with("<svg") {
            return c.icon.clone();
        }
        if !c.icon.is_empty() {
            return svg(builtin_path(&c.icon));
        }
    }
    svg(builtin_path(kind))
}

fn builtin_path(name: &str) -> &'static str {
    match name {
        "abstract" => "<rect x=\"8\" y=\"2\" width=\"8\" height=\"4\" rx=\"1\"/><path d=\"M16 4h2a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2M9 12h6M9 16h6\"/>",
        "info" => "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M12 16v-4M12 8h.01\"/>",
        "todo" | "success" => "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"m9 12 2 2 4-4\"/>",
        "tip" => "<path d=\"M8.5 14.5A2.5 2.5 0 0 0 11 12c0-1.4-.5-2-1-3-1.1-2.1-.2-4 2-6 .5 2.5 2 4.9 4 6.5 2 1.6 3 3.5 3 5.5a7 7 0 1 1-14 0c0-1.2.4-2.3 1-3.2.3 1.5 1.3 2.7 2.5 2.7z\"/>",
        "question" => "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M9.1 9a3 3 0 0 1 5.8 1c0 2-3 3-3 3M12 17h.01\"/>",
        "warning" => "<path d=\"m21.7 18-8-14a2 2 0 0 0-3.4 0l-8 14A2 2 0 0 0 4 21h16a2 2 0 0 0 1.7-3zM12 9v4M12 17h.01\"/>",
        "failure" => "<path d=\"M18 6 6 18M6 6l12 12\"/>",
        "danger" => "<path d=\"M13 2 3 14h9l-1 8 10-12h-9l1-8z\"/>",
        "bug" => "<rect x=\"8\" y=\"6\" width=\"8\" height=\"14\" rx=\"4\"/><path d=\"M19 7l-3 2M5 7l3 2M19 19l-3-2M5 19l3-2M20 13h-4M4 13h4M10 4l1 2M14 4l-1 2\"/>",
        "example" => "<path d=\"M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01\"/>",
        "quote" => "<path d=\"M3 21c3 0 7-1 7-8V5c0-1.3-.8-2-2-2H4c-1.3 0-2 .7-2 2v6c0 1.3.7 2 2 2h3c0 4-1 5-4 5zM15 21c3 0 7-1 7-8V5c0-1.3-.8-2-2-2h-4c-1.3 0-2 .7-2 2v6c0 1.3.7 2 2 2h3c0 4-1 5-4 5z\"/>",
        "user" => "<circle cx=\"12\" cy=\"8\" r=\"4\"/><path d=\"M4 21v-1a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v1\"/>",
        "target" | "goal" => "<circle cx=\"12\" cy=\"12\" r=\"10\"/><circle cx=\"12\" cy=\"12\" r=\"6\"/><circle cx=\"12\" cy=\"12\" r=\"2\"/>",
        _ => "<path d=\"M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z\"/>",
    }
}

fn svg(inner: &str) -> String {
    format!("<svg viewBox=\"0 0 24 24\" width=\"18\" height=\"18\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\">{inner}</svg>")
}

/// The opening markup of a callout: its element, title (with the inline
/// markup that follows `[!type]` on the first line) and icon.
fn open_html<'e>(
    page: &mut Page,
    kind: &str,
    fold: Option<char>,
    title: &str,
    title_events: Vec<Event<'e>>,
) -> String {
    let canon = canonical(kind);
    let shown = if title.trim().is_empty() && title_events.is_empty() {
        // The default title is the type as written, capitalised.
        let mut t = kind.to_string();
        if let Some(f) = t.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        t
    } else if title_events.is_empty() {
        title.trim_end().to_string()
    } else {
        title.to_string()
    };
    let mut title_html = escape(&shown);
    pulldown_cmark::html::push_html(&mut title_html, title_events.into_iter());
    let (tag, title_tag) = if fold.is_some() {
        ("details", "summary")
    } else {
        ("div", "div")
    };
    let open = if fold == Some('+') { " open" } else { "" };
    format!(
        "<{tag} class=\"callout\" data-callout=\"{}\"{}{open}><{title_tag} class=\"callout-title\"><span class=\"callout-icon\">{}</span><span class=\"callout-title-inner\">{title_html}</span></{title_tag}>",
        escape(&kind.to_lowercase()),
        fold.map(|f| format!(" data-callout-fold=\"{f}\"")).unwrap_or_default(),
        page.own(icon(&canon, page.ctx.callouts)),
    )
}

/// Turns callout blockquotes into callout elements.
pub(crate) fn pass<'e>(page: &mut Page, events: Vec<Event<'e>>) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len());
    let mut stack: Vec<Option<&'static str>> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::BlockQuote(_)) => {
                let head = match (events.get(i + 1), events.get(i + 2)) {
                    (Some(Event::Start(Tag::Paragraph)), Some(Event::Text(t))) => {
                        header(t).map(|(k, f, t)| (k.to_string(), f, t.to_string()))
                    }
                    _ => None,
                };
                let Some((kind, fold, title)) = head else {
                    stack.push(None);
                    out.push(events[i].clone());
                    i += 1;
                    continue;
                };
                // The rest of the title line: inline events up to the first line break.
                let mut j = i + 3;
                let mut title_events = Vec::new();
                while j < events.len()
                    && !matches!(
                        events[j],
                        Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
                    )
                {
                    title_events.push(events[j].clone());
                    j += 1;
                }
                let mut html = open_html(page, &kind, fold, &title, title_events);
                // Skip the header; reopen a paragraph if the first one goes on.
                let goes_on = !matches!(events.get(j), Some(Event::End(TagEnd::Paragraph)));
                let content = goes_on
                    || !matches!(events.get(j + 1), Some(Event::End(TagEnd::BlockQuote(_))));
                if content {
                    html.push_str("<div class=\"callout-content\">\n");
                }
                out.push(Event::Html(html.into()));
                stack.push(Some(match (fold.is_some(), content) {
                    (true, true) => "</div></details>\n",
                    (true, false) => "</details>\n",
                    (false, true) => "</div></div>\n",
                    (false, false) => "</div>\n",
                }));
                if goes_on {
                    out.push(Event::Start(Tag::Paragraph));
                }
                i = j + 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                match stack.pop().flatten() {
                    Some(close) => out.push(Event::Html(close.into())),
                    None => out.push(events[i].clone()),
                }
                i += 1;
            }
            _ => {
                out.push(events[i].clone());
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_first;
    use super::*;

    #[test]
    fn headers_parse_type_fold_and_title() {
        assert_eq!(header("[!WARNING]"), Some(("WARNING", None, "")));
        assert_eq!(
            header("[!faq]- Pourquoi ?"),
            Some(("faq", Some('-'), "Pourquoi ?"))
        );
        assert_eq!(
            header("[!user] Fiche d'Identité"),
            Some(("user", None, "Fiche d'Identité"))
        );
        assert_eq!(header("[lien]"), None);
        assert_eq!(canonical("FAQ"), "question");
        assert_eq!(canonical("goal"), "goal");
    }

    #[test]
    fn callouts_render_like_obsidian() {
        let (html, _) = render_first(&[("a.md", "> [!user] Fiche d'Identité\n> * **Nom** : ISO\n\n> [!faq]- Question ?\n> Réponse\n\n> [!tip]\n> > [!success]+ Oui\n> > Bravo\n\n> citation")]);
        assert!(
            html.contains(
                "<div class=\"callout\" data-callout=\"user\"><div class=\"callout-title\">"
            ),
            "{html}"
        );
        assert!(html.contains("Fiche d&#39;Identité</span>"), "{html}");
        let (rich, _) = render_first(&[("a.md", "> [!tip] Un *titre* riche  \n> corps")]);
        assert!(rich.contains(">Un <em>titre</em> riche</span>"), "{rich}");
        assert!(
            html.contains(
                "<details class=\"callout\" data-callout=\"faq\" data-callout-fold=\"-\"><summary"
            ),
            "{html}"
        );
        assert!(
            html.contains(&icon("question", &BTreeMap::new())),
            "an alias keeps its name and takes its type's icon: {html}"
        );
        assert!(html.contains("<p>Réponse</p>"), "{html}");
        assert!(
            html.contains("data-callout=\"success\" data-callout-fold=\"+\" open>"),
            "{html}"
        );
        assert!(html.contains(">Tip</span>"), "{html}");
        assert!(
            html.contains("<blockquote>"),
            "plain quotes stay quotes: {html}"
        );
        assert!(!html.contains("[!"), "{html}");
    }

    #[test]
    fn a_title_only_callout_has_no_content_box() {
        let (html, _) = render_first(&[(
            "a.md",
            "> [!note] Only a title\n\n> [!tip]- Folded title\n\n> [!info] Title\n> and text\n",
        )]);
        assert!(
            html.contains("<span class=\"callout-title-inner\">Only a title</span></div></div>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<span class=\"callout-title-inner\">Folded title</span></summary></details>"
            ),
            "{html}"
        );
        assert_eq!(html.matches("callout-content").count(), 1, "{html}");
        assert!(
            html.contains("<div class=\"callout-content\">\n<p>and text</p>\n</div></div>"),
            "{html}"
        );
    }

    #[test]
    fn an_embed_in_a_callout_is_not_wrapped_in_a_paragraph() {
        let (html, _) = render_first(&[
            ("a.md", "> [!example] Voir\n> ![[b]]"),
            ("b.md", "Texte de b."),
        ]);
        assert!(
            html.contains("<div class=\"callout-content\">\n<div class=\"embed\""),
            "{html}"
        );
        assert!(!html.contains("<p><div"), "{html}");
    }
}
