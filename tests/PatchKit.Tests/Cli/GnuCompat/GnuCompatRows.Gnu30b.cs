namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu30b work (see the file's rows for what each covers).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu30bPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu30bDiffRows()
    {
        yield break;
    }
}
