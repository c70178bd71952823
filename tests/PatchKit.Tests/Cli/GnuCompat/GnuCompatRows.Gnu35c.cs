namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 10501–12500 and the randomized diff comparison in seeds 13601–15600, and errors GNU reports in its own words.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu35cPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu35cDiffRows()
    {
        yield break;
    }
}
