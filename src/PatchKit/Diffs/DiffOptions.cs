namespace PatchKit.Diffs;

/// <summary>Options for <see cref="UnifiedDiff"/> and <see cref="TreeDiff"/>. Values are read once when an operation starts.</summary>
public sealed class DiffOptions
{
    /// <summary>Initializes a new instance of the <see cref="DiffOptions"/> class with GNU <c>diff -u</c> defaults.</summary>
    public DiffOptions()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DiffOptions"/> class with the values of <paramref name="other"/>.</summary>
    /// <param name="other">The options to copy.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public DiffOptions(DiffOptions other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Context = other.Context;
        Algorithm = other.Algorithm;
        Minimal = other.Minimal;
        HorizonLines = other.HorizonLines;
        Format = other.Format;
        ShowFunction = other.ShowFunction;
        TreatAbsentAsEmpty = other.TreatAbsentAsEmpty;
        Text = other.Text;
        Recursive = other.Recursive;
        NoDereference = other.NoDereference;
        FullIndex = other.FullIndex;
        GitBinary = other.GitBinary;
        CommandLine = other.CommandLine;
        MaxDegreeOfParallelism = other.MaxDegreeOfParallelism;
        OldLabel = other.OldLabel;
        Exclude = other.Exclude;
        StartingFile = other.StartingFile;
        UnidirectionalNewFile = other.UnidirectionalNewFile;
        IgnoreFileNameCase = other.IgnoreFileNameCase;
        NewLabel = other.NewLabel;
    }

    /// <summary>Gets or sets the number of context lines around each change (<c>-U N</c>).</summary>
    /// <value>The default value is 3.</value>
    public int Context { get; set; } = 3;

    /// <summary>Gets or sets the line-matching algorithm.</summary>
    /// <value>The default value is <see cref="DiffAlgorithm.Myers"/>.</value>
    public DiffAlgorithm Algorithm { get; set; } = DiffAlgorithm.Myers;

    /// <summary>Gets or sets a value indicating whether Myers must find a minimal edit script however long it takes
    /// (<c>diff --minimal</c>): turns off GNU's cost bound and discarding of confusing lines.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Minimal { get; set; }

    /// <summary>Gets or sets how many lines of the files' common start and end the comparison keeps (GNU diff's
    /// <c>--horizon-lines</c>; never fewer than <see cref="Context"/>). Which of several equally short edit scripts
    /// is found depends on it, as in GNU diff.</summary>
    /// <value>The default value is 0 (as many as <see cref="Context"/>).</value>
    public int HorizonLines { get; set; }

    /// <summary>Gets or sets the output flavour.</summary>
    /// <value>The default value is <see cref="DiffFormat.Gnu"/>.</value>
    public DiffFormat Format { get; set; } = DiffFormat.Gnu;

    /// <summary>Gets or sets a value indicating whether hunk headers name the enclosing function, as <c>diff -p</c>:
    /// the last line before the hunk that starts with a letter, <c>_</c> or <c>$</c>, cut to 40 bytes.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ShowFunction { get; set; }

    /// <summary>Gets or sets a value indicating whether a file present on one side only is compared with an empty file
    /// (<c>-N</c>) instead of being reported as <c>Only in</c>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TreatAbsentAsEmpty { get; set; }

    /// <summary>Gets or sets a value indicating whether every file is compared as text (<c>-a</c>); otherwise a file
    /// with a NUL byte in its first 4096 bytes is binary and reported as <c>Binary files … differ</c>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Text { get; set; }

    /// <summary>Gets or sets a value indicating whether subdirectories are compared too (<c>-r</c>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Recursive { get; set; }

    /// <summary>Gets or sets a value indicating whether symbolic links are compared as links (their targets' text), as
    /// <c>diff --no-dereference</c>, instead of being followed.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool NoDereference { get; set; }

    /// <summary>Gets or sets a value indicating whether git-format <c>index</c> lines carry full 40-digit blob ids
    /// (<c>git diff --full-index</c>) instead of 7-digit abbreviations.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool FullIndex { get; set; }

    /// <summary>Gets or sets a value indicating whether git-format diffs carry binary files as a <c>GIT binary patch</c>
    /// (literal hunks, forward and reverse, as <c>git diff --binary</c>) instead of <c>Binary files … differ</c>.
    /// Ignored in GNU format and when <see cref="Text"/> is set.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool GitBinary { get; set; }

    /// <summary>Gets or sets the command printed before each file of a GNU-format tree diff, as GNU diff prints
    /// <c>diff -Naur old/x new/x</c>. <see langword="null"/> builds it from the options (<c>diff -Naur</c> style).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CommandLine { get; set; }

    /// <summary>Gets or sets how many files a tree diff compares at once; results are written in order.</summary>
    /// <value>The default value is <see cref="Environment.ProcessorCount"/>.</value>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Gets or sets the name a tree diff shows for the old root (GNU: <c>OldLabel/x</c> in headers).</summary>
    /// <value>The default value is <see langword="null"/>: the old path as given.</value>
    public string? OldLabel { get; set; }

    /// <summary>Gets or sets the name a tree diff shows for the new root.</summary>
    /// <value>The default value is <see langword="null"/>: the new path as given.</value>
    public string? NewLabel { get; set; }

    /// <summary>Gets or sets a test on a file's base name: true leaves it out of a tree comparison (GNU diff -x, -X).</summary>
    /// <value>The default value is <see langword="null"/>: every file is compared.</value>
    public Func<string, bool>? Exclude { get; set; }

    /// <summary>Gets or sets the name a tree comparison starts at in the top folders (GNU diff -S).</summary>
    /// <value>The default value is <see langword="null"/>: from the first name.</value>
    public string? StartingFile { get; set; }

    /// <summary>Gets or sets a value indicating whether a file absent from the old tree only is compared with an empty
    /// file (GNU diff --unidirectional-new-file).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UnidirectionalNewFile { get; set; }

    /// <summary>Gets or sets a value indicating whether a tree comparison pairs names that differ only in ASCII letter
    /// case (GNU diff --ignore-file-name-case): names are visited in case-folded order, each side's file keeps its own
    /// name in headers and <c>Only in</c> lines, an exact match is preferred among names that collide on one side, and
    /// a file compared with a folder is looked up in it the same way. <see cref="StartingFile"/> is compared case-folded
    /// too; <see cref="Exclude"/> is called with each side's own names.</summary>
    /// <value>The default value is <see langword="false"/>: names pair only when their bytes are the same.</value>
    public bool IgnoreFileNameCase { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Context, nameof(Context));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
        if (!Enum.IsDefined(Algorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(Algorithm), Algorithm, "Unknown diff algorithm.");
        }

        if (!Enum.IsDefined(Format))
        {
            throw new ArgumentOutOfRangeException(nameof(Format), Format, "Unknown diff format.");
        }
    }
}
