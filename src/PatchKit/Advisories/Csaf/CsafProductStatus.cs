namespace PatchKit.Advisories.Csaf;

/// <summary>The product ids per status of one vulnerability.</summary>
public sealed class CsafProductStatus
{
    /// <summary>Gets first affected versions.</summary>
    public IReadOnlyList<string> FirstAffected { get; init => field = value ?? []; } = [];

    /// <summary>Gets first fixed versions.</summary>
    public IReadOnlyList<string> FirstFixed { get; init => field = value ?? []; } = [];

    /// <summary>Gets fixed versions.</summary>
    public IReadOnlyList<string> Fixed { get; init => field = value ?? []; } = [];

    /// <summary>Gets known affected products.</summary>
    public IReadOnlyList<string> KnownAffected { get; init => field = value ?? []; } = [];

    /// <summary>Gets known not affected products.</summary>
    public IReadOnlyList<string> KnownNotAffected { get; init => field = value ?? []; } = [];

    /// <summary>Gets last affected versions.</summary>
    public IReadOnlyList<string> LastAffected { get; init => field = value ?? []; } = [];

    /// <summary>Gets recommended versions.</summary>
    public IReadOnlyList<string> Recommended { get; init => field = value ?? []; } = [];

    /// <summary>Gets products under investigation.</summary>
    public IReadOnlyList<string> UnderInvestigation { get; init => field = value ?? []; } = [];
}
