namespace PatchKit.Advisories;

/// <summary>What to install. Either <see cref="Content"/> (a unified diff carried as bytes) or a reference
/// (<see cref="Uri"/>, <see cref="PackageName"/>) the adapter fetches.</summary>
public sealed record PatchPayload
{
    /// <summary>Gets what the payload is.</summary>
    public PatchPayloadKind Kind { get; init; }

    /// <summary>Gets where the adapter fetches the payload, or <see langword="null"/>.</summary>
    public string? Uri { get; init; }

    /// <summary>Gets the package or component name, or <see langword="null"/>.</summary>
    public string? PackageName { get; init; }

    /// <summary>Gets the package version, or <see langword="null"/>.</summary>
    public string? PackageVersion { get; init; }

    /// <summary>Gets the SHA-256 of the payload as lowercase hex, or <see langword="null"/>.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Gets inline bytes (a unified diff), or <see langword="null"/>. Base64 in JSON.</summary>
    public byte[]? Content { get; init; }
}
