using System.Text.Json;

namespace PatchKit.Advisories.Osv;

/// <summary>An affected range: its type, the repository for <see cref="OsvRangeType.Git"/>, and its events in record order.</summary>
public sealed class OsvRange
{
    /// <summary>Gets the range type.</summary>
    public OsvRangeType Type { get; init; }

    /// <summary>Gets the repository URL of a GIT range, or <see langword="null"/>.</summary>
    public string? Repo { get; init; }

    /// <summary>Gets the events (introduced, fixed, last_affected, limit) in record order.</summary>
    public IReadOnlyList<OsvEvent> Events { get; init => field = value ?? []; } = [];

    /// <summary>Gets the database-specific member as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? DatabaseSpecific { get; init; }
}
