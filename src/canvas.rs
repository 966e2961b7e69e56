//! JSON Canvas (`.canvas`, <https://jsoncanvas.org/spec/1.0/>): reading a
//! canvas file, and writing it as the Markdown isokb draws.
//!
//! A canvas is a note: its page is the board, drawn at the coordinates of
//! the file. Its nodes are read here and written as Markdown between marker
//! code blocks (` ```canvas-node `, ` ```canvas-end `), so that each text
//! node goes through the site's own pipeline (wikilinks, callouts, math,
//! code, tags) and each file node is an embed (a note's content, an image)
//! or a link: the index then sees the canvas's links as any note's, for
//! backlinks, the graph and the findings. Render turns the markers into the
//! board's HTML and the edges' SVG ([`board_html`], [`node_open`]).

use crate::diagnostics::{Diagnostic, Kind, LineIndex, Position};
use crate::html::escape;
use serde_json::Value;
use std::collections::HashMap;

/// The marker languages: the board with its edges, a node's start, its end.
pub const BOARD: &str = "canvas";
/// A node's start (its JSON follows).
pub const NODE: &str = "canvas-node";
/// A node's end.
pub const END: &str = "canvas-end";
/// The board's end.
pub const CLOSE: &str = "canvas-close";
/// Nothing drawn is further than this from the origin, nor larger.
const FAR: f64 = 1_000_000.0;
/// Nodes drawn at most (a canvas beyond has a finding).
pub const MAX_NODES: usize = 20_000;

/// Whether a vault path is a canvas.
pub fn is_canvas(path: &crate::paths::VaultPath) -> bool {
    path.extension() == "canvas"
}

/// A node's box and look, as the markers carry it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Node {
    pub id: String,
    /// `text`, `file`, `link`, `group` (anything else is drawn as text).
    #[serde(rename = "type")]
    pub kind: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color: String,
    /// A group's label, a link's URL, a file's path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// A group's background image (its address on the site, set by render).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub background: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub background_style: String,
}

/// An edge between two nodes.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from_side: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to_side: String,
    pub from_arrow: bool,
    pub to_arrow: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

/// The board: its nodes' boxes (shifted so the top left one is at the
/// margin) and its edges.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Board {
    pub w: f64,
    pub h: f64,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// A canvas read: the Markdown that draws it, where each part of that
/// Markdown comes from in the file (for findings), and what was wrong.
pub struct Read {
    pub markdown: String,
    /// `(offset in markdown, position in the file)`, by offset.
    pub origins: Vec<(usize, Position)>,
    pub findings: Vec<Diagnostic>,
    /// The words of its text nodes and labels, for search.
    pub words: String,
    /// How many nodes are drawn.
    pub nodes: usize,
}

/// A marker's kind when a code block's `info` is one of this canvas's
/// markers: the marker language, then the canvas's mark (a hash of its
/// file), which no text of the file can hold. A node's own ` ```canvas-end `
/// block is its text.
pub fn marker<'a>(info: &'a str, mark: &str) -> Option<&'a str> {
    let mut words = info.split_whitespace();
    let kind = words.next()?;
    (kind.starts_with(BOARD) && words.next() == Some(mark) && words.next().is_none())
        .then_some(kind)
}

/// The mark of a canvas's markers, read off its first block (the board's).
pub fn mark_of(info: &str) -> Option<&str> {
    let mut words = info.split_whitespace();
    (words.next()? == BOARD).then(|| words.next()).flatten()
}

/// How many marker blocks the Markdown of a canvas holds once parsed: two
/// per node and two for the board when no node's text swallowed a marker
/// or passed for one.
pub fn marker_blocks(markdown: &str) -> usize {
    use pulldown_cmark::{CodeBlockKind, Event, Tag};
    let mut mark: Option<String> = None;
    let mut count = 0;
    for (e, _) in crate::markdown::events(markdown) {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = e {
            if mark.is_none() {
                mark = mark_of(&info).map(str::to_string);
            }
            if mark.as_deref().is_some_and(|m| marker(&info, m).is_some()) {
                count += 1;
            }
        }
    }
    count
}

