//! History: when each note was first committed, when it was last changed and
//! by whom, read from git when the vault is in a git work tree.
//!
//! A CI checkout gives every file the time of the checkout, so file times say
//! nothing there; the history does. It is read once for the whole vault: one
//! `git log --name-status` over every commit (on long histories, shared out
//! between a few read side by side), followed backwards through renames. A note's
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
        // Without it git flushes its output after every commit when it
        // writes to a pipe: a write and a wake-up per commit.
        .env("GIT_FLUSH", "0")
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
    read_in(content, parts())
}

/// [`read`] with at most `parts` `git log` side by side.
fn read_in(content: &Path, parts: usize) -> Outcome {
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
    match log(content, parts) {
        Ok(Some(out)) => {
            let mut walk = Walk::default();
            for records in &out {
                for commit in records.split(|&b| b == 0x1e).filter(|r| !r.is_empty()) {
                    walk.commit(commit);
                }
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

/// The arguments of `git log` that give each commit's header and changes.
const LOG: [&str; 7] = [
    "log",
    FORMAT,
    "-z",
    "--name-status",
    "-M",
    "--relative",
    "--no-color",
];

/// Histories shorter than this are read by one `git log`.
const SHORT: usize = 2000;

/// What each commit of HEAD's history changed, newest first: the output of
/// `git log`, one `\x1e`-led record per commit (see [`Walk::commit`]), in
/// a few buffers. `None` when HEAD has no commit.
///
/// One `git log` starts on HEAD at once; meanwhile `git rev-list` lists
/// the history, and on a long one the part the first has not reached yet is
/// cut into ranges read side by side, one per core, the first stopping
/// where the second begins. The cuts are on HEAD's first-parent line, so
/// each commit is read by exactly one of them, merged branches too.
fn log(dir: &Path, parts: usize) -> Result<Option<Vec<Vec<u8>>>, String> {
    // HEAD resolved once, so that every command reads the same history.
    let head =
        run(dir, &["rev-parse", "--verify", "-q", "HEAD^{commit}"]).map_err(|e| e.to_string())?;
    if !head.status.success() {
        // An unborn HEAD: nothing committed yet.
        return Ok(None);
    }
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let progress = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let (tell, told) = std::sync::mpsc::channel();
        let first = {
            let (head, progress) = (&head, &progress);
            s.spawn(move || stream(dir, head, &told, progress))
        };
        let mut outputs = Vec::new();
        if parts > 1 {
            let revs = run(dir, &["rev-list", "--parents", &head]).map_err(|e| e.to_string())?;
            // (Tests share out the whole history, so that a quick first log
            // cannot leave the sharing untested.)
            let done = match cfg!(test) {
                true => 0,
                false => progress.load(std::sync::atomic::Ordering::Acquire),
            };
            if let Some(plan) = plan(&revs.stdout, done, parts).filter(|_| revs.status.success()) {
                let rest = ranges(&plan.cuts);
                // The first log's reader stops once it has read its part.
                let _ = tell.send(plan.first);
                let readers: Vec<_> = rest
                    .into_iter()
                    .map(|range| {
                        s.spawn(move || {
                            let mut args = LOG.to_vec();
                            args.extend(range.iter().map(String::as_str));
                            run(dir, &args)
                        })
                    })
                    .collect();
                for r in readers {
                    let out = r
                        .join()
                        .unwrap_or_else(|_| Err(std::io::Error::other("git log stopped")))
                        .map_err(|e| e.to_string())?;
                    if !out.status.success() {
                        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
                    }
                    outputs.push(out.stdout);
                }
            }
        }
        drop(tell);
        let first = first
            .join()
            .unwrap_or_else(|_| Err("git log stopped".to_string()))?;
        outputs.insert(0, first);
        Ok(Some(outputs))
    })
}

/// The hash at the head of a record (after its `\x1e`).
fn hash_of(record: &[u8]) -> &[u8] {
    let end = record
        .iter()
        .position(|&b| b == 0x1f)
        .unwrap_or(record.len());
    record[..end].trim_ascii()
}

/// Reads `git log` on `head` as it writes. When `told` brings the set of
/// commits this log is to read (the rest is read by others), it keeps only
/// those and stops git once it has them all.
fn stream(
    dir: &Path,
    head: &str,
    told: &std::sync::mpsc::Receiver<std::collections::HashSet<Vec<u8>>>,
    progress: &std::sync::atomic::AtomicUsize,
) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut child = git(dir)
        .args(LOG)
        .arg(head)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdout = child.stdout.take().ok_or("no output")?;
    let mut all: Vec<u8> = Vec::with_capacity(1 << 20);
    // Where each complete record starts (at its `\x1e`), and how far `all`
    // has been looked through.
    let mut starts: Vec<usize> = Vec::new();
    let mut seen = 0;
    let mut mine: Option<std::collections::HashSet<Vec<u8>>> = None;
    let mut missing = usize::MAX;
    let mut chunk = vec![0u8; 1 << 16];
    let stopped = loop {
        let n = stdout.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            break false;
        }
        all.extend_from_slice(&chunk[..n]);
        // A record is complete when the next one starts.
        while let Some(at) = all[seen..].iter().position(|&b| b == 0x1e) {
            let at = seen + at;
            if let (Some(set), Some(&prev)) = (&mine, starts.last()) {
                if set.contains(hash_of(&all[prev + 1..at])) {
                    missing -= 1;
                }
            }
            starts.push(at);
            seen = at + 1;
        }
        progress.store(starts.len(), std::sync::atomic::Ordering::Release);
        if mine.is_none() {
            if let Ok(set) = told.try_recv() {
                // The records read so far, but the last (incomplete).
                let ends = starts.iter().skip(1);
                let have = starts
                    .iter()
                    .zip(ends)
                    .filter(|&(&a, &b)| set.contains(hash_of(&all[a + 1..b])))
                    .count();
                missing = set.len() - have.min(set.len());
                mine = Some(set);
            }
        }
        if missing == 0 {
            break true;
        }
    };
    // git may finish before the others are planned: the plan, or word that
    // there is none (the sender gone), still decides what this log keeps, so
    // that no commit is read twice (twice, a rename would be followed again).
    if mine.is_none() {
        mine = told.recv().ok();
    }
    let end = if stopped {
        let _ = child.kill();
        *starts.last().unwrap_or(&0)
    } else {
        all.len()
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !stopped && !status.success() {
        return Err(stderr.trim().to_string());
    }
    all.truncate(end);
    let Some(set) = mine else {
        return Ok(all);
    };
    // Only this log's part: the rest is read by the others.
    let mut kept = Vec::with_capacity(all.len());
    for record in all.split(|&b| b == 0x1e).filter(|r| !r.is_empty()) {
        if set.contains(hash_of(record)) {
            kept.push(0x1e);
            kept.extend_from_slice(record);
        }
    }
    Ok(kept)
}

/// How a long history is shared out: the commits the first `git log` reads
/// and where the others start.
#[derive(Debug, PartialEq)]
pub struct Plan {
    /// The commits the first log reads: all but the ancestors of the first cut.
    pub first: std::collections::HashSet<Vec<u8>>,
    /// Commits of HEAD's first-parent line, newest first, each an ancestor
    /// of the one before.
    pub cuts: Vec<String>,
}

/// Shares out a history given by `git rev-list --parents` (newest first:
/// each line a commit and its parents) between `parts` logs, the first of
/// which has already read `done` commits. `None` for a short history.
pub fn plan(revs: &[u8], done: usize, parts: usize) -> Option<Plan> {
    let text = std::str::from_utf8(revs).ok()?;
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split(' ').collect::<Vec<_>>())
        .filter(|l| !l[0].is_empty())
        .collect();
    let n = lines.len();
    if parts < 2 || n < SHORT || done + SHORT > n {
        return None;
    }
    let index: HashMap<&str, usize> = lines.iter().enumerate().map(|(i, l)| (l[0], i)).collect();
    // HEAD's first-parent line, as indices into `lines`.
    let mut line = vec![0];
    while let Some(&p) = lines[*line.last()?].get(1).and_then(|p| index.get(p)) {
        line.push(p);
    }
    // The rest is shared evenly; each cut is the first commit of the line at
    // or past its share's start.
    let mut cuts: Vec<usize> = Vec::new();
    let mut from = 1;
    for k in 1..parts {
        let target = done + k * (n - done) / parts;
        if let Some(j) = line.get(from..)?.iter().position(|&c| c >= target) {
            cuts.push(line[from + j]);
            from += j + 1;
        }
    }
    let first_cut = *cuts.first()?;
    // The first cut's ancestors (itself included) are the others' part.
    let mut theirs = vec![false; n];
    let mut stack = vec![first_cut];
    while let Some(c) = stack.pop() {
        if std::mem::replace(&mut theirs[c], true) {
            continue;
        }
        stack.extend(lines[c][1..].iter().filter_map(|p| index.get(p)));
    }
    Some(Plan {
        first: (0..n)
            .filter(|&i| !theirs[i])
            .map(|i| lines[i][0].as_bytes().to_vec())
            .collect(),
        cuts: cuts.iter().map(|&c| lines[c][0].to_string()).collect(),
    })
}

