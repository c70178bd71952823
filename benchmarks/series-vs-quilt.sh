#!/usr/bin/env bash
# `patchkit series push -a` (one transaction) beside `quilt push -a` (GNU patch underneath) on the largest quilt series
# of the corpus (glib2.0, 71 patches; PACKAGE=exim4 for the 66-patch one), interleaved on fresh copies of the same
# unpacked source tree, in one run. Prints each run, the medians and the ratio, and the machine's state: load before and
# after, the start-up time of /bin/true (what starting any process costs here) and of `patchkit --version`.
#
#   benchmarks/series-vs-quilt.sh                     RUNS=7 by default
#   PATCHKIT_BINARY=/path/to/patchkit benchmarks/series-vs-quilt.sh   a Native AOT build (else the JIT build under dotnet)
#
# Needs the corpus's Debian downloads (../shared/corpus/real/make-corpus.sh --link), dpkg-source, quilt (both installed by
# tests/fixtures/debian-source/setup.sh), python3, and a Release build of src/PatchKit.Cli.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
CORPUS=${PATCHKIT_CORPUS:-$REPO/../shared/corpus}
PACKAGE=${PACKAGE:-glib2.0}
RUNS=${RUNS:-7}
big=$(readlink -f "$CORPUS/real/big" 2>/dev/null || true)
DL=$(dirname "${big:-/nonexistent/x}")/downloads/debian/$PACKAGE
[ -d "$DL" ] || { echo "no Debian download of $PACKAGE (run ../shared/corpus/real/make-corpus.sh --link)" >&2; exit 2; }
command -v quilt >/dev/null && command -v dpkg-source >/dev/null || { echo "quilt and dpkg-source are needed (tests/fixtures/debian-source/setup.sh)" >&2; exit 2; }
if [ -n "${PATCHKIT_BINARY:-}" ]; then
  PK=("$PATCHKIT_BINARY"); kind="Native AOT ($PATCHKIT_BINARY)"
else
  dll=$REPO/src/PatchKit.Cli/bin/Release/net10.0/PatchKit.Cli.dll
  [ -f "$dll" ] || { echo "build first: dotnet build src/PatchKit.Cli -c Release" >&2; exit 2; }
  PK=(dotnet "$dll"); kind="JIT (dotnet PatchKit.Cli.dll)"
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pk-series-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export LC_ALL=C TZ=UTC QUILT_PATCHES=debian/patches HOME=$WORK QUILTRC=/dev/null

dpkg-source -q -x --skip-patches "$DL"/*.dsc "$WORK/pristine" >/dev/null 2>&1
patches=$(grep -cv '^[[:space:]]*\(#\|$\)' "$WORK/pristine/debian/patches/series")
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
fresh() { rm -rf "$WORK/t"; cp -a "$WORK/pristine" "$WORK/t"; sync; }

echo "# $PACKAGE: $patches patches; patchkit: $kind"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(uname -r)"
t0=$(now); for _ in $(seq 20); do /bin/true; done; t1=$(now)
echo "# /bin/true start: $(( (t1 - t0) / 20000 )) us"
t0=$(now); for _ in $(seq 5); do "${PK[@]}" --version >/dev/null; done; t1=$(now)
echo "# patchkit --version start: $(( (t1 - t0) / 5000000 )) ms"

q=() k=()
for r in $(seq "$RUNS"); do
  fresh; t0=$(now); (cd "$WORK/t" && quilt push -a -q >/dev/null); t1=$(now); q+=("$(ms "$t0" "$t1")")
  [ "$r" = 1 ] && { (cd "$WORK/t" && find . -type f ! -path './.pc/*' -print0 | sort -z | xargs -0 sha256sum) > "$WORK/quilt.sum"; }
  fresh; t0=$(now); (cd "$WORK/t" && "${PK[@]}" series push -a -q); t1=$(now); k+=("$(ms "$t0" "$t1")")
  [ "$r" = 1 ] && { (cd "$WORK/t" && find . -type f ! -path './.pc/*' -print0 | sort -z | xargs -0 sha256sum) > "$WORK/pk.sum"; }
  echo "run $r: quilt push -a ${q[-1]} ms, patchkit series push -a ${k[-1]} ms"
done
cmp -s "$WORK/quilt.sum" "$WORK/pk.sum" && echo "# same tree: yes" || { echo "# same tree: NO" >&2; exit 1; }
python3 - "${q[*]}" "${k[*]}" <<'PY'
import statistics, sys
q = [int(x) for x in sys.argv[1].split()]; k = [int(x) for x in sys.argv[2].split()]
mq, mk = statistics.median(q), statistics.median(k)
print(f"median: quilt push -a {mq:.0f} ms (min {min(q)}, max {max(q)}); patchkit series push -a {mk:.0f} ms (min {min(k)}, max {max(k)})")
print(f"ratio quilt / patchkit: {mq / mk:.2f}x")
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
