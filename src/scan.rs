//! Scanning: from the content folder to a [`Vault`] of note texts and attachments.
//!
//! Second stage. It owns walkdir and is the only stage that reads the vault
//! from disk. Folders starting with `.` (`.obsidian`, `.trash`, `.git`), the
//! output folder and the `ignore` globs are skipped; symbolic links are followed
//! only when they stay inside the vault. Note files are read in parallel and
//! decoded here, so later stages deal with text only.

use crate::diagnostics::{Diagnostic, Kind, Position};
use crate::paths::VaultPath;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;
use walkdir::WalkDir;

/// A Markdown note's source, as read from disk.
#[derive(Debug, Clone)]
pub struct SourceNote {
    /// Where it is in the vault.
    pub path: VaultPath,
    /// Its text, decoded (BOM removed, UTF-16 decoded, invalid UTF-8 replaced).
    pub text: String,
    /// Last modification time, seconds since the epoch (0 when unknown).
    pub modified: i64,
}

/// A file that is not a note: image, PDF, audio, video, anything.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Where it is in the vault.
    pub path: VaultPath,
    /// Where it is on disk.
    pub source: PathBuf,
}

/// Everything the scan found.
#[derive(Debug, Default)]
pub struct Vault {
    /// The notes, sorted by path.
    pub notes: Vec<SourceNote>,
    /// The attachments, sorted by path.
    pub attachments: Vec<Attachment>,
}

/// What to skip while scanning.
pub struct ScanOptions<'a> {
    /// Glob patterns relative to the content folder.
    pub ignore: &'a [String],
    /// Folders never to descend into (the output folder, when it is inside the vault).
    pub exclude: Vec<PathBuf>,
}

/// Walks `content` and reads every note. Problems with single files become
/// diagnostics; only an unreadable content folder is an `Err`.
pub fn scan(content: &Path, opts: &ScanOptions) -> Result<(Vault, Vec<Diagnostic>), Diagnostic> {
    let (notes, attachments, diags) = scan_with(content, opts, |s| s)?;
    Ok((Vault { notes, attachments }, diags))
}

/// What [`scan_with`] gives: the notes as `f` made them, sorted by path, the
/// attachments, sorted by path, and the findings.
pub type Scanned<T> = (Vec<T>, Vec<Attachment>, Vec<Diagnostic>);

/// [`scan`], handing each note to `f` as soon as it is read, in parallel:
/// the notes' sources need not all be held at once, and their reading
/// overlaps the work done on them. The results come sorted by path.
pub fn scan_with<T: Send>(
    content: &Path,
    opts: &ScanOptions,
    f: impl Fn(SourceNote) -> T + Sync + Send,
) -> Result<Scanned<T>, Diagnostic> {
    let mut diags = Vec::new();
    let root = content.canonicalize().map_err(|e| {
        Diagnostic::new(
            Kind::Io,
            content.display().to_string(),
            format!("cannot open the content folder: {e}"),
        )
        .help("check `content_dir` in site.toml, or pass `--root` to the folder holding site.toml")
    })?;
    let globs = build_globs(opts.ignore, &mut diags);
    let exclude: Vec<PathBuf> = opts
        .exclude
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut note_files = Vec::new();
    let mut attachments = Vec::new();
    let walker = WalkDir::new(&root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    let walker = walker.filter_entry(|e| {
        let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
        // The output of a build (anywhere in the vault) is never content.
        let excluded = exclude.iter().any(|x| e.path() == x)
            || (e.file_type().is_dir() && e.path().join(crate::output::MARKER).exists());
        let rel = rel_path(&root, e.path());
        !(hidden || excluded || e.depth() > 0 && globs.is_match(&rel))
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| rel_path(&root, p)).unwrap_or_default();
                diags.push(Diagnostic::new(Kind::Io, path, format!("cannot read: {e}")));
                continue;
            }
        };
        let mut source = entry.path().to_path_buf();
        if entry.path_is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&root) && target.is_file() => source = target,
                Ok(target) if target.starts_with(&root) => continue,
                _ => {
                    diags.push(Diagnostic::new(
                        Kind::Io,
                        rel_path(&root, entry.path()),
                        "symbolic link to a file outside the vault (or a broken or looping link): skipped",
                    ));
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_path(&root, entry.path());
        let path = VaultPath::new(&rel);
        if is_note(&path) {
            note_files.push((path, source));
        } else {
            attachments.push(Attachment { path, source });
        }
    }
    type Read<T> = (Option<(VaultPath, T)>, Vec<Diagnostic>);
    let read: Vec<Read<T>> = note_files
        .into_par_iter()
        .map(|(path, source)| {
            let (note, d) = read_note(path, &source);
            (note.map(|n| (n.path.clone(), f(n))), d)
        })
        .collect();
    let mut notes = Vec::with_capacity(read.len());
    for (note, d) in read {
        notes.extend(note);
        diags.extend(d);
    }
    notes.sort_by(|a, b| a.0.cmp(&b.0));
    attachments.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((
        notes.into_iter().map(|(_, t)| t).collect(),
        attachments,
        diags,
    ))
}

/// Whether a vault path is a note (a Markdown file, or a base: a `.base`
/// file is a page of the site), not an attachment.
pub fn is_note(path: &VaultPath) -> bool {
    let ext = path.extension();
    ext == "md" || ext == "base" || ext == "canvas"
}

/// Whether a file or folder on the way is hidden (`.obsidian/`, `.trash/`).
pub fn is_hidden(path: &VaultPath) -> bool {
    path.as_str().split('/').any(|c| c.starts_with('.'))
}

