//! Render pass: heading anchor links.
//!
//! Headings already carry their ids (set by parse, so links resolved in the
//! index land on them). This pass adds the small hover link to each.

use crate::html::escape;
use pulldown_cmark::{Event, Tag, TagEnd};

/// Adds `<a class="heading-anchor" href="#id">` at the end of each heading;
/// with `anchors` false (embedded content) removes the ids instead, so a page
/// never holds the same id twice.
pub(crate) fn pass<'e>(events: Vec<Event<'e>>, anchors: bool) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut ids: Vec<String> = Vec::new();
    for mut ev in events {
        if !anchors {
            if let Event::Start(Tag::Heading { id, .. }) = &mut ev {
                *id = None;
            }
        }
        match &ev {
            Event::Start(Tag::Heading { id, .. }) => {
                ids.push(id.as_deref().unwrap_or("").to_string())
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(id) = ids.pop().filter(|i| !i.is_empty()) {
                    out.push(Event::Html(
                        format!(" <a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>", escape(&id)).into(),
                    ));
                }
            }
            _ => {}
        }
        out.push(ev);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_first;

    #[test]
    fn headings_have_ids_and_anchor_links() {
        let (html, _) = render_first(&[("a.md", "Texte\n\n## Rôle et missions\n")]);
        assert!(html.contains("<h2 id=\"role-et-missions\">Rôle et missions <a class=\"heading-anchor\" href=\"#role-et-missions\""), "{html}");
    }
}
