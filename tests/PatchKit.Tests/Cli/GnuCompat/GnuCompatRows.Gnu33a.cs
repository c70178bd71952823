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

        // A context hunk whose new section has fewer unchanged lines than its old one (a section cut short by fewer
        // than four lines is filled up with empty ones first): GNU stops with "context mangled in hunk" and leaves the
        // file (the drop-in applied it, and lost a line).
        static CompatRow[] Mangled(string name, string newSection, params string[] args)
        {
            const string Old = "***************\n*** 1,3 ****\n  l1\n! l2\n  l3\n--- 1,3 ----\n";
            var tree = F(("f", "l1\nl2\nl3\nl4\n"), ("g", "g1\n"), ("p.diff", "*** f\n--- f\n" + Old + newSection));
            var second = F(("f", "l1\nl2\nl3\nl4\n"), ("g", "g1\n"), ("p.diff", "*** g\n--- g\n***************\n*** 1 ****\n! g1\n--- 1 ----\n! G1\n*** f\n--- f\n" + Old + newSection));
            var headerless = F(("f", "l1\nl2\nl3\nl4\n"), ("p.diff", Old + newSection));
            return
            [
                P("patch, context hunk mangled: " + name, tree, [.. args, "-i", "p.diff"]),
                P("patch, context hunk mangled after a good file: " + name, second, [.. args, "-i", "p.diff"]),
                P("patch --posix ORIGFILE, headerless context hunk mangled: " + name, headerless, [.. args, "--posix", "-i", "p.diff", "f"]),
            ];
        }

        foreach (CompatRow row in Mangled("new section cut after one line", "  l1\n")
            .Concat(Mangled("new section cut after two lines", "  l1\n  l2x\n"))
            .Concat(Mangled("a changed line where context should be", "  l1\n! L2\n! l3\n"))
            .Concat(Mangled("one unchanged line too many", "  l1\n  l2\n  l3\n"))
            .Concat(Mangled("-R, new section cut after one line", "  l1\n", "-R"))
            .Concat(Mangled("--dry-run, new section cut after one line", "  l1\n", "--dry-run"))
            .Concat(Mangled("(not: cut by one line, filled with an empty line)", "  l1\n! L2\n"))
            .Concat(Mangled("(not: whole)", "  l1\n! L2\n  l3\n"))
            .Concat(Mangled("whole new section cut off", string.Empty)))
        {
            yield return row;
        }

        // A second hunk mangled: the first is applied in GNU's reading order before it stops (the file left as it was).
        yield return P("patch, second context hunk mangled", F(("f", "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\n"), ("p.diff",
            "*** f\n--- f\n***************\n*** 1,2 ****\n! l1\n  l2\n--- 1,2 ----\n! L1\n  l2\n***************\n*** 6,8 ****\n  l6\n! l7\n  l8\n--- 6,8 ----\n  l6\n! L7\n")),
            "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu33aDiffRows()
    {
        yield break;
    }
}
