//! GFM's extended autolinks: bare `www.…`, `http://…`, `https://…`,
//! `ftp://…` addresses and e-mail addresses in a note's text become links, as
//! in Obsidian, by the rules of the GFM spec (0.29, "Autolinks (extension)"):
//! where a link may start, what a valid domain is, and which trailing
//! characters (punctuation, an unmatched `)`, an entity-like `&hl;`) stay
//! outside it.

use std::ops::Range;

/// A bare link found in text: where it is and where it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autolink {
    /// The bytes of the text shown as the link.
    pub range: Range<usize>,
    /// The address (`http://` added to `www.`, `mailto:` to e-mail).
    pub href: String,
}

/// Every extended autolink of `text`, in order.
pub fn find(text: &str) -> Vec<Autolink> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let found = match b[i] {
            b'w' => www(text, i),
            b'h' | b'H' | b'f' | b'F' => url(text, i),
            b'@' => email(text, i, out.last().map_or(0, |l: &Autolink| l.range.end)),
            _ => None,
        };
        match found {
            Some(link) => {
                i = link.range.end;
                // An e-mail address starts before its `@`: the text before
                // it was passed over, never part of another link.
                out.push(link);
            }
            None => i += 1,
        }
    }
    out
}

/// Whether a `www.` or scheme may start at `i`: at the start, after
/// whitespace or after `*`, `_`, `~` or `(`.
fn may_start(b: &[u8], i: usize) -> bool {
    i == 0
        || matches!(
            b[i - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b'*' | b'_' | b'~' | b'('
        )
}

fn starts_with_ci(b: &[u8], i: usize, p: &str) -> bool {
    b.get(i..i + p.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(p.as_bytes()))
}

fn www(text: &str, i: usize) -> Option<Autolink> {
    let b = text.as_bytes();
    if !b[i..].starts_with(b"www.") || !may_start(b, i) {
        return None;
    }
    let end = domain_end(b, i, false)?;
    let end = trim_end(b, i, link_end(b, end));
    Some(Autolink {
        range: i..end,
        href: format!("http://{}", &text[i..end]),
    })
}

fn url(text: &str, i: usize) -> Option<Autolink> {
    let b = text.as_bytes();
    let scheme = ["http://", "https://", "ftp://"]
        .into_iter()
        .find(|s| starts_with_ci(b, i, s))?;
    if !may_start(b, i) {
        return None;
    }
    let end = domain_end(b, i + scheme.len(), true)?;
    let end = trim_end(b, i, link_end(b, end));
    Some(Autolink {
        range: i..end,
        href: text[i..end].to_string(),
    })
}

/// The end of a valid domain starting at `i`: segments of letters, digits,
/// `_` and `-` split by periods, no `_` in the last two; at least one period
/// unless `short` (a scheme was given).
fn domain_end(b: &[u8], i: usize, short: bool) -> Option<usize> {
    let mut j = i;
    let mut periods = 0;
    // Underscores in the last segment and the one before it.
    let (mut last, mut before) = (false, false);
    while j < b.len() {
        match b[j] {
            b'.' if j + 1 < b.len() && is_domain_char(b[j + 1]) && j > i => {
                periods += 1;
                before = last;
                last = false;
            }
            b'_' => last = true,
            c if is_domain_char(c) => {}
            _ => break,
        }
        j += 1;
    }
    let valid = j > i && (periods > 0 || short) && !last && !before;
    valid.then_some(j)
}

fn is_domain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c >= 0x80
}

/// Where the link's path ends: at whitespace or `<`.
fn link_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c.is_ascii_whitespace() || c == b'<')
        .map_or(b.len(), |p| from + p)
}

/// The end once trailing punctuation, unmatched closing parentheses and an
/// entity-like ending (`&hl;`) are left out.
fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start {
        match b[end - 1] {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
            b';' => {
                let mut k = end - 1;
                while k > start && b[k - 1].is_ascii_alphanumeric() {
                    k -= 1;
                }
                end = if k < end - 1 && k > start && b[k - 1] == b'&' {
                    k - 1
                } else {
                    end - 1
                };
            }
            b')' => {
                let open = b[start..end].iter().filter(|&&c| c == b'(').count();
                let close = b[start..end].iter().filter(|&&c| c == b')').count();
                if close <= open {
                    break;
                }
                end -= 1;
            }
            _ => break,
        }
    }
    end
}

