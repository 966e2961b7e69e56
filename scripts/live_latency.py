#!/usr/bin/env python3
"""Edit-to-reload latency of `isokb serve` (Python 3.8+, standard library only).

    python3 scripts/live_latency.py --vault DIR [--isokb target/release/isokb]
        [--note REL/PATH.md] [--edits 10] [--json OUT.json] [--log SERVER.log]

Starts `isokb serve --root DIR --port 0` (the process is this script's child, in its
own process group, stopped at the end), reads the address from its
`serving http://127.0.0.1:PORT/` line, opens the live-reload WebSocket
ws://127.0.0.1:PORT/__isokb/ws (a minimal RFC 6455 client: handshake, unmasked server
frames, masked client frames) and waits for the greeting ({"type":"hello"}) and the
first {"type":"status"} message.

Then, twice --edits times:
  body   the note's body gets a unique marker line;
  title  the `title:` in its front matter gets the marker (every page that shows the
         title is rendered again: backlinks, listings, tag pages, search data).
Each save is what editors do: write a temporary file beside the note, rename it over
the note. The time is taken from the start of the save to (1) the first
{"type":"reload"} message whose `changed` list holds the note's page, and (2) the end
of the first GET of that page that serves the marker. The page is asked of the
server: the search data (`"u"` of the entry whose `"t"` is the note's title), or the
path isokb's slug rule gives when that page shows the title. After a title
edit a page the note links to is fetched too: its backlinks must show the new title.

Without --note, the note is picked from the vault: the one whose number of incoming
wikilinks is the median among notes that have some (ties: first path), so the title
edit re-renders a typical number of pages. The note is restored at the end, whatever
happens. Prints every edit and min / median / max in ms; --json writes them all.
"""

import argparse
import base64
import hashlib
import html
import json
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

WS_PATH = "/__isokb/ws"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
WIKILINK = re.compile(r"!?\[\[([^\[\]|#^]+)(?:#[^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")


# ----------------------------------------------------------------------------- websocket

