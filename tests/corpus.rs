//! The bad-input corpus: hostile and broken vaults that `build` and `check`
//! must survive with a clear finding, never a panic, a hang or a read outside
//! the vault. Each case is a tiny vault generated in a temporary folder.

mod common;

use isokb::diagnostics::Kind;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-VAULT";

type Setup = fn(&Path);

struct Case {
    name: &'static str,
    setup: Setup,
    /// Findings that must be reported: kind, end of the path, line (0: any).
    expect: &'static [(Kind, &'static str, usize)],
}

fn w(root: &Path, path: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join("vault").join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "yaml-unclosed-flow",
            setup: |r| w(r, "a.md", "---\ntags: [a, b\n---\nx"),
            expect: &[(Kind::FrontMatter, "a.md", 0)],
        },
        Case {
            name: "yaml-bad-indent",
            setup: |r| w(r, "a.md", "---\ntitle: x\n  bad: indent\n---\n"),
            expect: &[(Kind::FrontMatter, "a.md", 3)],
        },
        Case {
            name: "yaml-tabs",
            setup: |r| w(r, "a.md", "---\ntags:\n\t- a\n---\n"),
            expect: &[(Kind::FrontMatter, "a.md", 0)],
        },
        Case {
            name: "yaml-unquoted-colon",
            setup: |r| w(r, "a.md", "---\ntitle: ISO: the basics: again\n---\n"),
            expect: &[(Kind::FrontMatter, "a.md", 2)],
        },
        Case {
            name: "yaml-duplicate-key",
            setup: |r| w(r, "a.md", "---\ntitle: a\ntitle: b\n---\n"),
            expect: &[(Kind::FrontMatter, "a.md", 0)],
        },
        Case {
            name: "yaml-billion-laughs",
            setup: |r| {
                let mut y = String::from("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
                for (i, c) in "bcdefghi".chars().enumerate() {
                    let p = (b'a' + i as u8) as char;
                    y.push_str(&format!(
                        "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                    ));
                }
                y.push_str("---\nbody");
                w(r, "a.md", y)
            },
            expect: &[],
        },
        Case {
            name: "yaml-unclosed-block",
            setup: |r| w(r, "a.md", "---\ntitle: x\nbody without end\n"),
            expect: &[(Kind::FrontMatter, "a.md", 1)],
        },
        Case {
            name: "yaml-is-a-list",
            setup: |r| w(r, "a.md", "---\n- a\n- b\n---\n"),
            expect: &[(Kind::FrontMatter, "a.md", 2)],
        },
        Case {
            name: "yaml-is-a-scalar",
            setup: |r| w(r, "a.md", "---\njust words\n---\n"),
            expect: &[(Kind::FrontMatter, "a.md", 2)],
        },
        Case {
            name: "latin-1",
            setup: |r| w(r, "a.md", b"# Caf\xe9\nd\xe9j\xe0"),
            expect: &[(Kind::Encoding, "a.md", 1)],
        },
        Case {
            name: "utf-16-le",
            setup: |r| {
                w(
                    r,
                    "a.md",
                    [0xFF, 0xFE]
                        .into_iter()
                        .chain("# Été".encode_utf16().flat_map(u16::to_le_bytes))
                        .collect::<Vec<u8>>(),
                )
            },
            expect: &[(Kind::Encoding, "a.md", 1)],
        },
        Case {
            name: "utf-16-be",
            setup: |r| {
                w(
                    r,
                    "a.md",
                    [0xFE, 0xFF]
                        .into_iter()
                        .chain("# Été".encode_utf16().flat_map(u16::to_be_bytes))
                        .collect::<Vec<u8>>(),
                )
            },
            expect: &[(Kind::Encoding, "a.md", 1)],
        },
        Case {
            name: "binary-named-md",
            setup: |r| w(r, "img.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"),
            expect: &[(Kind::Encoding, "img.md", 1)],
        },
        Case {
            name: "big-note-50mb",
            setup: |r| {
                w(
                    r,
                    "big.md",
                    "Une ligne de texte ordinaire, sans rien de spécial.\n".repeat(50_000_000 / 52),
                )
            },
            expect: &[],
        },
        Case {
            name: "long-single-line",
            setup: |r| w(r, "long.md", "mot ".repeat(2_500_000)),
            expect: &[],
        },
        Case {
            name: "100k-links",
            setup: |r| {
                w(
                    r,
                    "links.md",
                    (0..100_000)
                        .map(|i| format!("[[n{}]] ", i % 50))
                        .collect::<String>(),
                )
            },
            expect: &[(Kind::BrokenLink, "links.md", 1)],
        },
        Case {
            name: "deep-lists",
            setup: |r| w(r, "deep.md", format!("{}x\n", "- ".repeat(10_000))),
            expect: &[],
        },
        Case {
            name: "deep-quotes",
            setup: |r| w(r, "deep.md", format!("{} x\n", ">".repeat(10_000))),
            expect: &[],
        },
        Case {
            name: "deep-callouts",
            setup: |r| {
                w(
                    r,
                    "deep.md",
                    (1..=200)
                        .map(|d| format!("{} [!note] level {d}\n", ">".repeat(d)))
                        .collect::<String>(),
                )
            },
            expect: &[],
        },
        Case {
            name: "embed-cycle-1",
            setup: |r| w(r, "a.md", "![[a]]"),
            expect: &[(Kind::EmbedCycle, ".md", 0)],
        },
        Case {
            name: "embed-cycle-2",
            setup: |r| {
                w(r, "a.md", "![[b]]");
                w(r, "b.md", "![[a]]");
            },
            expect: &[(Kind::EmbedCycle, ".md", 0)],
        },
        Case {
            name: "embed-cycle-3",
            setup: |r| {
                w(r, "a.md", "![[b]]");
                w(r, "b.md", "![[c]]");
                w(r, "c.md", "![[a]]");
            },
            expect: &[(Kind::EmbedCycle, ".md", 0)],
        },
        Case {
            name: "embed-cycle-4",
            setup: |r| {
                for (a, b) in [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")] {
                    w(r, &format!("{a}.md"), format!("![[{b}]]"));
                }
            },
            expect: &[(Kind::EmbedCycle, ".md", 0)],
        },
        Case {
            name: "embed-cycle-5-and-sections",
            setup: |r| {
                for (a, b) in [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "a")] {
                    w(r, &format!("{a}.md"), format!("## S\n![[{b}#S]]"));
                }
            },
            expect: &[(Kind::EmbedCycle, ".md", 0)],
        },
        Case {
            name: "embed-depth",
            setup: |r| (0..12).for_each(|i| w(r, &format!("n{i}.md"), format!("![[n{}]]", i + 1))),
            expect: &[(Kind::EmbedCycle, ".md", 0)],
        },
        Case {
            name: "self-links",
            setup: |r| w(r, "a.md", "# A\n[[a]] [[#A]] [[a#A]] ![[a#^x]]\ntext ^x"),
            expect: &[(Kind::EmbedCycle, ".md", 0)],
        },
        Case {
            name: "dotdot-links",
            setup: |r| {
                std::fs::write(r.join("secret.md"), SECRET).unwrap();
                w(r, "sub/a.md", "[[../../secret]] [x](../../secret.md) ![[../../secret]] [[../../../../etc/passwd]]");
            },
            expect: &[(Kind::BrokenLink, "a.md", 1)],
        },
        Case {
            name: "absolute-links",
            setup: |r| {
                std::fs::write(r.join("secret.md"), SECRET).unwrap();
                let abs = r.join("secret.md");
                w(
                    r,
                    "a.md",
                    format!(
                        "[[{}]] [x]({}) ![[/etc/passwd]] [y](file:///etc/passwd)",
                        abs.display(),
                        abs.display()
                    ),
                );
            },
            expect: &[(Kind::BrokenLink, "a.md", 1)],
        },
        Case {
            name: "encoded-traversal",
            setup: |r| {
                std::fs::write(r.join("secret.md"), SECRET).unwrap();
                w(
                    r,
                    "a.md",
                    "[x](..%2F..%2Fsecret.md) [y](%2E%2E/secret.md) ![z](..%2f..%2fsecret.png)",
                );
            },
            expect: &[(Kind::BrokenLink, "a.md", 1)],
        },
        Case {
            name: "symlink-out-of-vault",
            setup: |r| {
                std::fs::write(r.join("secret.md"), SECRET).unwrap();
                std::fs::write(r.join("secret.png"), SECRET).unwrap();
                w(r, "a.md", "[[leak]] ![[leak.png]]");
                symlink(r.join("secret.md"), r.join("vault/leak.md")).unwrap();
                symlink(r.join("secret.png"), r.join("vault/leak.png")).unwrap();
                symlink(r, r.join("vault/parent")).unwrap();
            },
            expect: &[(Kind::Io, "leak.md", 0), (Kind::BrokenLink, "a.md", 1)],
        },
        Case {
            name: "symlink-loops",
            setup: |r| {
                w(r, "a.md", "x");
                std::fs::create_dir_all(r.join("vault/d")).unwrap();
                symlink(r.join("vault/d"), r.join("vault/d/loop")).unwrap();
                symlink(r.join("vault/self.md"), r.join("vault/self.md")).unwrap();
            },
            expect: &[(Kind::Io, "self.md", 0)],
        },
        Case {
            name: "newline-in-name",
            setup: |r| w(r, "a\nb.md", "# Nom\n[[a\nb]]"),
            expect: &[],
        },
        Case {
            name: "control-chars-in-name",
            setup: |r| w(r, "ctl\u{1}\u{7f}\u{1b}[31m.md", "x"),
            expect: &[],
        },
        Case {
            name: "reserved-names",
            setup: |r| {
                for n in [
                    "CON.md",
                    "aux.md",
                    "tags.md",
                    "_static.md",
                    "index.html.md",
                    "404.md",
                    ".md",
                    "-.md",
                    "---.md",
                ] {
                    w(r, n, format!("# {n}"));
                }
            },
            expect: &[(Kind::DuplicateSlug, "tags.md", 0)],
        },
        Case {
            name: "case-only-names",
            setup: |r| {
                w(r, "Note.md", "upper");
                w(r, "note.md", "lower");
                w(r, "x.md", "[[note]] [[NOTE]]");
            },
            expect: &[
                (Kind::DuplicateSlug, "note.md", 0),
                (Kind::AmbiguousLink, "x.md", 1),
            ],
        },
        Case {
            name: "unicode-form-names",
            setup: |r| {
                w(r, "R\u{e9}union.md", "nfc");
                w(r, "Re\u{301}union.md", "nfd");
                w(r, "x.md", "[[Réunion]]");
            },
            expect: &[(Kind::DuplicateSlug, "union.md", 0)],
        },
        Case {
            name: "empty-vault",
            setup: |r| std::fs::create_dir_all(r.join("vault")).unwrap(),
            expect: &[],
        },
        Case {
            name: "only-attachments",
            setup: |r| {
                w(r, "a.png", b"\x89PNG");
                w(r, "b/c.pdf", "%PDF");
            },
            expect: &[],
        },
        Case {
            name: "fifo-named-md",
            setup: |r| {
                w(r, "a.md", "x");
                let p = r.join("vault/pipe.md");
                let c = std::ffi::CString::new(p.to_string_lossy().as_bytes()).unwrap();
                // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            },
            expect: &[],
        },
        Case {
            name: "empty-links",
            setup: |r| {
                w(
                    r,
                    "a.md",
                    "[[]] [[|]] [[#]] [[#^]] ![[]] [](<>) [[ ]] [[\\|x]]",
                )
            },
            expect: &[],
        },
        Case {
            name: "many-tags",
            setup: |r| {
                w(
                    r,
                    "a.md",
                    (0..10_000).map(|i| format!("#t{i} ")).collect::<String>(),
                )
            },
            expect: &[],
        },
        Case {
            name: "weird-callouts",
            setup: |r| {
                w(
                    r,
                    "a.md",
                    "> [!]\n> [!<script>]\n> [!a b]- x\n> [!NOTE]+\n>\n> [!note]",
                )
            },
            expect: &[],
        },
        Case {
            name: "only-front-matter",
            setup: |r| w(r, "a.md", "---\ntitle: Seul\n---"),
            expect: &[],
        },
        Case {
            name: "deep-folders",
            setup: |r| w(r, &format!("{}n.md", "d/".repeat(60)), "[[n]]"),
            expect: &[],
        },
        Case {
            name: "nul-in-text",
            setup: |r| w(r, "a.md", "# a\0b"),
            expect: &[(Kind::Encoding, "a.md", 1)],
        },
        Case {
            name: "crlf-and-lone-cr",
            setup: |r| w(r, "a.md", "---\r\ntitle: x\r\n---\r\n# y\r[[z]]\r\n"),
            expect: &[],
        },
        Case {
            name: "canvas-not-json",
            setup: |r| {
                w(r, "a.canvas", "{\"nodes\": [\n  {\"id\": \"x\",,}\n]}");
                w(r, "b.canvas", [0xef, 0xbb, 0xbf, b'{', b'}']);
            },
            expect: &[(Kind::Canvas, "a.canvas", 2)],
        },
        Case {
            name: "canvas-hostile-nodes",
            setup: |r| {
                let mut nodes: Vec<String> = (0..5000)
                    .map(|i| format!("{{\"id\":\"n{i}\",\"type\":\"text\",\"x\":{},\"y\":{},\"width\":50,\"height\":20,\"text\":\"n{i} [[a]]\"}}", i % 100 * 60, i / 100 * 30))
                    .collect();
                nodes.push("{\"id\":\"g1\",\"type\":\"group\",\"x\":0,\"y\":0,\"width\":900,\"height\":900}".into());
                nodes.push("{\"id\":\"g2\",\"type\":\"group\",\"x\":10,\"y\":10,\"width\":50,\"height\":50,\"label\":\"<script>alert(1)</script>\"}".into());
                nodes.push("{\"id\":\"far\",\"type\":\"text\",\"x\":1e300,\"y\":0,\"width\":1,\"height\":1,\"text\":\"<script>alert(2)</script><img src=x onerror=alert(3)>\"}".into());
                nodes.push("{\"type\":\"text\"}".into());
                let edges = "{\"id\":\"e1\",\"fromNode\":\"n0\",\"toNode\":\"nowhere\"}";
                w(
                    r,
                    "big.canvas",
                    format!(
                        "{{\"nodes\":[\n{}\n],\"edges\":[\n{edges}\n]}}",
                        nodes.join(",\n")
                    ),
                );
                w(r, "a.md", "![[big.canvas]] ![[big.canvas]]");
            },
            expect: &[(Kind::Canvas, "big.canvas", 0)],
        },
    ]
}

/// Runs `f` on another thread and fails the case if it takes too long.
fn bounded<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    rx.recv_timeout(Duration::from_secs(180))
        .unwrap_or_else(|_| panic!("{name}: hung or panicked"))
}

