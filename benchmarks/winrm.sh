#!/usr/bin/env bash
# 100 commands over WinRM, NTLM-sealed over HTTP (MS-WSMV message encryption), against the WinRM fixture: pywinrm
# (Debian's python3-winrm, one Session, run_cmd: Create, Command, Receive, Signal, Delete per command) and PatchKit's
# transport as the Windows adapter uses it (one kept shell: Command, Receive, Signal per command), in one run, on one
# fixture instance. Prints both times and the ratio.
#
#   benchmarks/winrm.sh [N]      (N=100; needs tests/fixtures/winrm/setup.sh to have run)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100}
F=tests/fixtures/winrm
CACHE=${PATCHKIT_FIXTURE_CACHE:-$HOME/.cache/patchkit-fixtures}/winrm
echo "# load before: $(uptime)"
dotnet build src/PatchKit.Benchmarks -c Release -v q -nologo >/dev/null
ENVOUT=$(PATCHKIT_WINRM_PORTS=auto bash $F/start.sh)
val() { printf '%s\n' "$ENVOUT" | sed -n "s/^$1=//p"; }
RUN=$(val PATCHKIT_WINRM_RUN_DIR); URL=$(val PATCHKIT_WINRM_HTTP_URL); USER_=$(val PATCHKIT_WINRM_USER)
export PATCHKIT_WINRM_PASSWORD; PATCHKIT_WINRM_PASSWORD=$(val PATCHKIT_WINRM_PASSWORD)
trap 'bash $F/stop.sh "$RUN" >/dev/null' EXIT

py=$(OPENSSL_CONF=$CACHE/openssl-legacy.cnf /usr/bin/python3 - "$URL" "$USER_" "$N" <<'PY'
import os, sys, time, winrm
url, user, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = winrm.Session(url, auth=(user, os.environ["PATCHKIT_WINRM_PASSWORD"]), transport="ntlm", message_encryption="always")
s.run_cmd("hostname")  # warm-up: handshake
t = time.perf_counter()
for _ in range(n):
    r = s.run_cmd("hostname")
    assert r.status_code == 0 and r.std_out
print("pywinrm %d %.3f" % (n, time.perf_counter() - t))
PY
)
pk=$(dotnet src/PatchKit.Benchmarks/bin/Release/net10.0/PatchKit.Benchmarks.dll winrm-loop "$URL" "$USER_" "$N")
pk1=$(dotnet src/PatchKit.Benchmarks/bin/Release/net10.0/PatchKit.Benchmarks.dll winrm-loop "$URL" "$USER_" "$N" per-command)
sealed=$(grep -c '"encrypted": true' "$RUN/envelopes.jsonl" || true)
echo "$py"
echo "$pk"
echo "$pk1"
# pywinrm 5 a command, PatchKit's kept shell 3 a command + its Create and final Delete, per-command 5 a command (+1 warm-up each)
echo "sealed requests seen by the fixture: $sealed (expected $(( (N + 1) * 5 + (N + 1) * 3 + 2 + (N + 1) * 5 )))"
/usr/bin/python3 - "$py" "$pk" "$pk1" <<'PY'
import sys
p = float(sys.argv[1].split()[2]); k = float(sys.argv[2].split()[2]); k1 = float(sys.argv[3].split()[2]); n = int(sys.argv[1].split()[1])
print("pywinrm %.1f ms/command; PatchKit (kept shell, as the adapter runs) %.1f ms/command = %.2f x pywinrm; "
      "PatchKit (a shell per command, pywinrm's request pattern) %.1f ms/command = %.2f x pywinrm"
      % (p / n * 1000, k / n * 1000, k / p, k1 / n * 1000, k1 / p))
PY
echo "# load after: $(uptime)"
