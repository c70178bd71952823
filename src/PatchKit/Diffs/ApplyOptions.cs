namespace PatchKit.Diffs;

/// <summary>How a patch is applied: matching rules (fuzz, whitespace, line endings), direction, and what the tree
/// apply may do.</summary>
/// <remarks>
/// The defaults follow GNU <c>patch</c> where GNU patch and <c>git apply</c> differ (fuzz 2, offsets searched both
/// ways nearest first), except that a tree apply is all-or-nothing unless <see cref="Partial"/> is set. The applier
/// copies the values when an operation starts; later edits have no effect on a running operation.
/// </remarks>
public sealed class ApplyOptions
{
    /// <summary>Initializes a new instance of the <see cref="ApplyOptions"/> class with the defaults.</summary>
    public ApplyOptions()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ApplyOptions"/> class as a copy of another.</summary>
    /// <param name="other">The options to copy.</param>
    public ApplyOptions(ApplyOptions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Fuzz = other.Fuzz;
        Reverse = other.Reverse;
        SkipAlreadyApplied = other.SkipAlreadyApplied;
        DetectReversed = other.DetectReversed;
        IgnoreWhitespace = other.IgnoreWhitespace;
        MatchLineEndings = other.MatchLineEndings;
        StripComponents = other.StripComponents;
        Partial = other.Partial;
        DryRun = other.DryRun;
        BackupOriginals = other.BackupOriginals;
        AllowGitDirectory = other.AllowGitDirectory;
        PortableNames = other.PortableNames;
        MaxDegreeOfParallelism = other.MaxDegreeOfParallelism;
        RejectFile = other.RejectFile;
        ThreeWay = other.ThreeWay;
        FlushToDisk = other.FlushToDisk;
        DiagnoseFailures = other.DiagnoseFailures;
    }

    /// <summary>Gets or sets the fuzz factor: how many leading and trailing context lines a hunk may ignore when it
    /// does not match exactly (as <c>patch -F</c>). It is never more than the hunk's context.</summary>
    /// <value>The default value is 2 (GNU patch's default). 0 is strict matching, as <c>git apply</c>.</value>
    public int Fuzz { get; set; } = 2;

    /// <summary>Gets or sets a value indicating whether the patch is applied in reverse (as <c>patch -R</c>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Reverse { get; set; }

    /// <summary>Gets or sets a value indicating whether a file whose hunks are already applied is skipped with a
    /// note instead of failing (as <c>patch -N</c>).</summary>
    /// <value>The default value is <see langword="false"/>: such hunks are reported as
    /// <see cref="HunkStatus.AlreadyApplied"/> and count as not applied.</value>
    public bool SkipAlreadyApplied { get; set; }

