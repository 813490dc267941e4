#!/usr/bin/env bash
# check.sh --qemu|--hv ELF...: runs test guests and checks each exit status against the
# `EXPECT-EXIT: n` comment of its source (guests/tests/<path>.S or .c; default 0).
#   --qemu  out/qemu/tests/...elf under qemu-system-riscv64 -M virt -bios none (syscon exit):
#           proves the tests themselves are right, so a failure under HV points at HV.
#   --hv    out/tests/...elf under ../hv run --bios none --kernel (tohost exit).
# `make check-qemu` / `make check-hv` call this with every test.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
mode="${1:-}"; shift || true
case "$mode" in
  --qemu) run() { timeout 20 "${QEMU:-qemu-system-riscv64}" -M virt -bios none -nographic -monitor none -serial stdio -m 128M -kernel "$1"; } ;;
  --hv) run() { timeout 60 "$HERE/../hv" run --bios none --kernel "$1"; } ;;
  *) echo "usage: $0 --qemu|--hv ELF..." >&2; exit 2 ;;
esac
failures=0
for elf in "$@"; do
  rel="${elf#*out/qemu/tests/}"; rel="${rel#*out/tests/}"; rel="${rel%.elf}"
  src="$(ls "$HERE/tests/$rel".S "$HERE/tests/$rel".c 2>/dev/null | head -n 1)"
  expect=0
  if [ -n "$src" ]; then
    e="$(sed -n 's/.*EXPECT-EXIT: *\([0-9][0-9]*\).*/\1/p' "$src" | head -n 1)"
    [ -n "$e" ] && expect="$e"
  fi
  log="${elf%.elf}.${mode#--}.log"
  run "$elf" </dev/null >"$log" 2>&1
  status=$?
  if [ "$status" = "$expect" ]; then
    echo "ok    $rel (exit $status)"
  else
    echo "FAIL  $rel: exit $status, expected $expect (log: $log)"
    failures=$((failures + 1))
  fi
done
[ "$failures" = 0 ]
