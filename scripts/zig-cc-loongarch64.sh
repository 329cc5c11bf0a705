#!/usr/bin/env bash
# The C compiler and linker of the LoongArch64 build (scripts/xinchuang.sh): zig, for musl,
# on a 3A5000-class CPU without the LSX/LASX vector units. cargo-zigbuild passes the CPU but not
# the "-lsx-lasx" features, so its zig-built musl start-up code used vector instructions that
# Debian's qemu-user cannot run. rustc's -lgcc_s becomes zig's -lunwind, as cargo-zigbuild does.
keep=()
for a in "$@"; do
    case "$a" in
        -lgcc_s) keep+=("-lunwind") ;;
        *) keep+=("$a") ;;
    esac
done
exec python3 -m ziglang cc -target loongarch64-linux-musl -mcpu=la464-lsx-lasx "${keep[@]}"
