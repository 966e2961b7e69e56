//! isokb: a static site generator for Obsidian-style knowledge bases.
//!
//! The pipeline is a chain of values, each stage a function from one to the next:
//!
//! 1. [`config`]: `site.toml` + flags → [`config::Config`]
//! 2. [`scan`]: content folder → [`scan::Vault`] (note texts + attachments)
//! 3. [`parse`]: each note → [`parse::Note`] (front matter, events, headings,
//!    block ids, tags, unresolved links with positions), in parallel
//! 4. [`index`]: all notes → [`index::Index`] (slugs, resolved links, aliases,
//!    tags, backlinks)
//! 5. [`render`]: note + index → [`render::RenderedNote`], in parallel
//! 6. [`emit`]: index + rendered notes → files, through a [`emit::Sink`]
//!    (a staging folder swapped in by [`output`], or memory)
//!
//! `check` runs stages 1-5 and never writes, so it cannot disagree with
//! `build`. Every problem is a [`diagnostics::Diagnostic`]; a policy from the
//! configuration decides which ones are errors.

pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod frontmatter;
pub mod highlight;
pub mod index;
pub mod init;
pub mod markdown;
pub mod output;
pub mod parse;
pub mod paths;
pub mod render;
pub mod resolve;
pub mod scan;
pub mod templates;

use config::Config;
use diagnostics::{sort_diagnostics, Diagnostic, Level, Policy};
use emit::{EmitOptions, Emitted, Sink, SiteView};
use index::Index;
use parse::Note;
use rayon::prelude::*;
use render::{RenderContext, RenderedNote};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What the command line can override in `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--output DIR`.
    pub output: Option<PathBuf>,
    /// `--base-url URL`.
    pub base_url: Option<String>,
    /// `--drafts`.
    pub drafts: bool,
    /// `--strict`.
    pub strict: bool,
}

/// Reads `site.toml` under `root` and applies the overrides.
pub fn load_config(root: &Path, o: &Overrides) -> Result<Config, Diagnostic> {
    let mut c = Config::load(root)?;
    if let Some(out) = &o.output {
        c.output_dir = out.clone();
    }
    if let Some(url) = &o.base_url {
        c.base_url = Some(url.clone());
        c.validate("")?;
    }
    c.drafts |= o.drafts;
    c.strict |= o.strict;
    Ok(c)
}

/// A site after stages 1-5: everything but the files.
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// The folder holding `site.toml`.
    pub root: PathBuf,
    /// The content folder.
    pub content: PathBuf,
    /// Parsed notes, sorted by path.
    pub notes: Vec<Note>,
    /// Attachment sources on disk, parallel to `index.files`.
    pub attachments: Vec<PathBuf>,
    /// The index.
    pub index: Index,
    /// Rendered notes (`None` for unpublished ones).
    pub rendered: Vec<Option<RenderedNote>>,
    /// Every finding, sorted, paths shown relative to where isokb runs.
    pub diagnostics: Vec<Diagnostic>,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Site {
    /// The diagnostic policy.
    pub fn policy(&self) -> Policy {
        self.config.policy()
    }

    /// Number of findings at error level.
    pub fn errors(&self) -> usize {
        diagnostics::count(&self.diagnostics, &self.policy()).0
    }

    /// The borrowed view emit needs.
    pub fn view(&self) -> SiteView<'_> {
        SiteView {
            config: &self.config,
            notes: &self.notes,
            rendered: &self.rendered,
            index: &self.index,
            files: &self.attachments,
        }
    }
}

