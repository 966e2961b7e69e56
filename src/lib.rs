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
//! 6. [`emit`]: index + rendered notes → files, through a [`sink::Sink`]
//!    (a staging folder swapped in by [`output`], or memory)
//!
//! `check` runs stages 1-5 and never writes, so it cannot disagree with
//! `build`. Every problem is a [`diagnostics::Diagnostic`]; a policy from the
//! configuration decides which ones are errors.

pub mod autolink;
pub mod bases;
pub mod canvas;
pub mod check;
pub mod collate;
pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod emit;
pub mod frontmatter;
pub mod highlight;
pub mod history;
pub mod html;
pub mod i18n;
pub mod ids;
pub mod incremental;
pub mod index;
pub mod init;
pub mod markdown;
pub mod math;
pub mod memory;
pub mod mermaid;
pub mod mojibake;
pub mod nav;
pub mod output;
pub mod parse;
pub mod paths;
pub mod render;
pub mod resolve;
pub mod sanitize;
pub mod scan;
pub mod search;
pub mod serve;
pub mod sink;
pub mod summary;
pub mod templates;
pub mod view;

use config::Config;
use diagnostics::{paint, plural, sort_diagnostics, Diagnostic, Level, Policy};
use emit::{EmitOptions, Emitted, Sink};
use index::Index;
use parse::Note;
use rayon::prelude::*;
use render::{RenderContext, RenderedNote};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use view::SiteView;

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
        // A path given on the command line is relative to where isokb runs, not to `--root`.
        c.output_dir = if out.is_absolute() {
            out.clone()
        } else {
            std::env::current_dir()
                .map(|d| d.join(out))
                .unwrap_or_else(|_| out.clone())
        };
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
    /// Attachments found by the scan, parallel to `index.files`.
    pub attachments: Vec<scan::Attachment>,
    /// The index.
    pub index: Index,
    /// Rendered notes (`None` for unpublished ones, and in `build` and
    /// `check` for the notes [`render::may_report`] leaves out: see
    /// [`RenderMode::Reporting`]).
    pub rendered: Vec<Option<RenderedNote>>,
    /// Findings of the scan and of the index.
    pub global_diagnostics: Vec<Diagnostic>,
    /// Findings of parse, per note.
    pub parse_diagnostics: Vec<Vec<Diagnostic>>,
    /// Findings of render, per note.
    pub render_diagnostics: Vec<Vec<Diagnostic>>,
    /// Every finding, sorted, paths shown relative to where isokb runs.
    pub diagnostics: Vec<Diagnostic>,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Whether code is highlighted (not for `check`).
    pub highlight: bool,
    /// The site's language: `language` in `site.toml`, else the notes'.
    pub language: i18n::Language,
    /// The vault's git history, when it is in a git work tree and dates are
    /// read from it (`build` and `serve`; not `check`).
    pub history: Option<history::History>,
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
            render: self.render_context(),
            repo_prefix: self.history.as_ref().map(|h| h.prefix.as_str()),
        }
    }

    /// How render is configured.
    pub fn render_context(&self) -> RenderContext<'_> {
        RenderContext {
            notes: &self.notes,
            index: &self.index,
            style: self.config.link_style(),
            line_breaks: self.config.line_breaks,
            callouts: &self.config.callouts,
            sanitize: self.config.sanitize,
            highlight: self.highlight,
            language: self.language,
            files: &self.attachments,
        }
    }

    /// `timings: stage 1.2 ms, …`, the line `--verbose` prints.
    pub fn timings_line(&self) -> String {
        let parts: Vec<String> = self
            .timings
            .iter()
            .map(|(n, t)| format!("{n} {:.1} ms", t.as_secs_f64() * 1000.0))
            .collect();
        format!("timings: {}", parts.join(", "))
    }

    /// The prefix that turns a vault path into the path shown in findings.
    pub fn display_prefix(&self) -> String {
        paths::shown_prefix(&self.content)
    }

    /// Adds findings about the site as a whole (vault-relative paths) and
    /// gathers the findings again.
    pub fn add_findings(&mut self, found: Vec<Diagnostic>) {
        self.global_diagnostics.extend(found);
        self.assemble_diagnostics();
    }

    /// Gathers every stage's findings into `diagnostics`, sorted.
    pub fn assemble_diagnostics(&mut self) {
        let shown = self.display_prefix();
        let mut all: Vec<Diagnostic> = self
            .global_diagnostics
            .iter()
            .chain(self.parse_diagnostics.iter().flatten())
            .chain(self.render_diagnostics.iter().flatten())
            .cloned()
            .collect();
        for d in &mut all {
            if !d.path.starts_with('/') && d.path != config::CONFIG_FILE {
                d.path = format!("{shown}{}", d.path);
            }
        }
        sort_diagnostics(&mut all);
        self.diagnostics = all;
    }

    /// Renders the notes for which `which` is true (published ones only),
    /// keeping the others' previous output.
    pub fn render_some(&mut self, which: impl Fn(usize) -> bool + Sync) {
        let ctx = self.render_context();
        let out: Vec<Option<(Option<RenderedNote>, Vec<Diagnostic>)>> = (0..self.notes.len())
            .into_par_iter()
            .map(|i| {
                if !which(i) {
                    None
                } else if self.index.notes[i].published {
                    let (mut r, d) = render::render_note(&ctx, i);
                    // Kept until emit: give back what growing the HTML reserved.
                    r.html.shrink_to_fit();
                    Some((Some(r), d))
                } else {
                    Some((None, Vec::new()))
                }
            })
            .collect();
        self.rendered.resize(self.notes.len(), None);
        self.render_diagnostics.resize(self.notes.len(), Vec::new());
        for (i, o) in out.into_iter().enumerate() {
            if let Some((r, d)) = o {
                self.rendered[i] = r;
                self.render_diagnostics[i] = d;
            }
        }
    }
}

