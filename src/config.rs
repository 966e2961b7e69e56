//! Configuration: `site.toml` and the command line, merged into one [`Config`].
//!
//! First stage of the pipeline. `site.toml` is strict: an unknown key or a wrong
//! type is an error that names its line and column. A folder without
//! `site.toml` is a bare Obsidian vault, built with the defaults and its notes
//! in the folder itself. This module reads one file and nothing else.

use crate::diagnostics::{Diagnostic, Kind, Level, Policy, Position};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Extra callout types a site defines (`[callouts.goal] color = "#2a9d8f"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CalloutType {
    /// CSS colour of the callout.
    pub color: String,
    /// Name of a built-in icon (`info`, `pencil`, `user` …) or inline SVG markup.
    pub icon: String,
}

/// Everything `site.toml` can say. Every field has a default.
/// Where the addresses of aliases lead from (`redirects` in `site.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Redirects {
    /// A small page at each alias that sends the reader on: works on any
    /// host and from `file://`.
    #[default]
    Pages,
    /// Netlify's `_redirects` rules.
    Netlify,
    /// Cloudflare Pages' `_redirects` rules (its first 2,000).
    Cloudflare,
    /// `vercel.json` redirects (its first 1,024).
    Vercel,
    /// No rules: the 404 page sends aliases on by itself.
    None,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in every page's header. Default: `Knowledge base`.
    pub title: String,
    /// One-sentence description for the home page, feed and meta tags. Default: empty.
    pub description: String,
    /// Absolute URL the site is published at (`https://example.org/kb/`). Needed
    /// for `sitemap.xml` and the Atom feed only; pages always link relatively.
    pub base_url: Option<String>,
    /// Language of the site (`fr`, `en`, `de`, `es`, `it`, `pt`, or one a
    /// theme adds: see [`crate::i18n`]). Default: the notes' language.
    pub language: Option<String>,
    /// Author name for the feed. Default: empty.
    pub author: String,
    /// Folder of notes, relative to `site.toml`. Default: `content` (`.` for a bare vault).
    pub content_dir: PathBuf,
    /// Output folder, relative to `site.toml`. Default: `public`.
    pub output_dir: PathBuf,
    /// Theme name: `themes/<theme>/` beside `site.toml` overrides the built-in files. Default: `default`.
    pub theme: String,
    /// Glob patterns (relative to the content folder) of files and folders to skip.
    pub ignore: Vec<String>,
    /// Publish notes marked `draft: true` or `publish: false`. Default: false.
    pub drafts: bool,
    /// Treat every warning as an error. Default: false.
    pub strict: bool,
    /// Link to pages as `folder/` instead of `folder/index.html`. Default: false,
    /// so the site also works from `file://`.
    pub pretty_urls: bool,
    /// Render a single newline as a line break, as Obsidian does. Default: true.
    pub line_breaks: bool,
    /// Copy every attachment, even those no note links to. Default: false.
    pub publish_all_attachments: bool,
    /// Sanitise the HTML of notes as Obsidian does: scripts, event handlers,
    /// `javascript:` URLs and the like written by authors are removed, the
    /// rest (styles, iframes, `<details>`, `<kbd>`, `<font>` …) stays, and
    /// isokb's own markup is untouched. Default: true; `false` lets an
    /// author's HTML through as written, scripts included.
    pub sanitize: bool,
    /// syntect theme for code in light mode. Default: `InspiredGitHub`.
    pub highlight_theme: String,
    /// syntect theme for code in dark mode. Default: `base16-ocean.dark`.
    pub highlight_theme_dark: String,
    /// Level per diagnostic kind: `broken-link = "error"`, `mojibake = "off"`.
    pub diagnostics: BTreeMap<String, Level>,
    /// Extra callout types with their colour and icon.
    pub callouts: BTreeMap<String, CalloutType>,
    /// How property keys read on pages (`[labels] date_de_revue = "Date de revue"`);
    /// a key not listed reads with its `_` as spaces.
    pub labels: BTreeMap<String, String>,
    /// The picture link previews show (`og:image`) for pages without their
    /// own `image`, `cover` or `banner`: an `https://` address, or an image
    /// of the vault (published with the site). Default: none.
    pub image: Option<String>,
    /// The site's icon in browser tabs: an image of the vault (`img/icon.png`),
    /// published with the site. Default: the theme's (`favicon.png`, `.ico`
    /// or the built-in `favicon.svg`).
    pub favicon: Option<String>,
    /// A logo shown before the site's title in the header: an image of the
    /// vault, published with the site. Default: none.
    pub logo: Option<String>,
    /// Ask search engines to keep the whole site out of their results: a
    /// `robots` `noindex` tag on every page, and `robots.txt` disallows all.
    /// Default: false (a note can still say `robots: noindex`).
    pub noindex: bool,
    /// Read each note's dates and last author from git when the vault is in
    /// a git work tree: created is the commit that added it, updated the
    /// last one that changed it (front-matter dates still win). Default: true.
    pub git_dates: bool,
    /// Show who changed a note last (from git) beside its "last updated"
    /// date. Default: false.
    pub show_author: bool,
    /// An "edit this page" link on every note: `{path}` becomes the note's
    /// path in the repository (`https://github.com/org/kb/edit/main/{path}`).
    /// Default: none.
    pub edit_url: Option<String>,
    /// A "history" link on every note, written like `edit_url`
    /// (`https://github.com/org/kb/commits/main/{path}`). Default: none.
    pub history_url: Option<String>,
    /// Write `llms.txt` (the listed notes by folder, as the llms.txt
    /// proposal describes) and a Markdown twin of each published note
    /// beside its page (`x/index.html.md`). Default: false.
    pub llms: bool,
    /// How aliases' addresses reach their notes: pages at each alias, the
    /// static host's rules, or the 404 page alone.
    pub redirects: Redirects,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Knowledge base".into(),
            description: String::new(),
            base_url: None,
            language: None,
            author: String::new(),
            content_dir: PathBuf::from("content"),
            output_dir: PathBuf::from("public"),
            theme: "default".into(),
            ignore: Vec::new(),
            drafts: false,
            strict: false,
            pretty_urls: false,
            line_breaks: true,
            publish_all_attachments: false,
            sanitize: true,
            highlight_theme: "InspiredGitHub".into(),
            highlight_theme_dark: "base16-ocean.dark".into(),
            diagnostics: BTreeMap::new(),
            callouts: BTreeMap::new(),
            labels: BTreeMap::new(),
            image: None,
            favicon: None,
            logo: None,
            noindex: false,
            git_dates: true,
            show_author: false,
            edit_url: None,
            history_url: None,
            llms: false,
            redirects: Redirects::Pages,
        }
    }
}

