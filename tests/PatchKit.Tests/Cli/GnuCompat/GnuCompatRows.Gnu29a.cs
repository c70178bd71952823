namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for headers GNU patch reads the way its intuit_diff_type scans them: a <c>---</c> line without its
/// <c>+++</c> line names the file a later hunk header opens, garbage between a file's headers and its first hunk header
/// is passed over, and <c>#</c> comment lines are passed over inside and between hunks (the randomized comparison's
/// seeds 101, 107, 194, 200, 260, 293, 307, 313, 396, 410, 446 and 499).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu29aPatchRows()
    {
        const string G12 = "@@ -1,2 +1,2 @@\n-l1\n+L1\n l2\n";

        // A lone "---" line: its name is the file's, through garbage up to the hunk header.
        yield return P("patch lone --- line before a hunk", Three("--- g\n" + G12), "-i", "p.diff");
        yield return P("patch lone --- line, garbage, then a hunk", Three("diff -u a/g b/g\n--- g\ngarbage\n\\ No newline at end of file\n" + G12), "-i", "p.diff");
        yield return P("patch lone --- line, a comment, then a hunk, --verbose", Three("--- g\n#comment\n" + G12), "--verbose", "-i", "p.diff");
        yield return P("patch lone --- line, garbage, a +++ line, then a hunk", Three("--- f\ngarbage\n+++ g\n" + G12), "-i", "p.diff");
        yield return P("patch lone --- line, its file missing", Three("diff -Naur a/nope b/nope\n--- a/nope\t2000-01-01 00:00:00.000000000 +0000\n" + G12), "-t", "-p1", "-i", "p.diff");
        yield return P("patch lone --- line, its file missing, --verbose", Three("diff -Naur a/nope b/nope\n--- a/nope\n\t\n" + G12), "-t", "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch lone --- line after a file's hunks", Three(Uni + "--- g\n" + G12), "-i", "p.diff");
        yield return P("patch git header, lone --- line", Three("diff --git a/f b/f\nindex 1..2 100644\n--- a/g\n" + G12), "-p1", "-i", "p.diff");
        yield return P("patch git header, lone --- line, garbage, --verbose", Three("diff --git a/g b/g\nindex 1..2 100644\n--- a/g\n\t\n" + G12), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch git header, lone --- line, then a second file", Three("diff --git a/g b/g\nindex 1..2 100644\n--- a/g\n" + G12 + "diff --git a/h b/h\nindex 1..2 100644\n--- a/h\n+++ b/h\n" + G12), "-p1", "-i", "p.diff");

        // Garbage between the headers and the first hunk header (a dropped "@@" line): the next hunk is the first.
        yield return P("patch headers, garbage, then a hunk", Three("--- g\n+++ g\n l4\n-l5\n+L5\n" + G12), "-i", "p.diff");
        yield return P("patch headers, garbage, then a hunk, --verbose", Three("--- g\n+++ g\nGARBAGE\n" + G12), "--verbose", "-i", "p.diff");
        yield return P("patch git headers, garbage, then a hunk", Three("diff --git a/g b/g\nindex 1..2 100644\n--- a/g\n+++ b/g\n l4\n-l5\n+L5\n" + G12), "-p1", "-i", "p.diff");

        // "#" comment lines: passed over inside a hunk, between hunks and right before a hunk header.
        yield return P("patch comment line inside a hunk", Three("--- g\n+++ g\n@@ -1,2 +1,2 @@\n-l1\n#comment\n+L1\n l2\n"), "-i", "p.diff");
        yield return P("patch comment line inside a failing hunk", Three("--- g\n+++ g\n@@ -1,2 +1,2 @@\n-x1\n#comment\n+L1\n l2\n"), "-i", "p.diff");
        yield return P("patch comment line inside a hunk, -R", Three("--- g\n+++ g\n@@ -1,2 +1,2 @@\n-L1\n#comment\n+l1\n l2\n"), "-R", "-i", "p.diff");
        yield return P("patch comment line between two hunks", Three("--- g\n+++ g\n" + G12 + "#comment\n@@ -5 +5 @@\n-l5\n+L5\n"), "-i", "p.diff");
        yield return P("patch comment lines before the hunk header, --verbose", Three("#c0\n--- g\n#c1\n+++ g\n#c2\n" + G12), "--verbose", "-i", "p.diff");
        yield return P("patch git diff, comment line inside a hunk, then a second file", Three("diff --git a/g b/g\nindex 1..2 100644\n--- a/g\n+++ b/g\n@@ -1,3 +1,3 @@\n l1\n#comment\n-l2\n+L2\n l3\ndiff --git a/h b/h\nindex 1..2 100644\n--- a/h\n+++ b/h\n" + G12), "-p1", "-i", "p.diff");
    }
}
