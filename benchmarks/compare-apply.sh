#!/usr/bin/env bash
# Process-level comparison of `patchkit apply` (Native AOT) with GNU patch and git apply, interleaved on identical
# fresh copies, plus the physical floor measured in the same run, and `patchkit apply --fsync` (durable) beside the
# default. Prints medians and ratios.
#
#   benchmarks/compare-apply.sh            RUNS=5 by default; RUNS=3 benchmarks/compare-apply.sh for a quicker look
#   GIT_ONEFILE_RUNS=0                      skip git apply on the one-file case (it takes about 1.5 minutes a run)
#   PATCHKIT_BASELINE=<binary>              also run an earlier Native AOT build through a `patch` link (rows
#                                           one-dropin-base, big-dropin-base), to compare two builds in the same run
#
# Needs ../shared/corpus/real/big (../shared/corpus/real/make-corpus.sh --link), dotnet, GNU patch, git, node, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
CORPUS=${PATCHKIT_CORPUS:-$REPO/../shared/corpus}
B=$CORPUS/real/big
H=$CORPUS/real
RUNS=${RUNS:-5}
GIT_ONEFILE_RUNS=${GIT_ONEFILE_RUNS:-1}
. "$REPO/benchmarks/machine-facts.sh"
[ -d "$B/pre" ] || { echo "corpus absent: run ../shared/corpus/real/make-corpus.sh --link" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pk-compare-apply.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CEILING_DIRECTORIES=$WORK

mkdir -p "$WORK/aot"
if [ -n "${PATCHKIT_BINARY:-}" ]; then
  cp "$PATCHKIT_BINARY" "$WORK/aot/patchkit"   # an already published Native AOT binary
else
  echo "# building the Native AOT patchkit"
  # The issue's command adds -p:AssemblyName=patchkit; that global property also renames the library, and 'patchkit'
  # and 'PatchKit' are the same assembly name to the runtime, so the binary is published as PatchKit.Cli and renamed.
  dotnet publish src/PatchKit.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$WORK/aot" >"$WORK/publish.log" 2>&1 ||
    { cat "$WORK/publish.log" >&2; exit 2; }
  mv "$WORK/aot/PatchKit.Cli" "$WORK/aot/patchkit"
fi
PK=$WORK/aot/patchkit
# The drop-in: the same binary through a link named patch (GNU patch's behaviour: partial, file by file, .rej/.orig).
mkdir -p "$WORK/bin"; ln -s "$PK" "$WORK/bin/patch"
PKPATCH=$WORK/bin/patch
BASEPATCH=
if [ -n "${PATCHKIT_BASELINE:-}" ]; then
  mkdir -p "$WORK/base/bin"; cp "$PATCHKIT_BASELINE" "$WORK/base/patchkit"; ln -s "$WORK/base/patchkit" "$WORK/base/bin/patch"
  BASEPATCH=$WORK/base/bin/patch
fi
T=$WORK/tree
ONE=$WORK/one

now() { date +%s%N; }
declare -A TIMES
run() { # name, then the command; prints nothing, records milliseconds
  local name=$1; shift
  local s e
  s=$(now); "$@" >/dev/null 2>"$WORK/err" || { echo "$name failed:" >&2; cat "$WORK/err" >&2; exit 2; }; e=$(now)
  TIMES[$name]="${TIMES[$name]:-} $(( (e - s) / 1000000 ))"
}
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
spread() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk 'NR==1{min=$1} {max=$1} END {print min "-" max}'; }
fresh_tree() { rm -rf "$T"; cp -a "$B/pre" "$T"; sync; }
fresh_one() { rm -rf "$ONE"; mkdir -p "$ONE"; cp "$B/onefile/old" "$ONE/${1:-old}"; sync; }

machine_facts before "$B/patch.diff"
echo "# touched paths of the big case (for the floor)"
diff <(node "$H/corpus.js" list "$B/pre") <(node "$H/corpus.js" list "$B/post") |
  sed -n 's/^[<>] [0-9]* [0-9a-f]* //p' | sort -u | tr '\n' '\0' >"$WORK/touched" || true
