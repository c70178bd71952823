using System.Text.Json;

namespace PatchKit.Advisories.Csaf;

/// <summary>The <c>/document</c> member: category (profile), tracking, publisher, notes and references.</summary>
public sealed class CsafDocumentMetadata
{
    /// <summary>Gets the category (<c>csaf_security_advisory</c>, <c>csaf_vex</c>, <c>csaf_informational_advisory</c>, <c>csaf_security_incident_response</c>, <c>csaf_base</c> or another).</summary>
    public string? Category { get; init; }

    /// <summary>Gets the CSAF version (<c>2.0</c>).</summary>
    public string? CsafVersion { get; init; }

    /// <summary>Gets the title.</summary>
    public string? Title { get; init; }

    /// <summary>Gets the language tag, or <see langword="null"/>.</summary>
    public string? Lang { get; init; }

    /// <summary>Gets the source language tag of a translation, or <see langword="null"/>.</summary>
    public string? SourceLang { get; init; }

    /// <summary>Gets the publisher.</summary>
    public CsafPublisher? Publisher { get; init; }

    /// <summary>Gets the tracking information.</summary>
    public CsafTracking? Tracking { get; init; }

    /// <summary>Gets the document notes.</summary>
    public IReadOnlyList<CsafNote> Notes { get; init => field = value ?? []; } = [];

    /// <summary>Gets the document references.</summary>
    public IReadOnlyList<CsafReference> References { get; init => field = value ?? []; } = [];

    /// <summary>Gets the distribution member (TLP) as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? Distribution { get; init; }

    /// <summary>Gets the aggregate severity as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? AggregateSeverity { get; init; }

    /// <summary>Gets the acknowledgments as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? Acknowledgments { get; init; }
}
