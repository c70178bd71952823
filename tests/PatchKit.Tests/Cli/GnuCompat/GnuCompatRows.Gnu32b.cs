namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows added on branch gnu32b (describe them here).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu32bPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu32bDiffRows()
    {
        yield break;
    }
}
