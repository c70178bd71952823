using PatchKit.Advisories.Versions;
using PatchKit.Hosts;

namespace PatchKit.Advisories;

/// <summary>A package a patch fixes, identified as advisories identify it (ecosystem, name, purl), with the versions
/// that are affected and the ordering those versions follow.</summary>
public sealed class AffectedPackage
{
    /// <summary>Gets how the package is packaged on a host (<see cref="PackageFormat.Dpkg"/>, ...).</summary>
    public required PackageFormat Format { get; init; }

    /// <summary>Gets the package name as the advisory gives it (Debian and OSV name source packages).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the ecosystem as OSV names it (<c>Debian:12</c>, <c>AlmaLinux:9</c>), or the empty string for any.</summary>
    /// <value>The default value is the empty string.</value>
    public string Ecosystem { get; set; } = string.Empty;

    /// <summary>Gets the package URL, or the empty string.</summary>
    /// <value>The default value is the empty string.</value>
    public string Purl { get; set; } = string.Empty;

    /// <summary>Gets the ordering the versions follow; <see cref="VersionScheme.Unknown"/> means no version is
    /// compared and every match is <see cref="VersionMatch.Unknown"/>.</summary>
    public VersionScheme Scheme { get; init; }

    /// <summary>Gets the affected ranges; a version is affected when it falls in any of them.</summary>
    public IReadOnlyList<VersionRange> Ranges { get; set; } = [];

    /// <summary>Decides whether an installed version is affected.</summary>
    /// <param name="installedVersion">The version the host reports.</param>
    /// <returns>The decision; <see cref="VersionMatch.Unknown"/> when any needed comparison cannot be made.</returns>
    public VersionMatch Evaluate(string installedVersion)
    {
        ArgumentNullException.ThrowIfNull(installedVersion);
        if (Scheme == VersionScheme.Unknown || Ranges.Count == 0)
        {
            return VersionMatch.Unknown;
        }

        foreach (var range in Ranges)
        {
            if (range.Introduced is { Length: > 0 } intro && intro != "0")
            {
                if (!VersionComparer.TryCompare(Scheme, installedVersion, intro, out int c))
                {
                    return VersionMatch.Unknown;
                }

                if (c < 0)
                {
                    continue;
                }
            }

            if (range.Fixed is { Length: > 0 } fix)
            {
                if (!VersionComparer.TryCompare(Scheme, installedVersion, fix, out int c))
                {
                    return VersionMatch.Unknown;
                }

                if (c < 0)
                {
                    return VersionMatch.Affected;
                }
            }
            else if (range.LastAffected is { Length: > 0 } last)
            {
                if (!VersionComparer.TryCompare(Scheme, installedVersion, last, out int c))
                {
                    return VersionMatch.Unknown;
                }

                if (c <= 0)
                {
                    return VersionMatch.Affected;
                }
            }
            else
            {
                return VersionMatch.Affected; // no end: every version from Introduced on
            }
        }

        return VersionMatch.NotAffected;
    }

    /// <summary>Returns whether a package a host reports is this one (by binary or source name, same format).</summary>
    /// <param name="installed">The installed package.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool Names(InstalledPackage installed)
    {
        ArgumentNullException.ThrowIfNull(installed);
        return installed.Format == Format
            && (string.Equals(installed.Name, Name, StringComparison.Ordinal)
                || (installed.SourceName.Length > 0 && string.Equals(installed.SourceName, Name, StringComparison.Ordinal)));
    }
}
