#!/usr/bin/env bash
# Randomized comparison of PatchKit's drop-in diff with GNU diff 3.8: each seed makes two files or two small trees
# and a random command line (tests/PatchKit.Tests/Cli/GnuCompat/GnuDiffRandom.cs), run through both programs on
# identical fresh trees by the GNU table's harness, comparing standard output, standard error and exit status.
# CI runs the fixed seeds of GnuDiffRandomTests; this runs any stretch of seeds, at low priority.
# Usage: eng/gnu-diff-random.sh [FIRST] [COUNT]   (default 1000 200)
#   PATCHKIT_TEST_NATIVE_CLI=/path/to/PatchKit.Cli compares the Native AOT binary (faster to start) instead of the JIT build.
#   A failing seed's report names its command line; PATCHKIT_GNU_DIFF_DUMP=DIR writes each seed's tree (and its
#   arguments, one a line, in DIR/SEED/ARGS) to reproduce it by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
first=${1:-1000}
count=${2:-200}
last=$((first + count - 1))
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp "${TMPDIR:-/tmp}/gnu-diff-random.XXXXXX")
trap 'rm -f "$log"' EXIT
nice dotnet build tests/PatchKit.Tests -c Release > "$log" 2>&1 || { cat "$log"; exit 1; }
status=0
PATCHKIT_GNU_DIFF_SEEDS="$first-$last" nice dotnet test tests/PatchKit.Tests -c Release --no-build \
  --filter "FullyQualifiedName~PatchKit.Tests.Cli.GnuCompat.GnuDiffRandomTests.RandomDiff_AsGnuDiff" > "$log" 2>&1 || status=$?
grep -E "^\s+Failed PatchKit" "$log" | sed 's/^ *Failed //' || true
grep -E "^(Passed|Failed)!" "$log" || cat "$log"
exit "$status"
