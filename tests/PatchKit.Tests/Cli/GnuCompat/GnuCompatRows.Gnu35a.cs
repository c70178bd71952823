namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for context hunks whose reject GNU writes from its own reading of the two sections, and other context-hunk shapes GNU reads its own way.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu35aPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu35aDiffRows()
    {
        yield break;
    }
}
