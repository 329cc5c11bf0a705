#!/usr/bin/env bash
# Builds every file an officer can be given instead of the source (the README's 获取程序 section)
# into target/release-files/, with SHA256SUMS beside them:
#   zpcheck.exe            Windows (x86_64), one file, nothing to install
#   zpcheck-x86_64         Linux x86_64, statically linked (musl): any distribution, old glibc too
#   zpcheck-aarch64        ARM64 Linux (飞腾/鲲鹏: 银河麒麟, 统信 UOS), static      } scripts/xinchuang.sh,
#   zpcheck-loongarch64    LoongArch64 Linux (龙芯, new-world ABI), static         } when zig is installed
#   zpcheck.html           the offline page (web/build.sh): opened from disk, no network
# Each build is reproducible for one commit and toolchain (SOURCE_DATE_EPOCH is the commit's
# time), so a second build of the same commit gives the same SHA-256.
#
# Needs: rustup targets x86_64-pc-windows-gnu and x86_64-unknown-linux-musl, Debian's
# gcc-mingw-w64-x86-64; for the page, what web/build.sh needs (wasm32 target, wasm-bindgen,
# node); for the 信创 builds, `pip install ziglang cargo-zigbuild` (skipped, and said, without).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/release-files
rm -rf "$out"
mkdir -p "$out"
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH
# Paths inside the binaries (panic locations) are made relative to the source tree, so that
# where it was built does not change the bytes.
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$(pwd)=zpcheck --remap-path-prefix=$HOME=~"

rustup target add x86_64-pc-windows-gnu x86_64-unknown-linux-musl >/dev/null
cargo build --release --locked --target x86_64-pc-windows-gnu --bin zpcheck
cp target/x86_64-pc-windows-gnu/release/zpcheck.exe "$out/"
cargo build --release --locked --target x86_64-unknown-linux-musl --bin zpcheck
cp target/x86_64-unknown-linux-musl/release/zpcheck "$out/zpcheck-x86_64"

if command -v cargo-zigbuild >/dev/null && python3 -c 'import ziglang' 2>/dev/null; then
    scripts/xinchuang.sh build
    cp target/xinchuang/zpcheck-aarch64 target/xinchuang/zpcheck-loongarch64 "$out/"
else
    echo "（未安装 zig 与 cargo-zigbuild：跳过信创版本 zpcheck-aarch64、zpcheck-loongarch64）" >&2
fi

if [ -x web/build.sh ]; then
    (cd web && ./build.sh)
    cp web/dist/zpcheck.html "$out/"
fi

# The version each program reports, and the checksums to verify a copy by.
"$out/zpcheck-x86_64" --version
(cd "$out" && sha256sum -- * > SHA256SUMS && cat SHA256SUMS)
