#!/usr/bin/env bash
# Live update of a running QEMU 10 guest by each of PatchKit's live-update modes, same guest, same run: local migration
# with x-ignore-shared, QEMU's cpr-reboot (device state through a file) and cpr-transfer (memory file descriptors over a
# cpr channel). QEMU 10 is the fixture's (tests/fixtures/qemu/setup-qemu10.sh, Debian bookworm-backports); the guest
# runs with -machine aux-ram-share=on, which cpr-transfer needs. Prints each mode's medians over ROUNDS rounds.
#   benchmarks/kvm-cpr.sh [ROUNDS]      (default 10; needs tests/fixtures/qemu/setup.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-10}
FIX=tests/fixtures/qemu
"$FIX/setup.sh" >/dev/null
"$FIX/setup-qemu10.sh" >/dev/null
# shellcheck disable=SC1091
. "${PATCHKIT_FIXTURE_CACHE:-$HOME/.cache/patchkit-fixtures}/qemu/qemu10/qemu10.env"
nice dotnet build src/PatchKit.Benchmarks -c Release -v q -nologo >/dev/null
echo "machine: $(nproc) cores; load: $(uptime | sed 's/.*load average: //'); QEMU $PATCHKIT_QEMU10_VERSION ($PATCHKIT_QEMU10_PACKAGE)"

RUNDIR=$(mktemp -d /tmp/patchkit-bench.XXXXXX)
MEMFILE=/dev/shm/patchkit-$(basename "$RUNDIR")-shared.ram
cleanup() { for p in "$RUNDIR"/*.pid; do [[ -f $p ]] && kill "$(cat "$p")" 2>/dev/null; done; rm -f "$MEMFILE"; rm -rf "$RUNDIR"; }
trap cleanup EXIT
L=""; IFS=: read -ra DIRS <<<"$PATCHKIT_QEMU10_DATA_DIRS"; for d in "${DIRS[@]}"; do L="$L -L $d"; done
export QEMU_MODULE_DIR=$PATCHKIT_QEMU10_MODULE_DIR
eval "$(MEMFILE=$MEMFILE QEMU=$PATCHKIT_QEMU10_BINARY MACHINE=pc-q35-7.2,aux-ram-share=on EXTRA="$L" "$FIX/start-guest.sh" "$RUNDIR/g" g0)"
python3 "$FIX/pkqmp.py" wait-qga "$QGA" 120 >/dev/null
BOOT=$(python3 "$FIX/pkqmp.py" exec "$QGA" /bin/cat /proc/sys/kernel/random/boot_id)

results=()
for mode in x-ignore-shared cpr-reboot cpr-transfer; do
  echo "== PatchKit live update by $mode: $ROUNDS rounds"
  # the adapter finds the guest's current process by its pid file and QMP socket: the newest generation
  pid=$(ls -t "$RUNDIR"/bench.*.pid 2>/dev/null | head -1 || true); pid=${pid:-$RUNDIR/g/g0.pid}
  qmp=${pid%.pid}.qmp; [[ $pid == "$RUNDIR/g/g0.pid" ]] && qmp=$QMP
  qga=${pid%.pid}.qga; [[ $pid == "$RUNDIR/g/g0.pid" ]] && qga=$QGA
  out=$(dotnet src/PatchKit.Benchmarks/bin/Release/net10.0/PatchKit.Benchmarks.dll kvm-live-update "$ROUNDS" "$RUNDIR" "$qmp" "$qga" "$pid" \
        "$mode" "$PATCHKIT_QEMU10_BINARY" "$PATCHKIT_QEMU10_MODULE_DIR" "$PATCHKIT_QEMU10_DATA_DIRS" | tee >(cat >&2) | sed -n 's/^RESULT //p')
  results+=("$mode=$out")
done
pid=$(ls -t "$RUNDIR"/bench.*.pid | head -1)
NOW=$(python3 "$FIX/pkqmp.py" exec "${pid%.pid}.qga" /bin/cat /proc/sys/kernel/random/boot_id)
[[ "$NOW" == "$BOOT" ]] && echo "guest boot id unchanged after $((ROUNDS * 3)) live updates" || { echo "guest rebooted ($BOOT -> $NOW)" >&2; exit 1; }

python3 - "${results[@]}" <<'PY'
import json, sys
rows = [(a.split("=", 1)[0], json.loads(a.split("=", 1)[1])) for a in sys.argv[1:]]
print(f"{'median of ' + str(int(rows[0][1]['rounds'])) + ' rounds':18} {'downtime ms':>12} {'STOP->RESUME ms':>16} {'update wall s':>14}")
for mode, r in rows:
    print(f"{mode:18} {r['downtime_ms_median']:>12.1f} {r['stop_to_resume_ms_median']:>16.1f} {r['wall_s_median']:>14.2f}")
PY
