#!/usr/bin/env bash
# Version comparisons per second: dpkg --compare-versions and python3-rpm's labelCompare on the corpus vector pairs, then
# PatchKit's comparers on the same pairs (BenchmarkDotNet), in one run. Prints the load average beside the numbers.
#
#   benchmarks/versions.sh            needs ../shared/corpus/advisories, dpkg, /usr/bin/python3 with python3-rpm, dotnet
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${PATCHKIT_CORPUS:-$(pwd)/../shared/corpus}
V=$CORPUS/advisories/versions
[ -f "$V/debian.json" ] || { echo "corpus absent: $V" >&2; exit 2; }
echo "# load before: $(uptime)"

# dpkg: one process per comparison is how dpkg is used; 'lt' then 'eq' as the tests do (at most two calls a pair).
/usr/bin/python3 - "$V" <<'PY'
import json, subprocess, sys, time
v = sys.argv[1]
pairs = [(p["a"], p["b"]) for p in json.load(open(v + "/debian.json"))["pairs"]]
t = time.perf_counter()
for a, b in pairs:
    subprocess.run(["dpkg", "--compare-versions", "--", a, "lt", b], stderr=subprocess.DEVNULL)
dt = time.perf_counter() - t
print(f"dpkg --compare-versions: {len(pairs)} pairs in {dt:.3f} s = {len(pairs)/dt:,.0f} comparisons/s (one process each)")
import rpm
def evr(s):
    i = 0
    while i < len(s) and s[i].isdigit(): i += 1
    e = None
    if i < len(s) and s[i] == ':': e, s = (s[:i] or '0'), s[i + 1:]
    ver, sep, rel = s.rpartition('-')
    return (e, ver, rel) if sep else (e, s, None)
rp = [(evr(p["a"]), evr(p["b"])) for p in json.load(open(v + "/rpm.json"))["evr"]]
n = 0
t = time.perf_counter()
while time.perf_counter() - t < 2:
    for a, b in rp:
        rpm.labelCompare(a, b)
    n += len(rp)
dt = time.perf_counter() - t
print(f"python3-rpm labelCompare (librpm {rpm.__version__}, in process): {n} comparisons in {dt:.3f} s = {n/dt:,.0f} comparisons/s")
PY
dotnet run -c Release --project src/PatchKit.Benchmarks -- --filter '*VersionCompare*' "$@"
echo "# load after: $(uptime)"
