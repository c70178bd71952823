#!/usr/bin/env bash
# Times `patchkit diff -Naur A B` (Native AOT) against GNU `diff -Naur A B` and `git diff --no-index A B`, interleaved,
# in one run. A and B gather every case's pre/ and post/ of ../shared/corpus/real/commits.tar.zst under its case name;
# they are built in a temporary folder at run time (nothing from the corpus is kept).
# Then the same on big/ (big/pre vs big/post: thousands of files, long minified lines), with each tool's peak memory.
# Each tool's median CPU time (user + system) is printed beside the wall clock (on a shared machine the wall clock is
# mostly waiting for a core); PATCHKIT_BASELINE=<another AOT binary> times a second build in the same rounds.
# Usage: benchmarks/compare-diff.sh [PATCHKIT_BINARY] [ROUNDS]   (PATCHKIT_CORPUS=<folder holding real/> if not ../shared/corpus)
#   PATCHKIT_BINARY defaults to a fresh Native AOT publish, copied to the name patchkit:
#   dotnet publish src/PatchKit.Cli -c Release -r linux-x64 -p:PublishAot=true -o <tmp>
#   (not -p:AssemblyName=patchkit: a global property renames the PatchKit library too, and the native
#   binary then fails to load its types; see the comment in src/PatchKit.Cli/PatchKit.Cli.csproj)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. benchmarks/machine-facts.sh
corpus=${PATCHKIT_CORPUS:-$root/../shared/corpus}
archive="$corpus/real/commits.tar.zst"
bigdir="$corpus/real/big"
[ -e "$archive" ] || { echo "missing $archive (run ../shared/corpus/real/make-corpus.sh --link)" >&2; exit 2; }
rounds=${2:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${1:-}" ]; then
  pk=$1
else
  dotnet publish src/PatchKit.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$tmp/aot" >/dev/null
  cp "$tmp/aot/PatchKit.Cli" "$tmp/aot/patchkit"
  pk="$tmp/aot/patchkit"
fi
mkdir -p "$tmp/x" "$tmp/A" "$tmp/B"
tar --zstd -xf "$archive" -C "$tmp/x"
for c in "$tmp"/x/commits/*/; do
  name=$(basename "$c")
  cp -a "$c/pre" "$tmp/A/$name"
  cp -a "$c/post" "$tmp/B/$name"
done
pairs=$(cd "$tmp" && { (cd A && find . -type f); (cd B && find . -type f); } | sort -u | wc -l)
machine_facts before "$archive"
echo "trees: $pairs file paths, A $(du -sh "$tmp/A" | cut -f1), B $(du -sh "$tmp/B" | cut -f1)"
export LC_ALL=C TZ=UTC
cd "$tmp"
# Warm the page cache and check the outputs once.
diff -Naur A B > gnu.diff 2>/dev/null || true
"$pk" diff -Naur A B > pk.diff 2>/dev/null || true
git diff --no-index A B > git.diff 2>/dev/null || true
if cmp -s gnu.diff pk.diff; then echo "patchkit output: byte-identical to GNU diff ($(wc -c < gnu.diff) bytes)"; else echo "patchkit output: DIFFERS from GNU diff ($(wc -c < pk.diff) vs $(wc -c < gnu.diff) bytes)"; fi
now() { date +%s%N; }
# CPU time (user + system, ms) of the last command run under cpu_of; the wall clock stays the shell's.
cpu_of() { /usr/bin/time -f '%U %S' -o "$tmp/cpu" "$@"; }
last_cpu() { tail -1 "$tmp/cpu" | awk '{printf "%d", ($1 + $2) * 1000}'; }
# PATCHKIT_BASELINE=<another AOT binary> runs it in the same rounds (before/after in one run).
base=${PATCHKIT_BASELINE:-}
declare -a t_gnu t_pk t_git t_floor c_gnu c_pk t_base c_base
for ((i = 0; i < rounds; i++)); do
  s=$(now); cpu_of diff -Naur A B > /dev/null 2>&1 || true; e=$(now); t_gnu+=($(( (e - s) / 1000 ))); c_gnu+=($(last_cpu))
  s=$(now); cpu_of "$pk" diff -Naur A B > /dev/null 2>&1 || true; e=$(now); t_pk+=($(( (e - s) / 1000 ))); c_pk+=($(last_cpu))
  if [ -n "$base" ]; then s=$(now); cpu_of "$base" diff -Naur A B > /dev/null 2>&1 || true; e=$(now); t_base+=($(( (e - s) / 1000 ))); c_base+=($(last_cpu)); fi
  s=$(now); git diff --no-index A B > /dev/null 2>&1 || true; e=$(now); t_git+=($(( (e - s) / 1000 )))
  # The physical floor: walk both trees and read every byte once (no comparison, no output).
  s=$(now); find A B -type f -print0 | xargs -0 cat > /dev/null; e=$(now); t_floor+=($(( (e - s) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_gnu=$(median "${t_gnu[@]}"); m_pk=$(median "${t_pk[@]}"); m_git=$(median "${t_git[@]}"); m_floor=$(median "${t_floor[@]}")
printf 'median of %d rounds (wall clock, ms): GNU diff %.1f | patchkit %.1f | git diff --no-index %.1f | floor (find + cat) %.1f\n' "$rounds" \
  "$(echo "$m_gnu/1000" | bc -l)" "$(echo "$m_pk/1000" | bc -l)" "$(echo "$m_git/1000" | bc -l)" "$(echo "$m_floor/1000" | bc -l)"
printf 'patchkit / GNU diff = %.2f, git / GNU diff = %.2f, patchkit / floor = %.2f\n' "$(echo "$m_pk/$m_gnu" | bc -l)" "$(echo "$m_git/$m_gnu" | bc -l)" "$(echo "$m_pk/$m_floor" | bc -l)"
printf 'median CPU (user + system, ms): GNU diff %d | patchkit %d; patchkit / GNU diff = %.2f\n' "$(median "${c_gnu[@]}")" "$(median "${c_pk[@]}")" "$(echo "$(median "${c_pk[@]}")/$(median "${c_gnu[@]}")" | bc -l)"
[ -z "$base" ] || printf 'baseline: median wall %.1f ms, CPU %d ms (baseline / GNU diff = %.2f)\n' "$(echo "$(median "${t_base[@]}")/1000" | bc -l)" "$(median "${c_base[@]}")" "$(echo "$(median "${t_base[@]}")/$m_gnu" | bc -l)"

if [ -d "$bigdir/pre" ]; then
  echo "# big/: diff -Naur big/pre big/post ($(find "$bigdir/pre" "$bigdir/post" -type f | wc -l) files), $rounds rounds, interleaved"
  ln -sfn "$bigdir/pre" pre; ln -sfn "$bigdir/post" post
  diff -Naur pre/ post/ > gnu-big.diff 2>/dev/null || true
  "$pk" diff -Naur pre/ post/ > pk-big.diff 2>/dev/null || true
  if cmp -s gnu-big.diff pk-big.diff; then echo "patchkit output: byte-identical to GNU diff ($(wc -c < gnu-big.diff) bytes)"; else echo "patchkit output: DIFFERS from GNU diff ($(wc -c < pk-big.diff) vs $(wc -c < gnu-big.diff) bytes)"; fi
  declare -a b_gnu b_pk b_floor bc_gnu bc_pk b_base bc_base
  for ((i = 0; i < rounds; i++)); do
    s=$(now); cpu_of diff -Naur pre/ post/ > /dev/null 2>&1 || true; e=$(now); b_gnu+=($(( (e - s) / 1000 ))); bc_gnu+=($(last_cpu))
    s=$(now); cpu_of "$pk" diff -Naur pre/ post/ > /dev/null 2>&1 || true; e=$(now); b_pk+=($(( (e - s) / 1000 ))); bc_pk+=($(last_cpu))
    if [ -n "$base" ]; then s=$(now); cpu_of "$base" diff -Naur pre/ post/ > /dev/null 2>&1 || true; e=$(now); b_base+=($(( (e - s) / 1000 ))); bc_base+=($(last_cpu)); fi
    s=$(now); find pre/ post/ -type f -print0 | xargs -0 cat > /dev/null; e=$(now); b_floor+=($(( (e - s) / 1000 )))
  done
  /usr/bin/time -f '%M' -o mem-gnu diff -Naur pre/ post/ > /dev/null 2>&1 || true
  /usr/bin/time -f '%M' -o mem-pk "$pk" diff -Naur pre/ post/ > /dev/null 2>&1 || true
  m_gnu=$(median "${b_gnu[@]}"); m_pk=$(median "${b_pk[@]}"); m_floor=$(median "${b_floor[@]}")
  printf 'big/: median (ms): GNU diff %.1f | patchkit %.1f | floor (find + cat) %.1f; patchkit / GNU diff = %.2f; peak RSS: GNU %d MiB, patchkit %d MiB\n' \
    "$(echo "$m_gnu/1000" | bc -l)" "$(echo "$m_pk/1000" | bc -l)" "$(echo "$m_floor/1000" | bc -l)" "$(echo "$m_pk/$m_gnu" | bc -l)" \
    "$(( $(tail -1 mem-gnu) / 1024 ))" "$(( $(tail -1 mem-pk) / 1024 ))"
  printf 'big/: median CPU (user + system, ms): GNU diff %d | patchkit %d; patchkit / GNU diff = %.2f\n' "$(median "${bc_gnu[@]}")" "$(median "${bc_pk[@]}")" "$(echo "$(median "${bc_pk[@]}")/$(median "${bc_gnu[@]}")" | bc -l)"
  [ -z "$base" ] || printf 'big/ baseline: median wall %.1f ms, CPU %d ms (baseline / GNU diff = %.2f)\n' "$(echo "$(median "${b_base[@]}")/1000" | bc -l)" "$(median "${bc_base[@]}")" "$(echo "$(median "${b_base[@]}")/$m_gnu" | bc -l)"
  echo "largest file pair in big/: $(( ( $(find pre/ -type f -printf '%s\n' | sort -n | tail -1) + $(find post/ -type f -printf '%s\n' | sort -n | tail -1) ) / 1048576 )) MiB (old + new)"
fi
machine_facts after
