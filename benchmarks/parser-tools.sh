#!/usr/bin/env bash
# Times the process-level tools on the same file the ParseBenchmarks read, for context beside the BenchmarkDotNet numbers:
# `wc -l`, `git apply --numstat` and `patchkit stat --numstat` (whole processes, page cache warm). Median of N runs.
# Usage: benchmarks/parser-tools.sh [FILE] [RUNS]   (FILE defaults to big/patch.diff of ../shared/corpus/real, or of
#   $PATCHKIT_CORPUS/real when set)
#   PATCHKIT_BINARY=<Native AOT patchkit> also times that binary (publish it with
#   dotnet publish src/PatchKit.Cli -c Release -r linux-x64 -p:PublishAot=true -o <dir>).
#   PATCHKIT_BASELINE=<another Native AOT patchkit> times that one too, in the same rounds (before/after a change).
#   AOT_FLOOR=1 also publishes benchmarks/aot-floor (one line written by a Native AOT program with the CLI's settings)
#   and times its start beside patchkit --version: the floor of the --version goal.
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/machine-facts.sh
file=${1:-${PATCHKIT_CORPUS:-../shared/corpus}/real/big/patch.diff}
runs=${2:-7}
[ -f "$file" ] || { echo "parser-tools.sh: $file is absent (run ../shared/corpus/real/make-corpus.sh --link)" >&2; exit 2; }
export LC_ALL=C TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CEILING_DIRECTORIES=/tmp
dotnet build src/PatchKit.Cli -c Release -v q -clp:NoSummary >/dev/null
cli=src/PatchKit.Cli/bin/Release/net10.0/PatchKit.Cli.dll
abs=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
bytes=$(stat -c %s "$abs")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

time_it() { # name, command...
  local name=$1; shift
  local times=()
  "$@" >/dev/null 2>&1 || true # warm up
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '| %-34s | %9.1f ms | %8.0f MB/s |\n' "$name" "$(echo "$median / 1000" | bc -l)" "$(echo "$bytes / $median" | bc -l)"
}

machine_facts before "$abs"
echo "file: $file ($bytes bytes), median of $runs runs"
echo "| command | median | throughput |"
echo "|---|---|---|"
time_it "/bin/true (start floor)" /bin/true
time_it "patch --version (GNU start)" patch --version
time_it "cat > /dev/null (read floor)" cat "$abs"
time_it "wc -l" wc -l "$abs"
time_it "git apply --numstat" bash -c "cd '$scratch' && git apply --numstat '$abs'"
time_it "patchkit stat --numstat" dotnet "$cli" stat --numstat "$abs"
time_it "dotnet PatchKit.Cli --version (start)" dotnet "$cli" --version
if [ -n "${PATCHKIT_BINARY:-}" ]; then
  time_it "patchkit stat --numstat (AOT)" "$PATCHKIT_BINARY" stat --numstat "$abs"
  time_it "patchkit --version (AOT start)" "$PATCHKIT_BINARY" --version
fi
if [ -n "${PATCHKIT_BASELINE:-}" ]; then
  time_it "baseline stat --numstat (AOT)" "$PATCHKIT_BASELINE" stat --numstat "$abs"
  time_it "baseline --version (AOT start)" "$PATCHKIT_BASELINE" --version
fi
floor=
if [ "${AOT_FLOOR:-}" = 1 ]; then
  dotnet publish benchmarks/aot-floor -c Release -r linux-x64 -p:PublishAot=true -o "$scratch/floor" >"$scratch/floor.log" 2>&1 ||
    { cat "$scratch/floor.log" >&2; exit 2; }
  floor=$scratch/floor/AotFloor
fi
if [ -n "${PATCHKIT_BINARY:-}" ]; then
  # Start-up is timed by perf stat where it is there: the shell's own fork and exec cost more than the process does.
  echo "patchkit --version (AOT): $(_mf_start_ms "$PATCHKIT_BINARY" --version) ms; GNU patch --version: $(_mf_start_ms patch --version) ms; /bin/true: $(_mf_start_ms /bin/true) ms (perf stat, mean of 51)"
  if [ -n "${PATCHKIT_BASELINE:-}" ]; then echo "baseline --version (AOT): $(_mf_start_ms "$PATCHKIT_BASELINE" --version) ms (perf stat, mean of 51)"; fi
  if [ -n "$floor" ]; then echo "Native AOT floor (benchmarks/aot-floor): $(_mf_start_ms "$floor") ms (perf stat, mean of 51)"; fi
fi
machine_facts after