cat >"$WORK/floor.py" <<'PY'
import os, sys
tree, post, paths, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
names = [p for p in open(paths, 'rb').read().split(b'\0') if p]
if mode == 'read':
    for p in names:
        try:
            with open(os.path.join(tree.encode(), p), 'rb') as f: f.read()
        except (FileNotFoundError, IsADirectoryError): pass
    sys.exit(0)
if mode == 'newinode':
    # What GNU's way of writing needs at the least: one new inode per file it writes (here unnamed, O_TMPFILE in the
    # tree's top folder, held to the end), no data written, nothing renamed, the old inodes not freed.
    held = []
    for p in names:
        if os.path.isfile(os.path.join(tree.encode(), p)) and not os.path.islink(os.path.join(tree.encode(), p)):
            held.append(os.open(tree, os.O_TMPFILE | os.O_RDWR, 0o600))
    sys.exit(0)
for p in names:  # in place: open, truncate, write the post/ bytes; delete the deleted ones
    src, dst = os.path.join(post.encode(), p), os.path.join(tree.encode(), p)
    if os.path.islink(src) or not os.path.exists(src):
        if os.path.lexists(dst): os.unlink(dst)
        if os.path.islink(src): os.symlink(os.readlink(src), dst)
        continue
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    data = open(src, 'rb').read()
    with open(dst, 'wb') as f: f.write(data)
PY

echo "# checking that patchkit gives the expected trees"
fresh_tree; "$PK" apply -s -p1 -d "$T" -i "$B/patch.diff"
[ "$(node "$H/corpus.js" hash "$T")" = "$(cat "$B/post.sha256")" ] || { echo "patchkit: wrong tree for big/patch.diff" >&2; exit 2; }
fresh_one; "$PK" apply -s "$ONE/old" -i "$B/onefile/onefile.diff"; cmp -s "$ONE/old" "$B/onefile/new" || { echo "patchkit: wrong onefile result" >&2; exit 2; }
fresh_tree; "$PKPATCH" -s -p1 -d "$T" -i "$B/patch.diff"
[ "$(node "$H/corpus.js" hash "$T")" = "$(cat "$B/post.sha256")" ] || { echo "patchkit as patch: wrong tree for big/patch.diff" >&2; exit 2; }
fresh_one; "$PKPATCH" -s "$ONE/old" -i "$B/onefile/onefile.diff"; cmp -s "$ONE/old" "$B/onefile/new" || { echo "patchkit as patch: wrong onefile result" >&2; exit 2; }

echo "# one file ($(du -h "$B/onefile/onefile.diff" | cut -f1) diff, $(grep -c '^@@' "$B/onefile/onefile.diff") hunks), $RUNS interleaved runs"
for i in $(seq "$RUNS"); do
  fresh_one; run one-patchkit "$PK" apply -s "$ONE/old" -i "$B/onefile/onefile.diff"
  fresh_one; run one-gnu patch -s "$ONE/old" -i "$B/onefile/onefile.diff"
  fresh_one; run one-dropin "$PKPATCH" -s "$ONE/old" -i "$B/onefile/onefile.diff"
  [ -z "$BASEPATCH" ] || { fresh_one; run one-dropin-base "$BASEPATCH" -s "$ONE/old" -i "$B/onefile/onefile.diff"; }
done
for i in $(seq "$GIT_ONEFILE_RUNS"); do
  fresh_one new; run one-git bash -c "cd '$ONE' && git apply '$B/onefile/onefile.diff'"
done

