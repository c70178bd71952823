using System.Text.Json;

namespace PatchKit.Advisories.Osv;

/// <summary>One OSV 1.x vulnerability record (<see href="https://ossf.github.io/osv-schema/"/>), as read by <see cref="OsvReader"/>.</summary>
public sealed class OsvRecord
{
    /// <summary>Gets the OSV schema version the record declares (<c>1.6.0</c>), or <see langword="null"/>.</summary>
    public string? SchemaVersion { get; init; }

    /// <summary>Gets the record id (<c>GO-2020-0028</c>, <c>ALSA-2024:4420</c>); required.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Gets when the record was last modified; required by the schema.</summary>
    public DateTimeOffset? Modified { get; init; }

    /// <summary>Gets when the record was published, or <see langword="null"/>.</summary>
    public DateTimeOffset? Published { get; init; }

    /// <summary>Gets when the record was withdrawn, or <see langword="null"/> when it stands.</summary>
    public DateTimeOffset? Withdrawn { get; init; }

    /// <summary>Gets other ids of the same vulnerability (<c>CVE-…</c>, <c>GHSA-…</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init => field = value ?? []; } = [];

    /// <summary>Gets ids of related but different vulnerabilities.</summary>
    public IReadOnlyList<string> Related { get; init => field = value ?? []; } = [];

    /// <summary>Gets ids of upstream records this one derives from.</summary>
    public IReadOnlyList<string> Upstream { get; init => field = value ?? []; } = [];

    /// <summary>Gets a one-line summary, or <see langword="null"/>.</summary>
    public string? Summary { get; init; }

    /// <summary>Gets the details (CommonMark), or <see langword="null"/>.</summary>
    public string? Details { get; init; }

    /// <summary>Gets the severity scores of the whole record.</summary>
    public IReadOnlyList<OsvSeverity> Severity { get; init => field = value ?? []; } = [];

    /// <summary>Gets the affected packages; <see langword="null"/> when the member is absent (the linter reports both absent and empty).</summary>
    public IReadOnlyList<OsvAffected>? Affected { get; init; }

    /// <summary>Gets the references.</summary>
    public IReadOnlyList<OsvReference> References { get; init => field = value ?? []; } = [];

    /// <summary>Gets the database-specific member as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? DatabaseSpecific { get; init; }
}
