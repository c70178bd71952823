namespace PatchKit.Diffs;

/// <summary>What a <see cref="UnifiedDiffReader"/> needs to resume on the next buffer (as <c>JsonReaderState</c>).</summary>
/// <remarks>Pass <see cref="UnifiedDiffReader.CurrentState"/> to the reader over the next buffer, which starts at the first byte
/// the previous reader did not consume (<see cref="UnifiedDiffReader.BytesConsumed"/>).</remarks>
public readonly struct UnifiedDiffReaderState
{
    /// <summary>Initializes a new instance of the <see cref="UnifiedDiffReaderState"/> struct for the start of a patch.</summary>
    /// <param name="options">How to read; <see langword="null"/> for the defaults (strict, counts trusted).</param>
    public UnifiedDiffReaderState(PatchParseOptions? options)
    {
        Lenient = options?.Lenient ?? false;
        Recount = options?.Recount ?? false;
        HunksWithoutHeaders = options is { Lenient: true, HunksWithoutHeaders: true };
    }

    internal UnifiedDiffReaderState(in UnifiedDiffReaderState options, long lineNumber, long offset, ReaderMode mode, int oldRemaining, int newRemaining, int hunkIndex, long hunkLine, bool seenFile, bool inBinaryBlock)
    {
        Lenient = options.Lenient;
        Recount = options.Recount;
        HunksWithoutHeaders = options.HunksWithoutHeaders;
        LineNumber = lineNumber;
        Offset = offset;
        Mode = mode;
        OldRemaining = oldRemaining;
        NewRemaining = newRemaining;
        HunkIndex = hunkIndex;
        HunkLine = hunkLine;
        SeenFile = seenFile;
        InBinaryBlock = inBinaryBlock;
    }

    internal bool Lenient { get; }

    internal bool Recount { get; }

    internal bool HunksWithoutHeaders { get; }

    internal long LineNumber { get; }

    internal long Offset { get; }

    internal ReaderMode Mode { get; }

    internal int OldRemaining { get; }

    internal int NewRemaining { get; }

    internal int HunkIndex { get; }

    internal long HunkLine { get; }

    internal bool SeenFile { get; }

    internal bool InBinaryBlock { get; }
}
