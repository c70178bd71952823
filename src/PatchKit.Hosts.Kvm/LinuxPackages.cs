using System.Text;

namespace PatchKit.Hosts.Kvm;

/// <summary>Reads a Linux guest's installed packages through the agent (<c>dpkg-query -W</c>, else <c>rpm -qa</c>) and
/// installs packages with its package manager.</summary>
internal static class LinuxPackages
{
    private const string ListScript =
        "if command -v dpkg-query >/dev/null 2>&1; then echo dpkg; dpkg-query -W -f='${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\n';" +
        " elif command -v rpm >/dev/null 2>&1; then echo rpm; rpm -qa --qf 'ii \\t%{NAME}\\t%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{VENDOR}\\n';" +
        " else echo none; fi";

    public static async Task<IReadOnlyList<InstalledPackage>> ReadAsync(GuestAgentClient agent, CancellationToken cancellationToken)
    {
        var r = await agent.ExecAsync(new GuestCommand { Program = "/bin/sh", Arguments = ["-c", ListScript], Timeout = TimeSpan.FromMinutes(2) }, cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            return [];
        }

        string[] lines = Encoding.UTF8.GetString(r.StandardOutput.Span).Split('\n');
        var format = lines[0].Trim() switch { "dpkg" => PackageFormat.Dpkg, "rpm" => PackageFormat.Rpm, _ => PackageFormat.Unknown };
        if (format == PackageFormat.Unknown)
        {
            return [];
        }

        var list = new List<InstalledPackage>();
        foreach (string line in lines.Skip(1))
        {
            string[] f = line.Split('\t');
            if (f.Length < 4 || !f[0].StartsWith("ii", StringComparison.Ordinal))
            {
                continue;
            }

            list.Add(new InstalledPackage
            {
                Format = format, Name = f[1], Version = f[2], Architecture = f[3],
                SourceName = f.Length > 4 && f[4].Length > 0 ? f[4] : f[1], Vendor = f.Length > 5 ? f[5] : string.Empty,
            });
        }

        return list;
    }

    /// <summary>True when a package payload names a package file on this machine (a <c>file:</c> URI, or an absolute
    /// path ending in .deb or .rpm) rather than a package of the guest's repositories.</summary>
    public static bool IsHostPackageFile(string location) =>
        location.StartsWith("file:", StringComparison.Ordinal)
        || (location.StartsWith('/') && (location.EndsWith(".deb", StringComparison.Ordinal) || location.EndsWith(".rpm", StringComparison.Ordinal)));

    /// <summary>Installs <c>name</c> or <c>name=version</c> items; returns the package manager used, or null when the
    /// guest has none.</summary>
    public static string InstallScript => """
        set -u
        if command -v apt-get >/dev/null 2>&1; then
          export DEBIAN_FRONTEND=noninteractive
          apt-get install -y -q --no-install-recommends "$@" || exit $?
          echo apt-get
        elif command -v dnf >/dev/null 2>&1 || command -v yum >/dev/null 2>&1; then
          pm=$(command -v dnf || command -v yum)
          items=""
          for a in "$@"; do items="$items $(echo "$a" | sed 's/=/-/')"; done
          $pm -y install $items || exit $?
          echo "$(basename "$pm")"
        elif command -v zypper >/dev/null 2>&1; then
          zypper --non-interactive install "$@" || exit $?
          echo zypper
        else
          echo "no package manager (apt-get, dnf, yum, zypper) in the guest" >&2
          exit 127
        fi
        if [ -e /var/run/reboot-required ]; then echo reboot-required; fi
        """;
}