/// Which notes the render stage renders ahead of emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderMode {
    /// Every published note, kept (`serve` patches them after an edit).
    All,
    /// Only the notes render can report something about
    /// ([`render::may_report`]: embeds, formulas, diagrams), so that every
    /// finding is known before anything is written. `build` renders the other
    /// notes as it writes their pages and keeps none of them (a third of the
    /// peak memory at 10,000 notes); `check` never renders them.
    Reporting,
}

/// Runs stages 2-5 (scan, parse, index, render) for a configuration.
pub fn load_site(root: &Path, config: Config) -> Result<Site, Diagnostic> {
    load(root, config, true, RenderMode::All)
}

/// Starts reading the vault's history beside the scan, when `git_dates` is
/// on and the pages are to be drawn.
fn read_history(content: &Path, on: bool) -> Option<std::thread::JoinHandle<history::Outcome>> {
    let content = content.to_path_buf();
    on.then(|| std::thread::spawn(move || history::read(&content)))
}

/// Stages 1-5; `highlight` false skips syntax highlighting (no HTML is written).
fn load(
    root: &Path,
    config: Config,
    highlight: bool,
    mode: RenderMode,
) -> Result<Site, Diagnostic> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let content = root.join(&config.content_dir);
    let reading = read_history(&content, highlight && config.git_dates);
    // Each note is parsed as soon as it is read, and its source dropped:
    // the notes keep only what they need.
    let (parsed, attachments, scan_diags) =
        scan::scan_with(&content, &scan_options(root, &config), |s| {
            parse::parse_note(&s)
        })?;
    lap("scan and parse", &mut timings);
    let (mut notes, mut parse_diagnostics): (Vec<Note>, Vec<Vec<Diagnostic>>) =
        parsed.into_iter().unzip();
    let (history, history_diag) = reading
        .and_then(|h| h.join().ok())
        .map_or((None, None), history::Outcome::history);
    if let Some(h) = &history {
        for n in &mut notes {
            n.history = h.files.get(n.path.as_str()).cloned();
        }
    }
    lap("history", &mut timings);
    // A note's decoding findings belong with the note, so an edit that fixes it clears them.
    let by_path: std::collections::HashMap<&str, usize> = notes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.path.as_str(), i))
        .collect();
    let mut scan_diags_left = Vec::new();
    for d in scan_diags {
        match by_path.get(d.path.as_str()) {
            Some(&i) => parse_diagnostics[i].insert(0, d),
            None => scan_diags_left.push(d),
        }
    }
    let scan_diags = scan_diags_left;
    let file_paths: Vec<paths::VaultPath> = attachments.iter().map(|a| a.path.clone()).collect();
    let (index, index_diags) = index::build_index(&notes, &file_paths, config.drafts);
    let language = i18n::resolve(
        root,
        &config.theme,
        config.language.as_deref(),
        notes.iter().map(|n| n.text.as_str()),
    )?;
    lap("index", &mut timings);
    let mut site = Site {
        attachments,
        config,
        root: root.to_path_buf(),
        content,
        rendered: vec![None; notes.len()],
        notes,
        index,
        global_diagnostics: scan_diags
            .into_iter()
            .chain(history_diag)
            .chain(index_diags)
            .collect(),
        parse_diagnostics,
        render_diagnostics: Vec::new(),
        diagnostics: Vec::new(),
        timings: Vec::new(),
        highlight,
        language,
        history,
    };
    match mode {
        RenderMode::All => site.render_some(|_| true),
        RenderMode::Reporting => {
            let may_report: Vec<bool> = site.notes.iter().map(render::may_report).collect();
            site.render_some(|i| may_report[i]);
        }
    }
    lap("render", &mut timings);
    site.timings = timings;
    site.assemble_diagnostics();
    Ok(site)
}

