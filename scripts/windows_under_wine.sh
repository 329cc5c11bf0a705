#!/usr/bin/env bash
# Builds zpcheck.exe and runs it under Wine the way Windows users start it, checking:
#   1. dropped on the program (a console of its own): the corrected workbook appears beside the
#      input and the console waits for Enter (按回车键退出);
#   2. started from cmd.exe (console shared with the shell): no wait;
#   3. CI set: no wait;   4. output redirected: no wait;
#   5. a wildcard argument is expanded by zpcheck itself, Chinese file names intact;
#   6. double-clicked with no arguments: the help stays on screen until Enter;
#   7. on a Chinese system (code page 936), a text report redirected to a file is written in
#      GBK, so that `type 结果.txt` in cmd shows it; JSON redirected stays UTF-8.
# Needs: rustup target x86_64-pc-windows-gnu, Debian's gcc-mingw-w64-x86-64, wine64, tmux, and the
# zh_CN.UTF-8 locale (echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen && locale-gen).
# Wine 8 lacks bcryptprimitives.dll (Rust's std imports ProcessPrng from it): for this test only,
# a stub forwarding to advapi32's SystemFunction036 is built and put beside the .exe.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --target x86_64-pc-windows-gnu
work=$(mktemp -d)
# Wine's server may still be writing the prefix when the script ends: stop it first.
trap 'tmux kill-session -t zpw 2>/dev/null || true; WINEPREFIX="$work/prefix" /usr/lib/wine/wineserver -k 2>/dev/null || true; sleep 1; rm -rf "$work" || true' EXIT
cp target/x86_64-pc-windows-gnu/release/zpcheck.exe "$work/"
cat > "$work/stub.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID, ULONG);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) { return SystemFunction036(data, (ULONG)len); }
C
printf 'LIBRARY bcryptprimitives\nEXPORTS\nProcessPrng\n' > "$work/stub.def"
x86_64-w64-mingw32-gcc -shared -o "$work/bcryptprimitives.dll" "$work/stub.c" "$work/stub.def" -ladvapi32
input="$work/克拉玛依区科学技术局2023自评表.xlsx"
cp samples/seed_kelamayi_2023.xlsx "$input"
cp samples/national_clean.xlsx "$work/项目二.xlsx"
wine=/usr/lib/wine/wine64
export WINEDEBUG=-all WINEPREFIX="$work/prefix"
win() { echo "Z:${1//\//\\}"; }
out="$work/克拉玛依区科学技术局2023自评表_核查.xlsx"

# Runs a command in a fresh tmux terminal, waits for it to settle, prints the screen.
screen() {
    tmux kill-session -t zpw 2>/dev/null || true
    tmux new-session -d -s zpw -x 220 -y 50 "cd '$work' && $1; echo EXIT=\$?; sleep 60"
    for _ in $(seq 1 60); do
        sleep 1
        if tmux capture-pane -p -t zpw | grep -q -e 'EXIT=' -e '按回车键退出'; then break; fi
    done
    sleep 1
    tmux capture-pane -p -t zpw
}

"$wine" wineboot -i >/dev/null 2>&1 || true

echo "== 1. dropped on the program"
s=$(screen "env -u CI $wine ./zpcheck.exe '$(win "$input")'")
echo "$s" | grep -v '^$' | tail -3
echo "$s" | grep -q '按回车键退出' || { echo "FAIL: no wait for Enter"; exit 1; }
echo "$s" | grep -q 'EXIT=' && { echo "FAIL: exited without waiting"; exit 1; }
test -f "$out" || { echo "FAIL: no corrected workbook beside the input"; exit 1; }
tmux send-keys -t zpw Enter
sleep 3
tmux capture-pane -p -t zpw | grep -q 'EXIT=1' || { echo "FAIL: exit status after Enter"; exit 1; }
echo "ok: waited for Enter, exit 1, wrote $(basename "$out")"

