namespace PatchKit.Diffs;

/// <summary>Where the reader is in the grammar (kept in <see cref="UnifiedDiffReaderState"/> between buffers).</summary>
internal enum ReaderMode : byte
{
    Outside = 0,
    GitHeader,
    HeaderPair,
    FileOpen,
    Hunk,
    AfterHunk,
    Binary,
    ContextHeaderPair,
    ContextFileOpen,
    ContextHunkStart,
    ContextOld,
    ContextNew,
}
