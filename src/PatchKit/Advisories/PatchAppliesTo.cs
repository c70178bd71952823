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

        if (VersionPrefix is not null && !HasVersionPrefix(host.Version, VersionPrefix))
        {
            return false;
        }

        if (MinBuild is not null || MaxBuild is not null)
        {
            if (!TryLeadingBuild(host.Build, out long build))
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

    /// <summary>Whether a version starts with the prefix as whole components: <c>8.0</c> matches <c>8.0</c> and
    /// <c>8.0.2</c>, never <c>8.01</c>.</summary>
    private static bool HasVersionPrefix(string version, string prefix) =>
        version.StartsWith(prefix, StringComparison.Ordinal)
        && (version.Length == prefix.Length || prefix.EndsWith('.') || version[prefix.Length] is '.' or '-' or ' ' or 'u' or 'U');

    /// <summary>The build number a host reports, read up to its first dot: ESXi's <c>23305546</c>, Windows'
    /// <c>20348.2227</c> (build 20348, update revision 2227) as 20348.</summary>
    private static bool TryLeadingBuild(string text, out long build)
    {
        int end = text.IndexOf('.', StringComparison.Ordinal);
        return long.TryParse(end < 0 ? text : text[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out build);
    }
}
