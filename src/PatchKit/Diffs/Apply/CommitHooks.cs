namespace PatchKit.Diffs.Apply;

/// <summary>A seam for crash tests: called with a growing step number at every commit step (journal written, each
/// file written, journal removed). The crash tests' host of the CLI (tests/PatchKit.TestHost) sets it to kill itself there; the shipped CLI never does.</summary>
internal static class CommitHooks
{
    private static int s_step;

    public static Action<int>? OnStep { get; set; }

    public static void Step()
    {
        Action<int>? hook = OnStep;
        if (hook is not null)
        {
            hook(Interlocked.Increment(ref s_step));
        }
    }
}
