//! Sanitising: the only module that knows ammonia.
//!
//! On by default, as Obsidian sanitises the HTML of notes (with DOMPurify):
//! what an author writes can never run script in a reader's browser. Scripts,
//! `on*` handlers, `javascript:` and other unknown URL schemes, `<object>`,
//! `<embed>`, `<form>`, `<style>` and `<base>` go; what Obsidian shows stays:
//! `style` attributes, `<span style>`, `<iframe>` (its `src` an `http(s)`
//! URL), `<details>`, `<kbd>`, `<font>`, `<u>`, `<s>`, `align`, tables and the
//! elements and attributes isokb itself emits (callouts, `data-*`, ids, task
//! checkboxes, footnotes, players). Markup isokb generated from trusted
//! engines (MathML, diagram SVG, callout icons, highlighted code) is held out
//! of the cleaning as numbered placeholders and put back afterwards, so it
//! needs no allow-list of its own. A note that holds no HTML of its author
//! and no link with an unusual URL is not parsed again: isokb's own markup is
//! safe as written. Pure functions only.

use pulldown_cmark::{Event, Tag};
use std::sync::OnceLock;

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The placeholder standing for the `n`-th piece of isokb's own markup.
pub fn placeholder(n: usize) -> String {
    format!("{OPEN}{n}{CLOSE}")
}

/// URL schemes a link or image of a note may use without the cleaner
/// looking at it; any other goes through ammonia, which keeps its own list
/// (`ftp:`, `geo:`, `magnet:` …) and drops the rest (`javascript:`, `data:`,
/// `vbscript:` …).
const PLAIN_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Whether an event of a note's Markdown brings something the cleaner must
/// see: HTML the author wrote, or a link or image whose URL has a scheme
/// other than the plain ones (as a browser reads it: `java\tscript:` is
/// `javascript:`).
pub fn needs_cleaning(e: &Event) -> bool {
    match e {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            !plain_url(dest_url)
        }
        _ => false,
    }
}

fn plain_url(u: &str) -> bool {
    if !u.contains(':') {
        return true;
    }
    url::Url::parse(u).is_ok_and(|p| PLAIN_SCHEMES.contains(&p.scheme()))
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
            "iframe",
            "font",
            "progress",
            "meter",
        ])
        .add_generic_attributes([
            "class", "id", "title", "role", "tabindex", "hidden", "dir", "style", "align",
            "valign", "width", "height", "bgcolor", "border",
        ])
        .add_generic_attribute_prefixes(["data-", "aria-"])
        // No `target` attribute is allowed, so `rel="noopener"` would be noise.
        .link_rel(None)
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("img", ["loading"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("audio", ["controls", "preload", "src", "loop", "muted"])
        .add_tag_attributes(
            "video",
            ["controls", "preload", "src", "poster", "loop", "muted"],
        )
        .add_tag_attributes("source", ["src", "type"])
        .add_tag_attributes(
            "iframe",
            [
                "src",
                "allow",
                "allowfullscreen",
                "loading",
                "referrerpolicy",
                "frameborder",
                "scrolling",
            ],
        )
        .add_tag_attributes("font", ["color", "face", "size"])
        .add_tag_attributes("ol", ["start", "reversed"])
        .add_tag_attributes("progress", ["value", "max"])
        .add_tag_attributes("meter", ["value", "min", "max", "low", "high", "optimum"])
        .add_url_schemes(["obsidian"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // A frame shows another site, never a page made here and now
            // (`data:`, `blob:`) nor a relative one.
            ("iframe", "src") => {
                let web =
                    url::Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
                web.then(|| value.into())
            }
            _ => Some(value.into()),
        });
        b
    })
}

/// GFM's tag filter: the tags whose content a browser reads as raw text to
/// their end tag (`<textarea>`, `<script>`, `<iframe>` …) are written as
/// text, so an unclosed one cannot take in the rest of the note or the
/// page. For HTML that is then `cleaned`, `<script>` and `<style>` are left
/// to the cleaner (which drops them with their content, as Obsidian does)
/// and `<iframe>` stays (a web page shown, as in Obsidian).
pub fn tagfilter(html: &str, cleaned: bool) -> std::borrow::Cow<'_, str> {
    const RAW: [&str; 9] = [
        "title",
        "textarea",
        "style",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "script",
        "plaintext",
    ];
    let filtered = |at: usize| {
        let rest = &html[at + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        RAW.iter()
            .filter(|t| !(cleaned && matches!(**t, "iframe" | "script" | "style")))
            .any(|t| {
                rest.get(..t.len())
                    .is_some_and(|n| n.eq_ignore_ascii_case(t))
                    && rest[t.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
            })
    };
    let hits: Vec<usize> = html
        .match_indices('<')
        .map(|(i, _)| i)
        .filter(|&i| filtered(i))
        .collect();
    if hits.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 3 * hits.len());
    let mut last = 0;
    for i in hits {
        out.push_str(&html[last..i]);
        out.push_str("&lt;");
        last = i + 1;
    }
    out.push_str(&html[last..]);
    std::borrow::Cow::Owned(out)
}

/// Cleans `html` and puts isokb's own markup (`own[n]` for placeholder `n`) back.
pub fn clean(html: &str, own: &[String]) -> String {
    restore(cleaner().clean(html).to_string(), own)
}

