#!/usr/bin/env bash
# Installs the isokb release binary for this machine from GitHub releases,
# after checking its SHA-256 against the checksum published beside it.
# Used by the composite action (action.yml); runs anywhere with curl:
#   ISOKB_REPOSITORY=owner/isokb ISOKB_VERSION=v0.2.0 bash scripts/install.sh
set -euo pipefail

repo="${ISOKB_REPOSITORY:?set ISOKB_REPOSITORY to owner/name}"
version="${ISOKB_VERSION:-latest}"
dest="${ISOKB_INSTALL_DIR:-${RUNNER_TOOL_CACHE:-$HOME/.local}/isokb/bin}"

# The release's name for this machine (the targets release.yml builds).
target() {
  local os arch
  os="$(uname -s)"
  arch="$(uname -m)"
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) echo "isokb: no release binary for the $arch processor; use cargo install isokb" >&2; return 1 ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-musl" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) echo "x86_64-pc-windows-msvc" ;;
    *) echo "isokb: no release binary for $os; use cargo install isokb" >&2; return 1 ;;
  esac
}

main() {
  local t file url tmp
  t="$(target)"
  case "$t" in
    *windows*) file="isokb-$t.zip" ;;
    *) file="isokb-$t.tar.gz" ;;
  esac
  if [ "$version" = latest ]; then
    url="https://github.com/$repo/releases/latest/download"
  else
    url="https://github.com/$repo/releases/download/$version"
  fi
  if [ "${ISOKB_DRY_RUN:-}" = 1 ]; then
    echo "$url/$file"
    return 0
  fi
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  curl -fsSL --retry 3 -o "$tmp/$file" "$url/$file"
  curl -fsSL --retry 3 -o "$tmp/$file.sha256" "$url/$file.sha256"
  (
    cd "$tmp"
    if command -v sha256sum >/dev/null 2>&1; then
      sha256sum -c "$file.sha256"
    else
      shasum -a 256 -c "$file.sha256"
    fi
  )
  mkdir -p "$dest"
  case "$file" in
    *.zip) unzip -o -q "$tmp/$file" -d "$dest" ;;
    *) tar -xzf "$tmp/$file" -C "$dest" ;;
  esac
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$dest" >> "$GITHUB_PATH"
  fi
  local installed
  installed="$("$dest/isokb" --version 2>/dev/null || true)"
  echo "installed ${installed:-isokb} in $dest" >&2
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "version=${installed#isokb }" >> "$GITHUB_OUTPUT"
  fi
}

main "$@"
