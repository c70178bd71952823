namespace PatchKit.Cli.Commands;

/// <summary>One input file of a run's fingerprint.</summary>
internal sealed class RunInputFile
{
    /// <summary>Gets or sets what the file is ("fleet file", "catalog file", "policy file").</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>Gets or sets the path as the user gave it.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets the SHA-256 of the canonical JSON (of the bytes when the file is not JSON).</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>Gets or sets the file's parts.</summary>
    public List<RunInputPart> Parts { get; set; } = [];
}
