//! History: when each note was first committed, when it was last changed and
//! by whom, read from git when the vault is in a git work tree.
//!
//! A CI checkout gives every file the time of the checkout, so file times say
//! nothing there; the history does. It is read once for the whole vault: one
//! `git log --name-status` over every commit (split into a few ranges read in
//! parallel on long histories), followed backwards through renames. A note's
//! front-matter dates still win over these (see [`crate::parse::Note`]).
//! Outside git, in a shallow clone, or for files not committed yet, the file
//! times stay.

use crate::diagnostics::{Diagnostic, Kind};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use unicode_normalization::UnicodeNormalization;

/// A moment of the history: seconds since the epoch and the author's UTC
/// offset in minutes (the day shown is the author's day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp {
    /// Seconds since the epoch.
    pub secs: i64,
    /// The author's offset from UTC, in minutes.
    pub offset: i32,
}

impl Stamp {
    /// Reads git's strict ISO 8601 form (`2026-11-21T23:30:00+01:00`).
    pub fn parse(text: &str) -> Option<Stamp> {
        let t = chrono::DateTime::parse_from_rfc3339(text.trim()).ok()?;
        Some(Stamp {
            secs: t.timestamp(),
            offset: t.offset().local_minus_utc() / 60,
        })
    }

    fn local(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let zone = chrono::FixedOffset::east_opt(self.offset * 60)?;
        Some(chrono::DateTime::from_timestamp(self.secs, 0)?.with_timezone(&zone))
    }

    /// The author's calendar day, `YYYY-MM-DD`.
    pub fn day(&self) -> String {
        self.local()
            .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
    }

    /// The moment as RFC 3339, with the author's offset (`2026-11-21T23:30:00+01:00`).
    pub fn rfc3339(&self) -> String {
        self.local().map_or_else(String::new, |t| t.to_rfc3339())
    }
}

/// What the history says of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    /// The commit that added it (under its first name, renames followed).
    pub created: Stamp,
    /// The last commit that changed it.
    pub updated: Stamp,
    /// The author of that last commit (as `.mailmap` names them).
    pub author: String,
}

/// The history of a vault's files.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// By path relative to the content folder (`/`-separated, NFC), for
    /// files as they are named now.
    pub files: HashMap<String, FileHistory>,
    /// Where the content folder is in the repository (`docs/vault/`, or empty).
    pub prefix: String,
}

/// What reading the history found.
#[derive(Debug)]
pub enum Outcome {
    /// The vault is not in a git work tree, or git is not installed.
    NotGit,
    /// A shallow clone: its history starts at the clone's depth, so its
    /// dates would be wrong. The finding says what to do.
    Shallow(Diagnostic),
    /// git is there but could not read the history (the finding says why).
    Failed(Diagnostic),
    /// The history.
    Read(History),
}

impl Outcome {
    /// The history, when there is one.
    pub fn history(self) -> (Option<History>, Option<Diagnostic>) {
        match self {
            Outcome::NotGit => (None, None),
            Outcome::Shallow(d) | Outcome::Failed(d) => (None, Some(d)),
            Outcome::Read(h) => (Some(h), None),
        }
    }
}

/// A `git` command run in `dir`, with the user's settings that would change
/// its output set aside.
fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .args([
            "-c",
            "log.showRoot=true",
            "-c",
            "log.showSignature=false",
            "-c",
            "core.quotePath=false",
        ])
        .env("LC_ALL", "C")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null());
    c
}

fn run(dir: &Path, args: &[&str]) -> std::io::Result<std::process::Output> {
    git(dir).args(args).stderr(Stdio::piped()).output()
}

/// Reads the history of the files under `content`.
pub fn read(content: &Path) -> Outcome {
    let Ok(probe) = run(
        content,
        &[
            "rev-parse",
            "--is-inside-work-tree",
            "--is-shallow-repository",
            "--show-prefix",
        ],
    ) else {
        return Outcome::NotGit;
    };
    let out = String::from_utf8_lossy(&probe.stdout);
    let mut lines = out.lines();
    if !probe.status.success() || lines.next() != Some("true") {
        let err = String::from_utf8_lossy(&probe.stderr);
        // "not a git repository" is the usual case: say nothing. Anything
        // else (a repository git refuses to read) is worth a word.
        if err.contains("dubious ownership") || err.contains("safe.directory") {
            return Outcome::Failed(failed(err.trim()));
        }
        return Outcome::NotGit;
    }
    if lines.next() == Some("true") {
        return Outcome::Shallow(
            Diagnostic::new(
                Kind::ShallowHistory,
                "",
                "the vault is a shallow git clone: its history is cut, so the notes' dates come from the files' times (the checkout's day)",
            )
            .help("fetch the whole history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow`"),
        );
    }
    let prefix = lines.next().unwrap_or("").to_string();
    match log(content, parts()) {
        Ok(Some(out)) => {
            let mut walk = Walk::default();
            for commit in out {
                walk.commit(commit);
            }
            Outcome::Read(History {
                files: walk.finish(),
                prefix,
            })
        }
        // Nothing committed yet.
        Ok(None) => Outcome::Read(History {
            files: HashMap::new(),
            prefix,
        }),
        Err(why) => Outcome::Failed(failed(&why)),
    }
}

