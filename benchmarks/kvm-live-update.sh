#!/usr/bin/env bash
# Live update of a running QEMU guest (new QEMU process, local migration over shared file-backed memory with
# x-ignore-shared): PatchKit's KvmHostAdapter beside the fixture's reference Python client (tests/fixtures/qemu/demos.py
# over pkqmp.py), same machine, same run. Prints each side's medians over ROUNDS rounds and the ratios.
#   benchmarks/kvm-live-update.sh [ROUNDS]      (default 10; needs tests/fixtures/qemu/setup.sh, run first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-10}
FIX=tests/fixtures/qemu
"$FIX/setup.sh" >/dev/null
nice dotnet build src/PatchKit.Benchmarks -c Release -v q -nologo >/dev/null
echo "machine: $(nproc) cores; load: $(uptime | sed 's/.*load average: //')"

echo "== reference (python, pkqmp.py): $ROUNDS rounds"
ref=$(python3 "$FIX/demos.py" live-update "$ROUNDS" | tee >(cat >&2) | sed -n 's/^RESULT //p')

echo "== PatchKit (KvmHostAdapter): $ROUNDS rounds"
RUNDIR=$(mktemp -d /tmp/patchkit-bench.XXXXXX)
MEMFILE=/dev/shm/patchkit-$(basename "$RUNDIR")-shared.ram
cleanup() { "$FIX/stop-guest.sh" "$RUNDIR" --all >/dev/null 2>&1 || true; rm -f "$MEMFILE"; rm -rf "$RUNDIR"; }
trap cleanup EXIT
eval "$(MEMFILE=$MEMFILE "$FIX/start-guest.sh" "$RUNDIR" g0)"
python3 "$FIX/pkqmp.py" wait-qga "$QGA" 120 >/dev/null
pk=$(dotnet src/PatchKit.Benchmarks/bin/Release/net10.0/PatchKit.Benchmarks.dll kvm-live-update "$ROUNDS" "$RUNDIR" "$QMP" "$QGA" "$RUNDIR/g0.pid" | tee >(cat >&2) | sed -n 's/^RESULT //p')

python3 - "$ref" "$pk" <<'PY'
import json, sys
ref = json.loads(sys.argv[1])["live-update"]; pk = json.loads(sys.argv[2])
rows = [("query-migrate downtime (ms)", ref["downtime_ms"]["median"], pk["downtime_ms_median"]),
        ("STOP -> RESUME (ms)", ref["stop_to_resume_ms"]["median"], pk["stop_to_resume_ms_median"]),
        ("whole update wall (s)", ref["update_wall_s"]["median"], pk["wall_s_median"])]
print(f"{'median of ' + str(int(pk['rounds'])) + ' rounds':32} {'reference':>10} {'PatchKit':>10} {'ratio':>7}")
for name, r, p in rows:
    print(f"{name:32} {r:>10.2f} {p:>10.2f} {p / r if r else float('nan'):>7.2f}")
PY
