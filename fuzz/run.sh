#!/usr/bin/env bash
# Coverage-guided fuzzing of PatchKit with AFL++ through SharpFuzz.
#   fuzz/run.sh [SECONDS] [TARGET...]     default: 60 seconds for every target
# Publishes tests/PatchKit.Fuzz, instruments PatchKit.dll, seeds each target from ../shared/corpus
# (copied into a temporary folder at run time, never into the repo), runs afl-fuzz for SECONDS per target,
# prints executions, coverage, crashes and hangs, and replays every crash so its exception is shown.
# Crashing inputs are kept in fuzz/findings/<target>/ (ignored by git) to be turned into regression tests.
# The fuzzer's random seed is FUZZ_SEED (default 1), so a short run is repeatable up to timing.
# Exit 1 when any target found a crash or a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse apply tree roundtrip)

need_root_install() {
  if ! command -v afl-fuzz >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get install -y --no-install-recommends afl++ >/dev/null
    else
      echo "fuzz/run.sh: afl-fuzz (Debian package afl++) is missing" >&2; exit 2
    fi
  fi
}
need_root_install

tools=${PATCHKIT_TOOLS:-$HOME/.cache/patchkit-tools}
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/patchkit-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
dotnet publish tests/PatchKit.Fuzz -c Release -o "$work/bin" -v q -clp:NoSummary >/dev/null
cp -r "$work/bin" "$work/plain"   # uninstrumented copy: replays crashes outside afl-fuzz
"$tools/sharpfuzz" "$work/bin/PatchKit.dll" >/dev/null

corpus=${PATCHKIT_CORPUS:-$root/../shared/corpus}
seed_patches() { # small real patches from the peers' vectors and the commit cases
  local out=$1 n=0
  mkdir -p "$out"
  if [ -d "$corpus/peers" ]; then
    while IFS= read -r f; do
      cp "$f" "$out/p$n"; n=$((n + 1))
    done < <(find "$corpus/peers" -type f \( -name '*.patch' -o -name '*.diff' -o -name '*.expect' -o -name 'diff.*' \) -size -16k | LC_ALL=C sort | head -n 150)
  fi
  [ "$n" -gt 0 ] || printf -- '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' >"$out/p0"
}
# apply/tree/roundtrip inputs: <patch or old> NUL NUL <file or new>
seed_pairs() {
  local out=$1 n=0
  mkdir -p "$out"
  printf -- '--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n\0\0a\nb\nc\n' >"$out/s$n"; n=$((n + 1))
  printf -- 'diff --git a/x b/y\nsimilarity index 90%%\nrename from x\nrename to y\n--- a/x\n+++ b/y\n@@ -1,2 +1,2 @@\n a\r\n-b\n+c\n\\ No newline at end of file\n\0\0a\r\nb\n' >"$out/s$n"; n=$((n + 1))
  # tree: the part after NUL NUL is a planting recipe (FuzzTree.Create): one seed per planting, each with a few
  # argument bytes, under a benign patch and under one that creates links
  for op in $(seq 0 13); do
    { printf -- '--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n\0\0'; printf "\\$(printf %03o "$op")\\003\\001\\001\\002\\000"; } >"$out/s$n"; n=$((n + 1))
    { printf -- 'diff --git a/l b/l\nnew file mode 120000\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+d/../x\n\\ No newline at end of file\n\0\0'; printf "\\$(printf %03o "$op")\\005\\002\\041"; } >"$out/s$n"; n=$((n + 1))
  done
  if [ -d "$corpus/peers/local-generated" ]; then
    while IFS= read -r f; do
      { cat "$f"; printf '\0\0'; printf 'line1\nline2\nline3\n'; } >"$out/s$n"; n=$((n + 1))
    done < <(find "$corpus/peers/local-generated" -type f -name '*.patch' -size -8k | LC_ALL=C sort | head -n 60)
  fi
}

status=0
mkdir -p fuzz/findings
printf '%-10s %8s %12s %10s %8s %8s %8s\n' target seconds executions exec/s coverage crashes hangs
for t in "${targets[@]}"; do
  seeds="$work/seeds-$t"
  case $t in parse) seed_patches "$seeds" ;; *) seed_pairs "$seeds" ;; esac
  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1 \
    AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000 \
    timeout $((secs + 120)) afl-fuzz -V "$secs" -s "${FUZZ_SEED:-1}" -i "$seeds" -o "$work/out-$t" -m none -t 10000 \
    -- dotnet "$work/bin/PatchKit.Fuzz.dll" "$t" >"$work/afl-$t.log" 2>&1 || true
  stats="$work/out-$t/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "fuzz/run.sh: afl-fuzz did not start for $t; its log:" >&2
    tail -n 30 "$work/afl-$t.log" >&2
    status=1
    continue
  fi
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  printf '%-10s %8s %12s %10s %8s %8s %8s\n' "$t" "$secs" "$(get execs_done)" "$(get execs_per_sec)" "$(get bitmap_cvg)" "$(get saved_crashes)" "$(get saved_hangs)"
  for kind in crashes hangs; do
    for f in "$work/out-$t/default/$kind"/id*; do
      [ -e "$f" ] || continue
      status=1
      mkdir -p "fuzz/findings/$t"
      cp "$f" "fuzz/findings/$t/$kind-$(sha1sum "$f" | cut -c1-12)"
      echo "--- $t $kind $(basename "$f"):"
      timeout 20 dotnet "$work/plain/PatchKit.Fuzz.dll" "$t" "$f" 2>&1 | head -n 8 || true
    done
  done
done
exit $status
