namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>One folder named twice (<c>diff -s -r d d</c>, <c>d ./d</c>, a link to it): GNU knows the two identical
/// without a look inside and, where nothing differing means no output, prints nothing, not even <c>-s</c>'s "are
/// identical"; <c>-y</c> still shows each pair; <c>-D</c> and the line formats stop as with any two folders.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> SameFolderDiffRows()
    {
        var files = F(("d/a", "x\n"), ("d/sub/b", "y\n"), ("o/a", "z\n"));
        (string, string)[] links = [("e", "d")];
        foreach (string[] args in new string[][]
        {
            ["-s", "-r", "d", "d"], ["-s", "d", "d"], ["-s", "-r", "d", "./d"], ["-s", "-r", "d/", "d"], ["-s", "-r", "d", "e"],
            ["-r", "d", "e"], ["-s", "-r", "-q", "d", "d"], ["-s", "-r", "-u", "d", "d"], ["-s", "-r", "-N", "d", "d"],
            ["-s", "-r", "-c", "d", "e"], ["-s", "-r", "-e", "d", "d"], ["-s", "-r", "-i", "d", "d"],
            ["-s", "-y", "-r", "d", "d"], ["-s", "-y", "--suppress-common-lines", "-r", "d", "d"], ["-y", "--left-column", "d", "d"],
            ["-D", "X", "d", "d"], ["--line-format=%L", "d", "d"], ["-s", "-r", "--no-dereference", "d", "e"],
            ["-s", "-r", "d", "o"], ["-s", "d/a", "d/a"], ["-s", "d/a", "e/a"],
        })
        {
            yield return D($"diff {string.Join(' ', args)}, one folder named twice", files, args) with { Links = links };
        }
    }
}
