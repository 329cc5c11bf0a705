#!/usr/bin/env bash
# Builds the offline page: web/dist/zpcheck.html (one file, works from file:// with no network)
# and, for the Node tests, web/pkg-node/. Needs the wasm32-unknown-unknown target, Node and
# wasm-bindgen-cli 0.2.130: the one on PATH (`cargo install wasm-bindgen-cli --version 0.2.130`
# puts it in ~/.cargo/bin, where later builds and fresh clones find it), else one installed
# into web/target/tools, kept with the build.
set -euo pipefail
cd "$(dirname "$0")"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
bindgen=wasm-bindgen
if ! wasm-bindgen --version 2>/dev/null | grep -q '0.2.130'; then
    bindgen=target/tools/bin/wasm-bindgen
    if ! "$bindgen" --version 2>/dev/null | grep -q '0.2.130'; then
        cargo install wasm-bindgen-cli --version 0.2.130 --root target/tools
    fi
fi
cargo build --release --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/zpcheck_web.wasm
"$bindgen" --target no-modules --no-typescript --out-dir pkg "$wasm"
"$bindgen" --target nodejs --no-typescript --out-dir pkg-node "$wasm"
node assemble.mjs
