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
# gpg makes the keys and signatures the OpenPGP tests of CSAF providers check.
need gpg || missing+=(gnupg)
# python3-rpm (librpm's labelCompare) is the reference the rpm version ordering is checked against; Debian's python3 only.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import rpm' >/dev/null 2>&1 || missing+=(python3-rpm)
# The ESX tests' sshd (tests/fixtures/esxi-ssh needs root anyway; without root those tests skip with the reason).
if [ "$(id -u)" = 0 ]; then
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  need ssh-keygen || missing+=(openssh-client)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if need apt-get && [ "$(id -u)" = 0 ]; then
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing ${missing[*]}; install them and run again" >&2
    exit 2
  fi
fi

# Real servers the integration tests start: set up once, cached under ${PATCHKIT_FIXTURE_CACHE:-$HOME/.cache/patchkit-fixtures}.
# WinRM (Apache + mod_auth_gssapi + gss-ntlmssp + the WS-Management replay server): ~15 s cold (apt-get), ~0.4 s cached.
if ! bash tests/fixtures/winrm/setup.sh >/tmp/patchkit-winrm-setup.log 2>&1; then
  if [ "${CI:-}" = true ]; then cat /tmp/patchkit-winrm-setup.log >&2; exit 1; fi
  echo "test.sh: the WinRM fixture could not be set up (see /tmp/patchkit-winrm-setup.log); its tests will be skipped" >&2
fi
# PostgreSQL 15's server programs: the tests start their own server from them (tests/fixtures/postgres/README.md).
tests/fixtures/postgres/setup.sh >/dev/null
# Real QEMU (TCG) and qemu-ga for the KVM adapter tests: host packages and the tiny guest, cached in
# ${PATCHKIT_FIXTURE_CACHE:-$HOME/.cache/patchkit-fixtures}/qemu (a warm run takes well under a second).
# Installing needs root; without it and without QEMU the KVM tests skip with the reason (with CI=true they fail).
if [ "$(id -u)" = 0 ] || command -v qemu-system-x86_64 >/dev/null 2>&1; then
  tests/fixtures/qemu/setup.sh >/dev/null
fi
# A real Debian bookworm guest (debootstrap minbase + qemu-guest-agent + apt from the configured apt mirror) for the
# dpkg inventory and .deb install tests: needs root; 1.5-3.5 min on a cold cache (the debootstrap download), well under a
# second warm. Without it those tests skip with the reason (with CI=true they fail).
if [ "$(id -u)" = 0 ]; then
  if ! tests/fixtures/qemu/setup-distro.sh >/tmp/patchkit-distro-setup.log 2>&1; then
    if [ "${CI:-}" = true ]; then cat /tmp/patchkit-distro-setup.log >&2; exit 1; fi
    echo "test.sh: the Debian guest could not be built (see /tmp/patchkit-distro-setup.log); its tests will be skipped" >&2
  fi
fi
# QEMU 10 from Debian bookworm-backports for the CPR live-update tests (cpr-transfer needs 10.0, bookworm has 7.2):
# downloaded with apt-get download through a private apt state and unpacked with dpkg-deb -x into the fixture cache,
# nothing installed (about 5 s and 13 MB when cold, nothing when warm). Without it those tests skip (CI=true: fail).
if [ -f "${PATCHKIT_FIXTURE_CACHE:-$HOME/.cache/patchkit-fixtures}/qemu/fixture.env" ]; then
  if ! tests/fixtures/qemu/setup-qemu10.sh >/tmp/patchkit-qemu10-setup.log 2>&1; then
    if [ "${CI:-}" = true ]; then cat /tmp/patchkit-qemu10-setup.log >&2; exit 1; fi
    echo "test.sh: QEMU 10 could not be unpacked (see /tmp/patchkit-qemu10-setup.log); the CPR tests will be skipped" >&2
  fi
fi
# The vSphere simulator for the ESX tests, built from Debian's govmomi source (cached; about a minute on a cold cache,
# 0.1 s when up to date). Without it the ESX tests skip with the reason, or fail when CI=true.
if ! tests/fixtures/vcsim/setup.sh >/dev/null; then
  [ "${CI:-}" = true ] && { echo "test.sh: tests/fixtures/vcsim/setup.sh failed" >&2; exit 1; }
  echo "test.sh: the vSphere simulator could not be built; the ESX tests will be skipped" >&2
fi
# GnuQuiltTests: quilt, dpkg-source and a real 3.0 (quilt) source package (cached; a few seconds when cold).
tests/fixtures/debian-source/setup.sh
# ReportBrowserTests: Debian's chromium, driven by Microsoft.Playwright (no browser download); about a minute when
# missing (apt-get), a no-op when /usr/bin/chromium is there. Without it those tests skip with the reason (CI=true: fail).
if ! tests/fixtures/chromium/setup.sh >/tmp/patchkit-chromium-setup.log 2>&1; then
  if [ "${CI:-}" = true ]; then cat /tmp/patchkit-chromium-setup.log >&2; exit 1; fi
  echo "test.sh: chromium could not be installed (see /tmp/patchkit-chromium-setup.log); the report's browser tests will be skipped" >&2
fi
# ThreeWayNextReleaseTests: the next upstream release of 17 of the corpus's Debian packages, as Debian 13 ships them
# (cached; about 60 MB of downloads and under a minute when cold, nothing when warm).
if ! tests/fixtures/debian-next/setup.sh; then
  [ "${CI:-}" = true ] && { echo "test.sh: tests/fixtures/debian-next/setup.sh failed" >&2; exit 1; }
  echo "test.sh: the next Debian releases could not be fetched; ThreeWayNextReleaseTests will be skipped" >&2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test PatchKit.sln -c Release "$@"
