#!/usr/bin/env python3
"""Scans a built isokb site for Obsidian syntax a reader would see raw (stdlib only).

    scripts/fidelity.py SITE_DIR [--json OUT] [--max N] [--allow REGEX ...]

Reads the note body (`<div class="note-body">`) of every page, drops code
(`<pre>`, `<code>`, `<kbd>`, math), and reports text that still looks like
Obsidian's syntax: `[[…]]` and `![[…]]`, `==…==`, `%%`, `[!type]`, `^[…]`,
`$$`, a `^block-id` at the end of a line, and table rows (`| … |`) left as
text. Also counts broken embeds and links (`broken-link`) and embeds of
missing sections. Prints one line per finding (page: kind: excerpt) and a
summary; exits 1 when something raw is found, 0 otherwise. `--allow` drops
findings whose excerpt matches (text the author escaped on purpose, such as
`\\[\\[Wikilinks\\]\\]`, which Obsidian shows as `[[Wikilinks]]` too).

Run on a vault: `isokb build --root VAULT -o /tmp/site && scripts/fidelity.py /tmp/site`.
"""

import argparse
import json
import os
import re
import sys
from html.parser import HTMLParser

SKIP = {"pre", "code", "kbd", "math", "script", "style", "svg", "samp"}
VOID = {"br", "img", "input", "hr", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "track"}

PATTERNS = [
    ("wikilink", re.compile(r"!?\[\[[^\]\n]{1,200}\]\]")),
    ("highlight", re.compile(r"==[^=\n]{1,200}==")),
    ("comment", re.compile(r"%%")),
    ("callout", re.compile(r"\[![A-Za-z][\w-]*\][+-]?")),
    ("inline-footnote", re.compile(r"\^\[[^\]\n]{1,200}\]")),
    ("math", re.compile(r"\$\$")),
    ("block-id", re.compile(r"(?:^|\s)\^[A-Za-z0-9-]{2,}\s*$", re.M)),
    ("table-row", re.compile(r"^\s*\|[^\n]*\|[^\n]*\|\s*$", re.M)),
]


class Body(HTMLParser):
    """The visible text of the note body, code left out, one line per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside the note body (div nesting)
        self.skip = 0
        self.text = []
        self.broken = 0
        self.missing = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if self.depth == 0:
            if tag == "div" and "note-body" in cls.split():
                self.depth = 1
            return
        if tag == "div":
            self.depth += 1
        if "broken-link" in cls.split():
            self.broken += 1
        if "embed-missing" in cls.split():
            self.missing += 1
        if tag in SKIP:
            self.skip += 1
        if tag in ("p", "li", "div", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th"):
            self.text.append("\n")

    def handle_endtag(self, tag):
        if self.depth == 0:
            return
        if tag in SKIP and self.skip:
            self.skip -= 1
        if tag == "div":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.text.append(data)


def scan(site, limit, allow=()):
    found = []
    pages = 0
    totals = {"broken": 0, "missing-section": 0}
    for root, _, files in os.walk(site):
        for f in files:
            if f != "index.html":
                continue
            path = os.path.join(root, f)
            with open(path, encoding="utf-8", errors="replace") as h:
                html = h.read()
            if 'class="note-body"' not in html:
                continue
            pages += 1
            b = Body()
            b.feed(html)
            totals["broken"] += b.broken
            totals["missing-section"] += b.missing
            text = "".join(b.text)
            rel = os.path.relpath(path, site)
            for kind, rx in PATTERNS:
                for m in rx.finditer(text):
                    if any(a.search(m.group(0)) for a in allow):
                        continue
                    s = max(0, m.start() - 30)
                    found.append((rel, kind, text[s : m.end() + 30].replace("\n", " ⏎ ").strip()))
    found.sort()
    for rel, kind, excerpt in found[:limit]:
        print(f"{rel}: {kind}: {excerpt}")
    kinds = {}
    for _, k, _ in found:
        kinds[k] = kinds.get(k, 0) + 1
    print(
        f"{pages} note pages, {len(found)} raw syntax findings {kinds or ''}, "
        f"{totals['broken']} broken links or embeds, {totals['missing-section']} embeds of missing sections",
        file=sys.stderr,
    )
    return found, pages, kinds, totals


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site")
    ap.add_argument("--json")
    ap.add_argument("--max", type=int, default=200)
    ap.add_argument("--allow", action="append", default=[])
    a = ap.parse_args()
    found, pages, kinds, totals = scan(a.site, a.max, [re.compile(x) for x in a.allow])
    if a.json:
        with open(a.json, "w") as h:
            json.dump({"pages": pages, "kinds": kinds, "totals": totals,
                       "findings": [list(f) for f in found]}, h, indent=1, ensure_ascii=False)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
