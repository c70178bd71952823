namespace PatchKit.Diffs;

/// <summary>The kind of line the <see cref="UnifiedDiffReader"/> is positioned on. Every line of the input is exactly one token.</summary>
public enum DiffTokenType : byte
{
    /// <summary>No token has been read yet.</summary>
    None = 0,

    /// <summary>Text before the first file patch (mail headers, commit message, <c>Index:</c>, diffstat).</summary>
    Preamble,

    /// <summary>Text between or after file patches that is not part of any (GNU patch skips it too).</summary>
    Garbage,

    /// <summary>A <c>diff --git a/x b/y</c> line: starts a git file patch.</summary>
    GitDiffHeader,

    /// <summary>A git extended header line (<c>old mode</c>, <c>new file mode</c>, <c>rename from</c>, <c>similarity index</c>, <c>index</c>, …).</summary>
    GitExtendedHeader,

    /// <summary>A unified <c>--- old</c> line (always followed by <see cref="FileHeaderNew"/>).</summary>
    FileHeaderOld,

    /// <summary>A unified <c>+++ new</c> line (in lenient reads also one alone right before a hunk header, which starts a file).</summary>
    FileHeaderNew,

    /// <summary>A hunk header <c>@@ -a,b +c,d @@ heading</c>; the parsed ranges are in <see cref="UnifiedDiffReader.HunkOldStart"/> and friends.</summary>
    HunkHeader,

    /// <summary>A context line (<c>' '</c>, or an empty line inside a hunk).</summary>
    ContextLine,

    /// <summary>An added line (<c>'+'</c>).</summary>
    AddedLine,

    /// <summary>A removed line (<c>'-'</c>).</summary>
    RemovedLine,

    /// <summary>A <c>\ No newline at end of file</c> marker (any text after the backslash).</summary>
    NoNewlineMarker,

    /// <summary>A <c>Binary files a and b differ</c> line.</summary>
    BinaryFilesDiffer,

    /// <summary>A <c>GIT binary patch</c> line.</summary>
    BinaryPatchHeader,

    /// <summary>A <c>literal N</c> or <c>delta N</c> line that starts a binary block.</summary>
    BinaryBlockHeader,

    /// <summary>One base85 line of a binary block.</summary>
    BinaryData,

    /// <summary>The empty line that ends a binary block.</summary>
    BinaryBlockEnd,

    /// <summary>A context diff <c>*** old</c> file header (always followed by <see cref="ContextFileHeaderNew"/>).</summary>
    ContextFileHeaderOld,

    /// <summary>A context diff <c>--- new</c> file header.</summary>
    ContextFileHeaderNew,

    /// <summary>The <c>***************</c> line that starts a context diff hunk.</summary>
    ContextHunkSeparator,

    /// <summary>A context diff old range <c>*** a,b ****</c>.</summary>
    ContextOldRange,

    /// <summary>A context diff new range <c>--- c,d ----</c>.</summary>
    ContextNewRange,

    /// <summary>A line of a context hunk's old section (<c>"  "</c>, <c>"- "</c>, <c>"! "</c> or a <c>\</c> marker).</summary>
    ContextOldLine,

    /// <summary>A line of a context hunk's new section (<c>"  "</c>, <c>"+ "</c>, <c>"! "</c> or a <c>\</c> marker).</summary>
    ContextNewLine,
}