rm -f "$out"
echo "== 2. from cmd.exe"
s=$(screen "env -u CI $wine cmd /c zpcheck.exe '$(win "$input")'")
echo "$s" | grep -q '按回车键退出' && { echo "FAIL: waited under cmd"; exit 1; }
echo "$s" | grep -q 'EXIT=1' || { echo "FAIL: exit status"; exit 1; }
echo "ok: no wait"

echo "== 3. CI set"
s=$(screen "CI=true $wine ./zpcheck.exe '$(win "$input")'")
echo "$s" | grep -q '按回车键退出' && { echo "FAIL: waited with CI set"; exit 1; }
echo "ok: no wait"

echo "== 4. output redirected"
env -u CI timeout 60 "$wine" "$work/zpcheck.exe" "$(win "$input")" > "$work/report.txt" 2>&1 </dev/null || true
grep -q '按回车键退出' "$work/report.txt" && { echo "FAIL: waited when redirected"; exit 1; }
echo "ok: no wait"

echo "== 5. wildcard"
rm -f "$out"
"$wine" "$work/zpcheck.exe" check "$(win "$work")\\*.xlsx" --format jsonl > "$work/w.jsonl" 2>/dev/null || true
cat "$work/w.jsonl"
grep -q '项目二.xlsx' "$work/w.jsonl" && grep -q '克拉玛依区科学技术局2023自评表.xlsx' "$work/w.jsonl" \
    || { echo "FAIL: wildcard not expanded or names garbled"; exit 1; }
echo "ok: both files, names intact"
echo "== 6. double-clicked (no arguments)"
s=$(screen "env -u CI $wine ./zpcheck.exe")
echo "$s" | grep -q '用法' && echo "$s" | grep -q '按回车键退出' || { echo "FAIL: help and wait"; exit 1; }
tmux send-keys -t zpw Enter
sleep 3
tmux capture-pane -p -t zpw | grep -q 'EXIT=2' || { echo "FAIL: exit status after Enter"; exit 1; }
echo "ok: help shown, waited for Enter, exit 2"
echo "== 7. redirected text report on code page 936"
# Wine takes its code page from the Unix locale: zh_CN.UTF-8 (locale-gen) makes it 936, as on a
# Chinese Windows. Run in a console (tmux), as a user at cmd.exe would.
locale -a | grep -qi '^zh_CN.utf8$' || { echo "FAIL: needs the zh_CN.UTF-8 locale (locale-gen)"; exit 1; }
export LANG=zh_CN.UTF-8
"$wine" wineboot -u >/dev/null 2>&1 || true
s=$(screen "$wine cmd /c 'chcp & zpcheck.exe check $(win "$input") > result.txt & zpcheck.exe check --format json $(win "$input") > result.json & type result.txt'")
echo "$s" | grep -v '^$' | head -4
echo "$s" | grep -q '936' || { echo "FAIL: the console's code page is not 936"; exit 1; }
test -s "$work/result.txt" || { echo "FAIL: no report written"; exit 1; }
if iconv -f UTF-8 -t UTF-8 "$work/result.txt" >/dev/null 2>&1; then
    echo "FAIL: the redirected report is UTF-8, not the console's code page"; exit 1
fi
iconv -f GBK -t UTF-8 "$work/result.txt" > "$work/result.utf8.txt" || { echo "FAIL: not GBK"; exit 1; }
grep -q 'ZP201  错误：H15' "$work/result.utf8.txt" || { echo "FAIL: the report does not read as GBK"; exit 1; }
echo "$s" | grep -q 'ZP201  错误：H15' || { echo "FAIL: type does not show the report"; exit 1; }
iconv -f UTF-8 -t UTF-8 "$work/result.json" >/dev/null || { echo "FAIL: JSON is not UTF-8"; exit 1; }
head -c 1 "$work/result.json" | grep -q '{' || { echo "FAIL: JSON does not start with {"; exit 1; }
echo "ok: code page 936, the report is GBK and type shows it; JSON stays UTF-8"
echo "all Windows checks passed"
