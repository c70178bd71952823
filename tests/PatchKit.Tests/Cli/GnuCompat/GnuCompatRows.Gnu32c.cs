namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows added on branch gnu32c (describe them here).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu32cPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu32cDiffRows()
    {
        yield break;
    }
}
