namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu30d work (see the file's rows for what each covers).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu30dPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu30dDiffRows()
    {
        yield break;
    }
}
