namespace PatchKit.Advisories.Csaf;

/// <summary>One revision history entry.</summary>
public sealed class CsafRevision
{
    /// <summary>Gets the version number.</summary>
    public string? Number { get; init; }

    /// <summary>Gets the date as written.</summary>
    public string? Date { get; init; }

    /// <summary>Gets the summary.</summary>
    public string? Summary { get; init; }

    /// <summary>Gets the legacy version, or <see langword="null"/>.</summary>
    public string? LegacyVersion { get; init; }
}
