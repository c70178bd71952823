namespace PatchKit.Advisories.Osv;

/// <summary>The package an <see cref="OsvAffected"/> entry is about.</summary>
public sealed class OsvPackage
{
    /// <summary>Gets the ecosystem (<c>Go</c>, <c>PyPI</c>, <c>AlmaLinux:8</c>, <c>Debian:12</c>, <c>Ubuntu:22.04:LTS</c>), kept as written.</summary>
    public string? Ecosystem { get; init; }

    /// <summary>Gets the package name in its ecosystem.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the package URL, or <see langword="null"/>.</summary>
    public string? Purl { get; init; }
}