/// What the scan skips: the output folder and the theme folder.
pub fn scan_options<'a>(root: &Path, config: &'a Config) -> scan::ScanOptions<'a> {
    scan::ScanOptions {
        ignore: &config.ignore,
        exclude: vec![
            root.join(&config.output_dir),
            root.join("themes").join(&config.theme),
        ],
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

impl BuildReport {
    /// The closing line of `isokb build` after `elapsed`: what was built,
    /// or that errors left the previous output in place; `color` paints
    /// its first words.
    pub fn summary_line(&self, elapsed: Duration, color: bool) -> String {
        let site = &self.site;
        let (errors, warnings) = diagnostics::count(&site.diagnostics, &site.policy());
        let secs = elapsed.as_secs_f64();
        match &self.emitted {
            Some(e) => format!(
                "{} {} notes → {} pages, {} files in {} ({secs:.2} s): {}",
                paint(color, "1;32", "built"),
                site.index.notes.iter().filter(|n| n.published).count(),
                e.pages,
                e.files,
                self.output.display(),
                plural(warnings, "warning"),
            ),
            None => format!(
                "{} {}, {} ({secs:.2} s); the previous output was left as it was",
                paint(color, "1;31", "build failed:"),
                plural(errors, "error"),
                plural(warnings, "warning"),
            ),
        }
    }
}

/// Runs the whole pipeline and swaps the new site in when there are no errors.
pub fn build(root: &Path, o: &Overrides) -> Result<BuildReport, Diagnostic> {
    let config = load_config(root, o)?;
    let theme = templates::Theme::load(root, &config.theme)?;
    let out = output::check_output(
        &root.join(&config.output_dir),
        &root.join(&config.content_dir),
    )?;
    let mut site = load(root, config, true, RenderMode::Reporting)?;
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

/// The findings the policy shows, with their levels.
pub fn visible(site: &Site, verbose: bool) -> Vec<(Level, &Diagnostic)> {
    let p = site.policy();
    site.diagnostics
        .iter()
        .map(|d| (p.level(d.kind), d))
        .filter(|(l, _)| *l >= Level::Warning || (verbose && *l == Level::Info))
        .collect()
}
