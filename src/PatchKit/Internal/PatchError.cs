namespace PatchKit.Internal;

/// <summary>The kinds of format error the reader and the document builder report (the message is built from it).</summary>
internal enum PatchError
{
    MalformedHunkHeader,
    LineNumberTooLarge,
    HunkTooShort,
    HunkTruncated,
    ContextHunkTruncated,
    CombinedDiff,
    HunkWithoutFile,
    MalformedContextRange,
    UnexpectedContextLine,
    MalformedBinaryPatch,
    MalformedGitHeader,
    MalformedQuotedPath,
    NoPatch,
}
