#!/usr/bin/env bash
# Coordination cost of the three journals in one run: `patchkit demo --scale N` (the five stages over N simulated
# machines, 64 lanes, simulated clock) with the file journal (fsync), SQLite and PostgreSQL, one after the other.
# Prints per journal: wall time, the process's user+sys CPU and CPU per host, the journal's size, and for PostgreSQL
# the server's CPU, its committed transactions per host and the records they carried, every statement it ran
# (pg_stat_statements: the calls and time of each, BEGIN/COMMIT and pool resets included) and the database's size.
#
# Usage: benchmarks/journal-coordination.sh [MACHINES=100000] [JOURNALS="fsync sqlite postgres"]
# Needs PostgreSQL's server programs (tests/fixtures/postgres/setup.sh) and a built CLI
# (dotnet build src/PatchKit.Cli -c Release); PATCHKIT names another patchkit binary.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
machines=${1:-100000}
journals=${2:-"fsync sqlite postgres"}
patchkit=${PATCHKIT:-$here/src/PatchKit.Cli/bin/Release/net10.0/PatchKit.Cli}
bindir=${PATCHKIT_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
work=$(mktemp -d /tmp/patchkit-journals-XXXXXX)
user=""
if [ "$(id -u)" = 0 ]; then user=postgres; id postgres >/dev/null 2>&1 || user=nobody; chown "$user" "$work"; fi
as() { if [ -n "$user" ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
pg_started=""
cleanup() { [ -n "$pg_started" ] && as "$bindir/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT

echo "# journal-coordination: $machines machines, $(nproc) cores, $(uptime | sed 's/.*load/load/')"
printf '%-10s %9s %9s %10s %10s %s\n' journal wall cpu cpu/host load details
for j in $journals; do
  mkdir -p "$work/$j" && chmod 777 "$work/$j"
  arg=$j details=""
  if [ "$j" = postgres ]; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/password"
    chmod 644 "$work/password"
    as "$bindir/initdb" -D "$work/data" -U patchkit --pwfile="$work/password" -A scram-sha-256 -E UTF8 --no-sync --no-instructions >/dev/null
    as "$bindir/pg_ctl" -D "$work/data" -l "$work/server.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements" start >/dev/null
    pg_started=1
    export PGPASSWORD; PGPASSWORD=$(cat "$work/password")
    psql() { command psql -X -q -t -A -h 127.0.0.1 -p "$port" -U patchkit "$@"; }
    psql -d postgres -c "CREATE DATABASE bench" >/dev/null
    # every statement the server ran (BEGIN, COMMIT and the pool's DISCARD ALL included), with its count and time
    psql -d bench -c "CREATE EXTENSION pg_stat_statements" >/dev/null
    psql -d bench -c "SELECT pg_stat_statements_reset()" >/dev/null
    arg="postgres://patchkit@127.0.0.1:$port/bench?password-file=$work/password"
    pg_cpu() { local pid; pid=$(head -1 "$work/data/postmaster.pid")
      { awk '{ print $14 + $15 + $16 + $17 }' /proc/"$pid"/stat
        for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do awk '{ print $14 + $15 }' /proc/"$c"/stat 2>/dev/null || true; done
      } | awk -v hz="$(getconf CLK_TCK)" '{ s += $1 } END { print s / hz }'; }
    cpu0=$(pg_cpu); commits0=$(psql -d bench -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'bench'")
  fi
  t0=$(date +%s.%N)
  if ! (cd "$work/$j" && /usr/bin/time -f "%U %S" -o "$work/$j/time" "$patchkit" demo --scale "$machines" --journal "$arg" > "$work/$j/out" 2>&1); then
    # one journal failing does not lose the others' rows: say so, show the end of its output, go on
    printf '%-10s FAILED after %.1fs\n' "$j" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
    tail -5 "$work/$j/out" | sed 's/^/    /'
    continue
  fi
  t1=$(date +%s.%N)
  cpu=$(awk '{ print $1 + $2 }' "$work/$j/time")
  if [ "$j" = postgres ]; then
    sleep 1
    commits=$(psql -d bench -c "SELECT xact_commit FROM pg_stat_database WHERE datname = 'bench'")
    records=$(psql -d bench -c "SELECT count(*) FROM patchkit_journal" 2>/dev/null || echo "?")
    size=$(psql -d bench -c "SELECT pg_size_pretty(pg_database_size('bench'))")
    statements=$(psql -d bench -c "SELECT sum(calls) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'")
    details="server CPU $(awk -v a="$cpu0" -v b="$(pg_cpu)" 'BEGIN { printf "%.1f", b - a }') s; commits $((commits - commits0)) for $records records ($(awk -v c="$((commits - commits0))" -v n="$machines" 'BEGIN { printf "%.1f", c / n }') per host); statements $statements; database $size"
    # where the server's time goes: the statements by total time (the journal's INSERT, BEGIN/COMMIT, pool resets)
    topsql=$(psql -F ' | ' -d bench -c "SELECT calls, round(total_exec_time)::bigint || ' ms', left(regexp_replace(query, '\s+', ' ', 'g'), 70) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 6")
  fi
  printf '%-10s %8.1fs %8.2fs %8.0fus %10s %s\n' "$j" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$cpu" \
    "$(awk -v c="$cpu" -v n="$machines" 'BEGIN { print c * 1e6 / n }')" "$(cut -d' ' -f1 /proc/loadavg)" "$details"
  sed 's/^/    /' "$work/$j/out" | grep -E 'wall|steps|CPU|patched' || true
  if [ "$j" = postgres ]; then echo "    server statements (calls | time | statement):"; echo "$topsql" | sed 's/^/      /'; fi
done
echo "# load after: $(uptime | sed 's/.*load/load/')"
