//! Reports: the findings of `isokb check` in the formats people and CI read.
//!
//! Takes a checked [`Site`] and turns the findings its policy shows into one
//! of four formats: `human` (`path:line:col: level[kind]: message`, `help:`
//! lines and a summary table by kind), `json` (a stable, versioned document),
//! `github` (workflow commands that GitHub Actions shows as annotations) and
//! `sarif` (SARIF 2.1.0, for code scanning). Pure string building: printing
//! and exit codes belong to `main`.

use crate::diagnostics::{paint, plural, Diagnostic, Kind, Level};
use crate::Site;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// The version of the `json` format. It changes only when a field changes
/// meaning or disappears; new fields may be added within a version.
pub const JSON_VERSION: u32 = 1;

/// The SARIF schema URI written in `sarif` reports.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// An output format of `isokb check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Lines for people, with a summary table.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0.
    Sarif,
}

/// One finding as reported, with its level after the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The finding, its path as shown to people (relative to where isokb runs).
    pub d: Diagnostic,
    /// Its level.
    pub level: Level,
    /// The file relative to the site root, `/`-separated (for SARIF).
    pub root_path: String,
}

impl Finding {
    /// The message and, on a line of its own, the help (for the formats
    /// that have one text field).
    fn text(&self) -> String {
        match &self.d.help {
            Some(h) => format!("{}\nhelp: {h}", self.d.message),
            None => self.d.message.clone(),
        }
    }
}

/// Counts of one kind, or of all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Informational findings shown.
    pub info: usize,
}

impl Counts {
    fn add(&mut self, level: Level) {
        match level {
            Level::Error => self.errors += 1,
            Level::Warning => self.warnings += 1,
            Level::Info => self.info += 1,
            Level::Off => {}
        }
    }
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Report {
    /// The findings shown, sorted by file and position.
    pub findings: Vec<Finding>,
    /// Totals of the findings shown.
    pub total: Counts,
    /// Counts per kind, in documentation order.
    pub by_kind: BTreeMap<Kind, Counts>,
    /// Informational findings not shown (without `--verbose`).
    pub hidden: usize,
    /// Notes checked.
    pub notes: usize,
    /// The level of every kind under this run's policy.
    pub levels: Vec<(Kind, Level)>,
    /// The site root as a `file://` URI ending in `/`, when it can be resolved.
    pub root_uri: Option<String>,
    /// How long the check took, for the summary line.
    pub elapsed: Option<std::time::Duration>,
}

/// What a report prints on each stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printed {
    /// The machine-readable document (empty in the `human` format).
    pub stdout: String,
    /// The findings for people, the table by kind and the summary line.
    pub stderr: String,
}

impl Report {
    /// The report of a checked site. `verbose` also shows informational findings.
    pub fn new(site: &Site, verbose: bool) -> Report {
        let policy = site.policy();
        let shown_prefix = site.display_prefix();
        let content_prefix = {
            let c = site.config.content_dir.to_string_lossy().replace('\\', "/");
            let c = c.trim_start_matches("./").trim_end_matches('/');
            if c.is_empty() || c == "." {
                String::new()
            } else {
                format!("{c}/")
            }
        };
        let mut r = Report {
            findings: Vec::new(),
            total: Counts::default(),
            by_kind: BTreeMap::new(),
            hidden: 0,
            notes: site.notes.len(),
            levels: Kind::ALL.iter().map(|&k| (k, policy.level(k))).collect(),
            root_uri: site.root.canonicalize().ok().map(|p| dir_uri(&p)),
            elapsed: None,
        };
        for d in &site.diagnostics {
            let level = policy.level(d.kind);
            if level == Level::Off {
                continue;
            }
            if level == Level::Info && !verbose {
                r.hidden += 1;
                continue;
            }
            r.total.add(level);
            r.by_kind.entry(d.kind).or_default().add(level);
            r.findings.push(Finding {
                d: d.clone(),
                level,
                root_path: root_path(d, &shown_prefix, &content_prefix),
            });
        }
        r
    }

    /// Whether the run fails (exit code 1).
    pub fn failed(&self) -> bool {
        self.total.errors > 0
    }