echo "# big tree ($(du -sh "$B/pre" | cut -f1), $(grep -c '^diff --git' "$B/patch.diff") files in patch.diff), $RUNS interleaved runs on fresh copies"
for i in $(seq "$RUNS"); do
  fresh_tree; run big-patchkit "$PK" apply -s -p1 -d "$T" -i "$B/patch.diff"
  fresh_tree; run big-pk-fsync "$PK" apply -s -p1 --fsync -d "$T" -i "$B/patch.diff"
  fresh_tree; run big-gnu patch -d "$T" -p1 -s -i "$B/patch.diff"
  fresh_tree; run big-dropin "$PKPATCH" -d "$T" -p1 -s -i "$B/patch.diff"
  [ -z "$BASEPATCH" ] || { fresh_tree; run big-dropin-base "$BASEPATCH" -d "$T" -p1 -s -i "$B/patch.diff"; }
  fresh_tree; run big-git bash -c "cd '$T' && git apply -p1 '$B/patch.diff'"
  fresh_tree; run floor-read python3 "$WORK/floor.py" "$T" "$B/post" "$WORK/touched" read
  fresh_tree; run floor-newinode python3 "$WORK/floor.py" "$T" "$B/post" "$WORK/touched" newinode
  fresh_tree; run floor-inplace python3 "$WORK/floor.py" "$T" "$B/post" "$WORK/touched" inplace
  fresh_tree; run floor-rename node "$H/corpus.js" floor "$T" "$B/post" "$WORK/touched"
done

echo
printf '%-16s %10s %14s\n' what "median ms" "min-max ms"
for k in one-patchkit one-dropin one-dropin-base one-gnu one-git big-patchkit big-dropin big-dropin-base big-pk-fsync big-gnu big-git floor-read floor-newinode floor-inplace floor-rename; do
  [ -n "${TIMES[$k]:-}" ] && printf '%-16s %10s %14s\n' "$k" "$(median "${TIMES[$k]}")" "$(spread "${TIMES[$k]}")"
done
m() { median "${TIMES[$1]}"; }
echo
awk -v pk="$(m one-patchkit)" -v gnu="$(m one-gnu)" 'BEGIN {printf "one file: GNU patch / patchkit = %.2fx (goal >= 2x)\n", gnu/pk}'
[ -n "${TIMES[one-git]:-}" ] && awk -v pk="$(m one-patchkit)" -v git="$(m one-git)" 'BEGIN {printf "one file: git apply / patchkit = %.1fx\n", git/pk}'
awk -v pk="$(m big-patchkit)" -v gnu="$(m big-gnu)" -v git="$(m big-git)" -v fi="$(m floor-inplace)" -v fr="$(m floor-rename)" 'BEGIN {
  best = gnu < git ? gnu : git
  printf "big tree: faster of GNU patch/git apply / patchkit = %.2fx (goal >= 4x)\n", best/pk
  printf "big tree: patchkit / in-place floor = %.2fx, patchkit / temp+rename floor = %.2fx\n", pk/fi, pk/fr
  printf "big tree: the goal needs patchkit <= %d ms; the in-place floor is %d ms\n", best/4, fi }'
awk -v pk="$(m one-dropin)" -v gnu="$(m one-gnu)" 'BEGIN {printf "one file, drop-in (patch link): GNU patch / patchkit = %.2fx\n", gnu/pk}'
awk -v pk="$(m big-dropin)" -v gnu="$(m big-gnu)" 'BEGIN {printf "big tree, drop-in (patch link): GNU patch / patchkit = %.2fx\n", gnu/pk}'
awk -v pk="$(m big-dropin)" -v ni="$(m floor-newinode)" -v rd="$(m floor-read)" 'BEGIN {printf "big tree, drop-in / new-inode floor (one new inode per patched file, nothing written) = %.2fx; that floor / read floor = %.1fx\n", pk/ni, ni/rd}'
if [ -n "$BASEPATCH" ]; then
  awk -v pk="$(m one-dropin-base)" -v gnu="$(m one-gnu)" 'BEGIN {printf "one file, baseline drop-in: GNU patch / baseline = %.2fx\n", gnu/pk}'
  awk -v pk="$(m big-dropin-base)" -v gnu="$(m big-gnu)" 'BEGIN {printf "big tree, baseline drop-in: GNU patch / baseline = %.2fx\n", gnu/pk}'
fi
awk -v pk="$(m big-patchkit)" -v fs="$(m big-pk-fsync)" 'BEGIN {printf "big tree: patchkit --fsync / patchkit = %.2fx (the cost of surviving a power cut)\n", fs/pk}'
machine_facts after