fn failed(why: &str) -> Diagnostic {
    Diagnostic::new(
        Kind::GitHistory,
        "",
        format!("the vault is in a git work tree but its history could not be read, so the notes' dates come from the files' times: {why}"),
    )
    .help("run `git log` in the content folder to see what git says (a checkout owned by another user needs `git config --global --add safe.directory <path>`)")
}

/// How many `git log` to run side by side: one per core, at most eight.
fn parts() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// The format of a commit's header: `\x1e`, hash, author date, author.
const FORMAT: &str = "--format=%x1e%H%x1f%aI%x1f%aN";

/// What each commit of HEAD's history changed, newest first, one record
/// per commit (see [`Walk::commit`]): `git log` over ranges of the history
/// read side by side, one per core. `None` when HEAD has no commit.
fn log(dir: &Path, parts: usize) -> Result<Option<Vec<Vec<u8>>>, String> {
    // The first-parent line of HEAD, newest first, where the history is cut.
    let line = run(dir, &["rev-list", "--first-parent", "HEAD"]).map_err(|e| e.to_string())?;
    if !line.status.success() {
        // An unborn HEAD: nothing committed yet.
        return Ok(None);
    }
    let line: Vec<&str> = std::str::from_utf8(&line.stdout)
        .unwrap_or("")
        .lines()
        .collect();
    let outputs: Vec<std::io::Result<std::process::Output>> = std::thread::scope(|s| {
        let readers: Vec<_> = ranges(&line, parts)
            .into_iter()
            .map(|range| {
                s.spawn(move || {
                    let mut args = vec!["log", FORMAT, "-z", "--name-status", "-M", "--relative"];
                    args.push("--no-color");
                    args.extend(range.iter().map(String::as_str));
                    run(dir, &args)
                })
            })
            .collect();
        readers
            .into_iter()
            .map(|r| {
                r.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("git log stopped")))
            })
            .collect()
    });
    let mut records = Vec::new();
    for out in outputs {
        let out = out.map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        records.extend(
            out.stdout
                .split(|&b| b == 0x1e)
                .filter(|r| !r.is_empty())
                .map(<[u8]>::to_vec),
        );
    }
    Ok(Some(records))
}

/// Cuts a history whose first-parent line is `line` (newest first) into at
/// most `parts` ranges of revisions for `git log`: `HEAD ^c1`, `c1 ^c2`, …,
/// `ck`, each `c` an ancestor of the one before. Each commit of the history
/// is in exactly one of them (merged branches too), and the ranges come
/// newest first. Short histories are one range.
pub fn ranges(line: &[&str], parts: usize) -> Vec<Vec<String>> {
    const SHORT: usize = 2000;
    if parts < 2 || line.len() < SHORT {
        return vec![vec!["HEAD".to_string()]];
    }
    let mut out = Vec::with_capacity(parts);
    let mut from = "HEAD".to_string();
    for k in 1..parts {
        let cut = line[k * line.len() / parts];
        out.push(vec![from, format!("^{cut}")]);
        from = cut.to_string();
    }
    out.push(vec![from]);
    out
}

/// One file as the walk knows it, going back in time.
#[derive(Debug, Default)]
struct Record {
    name: String,
    created: Stamp,
    updated: Option<Stamp>,
    author: String,
    /// A file deleted later: its history belongs to no file of today.
    gone: bool,
}

/// Follows the history backwards, newest commit first: each path names the
/// file that carries it at that point of the history.
#[derive(Debug, Default)]
pub struct Walk {
    records: Vec<Record>,
    live: HashMap<String, usize>,
}

impl Walk {
    fn record(&mut self, name: &str, gone: bool) -> usize {
        if let Some(&r) = self.live.get(name) {
            return r;
        }
        self.records.push(Record {
            name: name.to_string(),
            gone,
            ..Record::default()
        });
        self.live.insert(name.to_string(), self.records.len() - 1);
        self.records.len() - 1
    }

    fn touch(&mut self, r: usize, when: Stamp, author: &str) {
        let rec = &mut self.records[r];
        if rec.updated.is_none_or(|u| when.secs > u.secs) {
            rec.updated = Some(when);
            rec.author = author.to_string();
        }
        if rec.created.secs == 0 || when.secs < rec.created.secs {
            rec.created = when;
        }
    }

