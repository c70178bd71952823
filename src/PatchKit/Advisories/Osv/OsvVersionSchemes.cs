using PatchKit.Advisories.Versions;

namespace PatchKit.Advisories.Osv;

/// <summary>Which <see cref="VersionScheme"/> orders the versions of an OSV range. Anything this library has no ordering for is
/// <see cref="VersionScheme.Unknown"/>, so a matcher answers "unknown" instead of guessing (PyPI's PEP 440, Maven, NuGet, RubyGems,
/// Alpine's apk and GIT commits among them).</summary>
public static class OsvVersionSchemes
{
    /// <summary>Returns the scheme of a range of the given type in the given ecosystem.</summary>
    /// <param name="type">The range type.</param>
    /// <param name="ecosystem">The affected package's ecosystem as written (<c>Debian:12</c>, <c>AlmaLinux:8</c>, <c>Ubuntu:22.04:LTS</c>, <c>npm</c>), or <see langword="null"/>.</param>
    /// <returns><see cref="VersionScheme.SemVer"/> for SEMVER ranges; for ECOSYSTEM ranges dpkg for Debian and Ubuntu, rpm for the RPM
    /// distributions, SemVer for Go, npm, crates.io and Hex; otherwise <see cref="VersionScheme.Unknown"/>.</returns>
    public static VersionScheme For(OsvRangeType type, string? ecosystem)
    {
        if (type == OsvRangeType.Semver)
        {
            return VersionScheme.SemVer;
        }

        if (type != OsvRangeType.Ecosystem || string.IsNullOrEmpty(ecosystem))
        {
            return VersionScheme.Unknown;
        }

        int colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        string name = colon >= 0 ? ecosystem[..colon] : ecosystem;
        return name switch
        {
            "Debian" or "Ubuntu" => VersionScheme.Dpkg,
            "AlmaLinux" or "Rocky Linux" or "Red Hat" or "openSUSE" or "SUSE" or "Mageia" or "openEuler" or "Azure Linux" => VersionScheme.Rpm,
            "Go" or "npm" or "crates.io" or "Hex" => VersionScheme.SemVer,
            _ => VersionScheme.Unknown,
        };
    }
}