/// The margin around the nodes, in pixels.
const MARGIN: f64 = 40.0;

fn number(v: &Value, key: &str) -> Option<f64> {
    let n = v.get(key)?.as_f64()?;
    n.is_finite().then_some(n)
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A colour as the file gives it: a preset `1`-`6` or `#rgb`/`#rrggbb`;
/// anything else is no colour.
fn colour(v: &Value) -> String {
    let c = text(v, "color").trim();
    let hex = c.strip_prefix('#').is_some_and(|h| {
        (h.len() == 3 || h.len() == 6) && h.chars().all(|ch| ch.is_ascii_hexdigit())
    });
    if matches!(c, "1" | "2" | "3" | "4" | "5" | "6") || hex {
        c.to_string()
    } else {
        String::new()
    }
}

/// Whether `markdown`, followed by a marker block, leaves the marker a
/// code block of its own: a text node cannot swallow what comes after it
/// (an unclosed fence, an unclosed `<!--`).
fn closes(markdown: &str, fence: &str, mark: &str) -> bool {
    let probe = format!("{markdown}\n\n{fence}{END} {mark}\n{fence}\n");
    let events = crate::markdown::events(&probe);
    let mut last_block_is_marker = false;
    let mut depth = 0usize;
    for (ev, _) in &events {
        use pulldown_cmark::{CodeBlockKind, Event, Tag};
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if depth == 0 => {
                last_block_is_marker = marker(info, mark) == Some(END);
                depth += 1;
            }
            Event::Start(_) => {
                if depth == 0 {
                    last_block_is_marker = false;
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(_) if depth == 0 => last_block_is_marker = false,
            _ => {}
        }
    }
    last_block_is_marker
}

/// A finding about the canvas at `path`.
fn finding(path: &str, message: String, at: Position) -> Diagnostic {
    Diagnostic::new(Kind::Canvas, path, message)
        .at(at)
        .help("JSON Canvas 1.0: https://jsoncanvas.org/spec/1.0/ — Obsidian writes these files; fix the file or open it in Obsidian and save it again")
}

/// Where nodes and edges are written: where each id next appears (they
/// come in the file's order, so each search goes on from the last).
struct Locator<'a> {
    source: &'a str,
    lines: LineIndex<'a>,
    cursor: usize,
}

impl Locator<'_> {
    fn at(&mut self, id: &str) -> Position {
        if id.is_empty() {
            return Position { line: 1, col: 1 };
        }
        let quoted = serde_json::to_string(id).unwrap_or_default();
        let from = self.cursor;
        let found = self.source[from..]
            .find(&quoted)
            .map(|o| o + from)
            .or_else(|| self.source.find(&quoted));
        match found {
            Some(o) => {
                self.cursor = o + quoted.len();
                self.lines.position(o)
            }
            None => Position { line: 1, col: 1 },
        }
    }
}

/// A node read, with its JSON and where it is written.
type Placed<'v> = (Node, &'v Value, Position);

/// Reads the canvas `source` of the file at `path`: the Markdown that
/// draws it, and findings for what cannot be drawn (never a panic).
pub fn read(source: &str, path: &str) -> Read {
    let mut findings = Vec::new();
    let doc: Value = if source.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_str(source).unwrap_or_else(|e| {
            let at = Position {
                line: e.line().max(1),
                col: e.column().max(1),
            };
            findings.push(finding(
                path,
                format!("the canvas is not valid JSON: {e}"),
                at,
            ));
            Value::Null
        })
    };
    let mut locator = Locator {
        source,
        lines: LineIndex::new(source),
        cursor: 0,
    };
    let (mut nodes, ids) = nodes_of(&doc, path, &mut locator, &mut findings);
    let edges = edges_of(&doc, &ids, path, &mut locator, &mut findings);
    let board = place(&mut nodes, edges);
    let (markdown, origins, words) = write(source, &board, &nodes);
    Read {
        markdown,
        origins,
        findings,
        words,
        nodes: board.nodes.len(),
    }
}

