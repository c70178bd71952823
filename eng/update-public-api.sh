#!/usr/bin/env bash
# Adds every public symbol the PublicAPI analyzer reports as undeclared (RS0016) to
# src/PatchKit/PublicAPI.Unshipped.txt and drops entries for symbols that no longer exist (RS0017).
# Review the diff of the file afterwards: it is the change to the package's public surface.
set -euo pipefail
cd "$(dirname "$0")/.."
file=src/PatchKit/PublicAPI.Unshipped.txt
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build src/PatchKit/PatchKit.csproj -p:TreatWarningsAsErrors=false --no-incremental -clp:NoSummary >"$log" 2>&1 || true
grep -oE "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
  | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" | sort -u >"$log.add" || true
grep -oE "RS0017: Symbol '.*' is part of the declared API, but is either not public or could not be found" "$log" \
  | sed -E "s/^RS0017: Symbol '(.*)' is part of the declared API.*$/\1/" | sort -u >"$log.del" || true
{
  echo '#nullable enable'
  { grep -v '^#nullable enable$' "$file" | grep -vxF -f "$log.del" || true; cat "$log.add"; } | grep -v '^$' | LC_ALL=C sort -u
} >"$file.new"
mv "$file.new" "$file"
echo "added $(wc -l <"$log.add"), removed $(wc -l <"$log.del")"
rm -f "$log.add" "$log.del"
