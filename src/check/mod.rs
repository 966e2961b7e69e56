//! `isokb check`: what is wrong in a vault, for people and for CI.
//!
//! [`analyze`] runs stages 1-5 of the pipeline without writing; [`run`]
//! adds the [`lints`] (findings about the vault as a whole) and the levels
//! of the options, and gives the [`report`] the command prints. [`fix`]
//! repairs what is safe to repair of the same findings.

pub mod fix;
pub mod lints;
pub mod report;

use crate::diagnostics::{Diagnostic, Kind, Level};
use crate::{load, load_config, templates, Overrides, RenderMode, Site};
use report::Report;
use std::path::Path;
use std::time::Instant;

/// Stages 1-5 only, without highlighting: every finding a build would
/// report, and nothing written. [`run`] adds the lints to it.
pub fn analyze(root: &Path, o: &Overrides) -> Result<Site, Diagnostic> {
    let config = load_config(root, o)?;
    templates::Theme::load(root, &config.theme)?;
    // Highlighting finds nothing to report: skip it.
    load(root, config, false, RenderMode::Reporting)
}

/// What `isokb check` is asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The configuration's overrides (`--drafts`, `--strict`).
    pub overrides: Overrides,
    /// Kinds whose findings are errors (`--deny`; wins over `warn`).
    pub deny: Vec<Kind>,
    /// Kinds whose findings are warnings (`--warn`).
    pub warn: Vec<Kind>,
    /// Also report informational findings (`--verbose`).
    pub verbose: bool,
}

/// The outcome of `isokb check`.
pub struct Checked {
    /// The site as checked, the levels of the options in its configuration.
    pub site: Site,
    /// What the command prints.
    pub report: Report,
}

/// `isokb check`: the findings of [`analyze`] and of the [`lints`], at the
/// levels of `site.toml` and of the options, as a report.
pub fn run(root: &Path, opts: &Options) -> Result<Checked, Diagnostic> {
    let start = Instant::now();
    let mut site = analyze(root, &opts.overrides)?;
    for (kinds, level) in [(&opts.warn, Level::Warning), (&opts.deny, Level::Error)] {
        for k in kinds {
            site.config.set_level(*k, level);
        }
    }
    lints::apply(&mut site);
    let mut report = Report::new(&site, opts.verbose);
    report.elapsed = Some(start.elapsed());
    Ok(Checked { site, report })
}
