namespace PatchKit.Diffs.Apply;

/// <summary>The matching settings of one apply, copied from <see cref="ApplyOptions"/> once (STYLE A2).</summary>
internal readonly struct ApplySettings
{
    public ApplySettings(ApplyOptions options)
    {
        Fuzz = options.Fuzz;
        Reverse = options.Reverse;
        SkipAlreadyApplied = options.SkipAlreadyApplied;
        DetectReversed = options.DetectReversed;
        IgnoreWhitespace = options.IgnoreWhitespace;
        MatchLineEndings = options.MatchLineEndings;
        DiagnoseFailures = options.DiagnoseFailures;
    }

    public int Fuzz { get; init; }

    public bool Reverse { get; init; }

    public bool SkipAlreadyApplied { get; init; }

    public bool DetectReversed { get; init; }

    public bool IgnoreWhitespace { get; init; }

    public bool MatchLineEndings { get; init; }

    public bool DiagnoseFailures { get; init; }
}
