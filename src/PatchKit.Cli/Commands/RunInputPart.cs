namespace PatchKit.Cli.Commands;

/// <summary>A part of an input file: a host, a patch, a policy key.</summary>
internal sealed class RunInputPart
{
    /// <summary>Gets or sets the part's name as a user reads it ("host esx01", "approval.minimumSeverity").</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the SHA-256 of the part's canonical JSON.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>Gets or sets the value when it is short (a policy setting), else <see langword="null"/>.</summary>
    public string? Value { get; set; }
}