    /// The report in `format`. `color` applies to `human` only.
    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Human => self.human(color, false),
            Format::Json => self.json(),
            Format::Github => self.github(),
            Format::Sarif => self.sarif(),
        }
    }

    /// Findings, then the summary. `quiet` shows errors only and no table.
    pub fn human(&self, color: bool, quiet: bool) -> String {
        let mut out = String::new();
        for f in &self.findings {
            if quiet && f.level < Level::Error {
                continue;
            }
            out.push_str(&f.d.line(f.level, color));
            out.push('\n');
        }
        if !quiet {
            out.push_str(&self.table());
        }
        out
    }

    /// The summary table by kind (empty when nothing was found).
    pub fn table(&self) -> String {
        if self.by_kind.is_empty() {
            return String::new();
        }
        let w = self
            .by_kind
            .keys()
            .map(|k| k.name().len())
            .max()
            .unwrap_or(0)
            .max("total".len());
        let row = |name: &str, c: &Counts| {
            format!(
                "{name:<w$}  {:>6}  {:>8}  {:>4}\n",
                c.errors, c.warnings, c.info
            )
        };
        let mut out = format!("\n{:<w$}  errors  warnings  info\n", "kind");
        for (k, c) in &self.by_kind {
            out.push_str(&row(k.name(), c));
        }
        out.push_str(&row("total", &self.total));
        out
    }

    /// Everything `isokb check` prints in `format`: `human` writes the
    /// findings (errors only when `quiet`), the table and the summary line
    /// (in colour when `color`) to stderr; the other formats write their
    /// document to stdout and, unless `quiet`, the table and the summary
    /// line to stderr.
    pub fn printed(&self, format: Format, color: bool, quiet: bool) -> Printed {
        let summary = self.summary_line();
        match format {
            Format::Human => {
                let status = if self.failed() { "1;31" } else { "1;32" };
                Printed {
                    stdout: String::new(),
                    stderr: format!(
                        "{}{}\n",
                        self.human(color, quiet),
                        paint(color, status, &summary)
                    ),
                }
            }
            other => Printed {
                stdout: self.render(other, false),
                stderr: if quiet {
                    String::new()
                } else {
                    format!("{}{summary}\n", self.table())
                },
            },
        }
    }

    /// The closing line: `checked N notes in T: E errors, W warnings`.
    pub fn summary_line(&self) -> String {
        let time = self
            .elapsed
            .map(|t| format!(" in {:.2} s", t.as_secs_f64()))
            .unwrap_or_default();
        let mut s = format!(
            "checked {}{time}: {}, {}",
            plural(self.notes, "note"),
            plural(self.total.errors, "error"),
            plural(self.total.warnings, "warning"),
        );
        if self.total.info > 0 {
            s.push_str(&format!(", {} info", self.total.info));
        }
        if self.hidden > 0 {
            s.push_str(&format!(
                " ({} informational finding{} not shown: --verbose shows them)",
                self.hidden,
                if self.hidden == 1 { "" } else { "s" }
            ));
        }
        s
    }

    /// The `json` format (see the README for the schema).
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Doc<'a> {
            version: u32,
            tool: Tool,
            findings: Vec<JsonFinding<'a>>,
            summary: Summary<'a>,
        }
        #[derive(Serialize)]
        struct Tool {
            name: &'static str,
            version: &'static str,
        }
        #[derive(Serialize)]
        struct JsonFinding<'a> {
            kind: &'static str,
            level: Level,
            file: &'a str,
            line: Option<usize>,
            column: Option<usize>,
            message: &'a str,
            help: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct Summary<'a> {
            notes: usize,
            errors: usize,
            warnings: usize,
            info: usize,
            hidden_info: usize,
            by_kind: Vec<KindCounts<'a>>,
        }
        #[derive(Serialize)]
        struct KindCounts<'a> {
            kind: &'static str,
            #[serde(flatten)]
            counts: &'a Counts,
        }
        let doc = Doc {
            version: JSON_VERSION,
            tool: Tool {
                name: "isokb",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: self
                .findings
                .iter()
                .map(|f| JsonFinding {
                    kind: f.d.kind.name(),
                    level: f.level,
                    file: &f.d.path,
                    line: f.d.pos.map(|p| p.line),
                    column: f.d.pos.map(|p| p.col),
                    message: &f.d.message,
                    help: f.d.help.as_deref(),
                })
                .collect(),
            summary: Summary {
                notes: self.notes,
                errors: self.total.errors,
                warnings: self.total.warnings,
                info: self.total.info,
                hidden_info: self.hidden,
                by_kind: self
                    .by_kind
                    .iter()
                    .map(|(k, counts)| KindCounts {
                        kind: k.name(),
                        counts,
                    })
                    .collect(),
            },
        };
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }

    /// GitHub Actions workflow commands, one line per finding.
    pub fn github(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let command = match f.level {
                Level::Error => "error",
                Level::Warning => "warning",
                _ => "notice",
            };
            let mut props = vec![format!("file={}", gh_property(&f.d.path))];
            if let Some(p) = f.d.pos {
                props.push(format!("line={}", p.line));
                props.push(format!("col={}", p.col));
            }
            props.push(format!(
                "title={}",
                gh_property(&format!("isokb {}", f.d.kind))
            ));
            out.push_str(&format!(
                "::{command} {}::{}\n",
                props.join(","),
                gh_data(&f.text())
            ));
        }
        out
    }

    /// A SARIF 2.1.0 log with one run.
    pub fn sarif(&self) -> String {
        let sarif_level = |l: Level| match l {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "note",
            Level::Off => "none",
        };
        let rules: Vec<serde_json::Value> = self
            .levels
            .iter()
            .map(|&(k, level)| {
                json!({
                    "id": k.name(),
                    "name": pascal(k.name()),
                    "shortDescription": { "text": k.description() },
                    "fullDescription": { "text": k.description() },
                    "defaultConfiguration": {
                        "level": sarif_level(level),
                        "enabled": level != Level::Off,
                    },
                })
            })
            .collect();
        let rule_index = |k: Kind| Kind::ALL.iter().position(|&x| x == k).unwrap_or(0);
        let results: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                let mut location = json!({ "uri": encode_uri(&f.root_path) });
                if !f.root_path.starts_with("file://") {
                    location["uriBaseId"] = json!("%SRCROOT%");
                }
                let mut physical = json!({ "artifactLocation": location });
                if let Some(p) = f.d.pos {
                    physical["region"] = json!({ "startLine": p.line, "startColumn": p.col });
                }
                let mut result = json!({
                    "ruleId": f.d.kind.name(),
                    "ruleIndex": rule_index(f.d.kind),
                    "level": sarif_level(f.level),
                    "message": { "text": f.text() },
                    "locations": [ { "physicalLocation": physical } ],
                });
                if let Some(h) = &f.d.help {
                    result["properties"] = json!({ "help": h });
                }
                result
            })
            .collect();
        let mut run = json!({
            "tool": {
                "driver": {
                    "name": "isokb",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [ { "executionSuccessful": true } ],
        });
        if let Some(uri) = &self.root_uri {
            run["originalUriBaseIds"] = json!({ "%SRCROOT%": { "uri": uri } });
        }
        let doc = json!({
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [run],
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The path of a finding relative to the site root, or a `file://` URI
/// for files outside it.
fn root_path(d: &Diagnostic, shown_prefix: &str, content_prefix: &str) -> String {
    if d.path == crate::config::CONFIG_FILE {
        return d.path.clone();
    }
    if let Some(vault) = d.path.strip_prefix(shown_prefix) {
        if !shown_prefix.is_empty() || !Path::new(vault).is_absolute() {
            return format!("{content_prefix}{vault}");
        }
    }
    let p = Path::new(&d.path);
    if p.is_absolute() {
        file_uri(&p.canonicalize().unwrap_or_else(|_| p.to_path_buf()))
    } else {
        d.path.clone()
    }
}

fn file_uri(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    format!("file://{}", crate::paths::encode_path(&s))
}

fn dir_uri(p: &Path) -> String {
    let mut u = file_uri(p);
    if !u.ends_with('/') {
        u.push('/');
    }
    u
}

/// A relative path as a URI reference: spaces, `%`, `#`, `?` and non-ASCII escaped.
fn encode_uri(path: &str) -> String {
    if path.starts_with("file://") {
        path.to_string()
    } else {
        crate::paths::encode_path(path)
    }
}

/// `broken-link` → `BrokenLink`.
fn pascal(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Escapes the message of a workflow command (`%`, `\r`, `\n`).
pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command (also `:` and `,`).
pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escaping_follows_the_runner() {
        assert_eq!(gh_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(gh_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("broken-link"), "BrokenLink");
        assert_eq!(pascal("io"), "Io");
        assert_eq!(
            encode_uri("content/Qualité/Réunion du 3 mai.md"),
            "content/Qualit%C3%A9/R%C3%A9union%20du%203%20mai.md"
        );
        let d = Diagnostic::new(Kind::Orphan, "vault/a b.md", "x");
        assert_eq!(root_path(&d, "vault/", "content/"), "content/a b.md");
        let d = Diagnostic::new(Kind::Config, "site.toml", "x");
        assert_eq!(root_path(&d, "", ""), "site.toml");
    }
}