/// The nodes that can be drawn, and their indexes by id.
fn nodes_of<'v>(
    doc: &'v Value,
    path: &str,
    locator: &mut Locator,
    findings: &mut Vec<Diagnostic>,
) -> (Vec<Placed<'v>>, HashMap<String, usize>) {
    let raw = doc
        .get("nodes")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if raw.len() > MAX_NODES {
        let message = format!(
            "the canvas has {} nodes: the first {MAX_NODES} are drawn",
            raw.len()
        );
        findings.push(finding(path, message, Position { line: 1, col: 1 }));
    }
    let mut nodes: Vec<Placed> = Vec::new();
    let mut ids = HashMap::new();
    for (k, v) in raw.iter().take(MAX_NODES).enumerate() {
        let id = text(v, "id").to_string();
        let at = locator.at(&id);
        let named = if id.is_empty() {
            format!("#{}", k + 1)
        } else {
            format!("`{id}`")
        };
        let (Some(x), Some(y), Some(w), Some(h)) = (
            number(v, "x"),
            number(v, "y"),
            number(v, "width"),
            number(v, "height"),
        ) else {
            let message =
                format!("node {named} has no `x`, `y`, `width` and `height`: it is not drawn");
            findings.push(finding(path, message, at));
            continue;
        };
        if id.is_empty() {
            let message = format!("node {named} has no `id`: no edge can reach it");
            findings.push(finding(path, message, at));
        }
        if [x, y, w, h].iter().any(|n| n.abs() > FAR) {
            let message = format!(
                "node {named} is placed or sized beyond a million pixels: it is drawn at the edge"
            );
            findings.push(finding(path, message, at));
        }
        let kind = text(v, "type").to_string();
        let label = match kind.as_str() {
            "group" => text(v, "label"),
            "link" => text(v, "url"),
            "file" => text(v, "file"),
            _ => "",
        };
        let node = Node {
            id: id.clone(),
            label: label.to_string(),
            kind,
            x: x.clamp(-FAR, FAR),
            y: y.clamp(-FAR, FAR),
            w: w.clamp(1.0, FAR),
            h: h.clamp(1.0, FAR),
            color: colour(v),
            background: text(v, "background").to_string(),
            background_style: text(v, "backgroundStyle").to_string(),
        };
        if !id.is_empty() && ids.insert(id, nodes.len()).is_some() {
            let message = format!("two nodes have the id {named}: edges go to the last one");
            findings.push(finding(path, message, at));
        }
        nodes.push((node, v, at));
    }
    (nodes, ids)
}

/// The edges between nodes of the canvas.
fn edges_of(
    doc: &Value,
    ids: &HashMap<String, usize>,
    path: &str,
    locator: &mut Locator,
    findings: &mut Vec<Diagnostic>,
) -> Vec<Edge> {
    let raw = doc
        .get("edges")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut edges = Vec::new();
    for v in raw {
        let (from, to) = (text(v, "fromNode"), text(v, "toNode"));
        let id = text(v, "id");
        match (ids.get(from), ids.get(to)) {
            (Some(&a), Some(&b)) => edges.push(Edge {
                from: a,
                to: b,
                from_side: side(text(v, "fromSide")),
                to_side: side(text(v, "toSide")),
                from_arrow: text(v, "fromEnd") == "arrow",
                to_arrow: text(v, "toEnd") != "none",
                color: colour(v),
                label: text(v, "label").to_string(),
            }),
            _ => {
                let which = if ids.contains_key(from) || ids.contains_key(to) {
                    "one of them is"
                } else {
                    "neither is"
                };
                let message = format!("edge `{id}` joins `{from}` and `{to}`, and {which} no node of this canvas: it is not drawn");
                findings.push(finding(path, message, locator.at(id)));
            }
        }
    }
    edges
}

