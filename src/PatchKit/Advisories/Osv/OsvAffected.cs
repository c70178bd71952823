using System.Text.Json;

namespace PatchKit.Advisories.Osv;

/// <summary>One affected package: its ranges and/or explicit versions, with ecosystem- and database-specific members kept as raw JSON.</summary>
public sealed class OsvAffected
{
    /// <summary>Gets the package, or <see langword="null"/> when absent.</summary>
    public OsvPackage? Package { get; init; }

    /// <summary>Gets per-package severity scores.</summary>
    public IReadOnlyList<OsvSeverity> Severity { get; init => field = value ?? []; } = [];

    /// <summary>Gets the affected ranges.</summary>
    public IReadOnlyList<OsvRange> Ranges { get; init => field = value ?? []; } = [];

    /// <summary>Gets the explicitly listed affected versions.</summary>
    public IReadOnlyList<string> Versions { get; init => field = value ?? []; } = [];

    /// <summary>Gets the ecosystem-specific member as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? EcosystemSpecific { get; init; }

    /// <summary>Gets the database-specific member as raw JSON, or <see langword="null"/>.</summary>
    public JsonElement? DatabaseSpecific { get; init; }
}
