#!/usr/bin/env bash
# Runs the CLI's process tests (error paths, console output, signals) against a Native AOT build of patchkit instead of
# the JIT build `dotnet test` uses: the AOT binary has the same UseSystemResourceKeys runtime setting, no JIT and a
# trimmed framework, so a message or a JSON read that only works with reflection shows up here. The GNU comparison
# table (GnuCompatTests: every row, GNU patch/diff against the AOT binary through `patch`/`diff` links, which is how
# the drop-in is installed) runs here too, with the random diff slice (GnuDiffRandomTests): about 50 s on two busy
# cores, as the AOT binary starts faster than the JIT.
# The publish writes two binaries (patchkit without the lifecycle commands, patchkit-lifecycle with all; see
# docs/packaging.md): the tests run the first, which hands lifecycle commands to the second.
# Usage: eng/aot-check.sh   (needs clang, installed with apt-get when missing and run as root; 4 minutes on two cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! command -v clang >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get install -y --no-install-recommends clang zlib1g-dev >/dev/null
  else
    echo "aot-check: Native AOT needs clang (and zlib1g-dev); install them and run again" >&2
    exit 2
  fi
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/patchkit-aot.XXXXXX")
trap 'rm -rf "$out"' EXIT
dotnet publish src/PatchKit.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$out" > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }
if grep -E ": warning [A-Z]+[0-9]+" "$out/publish.log" | sort -u | grep .; then
  echo "aot-check: the Native AOT publish has warnings (above)" >&2
  exit 1
fi
dotnet build tests/PatchKit.Tests -c Release > /dev/null
PATCHKIT_TEST_NATIVE_CLI="$out/PatchKit.Cli" dotnet test tests/PatchKit.Tests -c Release --no-build \
  --filter "FullyQualifiedName~PatchKit.Tests.Cli.CliErrorTests|FullyQualifiedName~PatchKit.Tests.Cli.ConsoleOutputTests|FullyQualifiedName~PatchKit.Tests.Cli.GnuCompat.GnuCompatTests|FullyQualifiedName~PatchKit.Tests.Cli.GnuCompat.GnuDiffRandomTests|FullyQualifiedName~PatchKit.Tests.Cli.NativeBinaryTests"
