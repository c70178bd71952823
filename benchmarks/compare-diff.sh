#!/usr/bin/env bash
# Times `patchkit diff -Naur A B` (Native AOT) against GNU `diff -Naur A B` and `git diff --no-index A B`, interleaved,
# in one run. A and B gather every case's pre/ and post/ of ../shared/corpus/real/commits.tar.zst under its case name;
# they are built in a temporary folder at run time (nothing from the corpus is kept).
# Usage: benchmarks/compare-diff.sh [PATCHKIT_BINARY] [ROUNDS]
#   PATCHKIT_BINARY defaults to a fresh Native AOT publish, copied to the name patchkit:
#   dotnet publish src/PatchKit.Cli -c Release -r linux-x64 -p:PublishAot=true -o <tmp>
#   (not -p:AssemblyName=patchkit: a global property renames the PatchKit library too, and the native
#   binary then fails to load its types; see the comment in src/PatchKit.Cli/PatchKit.Cli.csproj)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
archive="$root/../shared/corpus/real/commits.tar.zst"
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
echo "trees: $pairs file paths, A $(du -sh "$tmp/A" | cut -f1), B $(du -sh "$tmp/B" | cut -f1)"
export LC_ALL=C TZ=UTC
cd "$tmp"
# Warm the page cache and check the outputs once.
diff -Naur A B > gnu.diff 2>/dev/null || true
"$pk" diff -Naur A B > pk.diff 2>/dev/null || true
git diff --no-index A B > git.diff 2>/dev/null || true
if cmp -s gnu.diff pk.diff; then echo "patchkit output: byte-identical to GNU diff ($(wc -c < gnu.diff) bytes)"; else echo "patchkit output: DIFFERS from GNU diff ($(wc -c < pk.diff) vs $(wc -c < gnu.diff) bytes)"; fi
now() { date +%s%N; }
declare -a t_gnu t_pk t_git t_floor
for ((i = 0; i < rounds; i++)); do
  s=$(now); diff -Naur A B > /dev/null 2>&1 || true; e=$(now); t_gnu+=($(( (e - s) / 1000 )))
  s=$(now); "$pk" diff -Naur A B > /dev/null 2>&1 || true; e=$(now); t_pk+=($(( (e - s) / 1000 )))
  s=$(now); git diff --no-index A B > /dev/null 2>&1 || true; e=$(now); t_git+=($(( (e - s) / 1000 )))
  # The physical floor: walk both trees and read every byte once (no comparison, no output).
  s=$(now); find A B -type f -print0 | xargs -0 cat > /dev/null; e=$(now); t_floor+=($(( (e - s) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_gnu=$(median "${t_gnu[@]}"); m_pk=$(median "${t_pk[@]}"); m_git=$(median "${t_git[@]}"); m_floor=$(median "${t_floor[@]}")
printf 'median of %d rounds (wall clock, ms): GNU diff %.1f | patchkit %.1f | git diff --no-index %.1f | floor (find + cat) %.1f\n' "$rounds" \
  "$(echo "$m_gnu/1000" | bc -l)" "$(echo "$m_pk/1000" | bc -l)" "$(echo "$m_git/1000" | bc -l)" "$(echo "$m_floor/1000" | bc -l)"
printf 'patchkit / GNU diff = %.2f, git / GNU diff = %.2f, patchkit / floor = %.2f\n' "$(echo "$m_pk/$m_gnu" | bc -l)" "$(echo "$m_git/$m_gnu" | bc -l)" "$(echo "$m_pk/$m_floor" | bc -l)"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
