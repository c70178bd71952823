namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of this round's branch gnu33b (filled in by that branch).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu33bPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu33bDiffRows()
    {
        yield break;
    }
}
