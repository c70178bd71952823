namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for patches GNU reads its own way: a malformed normal diff between patches, names after a git rename header, commands after a headerless hunk, and the Index: name.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu35bPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu35bDiffRows()
    {
        yield break;
    }
}
