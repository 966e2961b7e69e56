#!/usr/bin/env bash
# Search benchmark on a generated vault: bytes of index loaded by a first query
# and search latency, measured by the browser's own engine under Node.
#
#   scripts/bench_search.sh [NOTES] [QUERY ...]      (default: 10000 notes)
#
# Generates the vault with scripts/gen_vault.py (GEN=... for another generator)
# into target/bench-search/, builds it with the newer of the release and debug
# binaries (`cargo build --release` first for build timings; the bytes do not
# depend on it), then runs scripts/search_bench.js on the output.
set -euo pipefail
cd "$(dirname "$0")/.."
notes="${1:-10000}"
shift || true
gen="${GEN:-scripts/gen_vault.py}"
dir="target/bench-search/$notes"
if [ ! -d "$dir/vault" ]; then
  mkdir -p "$dir"
  python3 "$gen" --notes "$notes" --out "$dir/vault" >/dev/null 2>&1
fi
printf 'title = "Bench %s"\nlanguage = "fr"\ncontent_dir = "vault"\noutput_dir = "public"\n' "$notes" >"$dir/site.toml"
[ -x target/debug/isokb ] || [ -x target/release/isokb ] || cargo build -q
bin=$(ls -t target/release/isokb target/debug/isokb 2>/dev/null | head -1)
"$bin" build -q --root "$dir"
echo "index: $(du -sh "$dir/public/search" | cut -f1) in $(find "$dir/public/search" -type f | wc -l) files;" \
  "always loaded: $(wc -c <"$dir/public/search-index.js") bytes (search-index.js)"
node scripts/search_bench.js "$dir/public" "$@"