/// Puts isokb's own markup (`own[n]` for placeholder `n`) back into `html`.
pub fn restore(html: String, own: &[String]) -> String {
    if own.is_empty() && !html.contains(OPEN) {
        return html;
    }
    let mut out = String::with_capacity(html.len() + own.iter().map(String::len).sum::<usize>());
    let mut rest = html.as_str();
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
            "<div class=\"callout\" data-callout=\"note\"><div class=\"callout-title\">{}</div><p id=\"^b1\" onclick=\"x()\">a<script>alert(1)</script><img src=\"x.png\" onerror=\"y()\" width=\"30\" loading=\"lazy\"></p></div><details open><summary>s</summary></details><iframe src=\"javascript:alert(1)\"></iframe><input type=\"checkbox\" disabled checked><a href=\"javascript:alert(1)\">j</a>{}",
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
        for bad in ["script", "onclick", "onerror", "javascript:"] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
    }

    /// What Obsidian's sanitiser removes, and what it keeps.
    #[test]
    fn what_can_run_script_goes_and_what_obsidian_shows_stays() {
        let hostile = [
            "<script>alert(1)</script>",
            "<img src=\"x.png\" onerror=\"alert(1)\">",
            "<svg onload=\"alert(1)\"><circle r=\"2\"/></svg>",
            "<a href=\"javascript:alert(1)\">a</a>",
            "<a href=\"  JaVaScRiPt:alert(1)\">b</a>",
            "<a href=\"java&#9;script:alert(1)\">c</a>",
            "<a href=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">d</a>",
            "<a href=\"vbscript:msgbox(1)\">e</a>",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<iframe src=\"data:text/html,x\"></iframe>",
            "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
            "<form action=\"https://evil.example/\"><input name=\"pw\"></form>",
            "<base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\"><style>body{display:none}</style>",
            "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x</maction></math>",
            "<details open ontoggle=\"alert(1)\"><summary>s</summary></details>",
        ]
        .concat();
        let out = clean(&hostile, &[]);
        for bad in [
            "<script",
            "onerror",
            "onload",
            "ontoggle",
            "javascript",
            "JaVa",
            "data:",
            "vbscript",
            "srcdoc",
            "<object",
            "<embed",
            "<form",
            "<base",
            "<meta",
            "<link",
            "<style",
            "display:none",
            "xlink",
        ] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        let kept = [
            "<span style=\"font-family: cursive\">s</span>",
            "<font color=\"red\" face=\"serif\" size=\"4\">f</font>",
            "<p align=\"center\">c</p>",
            "<u>u</u><s>s</s><kbd>K</kbd><mark>m</mark><sub>2</sub><sup>3</sup>",
            "<iframe src=\"https://www.youtube.com/embed/NnTvZWp5Q7o\" width=\"560\" height=\"315\" allowfullscreen=\"\"></iframe>",
            "<details><summary>More</summary><p>text</p></details>",
            "<table><tbody><tr><td style=\"background: #eee\">t</td></tr></tbody></table>",
            "<a href=\"https://example.org/a?b=1\">w</a><a href=\"Note.html#x\">r</a><a href=\"mailto:a@example.org\">m</a>",
            "<img src=\"img/a.png\" alt=\"a\" width=\"100\">",
        ];
        for k in kept {
            assert_eq!(clean(k, &[]), k);
        }
    }

    #[test]
    fn only_html_and_unusual_urls_call_for_the_cleaner() {
        use pulldown_cmark::{CowStr, LinkType};
        let link = |u: &'static str| {
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(u),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            })
        };
        for plain in [
            "Note.md",
            "../a/b.html#x",
            "#^block",
            "https://example.org/a:b",
            "http://x.example",
            "mailto:a@example.org",
            "tel:+33100000000",
            "",
        ] {
            assert!(!needs_cleaning(&link(plain)), "{plain}");
        }
        for unusual in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "ftp://files.example",
            "Note:with colon.md",
        ] {
            assert!(needs_cleaning(&link(unusual)), "{unusual}");
        }
        assert!(needs_cleaning(&Event::InlineHtml(CowStr::Borrowed("<b>"))));
        assert!(needs_cleaning(&Event::Html(CowStr::Borrowed("<div>"))));
        assert!(!needs_cleaning(&Event::Text(CowStr::Borrowed("<script>"))));
    }

    #[test]
    fn the_tag_filter_writes_raw_text_tags_as_text() {
        assert_eq!(
            tagfilter("<textarea><b>x</b></TEXTAREA ><Script src=x></script><iframe/><titles><stylex>", false),
            "&lt;textarea><b>x</b>&lt;/TEXTAREA >&lt;Script src=x>&lt;/script>&lt;iframe/><titles><stylex>"
        );
        assert_eq!(
            tagfilter(
                "<iframe src=x></iframe><script></script><xmp><textarea>",
                true
            ),
            "<iframe src=x></iframe><script></script>&lt;xmp>&lt;textarea>"
        );
        assert!(matches!(
            tagfilter("<div>ok</div>", false),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn styles_stay_as_in_obsidian() {
        let out = clean(
            "<table><tr><td style=\"text-align: center\">a</td><td style=\"background:#eee\">b</td></tr></table><p style=\"color:red\">c</p>",
            &[],
        );
        assert!(
            out.contains(
                "<td style=\"text-align: center\">a</td><td style=\"background:#eee\">b</td>"
            ),
            "{out}"
        );
        assert!(out.contains("<p style=\"color:red\">c</p>"), "{out}");
    }

    #[test]
    fn forged_or_unknown_placeholders_are_dropped() {
        let out = clean(&format!("a{}b{OPEN}x", placeholder(7)), &[]);
        assert_eq!(out, "abx");
    }
}
