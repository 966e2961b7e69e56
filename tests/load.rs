//! The preview server under load, on loopback only: many concurrent page
//! requests and WebSocket clients while notes are edited, slow clients that
//! must not block others, and malformed requests.

mod common;

use common::server::Server;
use common::write_files;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = (0..50)
        .map(|i| {
            (
                format!("content/n{i}.md"),
                format!("# N{i}\n\n[[n{}]] texte\n", (i + 1) % 50),
            )
        })
        .collect();
    files.push(("site.toml".into(), "title = \"Load\"\n".into()));
    files.push(("content/live.md".into(), "# Live\n\nmarker-0\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_files(dir.path(), &refs);
    dir
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

fn round(server: &Server, dir: &Path, round: usize) -> usize {
    let port = server.port;
    let failures = Arc::new(AtomicUsize::new(0));
    let mut ws_clients: Vec<_> = (0..100).map(|_| server.websocket()).collect();
    let workers: Vec<_> = (0..200)
        .map(|t| {
            let failures = failures.clone();
            std::thread::spawn(move || {
                for k in 0..5 {
                    let path = format!("/n{}/", (t + k) % 50);
                    let ok = (|| -> std::io::Result<bool> {
                        let mut s = TcpStream::connect(("127.0.0.1", port))?;
                        s.set_read_timeout(Some(Duration::from_secs(20)))?;
                        write!(
                            s,
                            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        )?;
                        let mut buf = Vec::new();
                        s.read_to_end(&mut buf)?;
                        Ok(buf.starts_with(b"HTTP/1.1 200"))
                    })();
                    if !matches!(ok, Ok(true)) {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for edit in 1..=3 {
        std::fs::write(
            dir.join("content/live.md"),
            format!("# Live\n\nmarker-{round}-{edit}\n"),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
    for w in workers {
        w.join().unwrap();
    }
    // Every WebSocket client hears about the edits.
    for ws in &mut ws_clients {
        common::server::next_message(ws, |m| m["type"] == "reload");
    }
    failures.load(Ordering::Relaxed)
}

use std::path::Path;

#[test]
fn hundreds_of_clients_while_notes_change() {
    let dir = vault();
    let server = Server::start(dir.path(), &[]);
    let pid = server.child.id();
    assert_eq!(
        round(&server, dir.path(), 1),
        0,
        "failed requests in round 1"
    );
    let after_first = rss_kib(pid);
    for r in 2..=3 {
        assert_eq!(
            round(&server, dir.path(), r),
            0,
            "failed requests in round {r}"
        );
    }
    let after_last = rss_kib(pid);
    assert!(
        after_last < after_first + 64 * 1024,
        "memory grew from {after_first} KiB to {after_last} KiB"
    );
    // No stale page after the last rebuild.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server.get("/live/").2.contains("marker-3-3") {
        assert!(
            Instant::now() < deadline,
            "stale page after the last rebuild"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn slow_clients_do_not_block_others_and_garbage_gets_400() {
    let dir = vault();
    let server = Server::start(dir.path(), &[]);
    // Slowloris: connections that send half a request head and then stall.
    let slow: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    let start = Instant::now();
    let (status, _, body) = server.get("/n1/");
    assert_eq!(status, 200);
    assert!(body.contains("N1"));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "a normal request waited {:?}",
        start.elapsed()
    );
    for garbage in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET /\0 HTTP/1.1\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"\xff\xfe\r\n\r\n",
    ] {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(garbage).unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let head = String::from_utf8_lossy(&buf);
        assert!(
            head.starts_with("HTTP/1.1 400") || head.starts_with("HTTP/1.1 505") || buf.is_empty(),
            "{garbage:?} → {head}"
        );
    }
    let (status, _, _) = server.get("/");
    assert_eq!(status, 200, "the server survived");
    drop(slow);
}
