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

    /// <summary>Gets or sets the file's parts other than its entries with an id (policy keys and their short values).</summary>
    public List<RunInputPart> Parts { get; set; } = [];

    /// <summary>Gets or sets the entries with an id (hosts, patches, adapters), packed: each entry's 32-bit hash, then
    /// their names one a line, Brotli-compressed, base64. A fleet of 10,000 hosts packs into 71 KB where a JSON
    /// object per host took 590 KB; <see langword="null"/> when the file has none.</summary>
    public string? Entries { get; set; }

    /// <summary>Gets or sets how many entries <see cref="Entries"/> packs.</summary>
    public int EntryCount { get; set; }
}