/// The name of the configuration file.
pub const CONFIG_FILE: &str = "site.toml";

impl Config {
    /// Sets the level of a kind of finding, as `site.toml`'s `[diagnostics]`
    /// table does (the command line's `--deny` and `--warn`).
    pub fn set_level(&mut self, kind: Kind, level: Level) {
        self.diagnostics.insert(kind.name().to_string(), level);
    }

    /// How page URLs are written: `dir/` (pretty) or `dir/index.html`.
    pub fn link_style(&self) -> crate::paths::LinkStyle {
        if self.pretty_urls {
            crate::paths::LinkStyle::Pretty
        } else {
            crate::paths::LinkStyle::Explicit
        }
    }

    /// Reads `root/site.toml`, or returns the bare-vault defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let shown = root.display().to_string();
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Diagnostic::new(
                    Kind::Config,
                    shown,
                    "the root is a file, not a folder",
                )
                .help("pass the folder that holds site.toml (or the vault's folder) to `--root`"))
            }
            Err(e) => {
                return Err(Diagnostic::new(
                    Kind::Config,
                    shown,
                    format!("cannot open the root folder: {e}"),
                )
                .help("pass the folder that holds site.toml (or the vault's folder) to `--root`; `isokb init DIR` creates one"))
            }
        }
        let file = root.join(CONFIG_FILE);
        match std::fs::read_to_string(&file) {
            Ok(text) => Config::parse(&text),
            // A bare vault: its notes in the folder itself, the folder's
            // name for a title.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config {
                content_dir: PathBuf::from("."),
                title: std::fs::canonicalize(root)
                    .ok()
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| Config::default().title),
                ..Config::default()
            }),
            Err(e) => Err(Diagnostic::new(
                Kind::Io,
                CONFIG_FILE,
                format!("cannot read `{}`: {e}", file.display()),
            )),
        }
    }

    /// Parses and validates the text of a `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let pos = e.span().map(|s| Position::of_offset(text, s.start));
            let mut d = Diagnostic::new(Kind::Config, CONFIG_FILE, e.message().trim().to_string());
            d.pos = pos;
            if e.message().contains("unknown field") {
                d.help = Some("see the `site.toml` reference in the README for every key".into());
            }
            d
        })?;
        config.validate(text)?;
        Ok(config)
    }

    /// Checks what serde cannot: URL shape, diagnostic names, theme names.
    pub fn validate(&self, text: &str) -> Result<(), Diagnostic> {
        let locate = |key: &str| {
            text.find(key)
                .map(|o| Position::of_offset(text, o))
                .unwrap_or(Position { line: 1, col: 1 })
        };
        if let Some(code) = self
            .language
            .as_deref()
            .filter(|c| !crate::i18n::is_code(c))
        {
            return Err(Diagnostic::new(
                Kind::Config,
                CONFIG_FILE,
                format!("`language` is a language code such as `fr` or `pt-BR`, not `{code}`"),
            )
            .at(locate("language"))
            .help("write it like `language = \"fr\"`, or remove it to use the notes' language"));
        }
        if let Some(url) = &self.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Diagnostic::new(
                    Kind::Config,
                    CONFIG_FILE,
                    format!("`base_url` must be an absolute http(s) URL, not `{url}`"),
                )
                .at(locate("base_url"))
                .help("write it like `base_url = \"https://example.org/kb/\"`, or remove it"));
            }
        }
        for (key, url) in [
            ("edit_url", &self.edit_url),
            ("history_url", &self.history_url),
        ] {
            let Some(url) = url else { continue };
            if !(url.starts_with("http://") || url.starts_with("https://"))
                || !url.contains("{path}")
            {
                return Err(Diagnostic::new(
                    Kind::Config,
                    CONFIG_FILE,
                    format!("`{key}` must be an absolute http(s) URL with `{{path}}` where the note's path goes, not `{url}`"),
                )
                .at(locate(key))
                .help(format!("write it like `{key} = \"https://github.com/org/kb/{}/main/{{path}}\"`", if key == "edit_url" { "edit" } else { "commits" })));
            }
        }
        for name in self.diagnostics.keys() {
            if Kind::from_name(name).is_none() {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                return Err(Diagnostic::new(
                    Kind::Config,
                    CONFIG_FILE,
                    format!("unknown diagnostic kind `{name}`"),
                )
                .at(locate(name))
                .help(format!("known kinds: {}", names.join(", "))));
            }
        }
        if self.theme.is_empty() || self.theme.contains(['/', '\\']) || self.theme.starts_with('.')
        {
            return Err(Diagnostic::new(
                Kind::Config,
                CONFIG_FILE,
                format!("`theme` must be a plain folder name, not `{}`", self.theme),
            )
            .at(locate("theme")));
        }
        Ok(())
    }

    /// The diagnostic policy from `[diagnostics]` and `strict`.
    pub fn policy(&self) -> Policy {
        let mut p = Policy::default();
        for (name, level) in &self.diagnostics {
            if let Some(kind) = Kind::from_name(name) {
                p.set(kind, *level);
            }
        }
        p.strict = self.strict;
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_their_line() {
        let err = Config::parse("title = \"x\"\n\ntitel = \"y\"\n").unwrap_err();
        assert_eq!(err.kind, Kind::Config);
        assert_eq!(err.pos, Some(Position { line: 3, col: 1 }));
        assert!(err.message.contains("titel"), "{}", err.message);
    }

    #[test]
    fn wrong_types_and_bad_values_are_errors() {
        let err = Config::parse("drafts = \"yes\"\n").unwrap_err();
        assert_eq!(err.pos.map(|p| p.line), Some(1));
        let err = Config::parse("\nbase_url = \"example.org\"\n").unwrap_err();
        assert_eq!(err.pos.map(|p| p.line), Some(2));
        let err = Config::parse("[diagnostics]\nbroken-links = \"error\"\n").unwrap_err();
        assert!(err.message.contains("broken-links"));
        assert_eq!(
            Config::parse("language = \"de\"\n")
                .unwrap()
                .language
                .as_deref(),
            Some("de")
        );
        let err = Config::parse("title = \"x\"\nlanguage = \"français\"\n").unwrap_err();
        assert_eq!(err.pos.map(|p| p.line), Some(2));
    }

    #[test]
    fn full_config_parses_and_builds_a_policy() {
        let c = Config::parse(
            "title = \"KB\"\nlanguage = \"fr\"\nbase_url = \"https://x.org/kb/\"\nignore = [\"private/**\"]\n[diagnostics]\nbroken-link = \"error\"\n[callouts.goal]\ncolor = \"#123456\"\nicon = \"target\"\n",
        )
        .unwrap();
        assert_eq!(c.language.as_deref(), Some("fr"));
        assert_eq!(c.policy().level(Kind::BrokenLink), Level::Error);
        assert_eq!(c.callouts["goal"].color, "#123456");
        assert_eq!(c.content_dir, PathBuf::from("content"));
    }
}