/// The board: every box shifted so the top left one is at the margin.
fn place(nodes: &mut [Placed], edges: Vec<Edge>) -> Board {
    let min_x = nodes
        .iter()
        .map(|(n, ..)| n.x)
        .fold(f64::INFINITY, f64::min);
    let min_y = nodes
        .iter()
        .map(|(n, ..)| n.y)
        .fold(f64::INFINITY, f64::min);
    if !nodes.is_empty() {
        for (n, ..) in nodes.iter_mut() {
            n.x += MARGIN - min_x;
            n.y += MARGIN - min_y;
        }
    }
    Board {
        w: nodes.iter().map(|(n, ..)| n.x + n.w).fold(0.0, f64::max) + MARGIN,
        h: nodes.iter().map(|(n, ..)| n.y + n.h).fold(0.0, f64::max) + MARGIN,
        nodes: nodes.iter().map(|(n, ..)| n.clone()).collect(),
        edges,
    }
}

/// The Markdown of the board, then of each node between its markers;
/// where each node's part comes from; the words to search.
fn write(
    source: &str,
    board: &Board,
    nodes: &[Placed],
) -> (String, Vec<(usize, Position)>, String) {
    let texts: String = nodes.iter().map(|(_, v, _)| text(v, "text")).collect();
    let fence = crate::markdown::fence_for(&texts);
    let mut markdown = String::new();
    let mut origins = vec![(0, Position { line: 1, col: 1 })];
    let mut words = String::new();
    // The markers' mark: a hash of the whole file, so no text in it can
    // write a block that passes for a marker.
    let mark = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        source.hash(&mut h);
        format!("{:016x}", h.finish())
    };
    let json = serde_json::to_string(board).unwrap_or_default();
    markdown.push_str(&format!("{fence}{BOARD} {mark}\n{json}\n{fence}\n\n"));
    for (k, (node, v, at)) in nodes.iter().enumerate() {
        let mut marker = node.clone();
        // The board has the boxes; a node's marker says which it is.
        marker.x = k as f64;
        let json = serde_json::to_string(&marker).unwrap_or_default();
        markdown.push_str(&format!("{fence}{NODE} {mark}\n{json}\n{fence}\n\n"));
        origins.push((markdown.len(), *at));
        let inner = match node.kind.as_str() {
            "file" => file_markdown(&node.label, text(v, "subpath")),
            // A group's background is an image of the vault, drawn behind it.
            "group" if !node.background.trim().is_empty() => {
                format!(
                    "![[{}]]",
                    node.background.replace(['[', ']', '|', '\n', '\r'], "")
                )
            }
            "link" | "group" => String::new(),
            _ => {
                let t = text(v, "text");
                if closes(t, &fence, &mark) {
                    t.to_string()
                } else {
                    // Its own fence or comment never closes: shown as written.
                    format!("<pre>{}</pre>", escape(t))
                }
            }
        };
        for w in [text(v, "text"), &node.label] {
            words.push_str(w);
            words.push(' ');
        }
        markdown.push_str(&inner);
        markdown.push_str(&format!("\n\n{fence}{END} {mark}\n{fence}\n\n"));
    }
    markdown.push_str(&format!("{fence}{CLOSE} {mark}\n{fence}\n"));
    for e in &board.edges {
        words.push_str(&e.label);
        words.push(' ');
    }
    (markdown, origins, words)
}

fn side(s: &str) -> String {
    match s {
        "top" | "right" | "bottom" | "left" => s.to_string(),
        _ => String::new(),
    }
}

