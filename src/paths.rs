//! Paths, slugs and URLs: the pure maths of naming things.
//!
//! Three kinds of path never mix: a [`VaultPath`] names a source file inside the
//! vault (`Qualité/Réunion du 3 mai.md`), a [`Slug`] names a page of the site
//! (`qualite/reunion-du-3-mai`), and a [`UrlPath`] is a site-relative location
//! (`qualite/reunion-du-3-mai/` or `assets/photo.png`). Conversions between them
//! live here and nowhere else. Nothing in this module touches the filesystem.

use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// A file inside the vault, relative to the content folder, with `/` separators
/// and the text in NFC form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VaultPath(String);

impl VaultPath {
    /// Builds a vault path from `/`-separated components (NFC-normalised).
    pub fn new(path: &str) -> Self {
        VaultPath(path.nfc().collect::<String>().replace('\\', "/"))
    }
    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The folder part (`a/b` for `a/b/c.md`), empty at the top.
    pub fn folder(&self) -> &str {
        self.0.rfind('/').map_or("", |i| &self.0[..i])
    }
    /// The file name (`c.md`).
    pub fn file_name(&self) -> &str {
        self.0.rfind('/').map_or(&self.0, |i| &self.0[i + 1..])
    }
    /// The file name without its last extension (`c` for `c.md`).
    pub fn stem(&self) -> &str {
        let name = self.file_name();
        match name.rfind('.') {
            Some(i) if i > 0 => &name[..i],
            _ => name,
        }
    }
    /// The extension in lower case, without the dot.
    pub fn extension(&self) -> String {
        let name = self.file_name();
        match name.rfind('.') {
            Some(i) if i > 0 => name[i + 1..].to_lowercase(),
            _ => String::new(),
        }
    }
    /// The path without the `.md` extension (what wikilinks usually write).
    pub fn without_md(&self) -> &str {
        strip_md(&self.0)
    }
}

impl fmt::Display for VaultPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Removes a trailing `.md` (any case).
pub fn strip_md(s: &str) -> &str {
    if s.len() > 3
        && s.is_char_boundary(s.len() - 3)
        && s[s.len() - 3..].eq_ignore_ascii_case(".md")
    {
        &s[..s.len() - 3]
    } else {
        s
    }
}

/// The key two names are compared by: NFC, lower case, inner whitespace runs
/// folded to one space, trimmed. `Réunion` (NFD) and `réunion` share a key.
pub fn name_key(s: &str) -> String {
    let s = s.trim();
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut push = |c: char| {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    };
    // ASCII is already NFC, and most other text passes the quick check:
    // the normaliser runs only on the rare rest.
    if s.is_ascii() {
        s.bytes()
            .for_each(|b| push(char::from(b.to_ascii_lowercase())));
    } else if unicode_normalization::is_nfc_quick(s.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        // Mostly ASCII letters between the accented ones.
        for c in s.chars() {
            if c.is_ascii() {
                push(c.to_ascii_lowercase());
            } else {
                c.to_lowercase().for_each(&mut push);
            }
        }
    } else {
        s.nfc().flat_map(char::to_lowercase).for_each(push);
    }
    out
}

/// A page's name in the site: lower-case ASCII segments separated by `/`,
/// empty for the home page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Slug(String);

impl Slug {
    /// The home page.
    pub fn home() -> Self {
        Slug(String::new())
    }
    /// Wraps text that is already a slug (segments of `[a-z0-9-]`).
    pub fn from_slugged(s: impl Into<String>) -> Self {
        Slug(s.into())
    }
    /// The slug of a `/`-separated path: each segment slugified, empty ones dropped.
    pub fn of_path(path: &str) -> Self {
        let parts: Vec<String> = path
            .split('/')
            .map(slugify)
            .filter(|s| !s.is_empty())
            .collect();
        Slug(parts.join("/"))
    }
    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The directory the page lives in, as a URL path (`a/b/`, or empty for home).
    pub fn url(&self) -> UrlPath {
        if self.0.is_empty() {
            UrlPath(String::new())
        } else {
            let mut url = String::with_capacity(self.0.len() + 1);
            url.push_str(&self.0);
            url.push('/');
            UrlPath(url)
        }
    }
    /// The HTML file of the page (`a/b/index.html`).
    pub fn file(&self) -> String {
        if self.0.is_empty() {
            "index.html".to_string()
        } else {
            format!("{}/index.html", self.0)
        }
    }
    /// How many folders deep the page's file is.
    pub fn depth(&self) -> usize {
        if self.0.is_empty() {
            0
        } else {
            self.0.matches('/').count() + 1
        }
    }
    /// This slug with a numeric suffix on its last segment (`a/b-2`).
    pub fn with_suffix(&self, n: usize) -> Slug {
        Slug(format!("{}-{}", self.0, n))
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower-case ASCII with accents folded, words joined by `-`.
/// `Réunion du 3 mai` → `reunion-du-3-mai`, `L’ISO` → `l-iso`.
pub fn slugify(s: &str) -> String {
    // Symbols and emoji separate words; letters of any script are transliterated.
    let word_char = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            c
        } else {
            ' '
        }
    };
    // Most text is already NFC: the normaliser runs only on the rest.
    let words: String = if unicode_normalization::is_nfc_quick(s.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        s.chars().map(word_char).collect()
    } else {
        s.nfc().map(word_char).collect()
    };
    let ascii = deunicode::deunicode_with_tofu(&words, "-");
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// A location in the site relative to its root: a page directory ending in `/`
/// (`a/b/`, empty for the home page) or a file (`assets/style.css`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UrlPath(String);

impl UrlPath {
    /// Wraps a site-relative path (no leading `/`).
    pub fn new(s: impl Into<String>) -> Self {
        UrlPath(s.into())
    }
    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether this names a page directory (ends with `/` or is the root).
    pub fn is_dir(&self) -> bool {
        self.0.is_empty() || self.0.ends_with('/')
    }
    /// The absolute URL under `base` (`https://x.org/kb/` + `a/b/`).
    pub fn absolute(&self, base: &str) -> String {
        format!("{}/{}", base.trim_end_matches('/'), encode_path(&self.0))
    }
}

/// How pages link to page directories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkStyle {
    /// `a/b/index.html`: works everywhere, `file://` included.
    #[default]
    Explicit,
    /// `a/b/`: prettier, needs a server that serves `index.html` for folders.
    Pretty,
}

