//! The `isokb` command line: parses flags, calls the library, prints, exits.

use clap::{Parser, Subcommand};
use isokb::check::report::Format;
use isokb::diagnostics::{Diagnostic, Kind, Level, Printer};
use std::path::{Path, PathBuf};
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
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Make findings of KIND errors (repeatable, or comma-separated).
        #[arg(long, value_name = "KIND", value_delimiter = ',', value_parser = Kind::parse)]
        deny: Vec<Kind>,
        /// Make findings of KIND warnings (repeatable, or comma-separated; `--deny` wins).
        #[arg(long, value_name = "KIND", value_delimiter = ',', value_parser = Kind::parse)]
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

impl Common {
    fn overrides(&self) -> isokb::Overrides {
        isokb::Overrides {
            drafts: self.drafts,
            strict: self.strict,
            ..Default::default()
        }
    }
}

fn main() -> ExitCode {
    isokb::memory::tune();
    let cli = Cli::parse();
    let p = Printer::stderr(cli.quiet, cli.verbose);
    let outcome = match cli.command {
        Command::Build {
            common,
            output,
            base_url,
        } => {
            let o = isokb::Overrides {
                output,
                base_url,
                ..common.overrides()
            };
            run_build(&p, &common.root, &o)
        }
        Command::Check {
            common,
            format,
            deny,
            warn,
        } => {
            let opts = isokb::check::Options {
                overrides: common.overrides(),
                deny,
                warn,
                verbose: p.verbose,
            };
            run_check(&p, &common.root, &opts, format)
        }
        Command::Fix { root, dry_run } => run_fix(&p, &root, dry_run),
        Command::Serve {
            common,
            port,
            bind,
            open,
        } => isokb::serve::serve(isokb::serve::ServeOptions {
            root: common.root,
            port,
            bind,
            open,
            drafts: common.drafts,
        })
        .map(|()| ExitCode::SUCCESS),
        Command::Init { dir } => isokb::init::init(&dir).map(|files| {
            for f in files {
                eprintln!("created {f}");
            }
            eprintln!("next: isokb build --root {}", dir.display());
            ExitCode::SUCCESS
        }),
    };
    // A finding that stopped isokb from running exits with 2.
    outcome.unwrap_or_else(|d| {
        p.print(d.stop_level(), &d);
        ExitCode::from(2)
    })
}

fn run_build(p: &Printer, root: &Path, o: &isokb::Overrides) -> Result<ExitCode, Diagnostic> {
    let start = Instant::now();
    let report = isokb::build(root, o)?;
    for (level, d) in isokb::visible(&report.site, p.verbose) {
        p.print(level, d);
    }
    if p.verbose {
        eprintln!("{}", report.site.timings_line());
    }
    let built = report.emitted.is_some();
    if !built || !p.quiet {
        eprintln!("{}", report.summary_line(start.elapsed(), p.color));
    }
    // The process ends here: the system takes the whole site's memory back
    // at once, faster than freeing it note by note.
    std::mem::forget(report);
    Ok(exit(!built))
}

fn run_check(
    p: &Printer,
    root: &Path,
    opts: &isokb::check::Options,
    format: Format,
) -> Result<ExitCode, Diagnostic> {
    let checked = isokb::check::run(root, opts)?;
    let printed = checked.report.printed(format, p.color, p.quiet);
    print!("{}", printed.stdout);
    eprint!("{}", printed.stderr);
    if p.verbose {
        eprintln!("{}", checked.site.timings_line());
    }
    Ok(exit(checked.report.failed()))
}

fn run_fix(p: &Printer, root: &Path, dry_run: bool) -> Result<ExitCode, Diagnostic> {
    let plan = isokb::check::fix::plan(root, &isokb::Overrides::default())?;
    if p.verbose {
        for d in &plan.skipped {
            eprintln!("skipped {}: {}", d.path, d.message);
        }
    }
    let mut tally = isokb::check::fix::Tally {
        dry_run,
        ..Default::default()
    };
    for f in &plan.files {
        print!("{}", f.diff());
        let outcome = (!dry_run).then(|| isokb::check::fix::apply(f));
        match tally.add(f, outcome.as_ref()) {
            Some(failure) => p.print(Level::Error, &failure),
            None if !p.quiet => eprintln!("{}", f.done_line(dry_run, p.color)),
            None => {}
        }
    }
    eprintln!("{}", tally.summary_line());
    Ok(exit(tally.failed > 0))
}

/// Exit code 1 when the command failed, else 0.
fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
