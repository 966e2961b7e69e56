//! Render pass: `$…$` and `$$…$$` formulas to MathML.
//!
//! Each formula goes to `crate::math` (the math-core owner). A formula that
//! cannot be converted stays readable as `<code>` and is reported once with
//! the position parse recorded for it (the n-th formula event of a note is
//! `note.math_pos[n]`).

use super::Page;
use crate::diagnostics::{Diagnostic, Kind};
use crate::html::escape;
use pulldown_cmark::Event;

/// Whether an event is a formula (to count them before a slice).
pub fn is_math(e: &Event<'_>) -> bool {
    matches!(e, Event::InlineMath(_) | Event::DisplayMath(_))
}

/// Replaces the formulas of note `id`; `k` is the ordinal of the first one.
pub(crate) fn pass<'e>(
    page: &mut Page,
    id: usize,
    mut k: usize,
    events: Vec<Event<'e>>,
) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len());
    for ev in events {
        let (tex, display) = match &ev {
            Event::InlineMath(t) => (t.clone(), false),
            Event::DisplayMath(t) => (t.clone(), true),
            _ => {
                out.push(ev);
                continue;
            }
        };
        let html = match crate::math::to_mathml(&tex, display) {
            Ok(mathml) => page.own(mathml),
            Err(why) => {
                report(page, id, k, &tex, &why);
                let class = if display {
                    "math-display"
                } else {
                    "math-inline"
                };
                format!(
                    "<code class=\"math math-error {class}\" title=\"{}\">{}</code>",
                    escape(&why),
                    escape(tex.trim())
                )
            }
        };
        k += 1;
        out.push(Event::Html(html.into()));
    }
    out
}

fn report(page: &mut Page, id: usize, k: usize, tex: &str, why: &str) {
    let note = &page.ctx.notes[id];
    let mut shown: String = tex.trim().chars().take(60).collect();
    if shown.len() < tex.trim().len() {
        shown.push('…');
    }
    let mut d = Diagnostic::new(
        Kind::Math,
        note.path.as_str(),
        format!(
            "cannot render the formula `{shown}`: {}; it is shown as code",
            why.trim_end_matches('.')
        ),
    )
    .help("check the LaTeX; commands of MathJax extensions and `\\newcommand` are not supported");
    d.pos = note.math_pos.get(k).copied();
    page.diags.push(d);
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render_first, render_nth};
    use crate::diagnostics::{Kind, Position};

    #[test]
    fn formulas_become_mathml() {
        let (html, diags) = render_first(&[(
            "a.md",
            "Inline $\\frac{a}{b}$ and\n\n$$\\sum_{i=1}^n x_i$$\n\nno $ sign $5 here",
        )]);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(
            html.contains("<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math>"),
            "{html}"
        );
        assert!(html.contains("<math display=\"block\">"), "{html}");
        assert!(!html.contains("$$"), "{html}");
    }

    #[test]
    fn a_bad_formula_stays_code_with_its_line() {
        let (html, diags) = render_first(&[(
            "a.md",
            "---\ntitle: T\n---\n%% comment %%\nok $x$ then\n\n$$\\frac{1}$$ and $\\nope$\n",
        )]);
        assert!(
            html.contains("<code class=\"math math-error math-display\""),
            "{html}"
        );
        assert!(html.contains(">\\frac{1}</code>"), "{html}");
        let math: Vec<_> = diags.iter().filter(|d| d.kind == Kind::Math).collect();
        assert_eq!(math.len(), 2, "{diags:?}");
        assert_eq!(math[0].pos, Some(Position { line: 7, col: 1 }));
        assert_eq!(math[1].pos, Some(Position { line: 7, col: 18 }));
        assert!(math[1].message.contains("`\\nope`"), "{}", math[1].message);
    }

    #[test]
    fn formulas_in_embedded_notes_are_reported_in_their_note() {
        let (html, diags) = render_nth(
            &[
                ("a.md", "$y$\n\n![[b]]"),
                ("b.md", "text\n\n$x$ and $\\bad$"),
            ],
            0,
        );
        assert!(
            html.contains("<mi>y</mi>") && html.contains("<mi>x</mi>"),
            "{html}"
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].path, "b.md");
        assert_eq!(diags[0].pos, Some(Position { line: 3, col: 9 }));
    }
}
