#!/usr/bin/env bash
# bench.sh: isokb against Hugo on the same generated knowledge base, side by side.
#
#   scripts/bench.sh [--gen PATH] [--runs R] [--edits K] [--no-live] [--no-hugo] [N ...]
#
# For each N (default: 10000 30000):
#   1. generates a vault of N notes and the same content as a Hugo site
#      (scripts/gen_vault.py, or the generator given by --gen / $GEN, which must take
#      `--notes N --out DIR --format obsidian|hugo --seed S --force`), kept between
#      runs while N, the seed and the generator are the same;
#   2. builds each once and checks it (exit status, pages written);
#   3. times clean builds, alternated: `isokb build`, `hugo`, `cp -r` of isokb's output
#      tree and `isokb check`, RUNS rounds (scripts/bench_timer.py: wall time from a
#      monotonic clock, CPU time and peak RSS from wait4); every build writes into a
#      folder that does not exist yet;
#   4. measures `isokb serve`'s save-to-reload latency (scripts/live_latency.py).
# Then prints the Markdown tables (also in $WORK/summary.md).
#
# Environment (all optional):
#   WORK    where vaults, outputs and results go      (default /tmp/isokb-bench)
#   RUNS    timed rounds per tool                     (default 3)
#   WARMUP  untimed rounds before them                (default 0: the checked build warms up)
#   EDITS   edits per live-reload mode                (default 10)
#   SEED    generator seed                            (default 42)
#   GEN     generator script                          (default scripts/gen_vault.py)
#   ISOKB   isokb binary (default target/release/isokb, built by `cargo build --release`
#           when missing or older than the sources)
#   HUGO    hugo binary (default `hugo` from PATH; when missing and run as root, Debian's
#           package is installed unless NO_INSTALL=1)
#   ISOKB_ARGS  extra arguments for `isokb build`, e.g. '--base-url https://kb.example.org/'
#   KEEP_OUTPUT=1  leave the build outputs in $WORK/trash instead of deleting them
#   REBUILD=1   also time `isokb build` over its previous output (isokb then deletes the
#               old tree itself, which is slow on disks mounted with `discard`)
# Nothing here uses the network except apt-get (Debian's package registry) for Hugo.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
WORK=${WORK:-/tmp/isokb-bench}
mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd)
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-0}
EDITS=${EDITS:-10}
SEED=${SEED:-42}
GEN=${GEN:-$HERE/gen_vault.py}
LIVE=1
WANT_HUGO=1
ISOKB_ARGS=${ISOKB_ARGS:-}

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'bench.sh: error: %s\n' "$*" >&2; exit 1; }

sizes=()
while (($#)); do
    case $1 in
        --gen) GEN=${2:?--gen needs a path}; shift 2 ;;
        --gen=*) GEN=${1#--gen=}; shift ;;
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --edits) EDITS=${2:?--edits needs a number}; shift 2 ;;
        --no-live) LIVE=0; shift ;;
        --no-hugo) WANT_HUGO=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) [[ $1 =~ ^[0-9]+$ && $1 -ge 2 ]] || die "N must be a number of notes >= 2, not '$1'"
           sizes+=("$1"); shift ;;
    esac
