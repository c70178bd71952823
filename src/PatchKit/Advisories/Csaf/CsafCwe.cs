namespace PatchKit.Advisories.Csaf;

/// <summary>A CWE reference.</summary>
public sealed class CsafCwe
{
    /// <summary>Gets the id (<c>CWE-79</c>).</summary>
    public string? Id { get; init; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; init; }
}
