//! Where emitted files go: a folder on disk, written by one writer thread,
//! or memory (`serve` and tests).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where emitted files go.
pub trait Sink: Sync {
    /// Writes `bytes` at the site-relative `path`.
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
    /// Writes `bytes`, which the sink may keep (no copy).
    fn write_owned(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.write(path, &bytes)
    }
    /// Copies a file from the vault to the site-relative `path`.
    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        self.write(path, &std::fs::read(from)?)
    }
    /// Waits for the writes still under way; returns those that failed.
    fn flush(&self) -> FailedWrites {
        Vec::new()
    }
}

/// Writes that failed: the site-relative path and the error.
pub type FailedWrites = Vec<(String, io::Error)>;

/// One write waiting for [`DiskSink`]'s writer.
enum Pending {
    Bytes(String, PathBuf, Vec<u8>),
    Copy(String, PathBuf, PathBuf),
}

/// Writes below a folder, creating sub-folders as needed.
///
/// The writes themselves happen on one writer thread fed through a short
/// queue: the pages are made in parallel, but creating entries in one folder
/// takes that folder's lock in the kernel, and two threads doing it at once
/// spend their time waiting for each other (a third of the system time of a
/// 10,000-note build). Writes go to the writer in batches: waking it for each
/// page took a fiftieth of a build. Failed writes are reported by
/// [`Sink::flush`].
pub struct DiskSink {
    root: PathBuf,
    queue: Mutex<Queue>,
    writer: Mutex<Option<std::thread::JoinHandle<FailedWrites>>>,
}

/// Writes gathered for the writer thread.
struct Queue {
    /// `None` once flushed.
    tx: Option<std::sync::mpsc::SyncSender<Vec<Pending>>>,
    batch: Vec<Pending>,
    /// Bytes of the pages in `batch`.
    bytes: usize,
}

/// A batch goes to the writer when it holds this many writes…
const BATCH_WRITES: usize = 32;
/// …or this many bytes.
const BATCH_BYTES: usize = 512 * 1024;
/// Batches waiting for the writer, at most: bounds the memory held by pages
/// made faster than the disk takes them.
const BATCHES_QUEUED: usize = 8;

impl DiskSink {
    /// A sink writing below `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Pending>>(BATCHES_QUEUED);
        let writer = std::thread::spawn(move || {
            // Files sharing a folder come in runs (search data, static files):
            // the last folder made is enough to skip making it again.
            let mut made: Option<PathBuf> = None;
            let mut failed = Vec::new();
            for job in rx.into_iter().flatten() {
                let (shown, target) = match &job {
                    Pending::Bytes(s, t, _) | Pending::Copy(s, t, _) => (s, t),
                };
                let parent = target.parent().filter(|p| made.as_deref() != Some(*p));
                let done = match parent {
                    Some(p) => std::fs::create_dir_all(p).map(|()| {
                        made = Some(p.to_path_buf());
                    }),
                    None => Ok(()),
                }
                .and_then(|()| match &job {
                    Pending::Bytes(_, t, bytes) => std::fs::write(t, bytes),
                    Pending::Copy(_, t, from) => std::fs::copy(from, t).map(|_| ()),
                });
                if let Err(e) = done {
                    failed.push((shown.clone(), e));
                }
            }
            failed
        });
        DiskSink {
            root: root.into(),
            queue: Mutex::new(Queue {
                tx: Some(tx),
                batch: Vec::with_capacity(BATCH_WRITES),
                bytes: 0,
            }),
            writer: Mutex::new(Some(writer)),
        }
    }

    fn target(&self, path: &str) -> io::Result<PathBuf> {
        if path.is_empty()
            || path.starts_with('/')
            || path
                .split('/')
                .any(|c| c == ".." || c == "." || c.is_empty())
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: `{path}`"),
            ));
        }
        Ok(self.root.join(path))
    }

    fn send(&self, job: Pending) -> io::Result<()> {
        let full = {
            let mut q = self
                .queue
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?;
            if q.tx.is_none() {
                return Err(io::Error::other("the output was already flushed"));
            }
            q.bytes += match &job {
                Pending::Bytes(_, _, b) => b.len(),
                Pending::Copy(..) => 0,
            };
            q.batch.push(job);
            if q.batch.len() >= BATCH_WRITES || q.bytes >= BATCH_BYTES {
                q.bytes = 0;
                let batch = std::mem::replace(&mut q.batch, Vec::with_capacity(BATCH_WRITES));
                q.tx.clone().map(|tx| (tx, batch))
            } else {
                None
            }
        };
        // Sent outside the lock: a full queue holds back only this thread.
        match full {
            Some((tx, batch)) => tx
                .send(batch)
                .map_err(|_| io::Error::other("the writer thread stopped")),
            None => Ok(()),
        }
    }
}

