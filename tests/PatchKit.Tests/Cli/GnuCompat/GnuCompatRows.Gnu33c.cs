namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of this round's branch gnu33c (filled in by that branch).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu33cPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu33cDiffRows()
    {
        yield break;
    }
}
