namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu30c work (see the file's rows for what each covers).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu30cPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu30cDiffRows()
    {
        yield break;
    }
}
