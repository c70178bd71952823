namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for patches GNU reads differently: a normal diff or ed script between or after other patches, an Index: line before a normal diff or ed script, a headerless context hunk's new-section line read as a file header, --posix and the Index: name, git names with a space and no tab, a plain header after a git rename header.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu34bPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu34bDiffRows()
    {
        yield break;
    }
}
