//! Render pass: task list items, with Obsidian's custom markers.
//!
//! pulldown-cmark only knows `- [ ]` and `- [x]`; vaults also use `- [?]`,
//! `- [-]`, `- [>]`, `- [/]` … (any other character marks the task done).
//! Every task item becomes what Obsidian emits: `<li class="task-list-item"
//! data-task="?">` with a disabled checkbox, so theme snippets that style
//! `[data-task="?"]` keep working. Runs after the block-id pass, whose
//! `<li id="^…">` it extends.

use crate::html::escape;
use crate::markdown::task_marker as custom_marker;
use pulldown_cmark::{Event, Tag};

/// Turns task items into Obsidian's markup.
pub(crate) fn pass<'e>(events: Vec<Event<'e>>) -> Vec<Event<'e>> {
    let mut out: Vec<Event<'e>> = Vec::with_capacity(events.len());
    // Index in `out` of the item whose first text may still hold a marker.
    let mut fresh: Option<usize> = None;
    for ev in events {
        let item = match &ev {
            Event::Start(Tag::Item) => true,
            Event::Html(h) => h.starts_with("<li"),
            _ => false,
        };
        if item {
            fresh = Some(out.len());
            out.push(ev);
            continue;
        }
        let Some(at) = fresh else {
            out.push(ev);
            continue;
        };
        match ev {
            Event::Start(Tag::Paragraph) => {
                out.push(ev);
                continue;
            }
            Event::TaskListMarker(done) => {
                mark(&mut out, at, if done { 'x' } else { ' ' });
            }
            Event::Text(t) => match custom_marker(&t) {
                Some((c, rest)) => {
                    mark(&mut out, at, c);
                    if !rest.is_empty() {
                        out.push(Event::Text(rest.to_string().into()));
                    }
                }
                None => out.push(Event::Text(t)),
            },
            other => out.push(other),
        }
        fresh = None;
    }
    out
}

/// Rewrites the item opened at `out[at]` as a task and adds its checkbox.
fn mark<'e>(out: &mut Vec<Event<'e>>, at: usize, c: char) {
    let done = c != ' ';
    let class = if done {
        "task-list-item is-checked"
    } else {
        "task-list-item"
    };
    let attrs = format!("class=\"{class}\" data-task=\"{}\"", escape(&c.to_string()));
    let open = match &out[at] {
        Event::Html(h) => match h.strip_suffix('>') {
            Some(head) => format!("{head} {attrs}>"),
            None => h.to_string(),
        },
        _ => format!("<li {attrs}>"),
    };
    out[at] = Event::Html(open.into());
    let checked = if done { " checked" } else { "" };
    out.push(Event::Html(
        format!("<input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled{checked}> ")
            .into(),
    ));
}

#[cfg(test)]
mod tests {
    use super::super::tests::render_first;
    use crate::markdown::task_marker as custom_marker;

    #[test]
    fn markers_are_one_character_in_brackets() {
        assert_eq!(custom_marker("[?] why"), Some(('?', "why")));
        assert_eq!(custom_marker("[>]"), Some(('>', "")));
        assert_eq!(custom_marker("[ ] x"), None);
        assert_eq!(custom_marker("[ab] x"), None);
        assert_eq!(custom_marker("[?]x"), None);
        assert_eq!(custom_marker("[]] x"), None);
    }

    #[test]
    fn task_items_keep_their_marker_as_data_task() {
        let (html, _) = render_first(&[(
            "a.md",
            "- [ ] todo\n- [x] done\n- [?] question\n- [-] cancelled ^blk\n- [[b]] link\n\n1. [>] forwarded\n\n- loose\n\n- [!] important\n",
        )]);
        assert!(html.contains("<li class=\"task-list-item\" data-task=\" \"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled> todo</li>"), "{html}");
        assert!(html.contains("<li class=\"task-list-item is-checked\" data-task=\"x\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled checked> done</li>"), "{html}");
        assert!(html.contains("data-task=\"?\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled checked> question</li>"), "{html}");
        assert!(
            html.contains("<li id=\"^blk\" class=\"task-list-item is-checked\" data-task=\"-\">"),
            "{html}"
        );
        assert!(html.contains("data-task=\"&gt;\">"), "{html}");
        assert!(html.contains("<li>\n<p>loose</p>"), "{html}");
        assert!(html.contains("data-task=\"!\">\n<p><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled checked> important</p>"), "{html}");
        assert!(!html.contains("[?]") && !html.contains("[-]"), "{html}");
        assert!(
            html.contains("<li><span class=\"broken-link\""),
            "links are not markers: {html}"
        );
    }
}