    /// <summary>Gets or sets a value indicating whether a hunk that does not apply is checked for being already
    /// applied (its new side found where the old side was expected), as GNU patch's reversed-patch detection.</summary>
    /// <value>The default value is <see langword="true"/> (<c>patch -f</c> turns it off).</value>
    public bool DetectReversed { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether runs of blanks (spaces and tabs) match any run of blanks and
    /// trailing blanks are ignored when matching context and removed lines, and a line without its final newline
    /// matches one with it (as <c>patch -l</c>; as there, an LF line does not match a CRLF one unless
    /// <see cref="MatchLineEndings"/> is set).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IgnoreWhitespace { get; set; }

    /// <summary>Gets or sets a value indicating whether a file that uses CRLF throughout matches a patch written with
    /// LF (and the reverse); added lines then take the file's line ending so no mixed endings are left behind (as
    /// jsdiff's <c>autoConvertLineEndings</c>).</summary>
    /// <value>The default value is <see langword="false"/>: line endings are data and must match. (A patch saved
    /// with CRLF throughout still applies to an LF file, as GNU patch's "Stripping trailing CRs from patch".)</value>
    public bool MatchLineEndings { get; set; }

    /// <summary>Gets or sets how many leading path components are removed from the names in the patch (as
    /// <c>patch -p</c>); <see langword="null"/> strips 1 from git diffs and nothing from other diffs.</summary>
    /// <value>The default value is 1 (the <c>a/</c> and <c>b/</c> prefixes of git and most diffs).</value>
    public int? StripComponents { get; set; } = 1;

    /// <summary>Gets or sets a value indicating whether a tree apply writes what applies and reports the rest
    /// (GNU patch's behaviour, with <c>.rej</c> files) instead of changing nothing when any hunk fails.</summary>
    /// <value>The default value is <see langword="false"/>: all-or-nothing.</value>
    public bool Partial { get; set; }

    /// <summary>Gets or sets a value indicating whether a tree apply only checks that the patch applies and
    /// touches nothing (as <c>patch --dry-run</c>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DryRun { get; set; }

    /// <summary>Gets or sets a value indicating whether each changed or deleted file is first saved as
    /// <c>NAME.orig</c> (as <c>patch -b</c>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool BackupOriginals { get; set; }

    /// <summary>Gets or sets a value indicating whether the patch may write below a <c>.git</c> folder.</summary>
    /// <value>The default value is <see langword="false"/>: such paths are refused with a
    /// <see cref="PathSafetyException"/>.</value>
    public bool AllowGitDirectory { get; set; }

    /// <summary>Gets or sets a value indicating whether names that Windows reserves for devices (<c>CON</c>,
    /// <c>NUL</c>, <c>aux.txt</c>, <c>COM1</c>, … with any extension) are refused on every operating system, so a patch
    /// that applies here also applies on Windows.</summary>
    /// <value>The default value is <see langword="false"/>: such names are refused on Windows only, where they do not
    /// address a file; elsewhere they are ordinary names, as for GNU patch and git apply.</value>
    public bool PortableNames { get; set; }

    /// <summary>Gets or sets a value indicating whether a tree apply flushes its undo journal, every file it writes and
    /// every folder whose names change to the disk (<c>fsync</c>) before it counts as done, so that a power cut, not
    /// only a killed process, leaves the tree all-old (after <see cref="PatchApplier.Recover"/>) or all-new.</summary>
    /// <value>The default value is <see langword="false"/>, as GNU patch and git apply: a killed process is covered,
    /// a power cut is not. Flushing costs a disk round trip per file.</value>
    public bool FlushToDisk { get; set; }

    /// <summary>Gets or sets how many files a tree apply reads and writes at once.</summary>
    /// <value>The default value is 0: one per processor, at least two.</value>
    public int MaxDegreeOfParallelism { get; set; }

    /// <summary>Gets or sets one file that collects the rejects of every file in partial mode (as <c>patch -r</c>),
    /// relative to the tree root or absolute.</summary>
    /// <value>The default value is <see langword="null"/>: each file's rejects go to <c>NAME.rej</c> beside it.</value>
    public string? RejectFile { get; set; }

    /// <summary>Gets or sets the three-way fallback for file patches whose hunks do not apply (as
    /// <c>git apply --3way</c>): where the base files come from and how conflicts are written.</summary>
    /// <value>The default value is <see langword="null"/>: no fallback.</value>
    public ThreeWayOptions? ThreeWay { get; set; }

    /// <summary>Gets or sets a value indicating whether a hunk that does not apply gets a
    /// <see cref="HunkResult.Diagnosis"/>: its nearest place, the lines that differ there, and whether it looks already
    /// applied or differs only in white space or line endings.</summary>
    /// <value>The default value is <see langword="true"/>. The search runs only for hunks that fail and is bounded
    /// (a few dozen candidate places per line of the hunk); hunks that apply cost nothing more.</value>
    public bool DiagnoseFailures { get; set; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Fuzz);
        ArgumentOutOfRangeException.ThrowIfNegative(StripComponents ?? 0, nameof(StripComponents));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxDegreeOfParallelism);
    }
}