/// A file node as Markdown: a note or an image embedded, another file linked.
fn file_markdown(file: &str, subpath: &str) -> String {
    let file = file.replace(['[', ']', '|', '\n', '\r'], "");
    if file.trim().is_empty() {
        return String::new();
    }
    let name = file.rsplit('/').next().unwrap_or(&file).to_string();
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let sub = subpath.trim().replace(['[', ']', '|', '\n', '\r'], "");
    let sub = if sub.is_empty() || sub.starts_with('#') {
        sub
    } else {
        format!("#{sub}")
    };
    match ext.as_str() {
        // A note: its content (or that part of it) under its title, linked.
        "md" => format!("![[{file}{sub}]]"),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "avif" | "bmp" => format!("![[{file}]]"),
        _ => format!("[[{file}|{name}]]"),
    }
}

/// The position in the file of `offset` in the canvas's Markdown.
pub fn origin(origins: &[(usize, Position)], offset: usize) -> Position {
    let k = origins.partition_point(|(o, _)| *o <= offset);
    origins
        .get(k.saturating_sub(1))
        .map_or(Position { line: 1, col: 1 }, |(_, p)| *p)
}

/// The CSS colour of a canvas colour (`1`…`6` are the theme's presets).
fn css_colour(c: &str) -> Option<String> {
    match c {
        "" => None,
        "1" | "2" | "3" | "4" | "5" | "6" => Some(format!("var(--canvas-{c})")),
        hex => Some(hex.to_string()),
    }
}

fn px(n: f64) -> String {
    format!("{}", (n * 10.0).round() / 10.0)
}

/// Where an edge leaves a node: the middle of `side`, else the side facing
/// the other node.
fn anchor(n: &Node, side: &str, other: &Node) -> (f64, f64, &'static str) {
    let (cx, cy) = (n.x + n.w / 2.0, n.y + n.h / 2.0);
    let side = match side {
        "top" => "top",
        "bottom" => "bottom",
        "left" => "left",
        "right" => "right",
        _ => {
            let (ox, oy) = (other.x + other.w / 2.0, other.y + other.h / 2.0);
            let (dx, dy) = (ox - cx, oy - cy);
            if dx.abs() * n.h > dy.abs() * n.w {
                if dx > 0.0 {
                    "right"
                } else {
                    "left"
                }
            } else if dy > 0.0 {
                "bottom"
            } else {
                "top"
            }
        }
    };
    match side {
        "top" => (cx, n.y, "top"),
        "bottom" => (cx, n.y + n.h, "bottom"),
        "left" => (n.x, cy, "left"),
        _ => (n.x + n.w, cy, "right"),
    }
}

fn outward(side: &str, d: f64) -> (f64, f64) {
    match side {
        "top" => (0.0, -d),
        "bottom" => (0.0, d),
        "left" => (-d, 0.0),
        _ => (d, 0.0),
    }
}

/// A node's end.
pub const NODE_CLOSE: &str = "</div></div>";
/// The board's end.
pub const BOARD_CLOSE: &str = "</div></div></figure>";

