#!/usr/bin/env python3
"""Whole-process timer and report maker for scripts/bench.sh (Python 3.8+, stdlib only).

    bench_timer.py run --spec SPEC.tsv --runs R [--warmup W] [--timeout S] --json OUT.json
    bench_timer.py report DIR [DIR ...]
    bench_timer.py rm PATH [PATH ...]

run     SPEC.tsv has one command per line: NAME <TAB> OUTDIR <TAB> SHELL COMMAND
        (OUTDIR may be '-'). The commands are run in turn, A B C A B C ..., RUNS
        times after W untimed warm-up rounds. Before each run the previous OUTDIR is
        moved into --trash (an O(1) rename, untimed) so every run writes into a folder
        that does not exist, and the disks are synced after each run (untimed). Nothing
        is deleted while timing: deleting is slow on disks mounted with `discard`.
        Each run is `sh -c 'exec COMMAND'` with its output sent to a log; wall time is
        a monotonic clock around fork and wait4, CPU time and peak RSS come from
        wait4's rusage of the process. The load average is read before every run.
        After the last round the OUTDIR of each command is measured (HTML pages, files,
        bytes). Results go to OUT.json.
rm      Deletes folders with parallel unlinks (many times faster than `rm -rf` there).
report  Reads DIR/timings.json, DIR/info.json and DIR/live.json (each optional but the
        first) for every DIR given and prints the Markdown tables of bench.sh.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return [float(x) for x in f.read().split()[:3]]
    except OSError:
        return list(os.getloadavg())


def run_once(cmd, log, timeout):
    with open(log, "ab") as out:
        out.write(f"\n=== {time.strftime('%H:%M:%S')} {cmd}\n".encode())
        out.flush()
        t0 = time.monotonic()
        p = subprocess.Popen(["/bin/sh", "-c", "exec " + cmd], stdin=subprocess.DEVNULL,
                             stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        killed = []

        def kill():
            killed.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        if timer:
            timer.cancel()
    p.returncode = 0  # reaped by wait4 above; keep Popen from waiting again
    rc = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
    return {"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime,
            "cpu": ru.ru_utime + ru.ru_stime, "peak_mib": ru.ru_maxrss / 1024.0,
            "rc": rc, "timed_out": bool(killed)}


def measure_tree(path):
    html = files = size = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            files += 1
            if n.endswith(".html"):
                html += 1
            try:
                size += os.lstat(os.path.join(dirpath, n)).st_size
            except OSError:
                pass
    return {"html": html, "files": files, "bytes": size}


def cmd_run(a):
    tools = []
    with open(a.spec, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            name, outdir, cmd = line.split("\t", 2)
            tools.append((name, None if outdir == "-" else outdir, cmd))
    log = a.log or os.path.splitext(a.json)[0] + ".log"
    res = {name: [] for name, _, _ in tools}
    total = a.warmup + a.runs
    for r in range(total):
        counted = r >= a.warmup
        for name, outdir, cmd in tools:
            if outdir and os.path.lexists(outdir):
                os.makedirs(a.trash, exist_ok=True)
                os.rename(outdir, os.path.join(a.trash, f"{name}.{os.getpid()}.{r}"))
            la = loadavg()
            one = run_once(cmd, log, a.timeout)
            one["load1"] = la[0]
            one["round"] = r - a.warmup
            if a.sync:
                os.sync()
            tag = "run" if counted else "warm-up"
            print(f"  {tag} {r - a.warmup + 1 if counted else r + 1}/{a.runs if counted else a.warmup}"
                  f" {name:<6} {one['wall']:8.3f} s wall {one['cpu']:8.3f} s cpu "
                  f"{one['peak_mib']:8.1f} MiB  exit {one['rc']}  load {la[0]:.2f}",
                  file=sys.stderr, flush=True)
            if one["rc"] != 0 and name not in a.allow_fail:
                print(f"error: {name} exited with {one['rc']}; see {log}", file=sys.stderr)
                sys.exit(1)
            if counted:
                res[name].append(one)
    out = {"runs": a.runs, "warmup": a.warmup, "tools": {}}
    for name, outdir, cmd in tools:
        entry = {"cmd": cmd, "runs": res[name]}
        if outdir and os.path.isdir(outdir):
            entry["tree"] = measure_tree(outdir)
        out["tools"][name] = entry
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)


def fast_rmtree(path, workers=16):
    """rm -rf with many threads: on disks mounted with `discard` every unlink waits for
    the device, so deleting in parallel is many times faster than `rm -rf`."""
    if not os.path.lexists(path):
        return 0
    if not os.path.isdir(path) or os.path.islink(path):
        os.unlink(path)
        return 1
    files, dirs = [], []
    for dirpath, dirnames, names in os.walk(path):
        dirs.append(dirpath)
        files.extend(os.path.join(dirpath, n) for n in names)
        files.extend(os.path.join(dirpath, d) for d in dirnames
                     if os.path.islink(os.path.join(dirpath, d)))

    def unlink(p):
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(unlink, files, chunksize=64))
    for d in reversed(dirs):
        try:
            os.rmdir(d)
        except OSError:
            shutil.rmtree(d, ignore_errors=True)
    return len(files)


def cmd_rm(a):
    for p in a.paths:
        t0 = time.monotonic()
        n = fast_rmtree(p)
        if n:
            print(f"  deleted {p} ({n:,} files, {time.monotonic() - t0:.1f} s)",
                  file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- report

def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_n(n):
    return f"{n:,}"


def secs(runs, key="wall"):
    xs = [r[key] for r in runs]
    if len(xs) == 1:
        return f"{xs[0]:.2f}"
    return f"{med(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})"


def ratio(a_runs, b_runs, key):
    """Median of the per-round ratios (runs are alternated, so each round shares a load)."""
    pairs = [x[key] / y[key] for x, y in zip(a_runs, b_runs) if y[key]]
    return f"{med(pairs):.2f}" if pairs else "–"


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def cmd_report(a):
    builds, ratios, lives = [], [], []
    runs_seen = set()
    for d in a.dirs:
        t = load_json(os.path.join(d, "timings.json"))
        info = load_json(os.path.join(d, "info.json")) or {}
        live = load_json(os.path.join(d, "live.json"))
        n = info.get("notes", "?")
        ns = fmt_n(n) if isinstance(n, int) else str(n)
        if not t:
            builds.append(f"| {ns} | (no timings in {d}) | | | | | | |")
            continue
        runs_seen.add(t["runs"])
        tools = t["tools"]
        labels = {
            "isokb": f"isokb {info.get('isokb_version', '')} `build`".replace("  ", " "),
            "hugo": f"Hugo {info.get('hugo_version', '')}".strip(),
            "cp": "`cp -r` of isokb's output",
            "check": "isokb `check`",
            "rebuild": "isokb `build` over its previous output",
        }
        for name in ("isokb", "hugo", "cp", "check", "rebuild"):
            if name not in tools:
                if name == "hugo":
                    builds.append(f"| {ns} | Hugo | {info.get('hugo_missing', 'not installed')} | | | | | |")
                continue
            runs = tools[name]["runs"]
            tree = tools[name].get("tree")
            pages = fmt_n(tree["html"]) if tree else "–"
            files = fmt_n(tree["files"]) if tree else "–"
            size = f"{tree['bytes'] / 1048576:,.0f}" if tree else "–"
            builds.append(f"| {ns} | {labels[name]} | {secs(runs)} | {secs(runs, 'cpu')} | "
                          f"{med([r['peak_mib'] for r in runs]):,.0f} | {pages} | {files} | {size} |")
        iso = tools.get("isokb", {}).get("runs", [])
        hugo = tools.get("hugo", {}).get("runs")
        cp = tools.get("cp", {}).get("runs")
        load = [r["load1"] for tt in tools.values() for r in tt["runs"]]
        ratios.append(
            f"| {ns} | {ratio(iso, hugo, 'wall') if hugo else 'no Hugo'} | "
            f"{ratio(iso, hugo, 'cpu') if hugo else '–'} | "
            f"{ratio(iso, hugo, 'peak_mib') if hugo else '–'} | "
            f"{ratio(iso, cp, 'wall') if cp else '–'} | "
            f"{min(load):.1f}–{max(load):.1f} |")
        if live:
            def mm(v, empty="failed"):
                xs = v or []
                return (f"{min(xs):.0f} / {med(xs):.0f} / {max(xs):.0f}" if xs else empty)
            b, ti = live.get("body", {}), live.get("title", {})
            lives.append(
                f"| {ns} | {live.get('startup_s', float('nan')):.2f} s | {mm(b.get('reload_ms'))} | "
                f"{mm(b.get('served_ms'))} | {mm(b.get('server_ms'), '–')} | {mm(ti.get('reload_ms'))} | "
                f"{mm(ti.get('served_ms'))} | {mm(ti.get('server_ms'), '–')} | "
                f"{med(ti.get('changed') or [0]):.0f} ({live.get('backlinks', '?')} backlinks) | "
                f"{live.get('peak_rss_mib', float('nan')):,.0f} | "
                f"{live.get('load_start', ['?'])[0]}–{live.get('load_end', ['?'])[0]} |")
    runs = "/".join(str(r) for r in sorted(runs_seen)) or "?"
    print(f"Clean builds, median of {runs} alternated runs (min–max); each run writes into a "
          f"folder that does not exist yet.\n")
    print("| notes | tool | wall s | CPU s (user+sys) | peak RSS MiB | HTML pages | files | output MiB |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(builds))
    print("\nRatios (median of the per-round ratios), and the 1-minute load average seen "
          "before the runs:\n")
    print("| notes | isokb/Hugo wall | isokb/Hugo CPU | isokb/Hugo peak RSS | isokb/`cp -r` wall | load avg |")
    print("|---|---|---|---|---|---|")
    print("\n".join(ratios))
    if lives:
        print("\n`isokb serve` live reload, min / median / max ms from the save (temp file + "
              "rename) to the WebSocket `reload` message naming the page, to the first "
              "GET that serves the new text, and the rebuild time the server logs "
              "(the rest is the watcher's debounce and the messaging):\n")
        print("| notes | serve start | body edit → reload | body edit → served | "
              "body: rebuild as logged | title edit → reload | title edit → served | "
              "title: rebuild as logged | files changed by a title edit | "
              "serve peak RSS MiB | load avg |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        print("\n".join(lives))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--spec", required=True)
    r.add_argument("--runs", type=int, default=3)
    r.add_argument("--warmup", type=int, default=0)
    r.add_argument("--timeout", type=float, default=3600)
    r.add_argument("--json", required=True)
    r.add_argument("--log")
    r.add_argument("--trash", required=True,
                   help="where each previous output is moved before a run (delete it later)")
    r.add_argument("--no-sync", dest="sync", action="store_false")
    r.add_argument("--allow-fail", action="append", default=[],
                   help="a command whose non-zero exit is recorded, not fatal")
    p = sub.add_parser("report")
    p.add_argument("dirs", nargs="+")
    d = sub.add_parser("rm", help="delete folders with parallel unlinks")
    d.add_argument("paths", nargs="+")
    a = ap.parse_args()
    {"run": cmd_run, "report": cmd_report, "rm": cmd_rm}[a.cmd](a)


if __name__ == "__main__":
    main()
