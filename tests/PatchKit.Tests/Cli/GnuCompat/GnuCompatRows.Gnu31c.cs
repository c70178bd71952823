namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu31c work.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu31cPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu31cDiffRows()
    {
        yield break;
    }
}
