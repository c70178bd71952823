namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu33a work: hunks that an <c>Index:</c> line names without <c>---</c>/<c>+++</c> lines (GNU
/// takes its name for the file when no other line names one, and writes it first in the reject file), and context
/// hunks after a lone <c>---</c> or <c>+++</c> line.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu33aPatchRows()
    {
        static (string, string)[] Two(string patch) => F(("f", Ten), ("g", Ten), ("p.diff", patch));
        const string Uni = "@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n";
        const string UniG = "@@ -5,3 +5,3 @@\n l5\n-l6\n+L6\n l7\n";
        const string Ctx = "***************\n*** 1,3 ****\n  l1\n! l2\n  l3\n--- 1,3 ----\n  l1\n! L2\n  l3\n";
        const string CtxG = "***************\n*** 5,7 ****\n  l5\n! l6\n  l7\n--- 5,7 ----\n  l5\n! L6\n  l7\n";

        // "Index: NAME" then hunks without a "---"/"+++" pair: the hunks patch NAME (after -p), without --posix too.
        yield return P("patch -p0, Index line then unified hunk", Two("Index: f\n" + Uni), "-p0", "-i", "p.diff");
        yield return P("patch -p0 --verbose, Index line, text, two unified hunks", Two("Index: f\n=====\n" + Uni + UniG), "-p0", "--verbose", "-i", "p.diff");
        yield return P("patch -p0 -R, Index line then unified hunk (reject starts with the Index line)", Two("Index: f\n" + Uni), "-p0", "-R", "-i", "p.diff");
        yield return P("patch -p0 -R -c, Index line then unified hunk (context reject)", Two("Index: f\n" + Uni), "-p0", "-R", "-c", "-i", "p.diff");
        yield return P("patch -p0 --posix, Index line then unified hunk", Two("Index: f\n" + Uni), "-p0", "--posix", "-i", "p.diff");
        yield return P("patch -p0 --dry-run, Index line then unified hunk", Two("Index: f\n" + Uni), "-p0", "--dry-run", "-i", "p.diff");
        yield return P("patch -p1, Index line then unified hunk (name stripped away)", Two("Index: f\n" + Uni), "-p1", "-i", "p.diff");
        yield return P("patch -p0, Index line of a missing file then unified hunk", Two("Index: h\n" + Uni), "-p0", "-i", "p.diff");
        yield return P("patch -p0, Index line of a missing file then a creating hunk", Two("Index: h\n@@ -0,0 +1,2 @@\n+n1\n+n2\n"), "-p0", "-i", "p.diff");
        yield return P("patch -p0 --verbose, Index line then context hunk", Two("Index: f\n" + Ctx), "-p0", "--verbose", "-i", "p.diff");
        yield return P("patch -p0 -R, Index line then context hunk (reject starts with the Index line)", Two("Index: f\n" + Ctx), "-p0", "-R", "-i", "p.diff");
        yield return P("patch -p0, unified patch then Index line and hunk of another file", Two("--- f\n+++ f\n" + Uni + "Index: g\n" + UniG), "-p0", "-i", "p.diff");
        yield return P("patch -p0 --verbose, Index lines with unified then context hunks", Two("Index: f\n" + Uni + "Index: g\n" + CtxG), "-p0", "--verbose", "-i", "p.diff");
        yield return P("patch -p0, Index line then a lone --- line naming another file", Two("Index: f\n--- g\n" + UniG), "-p0", "-i", "p.diff");
        yield return P("patch -p0, lone --- line then an Index line naming another file", Two("--- g\nIndex: f\n" + UniG), "-p0", "-i", "p.diff");
        yield return P("patch -p0, Index line then a lone +++ line naming another file", Two("Index: f\n+++ g\n" + UniG), "-p0", "-i", "p.diff");
        yield return P("patch -p0, two Index lines (the last names the file)", Two("Index: f\nIndex: g\n" + UniG), "-p0", "-i", "p.diff");
        yield return P("patch -p0, Index line before a header pair (the pair names the file)", Two("Index: g\n--- f\n+++ f\n" + Uni), "-p0", "-i", "p.diff");

        // A context hunk after a lone "---" line (it names the new side) or "+++" line (the old side).
        yield return P("patch -p0, lone --- line then context hunk", Two("--- f\n" + Ctx), "-p0", "-i", "p.diff");
        yield return P("patch -p0 -R, lone --- line then context hunk (reject)", Two("--- f\n" + Ctx), "-p0", "-R", "-i", "p.diff");
        yield return P("patch -p0 -R, lone +++ line then context hunk (reject)", Two("+++ f\n" + Ctx), "-p0", "-R", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu33aDiffRows()
    {
        yield break;
    }
}
