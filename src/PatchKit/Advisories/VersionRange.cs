namespace PatchKit.Advisories;

/// <summary>One range of affected versions, as OSV's events and CSAF's product versions express them: affected from
/// <see cref="Introduced"/> (inclusive; absent means from the beginning) up to <see cref="Fixed"/> (exclusive) or up to
/// and including <see cref="LastAffected"/>.</summary>
public sealed class VersionRange
{
    /// <summary>Gets the first affected version, or <see langword="null"/> for every version before the end.</summary>
    public string? Introduced { get; init; }

    /// <summary>Gets the first version with the fix, or <see langword="null"/>.</summary>
    public string? Fixed { get; init; }

    /// <summary>Gets the last affected version when no fixed version is known, or <see langword="null"/>.</summary>
    public string? LastAffected { get; init; }
}
