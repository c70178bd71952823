namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu31a work.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu31aPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu31aDiffRows()
    {
        yield break;
    }
}