/// Runs stages 2-5 (scan, parse, index, render) for a configuration.
pub fn load_site(root: &Path, config: Config) -> Result<Site, Diagnostic> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let content = root.join(&config.content_dir);
    let output = root.join(&config.output_dir);
    let (vault, mut diags) = scan::scan(
        &content,
        &scan::ScanOptions {
            ignore: &config.ignore,
            exclude: vec![output, root.join("themes").join(&config.theme)],
        },
    )?;
    lap("scan", &mut timings);
    let parsed: Vec<(Note, Vec<Diagnostic>)> =
        vault.notes.par_iter().map(parse::parse_note).collect();
    let mut notes = Vec::with_capacity(parsed.len());
    for (n, d) in parsed {
        notes.push(n);
        diags.extend(d);
    }
    lap("parse", &mut timings);
    let file_paths: Vec<paths::VaultPath> =
        vault.attachments.iter().map(|a| a.path.clone()).collect();
    let (index, d) = index::build_index(&notes, &file_paths, config.drafts);
    diags.extend(d);
    lap("index", &mut timings);
    let style = if config.pretty_urls {
        paths::LinkStyle::Pretty
    } else {
        paths::LinkStyle::Explicit
    };
    let ctx = RenderContext {
        notes: &notes,
        index: &index,
        style,
        line_breaks: config.line_breaks,
        callouts: &config.callouts,
    };
    let rendered: Vec<(Option<RenderedNote>, Vec<Diagnostic>)> = (0..notes.len())
        .into_par_iter()
        .map(|i| {
            if index.notes[i].published {
                let (r, d) = render::render_note(&ctx, i);
                (Some(r), d)
            } else {
                (None, Vec::new())
            }
        })
        .collect();
    let mut rendered_notes = Vec::with_capacity(rendered.len());
    for (r, d) in rendered {
        rendered_notes.push(r);
        diags.extend(d);
    }
    lap("render", &mut timings);
    // Show vault paths as the user can open them: relative to where isokb runs.
    let shown = display_prefix(&content);
    for d in &mut diags {
        if !d.path.starts_with('/') && d.path != config::CONFIG_FILE {
            d.path = format!("{shown}{}", d.path);
        }
    }
    sort_diagnostics(&mut diags);
    Ok(Site {
        attachments: vault.attachments.into_iter().map(|a| a.source).collect(),
        config,
        root: root.to_path_buf(),
        content,
        notes,
        index,
        rendered: rendered_notes,
        diagnostics: diags,
        timings,
    })
}

fn display_prefix(content: &Path) -> String {
    let s = content.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").trim_end_matches('/');
    let s = s.strip_suffix("/.").unwrap_or(s);
    if s.is_empty() || s == "." {
        String::new()
    } else {
        format!("{s}/")
    }
}

/// The outcome of a build.
pub struct BuildReport {
    /// The site that was built.
    pub site: Site,
    /// What was written (nothing when errors stopped the build).
    pub emitted: Option<Emitted>,
    /// Where the site is.
    pub output: PathBuf,
}

/// Runs the whole pipeline and swaps the new site in when there are no errors.
pub fn build(root: &Path, o: &Overrides) -> Result<BuildReport, Diagnostic> {
    let config = load_config(root, o)?;
    let theme = templates::Theme::load(root, &config.theme)?;
    let out = output::check_output(
        &root.join(&config.output_dir),
        &root.join(&config.content_dir),
    )?;
    let mut site = load_site(root, config)?;
    if site.errors() > 0 {
        return Ok(BuildReport {
            site,
            emitted: None,
            output: out,
        });
    }
    let clock = Instant::now();
    let staging = output::Staging::new(&out)?;
    let sink = emit::DiskSink::new(&staging.dir);
    let (emitted, diags) = emit::emit(&site.view(), &theme, &sink, &EmitOptions::default());
    site.diagnostics.extend(diags);
    sort_diagnostics(&mut site.diagnostics);
    let emitted = if site.errors() > 0 {
        staging.discard();
        None
    } else {
        staging.commit()?;
        Some(emitted)
    };
    site.timings.push(("emit", clock.elapsed()));
    Ok(BuildReport {
        site,
        emitted,
        output: out,
    })
}

/// Builds into memory: the files of the site by path (for `serve` and tests).
pub fn build_in_memory(
    root: &Path,
    o: &Overrides,
    opts: &EmitOptions,
) -> Result<(Site, std::collections::BTreeMap<String, Vec<u8>>), Diagnostic> {
    let config = load_config(root, o)?;
    let theme = templates::Theme::load(root, &config.theme)?;
    let mut site = load_site(root, config)?;
    let sink = emit::MemorySink::default();
    let (_, diags) = emit::emit(&site.view(), &theme, &sink as &dyn Sink, opts);
    site.diagnostics.extend(diags);
    sort_diagnostics(&mut site.diagnostics);
    let files = sink.files.into_inner().unwrap_or_default();
    Ok((site, files))
}

/// Stages 1-5 only: what `isokb check` reports.
pub fn check(root: &Path, o: &Overrides) -> Result<Site, Diagnostic> {
    let config = load_config(root, o)?;
    templates::Theme::load(root, &config.theme)?;
    load_site(root, config)
}

/// The findings the policy shows, with their levels.
pub fn visible(site: &Site, verbose: bool) -> Vec<(Level, &Diagnostic)> {
    let p = site.policy();
    site.diagnostics
        .iter()
        .map(|d| (p.level(d.kind), d))
        .filter(|(l, _)| *l >= Level::Warning || (verbose && *l == Level::Info))
        .collect()
}
