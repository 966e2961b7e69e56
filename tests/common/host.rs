//! A static host as GitHub Pages and its like are: the site under a path,
//! folders served by their `index.html`, and the site's `404.html` (with
//! status 404) for any address that has no file.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

/// A listening host: bind first (the port may go into `base_url`), then serve.
pub struct Host {
    listener: TcpListener,
    pub port: u16,
}

impl Host {
    pub fn bind() -> Host {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        Host { listener, port }
    }

    /// Serves `site` at `prefix` (`/kb/`) until the test process ends.
    pub fn serve(self, site: &Path, prefix: &'static str) -> u16 {
        let site = site.to_path_buf();
        std::thread::spawn(move || {
            for stream in self.listener.incoming().map_while(Result::ok) {
                let site = site.clone();
                std::thread::spawn(move || answer(stream, &site, prefix));
            }
        });
        self.port
    }
}

fn answer(mut stream: TcpStream, site: &Path, prefix: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // The rest of the request's head.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split(' ').nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = decode(path);
    let file = path
        .strip_prefix(prefix)
        .filter(|rest| !rest.split('/').any(|s| s == ".."))
        .map(|rest| {
            let mut f = site.join(rest);
            if rest.is_empty() || rest.ends_with('/') {
                f = f.join("index.html");
            }
            f
        });
    let (status, body, kind) = match file {
        Some(f) if f.is_file() => ("200 OK", std::fs::read(&f).unwrap(), type_of(&f)),
        Some(f) if f.is_dir() => {
            let to = format!("{path}/");
            let head = format!("HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            return;
        }
        _ => (
            "404 Not Found",
            std::fs::read(site.join("404.html")).unwrap_or_default(),
            "text/html; charset=utf-8",
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn type_of(f: &Path) -> &'static str {
    match f.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded (as UTF-8).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