/// Whether the scan leaves a vault path out: a hidden file or folder on the
/// way (`.obsidian/`, `.trash/`), or a path or folder that `ignore` matches.
pub fn is_skipped(path: &VaultPath, globs: &GlobSet) -> bool {
    let p = path.as_str();
    is_hidden(path)
        || p.match_indices('/')
            .map(|(i, _)| &p[..i])
            .chain(std::iter::once(p))
            .any(|prefix| globs.is_match(prefix))
}

/// The `ignore` patterns as one matcher (`private` also covers `private/**`).
pub fn build_globs(patterns: &[String], diags: &mut Vec<Diagnostic>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        match Glob::new(p) {
            Ok(g) => {
                b.add(g);
                // `private` also means everything below it.
                if let Ok(g) = Glob::new(&format!("{}/**", p.trim_end_matches('/'))) {
                    b.add(g);
                }
            }
            Err(e) => diags.push(Diagnostic::new(
                Kind::Config,
                "site.toml",
                format!("invalid ignore pattern `{p}`: {e}"),
            )),
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and decodes one note file.
pub fn read_note(path: VaultPath, source: &Path) -> (Option<SourceNote>, Vec<Diagnostic>) {
    // One open: the size and the time come from the open file.
    let read = || -> std::io::Result<(Vec<u8>, std::fs::Metadata)> {
        use std::io::Read;
        let mut file = std::fs::File::open(source)?;
        let meta = file.metadata()?;
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
        file.read_to_end(&mut bytes)?;
        Ok((bytes, meta))
    };
    let (bytes, meta) = match read() {
        Ok(read) => read,
        Err(e) => {
            let d = Diagnostic::new(
                Kind::Io,
                path.as_str(),
                format!("cannot read the note: {e}"),
            );
            return (None, vec![d]);
        }
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as i64);
    let (text, diag) = decode(bytes, &path);
    let note = text.map(|text| SourceNote {
        path,
        text,
        modified,
    });
    (note, diag.into_iter().collect())
}

/// Decodes a note's bytes: UTF-8 (BOM dropped), UTF-16 with a BOM, or lossy
/// UTF-8 with a diagnostic. Files with NUL bytes are binary and skipped.
/// Valid UTF-8 becomes the text without a copy.
pub fn decode(mut bytes: Vec<u8>, path: &VaultPath) -> (Option<String>, Option<Diagnostic>) {
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let text = utf16(bytes[0] == 0xFF);
        let d = Diagnostic::new(
            Kind::Encoding,
            path.as_str(),
            "the note is UTF-16; it was decoded, but Obsidian and most tools expect UTF-8",
        )
        .at(Position { line: 1, col: 1 })
        .help("save the file as UTF-8");
        return (Some(text), Some(d));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes.contains(&0) {
        let d = Diagnostic::new(
            Kind::Encoding,
            path.as_str(),
            "the file is binary, not a Markdown note: skipped",
        )
        .at(Position { line: 1, col: 1 })
        .help("rename it, or add it to `ignore` in site.toml");
        return (None, Some(d));
    }
    match String::from_utf8(bytes) {
        Ok(s) => (Some(s), None),
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = &bytes[..e.utf8_error().valid_up_to()];
            let pos = Position::of_offset(&String::from_utf8_lossy(valid), valid.len());
            let d = Diagnostic::new(
                Kind::Encoding,
                path.as_str(),
                "the note is not valid UTF-8; invalid bytes were replaced by `\u{FFFD}`",
            )
            .at(pos)
            .help("convert the file to UTF-8 (e.g. `iconv -f windows-1252 -t utf-8`)");
            (Some(String::from_utf8_lossy(bytes).into_owned()), Some(d))
        }
    }
}

/// The on-disk file of a vault path. Vault paths are NFC; on a filesystem
/// that keeps NFD names (files from macOS), each component is looked up.
pub fn disk_path(content: &Path, path: &VaultPath) -> PathBuf {
    let direct = content.join(path.as_str());
    if direct.exists() {
        return direct;
    }
    let mut p = content.to_path_buf();
    for part in path.as_str().split('/') {
        let exact = p.join(part);
        if exact.exists() {
            p = exact;
            continue;
        }
        let found = std::fs::read_dir(&p).ok().and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name())
                .find(|name| name.to_str().is_some_and(|n| n.nfc().eq(part.chars())))
        });
        p = p.join(found.unwrap_or_else(|| part.into()));
    }
    p
}

crate::indexed_by!(crate::ids::FileId => Attachment, VaultPath);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_utf16_and_reports_bad_bytes() {
        let p = VaultPath::new("a.md");
        assert_eq!(
            decode(b"\xEF\xBB\xBFhi".to_vec(), &p).0.as_deref(),
            Some("hi")
        );
        let le = [0xFF, 0xFE, b'h', 0, 0xE9, 0];
        let (t, d) = decode(le.to_vec(), &p);
        assert_eq!(t.as_deref(), Some("hé"));
        assert_eq!(d.map(|d| d.kind), Some(Kind::Encoding));
        let (t, d) = decode(b"ok\ncaf\xE9".to_vec(), &p);
        assert_eq!(t.as_deref(), Some("ok\ncaf\u{FFFD}"));
        assert_eq!(d.and_then(|d| d.pos), Some(Position { line: 2, col: 4 }));
        assert_eq!(decode(b"\x89PNG\0\0".to_vec(), &p).0, None);
    }
}
