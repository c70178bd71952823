namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu31b work.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu31bPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu31bDiffRows()
    {
        yield break;
    }
}
