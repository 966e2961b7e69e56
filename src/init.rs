//! `isokb init`: a new vault and `site.toml` that build at once.
//!
//! Writes a handful of files into a folder that must not already hold a
//! `site.toml`; it never overwrites anything.

use crate::diagnostics::{Diagnostic, Kind};
use std::path::Path;

const SITE_TOML: &str = r#"# isokb site configuration. Every key is optional; see the README for all of them.
title = "My knowledge base"
description = ""
language = "en"          # "en" or "fr": the theme's own words
# base_url = "https://example.org/kb/"   # needed for sitemap.xml and atom.xml
content_dir = "content"
output_dir = "public"
ignore = ["templates/**"]
drafts = false           # publish notes marked `draft: true` / `publish: false`

[diagnostics]
broken-link = "warning"  # "error" fails the build, "off" hides it
"#;

const HOME: &str = r#"---
title: Welcome
tags: [start]
---
This is the home note of your knowledge base. Write notes in Markdown, link them
with [[First note]] style wikilinks, and run `isokb build`.

> [!tip] Next steps
> - Open [[First note]] and edit it.
> - Tag notes with #ideas or nested tags like #ideas/later.
"#;

const FIRST: &str = r#"---
aliases: [Getting started]
tags: [start, ideas/later]
---
# First note

Links work in both directions: this note lists [[index|the home note]] among its
backlinks.

## A section

Link to a section with [[First note#A section]].
"#;

/// Creates `site.toml` and a small `content/` in `dir`.
pub fn init(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    let fail = |p: &Path, e: std::io::Error| {
        Diagnostic::new(
            Kind::Io,
            p.display().to_string(),
            format!("cannot write: {e}"),
        )
    };
    if dir.join(crate::config::CONFIG_FILE).exists() {
        return Err(Diagnostic::new(
            Kind::Config,
            dir.join("site.toml").display().to_string(),
            "a site already exists here; nothing was changed",
        )
        .help("choose an empty folder, or edit the existing site.toml"));
    }
    let files = [
        ("site.toml", SITE_TOML),
        ("content/index.md", HOME),
        ("content/First note.md", FIRST),
    ];
    for (name, _) in files {
        if dir.join(name).exists() {
            return Err(Diagnostic::new(
                Kind::Io,
                dir.join(name).display().to_string(),
                "the file already exists; nothing was changed",
            ));
        }
    }
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| fail(&path, e))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}
