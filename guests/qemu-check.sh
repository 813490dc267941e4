#!/usr/bin/env bash
# Runs QEMU-variant test guests (built with -DQEMU_EXIT) under qemu-system-riscv64 -M virt
# -bios none and checks each exit status against the `EXPECT-EXIT: n` comment of its source
# (guests/tests/<path>.S or .c; default 0). Why: proves the tests themselves are right, so a
# failure under HV points at HV. Usage: qemu-check.sh out/qemu/tests/smoke/pass.elf ...
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
QEMU="${QEMU:-qemu-system-riscv64}"
failures=0
for elf in "$@"; do
  rel="${elf#*out/qemu/tests/}"; rel="${rel%.elf}"
  src="$(ls "$HERE/tests/$rel".S "$HERE/tests/$rel".c 2>/dev/null | head -n 1)"
  expect=0
  if [ -n "$src" ]; then
    e="$(sed -n 's/.*EXPECT-EXIT: *\([0-9][0-9]*\).*/\1/p' "$src" | head -n 1)"
    [ -n "$e" ] && expect="$e"
  fi
  timeout 20 "$QEMU" -M virt -bios none -nographic -monitor none -serial stdio -m 128M \
    -kernel "$elf" </dev/null >"${elf%.elf}.qemu.log" 2>&1
  status=$?
  if [ "$status" = "$expect" ]; then
    echo "ok    $rel (exit $status)"
  else
    echo "FAIL  $rel: exit $status, expected $expect (log: ${elf%.elf}.qemu.log)"
    failures=$((failures + 1))
  fi
done
[ "$failures" = 0 ]
