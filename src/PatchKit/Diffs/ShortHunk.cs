namespace PatchKit.Diffs;

/// <summary>The first hunk of a file patch whose body holds fewer lines than its header promises: a patch read leniently
/// that was cut off or damaged. The tree applier refuses it (GNU patch: "unexpected end of file in patch"; git apply:
/// "corrupt patch") unless the counts were recounted, and then the CLI warns.</summary>
public readonly struct ShortHunk
{
    internal ShortHunk(int index, long lineNumber, int headerOld, int headerNew, int bodyOld, int bodyNew, bool recounted)
    {
        Index = index;
        LineNumber = lineNumber;
        HeaderOld = headerOld;
        HeaderNew = headerNew;
        BodyOld = bodyOld;
        BodyNew = bodyNew;
        Recounted = recounted;
    }

    /// <summary>Gets the 0-based index of the hunk in its file patch.</summary>
    public int Index { get; }

    /// <summary>Gets the 1-based line of its header in the patch.</summary>
    public long LineNumber { get; }

    /// <summary>Gets the old-side line count its header gives.</summary>
    public int HeaderOld { get; }

    /// <summary>Gets the new-side line count its header gives.</summary>
    public int HeaderNew { get; }

    /// <summary>Gets the old-side lines its body holds.</summary>
    public int BodyOld { get; }

    /// <summary>Gets the new-side lines its body holds.</summary>
    public int BodyNew { get; }

    /// <summary>Gets a value indicating whether the patch was read with <see cref="PatchParseOptions.Recount"/>: the lines
    /// were counted on purpose, so the applier only warns.</summary>
    public bool Recounted { get; }
}
