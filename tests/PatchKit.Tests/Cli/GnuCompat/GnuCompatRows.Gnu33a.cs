namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of this round's branch gnu33a (filled in by that branch).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu33aPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu33aDiffRows()
    {
        yield break;
    }
}
