namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for GNU's checks of a context hunk's shape ("Premature '---'", "Overdue '---'", "replacement text or line numbers mangled", "Out-of-sync patch") and an empty line before a context hunk's new section.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu34aPatchRows()
    {
        yield break;
    }

    private static IEnumerable<CompatRow> Gnu34aDiffRows()
    {
        yield break;
    }
}
