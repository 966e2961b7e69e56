//! Sanitising: the only module that knows ammonia.
//!
//! With `sanitize = true` in `site.toml` (vaults with untrusted authors), the
//! HTML of each rendered note is cleaned: scripts, event handlers, `style`,
//! iframes and unknown tags written by authors go; the elements and
//! attributes isokb itself emits (callouts, `data-*`, ids, task checkboxes,
//! footnotes, players) stay. Markup isokb generated from trusted engines
//! (MathML, diagram SVG, callout icons, highlighted code) is held out of the
//! cleaning as numbered placeholders and put back afterwards, so it needs no
//! allow-list of its own. Pure functions only.

use std::sync::OnceLock;

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The placeholder standing for the `n`-th piece of isokb's own markup.
pub fn placeholder(n: usize) -> String {
    format!("{OPEN}{n}{CLOSE}")
}

fn cleaner() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags([
            "details",
            "summary",
            "input",
            "section",
            "mark",
            "figure",
            "figcaption",
            "audio",
            "video",
            "source",
            "kbd",
        ])
        .add_generic_attributes([
            "class",
            "id",
            "title",
            "role",
            "aria-hidden",
            "aria-label",
            "tabindex",
            "hidden",
        ])
        .add_generic_attribute_prefixes(["data-"])
        // No `target` attribute is allowed, so `rel="noopener"` would be noise.
        .link_rel(None)
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("img", ["loading", "width", "height"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("audio", ["controls", "preload", "src"])
        .add_tag_attributes("video", ["controls", "preload", "src", "width", "height"])
        .add_tag_attributes("source", ["src", "type"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Table alignment is the only inline style isokb writes.
            ("td" | "th", "style") => {
                let ok = matches!(
                    value,
                    "text-align: left" | "text-align: center" | "text-align: right"
                );
                ok.then(|| value.into())
            }
            _ => Some(value.into()),
        });
        b
    })
}

/// Cleans `html` and puts isokb's own markup (`own[n]` for placeholder `n`) back.
pub fn clean(html: &str, own: &[String]) -> String {
    let cleaned = cleaner().clean(html).to_string();
    let mut out = String::with_capacity(cleaned.len() + own.iter().map(String::len).sum::<usize>());
    let mut rest = cleaned.as_str();
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len_utf8()..];
        match after.find(CLOSE) {
            Some(j) => {
                if let Some(piece) = after[..j].parse::<usize>().ok().and_then(|n| own.get(n)) {
                    out.push_str(piece);
                }
                rest = &after[j + CLOSE.len_utf8()..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_scripts_go_and_isokb_markup_stays() {
        let html = format!(
            "<div class=\"callout\" data-callout=\"note\"><div class=\"callout-title\">{}</div><p id=\"^b1\" onclick=\"x()\">a<script>alert(1)</script><img src=\"x.png\" onerror=\"y()\" width=\"30\" loading=\"lazy\"></p></div><details open><summary>s</summary></details><iframe src=\"//evil\"></iframe><input type=\"checkbox\" disabled checked><a href=\"javascript:alert(1)\">j</a>{}",
            placeholder(0),
            placeholder(1)
        );
        let own = vec![
            "<svg><path d=\"M0\"/></svg>".to_string(),
            "<math><mi>x</mi></math>".to_string(),
        ];
        let out = clean(&html, &own);
        assert!(
            out.contains("<div class=\"callout\" data-callout=\"note\">"),
            "{out}"
        );
        assert!(
            out.contains("<div class=\"callout-title\"><svg><path d=\"M0\"/></svg></div>"),
            "{out}"
        );
        assert!(out.contains("<p id=\"^b1\">a<img"), "{out}");
        assert!(
            out.contains("width=\"30\"") && out.contains("loading=\"lazy\""),
            "{out}"
        );
        assert!(
            out.contains("<details open=\"\"><summary>s</summary></details>"),
            "{out}"
        );
        assert!(
            out.contains("<input type=\"checkbox\" disabled=\"\" checked=\"\">"),
            "{out}"
        );
        assert!(out.ends_with("<math><mi>x</mi></math>"), "{out}");
        for bad in ["script", "onclick", "onerror", "iframe", "javascript:"] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
    }

    #[test]
    fn table_alignment_is_the_only_style_kept() {
        let out = clean(
            "<table><tr><td style=\"text-align: center\">a</td><td style=\"background:url(x)\">b</td></tr></table><p style=\"color:red\">c</p>",
            &[],
        );
        assert!(
            out.contains("<td style=\"text-align: center\">a</td><td>b</td>"),
            "{out}"
        );
        assert!(out.contains("<p>c</p>"), "{out}");
    }

    #[test]
    fn forged_or_unknown_placeholders_are_dropped() {
        let out = clean(&format!("a{}b{OPEN}x", placeholder(7)), &[]);
        assert_eq!(out, "abx");
    }
}
