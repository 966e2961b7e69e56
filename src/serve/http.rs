//! The HTTP side of `serve`: the only module that knows axum.
//!
//! Pages are served from memory, never from the vault, so no request can
//! reach a file that is not part of the site: traversal and symlink escapes
//! have nothing to reach. Every response says `Cache-Control: no-store`.
//! `/__isokb/ws` is the live-reload WebSocket on the same port. Pages are
//! stamped with the version of the files they come from, which the socket's
//! greeting lets the browser compare with the files served now.

use super::{Shared, Version, VERSION_MARK};
use axum::body::{Body, Bytes};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// The path of the live-reload WebSocket.
pub const WS_PATH: &str = "/__isokb/ws";

/// The application: WebSocket route and the site's files.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(WS_PATH, get(ws))
        .fallback(file)
        .with_state(shared)
}

async fn ws(upgrade: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    upgrade.on_upgrade(move |socket| client(socket, shared))
}

async fn client(mut socket: WebSocket, shared: Arc<Shared>) {
    // Subscribed before the version is read: a rebuild in between is both
    // in the greeting and in a message that follows.
    let mut rx = shared.events.subscribe();
    let hello = format!(
        "{{\"type\":\"hello\",\"version\":\"{}\"}}",
        shared.served().1
    );
    let status = shared.status();
    for text in [hello.as_str(), status.as_str()] {
        if socket.send(Message::Text(text.into())).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            msg = rx.recv() => match msg {
                Ok(text) => {
                    if socket.send(Message::Text(text.as_str().into())).await.is_err() {
                        return;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

/// Maps a request path to a site file: `/a/b/` → `a/b/index.html`.
/// `None` for paths that can never name a site file.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = crate::paths::decode_percent(raw);
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// The content type of a site file.
pub fn content_type(path: &str) -> &'static str {
    match path
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" => "audio/ogg",
        "m4a" => "audio/mp4",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

async fn file(State(shared): State<Arc<Shared>>, req: Request<Body>) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    }
    let Some(path) = site_path(req.uri().path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad request");
    };
    let (files, version) = shared.served();
    let (status, path, body) = match files.get(path.as_str()) {
        Some(b) => (StatusCode::OK, path, b.clone()),
        None => {
            // `/a/b` for a page: send the browser to `/a/b/` so relative links work.
            let dir = format!("{path}/index.html");
            if files.contains_key(dir.as_str()) {
                let location = format!("{}/", req.uri().path().trim_end_matches('/'));
                return Response::builder()
                    .status(StatusCode::MOVED_PERMANENTLY)
                    .header(header::LOCATION, location)
                    .header(header::CACHE_CONTROL, "no-store")
                    .body(Body::empty())
                    .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "error"));
            }
            match files.get("404.html") {
                Some(b) => (StatusCode::NOT_FOUND, "404.html".to_string(), b.clone()),
                None => return plain(StatusCode::NOT_FOUND, "not found"),
            }
        }
    };
    let mut res = if req.method() == Method::HEAD {
        Response::new(Body::empty())
    } else if path.ends_with(".html") {
        Response::new(Body::from(stamp(&body, version)))
    } else {
        Response::new(Body::from(body))
    };
    *res.status_mut() = status;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&path)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// The page with the live-reload client's version mark (the last one: the
/// client comes after the note's text) replaced by the version it is from.
pub fn stamp(page: &Bytes, version: Version) -> Bytes {
    match memchr::memmem::rfind(page, VERSION_MARK.as_bytes()) {
        Some(at) => {
            let version = version.to_string();
            let mut out = Vec::with_capacity(page.len() + version.len());
            out.extend_from_slice(&page[..at]);
            out.extend_from_slice(version.as_bytes());
            out.extend_from_slice(&page[at + VERSION_MARK.len()..]);
            Bytes::from(out)
        }
        None => page.clone(),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_site_files_or_nothing() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/a/b/").as_deref(), Some("a/b/index.html"));
        assert_eq!(
            site_path("/_static/style.css").as_deref(),
            Some("_static/style.css")
        );
        assert_eq!(
            site_path("/img/Photo%201.png").as_deref(),
            Some("img/Photo 1.png")
        );
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/etc/passwd",
            "/a/..%2f..%2fx",
            "/x%00.html",
            "/a\\..\\b",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
    }

    #[test]
    fn pages_are_stamped_with_their_version_in_the_client_only() {
        let v = Version { boot: 7, build: 42 };
        let page = Bytes::from(format!(
            "<p>{VERSION_MARK} « écrit »</p><script>var v=\"{VERSION_MARK}\";</script>"
        ));
        assert_eq!(
            stamp(&page, v),
            Bytes::from(format!(
                "<p>{VERSION_MARK} « écrit »</p><script>var v=\"7-42\";</script>"
            ))
        );
        let plain = Bytes::from_static(b"<p>no client</p>");
        assert_eq!(stamp(&plain, v), plain);
        assert_eq!(content_type("x.PNG"), "image/png");
    }
}
