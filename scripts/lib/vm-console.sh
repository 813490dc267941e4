# vm-console.sh: drive a VM's serial console from a script, expect-style (sourced by
# scripts/qemu-boot-check.sh and bench/boot.sh). The VM (QEMU or HV) reads its console from a
# FIFO and writes it to a log file; we wait for text in the log and type into the FIFO.
#
#   vm_start LOGFILE CMD...      start CMD with stdin = FIFO, stdout+stderr = LOGFILE
#   vm_wait_for TEXT SECONDS [SILENCE]  wait until TEXT appears in the log after the mark; 1 on
#                                timeout or exit, 2 when the VM printed nothing for SILENCE seconds
#   vm_mark                      later vm_wait_for calls only look at output after this point
#   vm_send TEXT                 type TEXT (add \n yourself, or use vm_run)
#   vm_run COMMAND               type COMMAND and a newline
#   vm_wait_exit SECONDS         wait for the VM to exit; its status in VM_STATUS (124 on timeout)
#   vm_kill                      end the VM (its own process only)
#   vm_now                       seconds since the epoch, with fractions
# Markers: to wait for a command's output rather than its echo, build the text in the guest,
# e.g. vm_run 'echo "END-$((6*7))"' then vm_wait_for END-42.

VM_PID=; VM_LOG=; VM_DIR=; VM_MARK=0; VM_STATUS=

vm_now() { date +%s.%N; }

vm_start() {
  VM_LOG="$1"; shift
  VM_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hv-vm.XXXXXX")"
  mkfifo "$VM_DIR/console.in"
  : >"$VM_LOG"
  VM_MARK=0
  # Read-write open of the FIFO never blocks, and keeps a writer alive between vm_send calls.
  exec {VM_FD}<>"$VM_DIR/console.in"
  "$@" <"$VM_DIR/console.in" >"$VM_LOG" 2>&1 &
  VM_PID=$!
}

vm_mark() { VM_MARK="$(stat -c %s "$VM_LOG")"; }

vm_alive() { [ -n "$VM_PID" ] && kill -0 "$VM_PID" 2>/dev/null; }

vm_wait_for() {
  local text="$1" deadline silence="${3:-}" size last_size=-1 last_change
  deadline="$(awk -v now="$(vm_now)" -v t="$2" 'BEGIN { printf "%.3f", now + t }')"
  last_change="$(vm_now)"
  while :; do
    if tail -c +"$((VM_MARK + 1))" "$VM_LOG" | grep -qF -- "$text"; then return 0; fi
    vm_alive || { tail -c +"$((VM_MARK + 1))" "$VM_LOG" | grep -qF -- "$text"; return; }
    awk -v now="$(vm_now)" -v d="$deadline" 'BEGIN { exit !(now > d) }' && return 1
    if [ -n "$silence" ]; then
      size="$(stat -c %s "$VM_LOG")"
      if [ "$size" != "$last_size" ]; then last_size="$size"; last_change="$(vm_now)";
      elif awk -v now="$(vm_now)" -v c="$last_change" -v s="$silence" 'BEGIN { exit !(now - c > s) }'; then return 2; fi
    fi
    sleep 0.02
  done
}

vm_send() { printf '%s' "$1" >&"$VM_FD"; }
vm_run() { printf '%s\n' "$1" >&"$VM_FD"; }

vm_wait_exit() {
  local i=0 limit=$(($1 * 50))
  while vm_alive && [ "$i" -lt "$limit" ]; do sleep 0.02; i=$((i + 1)); done
  if vm_alive; then VM_STATUS=124; return 1; fi
  wait "$VM_PID" 2>/dev/null; VM_STATUS=$?
  VM_PID=
  return 0
}

vm_kill() {
  if vm_alive; then kill "$VM_PID" 2>/dev/null; sleep 0.2; vm_alive && kill -9 "$VM_PID" 2>/dev/null; fi
  [ -z "$VM_PID" ] || wait "$VM_PID" 2>/dev/null || true
  VM_PID=
}

vm_cleanup() {
  vm_kill
  [ -z "${VM_FD:-}" ] || exec {VM_FD}>&-
  VM_FD=
  [ -z "$VM_DIR" ] || rm -rf "$VM_DIR"
  VM_DIR=
}
