namespace PatchKit.Cli;

/// <summary>Exit codes, as GNU patch and diff use them.</summary>
internal static class ExitCodes
{
    /// <summary>Everything succeeded (apply: all hunks applied; diff: no differences).</summary>
    public const int Success = 0;

    /// <summary>Done, but some hunks failed (apply) or differences were found (diff).</summary>
    public const int Partial = 1;

    /// <summary>Trouble: bad input, I/O error, unreachable host.</summary>
    public const int Trouble = 2;

    /// <summary>Interrupted by Ctrl+C.</summary>
    public const int Interrupted = 130;

    /// <summary>Terminated by SIGTERM.</summary>
    public const int Terminated = 143;
}
