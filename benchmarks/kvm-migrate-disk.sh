#!/usr/bin/env bash
# Live migration WITH the disk (no shared storage: blockdev-mirror over an NBD export of the destination, then the RAM):
# PatchKit's KvmHostAdapter beside the fixture's reference Python client (tests/fixtures/qemu/demos.py migrate-nbd over
# pkqmp.py: the same QMP sequence written out by hand), same machine, same run. Prints each side's medians and ratios.
#   benchmarks/kvm-migrate-disk.sh [ROUNDS]      (default 5; needs tests/fixtures/qemu/setup.sh, run first;
#                                                 NO_BUILD=1 skips building src/PatchKit.Benchmarks)
# The reference boots a fresh guest per round (not timed); PatchKit moves one guest back and forth between two folders
# standing for two hosts. Both copy the fixture's 64 MiB qcow2 data disk and 256 MiB of RAM.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
FIX=tests/fixtures/qemu
"$FIX/setup.sh" >/dev/null
[[ -n "${NO_BUILD:-}" ]] || nice dotnet build src/PatchKit.Benchmarks -c Release -v q -nologo -m:1 >/dev/null
echo "machine: $(nproc) cores; load: $(uptime | sed 's/.*load average: //')"

echo "== reference (python, pkqmp.py): $ROUNDS rounds"
refs=()
for i in $(seq "$ROUNDS"); do
  r=$(python3 "$FIX/demos.py" migrate-nbd | sed -n 's/^RESULT //p')
  echo "  round $i: $r" | cut -c1-240
  refs+=("$r")
done

echo "== PatchKit (KvmHostAdapter): $ROUNDS rounds"
ROOT=$(mktemp -d /tmp/patchkit-bench.XXXXXX)
mkdir -p "$ROOT/a" "$ROOT/b"
cleanup() { for d in "$ROOT"/a "$ROOT"/b; do "$FIX/stop-guest.sh" "$d" --all >/dev/null 2>&1 || true; done
            rm -f /dev/shm/patchkit-bench*"$(basename "$ROOT")"* /dev/shm/patchkit-bench-* 2>/dev/null; rm -rf "$ROOT"; }
trap cleanup EXIT
eval "$(MEMFILE=/dev/shm/patchkit-$(basename "$ROOT")-bench.ram "$FIX/start-guest.sh" "$ROOT/a" bench)"
python3 "$FIX/pkqmp.py" wait-qga "$QGA" 120 >/dev/null
pk=$(dotnet src/PatchKit.Benchmarks/bin/Release/net10.0/PatchKit.Benchmarks.dll kvm-migrate-disk "$ROUNDS" "$ROOT/a" "$ROOT/b" "$QMP" "$QGA" "$ROOT/a/bench.pid" | tee "$ROOT/pk.log" | sed -n 's/^RESULT //p')
grep -v '^RESULT' "$ROOT/pk.log" || true
echo "load after: $(uptime | sed 's/.*load average: //')"

python3 - "$pk" "${refs[@]}" <<'PY'
import json, statistics, sys
pk = json.loads(sys.argv[1]); refs = [json.loads(r)["migrate-nbd"] for r in sys.argv[2:]]
med = lambda k: statistics.median(r[k] for r in refs)
whole = statistics.median(r["mirror_to_ready_s"] + r["migrate_wall_s"] for r in refs)
rows = [("query-migrate downtime (ms)", med("downtime_ms"), pk["downtime_ms_median"]),
        ("query-migrate total-time (ms)", med("total_ms"), pk["total_ms_median"]),
        ("STOP -> RESUME (ms)", med("guest_pause_stop_to_resume_ms"), pk["stop_to_resume_ms_median"]),
        ("mirror + migration wall (s)", whole, pk["wall_s_median"])]
print(f"{'median of ' + str(int(pk['rounds'])) + ' rounds':32} {'reference':>10} {'PatchKit':>10} {'ratio':>7}")
for name, r, p in rows:
    print(f"{name:32} {r:>10.2f} {p:>10.2f} {p / r if r else float('nan'):>7.2f}")
print("(PatchKit's wall also starts the target QEMU and creates its empty image; the reference's does not)")
PY
