//! Replays the fuzz targets' checks (`fuzz/src/checks.rs`, the same code
//! `cargo fuzz` runs) on every input saved under `fuzz/regressions/<target>/`
//! (inputs that once crashed, kept so the fix stays) and on a few hand-made
//! hostile seeds.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

fn saved(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

const SEEDS: &[&str] = &[
    "",
    "---",
    "---\n",
    "---\n---",
    "---\ntitle: [\n---\n",
    "---\r\ntags: [a, b]\r\n---\r\nbody",
    "\u{feff}---\naliases: !!binary aGk=\n---\n",
    "---\n&a [*a]\n---\n",
    "[[",
    "![[#^]]",
    "[[a#]] [[#]] [[|]] ![[a#^blk|x]]",
    "> [!note]- \n> > [!tip]+\n> > ![[a]]",
    "$$\n\\frac{\n$$ `$x` $\\sqrt{$",
    "```mermaid\ngraph TD\nA-->\n```",
    "%% unclosed comment [[a]]",
    "==a **b== c** ~~d",
    "- [?] x\n  - [/] y ^id\n\n^id",
    "[^1]: x\n[^1]\n^[inline [[a]]]",
    "#tag/ #/tag #1 #tag//x #é",
    "<script>alert(1)</script>[[Note#Rôle]]",
];

fn replay(target: &str, check: fn(&[u8])) {
    let inputs = saved(target);
    for (name, data) in &inputs {
        check(data);
        eprintln!("{target}: {name} ok");
    }
    for seed in SEEDS {
        check(seed.as_bytes());
    }
    // Odd bytes too: invalid UTF-8, UTF-16 with a BOM, NUL.
    for bytes in [
        &b"\xff\xfe-\x00-\x00-\x00"[..],
        b"caf\xe9 [[a]]",
        b"\x00\x00---\n",
    ] {
        check(bytes);
    }
}

#[test]
fn frontmatter_inputs_never_crash() {
    replay("frontmatter", checks::frontmatter);
}

#[test]
fn parse_inputs_never_crash() {
    replay("parse", checks::parse);
}

/// Expressions and bases that once were, or could be, hostile.
const BASE_SEEDS: &[&str] = &[
    "views:\n  - type: table\n    filters: 'formula.f'\nformulas:\n  f: formula.f",
    "formulas:\n  a: formula.b\n  b: formula.a\nviews:\n  - order: [formula.a]",
    "filters:\n  and:\n    - or:\n      - not: ['x']\n    - 5\n    - {}\n    - []\nviews: {}",
    "views:\n  - type: cards\n    image: note.x\n    groupBy: {property: year}\n    summaries: {year: Nope}",
    "\"x\".repeat(1e18)",
    "\"x\".repeat(-1).split(\"\", -5)",
    "[1,2,3].slice(-99, 99999999999)",
    "(1/0).toFixed(500)",
    "/(a+)+$/.matches(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\")",
    "/[/",
    "date(\"9999-12-31\") + \"1y\"",
    "date(\"0001-01-01\") - \"99999y\"",
    "now() + duration(\"1e400d\")",
    "number(\"1e999\").round(99)",
    "file.links.map(value.asFile().links).flat().reduce(acc + 1, 0)",
    "this.file.backlinks[0].properties",
    "link(link(link(this)))",
    "{}.a.b.c[0][1]",
    "year.format(\"YYYY\").date().relative()",
    "values.filter(value.isType(\"number\")).reduce(if(acc == null || value > acc, value, acc), null)",
];

#[test]
fn bases_inputs_never_crash() {
    replay("bases", checks::bases);
    for seed in BASE_SEEDS {
        checks::bases(seed.as_bytes());
    }
}

/// Canvases that are, or could be, hostile: not JSON, wrong types, missing
/// boxes and ids, edges to nowhere, huge numbers, text that never closes.
const CANVAS_SEEDS: &[&str] = &[
    "",
    "{",
    "null",
    "[1,2]",
    "{\"nodes\": 5, \"edges\": \"x\"}",
    "{\"nodes\": [null, 1, \"x\", [], {}]}",
    "{\"nodes\": [{\"id\": 5, \"type\": [], \"x\": \"0\", \"y\": 0, \"width\": 1, \"height\": 1}]}",
    "{\"nodes\": [{\"id\": \"a\", \"type\": \"text\", \"x\": 1e308, \"y\": -1e308, \"width\": 1e308, \"height\": -5, \"text\": \"<!-- open\"}]}",
    "{\"nodes\": [{\"id\": \"a\", \"type\": \"group\", \"x\": 0, \"y\": 0, \"width\": 9, \"height\": 9, \"background\": \"]]|[[\", \"color\": \"<script>\"}, {\"id\": \"a\", \"type\": \"group\", \"x\": 1, \"y\": 1, \"width\": 5, \"height\": 5}]}",
    "{\"nodes\": [{\"id\": \"f\", \"type\": \"file\", \"x\": 0, \"y\": 0, \"width\": 9, \"height\": 9, \"file\": \"c.canvas\", \"subpath\": \"#^x\"}, {\"id\": \"l\", \"type\": \"link\", \"x\": 0, \"y\": 0, \"width\": 9, \"height\": 9, \"url\": \"javascript:alert(1)\"}], \"edges\": [{\"id\": \"e\", \"fromNode\": \"f\", \"toNode\": \"f\", \"fromSide\": \"nowhere\"}, {\"fromNode\": \"x\"}]}",
    "{\"nodes\": [{\"id\": \"t\", \"type\": \"text\", \"x\": 0, \"y\": 0, \"width\": 9, \"height\": 9, \"text\": \"````\\n```canvas-end\\n```\\n</div></div></figure><script>alert(1)</script>\"}]}",
];

#[test]
fn canvas_inputs_never_crash() {
    replay("canvas", checks::canvas);
    for seed in CANVAS_SEEDS {
        checks::canvas(seed.as_bytes());
    }
}

#[test]
fn render_inputs_never_crash() {
    replay("render", checks::render);
}