class WebSocket:
    """Just enough of RFC 6455 for a client that reads text messages."""

    def __init__(self, host, port, path, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(req.encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("connection closed during the WebSocket handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/1.1 101"):
            raise ConnectionError(f"WebSocket handshake refused: {lines[0]}")
        headers = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            headers[k.strip().lower()] = v.strip()
        want = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != want:
            raise ConnectionError("bad Sec-WebSocket-Accept in the handshake answer")
        self.sock.settimeout(None)
        self.lock = threading.Lock()

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("WebSocket closed by the server")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, opcode, payload=b""):
        """A single masked frame (clients must mask)."""
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with self.lock:
            self.sock.sendall(head + mask + body)

    def recv_message(self):
        """The next text or binary message (fragments joined); None on close."""
        parts, first_op = [], None
        while True:
            b0, b1 = self._read(2)
            fin, op = b0 & 0x80, b0 & 0x0F
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(self._read(2), "big")
            elif n == 127:
                n = int.from_bytes(self._read(8), "big")
            mask = self._read(4) if b1 & 0x80 else None
            data = self._read(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            if op == 0x8:  # close: answer it, then stop
                try:
                    self.send(0x8, data[:2])
                except OSError:
                    pass
                return None
            if op == 0x9:  # ping
                self.send(0xA, data)
                continue
            if op == 0xA:
                continue
            if op in (0x1, 0x2):
                first_op, parts = op, [data]
            elif op == 0x0:
                parts.append(data)
            if fin and first_op is not None:
                msg = b"".join(parts)
                return msg.decode("utf-8") if first_op == 0x1 else msg

    def close(self):
        try:
            self.send(0x8, (1000).to_bytes(2, "big") + b"done")
            self.sock.settimeout(2.0)
            while self.recv_message() is not None:
                pass
        except (OSError, ConnectionError, ValueError):
            pass
        finally:
            self.sock.close()


def reader(ws, q):
    """Puts (monotonic time of arrival, parsed message) on q; (t, None) at the end."""
    try:
        while True:
            msg = ws.recv_message()
            t = time.monotonic()
            if msg is None:
                break
            try:
                q.put((t, json.loads(msg)))
            except ValueError:
                q.put((t, {"type": "?", "raw": msg}))
    except (OSError, ConnectionError, ValueError):
        pass
    q.put((time.monotonic(), None))


# ----------------------------------------------------------------------------- vault

def front_matter(text):
    """(front matter lines, index of the closing '---' line) or (None, None)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, None
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return lines[1:i], i
    return None, None


def yaml_value(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        try:
            return json.loads(v)
        except ValueError:
            return v[1:-1]
    if len(v) >= 2 and v[0] == "'" and v[-1] == "'":
        return v[1:-1].replace("''", "'")
    return v


def note_meta(text, stem):
    title, aliases = None, []
    fm, _ = front_matter(text)
    if fm:
        key = None
        for ln in fm:
            m = re.match(r"^([A-Za-z_]+):\s*(.*)$", ln)
            if m:
                key, val = m.group(1).lower(), m.group(2)
                if key == "title" and val.strip():
                    title = yaml_value(val)
                elif key in ("aliases", "alias") and val.strip():
                    v = val.strip()
                    if v.startswith("["):
                        aliases += [yaml_value(x) for x in v.strip("[]").split(",") if x.strip()]
                    else:
                        aliases.append(yaml_value(v))
            elif key in ("aliases", "alias") and ln.strip().startswith("- "):
                aliases.append(yaml_value(ln.strip()[2:]))
    return title or stem, aliases


def fold(s):
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


def scan_vault(root):
    """Every note: path -> (title, aliases, outgoing link targets as written)."""
    notes = {}
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.endswith(".md"):
                continue
            p = os.path.join(dirpath, f)
            rel = os.path.relpath(p, root).replace(os.sep, "/")
            with open(p, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            title, aliases = note_meta(text, f[:-3])
            notes[rel] = (title, aliases, [m.group(1).strip() for m in WIKILINK.finditer(text)])
    return notes


def resolve_all(notes):
    """Incoming link counts and outgoing targets, with isokb's rules roughly (path, name, alias)."""
    by_key = {}
    for rel in notes:
        stem = rel[:-3]
        by_key.setdefault(fold(stem), rel)
        by_key.setdefault(fold(stem.rsplit("/", 1)[-1]), rel)
    for rel, (_, aliases, _) in notes.items():
        for a in aliases:
            by_key.setdefault(fold(a), rel)
    incoming = {rel: 0 for rel in notes}
    outgoing = {}
    for rel, (_, _, links) in notes.items():
        outs = []
        for target in links:
            hit = by_key.get(fold(target[:-3] if target.endswith(".md") else target))
            if hit and hit != rel:
                outs.append(hit)
        for hit in dict.fromkeys(outs):
            incoming[hit] += 1
        outgoing[rel] = list(dict.fromkeys(outs))
    return incoming, outgoing


def slugify(text):
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def atomic_write(path, text):
    d, name = os.path.split(path)
    tmp = os.path.join(d, f".{name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def with_marker_in_body(text, marker):
    return text.rstrip("\n") + f"\n\nMarqueur de rechargement {marker}.\n"


def with_marker_in_title(text, title, marker):
    new = json.dumps(f"{title} {marker}", ensure_ascii=False)
    fm, end = front_matter(text)
    lines = text.split("\n")
    if fm is not None:
        for i in range(1, end):
            if re.match(r"^title:", lines[i]):
                lines[i] = f"title: {new}"
                return "\n".join(lines)
        lines.insert(1, f"title: {new}")
        return "\n".join(lines)
    return f"---\ntitle: {new}\n---\n" + text


# ----------------------------------------------------------------------------- server

def fetch(url, timeout=10.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""


class Server:
    def __init__(self, argv, log_path):
        self.lines = []
        self.addr = None
        self.ready = threading.Event()
        self.log = open(log_path, "w", encoding="utf-8") if log_path else None
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.lines.append((time.monotonic(), line))
            if self.log:
                self.log.write(line + "\n")
                self.log.flush()
            m = re.search(r"serving (http://[^/\s]+)/", line)
            if m and not self.ready.is_set():
                self.addr = m.group(1)
                self.ready_at = time.monotonic()
                self.ready.set()
        self.ready.set()

    def rss(self):
        out = {}
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for ln in f:
                    if ln.startswith(("VmHWM", "VmRSS")):
                        out[ln.split(":")[0]] = int(ln.split()[1]) / 1024.0
        except OSError:
            pass
        return out

    def rebuild_lines(self, since):
        return [ln for t, ln in self.lines if t >= since and ln.startswith(("rebuilt", "rebuild"))]

    def stop(self):
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGINT, 5), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                try:
                    os.kill(self.proc.pid, sig)  # our own child, by its pid
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
                except ProcessLookupError:
                    break
        if self.log:
            self.log.close()


def search_entries(js):
    """Title/URL pairs from search data: the one-file index (`window.ISOKB_SEARCH=[…]`) or
    a document shard (`window.ISOKB_SEARCH_SHARD("name",{…});`)."""
    js = js.strip().rstrip(";")
    try:
        if js.startswith("window.ISOKB_SEARCH="):
            data = json.loads(js[len("window.ISOKB_SEARCH="):])
            return [(e.get("t"), e.get("u")) for e in data if isinstance(e, dict)]
        if js.startswith("window.ISOKB_SEARCH_SHARD(") and js.endswith(")"):
            inner = js[len("window.ISOKB_SEARCH_SHARD("):-1]
            name, _, rest = inner.partition(",")
            data = json.loads(rest)
            if isinstance(data, dict) and "t" in data and "u" in data:
                return [(data["t"], data["u"])]
    except ValueError:
        pass
    return []


def find_page(base, title, rel, scan_docs=True):
    """The site path of a note's page (`slug/index.html`), asked of the server.

    1. the one-file search index, when the site has one;
    2. the path isokb's slug rule gives, if that page exists and shows the title;
    3. the per-document search files (`search/d/<n>.js`), one by one."""
    status, js = fetch(base + "/search-index.js")
    if status == 200:
        hits = [u for t, u in search_entries(js) if t == title]
        if len(hits) == 1:
            return hits[0]
    guess = "/".join(slugify(p) for p in rel[:-3].split("/")) + "/index.html"
    status, body = fetch(f"{base}/{urllib.parse.quote(guess)}")
    if status == 200 and title in html.unescape(body):
        return guess
    if scan_docs:
        for n in range(1_000_000):
            status, js = fetch(f"{base}/search/d/{n}.js")
            if status != 200:
                break
            for t, u in search_entries(js):
                if t == title:
                    return u
    return None


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return [float(x) for x in f.read().split()[:3]]
    except OSError:
        return list(os.getloadavg())


def summary(xs):
    if not xs:
        return "no successful edit"
    return (f"min {min(xs):.0f} / median {statistics.median(xs):.0f} / max {max(xs):.0f} ms "
            f"({len(xs)} edits)")


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vault", required=True, help="the folder given to `isokb serve --root`")
    ap.add_argument("--isokb", default=None, help="isokb binary (default: target/release/isokb)")
    ap.add_argument("--note", help="note to edit, relative to the content folder")
    ap.add_argument("--content", default=None,
                    help="content folder if not the vault itself (default: DIR/content when "
                         "DIR/site.toml exists, else DIR)")
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--quiet", type=float, default=0.4,
                    help="seconds of calm before each edit (longer than the debounce)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one reload")
    ap.add_argument("--ready-timeout", type=float, default=900.0)
    ap.add_argument("--modes", default="body,title")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--log", help="write the server's stderr here")
    a = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    isokb = a.isokb or os.path.join(here, "..", "target", "release", "isokb")
    if not os.access(isokb, os.X_OK):
        sys.exit(f"error: no isokb binary at {isokb} (cargo build --release, or --isokb PATH)")
    vault = os.path.abspath(a.vault)
    content = a.content or (os.path.join(vault, "content")
                            if os.path.exists(os.path.join(vault, "site.toml")) else vault)

    t_scan = time.monotonic()
    notes = scan_vault(content)
    if not notes:
        sys.exit(f"error: no notes in {content}")
    incoming, outgoing = resolve_all(notes)
    if a.note:
        rel = a.note.replace(os.sep, "/")
        if rel not in notes:
            sys.exit(f"error: {rel} is not a note of {content}")
    else:
        linked = sorted((c, r) for r, c in incoming.items() if c > 0) or [(0, sorted(notes)[0])]
        want = linked[len(linked) // 2][0]
        rel = min(r for c, r in linked if c == want)
    title, _, _ = notes[rel]
    path = os.path.join(content, *rel.split("/"))
    with open(path, encoding="utf-8", newline="") as f:
        original = f.read()
    print(f"note: {rel} (title {title!r}, {incoming[rel]} notes link to it, it links to "
          f"{len(outgoing[rel])}); vault scanned in {time.monotonic() - t_scan:.1f} s",
          flush=True)

    result = {"note": rel, "title": title, "backlinks": incoming[rel],
              "notes": len(notes), "load_start": loadavg()}
    server = Server([isokb, "serve", "--root", vault, "--port", "0"], a.log)
    ws = None
    failures = []
    try:
        if not server.ready.wait(a.ready_timeout) or not server.addr:
            tail = "\n".join(ln for _, ln in server.lines[-15:])
            sys.exit(f"error: `isokb serve` did not print its address (exit "
                     f"{server.proc.poll()}):\n{tail}")
        result["startup_s"] = server.ready_at - server.t0
        base = server.addr
        host, port = urllib.parse.urlparse(base).hostname, urllib.parse.urlparse(base).port
        if host not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"error: refusing a non-loopback address {base}")
        print(f"server: {base}/ ready {result['startup_s']:.2f} s after start "
              f"(initial build included)", flush=True)

        page = find_page(base, title, rel)
        if page is None:
            sys.exit(f"error: cannot find the page of {rel} on the server")
        page_url = f"{base}/{urllib.parse.quote(page)}"
        linked_page = None
        for target in outgoing[rel]:
            linked_page = find_page(base, notes[target][0], target, scan_docs=False)
            if linked_page:
                break
        result["page"] = page

        ws = WebSocket(host, port, WS_PATH)
        q = queue.Queue()
        threading.Thread(target=reader, args=(ws, q), daemon=True).start()
        t, msg = q.get(timeout=10)
        # The server greets with {"type":"hello","version":…} (the version
        # of the pages it serves), then sends the status.
        if msg and msg.get("type") == "hello":
            t, msg = q.get(timeout=10)
        if not msg or msg.get("type") != "status":
            sys.exit(f"error: the first WebSocket message after the greeting is not a status: {msg}")
        if msg.get("errors"):
            print(f"note: the server reports {len(msg['errors'])} errors at start")

        def drain():
            seen = []
            while True:
                try:
                    seen.append(q.get_nowait())
                except queue.Empty:
                    return seen

        def one_edit(mode, k):
            time.sleep(a.quiet)
            extra = [m for _, m in drain() if m and m.get("type") == "reload"]
            if extra:
                failures.append(f"{mode} {k}: {len(extra)} extra reload(s) before the edit")
            marker = f"LIVE{os.getpid()}x{mode[0]}{k}"
            text = (with_marker_in_body(original, marker) if mode == "body"
                    else with_marker_in_title(original, title, marker))
            t0 = time.monotonic()
            atomic_write(path, text)
            deadline = t0 + a.timeout
            got, reloads = None, 0
            while got is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    t, m = q.get(timeout=left)
                except queue.Empty:
                    break
                if m is None:
                    raise ConnectionError("the WebSocket closed")
                if m.get("type") == "status" and m.get("errors"):
                    failures.append(f"{mode} {k}: rebuild errors {m['errors'][:3]}")
                if m.get("type") == "reload":
                    reloads += 1
                    if page in m.get("changed", []):
                        got = (t, m)
                    else:
                        failures.append(f"{mode} {k}: a reload without the page "
                                        f"({len(m.get('changed', []))} changed)")
            if got is None:
                failures.append(f"{mode} {k}: no reload naming {page} within {a.timeout:.0f} s")
                print(f"  {mode} edit {k}: no reload within {a.timeout:.0f} s", flush=True)
                return None
            t_reload = (got[0] - t0) * 1000
            served = None
            while time.monotonic() < deadline:
                status, body = fetch(page_url)
                if marker in body:
                    served = (time.monotonic() - t0) * 1000
                    break
                time.sleep(0.005)
            if served is None:
                failures.append(f"{mode} {k}: reload came but {page} never served the marker")
            backlink_ok = None
            if mode == "title" and linked_page:
                status, body = fetch(f"{base}/{urllib.parse.quote(linked_page)}")
                backlink_ok = marker in body
                if not backlink_ok:
                    failures.append(f"{mode} {k}: {linked_page} (linked from the note) does not "
                                    f"show the new title")
            time.sleep(0.05)
            rebuilt = server.rebuild_lines(t0)
            changed = len(got[1].get("changed", []))
            print(f"  {mode} edit {k}: reload {t_reload:6.1f} ms, served "
                  f"{'-' if served is None else f'{served:6.1f}'} ms, {changed} files changed"
                  f"{'' if backlink_ok is None else ', backlink page ' + ('updated' if backlink_ok else 'STALE')}"
                  f"{'; server: ' + rebuilt[-1] if rebuilt else ''}", flush=True)
            m = re.search(r" in ([0-9.]+) ms", rebuilt[-1]) if rebuilt else None
            return t_reload, served, changed, float(m.group(1)) if m else None

        for mode in [m.strip() for m in a.modes.split(",") if m.strip()]:
            r = {"reload_ms": [], "served_ms": [], "changed": [], "server_ms": []}
            for k in range(a.edits):
                got = one_edit(mode, k)
                if got:
                    r["reload_ms"].append(got[0])
                    if got[1] is not None:
                        r["served_ms"].append(got[1])
                    r["changed"].append(got[2])
                    if got[3] is not None:
                        r["server_ms"].append(got[3])
            result[mode] = r
            print(f"{mode} edit: save -> reload message {summary(r['reload_ms'])}")
            print(f"{mode} edit: save -> page served    {summary(r['served_ms'])}")
            print(f"{mode} edit: rebuild as the server reports it {summary(r['server_ms'])}",
                  flush=True)
        rss = server.rss()
        result["peak_rss_mib"] = rss.get("VmHWM", float("nan"))
        result["rss_mib"] = rss.get("VmRSS", float("nan"))
        print(f"server memory: peak {result['peak_rss_mib']:.0f} MiB, now "
              f"{result['rss_mib']:.0f} MiB")
    finally:
        with open(path, encoding="utf-8", newline="") as f:
            changed_now = f.read() != original
        if changed_now:
            atomic_write(path, original)
            if ws is not None:
                time.sleep(1.0)  # let the server take the restore before it stops
        if ws is not None:
            ws.close()
        server.stop()
    result["load_end"] = loadavg()
    result["failures"] = failures
    print(f"load average: {result['load_start'][0]:.2f} at start, {result['load_end'][0]:.2f} "
          f"at end")
    for f in failures:
        print(f"problem: {f}")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
