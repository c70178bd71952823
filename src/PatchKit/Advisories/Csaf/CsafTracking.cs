using System.Text.Json;

namespace PatchKit.Advisories.Csaf;

/// <summary>The <c>/document/tracking</c> member: id, status, version and revision history.</summary>
public sealed class CsafTracking
{
    /// <summary>Gets the tracking id (<c>RHSA-2024:4420</c>).</summary>
    public string? Id { get; init; }

    /// <summary>Gets the status (<c>draft</c>, <c>interim</c>, <c>final</c>).</summary>
    public string? Status { get; init; }

    /// <summary>Gets the version (integer or semantic versioning).</summary>
    public string? Version { get; init; }

    /// <summary>Gets the initial release date as written.</summary>
    public string? InitialReleaseDate { get; init; }

    /// <summary>Gets the current release date as written.</summary>
    public string? CurrentReleaseDate { get; init; }

    /// <summary>Gets the revision history.</summary>
    public IReadOnlyList<CsafRevision> RevisionHistory { get; init => field = value ?? []; } = [];

    /// <summary>Gets other ids of the document.</summary>
    public IReadOnlyList<string> Aliases { get; init => field = value ?? []; } = [];

    /// <summary>Gets the generator member as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? Generator { get; init; }
}