/// The `git log` revision arguments of the ranges between `cuts` (newest
/// first, each an ancestor of the one before): `c1 ^c2`, …, `ck`. Together
/// they are the first cut's ancestors, each commit in one range.
pub fn ranges(cuts: &[String]) -> Vec<Vec<String>> {
    cuts.iter()
        .enumerate()
        .map(|(k, c)| {
            let mut range = vec![c.clone()];
            range.extend(cuts.get(k + 1).map(|next| format!("^{next}")));
            range
        })
        .collect()
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
    pub fn commit(&mut self, commit: &[u8]) {
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
            w.commit(&out);
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
    fn long_histories_are_cut_on_the_first_parent_line() {
        // c0 (HEAD) … c4999, newest first; c100 merges a branch s1 ← s2
        // that left the line at c3000 (listed last, as clock skew may).
        let mut revs = String::new();
        for i in 0..5000 {
            let parents = match i {
                4999 => String::new(),
                100 => " c101 s1".to_string(),
                _ => format!(" c{}", i + 1),
            };
            revs.push_str(&format!("c{i}{parents}\n"));
        }
        revs.push_str("s1 s2\ns2 c3000\n");
        assert_eq!(plan(revs.as_bytes(), 0, 1), None, "one part");
        assert_eq!(plan(revs.as_bytes(), 3500, 2), None, "nearly read");
        assert_eq!(plan(b"c0 c1\nc1\n", 0, 2), None, "short");
        let two = plan(revs.as_bytes(), 0, 2).unwrap();
        assert_eq!(two.cuts, ["c2501"]);
        let mut first: Vec<String> = two
            .first
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        first.sort();
        assert_eq!(first.len(), 2503, "c0 … c2500, s1, s2");
        assert_eq!(first[2501..], ["s1", "s2"]);
        assert!(first.contains(&"c2500".to_string()) && !first.contains(&"c2501".to_string()));
        // The first log read 1,000 already: the rest is shared out.
        let four = plan(revs.as_bytes(), 1000, 4).unwrap();
        assert_eq!(four.cuts, ["c2000", "c3001", "c4001"]);
        assert_eq!(
            ranges(&four.cuts),
            [
                vec!["c2000".to_string(), "^c3001".into()],
                vec!["c3001".to_string(), "^c4001".into()],
                vec!["c4001".to_string()],
            ]
        );
    }

    /// A repository of `n` commits on main, a branch merged halfway, and
    /// renames, made by `git fast-import`.
    fn long_history(repo: &Path, n: usize) -> Vec<String> {
        use std::fmt::Write;
        let git = |args: &[&str], input: Option<&str>| {
            let mut c = Command::new("git");
            c.current_dir(repo).args(args).stdin(Stdio::piped());
            let mut child = c.spawn().unwrap();
            if let Some(input) = input {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(input.as_bytes())
                    .unwrap();
            }
            drop(child.stdin.take());
            assert!(child.wait().unwrap().success(), "git {args:?}");
        };
        git(&["init", "-q", "-b", "main"], None);
        let mut names: Vec<String> = (0..300).map(|i| format!("d{}/n{i}.md", i % 7)).collect();
        let mut script = String::new();
        let commit = |script: &mut String, branch: &str, mark: usize, t: usize| {
            let msg = format!("c{mark}");
            write!(
                script,
                "commit refs/heads/{branch}\nmark :{mark}\nauthor A{} <a@x> {} +0100\ncommitter C <c@x> {} +0100\ndata {}\n{msg}\n",
                mark % 5,
                1_700_000_000 + t * 60,
                1_700_000_000 + t * 60,
                msg.len()
            )
            .unwrap();
        };
        let side = 100_000;
        for c in 1..=n {
            let mut changes = format!("M 100644 inline {}\ndata 3\nv{}\n", names[c % 300], c % 10);
            if c % 97 == 0 {
                let old = names[c % 13].clone();
                names[c % 13] = old.replace(".md", "-r.md");
                changes.push_str(&format!("R {old} {}\n", names[c % 13]));
            }
            commit(&mut script, "main", c, c * 2);
            if c > 1 {
                script.push_str(&format!("from :{}\n", c - 1));
            }
            if c == n / 2 {
                // The merge of a branch that left main 40 commits earlier,
                // its commits dated between main's.
                script.push_str(&format!("merge :{}\n", side + 40));
                for k in 0..20 {
                    changes.push_str(&format!("M 100644 inline side/s{k}.md\ndata 2\ns\n"));
                }
            }
            script.push_str(&changes);
            script.push('\n');
            if c == n / 2 - 41 {
                for k in 1..=40 {
                    commit(&mut script, "side", side + k, (c + k) * 2 + 1);
                    let from = if k == 1 { c } else { side + k - 1 };
                    script.push_str(&format!(
                        "from :{from}\nM 100644 inline side/s{}.md\ndata 2\ns\n\n",
                        k % 20
                    ));
                }
            }
        }
        git(&["fast-import", "--quiet"], Some(&script));
        git(&["checkout", "-q", "main"], None);
        names
    }

    #[test]
    fn a_log_that_ends_before_its_plan_keeps_only_its_part() {
        let dir = tempfile::tempdir().unwrap();
        long_history(dir.path(), 4000);
        let out = |args: &[&str]| String::from_utf8(run(dir.path(), args).unwrap().stdout).unwrap();
        let head = out(&["rev-parse", "HEAD"]).trim().to_string();
        let count: usize = out(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap();
        let mine: std::collections::HashSet<Vec<u8>> = out(&["rev-list", "-n", "3", "HEAD"])
            .lines()
            .map(|h| h.as_bytes().to_vec())
            .collect();
        let progress = std::sync::atomic::AtomicUsize::new(0);
        let (tell, told) = std::sync::mpsc::channel();
        let kept = std::thread::scope(|s| {
            let (head, progress) = (&head, &progress);
            let reader = s.spawn(move || stream(dir.path(), head, &told, progress));
            // The plan comes only once git has written every commit.
            while progress.load(std::sync::atomic::Ordering::Acquire) < count {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            tell.send(mine.clone()).unwrap();
            reader.join().unwrap().unwrap()
        });
        let hashes: std::collections::HashSet<Vec<u8>> = kept
            .split(|&b| b == 0x1e)
            .filter(|r| !r.is_empty())
            .map(|r| hash_of(r).to_vec())
            .collect();
        assert_eq!(hashes, mine);
    }

    #[test]
    fn a_long_history_read_in_parts_gives_what_one_log_gives() {
        let dir = tempfile::tempdir().unwrap();
        let names = long_history(dir.path(), 4000);
        let read = |parts| match read_in(dir.path(), parts) {
            Outcome::Read(h) => h.files,
            other => panic!("{other:?}"),
        };
        let one = read(1);
        assert_eq!(one.len(), 320, "300 notes and 20 from the branch");
        // n6.md, renamed four times, was added by the 6th commit.
        assert_eq!(names[6], "d6/n6-r-r-r-r.md");
        assert_eq!(one[&names[6]].created.secs, 1_700_000_000 + 6 * 2 * 60);
        // side/s1.md was added by the branch's first commit.
        let branch = &one["side/s1.md"];
        assert_eq!(
            branch.created.secs,
            1_700_000_000 + ((4000 / 2 - 41 + 1) * 2 + 1) * 60
        );
        for parts in [2, 3, 4] {
            assert_eq!(read(parts), one, "{parts} parts");
        }
    }

    #[test]
    fn paths_are_read_as_the_scan_names_them() {
        // macOS commits decomposed names; the vault's paths are NFC.
        let files = walk(&[("2026-01-01T00:00:00Z", "A", &["A", "E\u{301}te\u{301}.md"])]);
        assert!(files.contains_key("Été.md"));
    }
}
