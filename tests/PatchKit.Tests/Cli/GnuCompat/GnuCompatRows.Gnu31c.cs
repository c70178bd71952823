namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 3501–5500: a blank line inside a hunk (its
/// space lost) written back into a reject as a context line with its space, and a "\ No newline at end of file" line
/// after a file header line, which GNU reads as an ordinary line (only one after a hunk side's last line is read
/// past the line count), and files a run that stops on an unreadable hunk would have removed (GNU never removes
/// them), <c>-l</c> matching a line without its newline to one with it, and the question about emptying an empty
/// file when the first hunk is cut short.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu31cPatchRows()
    {
        // A blank line in a hunk is a context line whose space got eaten: GNU's reject writes it as " " (unified) or
        // "  " (context); the drop-in wrote an empty line (unified) or left it out (context).
        const string BlankContext = "--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n a\n-X\n+B\n\n c\n\td\n e\n";
        var blank = F(("f", "a\nb\n\nc\n\td\ne\n"), ("p.diff", BlankContext));
        yield return P("patch reject, blank context line", blank, "-p1", "-i", "p.diff");
        yield return P("patch context reject, blank context line", blank, "--reject-format=context", "-p1", "-i", "p.diff");
        yield return P("patch -R reject, blank context line", blank, "-R", "-f", "-p1", "-i", "p.diff");

        // "\ No newline at end of file" after a "---" or "+++" header line is an ordinary line to GNU (counted in
        // "can't find file to patch at input line N", shown in the leading text).
        yield return P("patch no-newline line after the --- line", F(("p.diff", "diff -Naur a/g b/g\n--- a/g\n\\ No newline at end of file\n@@ -1 +1 @@\n-a\n+b\n")), "-p1", "-i", "p.diff");
        yield return P("patch no-newline line after the +++ line", F(("p.diff", "--- a/g\n+++ b/g\n\\ No newline at end of file\n a\n@@ -1 +1 @@\n-a\n+b\n")), "-p1", "-i", "p.diff");

        // GNU removes files (and makes their backups) once the whole patch is read: a run that stops on a hunk it
        // cannot read leaves a file a deletion or -E would remove as it is, without a backup.
        const string ThenBad = "--- g\n+++ g\n@@ -1,3 +1,3 @@\n-x\n+y\nGARBAGE\n";
        var deleted = F(("f", "a\n"), ("g", "x\n"), ("p.diff", "--- f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n" + ThenBad));
        yield return P("patch deletion, then a malformed hunk", deleted, "-i", "p.diff");
        yield return P("patch -b, deletion, then a malformed hunk", deleted, "-b", "-i", "p.diff");
        var emptied = F(("f", string.Empty), ("g", "x\n"), ("p.diff", "--- f\n+++ f\n@@ -1 +1 @@\n-a\n+b\n" + ThenBad));
        yield return P("patch -E, empty file fails, then malformed", emptied, "-E", "-i", "p.diff");

        // -l: GNU's similar() ignores a trailing newline, so a line marked "\ No newline at end of file" matches a
        // line that has one (and the other way round) without fuzz.
        yield return P("patch -l, context line without newline", F(("f", "a\nb\nc\nd\ne\n"), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,4 @@\n a\n+X\n b\n c\n\\ No newline at end of file\n")), "-l", "-i", "p.diff");
        yield return P("patch -l, file's last line without newline", F(("f", "a\nb\nc"), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,4 @@\n a\n+X\n b\n c\n")), "-l", "-i", "p.diff");
        yield return P("patch -l, removed line without newline", F(("f", "a\nb\nc\nd\ne\n"), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+C\n")), "-l", "-i", "p.diff");

        // A first hunk "+0,0" cut short on an empty file: GNU reads its header, asks about the emptied file, then stops.
        var emptyCut = F(("f", string.Empty), ("p.diff", "--- a/f\n+++ b/f\n@@ -1,3 +0,0 @@\n-a\n-b"));
        yield return P("patch -N, emptying an empty file, cut hunk", emptyCut, "-N", "-p1", "-i", "p.diff");
        yield return P("patch, emptying an empty file, cut hunk", emptyCut, "-p1", "-i", "p.diff");
        yield return P("patch -t, emptying an empty file, cut hunk", emptyCut, "-t", "-p1", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu31cDiffRows()
    {
        yield break;
    }
}
