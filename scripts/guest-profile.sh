#!/usr/bin/env bash
# guest-profile.sh: symbolises a guest profile written by `HV_GUEST_PROFILE=FILE ./hv run ...`
# (hv.hosts.GuestPcSampler) against the guest kernel's /proc/kallsyms.
#
#   guest-profile.sh PROFILE KALLSYMS [FROM TO]
#
# FROM/TO: epoch seconds, to cut one phase out of the run (e.g. boot = start .. readiness line).
# Prints: per hart the share of samples running vs asleep (WFI / stopped), the top kernel
# functions over all harts ([user] = U-mode, [other] = outside the kernel image, e.g. modules),
# and for the ticket-lock spin functions the callers (ra), which name the contended lock.
# Get kallsyms once from the same kernel, e.g. under QEMU: `cat /proc/kallsyms` as root.
# Needs only sort and POSIX awk: addresses are compared as fixed-width hex strings.
set -euo pipefail
[ $# -eq 2 ] || [ $# -eq 4 ] || { echo "usage: $0 PROFILE KALLSYMS [FROM TO]" >&2; exit 2; }
PROFILE="$1" KALLSYMS="$2" FROM="${3:-0}" TO="${4:-99999999999}"
TOP="${TOP:-30}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/guest-profile.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# Samples in the window: "second hart priv pc ra count"; priv -1 = asleep.
awk -v f="$FROM" -v t="$TO" '!/^#/ && NF == 6 && $1 + 0 >= f + 0 && $1 + 0 < t + 0' "$PROFILE" >"$TMP/samples"

echo "== harts (samples running / asleep)"
awk '{ if ($3 == -1) asleep[$2] += $6; else run[$2] += $6; seen[$2] = 1 }
     END { for (h in seen) printf "hart %s: running %d, asleep %d (%.0f%% running)\n", h, run[h], asleep[h],
           100 * run[h] / (run[h] + asleep[h] + 1e-9) }' "$TMP/samples" | sort -k2n

# One stream sorted by address: symbols (text only) and the pcs and ras to name.
awk '$2 ~ /^[tTwW]$/ { printf "%s S %s\n", tolower($1), $3 }' "$KALLSYMS" >"$TMP/stream"
awk '$3 != -1 { printf "%s P %d %s %s\n", $4, NR, $6, ($3 == 0 ? "u" : "k") }
     $3 > 0    { printf "%s R %d\n", $5, NR }' "$TMP/samples" >>"$TMP/stream"
LC_ALL=C sort -k1,1 -k2,2r "$TMP/stream" |
  awk -v lo="$(LC_ALL=C sort "$TMP/stream" | awk '$2 == "S" { print $1; exit }')" '
    $2 == "S" { sym = $3; next }
    { name = ($1 < lo || sym == "") ? "[other]" : sym
      if ($2 == "P") printf "P %d %d %s\n", $3, $4, ($5 == "u" ? "[user]" : name)
      else printf "R %d %s\n", $3, name }' >"$TMP/named"

awk '$1 == "P" { n[$4] += $3; total += $3 }
     END { for (k in n) printf "%6.2f%% %8d %s\n", 100 * n[k] / total, n[k], k }' "$TMP/named" |
  sort -rn | head -n "$TOP" >"$TMP/top"
echo "== top functions (share of running samples)"
cat "$TMP/top"

echo "== spin-lock callers (ra), share of running samples"
awk '$1 == "R" { caller[$2] = $3; next }
     $1 == "P" { total += $3; if ($4 ~ /^_raw_(spin|read|write)_lock/ || $4 ~ /^queued_(spin|read|write)_lock/) {
                   spin += $3; by[$4 " <- " caller[$2]] += $3 } }
     END { printf "%6.2f%% in lock functions\n", 100 * spin / (total + 1e-9)
           for (k in by) printf "%6.2f%% %s\n", 100 * by[k] / total, k }' <(grep '^R' "$TMP/named"; grep '^P' "$TMP/named") |
  sort -rn | head -n 12
