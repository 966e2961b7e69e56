//! Watching the vault: the only module that knows notify.
//!
//! File events are debounced into batches: a batch closes once nothing has
//! happened for a short quiet time, so an editor that saves through a
//! temporary file and a rename (vim, VS Code, Obsidian) causes one rebuild.
//! Editor droppings (`.swp`, `~`, `4913`, `.crswap` …) are dropped here.

use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the vault must stay quiet before a batch is rebuilt.
pub const QUIET: Duration = Duration::from_millis(10);
/// A batch never waits longer than this for quiet.
pub const MAX_WAIT: Duration = Duration::from_millis(600);

/// Starts watching `root`; each batch of changed paths arrives on the receiver.
/// The returned watcher must be kept alive.
pub fn watch(
    root: &Path,
) -> notify::Result<(
    notify::RecommendedWatcher,
    mpsc::Receiver<BTreeSet<PathBuf>>,
)> {
    let (raw_tx, raw_rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            for p in event.paths {
                let _ = raw_tx.send(p);
            }
        }
    })?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("isokb-debounce".into())
        .spawn(move || debounce(raw_rx, tx))
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok((watcher, rx))
}

fn debounce(raw: mpsc::Receiver<PathBuf>, out: mpsc::Sender<BTreeSet<PathBuf>>) {
    while let Ok(first) = raw.recv() {
        let started = Instant::now();
        let mut batch = BTreeSet::new();
        batch.insert(first);
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            match raw.recv_timeout(QUIET.min(left)) {
                Ok(p) => {
                    batch.insert(p);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() >= MAX_WAIT {
                break;
            }
        }
        batch.retain(|p| !is_editor_dropping(p));
        if !batch.is_empty() && out.send(batch).is_err() {
            return;
        }
    }
}

/// Temporary files editors write beside the real one.
pub fn is_editor_dropping(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".crswap")
        || name.starts_with(".#")
        || name.starts_with('#')
        || name == "4913"
        || name.starts_with(".goutputstream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_recognised() {
        for p in [
            "a/.note.md.swp",
            "note.md~",
            "4913",
            ".#note.md",
            "x.md.crswap",
        ] {
            assert!(is_editor_dropping(Path::new(p)), "{p}");
        }
        for p in ["note.md", "img.png", "site.toml"] {
            assert!(!is_editor_dropping(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn a_save_through_rename_is_one_batch() {
        let dir = tempfile::tempdir().unwrap();
        let (_w, rx) = watch(dir.path()).unwrap();
        let tmp = dir.path().join("note.md.tmp");
        std::fs::write(&tmp, "x").unwrap();
        std::fs::rename(&tmp, dir.path().join("note.md")).unwrap();
        let batch = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(batch.iter().any(|p| p.ends_with("note.md")), "{batch:?}");
        assert!(rx.recv_timeout(QUIET * 4).is_err(), "exactly one batch");
    }
}