#[test]
fn corpus_has_forty_cases() {
    assert!(cases().len() >= 40, "{}", cases().len());
}

#[test]
fn every_hostile_vault_builds_and_checks_cleanly() {
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        (case.setup)(dir.path());
        let vault = dir.path().join("vault");
        std::fs::create_dir_all(&vault).unwrap();
        let name = case.name;
        let v = vault.clone();
        let checked = bounded(name, move || {
            isokb::check::analyze(&v, &isokb::Overrides::default())
        });
        let site = checked.unwrap_or_else(|d| {
            panic!(
                "{name}: check could not run: {}",
                d.render(isokb::diagnostics::Level::Error)
            )
        });
        let v = vault.clone();
        let (built, files) = bounded(name, move || {
            isokb::build_in_memory(&v, &isokb::Overrides::default(), &Default::default())
        })
        .unwrap_or_else(|d| {
            panic!(
                "{name}: build could not run: {}",
                d.render(isokb::diagnostics::Level::Error)
            )
        });
        assert_eq!(
            site.diagnostics,
            built
                .diagnostics
                .iter()
                .filter(|d| d.kind != Kind::Template)
                .cloned()
                .collect::<Vec<_>>(),
            "{name}: check and build disagree"
        );
        for (kind, path, line) in case.expect {
            let found = site.diagnostics.iter().any(|d| {
                d.kind == *kind
                    && d.path.ends_with(path)
                    && (*line == 0 || d.pos.map(|p| p.line) == Some(*line))
            });
            assert!(
                found,
                "{name}: expected {kind} at {path}:{line}; got {:#?}",
                site.diagnostics
            );
        }
        for d in &site.diagnostics {
            assert!(!d.message.is_empty(), "{name}: empty message");
            if matches!(
                d.kind,
                Kind::FrontMatter | Kind::BrokenLink | Kind::Encoding | Kind::EmbedCycle
            ) {
                assert!(
                    d.pos.is_some() || d.kind == Kind::EmbedCycle,
                    "{name}: {} has no position",
                    d.kind
                );
            }
        }
        for (path, bytes) in &files {
            assert!(
                !String::from_utf8_lossy(bytes).contains(SECRET),
                "{name}: {path} holds a file from outside the vault"
            );
            assert!(
                !path.contains("..") && !path.starts_with('/'),
                "{name}: bad output path {path:?}"
            );
        }
        assert!(
            files.contains_key("index.html") && files.contains_key("404.html"),
            "{name}: site incomplete"
        );
    }
}
