namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu30a work (see the file's rows for what each covers).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu30aPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu30aDiffRows()
    {
        yield break;
    }
}
