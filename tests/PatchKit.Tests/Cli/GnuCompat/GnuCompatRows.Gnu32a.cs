namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows added on branch gnu32a (describe them here).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu32aPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu32aDiffRows()
    {
        yield break;
    }
}