/// An e-mail address around the `@` at `at`, not reaching back before `floor`.
fn email(text: &str, at: usize, floor: usize) -> Option<Autolink> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+');
    let mut start = at;
    while start > floor && local(b[start - 1]) {
        start -= 1;
    }
    if start == at {
        return None;
    }
    let mut j = at + 1;
    let mut periods = 0;
    while j < b.len() {
        match b[j] {
            b'.' if j + 1 < b.len() && b[j + 1].is_ascii_alphanumeric() => periods += 1,
            c if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' => {}
            _ => break,
        }
        j += 1;
    }
    // The domain may not end with `-` or `_`, and needs a period.
    if periods == 0 || j == at + 1 || matches!(b[j - 1], b'-' | b'_') {
        return None;
    }
    Some(Autolink {
        range: start..j,
        href: format!("mailto:{}", &text[start..j]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find(text)
            .into_iter()
            .map(|l| (&text[l.range.clone()], l.href))
            .collect()
    }

    #[test]
    fn the_gfm_spec_examples() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "www.commonmark.org",
                &[("www.commonmark.org", "http://www.commonmark.org")],
            ),
            (
                "Visit www.commonmark.org/help for more information.",
                &[("www.commonmark.org/help", "http://www.commonmark.org/help")],
            ),
            (
                "Visit www.commonmark.org.",
                &[("www.commonmark.org", "http://www.commonmark.org")],
            ),
            (
                "Visit www.commonmark.org/a.b.",
                &[("www.commonmark.org/a.b", "http://www.commonmark.org/a.b")],
            ),
            (
                "www.google.com/search?q=(business))+ok",
                &[(
                    "www.google.com/search?q=(business))+ok",
                    "http://www.google.com/search?q=(business))+ok",
                )],
            ),
            (
                "www.google.com/search?q=Markup+(business)))",
                &[(
                    "www.google.com/search?q=Markup+(business)",
                    "http://www.google.com/search?q=Markup+(business)",
                )],
            ),
            (
                "www.google.com/search?q=commonmark&hl;",
                &[(
                    "www.google.com/search?q=commonmark",
                    "http://www.google.com/search?q=commonmark",
                )],
            ),
            (
                "www.commonmark.org/he<lp",
                &[("www.commonmark.org/he", "http://www.commonmark.org/he")],
            ),
            (
                "Anonymous FTP is available at ftp://foo.bar.baz.",
                &[("ftp://foo.bar.baz", "ftp://foo.bar.baz")],
            ),
            ("foo@bar.baz", &[("foo@bar.baz", "mailto:foo@bar.baz")]),
            (
                "hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.",
                &[("hello+xyz@mail.example", "mailto:hello+xyz@mail.example")],
            ),
            ("a.b-c_d@a.b", &[("a.b-c_d@a.b", "mailto:a.b-c_d@a.b")]),
            ("a.b-c_d@a.b.", &[("a.b-c_d@a.b", "mailto:a.b-c_d@a.b")]),
            ("a.b-c_d@a.b-", &[]),
            ("a.b-c_d@a.b_", &[]),
            // No valid domain, or a link inside a word.
            ("www.a_b.c_d", &[]),
            ("xwww.example.com and javascript://x.y", &[]),
            (
                "https://localhost:8080/x",
                &[("https://localhost:8080/x", "https://localhost:8080/x")],
            ),
            (
                "(https://a.b/c_(d))",
                &[("https://a.b/c_(d)", "https://a.b/c_(d)")],
            ),
            (
                "see https://a.fr/é, then",
                &[("https://a.fr/é", "https://a.fr/é")],
            ),
        ];
        for (text, want) in cases {
            let got = links(text);
            let want: Vec<(&str, String)> = want.iter().map(|(s, h)| (*s, h.to_string())).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}
