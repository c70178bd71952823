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

    /// <summary>Lenient reads: after a <c>---</c> line with no <c>+++</c> line after it, which names the file a later hunk
    /// header (garbage between allowed) opens, as GNU patch reads it.</summary>
    PendingOld,
}