impl LinkStyle {
    /// What a link to a page directory ends with: `index.html`, or nothing.
    pub fn page_suffix(self) -> &'static str {
        match self {
            LinkStyle::Explicit => "index.html",
            LinkStyle::Pretty => "",
        }
    }
}

/// The relative link from a page at depth `depth` to `target`.
/// `relative_url(2, "c/", Explicit)` is `../../c/index.html`.
pub fn relative_url(depth: usize, target: &UrlPath, style: LinkStyle) -> String {
    let mut s = String::with_capacity(3 * depth + target.as_str().len() + 10);
    for _ in 0..depth {
        s.push_str("../");
    }
    encode_path_into(&mut s, target.as_str());
    if target.is_dir() && style == LinkStyle::Explicit {
        s.push_str(style.page_suffix());
    } else if s.is_empty() {
        s.push_str("./");
    }
    s
}

/// The URL of `target` from the page directory `from` (`a/b/x/`), by the
/// shortest way: up to the folders they share, then down (`../y/index.html`
/// for a sibling), rather than up to the root and down again.
pub fn relative_from(from: &UrlPath, target: &UrlPath, style: LinkStyle) -> String {
    let from_dirs: Vec<&str> = from.as_str().split_terminator('/').collect();
    let t = target.as_str();
    let mut shared = 0;
    let mut at = 0;
    for d in &from_dirs {
        match t[at..].strip_prefix(d).filter(|rest| rest.starts_with('/')) {
            Some(_) => {
                shared += 1;
                at += d.len() + 1;
            }
            None => break,
        }
    }
    relative_url(from_dirs.len() - shared, &UrlPath::new(&t[at..]), style)
}

/// Percent-encodes what may not stand in a URL path (spaces, `#`, `?`, `%`,
/// non-ASCII), leaving `/` and safe characters alone.
pub fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_path_into(&mut out, s);
    out
}

