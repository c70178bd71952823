namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of branch gnu33b (patch applying and errors): a plain diff removing a file a git diff just before
/// removed (GNU reads it again as the patches turn from git diffs), a git diff of a name a git rename or copy just wrote
/// (GNU has not written it yet), <c>-o FILE</c> and <c>-r FILE</c> that cannot be written, a git "index" line's
/// all-zero id on either side and under -R, --verbose's order of "can't find file to patch" and the leading text, and
/// <c>-l</c>, to which only spaces and tabs are blanks.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu33bPatchRows()
    {
        // A git diff removes f at the end of the run: to the plain diff after it the file is not there (the question),
        // but applied anyway GNU reads it as it is, since it looks at the file again as the patches turn from git diffs.
        const string Removed = "diff --git a/f b/f\ndeleted file mode 100644\nindex 1234567..0000000\n--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n";
        var removedTwice = F(("f", "a\nb\n"), ("p.diff", Removed + "--- a/f\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n"));
        yield return P("patch -f, plain diff removes what a git diff removed", removedTwice, "-f", "-p1", "-i", "p.diff");
        yield return P("patch -f -b --verbose, plain diff removes what a git diff removed", removedTwice, "-f", "-b", "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch -t, plain diff removes what a git diff removed", removedTwice, "-t", "-p1", "-i", "p.diff");
        yield return P("patch -t -b, plain diff removes what a git diff removed", removedTwice, "-t", "-b", "-p1", "-i", "p.diff");

        // GNU queues a git diff's output (but a new file's) and writes it before a patch of another kind, before a git
        // diff of a file it queued, or at the end: the name a rename or copy writes is not there to the git diff after.
        const string Renamed = "diff --git a/f b/g\nsimilarity index 100%\nrename from f\nrename to g\n";
        const string OfG = "diff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n";
        yield return P("patch git rename then a git diff of the new name", F(("f", "a\nb\n"), ("p.diff", Renamed + OfG)), "-p1", "-i", "p.diff");
        yield return P("patch --verbose git rename then a git diff of the new name", F(("f", "a\nb\n"), ("p.diff", Renamed + OfG)), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch -f git rename then a git diff of the new name", F(("f", "a\nb\n"), ("p.diff", Renamed + OfG)), "-f", "-p1", "-i", "p.diff");
        const string Copied = "diff --git a/f b/g\nsimilarity index 90%\ncopy from f\ncopy to g\n--- a/f\n+++ b/g\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n";
        yield return P("patch git copy then a git diff of the copy", F(("f", "a\nb\n"), ("p.diff", Copied + OfG.Replace("-b\n", "-c\n", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        const string TwiceH = "diff --git a/h b/h\n--- a/h\n+++ b/h\n@@ -1 +1 @@\n-x\n+y\ndiff --git a/h b/h\n--- a/h\n+++ b/h\n@@ -1 +1 @@\n-y\n+z\n";
        yield return P("patch git rename, a file patched twice, then the new name", F(("f", "a\nb\n"), ("h", "x\n"), ("p.diff", Renamed + TwiceH + OfG)), "-p1", "-i", "p.diff");
        const string OfKThenH = "diff --git a/k b/k\n--- a/k\n+++ b/k\n@@ -1 +1 @@\n-k\n+K\n--- a/h\n+++ b/h\n@@ -1 +1 @@\n-x\n+y\n";
        yield return P("patch git rename, a plain diff, then the new name", F(("f", "a\nb\n"), ("h", "x\n"), ("k", "k\n"), ("p.diff", Renamed + OfKThenH + OfG)), "-p1", "-i", "p.diff");

        // -o FILE that cannot be written (a full device): GNU writes it through a stdio buffer and finds the failure as
        // it closes FILE after the last patch (after --verbose's "done", the rejects, and before removals: none is
        // done); a reject file is copied into place unbuffered, so a failed write there stops GNU at once.
        const string Twice = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n@@ -5000,3 +5000,3 @@\n q\n-r\n+s\n t\n";
        const string RemoveH = "--- h\n+++ h\n@@ -1 +0,0 @@\n-x\n";
        var full = F(("f", Gnu33bNumbered(2000)), ("g", Gnu33bNumbered(3)), ("h", "x\n"), ("p.diff", Twice), ("q.diff", RemoveH + "--- g\n+++ g\n@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n" + Twice));
        yield return P("patch -o /dev/full, a rejected hunk", full, "-o", "/dev/full", "-i", "p.diff");
        yield return P("patch --verbose -o /dev/full, a rejected hunk", full, "--verbose", "-o", "/dev/full", "-i", "p.diff");
        yield return P("patch -o /dev/full, three files", full, "-o", "/dev/full", "-i", "q.diff");
        yield return P("patch --dry-run -o /dev/full", full, "--dry-run", "-o", "/dev/full", "-i", "q.diff");
        yield return P("patch -r /dev/full, a removal before", full, "-r", "/dev/full", "-i", "q.diff");
        yield return P("patch --verbose -r /dev/full, a removal before", full, "--verbose", "-r", "/dev/full", "-i", "q.diff");

        // A git "index" line whose old (new) id is all zeros says the file is not there before (after), whatever the
        // hunks say: with -R the other way round; a deletion left with lines is not done, a missing file questioned.
        const string IndexNew = "diff --git a/f b/f\nindex 0000000..1234567 100644\n--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n b\n+c\n";
        const string IndexGone = "diff --git a/f b/f\nindex 1234567..0000000 100644\n--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n b\n+c\n";
        yield return P("patch -R, index 0000000.. with a hunk at line 1", F(("f", "a\nb\nc\n"), ("p.diff", IndexNew)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R --verbose, index 0000000.. with a hunk at line 1", F(("f", "a\nb\nc\n"), ("p.diff", IndexNew)), "-R", "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch -R, index 0000000.., file missing", F(("p.diff", IndexNew)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R -f, index 0000000.., file missing", F(("p.diff", IndexNew)), "-R", "-f", "-p1", "-i", "p.diff");
        yield return P("patch -R --verbose, index 0000000.., file missing", F(("p.diff", IndexNew)), "-R", "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch index ..0000000 with a hunk at line 1", F(("f", "a\nb\n"), ("p.diff", IndexGone)), "-p1", "-i", "p.diff");
        yield return P("patch index ..0000000, file missing", F(("p.diff", IndexGone)), "-p1", "-i", "p.diff");
        yield return P("patch -f, index ..0000000, file missing", F(("p.diff", IndexGone)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch -R, index ..0000000, file missing", F(("p.diff", IndexGone)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R, index ..0000000, file there", F(("f", "a\nb\nc\n"), ("p.diff", IndexGone)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R -t, index ..0000000, file there", F(("f", "a\nb\nc\n"), ("p.diff", IndexGone)), "-R", "-t", "-p1", "-i", "p.diff");

        // --verbose: "can't find file to patch" comes before the leading text also where a /dev/null side names no
        // creation or deletion (the first hunk is not at line 0).
        yield return P("patch --verbose, +++ /dev/null with a hunk elsewhere, file missing", F(("p.diff", "--- f\n+++ /dev/null\n@@ -1,2 +1 @@\n a\n-b\n")), "--verbose", "-i", "p.diff");
        yield return P("patch --verbose, --- /dev/null with a hunk elsewhere, file missing", F(("p.diff", "--- /dev/null\n+++ f\n@@ -1 +1,2 @@\n a\n+b\n")), "--verbose", "-i", "p.diff");

        // -l: only spaces and tabs are blanks to GNU's similar(); a form feed or vertical tab is a character.
        var formFeed = F(("f", "a\fb\nc\vd\ne\n"), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a b\n c d\n-e\n+E\n"));
        yield return P("patch -l, form feed and vertical tab are not blanks", formFeed, "-l", "-i", "p.diff");
        yield return P("patch -l -F0, form feed and vertical tab are not blanks", formFeed, "-l", "-F0", "-i", "p.diff");
        var trailing = F(("f", "a \fb\nc d\v\ne\n"), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a \fb\n c d\n-e\n+E\n"));
        yield return P("patch -l, trailing vertical tab", trailing, "-l", "-F0", "-i", "p.diff");
        yield return P("patch -l, carriage return inside a line", F(("f", "a\r b\nc\n"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a b\n-c\n+C\n")), "-l", "-F0", "-i", "p.diff");
    }

    /// <summary>The lines "1" to "<paramref name="count"/>".</summary>
    private static string Gnu33bNumbered(int count) => string.Concat(Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));

    private static IEnumerable<CompatRow> Gnu33bDiffRows()
    {
        yield break;
    }
}
