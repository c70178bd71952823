#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (python3-rpm: the rpm ordering reference), then `dotnet test`.
# The corpus tests read ../shared/corpus in place and are skipped, with the reason, when it is absent;
# build its real/ part first with ../shared/corpus/real/make-corpus.sh --link (.ci/run does).
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }
missing=()
need git || missing+=(git)
need patch || missing+=(patch)
need diff || missing+=(diffutils)
need zstd || missing+=(zstd)
need strace || missing+=(strace)
need dpkg || missing+=(dpkg)
# python3-rpm (librpm's labelCompare) is the reference the rpm version ordering is checked against; Debian's python3 only.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import rpm' >/dev/null 2>&1 || missing+=(python3-rpm)
if [ ${#missing[@]} -gt 0 ]; then
  if need apt-get && [ "$(id -u)" = 0 ]; then
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing ${missing[*]}; install them and run again" >&2
    exit 2
  fi
fi

# GnuQuiltTests: quilt, dpkg-source and a real 3.0 (quilt) source package (cached; a few seconds when cold).
tests/fixtures/debian-source/setup.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test PatchKit.sln -c Release "$@"
