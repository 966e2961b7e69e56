//! The `isokb` command line: parses flags, calls the library, prints, exits.

use clap::{Parser, Subcommand};
use isokb::diagnostics::{Kind, Level};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// A static site generator for Obsidian-style knowledge bases.
#[derive(Parser)]
#[command(name = "isokb", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors and the summary line's failures.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Also print informational findings and per-stage timings.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// The folder holding site.toml, or a bare Obsidian vault.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Publish notes marked `draft: true` or `publish: false`.
    #[arg(long)]
    drafts: bool,
    /// Treat every warning as an error.
    #[arg(long)]
    strict: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: `output_dir` of site.toml, else `public`).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Absolute URL the site is published at (for the sitemap and feed).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Report what is wrong in the vault without writing anything.
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Preview the site with live reload.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Port to listen on (the next free one is used when it is busy).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the site to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new vault with a site.toml that builds at once.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
}

struct Printer {
    color: bool,
    quiet: bool,
    verbose: bool,
}

impl Printer {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn diagnostic(&self, level: Level, d: &isokb::diagnostics::Diagnostic) {
        if self.quiet && level < Level::Error {
            return;
        }
        let code = match level {
            Level::Error => "1;31",
            Level::Warning => "1;33",
            _ => "1;36",
        };
        let head = format!("{}[{}]", level, d.kind);
        eprintln!(
            "{}: {}: {}",
            d.location(),
            self.paint(code, &head),
            d.message
        );
        if let Some(h) = &d.help {
            eprintln!("  {} {h}", self.paint("1;32", "help:"));
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stderr_tty = std::io::stderr().is_terminal();
    let p = Printer {
        color: stderr_tty && std::env::var_os("NO_COLOR").is_none(),
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Build {
            common,
            output,
            base_url,
        } => {
            let o = isokb::Overrides {
                output,
                base_url,
                drafts: common.drafts,
                strict: common.strict,
            };
            let start = Instant::now();
            match isokb::build(&common.root, &o) {
                Ok(report) => {
                    let site = &report.site;
                    report_findings(&p, site);
                    let (errors, warnings) =
                        isokb::diagnostics::count(&site.diagnostics, &site.policy());
                    let secs = start.elapsed().as_secs_f64();
                    match report.emitted {
                        Some(e) => {
                            if !p.quiet {
                                eprintln!(
                                    "{} {} notes → {} pages, {} files in {} ({secs:.2} s): {warnings} warning{}",
                                    p.paint("1;32", "built"),
                                    site.index.notes.iter().filter(|n| n.published).count(),
                                    e.pages,
                                    e.files,
                                    report.output.display(),
                                    if warnings == 1 { "" } else { "s" },
                                );
                            }
                            ExitCode::SUCCESS
                        }
                        None => {
                            eprintln!(
                                "{} {errors} error{}, {warnings} warning{} ({secs:.2} s); the previous output was left as it was",
                                p.paint("1;31", "build failed:"),
                                if errors == 1 { "" } else { "s" },
                                if warnings == 1 { "" } else { "s" },
                            );
                            ExitCode::from(1)
                        }
                    }
                }
                Err(d) => fatal(&p, &d),
            }
        }
        Command::Check { common } => {
            let o = isokb::Overrides {
                drafts: common.drafts,
                strict: common.strict,
                ..Default::default()
            };
            let start = Instant::now();
            match isokb::check(&common.root, &o) {
                Ok(site) => {
                    report_findings(&p, &site);
                    let (errors, warnings) =
                        isokb::diagnostics::count(&site.diagnostics, &site.policy());
                    eprintln!(
                        "{} {} notes in {:.2} s: {errors} error{}, {warnings} warning{}",
                        p.paint(if errors > 0 { "1;31" } else { "1;32" }, "checked"),
                        site.notes.len(),
                        start.elapsed().as_secs_f64(),
                        if errors == 1 { "" } else { "s" },
                        if warnings == 1 { "" } else { "s" },
                    );
                    if errors > 0 {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(d) => fatal(&p, &d),
            }
        }
        Command::Serve {
            common,
            port,
            bind,
            open,
        } => {
            let opts = isokb::serve::ServeOptions {
                root: common.root,
                port,
                bind,
                open,
                drafts: common.drafts,
            };
            match isokb::serve::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => fatal(&p, &d),
            }
        }
        Command::Init { dir } => match isokb::init::init(&dir) {
            Ok(files) => {
                for f in files {
                    eprintln!("created {f}");
                }
                eprintln!("next: isokb build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fatal(&p, &d),
        },
    }
}

fn report_findings(p: &Printer, site: &isokb::Site) {
    for (level, d) in isokb::visible(site, p.verbose) {
        p.diagnostic(level, d);
    }
    if p.verbose {
        let parts: Vec<String> = site
            .timings
            .iter()
            .map(|(n, t)| format!("{n} {:.1} ms", t.as_secs_f64() * 1000.0))
            .collect();
        eprintln!("timings: {}", parts.join(", "));
    }
}

fn fatal(p: &Printer, d: &isokb::diagnostics::Diagnostic) -> ExitCode {
    let level = if d.kind == Kind::Config || d.kind == Kind::Io || d.kind == Kind::Template {
        Level::Error
    } else {
        d.kind.default_level()
    };
    p.diagnostic(level, d);
    ExitCode::from(2)
}