/// [`encode_path`], appended to `out`: the runs of safe bytes (most paths
/// are nothing else) are copied in one piece.
fn encode_path_into(out: &mut String, s: &str) {
    /// Bytes that stand for themselves in a URL path.
    const SAFE: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = c.is_ascii_alphanumeric();
            b += 1;
        }
        let extra = b"/-_.~!$&'()*+,;=:@";
        let mut i = 0;
        while i < extra.len() {
            t[extra[i] as usize] = true;
            i += 1;
        }
        t
    };
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut last = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if SAFE[usize::from(b)] {
            continue;
        }
        // A run of safe bytes is ASCII, so it starts and ends at character
        // boundaries; between the bytes of one character there is no run.
        if last < i {
            out.push_str(&s[last..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// Decodes `%XX` escapes; invalid escapes and invalid UTF-8 are kept as written.
pub fn decode_percent(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Joins a folder and a relative path, resolving `.` and `..`. Returns `None`
/// when the result would leave the vault.
pub fn join_relative(folder: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The prefix that turns a vault path into the path shown to users.
pub fn shown_prefix(content: &std::path::Path) -> String {
    let s = content.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").trim_end_matches('/');
    let s = s.strip_suffix("/.").unwrap_or(s);
    if s.is_empty() || s == "." {
        String::new()
    } else {
        format!("{s}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        let cases = [
            ("Qualité/Réunion du 3 mai", "qualite/reunion-du-3-mai"),
            (
                "Organisation Internationale de Normalisation (ISO)",
                "organisation-internationale-de-normalisation-iso",
            ),
            ("L’ISO « en bref »", "l-iso-en-bref"),
            ("ISO/IEC 27001", "iso/iec-27001"),
            ("C++ & Rust", "c-rust"),
            ("  many   spaces  ", "many-spaces"),
            ("Œuvre Straße", "oeuvre-strasse"),
            ("snake_case name", "snake_case-name"),
            ("v1.2.3 notes", "v1-2-3-notes"),
            ("🎯 Missions Principales", "missions-principales"),
            ("北京 note", "bei-jing-note"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(Slug::of_path(input).as_str(), want, "slug of {input:?}");
        }
    }

    #[test]
    fn nfd_and_nfc_names_share_a_key() {
        let nfd = "Re\u{301}union";
        assert_eq!(name_key(nfd), name_key("réunion"));
        assert_eq!(name_key("  A   b "), "a b");
        // Mixed ASCII and accents, upper case beyond ASCII, Unicode spaces.
        assert_eq!(name_key("Évaluation  DE\u{a0}l'ÉTÉ"), "évaluation de l'été");
        assert_eq!(name_key("ΣΟΦΙΑ"), "σοφια");
        assert_eq!(slugify(nfd), slugify("réunion"));
        assert_eq!(
            slugify("Évaluation — « conformité »"),
            "evaluation-conformite"
        );
        assert_eq!(
            VaultPath::new("Qualite\u{301}/x.md").as_str(),
            "Qualité/x.md"
        );
    }

    #[test]
    fn relative_urls_climb_to_root() {
        let t = UrlPath::new("c/");
        assert_eq!(
            relative_url(2, &t, LinkStyle::Explicit),
            "../../c/index.html"
        );
        assert_eq!(relative_url(2, &t, LinkStyle::Pretty), "../../c/");
        assert_eq!(relative_url(0, &UrlPath::new(""), LinkStyle::Pretty), "./");
        assert_eq!(
            relative_url(0, &UrlPath::new(""), LinkStyle::Explicit),
            "index.html"
        );
        assert_eq!(
            relative_url(
                1,
                &UrlPath::new("assets/Pasted image.png"),
                LinkStyle::Explicit
            ),
            "../assets/Pasted%20image.png"
        );
    }

    #[test]
    fn percent_encoding_keeps_safe_runs_and_round_trips() {
        assert_eq!(encode_path("a/b-c_d.e~f/"), "a/b-c_d.e~f/");
        assert_eq!(encode_path("Réunion 2024#x?"), "R%C3%A9union%202024%23x%3F");
        assert_eq!(encode_path("é"), "%C3%A9");
        assert_eq!(encode_path("a«b»c"), "a%C2%ABb%C2%BBc");
        assert_eq!(encode_path("100%"), "100%25");
        for s in ["fichiers/Réunion d’équipe.pdf", "«»", "日本/語.png", ""] {
            assert_eq!(decode_percent(&encode_path(s)), s);
        }
        let dir = UrlPath::new("a/é/");
        assert_eq!(
            relative_url(2, &dir, LinkStyle::Explicit),
            "../../a/%C3%A9/index.html"
        );
        assert_eq!(relative_url(0, &UrlPath::new(""), LinkStyle::Pretty), "./");
    }

    #[test]
    fn links_from_a_page_take_the_shortest_way() {
        let from = UrlPath::new("qualite/audits/plan/");
        let to = |t: &str, style| relative_from(&from, &UrlPath::new(t), style);
        assert_eq!(
            to("qualite/audits/suivi/", LinkStyle::Explicit),
            "../suivi/index.html"
        );
        assert_eq!(
            to("qualite/audits/plan/", LinkStyle::Explicit),
            "index.html"
        );
        assert_eq!(to("qualite/audits/plan/", LinkStyle::Pretty), "./");
        assert_eq!(to("qualite/autre/", LinkStyle::Pretty), "../../autre/");
        assert_eq!(
            to("qualite/auditsx/n/", LinkStyle::Explicit),
            "../../auditsx/n/index.html"
        );
        assert_eq!(
            to("journal/é t/", LinkStyle::Explicit),
            "../../../journal/%C3%A9%20t/index.html"
        );
        assert_eq!(
            relative_from(&UrlPath::new(""), &UrlPath::new("a/"), LinkStyle::Explicit),
            "a/index.html"
        );
    }

    #[test]
    fn percent_decoding_and_relative_joins() {
        assert_eq!(decode_percent("Other%20note.md"), "Other note.md");
        assert_eq!(decode_percent("R%C3%A9union"), "Réunion");
        assert_eq!(decode_percent("100%"), "100%");
        assert_eq!(join_relative("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join_relative("a", "../../etc/passwd"), None);
        assert_eq!(join_relative("", "./x"), Some("x".into()));
    }

    #[test]
    fn vault_path_parts() {
        let p = VaultPath::new("a/b/Note.v2.MD");
        assert_eq!(p.folder(), "a/b");
        assert_eq!(p.stem(), "Note.v2");
        assert_eq!(p.extension(), "md");
        assert_eq!(p.without_md(), "a/b/Note.v2");
        assert_eq!(Slug::of_path("a/b").depth(), 2);
        assert_eq!(Slug::home().file(), "index.html");
    }
}