    /// Reads one commit as `diff-tree -z --format=%H%x1f%aI%x1f%aN
    /// --name-status` writes it (its leading `\x1e` taken off): the header,
    /// then `status NUL path NUL` (two paths for renames and copies).
    /// Commits come newest first.
    pub fn commit(&mut self, commit: Vec<u8>) {
        let mut fields = commit.split(|&b| b == 0);
        let header = String::from_utf8_lossy(fields.next().unwrap_or_default());
        let mut head = header.split('\x1f').skip(1);
        let (Some(when), author) = (head.next().and_then(Stamp::parse), head.next()) else {
            return;
        };
        let author = author.unwrap_or("").trim().to_string();
        let text = |f: Option<&[u8]>| -> Option<String> {
            let f = f?;
            let f = String::from_utf8_lossy(f);
            match unicode_normalization::is_nfc_quick(f.chars()) {
                _ if f.is_empty() => None,
                unicode_normalization::IsNormalized::Yes => Some(f.into_owned()),
                _ => Some(f.nfc().collect()),
            }
        };
        // The header's own line ends in a newline before the first status.
        while let Some(status) = fields.next() {
            let status = status.trim_ascii();
            let Some(&kind) = status.first() else {
                continue;
            };
            let Some(path) = text(fields.next()) else {
                break;
            };
            match kind {
                b'A' => {
                    let r = self.record(&path, false);
                    self.touch(r, when, &author);
                    // Before this, the name was another file's, or no one's.
                    self.live.remove(&path);
                }
                b'M' | b'T' => {
                    let r = self.record(&path, false);
                    self.touch(r, when, &author);
                }
                b'D' => {
                    let r = self.record(&path, true);
                    self.records[r].gone = true;
                }
                b'R' | b'C' => {
                    let Some(new) = text(fields.next()) else {
                        break;
                    };
                    let r = self.record(&new, false);
                    self.touch(r, when, &author);
                    self.live.remove(&new);
                    if kind == b'R' {
                        // Before the rename, the file went by its old name.
                        self.live.insert(path, r);
                    }
                }
                _ => {}
            }
        }
    }

    /// The files of today with their history.
    pub fn finish(self) -> HashMap<String, FileHistory> {
        self.records
            .into_iter()
            .filter(|r| !r.gone)
            .filter_map(|r| {
                Some((
                    r.name,
                    FileHistory {
                        created: r.created,
                        updated: r.updated?,
                        author: r.author,
                    },
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(commits: &[(&str, &str, &[&str])]) -> HashMap<String, FileHistory> {
        let mut w = Walk::default();
        for (k, (when, who, entries)) in commits.iter().enumerate() {
            let mut out = format!("{k:040}\x1f{when}\x1f{who}\0\n").into_bytes();
            for e in *entries {
                out.extend_from_slice(e.as_bytes());
                out.push(0);
            }
            w.commit(out);
        }
        w.finish()
    }

    #[test]
    fn renames_are_followed_and_deleted_names_start_afresh() {
        let files = walk(&[
            ("2026-05-01T10:00:00+02:00", "Zoé", &["M", "b/Nouveau.md"]),
            (
                "2026-04-01T10:00:00+02:00",
                "Ana",
                &["R100", "a/Ancien.md", "b/Nouveau.md", "A", "Recréé.md"],
            ),
            ("2026-03-01T10:00:00+02:00", "Ana", &["D", "Recréé.md"]),
            (
                "2026-02-01T10:00:00+02:00",
                "Bob",
                &["M", "Recréé.md", "M", "a/Ancien.md"],
            ),
            (
                "2026-01-01T23:30:00-05:00",
                "Bob",
                &["A", "a/Ancien.md", "A", "Recréé.md"],
            ),
        ]);
        let moved = &files["b/Nouveau.md"];
        assert_eq!(
            moved.created.day(),
            "2026-01-01",
            "the author's day, not UTC's"
        );
        assert_eq!(moved.created.rfc3339(), "2026-01-01T23:30:00-05:00");
        assert_eq!(moved.updated.day(), "2026-05-01");
        assert_eq!(moved.author, "Zoé");
        let again = &files["Recréé.md"];
        assert_eq!(
            again.created.day(),
            "2026-04-01",
            "its earlier life is another file"
        );
        assert_eq!(again.author, "Ana");
        assert_eq!(files.len(), 2, "{files:?}");
    }

    #[test]
    fn long_histories_are_cut_into_disjoint_ranges() {
        let line: Vec<String> = (0..5000).map(|i| format!("c{i}")).collect();
        let line: Vec<&str> = line.iter().map(String::as_str).collect();
        assert_eq!(ranges(&line[..10], 4), vec![vec!["HEAD".to_string()]]);
        assert_eq!(ranges(&line, 1), vec![vec!["HEAD".to_string()]]);
        let r = ranges(&line, 2);
        assert_eq!(
            r,
            vec![
                vec!["HEAD".to_string(), "^c2500".into()],
                vec!["c2500".into()]
            ]
        );
        assert_eq!(
            ranges(&line, 4)[1],
            vec!["c1250".to_string(), "^c2500".into()]
        );
    }

    #[test]
    fn paths_are_read_as_the_scan_names_them() {
        // macOS commits decomposed names; the vault's paths are NFC.
        let files = walk(&[("2026-01-01T00:00:00Z", "A", &["A", "E\u{301}te\u{301}.md"])]);
        assert!(files.contains_key("Été.md"));
    }
}