/// The board's opening HTML: the frame, the drawing area at the file's
/// size, and the edges as SVG (curves between the nodes' sides, arrow
/// ends, colours, labels). The nodes follow, each from [`node_open`].
pub fn board_html(json: &str, label: &str) -> String {
    let board: Board = serde_json::from_str(json).unwrap_or_default();
    let mut svg = String::new();
    for (k, e) in board.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (board.nodes.get(e.from), board.nodes.get(e.to)) else {
            continue;
        };
        let (x1, y1, s1) = anchor(a, &e.from_side, b);
        let (x2, y2, s2) = anchor(b, &e.to_side, a);
        let d = ((x2 - x1).hypot(y2 - y1) / 2.0).clamp(30.0, 150.0);
        let (c1x, c1y) = outward(s1, d);
        let (c2x, c2y) = outward(s2, d);
        let stroke = css_colour(&e.color).unwrap_or_else(|| "var(--canvas-edge)".into());
        svg.push_str(&format!(
            "<path d=\"M{} {} C{} {} {} {} {} {}\" style=\"stroke:{stroke}\"/>",
            px(x1),
            px(y1),
            px(x1 + c1x),
            px(y1 + c1y),
            px(x2 + c2x),
            px(y2 + c2y),
            px(x2),
            px(y2),
        ));
        // Arrow heads: triangles whose tip touches the node, pointing into it.
        for (on, x, y, s) in [(e.from_arrow, x1, y1, s1), (e.to_arrow, x2, y2, s2)] {
            if on {
                let (ox, oy) = outward(s, 1.0);
                let (bx, by) = (x + ox * 12.0, y + oy * 12.0);
                let (px_, py_) = (-oy * 6.0, ox * 6.0);
                svg.push_str(&format!(
                    "<path class=\"canvas-arrow\" d=\"M{} {} L{} {} L{} {} Z\" style=\"fill:{stroke}\"/>",
                    px(x),
                    px(y),
                    px(bx + px_),
                    px(by + py_),
                    px(bx - px_),
                    px(by - py_),
                ));
            }
        }
        if !e.label.is_empty() {
            // The curve's middle: its Bézier point at t = 0.5.
            let mx = (x1 + 3.0 * (x1 + c1x) + 3.0 * (x2 + c2x) + x2) / 8.0;
            let my = (y1 + 3.0 * (y1 + c1y) + 3.0 * (y2 + c2y) + y2) / 8.0;
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" class=\"canvas-edge-label\" data-edge=\"{k}\">{}</text>",
                px(mx),
                px(my),
                escape(&e.label)
            ));
        }
    }
    format!(
        "<figure class=\"canvas\" role=\"group\" aria-label=\"{}\"><div class=\"canvas-viewport\" tabindex=\"0\"><div class=\"canvas-board\" style=\"width:{}px;height:{}px\"><svg class=\"canvas-edges\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" aria-hidden=\"true\">{svg}</svg>",
        escape(label),
        px(board.w),
        px(board.h),
        px(board.w),
        px(board.h),
        px(board.w),
        px(board.h),
    )
}

