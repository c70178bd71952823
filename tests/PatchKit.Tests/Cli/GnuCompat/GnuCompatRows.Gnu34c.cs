namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 8501–10500 and the randomized diff comparison in seeds 11601–13600, and errors GNU reports for names that are not regular files.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu34cPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu34cDiffRows()
    {
        yield break;
    }
}
