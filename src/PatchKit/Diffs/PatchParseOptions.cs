namespace PatchKit.Diffs;

/// <summary>How a patch is read.</summary>
public sealed class PatchParseOptions
{
    /// <summary>Initializes a new instance of the <see cref="PatchParseOptions"/> class with the defaults.</summary>
    public PatchParseOptions()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PatchParseOptions"/> class as a copy of another.</summary>
    /// <param name="other">The options to copy.</param>
    public PatchParseOptions(PatchParseOptions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Lenient = other.Lenient;
        Recount = other.Recount;
        RequirePatch = other.RequirePatch;
        ReadNormalDiffs = other.ReadNormalDiffs;
        HunksWithoutHeaders = other.HunksWithoutHeaders;
    }

    /// <summary>Gets or sets a value indicating whether what cannot be read is skipped as garbage, as GNU patch does.</summary>
    /// <value>The default value is <see langword="false"/>: a malformed hunk header, a hunk header without file headers or a
    /// hunk whose lines do not match its counts is a <see cref="PatchFormatException"/>. When <see langword="true"/>, a malformed
    /// header and a hunk header without file headers are skipped as garbage. A hunk whose body is shorter than its header
    /// (a patch cut off or damaged) is an error either way, as GNU patch's "unexpected end of file in patch" and
    /// git apply's "corrupt patch"; only <see cref="Recount"/> takes the counts from the lines. So is a context diff hunk's
    /// range that is not a line number or range (GNU patch's "missing line number").</value>
    public bool Lenient { get; set; }

    /// <summary>Gets or sets a value indicating whether hunk counts are ignored and inferred from the lines, as <c>git apply --recount</c>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Recount { get; set; }

    /// <summary>Gets or sets a value indicating whether input without any file patch is an error.</summary>
    /// <value>The default value is <see langword="false"/>: such input (a cover letter, a mail without a diff, the wrong file)
    /// gives a document whose <see cref="PatchDocument.Files"/> is empty and whose <see cref="PatchDocument.Preamble"/> holds
    /// the whole input. When <see langword="true"/>, it is a <see cref="PatchFormatException"/> ("No patch found in the input"),
    /// as GNU patch ("Only garbage was found in the patch input") and <c>git apply</c> without <c>--allow-empty</c> refuse it.</value>
    public bool RequirePatch { get; set; }

    /// <summary>Gets or sets a value indicating whether <see cref="PatchDocument.Parse"/> recognises the two formats that name
    /// no file: normal diffs and ed scripts.</summary>
    /// <value>The default value is <see langword="true"/>: input that holds no unified, context or git file patch and reads,
    /// whole, as a normal diff (its first non-blank line a command such as <c>5c5</c>) is read as
    /// <see cref="PatchDocument.ParseNormal"/> reads it (one file patch without paths, <see cref="PatchDialect.Normal"/>);
    /// input whose first non-blank line is an ed command (<c>5c</c>, <c>1,2d</c>) is a <see cref="PatchFormatException"/>
    /// (reason <c>EdScript</c>) that says to read it with <see cref="PatchDocument.ParseEd"/>, since an ed script holds no old
    /// lines. When <see langword="false"/>, both are text without a file patch, as before (see <see cref="RequirePatch"/>).</value>
    public bool ReadNormalDiffs { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a lenient read takes a hunk that no file header names as the start of
    /// a file patch without paths, as GNU patch reads its input when it is told the file to patch or under POSIX.</summary>
    /// <value>The default value is <see langword="false"/>: such a hunk is garbage (<see cref="Lenient"/>) or an error. When
    /// <see langword="true"/> and <see cref="Lenient"/> is set, a unified hunk header (<c>@@ -a,b +c,d @@</c>) or a context
    /// diff's row of stars followed by its <c>*** a,b ****</c> line that comes outside a file patch (at the start, or after
    /// text that ended the file patch before) opens a <see cref="FileOperation.Modify"/> file patch whose paths are both
    /// empty; the caller says which file it patches.</value>
    public bool HunksWithoutHeaders { get; set; }
}
