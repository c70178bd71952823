using PatchKit.Hosts;

namespace PatchKit.Advisories;

/// <summary>Which machines a patch is for: a kind, optionally narrowed by version prefix, build range and tag.</summary>
public sealed record PatchAppliesTo
{
    /// <summary>Gets the kind of machine.</summary>
    public required HostKind Kind { get; init; }

    /// <summary>Gets a version prefix the host's version must start with (<c>8.0</c>), or <see langword="null"/> for any.</summary>
    public string? VersionPrefix { get; init; }

    /// <summary>Gets the lowest build it applies to (inclusive, compared as numbers), or <see langword="null"/>.</summary>
    public long? MinBuild { get; init; }

    /// <summary>Gets the highest build it applies to (inclusive), or <see langword="null"/>.</summary>
    public long? MaxBuild { get; init; }

    /// <summary>Gets a tag the host must carry, or <see langword="null"/>.</summary>
    public string? Tag { get; init; }

    /// <summary>Returns whether the rule matches a host.</summary>
    /// <param name="host">The host as inventoried.</param>
    /// <returns><see langword="true"/> when the patch is for this host.</returns>
    public bool Matches(HostRecord host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (host.Kind != Kind)
        {
            return false;
        }

        if (VersionPrefix is not null && !host.Version.StartsWith(VersionPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (MinBuild is not null || MaxBuild is not null)
        {
            if (!long.TryParse(host.Build, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long build))
            {
                return false;
            }

            if (build < (MinBuild ?? long.MinValue) || build > (MaxBuild ?? long.MaxValue))
            {
                return false;
            }
        }

        return Tag is null || host.HasTag(Tag);
    }
}
