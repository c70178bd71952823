#!/usr/bin/env bash
# Scale-out of `patchkit worker` processes on one PostgreSQL: N simulated Linux hosts whose every call takes
# DELAY ms of wall-clock time (real-time mode), the run queued once, then 1, 2 and 4 workers (each with the
# policy's two lanes). Prints, per worker count, the wall time of the processes (start-up and report pass included)
# and the repair phase alone (first lease taken → last host done, polled from the database every 0.1 s), with the
# hosts per second and the ratio to one worker. Then the floor: the same run with calls that take no time, whose
# CPU (workers + PostgreSQL) per host bounds what two cores can do.
#
# Usage: benchmarks/worker-scale-out.sh [HOSTS=192] [DELAY_MS=20] [ROUNDS=1]
# Needs PostgreSQL's server programs (tests/fixtures/postgres/setup.sh) and a built CLI
# (dotnet build src/PatchKit.Cli -c Release); PATCHKIT names another patchkit binary.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
hosts=${1:-192}
delay=${2:-20}
rounds=${3:-1}
patchkit=${PATCHKIT:-$here/src/PatchKit.Cli/bin/Release/net10.0/PatchKit.Cli}
bindir=${PATCHKIT_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
work=$(mktemp -d /tmp/patchkit-scale-XXXXXX)
user=""
if [ "$(id -u)" = 0 ]; then user=postgres; id postgres >/dev/null 2>&1 || user=nobody; chown "$user" "$work"; fi
as() { if [ -n "$user" ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/password"
chmod 644 "$work/password"
as "$bindir/initdb" -D "$work/data" -U patchkit --pwfile="$work/password" -A scram-sha-256 -E UTF8 --no-sync --no-instructions >/dev/null
as "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
cleanup() { as "$bindir/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
export PGPASSWORD; PGPASSWORD=$(cat "$work/password")
psql() { command psql -X -q -t -A -h 127.0.0.1 -p "$port" -U patchkit "$@"; }

# The fleet: one lab host, the rest in four clusters (the example policy: a canary wave of a quarter, then the rest).
{
  echo '{ "startTime": "2026-01-05T00:00:00+00:00", "hosts": ['
  for i in $(seq 0 $((hosts - 1))); do
    tag=prod; [ "$i" = 0 ] && tag=lab
    sep=,; [ "$i" = $((hosts - 1)) ] && sep=
    printf '  { "id": "lin%04d", "kind": "Linux", "version": "6.8", "build": "0", "cluster": "c%d", "tags": ["%s"] }%s\n' "$i" $((i % 4)) "$tag" "$sep"
  done
  echo '] }'
} > "$work/fleet.json"

echo "# worker-scale-out: $hosts hosts, calls of $delay ms, $(nproc) cores, $(uptime | sed 's/.*load/load/')"
run() { # run ID WORKERS DELAY -> prints "wall repair cpu"
  local id=$1 w=$2 d=$3 db=b_$1
  psql -d postgres -c "CREATE DATABASE $db" >/dev/null
  local j="postgres://patchkit@127.0.0.1:$port/$db?password-file=$work/password"
  mkdir -p "$work/$id"
  "$patchkit" run --workers -f "$work/fleet.json" -c "$here/examples/catalog.json" -p "$here/examples/policy.json" -r "$id" -j "$j" \
    --state "$work/$id/fleet.json" -q -o "$work/$id/out" >/dev/null
  local pg_cpu0; pg_cpu0=$(pg_cpu)
  (while true; do
     echo "$(date +%s.%N) $(psql -d "$db" -c "SELECT count(*) FILTER (WHERE state <> 'pending'), count(*) FILTER (WHERE state = 'done'), count(*) FROM patchkit_work" 2>/dev/null)"
     sleep 0.1
   done) > "$work/$id/poll" &
  local poller=$!
  local t0; t0=$(date +%s.%N)
  local pids=()
  for i in $(seq 1 "$w"); do
    /usr/bin/time -f "%U %S" -o "$work/$id/cpu$i" "$patchkit" worker -f "$work/fleet.json" -c "$here/examples/catalog.json" -p "$here/examples/policy.json" -r "$id" -j "$j" \
      --state "$work/$id/fleet.json" --sim-call-delay "$d" -q -o "$work/$id/out$i" >/dev/null 2>>"$work/$id/stderr" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  local t1; t1=$(date +%s.%N)
  kill "$poller" 2>/dev/null; wait "$poller" 2>/dev/null || true
  local cpu; cpu=$(cat "$work/$id"/cpu* | awk '{s += $1 + $2} END {print s}')
  local pg; pg=$(awk -v a="$pg_cpu0" -v b="$(pg_cpu)" 'BEGIN {print b - a}')
  awk -v t0="$t0" -v t1="$t1" -v cpu="$cpu" -v pg="$pg" -v n="$hosts" -F'[ |]' '
    $2 > 0 && !s { s = $1 } $3 == $4 && $4 > 0 && !e { e = $1 }
    END { printf "%.2f %.2f %.2f %.2f\n", t1 - t0, e - s, cpu, pg }' "$work/$id/poll"
}
pg_cpu() { # CPU seconds of PostgreSQL so far: the postmaster with its finished children, and its live children
  local pid; pid=$(head -1 "$work/data/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17 }' /proc/"$pid"/stat
    for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do awk '{ print $14 + $15 }' /proc/"$c"/stat 2>/dev/null || true; done
  } | awk -v hz="$(getconf CLK_TCK)" '{ s += $1 } END { print s / hz }'
}

printf '%-8s %8s %9s %9s %10s %8s %9s %7s\n' workers wall repair hosts/s ratio cpu/host pg/host load
declare -A base
for r in $(seq 1 "$rounds"); do
  for w in 1 2 4; do
    read -r wall repair cpu pg < <(run "r${r}w$w" "$w" "$delay")
    hps=$(awk -v n="$hosts" -v t="$repair" 'BEGIN { printf "%.1f", n / t }')
    [ "$w" = 1 ] && base[$r]=$hps
    printf '%-8s %7.2fs %8.2fs %9s %9.2fx %7.1fms %8.1fms %7s\n' "$w" "$wall" "$repair" "$hps" "$(awk -v a="$hps" -v b="${base[$r]}" 'BEGIN { print a / b }')" \
      "$(awk -v c="$cpu" -v n="$hosts" 'BEGIN { print c * 1000 / n }')" "$(awk -v c="$pg" -v n="$hosts" 'BEGIN { print c * 1000 / n }')" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
# The floor: calls that take no time, four workers; what the processes cost per host on this machine's cores.
read -r wall repair cpu pg < <(run floor 4 0)
echo "floor (4 workers, calls of 0 ms): repair ${repair}s = $(awk -v n="$hosts" -v t="$repair" 'BEGIN { printf "%.1f", n / t }') hosts/s;" \
  "CPU per host: workers $(awk -v c="$cpu" -v n="$hosts" 'BEGIN { printf "%.1f", c * 1000 / n }') ms, PostgreSQL $(awk -v c="$pg" -v n="$hosts" 'BEGIN { printf "%.1f", c * 1000 / n }') ms;" \
  "two cores allow at most $(awk -v c="$cpu" -v p="$pg" -v n="$hosts" -v k="$(nproc)" 'BEGIN { printf "%.0f", k * n / (c + p) }') hosts/s"
echo "# load after: $(uptime | sed 's/.*load/load/')"
