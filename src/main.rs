//! The `isokb` command line: parses flags, calls the library, prints, exits.

use clap::{Parser, Subcommand};
use isokb::diagnostics::{Kind, Level};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

// glibc's allocator spends a sixth of a build in malloc/free under rayon; mimalloc
// keeps per-thread pools.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Report what is wrong in the vault without writing anything (for CI).
    ///
    /// Exit code: 0 no errors, 1 errors, 2 isokb could not run.
    Check {
        #[command(flatten)]
        common: Common,
        /// Output format: `human` (stderr), `json`, `github` (annotations) or `sarif` (stdout).
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// Make findings of KIND errors (repeatable, or comma-separated).
        #[arg(long, value_name = "KIND", value_delimiter = ',', value_parser = parse_kind)]
        deny: Vec<Kind>,
        /// Make findings of KIND warnings (repeatable, or comma-separated; `--deny` wins).
        #[arg(long, value_name = "KIND", value_delimiter = ',', value_parser = parse_kind)]
        warn: Vec<Kind>,
    },
    /// Repair what is safe to repair: mojibake, the case of links, alias links.
    ///
    /// Prints a diff of each change as it applies it; never asks anything.
    /// Exit code: 0 done, 1 some file could not be rewritten, 2 isokb could not run.
    Fix {
        /// The folder holding site.toml, or a bare Obsidian vault.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print the diffs without writing anything.
        #[arg(long)]
        dry_run: bool,
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

/// `mi_option_purge_delay` in `mimalloc.h` (2.x and 3.x), which the Rust
/// bindings do not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // No transparent huge pages: mimalloc asks for them, and half-used 2 MiB
    // pages added a tenth to the peak memory of a build (250 → 221 MiB at
    // 10,000 notes) for no measurable speed.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // Freed memory goes back to the system 10 ms after it was last used (the
    // default of mimalloc 2) instead of 1 s: the pages of a build, made and
    // dropped by the thousand, then stop adding to the peak (10,000 notes:
    // 212 → 192 MiB; 30,000: 537 → 507) for about 2 % more CPU time. The
    // variable `MIMALLOC_PURGE_DELAY` still decides when it is set.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, an integer it reads atomically.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10);
        }
    }
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
                    let code = match report.emitted {
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
                    };
                    // The process ends here: the system takes the whole site's
                    // memory back at once, faster than freeing it note by note.
                    std::mem::forget(report);
                    code
                }
                Err(d) => fatal(&p, &d),
            }
        }
        Command::Check {
            common,
            format,
            deny,
            warn,
        } => {
            let o = isokb::Overrides {
                drafts: common.drafts,
                strict: common.strict,
                ..Default::default()
            };
            let start = Instant::now();
            let mut site = match isokb::check(&common.root, &o) {
                Ok(site) => site,
                Err(d) => return fatal(&p, &d),
            };
            for (kinds, level) in [(warn, Level::Warning), (deny, Level::Error)] {
                for k in kinds {
                    site.config.diagnostics.insert(k.name().to_string(), level);
                }
            }
            isokb::lints::apply(&mut site);
            let report = isokb::report::Report::new(&site, p.verbose);
            let summary = report.summary_line(Some(start.elapsed()));
            let status = if report.failed() { "1;31" } else { "1;32" };
            match format {
                OutputFormat::Human => {
                    eprint!("{}", report.human(p.color, p.quiet));
                    eprintln!("{}", p.paint(status, &summary));
                }
                other => {
                    let format = match other {
                        OutputFormat::Json => isokb::report::Format::Json,
                        OutputFormat::Github => isokb::report::Format::Github,
                        _ => isokb::report::Format::Sarif,
                    };
                    print!("{}", report.render(format, false));
                    if !p.quiet {
                        eprint!("{}", report.table());
                        eprintln!("{summary}");
                    }
                }
            }
            if p.verbose {
                print_timings(&site);
            }
            if report.failed() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Fix { root, dry_run } => run_fix(&p, &root, dry_run),
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
        print_timings(site);
    }
}

fn print_timings(site: &isokb::Site) {
    let parts: Vec<String> = site
        .timings
        .iter()
        .map(|(n, t)| format!("{n} {:.1} ms", t.as_secs_f64() * 1000.0))
        .collect();
    eprintln!("timings: {}", parts.join(", "));
}

/// The output formats of `check`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    Human,
    Json,
    Github,
    Sarif,
}

/// A diagnostic kind named on the command line.
fn parse_kind(name: &str) -> Result<Kind, String> {
    Kind::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!(
            "unknown diagnostic kind `{name}`; the kinds are: {}",
            names.join(", ")
        )
    })
}

fn run_fix(p: &Printer, root: &std::path::Path, dry_run: bool) -> ExitCode {
    use isokb::fix::Outcome;
    let plan = match isokb::fix::plan(root, &isokb::Overrides::default()) {
        Ok(plan) => plan,
        Err(d) => return fatal(p, &d),
    };
    if p.verbose {
        for d in &plan.skipped {
            eprintln!("skipped {}: {}", d.path, d.message);
        }
    }
    let (mut done, mut repairs, mut failed) = (0, 0, 0);
    for f in &plan.files {
        print!("{}", f.diff());
        let outcome = if dry_run {
            None
        } else {
            Some(isokb::fix::apply(f))
        };
        let what: Vec<String> = f.repairs.iter().map(|r| format!("  {r}")).collect();
        let why = match outcome {
            None | Some(Outcome::Written) => None,
            Some(Outcome::ReadOnly) => Some("the file is read-only".to_string()),
            Some(Outcome::Changed) => Some("the file changed while isokb was running".to_string()),
            Some(Outcome::Failed(e)) => Some(format!("cannot write it: {e}")),
        };
        match why {
            None => {
                done += 1;
                repairs += f.repairs.len();
                if !p.quiet {
                    let verb = if dry_run { "would fix" } else { "fixed" };
                    eprintln!("{} {}\n{}", p.paint("1;32", verb), f.shown, what.join("\n"));
                }
            }
            Some(why) => {
                failed += 1;
                eprintln!(
                    "{}: {}: {why}; it was left as it was",
                    f.shown,
                    p.paint("1;31", "error[io]")
                );
            }
        }
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut line = if dry_run {
        format!(
            "would fix {} ({}); nothing was written (--dry-run)",
            plural(done, "file"),
            plural(repairs, "repair")
        )
    } else {
        format!(
            "fixed {} ({})",
            plural(done, "file"),
            plural(repairs, "repair")
        )
    };
    if failed > 0 {
        line.push_str(&format!("; {} could not be fixed", plural(failed, "file")));
    }
    eprintln!("{line}");
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_mimalloc_names() {
        // Its default is 1000 ms in mimalloc 3 and 10 in mimalloc 2, which no
        // option numbered near it has: reading it checks the number.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads one of mimalloc's options.
            let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
            assert!(delay == 1000 || delay == 10, "{delay}");
        }
    }
}
