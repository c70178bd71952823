#!/usr/bin/env bash
# Reads a 1 GiB patch with `patchkit stat --numstat` (Native AOT): wall time and peak memory beside the read floor
# (`cat` and `wc -l` of the same file) and git apply --numstat, in one run. The patch is generated here, in a
# temporary folder (never in the repository): big/patch.diff of the corpus (3,248 files) repeated until it passes
# 1 GiB, so it holds files x 27 file patches and hunks x 27 hunks.
#   benchmarks/big-patch.sh [PATCHKIT_BINARY] [RUNS]   (RUNS defaults to 5)
#   PATCHKIT_BINARY defaults to a fresh publish: dotnet publish src/PatchKit.Cli -c Release -r linux-x64 -p:PublishAot=true
# Needs the corpus (../shared/corpus/real/make-corpus.sh --link, or PATCHKIT_CORPUS=<folder holding real/>), 1.1 GB of
# free space under ${TMPDIR:-/tmp}, GNU time (/usr/bin/time) for the peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
. benchmarks/machine-facts.sh
CORPUS=${PATCHKIT_CORPUS:-$(pwd)/../shared/corpus}
src=$CORPUS/real/big/patch.diff
[ -f "$src" ] || { echo "big-patch.sh: $src is absent (run ../shared/corpus/real/make-corpus.sh --link)" >&2; exit 2; }
runs=${2:-5}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pk-big-patch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ -n "${1:-}" ]; then
  pk=$1
else
  dotnet publish src/PatchKit.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$tmp/aot" >"$tmp/publish.log" 2>&1 || { cat "$tmp/publish.log" >&2; exit 2; }
  pk=$tmp/aot/PatchKit.Cli
fi
export LC_ALL=C TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CEILING_DIRECTORIES=$tmp
big=$tmp/1g.diff
copies=0
while [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -lt $((1 << 30)) ]; do cat "$src" >>"$big"; copies=$((copies + 1)); done
echo "patch: $copies copies of big/patch.diff, $(stat -c %s "$big") bytes, $(grep -c '^diff --git' "$big") file patches, $(grep -c '^@@' "$big") hunks"
machine_facts before "$big"

# Each run: wall seconds and peak resident set (KiB) from GNU time; output to /dev/null.
measure() { # name, command...
  local name=$1; shift
  local w=() m=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || true
    read -r sec kib < <(tail -1 "$tmp/time")
    w+=("$sec"); m+=("$kib")
  done
  printf '%-34s %8.3f s  (min %s, max %s)  peak %6d MiB\n' "$name" \
    "$(printf '%s\n' "${w[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(printf '%s\n' "${w[@]}" | sort -n | head -1)" "$(printf '%s\n' "${w[@]}" | sort -n | tail -1)" \
    "$(( $(printf '%s\n' "${m[@]}" | sort -n | tail -1) / 1024 ))"
}
echo "| command | median wall | peak RSS |"
# CPU time of one run each (user + system): on a loaded machine the wall clock is mostly waiting for a core.
for c in "cat $big" "wc -l $big" "$pk stat --numstat $big"; do
  /usr/bin/time -f '%U %S' -o "$tmp/time" $c >/dev/null 2>&1 || true
  echo "cpu of '${c##*/}' ($(basename "${c%% *}")): $(tail -1 "$tmp/time" | awk '{printf "%.2f s user + %.2f s system", $1, $2}')"
done
measure "cat (read floor)" cat "$big"
measure "wc -l" wc -l "$big"
measure "patchkit stat --numstat (AOT)" "$pk" stat --numstat "$big"
measure "patchkit stat --numstat < file" bash -c "'$pk' stat --numstat < '$big'"
/usr/bin/time -f '%e %M' -o "$tmp/time" bash -c "cd '$tmp' && git apply --numstat '$big'" >/dev/null 2>"$tmp/err" || true
echo "git apply --numstat: $(tail -1 "$tmp/time" | awk '{printf "%.3f s, peak %d MiB", $1, $2 / 1024}'); its message: $(head -c 200 "$tmp/err" | tr '\n' ' ')"
"$pk" stat --numstat "$big" | tail -1 | cut -c1-100 | sed 's/^/last line of patchkit: /'
machine_facts after
