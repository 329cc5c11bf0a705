#!/usr/bin/env bash
# 信创 builds: static zpcheck binaries for ARM64 and LoongArch64 Linux, and their test under
# qemu-user against the x86_64 build on every sample.
#
#   scripts/xinchuang.sh build   # → target/xinchuang/zpcheck-aarch64, zpcheck-loongarch64
#   scripts/xinchuang.sh test    # builds, then runs both under qemu on every sample
#
# Static musl binaries, because Kylin V10 and UOS V20 ship glibc 2.28 and a glibc build of this
# toolchain needs 2.34. LoongArch64 is built for the new-world ABI (Debian, Loongnix 25,
# Kylin/UOS releases after 2023) with std built from source (the target has no prebuilt std),
# and without LSX vector instructions: Debian's qemu-user cannot run them, and every LoongArch
# CPU runs code without them (the 3A5000/3A6000 have LSX; the speed lost is small for this
# program).
#
# Needs: rustup, `pip install ziglang cargo-zigbuild` (zig links both: cargo-zigbuild for
# aarch64, scripts/zig-cc-loongarch64.sh for LoongArch64), Debian's qemu-user for the test.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/xinchuang
mkdir -p "$out"

build() {
    rustup target add aarch64-unknown-linux-musl >/dev/null
    rustup component add rust-src >/dev/null
    cargo zigbuild --release --target aarch64-unknown-linux-musl --bin zpcheck
    cp target/aarch64-unknown-linux-musl/release/zpcheck "$out/zpcheck-aarch64"
    # zig through scripts/zig-cc-loongarch64.sh, which keeps its C code off LSX/LASX too.
    local cc
    cc="$(pwd)/scripts/zig-cc-loongarch64.sh"
    CARGO_TARGET_LOONGARCH64_UNKNOWN_LINUX_MUSL_LINKER="$cc" CC_loongarch64_unknown_linux_musl="$cc" \
        RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C target-cpu=la464 -C target-feature=-lsx,-lasx" \
        cargo build --release --target loongarch64-unknown-linux-musl \
        -Zbuild-std=std,panic_abort --bin zpcheck
    cp target/loongarch64-unknown-linux-musl/release/zpcheck "$out/zpcheck-loongarch64"
    cargo build --release --bin zpcheck
    for b in "$out"/zpcheck-*; do
        file "$b" | grep -Eq 'statically linked|static-pie linked' || { echo "FAIL: $b is not static"; exit 1; }
        echo "$(basename "$b"): $(du -h "$b" | cut -f1), $(file -b "$b" | cut -d, -f1-2)"
    done
}

# Every sample, checked and corrected, by one binary (a command prefix: qemu or nothing), into
# a folder: the JSON report, the text report and the corrected workbooks.
run_all() {
    local dest=$1
    shift
    rm -rf "$dest"
    mkdir -p "$dest/fixed"
    # The 核查结果 heading's time is fixed, so that outputs compare byte for byte.
    export SOURCE_DATE_EPOCH=1764668400
    local status=0
    "$@" check --format json -j 1 samples > "$dest/check.json" || status=$?
    echo "$status" > "$dest/status"
    "$@" check -j 1 samples > "$dest/check.txt" 2>&1 || true
    "$@" fix -j 1 --out-dir "$dest/fixed" samples > /dev/null 2>&1 || true
}

test_all() {
    build
    # Global, for the trap that removes it when the script ends.
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    run_all "$work/x86_64" target/release/zpcheck
    run_all "$work/aarch64" qemu-aarch64 "$out/zpcheck-aarch64"
    # qemu-user 7.2's LoongArch emulation places the guest heap among the host's randomised
    # mappings: one run in three, musl's malloc could not grow it ("memory allocation of
    # 35015 bytes failed"). A reserved 4 GB guest address space (-R) makes it deterministic.
    run_all "$work/loongarch64" qemu-loongarch64 -R 4G "$out/zpcheck-loongarch64"
    local n
    n=$(ls "$work/x86_64/fixed" | wc -l)
    [ "$n" -gt 20 ] || { echo "FAIL: only $n corrected workbooks"; exit 1; }
    for arch in aarch64 loongarch64; do
        if ! diff -r "$work/x86_64" "$work/$arch" > "$work/$arch.diff"; then
            echo "FAIL: $arch differs from x86_64:"
            head -20 "$work/$arch.diff"
            exit 1
        fi
        echo "ok: $arch — the JSON and text reports, exit status $(cat "$work/$arch/status") and $n corrected workbooks are byte-identical to x86_64's"
    done
}

case "${1:-}" in
    build) build ;;
    test) test_all ;;
    *) echo "用法：scripts/xinchuang.sh build|test" >&2; exit 2 ;;
esac
