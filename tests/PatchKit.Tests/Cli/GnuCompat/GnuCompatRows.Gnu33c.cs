namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 7501–9500: a git rename or copy with one
/// "---" or "+++" line, whose names GNU reads from that line and the "diff --git" line; a reject header's side with an
/// epoch date; an unreadable hunk after a lone "---" line before the first file; and -c, -n or -e forcing an
/// ed script's reading of a patch whose last line has no newline (GNU's "patch unexpectedly ends in middle of line").</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu33cPatchRows()
    {
        // A git rename with one "---" (or "+++") line: GNU reads that line's name as the new name and the "diff --git"
        // line's name of the same side as the old one, so a lone "--- a/f" patches f in place ("already renamed").
        const string Rename = "diff --git a/f b/g\nsimilarity index 90%\nrename from f\nrename to g\n";
        const string Hunk = "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        yield return P("patch git rename, lone --- line", F(("f", "a\nb\nc\n"), ("p.diff", Rename + "--- a/f\n" + Hunk)), "-p1", "-i", "p.diff");
        yield return P("patch git rename, lone --- line naming a third file", F(("f", "a\nb\nc\n"), ("p.diff", Rename + "--- a/h\n" + Hunk)), "-p1", "-i", "p.diff");
        yield return P("patch git rename, lone --- line with a date", F(("f", "a\nb\nc\n"), ("p.diff", Rename + "--- a/f\t2020-01-01 00:00:00.000000000 +0000\n" + Hunk)), "-p1", "-i", "p.diff");
        yield return P("patch git rename, lone +++ line", F(("f", "a\nb\nc\n"), ("p.diff", Rename + "+++ b/g\n" + Hunk)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch git rename, lone +++ line, new name there", F(("g", "a\nb\nc\n"), ("p.diff", Rename + "+++ b/g\n" + Hunk)), "-p1", "-i", "p.diff");
        yield return P("patch -R git rename, lone --- line", F(("f", "a\nB\nc\n"), ("p.diff", Rename + "--- a/f\n" + Hunk)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch git copy, lone --- line", F(("f", "a\nb\nc\n"), ("p.diff", Rename.Replace("rename", "copy", StringComparison.Ordinal) + "--- a/f\n" + Hunk)), "-p1", "-i", "p.diff");

        // A reject header names a side the patch says is not there (an epoch date) after -p, as GNU names any other.
        var epochDeleted = F(("f", "a\nb\n"), ("p.diff", "--- pre/f\t2000-01-01 00:00:00.000000000 +0000\n+++ post/f\t1970-01-01 00:00:00.000000000 +0000\n@@ -1,2 +0,0 @@\n-a\n-c\n"));
        yield return P("patch reject -p1, new side with an epoch date", epochDeleted, "-p1", "-i", "p.diff");
        yield return P("patch -R reject -p1, old side with an epoch date", epochDeleted, "-R", "-f", "-p1", "-i", "p.diff");

        // A "@@ -" line GNU cannot read after a lone "---" line, before the first file the library reads: GNU stops
        // there (the drop-in applied the files after it).
        var loneFirst = F(("f", "a\n"), ("g", "x\n"), ("p.diff", "diff -u a/f b/f\n--- a/f\n@@ -x +1 @@\n@@ -1 +1 @@\n-a\n+b\ndiff -u a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-x\n+y\n"));
        yield return P("patch lone --- header, bad hunk header, then a file", loneFirst, "-p1", "-i", "p.diff");
        yield return P("patch -o - lone --- header, bad hunk header, then a file", loneFirst, "-o", "-", "-p1", "-i", "p.diff");

        // -c, -n or -e over a patch whose last line has no newline: GNU's line reading takes that line for the end of
        // the input and says "patch unexpectedly ends in middle of line" each time it gets there: the look for a patch
        // that runs to the end, the ed script read up to it, the look for another after the script.
        var cut = F(("f", "a\nb\nc\nd\ne\n"), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -4,2 +4,2 @@\n d\n-e\n+E"));
        yield return P("patch -c on a cut unified diff, partial last line", cut, "-c", "-i", "p.diff");
        yield return P("patch -c --posix -E on a cut unified diff, partial last line", cut, "-c", "--posix", "-E", "-i", "p.diff");
        yield return P("patch -c --posix -E --backup-if-mismatch, partial last line", cut, "-c", "--posix", "-E", "--backup-if-mismatch", "-i", "p.diff");
        yield return P("patch -n --verbose on a cut unified diff, partial last line", cut, "-n", "--verbose", "-i", "p.diff");
        var edCut = F(("f", "a\nb\nc\n"), ("p.diff", "2c\nX\n.\njunk"));
        yield return P("patch -e, ed script then a partial last line", edCut, "-e", "f", "p.diff");
        yield return P("patch -e --verbose, ed script then a partial last line", edCut, "-e", "--verbose", "f", "p.diff");
        yield return P("patch -n, ed script then a partial last line", edCut, "-n", "f", "p.diff");
        yield return P("patch -e, ed script text cut by a partial last line", F(("f", "a\nb\nc\n"), ("p.diff", "2c\nX\nY")), "-e", "--verbose", "f", "p.diff");
        yield return P("patch -e, ed script ending in a partial d command", F(("f", "a\nb\nc\n"), ("p.diff", "3d\n2d")), "-e", "--verbose", "f", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu33cDiffRows()
    {
        yield break;
    }
}
