#!/usr/bin/env bash
# Installs whatever Gossip Lab's build and tests need and is missing, from package registries only
# (crates.io, npm, Debian). Idempotent: each tool is checked first, so a warm machine pays nothing.
#
#   scripts/ensure-tools.sh build   # what `make serve` needs: wasm target, trunk, wasm-bindgen-cli, npm tools
#   scripts/ensure-tools.sh test    # all of the above plus the no_std target, Chromium and ChromeDriver
#
# Versions are pinned here and in Cargo.lock / package-lock.json; ../shared/TOOLCHAIN.md explains why.
set -euo pipefail
cd "$(dirname "$0")/.."

want="${1:-build}"
TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly, or the generated
# JavaScript glue does not match the wasm and the app fails at load time.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '[tools] %s\n' "$*"; }

ensure_target() {
  if ! rustup target list --installed | grep -qx "$1"; then
    say "adding rustup target $1"
    rustup target add "$1"
  fi
}

ensure_component() {
  if ! rustup component list --installed | grep -q "^$1"; then
    say "adding rustup component $1"
    rustup component add "$1"
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores, once)"
    # LTO and one codegen unit make trunk's own release build far slower for no benefit here.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
    # Not --locked: its lockfile pins a crate version the registry no longer serves.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_npm() {
  # A stamp of the lockfile's hash: npm ci runs again only when package-lock.json changes.
  local stamp=node_modules/.lock-sha256 sum
  sum=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$sum" ]; then
    say "installing npm tools (binaryen for wasm-opt, playwright-core)"
    npm ci --no-audit --no-fund
    echo "$sum" >"$stamp"
  fi
}

ensure_browser() {
  if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    say "installing Chromium and ChromeDriver from Debian (about 1 minute, once)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

case "$want" in
  build)
    ensure_target wasm32-unknown-unknown
    ensure_npm
    ensure_wasm_bindgen
    ensure_trunk
    ;;
  test)
    ensure_component rustfmt
    ensure_component clippy
    ensure_target wasm32-unknown-unknown
    ensure_target thumbv7m-none-eabi
    ensure_npm
    ensure_browser
    ensure_wasm_bindgen
    ensure_trunk
    ;;
  *)
    echo "usage: $0 build|test" >&2
    exit 2
    ;;
esac