impl Sink for DiskSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_owned(path, bytes.to_vec())
    }
    fn write_owned(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        let target = self.target(path)?;
        self.send(Pending::Bytes(path.to_string(), target, bytes))
    }
    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let target = self.target(path)?;
        self.send(Pending::Copy(path.to_string(), target, from.to_path_buf()))
    }
    fn flush(&self) -> FailedWrites {
        if let Ok(mut q) = self.queue.lock() {
            let batch = std::mem::take(&mut q.batch);
            if let Some(tx) = q.tx.take() {
                // A failed send means the writer stopped: its join says why.
                let _ = tx.send(batch);
            }
        }
        let writer = self.writer.lock().ok().and_then(|mut w| w.take());
        match writer.map(|w| w.join()) {
            Some(Ok(failed)) => failed,
            Some(Err(_)) => vec![(
                String::new(),
                io::Error::other("the writer thread panicked"),
            )],
            None => Vec::new(),
        }
    }
}

impl Drop for DiskSink {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Keeps the site in memory (for `serve` and tests).
#[derive(Default)]
pub struct MemorySink {
    /// The files by site-relative path.
    pub files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.write_owned(path, bytes.to_vec())
    }
    fn write_owned(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.files
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .insert(path.to_string(), bytes);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_sink_refuses_to_leave_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let sink = DiskSink::new(dir.path());
        assert!(sink.write("a/b.html", b"x").is_ok());
        for bad in ["../x", "/etc/x", "a/../../x", ""] {
            assert!(sink.write(bad, b"x").is_err(), "{bad}");
        }
        assert!(sink.flush().is_empty());
        assert_eq!(std::fs::read(dir.path().join("a/b.html")).unwrap(), b"x");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn disk_sink_writes_every_batch_and_the_last_partial_one() {
        let dir = tempfile::tempdir().unwrap();
        let sink = DiskSink::new(dir.path());
        let n = 3 * BATCH_WRITES + 5;
        std::thread::scope(|s| {
            for t in 0..2 {
                let sink = &sink;
                s.spawn(move || {
                    for i in (t..n).step_by(2) {
                        let path = format!("p{i}/index.html");
                        sink.write_owned(&path, vec![b'x'; i]).unwrap();
                    }
                });
            }
        });
        // A page over the byte limit goes out at once.
        sink.write_owned("big.bin", vec![0; BATCH_BYTES + 1])
            .unwrap();
        assert!(sink.flush().is_empty());
        for i in 0..n {
            let bytes = std::fs::read(dir.path().join(format!("p{i}/index.html"))).unwrap();
            assert_eq!(bytes.len(), i, "p{i}");
        }
        let big = std::fs::metadata(dir.path().join("big.bin")).unwrap();
        assert_eq!(big.len(), (BATCH_BYTES + 1) as u64);
    }

    #[test]
    fn disk_sink_reports_failed_writes_at_flush() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "a file, not a folder").unwrap();
        let sink = DiskSink::new(dir.path());
        assert!(sink.write("a/b.html", b"x").is_ok());
        assert!(sink.write("c/d.html", b"y").is_ok());
        let failed = sink.flush();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0, "a/b.html");
        assert_eq!(std::fs::read(dir.path().join("c/d.html")).unwrap(), b"y");
        assert!(sink.write("e.html", b"z").is_err(), "no write after flush");
    }
}
