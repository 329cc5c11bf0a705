#!/usr/bin/env bash
# The offline page's tests (issue 14): builds web/dist/zpcheck.html, then runs the wasm library
# in Node on every sample (same JSON and corrected workbooks as the CLI) and the page in
# headless Chromium (test/page.mjs). `$1` is the CLI binary to compare with (default: the
# debug build `cargo test` made).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cli=${1:-$here/../target/debug/zpcheck}
[ -x "$cli" ] || cargo build --bin zpcheck --manifest-path "$here/../Cargo.toml"
cli=$(realpath "$cli")
cd "$here"
./build.sh
npm ci --no-audit --no-fund --silent
node test/node.mjs "$cli"
node test/page.mjs "$cli"