done
((${#sizes[@]})) || sizes=(10000 30000)
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number"
command -v python3 >/dev/null || die "python3 is needed"
[[ -f $GEN ]] || die "no generator at $GEN"
GEN=$(cd "$(dirname "$GEN")" && pwd)/$(basename "$GEN")

# ---------------------------------------------------------------------------- isokb
if [[ -n ${ISOKB:-} ]]; then
    [[ -x $ISOKB ]] || die "ISOKB=$ISOKB is not an executable"
else
    ISOKB=$REPO/target/release/isokb
    stale=""
    if [[ -x $ISOKB ]]; then
        stale=$(find "$REPO/src" "$REPO/Cargo.toml" "$REPO/Cargo.lock" -newer "$ISOKB" -print -quit 2>/dev/null || true)
    fi
    if [[ ! -x $ISOKB || -n $stale ]]; then
        command -v cargo >/dev/null || die "no $ISOKB and no cargo to build it"
        say "cargo build --release (${stale:+sources newer than the binary}${stale:-no binary yet})"
        (cd "$REPO" && cargo build --release) || die "cargo build --release failed"
    fi
fi
ISOKB=$(cd "$(dirname "$ISOKB")" && pwd)/$(basename "$ISOKB")
isokb_version=$("$ISOKB" --version 2>/dev/null | awk '{print $NF}' || echo "?")

# ---------------------------------------------------------------------------- hugo
HUGO_BIN=""
hugo_missing="not installed"
if ((WANT_HUGO)); then
    HUGO_BIN=$(command -v "${HUGO:-hugo}" || true)
    if [[ -z $HUGO_BIN && ${NO_INSTALL:-0} != 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "installing Debian's hugo (apt-get)"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null 2>&1; then
            apt-get update -qq >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null 2>&1 \
                || echo "bench.sh: could not install hugo; its rows will say so" >&2
        fi
        HUGO_BIN=$(command -v hugo || true)
    fi
    [[ -n $HUGO_BIN ]] || echo "bench.sh: no hugo found: its rows will say 'not installed'" >&2
else
    hugo_missing="skipped (--no-hugo)"
fi
hugo_version=""
[[ -n $HUGO_BIN ]] && hugo_version=$("$HUGO_BIN" version | awk '{print $2}' | sed 's/^v//; s/+.*//')

# ---------------------------------------------------------------------------- per N
q() { printf '%q' "$1"; }
# Old outputs are moved aside (a rename) and deleted at the very end: deleting is slow
# on disks mounted with `discard` (minutes for 25,000 files with `rm -rf`).
TRASH=$WORK/trash
trash() {  # folder: move everything in it to $TRASH
    local f
    mkdir -p "$TRASH"
    for f in "$1"/* "$1"/.[!.]*; do
        [[ -e $f ]] && mv "$f" "$TRASH/$(basename "$f").$$.$RANDOM"
    done
    return 0
}
gen_sum=$(cksum < "$GEN" | cut -d' ' -f1)
mkdir -p "$WORK"
dirs=()
for N in "${sizes[@]}"; do
    D=$WORK/n$N
    RES=$D/results
    OUT=$D/out
    mkdir -p "$RES" "$OUT"
    dirs+=("$RES")
    say "N=$N: $D (load average $(cut -d' ' -f1-3 /proc/loadavg))"

    gen() {  # format dir
        local stamp="$D/.stamp-$1" want="$N $SEED $gen_sum $GEN"
        if [[ ! -f $stamp || $(cat "$stamp") != "$want" || ! -d $2 ]]; then
            say "generating $1 ($N notes) with $(basename "$GEN")"
            python3 "$GEN" --notes "$N" --seed "$SEED" --format "$1" --out "$2" --force
            echo "$want" > "$stamp"
        fi
    }
    gen obsidian "$D/vault"
    [[ -n $HUGO_BIN ]] && gen hugo "$D/hugo-site"

    # one checked build of each (it also warms the page cache)
    trash "$OUT"
    say "checking one isokb build"
    # shellcheck disable=SC2086
    if ! "$ISOKB" build --root "$D/vault" --output "$OUT/isokb-tree" $ISOKB_ARGS > "$RES/isokb-build.log" 2>&1; then
        tail -20 "$RES/isokb-build.log" >&2
        die "isokb build failed on N=$N (log: $RES/isokb-build.log)"
    fi
    tail -1 "$RES/isokb-build.log" >&2
    pages=$(find "$OUT/isokb-tree" -name index.html | wc -l)
    ((pages >= N)) || die "isokb wrote $pages pages for $N notes"
    if [[ -n $HUGO_BIN ]]; then
        say "checking one hugo build"
        if ! "$HUGO_BIN" --quiet --source "$D/hugo-site" --destination "$OUT/hugo" > "$RES/hugo-build.log" 2>&1; then
            tail -20 "$RES/hugo-build.log" >&2
            die "hugo failed on N=$N (log: $RES/hugo-build.log)"
        fi
        echo "hugo: $(find "$OUT/hugo" -name '*.html' | wc -l) HTML files" >&2
    fi

    # the timed rounds
    spec=$RES/spec.tsv
    {
        printf 'isokb\t%s\t%s build --root %s --output %s %s\n' "$OUT/isokb" "$(q "$ISOKB")" "$(q "$D/vault")" "$(q "$OUT/isokb")" "$ISOKB_ARGS"
        [[ -n $HUGO_BIN ]] && printf 'hugo\t%s\t%s --quiet --source %s --destination %s\n' "$OUT/hugo" "$(q "$HUGO_BIN")" "$(q "$D/hugo-site")" "$(q "$OUT/hugo")"
        printf 'cp\t%s\tcp -r %s %s\n' "$OUT/cp" "$(q "$OUT/isokb-tree")" "$(q "$OUT/cp")"
        printf 'check\t-\t%s check --root %s\n' "$(q "$ISOKB")" "$(q "$D/vault")"
        if [[ ${REBUILD:-0} == 1 ]]; then
            cp -r "$OUT/isokb-tree" "$OUT/isokb-prev"
            printf 'rebuild\t-\t%s build --root %s --output %s %s\n' "$(q "$ISOKB")" "$(q "$D/vault")" "$(q "$OUT/isokb-prev")" "$ISOKB_ARGS"
        fi
    } > "$spec"
    say "timing: $RUNS alternated rounds of isokb${HUGO_BIN:+, hugo}, cp -r, isokb check"
    : > "$RES/timings.log"
    python3 "$HERE/bench_timer.py" run --spec "$spec" --runs "$RUNS" --warmup "$WARMUP" \
        --json "$RES/timings.json" --log "$RES/timings.log" --trash "$TRASH" --allow-fail check
    trash "$OUT"

    python3 - "$RES/info.json" "$N" "$isokb_version" "$hugo_version" "$hugo_missing" "$GEN" "$SEED" <<'EOF'
import json, sys
out, n, iv, hv, hm, gen, seed = sys.argv[1:]
json.dump({"notes": int(n), "isokb_version": iv, "hugo_version": hv, "hugo_missing": hm,
           "generator": gen, "seed": int(seed)}, open(out, "w"), indent=1)
EOF

    if ((LIVE)); then
        say "isokb serve: $EDITS body edits and $EDITS title edits"
        rm -f "$RES/live.json"
        if ! python3 "$HERE/live_latency.py" --isokb "$ISOKB" --vault "$D/vault" --edits "$EDITS" \
                --json "$RES/live.json" --log "$RES/serve.log"; then
            echo "bench.sh: live_latency.py reported problems (see above and $RES/serve.log)" >&2
        fi
    fi
done

# ---------------------------------------------------------------------------- report
say "results (also in $WORK/summary.md)"
{
    rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "?")
    echo "isokb $isokb_version (binary of $(date -u -r "$ISOKB" '+%Y-%m-%d %H:%M UTC'), repository at $rev) vs Hugo ${hugo_version:-(none)};"
    echo "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); generator $(basename "$GEN"), seed $SEED;"
    echo "command: scripts/bench.sh ${sizes[*]} (RUNS=$RUNS), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    python3 "$HERE/bench_timer.py" report "${dirs[@]}"
} | tee "$WORK/summary.md"

if [[ ${KEEP_OUTPUT:-0} != 1 && -d $TRASH ]]; then
    say "deleting the build outputs in $TRASH (parallel unlinks; safe to interrupt)"
    python3 "$HERE/bench_timer.py" rm "$TRASH"
fi
