#!/usr/bin/env bash
# Reads a 1 GiB patch with `patchkit stat --numstat` (Native AOT): wall time and peak memory beside the read floor
# (`cat` and `wc -l` of the same file) and git apply --numstat, in one run. The patch is generated here, in a
# temporary folder (never in the repository): big/patch.diff of the corpus (3,248 files) repeated until it passes
# 1 GiB, so it holds files x 27 file patches and hunks x 27 hunks.
#   benchmarks/big-patch.sh [PATCHKIT_BINARY] [RUNS]   (RUNS defaults to 5)
#   PATCHKIT_BASELINE=<AOT binary> times a second build in the same rounds.
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

# Interleaved rounds (the machine may be shared): each round runs every command once under GNU time; the table gives,
# per command, the median wall time, the median CPU time (user + system) and the largest peak resident set.
# PATCHKIT_BASELINE=<another AOT binary> adds it to the same rounds (before/after in one run).
names=("cat (read floor)" "wc -l" "patchkit stat --numstat FILE" "patchkit stat --numstat < FILE")
cmds=("cat '$big'" "wc -l '$big'" "'$pk' stat --numstat '$big'" "'$pk' stat --numstat < '$big'")
if [ -n "${PATCHKIT_BASELINE:-}" ]; then
  names+=("baseline stat --numstat FILE"); cmds+=("'$PATCHKIT_BASELINE' stat --numstat '$big'")
fi
declare -A wall cpu mem
for _ in $(seq "$runs"); do
  for k in "${!cmds[@]}"; do
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" bash -c "exec ${cmds[$k]}" >/dev/null 2>"$tmp/err" || true
    read -r sec usr sys kib < <(tail -1 "$tmp/time")
    wall[$k]+="$sec "; cpu[$k]+="$(echo "$usr + $sys" | bc -l) "; mem[$k]+="$kib "
  done
done
med() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
echo "| command | median wall | min-max wall | median CPU (user+sys) | peak RSS |"
echo "|---|---:|---:|---:|---:|"
for k in "${!cmds[@]}"; do
  printf '| %s | %s s | %s-%s s | %s s | %d MiB |\n' "${names[$k]}" "$(med "${wall[$k]}")" \
    "$(printf '%s\n' ${wall[$k]} | sort -n | head -1)" "$(printf '%s\n' ${wall[$k]} | sort -n | tail -1)" \
    "$(med "${cpu[$k]}")" "$(( $(printf '%s\n' ${mem[$k]} | sort -n | tail -1) / 1024 ))"
done
/usr/bin/time -f '%e %M' -o "$tmp/time" bash -c "cd '$tmp' && git apply --numstat '$big'" >/dev/null 2>"$tmp/err" || true
echo "git apply --numstat: $(tail -1 "$tmp/time" | awk '{printf "%.3f s, peak %d MiB", $1, $2 / 1024}'); its message: $(head -c 200 "$tmp/err" | tr '\n' ' ')"
"$pk" stat --numstat "$big" | tail -1 | cut -c1-100 | sed 's/^/last line of patchkit: /'
machine_facts after