/// A node's opening HTML, from its marker and the board's boxes (its
/// content follows, then [`NODE_CLOSE`]); `background` gives a group's
/// background image's address on the page, for a `repeat` background.
pub fn node_open(json: &str, board: &Board, background: &dyn Fn(&str) -> Option<String>) -> String {
    let Ok(marker) = serde_json::from_str::<Node>(json) else {
        return "<div class=\"canvas-node\">".into();
    };
    let k = marker.x as usize;
    let n = board.nodes.get(k).unwrap_or(&marker);
    let mut style = format!(
        "left:{}px;top:{}px;width:{}px;height:{}px",
        px(n.x),
        px(n.y),
        px(n.w),
        px(n.h)
    );
    if let Some(c) = css_colour(&n.color) {
        style.push_str(&format!(";--canvas-color:{c}"));
    }
    let kind = match n.kind.as_str() {
        "file" | "link" | "group" => n.kind.as_str(),
        _ => "text",
    };
    let coloured = if n.color.is_empty() {
        ""
    } else {
        " canvas-coloured"
    };
    match kind {
        "group" => {
            let fit = match n.background_style.as_str() {
                "ratio" => " canvas-bg-ratio",
                "repeat" => " canvas-bg-repeat",
                _ => "",
            };
            // A pattern is a CSS background; cover and ratio are the image
            // the group's content shows.
            if let Some(url) = (n.background_style == "repeat")
                .then(|| background(&n.background))
                .flatten()
            {
                style.push_str(&format!(
                    ";background-image:url('{}')",
                    url.replace(['\'', '"', '\\', '(', ')', '<', '>'], "")
                ));
            }
            format!(
                "<div class=\"canvas-node canvas-group{coloured}{fit}\" style=\"{style}\">{}<div class=\"canvas-node-content\">",
                if n.label.is_empty() {
                    String::new()
                } else {
                    format!("<span class=\"canvas-group-label\">{}</span>", escape(&n.label))
                }
            )
        }
        "link" => {
            let url = n.label.trim();
            let safe = url.starts_with("https://") || url.starts_with("http://");
            let host = url
                .split("://")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .unwrap_or(url);
            let body = if safe {
                format!(
                    "<a class=\"canvas-link-card\" href=\"{}\" rel=\"noopener nofollow\"><span class=\"canvas-link-host\">{}</span><span class=\"canvas-link-url\">{}</span></a>",
                    escape(url),
                    escape(host),
                    escape(url)
                )
            } else {
                format!("<span class=\"canvas-link-url\">{}</span>", escape(url))
            };
            format!(
                "<div class=\"canvas-node canvas-link{coloured}\" style=\"{style}\"><div class=\"canvas-node-content\">{body}"
            )
        }
        _ => format!(
            "<div class=\"canvas-node canvas-{kind}{coloured}\" style=\"{style}\"><div class=\"canvas-node-content\">"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r##"{
  "nodes": [
    {"id":"g","type":"group","x":-100,"y":-100,"width":600,"height":400,"label":"Groupe","color":"4"},
    {"id":"t","type":"text","x":-80,"y":-60,"width":250,"height":120,"text":"# Titre\n\nVoir [[Note]] et `code`.","color":"#ff0000"},
    {"id":"f","type":"file","x":200,"y":-60,"width":250,"height":200,"file":"Dossier/Note.md","subpath":"#Partie"},
    {"id":"i","type":"file","x":200,"y":200,"width":100,"height":100,"file":"img/carte.png"},
    {"id":"l","type":"link","x":600,"y":0,"width":200,"height":80,"url":"https://example.org/page"}
  ],
  "edges": [
    {"id":"e1","fromNode":"t","fromSide":"right","toNode":"f","toSide":"left","label":"lien"},
    {"id":"e2","fromNode":"f","toNode":"l","fromEnd":"arrow","toEnd":"none","color":"2"},
    {"id":"e3","fromNode":"t","toNode":"nulle-part"}
  ]
}"##;

    #[test]
    fn a_canvas_is_markdown_between_markers() {
        let r = read(SAMPLE, "Plan.canvas");
        assert!(r.markdown.starts_with("```canvas "), "{}", r.markdown);
        assert_eq!(marker_blocks(&r.markdown), 12);
        assert!(r.markdown.contains("# Titre\n\nVoir [[Note]] et `code`."));
        assert!(r.markdown.contains("\n![[Dossier/Note.md#Partie]]\n"));
        assert!(r.markdown.contains("![[img/carte.png]]"));
        assert_eq!(r.markdown.matches("```canvas-node ").count(), 5);
        assert_eq!(r.markdown.matches("```canvas-end ").count(), 5);
        // The missing node is the one finding, at the edge's place in the file.
        assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        assert_eq!(r.findings[0].kind, Kind::Canvas);
        assert_eq!(r.findings[0].pos, Some(Position { line: 12, col: 11 }));
        assert!(r.findings[0].message.contains("`nulle-part`"));
        // Each node's Markdown is placed at the node in the file.
        let at = r.markdown.find("Voir [[Note]]").unwrap();
        assert_eq!(origin(&r.origins, at).line, 4);
        assert!(r.words.contains("Groupe") && r.words.contains("lien"));
    }

    #[test]
    fn the_board_is_drawn_at_the_files_coordinates() {
        let r = read(SAMPLE, "Plan.canvas");
        let json = r.markdown.lines().nth(1).unwrap();
        let board: Board = serde_json::from_str(json).unwrap();
        // Shifted so the top left group sits at the margin.
        assert_eq!((board.nodes[0].x, board.nodes[0].y), (40.0, 40.0));
        assert_eq!((board.w, board.h), (980.0, 480.0));
        let html = board_html(json, "Plan");
        assert!(html.contains("style=\"width:980px;height:480px\""));
        // right side of t (x 20+250=… shifted) to the left side of f.
        assert!(
            html.contains("<path d=\"M310 140 C340 140 310 180 340 180\""),
            "{html}"
        );
        // e1 ends in an arrow at f's left side (340, 180), pointing right;
        // e2 starts with one at f's right side and ends without.
        assert!(
            html.contains("<path class=\"canvas-arrow\" d=\"M340 180 L328 174 L328 186 Z\""),
            "{html}"
        );
        assert!(
            html.contains("<path class=\"canvas-arrow\" d=\"M590 180 L602 186 L602 174 Z\""),
            "{html}"
        );
        assert_eq!(html.matches("canvas-arrow").count(), 2, "{html}");
        assert!(html.contains("stroke:var(--canvas-2)"));
        assert!(html.contains(">lien</text>"));
        let node = node_open(
            r#"{"id":"l","type":"link","x":4,"y":0,"w":1,"h":1,"label":"https://example.org/page"}"#,
            &board,
            &|_| None,
        );
        assert!(
            node.contains("left:740px;top:140px;width:200px;height:80px"),
            "{node}"
        );
        assert!(
            node.contains("href=\"https://example.org/page\"") && node.contains(">example.org<")
        );
        let r = read(
            r#"{"nodes":[{"id":"x","type":"link","x":0,"y":0,"width":9,"height":9,"url":"javascript:alert(1)"}]}"#,
            "X.canvas",
        );
        let board: Board = serde_json::from_str(r.markdown.lines().nth(1).unwrap()).unwrap();
        let js = node_open(
            r#"{"id":"x","type":"link","x":0,"y":0,"w":1,"h":1}"#,
            &board,
            &|_| None,
        );
        assert!(
            !js.contains("href") && js.contains("javascript:alert(1)"),
            "{js}"
        );
    }

    #[test]
    fn hostile_canvases_are_findings_not_panics() {
        for (src, expect) in [
            ("{", "not valid JSON"),
            ("[]", ""),
            ("{\"nodes\":[{\"type\":\"text\",\"x\":0,\"y\":0,\"width\":1,\"height\":1}]}", "has no `id`"),
            ("{\"nodes\":[{\"id\":\"a\",\"type\":\"text\"}]}", "has no `x`"),
            ("{\"nodes\":[{\"id\":\"a\",\"type\":\"text\",\"x\":1e300,\"y\":0,\"width\":1,\"height\":1}]}", "beyond a million"),
            ("{\"nodes\":[{\"id\":\"a\",\"type\":\"text\",\"x\":0,\"y\":0,\"width\":1,\"height\":1,\"text\":\"```\\nopen\"}]}", ""),
            ("{\"nodes\":[{\"id\":\"a\",\"type\":\"text\",\"x\":0,\"y\":0,\"width\":1,\"height\":1,\"text\":\"<!-- open\"}]}", ""),
        ] {
            let r = read(src, "X.canvas");
            let all: String = r.findings.iter().map(|d| d.message.clone()).collect();
            assert!(expect.is_empty() && all.is_empty() || all.contains(expect), "{src}: {all}");
            // Every node keeps its markers: nothing is swallowed.
            assert_eq!(marker_blocks(&r.markdown), 2 + 2 * r.nodes, "{src}: {}", r.markdown);
        }
        let many: Vec<String> = (0..5000)
            .map(|i| format!("{{\"id\":\"n{i}\",\"type\":\"text\",\"x\":{i},\"y\":0,\"width\":10,\"height\":10,\"text\":\"n{i}\"}}"))
            .collect();
        let src = format!("{{\"nodes\":[{}]}}", many.join(","));
        let r = read(&src, "Big.canvas");
        assert!(r.findings.is_empty());
        assert_eq!(r.markdown.matches("```canvas-node ").count(), 5000);
    }
}
