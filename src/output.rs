//! The output folder: refused when dangerous, built aside, swapped in whole.
//!
//! A build writes into a fresh staging folder beside the output
//! (`.public.isokb-new-PID`) and only a successful build replaces the output,
//! with one atomic exchange on Linux. isokb refuses an output folder that is
//! the vault, contains it, is `/` or the home folder, or already holds files
//! it did not write (no `.isokb-output` marker). It deletes only folders that
//! carry its marker.

use crate::diagnostics::{Diagnostic, Kind};
use std::path::{Path, PathBuf};

/// The file that marks a folder as written by isokb.
pub const MARKER: &str = ".isokb-output";

/// A staging folder that becomes the output on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    /// Where to write the new site.
    pub dir: PathBuf,
    target: PathBuf,
}

fn err(path: &Path, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Kind::Io, path.display().to_string(), msg)
}

/// The absolute, symlink-free form of a path that may not exist yet.
pub fn absolutize(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = p.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return p,
        }
    }
}

/// Refuses output folders that would destroy the vault or user files.
pub fn check_output(output: &Path, content: &Path) -> Result<PathBuf, Diagnostic> {
    let out = absolutize(output);
    let content = absolutize(content);
    let home = std::env::var_os("HOME").map(|h| absolutize(Path::new(&h)));
    let help = "choose a dedicated folder, e.g. `--output public`";
    if out.parent().is_none() {
        return Err(err(output, "refusing to use `/` as the output folder").help(help));
    }
    if Some(&out) == home.as_ref() {
        return Err(err(
            output,
            "refusing to use the home folder as the output folder",
        )
        .help(help));
    }
    if content.starts_with(&out) {
        return Err(err(output, format!("the output folder `{}` is or contains the vault `{}`: building would replace your notes", out.display(), content.display())).help(help));
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(err(output, "the output path exists and is not a folder").help(help));
        }
        let empty = std::fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join(MARKER).exists() {
            return Err(err(output, format!("`{}` holds files isokb did not write; isokb never deletes what it did not create", out.display()))
                .help("empty that folder yourself, or choose another `--output`"));
        }
    }
    Ok(out)
}

impl Staging {
    /// Creates a staging folder beside `target` (already checked), cleaning
    /// stale ones left by interrupted builds.
    pub fn new(target: &Path) -> Result<Staging, Diagnostic> {
        let parent = target
            .parent()
            .ok_or_else(|| err(target, "the output folder has no parent"))?;
        std::fs::create_dir_all(parent)
            .map_err(|e| err(parent, format!("cannot create the folder: {e}")))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        clean_stale(parent, &name);
        let dir = parent.join(format!(".{name}.isokb-new-{}", std::process::id()));
        if dir.exists() {
            remove_tree(&dir)
                .map_err(|e| err(&dir, format!("cannot clear the staging folder: {e}")))?;
        }
        std::fs::create_dir(&dir)
            .map_err(|e| err(&dir, format!("cannot create the staging folder: {e}")))?;
        std::fs::write(
            dir.join(MARKER),
            "This folder was written by isokb and is replaced by each build.\n",
        )
        .map_err(|e| err(&dir, format!("cannot write: {e}")))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// Replaces the output with the staging folder.
    pub fn commit(self) -> Result<(), Diagnostic> {
        if self.target.exists() {
            exchange(&self.dir, &self.target).map_err(|e| {
                err(
                    &self.target,
                    format!("cannot replace the output folder: {e}"),
                )
            })?;
            // `self.dir` now holds the previous output.
            remove_tree(&self.dir)
                .map_err(|e| err(&self.dir, format!("cannot remove the previous output: {e}")))?;
        } else {
            std::fs::rename(&self.dir, &self.target).map_err(|e| {
                err(
                    &self.target,
                    format!("cannot move the new site in place: {e}"),
                )
            })?;
        }
        Ok(())
    }

    /// Removes the staging folder, leaving the output untouched.
    pub fn discard(self) {
        let _ = remove_tree(&self.dir);
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        let e = std::io::Error::last_os_error();
        // Filesystems without RENAME_EXCHANGE: fall back to two renames.
        if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            two_renames(a, b)
        } else {
            Err(e)
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    two_renames(a, b)
}

fn two_renames(new: &Path, target: &Path) -> std::io::Result<()> {
    let old = new.with_extension("old");
    std::fs::rename(target, &old)?;
    std::fs::rename(new, target)?;
    std::fs::rename(&old, new)
}

/// Removes a whole tree, its files in parallel (one unlink at a time is very
/// slow on some disks), then its folders deepest first.
fn remove_tree(root: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for e in walkdir::WalkDir::new(root).follow_links(false) {
        let e = e.map_err(std::io::Error::other)?;
        if e.file_type().is_dir() {
            dirs.push((e.depth(), e.into_path()));
        } else {
            files.push(e.into_path());
        }
    }
    // The marker goes last, so a removal killed half-way still marks the folder as ours.
    let marker = root.join(MARKER);
    files.retain(|f| f != &marker);
    files.par_iter().try_for_each(std::fs::remove_file)?;
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    for (depth, d) in &dirs {
        if *depth > 0 {
            std::fs::remove_dir(d)?;
        }
    }
    if marker.exists() {
        std::fs::remove_file(&marker)?;
    }
    std::fs::remove_dir(root)
}

/// Removes staging folders of builds that were killed (their process is gone).
fn clean_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.isokb-new-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let fname = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = fname.strip_prefix(&prefix) else {
            continue;
        };
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|p| p != std::process::id() && Path::new(&format!("/proc/{p}")).exists());
        // Ours: the marker is written right after the folder is created, so a
        // build killed in between leaves an empty folder.
        let empty = std::fs::read_dir(e.path()).is_ok_and(|mut d| d.next().is_none());
        // `remove_tree` keeps the marker to the last, so a build killed while
        // cleaning leaves a folder the next build still recognises.
        if !alive && (e.path().join(MARKER).exists() || empty) {
            let _ = remove_tree(&e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        std::fs::create_dir_all(&vault).unwrap();
        assert!(check_output(&vault, &vault).is_err(), "the vault itself");
        assert!(
            check_output(dir.path(), &vault).is_err(),
            "a parent of the vault"
        );
        assert!(check_output(Path::new("/"), &vault).is_err());
        let user = dir.path().join("mine");
        std::fs::create_dir_all(&user).unwrap();
        std::fs::write(user.join("keep.txt"), "x").unwrap();
        let e = check_output(&user, &vault).unwrap_err();
        assert!(e.message.contains("did not write"), "{}", e.message);
        assert!(check_output(&dir.path().join("public"), &vault).is_ok());
        assert!(
            check_output(&vault.join("public"), &vault).is_ok(),
            "inside the vault is fine (it is skipped)"
        );
    }

    #[test]
    fn staging_swaps_in_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for round in 0..2 {
            let s = Staging::new(&out).unwrap();
            std::fs::write(s.dir.join("index.html"), format!("v{round}")).unwrap();
            s.commit().unwrap();
            assert_eq!(
                std::fs::read_to_string(out.join("index.html")).unwrap(),
                format!("v{round}")
            );
        }
        let s = Staging::new(&out).unwrap();
        std::fs::write(s.dir.join("index.html"), "broken").unwrap();
        s.discard();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "v1"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["public"]);
        // A stale staging folder of a dead process is removed by the next build.
        let stale = dir.path().join(".public.isokb-new-999999999");
        std::fs::create_dir(&stale).unwrap();
        std::fs::write(stale.join(MARKER), "").unwrap();
        Staging::new(&out).unwrap().discard();
        assert!(!stale.exists());
    }
}
