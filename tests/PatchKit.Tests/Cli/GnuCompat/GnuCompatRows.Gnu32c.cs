namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 5501–7500: GNU's "write error" when it writes a
/// hunk line of no bytes (an empty "+", "-" or context line followed by "\ No newline at end of file"), a "@@ -" line
/// after a lone "---" or "+++" header that GNU cannot read, a "\ No newline at end of file" line inside a hunk side
/// (GNU: malformed), and reject file headers: the time string kept as written and a git diff's "/dev/null" side
/// when GNU could not read the "diff --git" line's names; and <c>-l</c>, which does not let LF and CRLF lines match.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu32cPatchRows()
    {
        // An empty line before "\ No newline at end of file" has no bytes once GNU takes its newline off; writing it
        // (an added line, a line of a reject) "fails": GNU stops with "write error" and errno's text, the file as it was.
        const string EmptyAdded = "--- f\n+++ f\n@@ -1,2 +1,3 @@\n a\n b\n+\n\\ No newline at end of file\n";
        yield return P("patch write error, empty added line without newline", F(("f", "a\nb\n"), ("p.diff", EmptyAdded)), "-i", "p.diff");
        yield return P("patch --dry-run write error, empty added line", F(("f", "a\nb\n"), ("p.diff", EmptyAdded)), "--dry-run", "-i", "p.diff");
        yield return P("patch write error, a missing name looked for", F(("f", "a\nb\n"), ("p.diff", EmptyAdded.Replace("--- f\n", "--- nonexist\n", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch write error, second file", F(("f", "a\nb\n"), ("g", "x\n"), ("p.diff", "--- g\n+++ g\n@@ -1 +1 @@\n-x\n+y\n" + EmptyAdded)), "-i", "p.diff");
        const string EmptyRemoved = "--- f\n+++ f\n@@ -1,3 +1,2 @@\n a\n b\n-\n\\ No newline at end of file\n";
        yield return P("patch -R write error, empty removed line", F(("f", "a\nb\n"), ("p.diff", EmptyRemoved)), "-R", "-i", "p.diff");
        yield return P("patch -D write error after the questions", F(("f", "a\nb\nc\n"), ("p.diff", EmptyRemoved)), "-D", "X", "-i", "p.diff");
        yield return P("patch -N write error, skipped patch", F(("f", "a\nb\n"), ("p.diff", EmptyRemoved)), "-N", "-i", "p.diff");
        var rejected = F(("f", "a\nb\n"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,3 @@\n a\n b\n+x\n@@ -5,2 +6,2 @@\n q\n-\n\\ No newline at end of file\n+z\n"));
        yield return P("patch write error, rejected empty line", rejected, "-i", "p.diff");
        yield return P("patch -r - write error, rejected empty line", rejected, "-r", "-", "-i", "p.diff");
        yield return P("patch context reject write error", rejected, "--reject-format=context", "-i", "p.diff");
        yield return P("patch --verbose write error", rejected, "--verbose", "-i", "p.diff");
        yield return P("patch write error, blank context line without newline", F(("f", "q\n"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n-a\n+b\n\n\\ No newline at end of file\n")), "-i", "p.diff");

        // A "@@ -" line after a lone "---" or "+++" line: GNU reads it as a unified hunk, reports the file and stops
        // where it cannot read it (the drop-in found only garbage).
        var bad = F(("f", "a\n"), ("p.diff", "diff -Naur a/f b/f\n--- a/f\t2000-01-01 00:00:00.000000000 +0000\n@@ -x +1 @@\n@@ -1 +1 @@\n-a\n+b\n"));
        yield return P("patch lone --- header, bad hunk header", bad, "-p1", "-i", "p.diff");
        yield return P("patch lone +++ header, bad hunk header", F(("f", "a\n"), ("p.diff", "+++ f\n@@ -x +1 @@\n-a\n+b\n")), "-i", "p.diff");
        yield return P("patch lone --- header, malformed hunk header", F(("f", "a\n"), ("p.diff", "--- f\n@@ -1 +1\n-a\n+b\n")), "-i", "p.diff");
        yield return P("patch lone --- header, malformed hunk line", F(("f", "a\n"), ("p.diff", "junk\n--- f\n@@ -1 +1 @@\n-a\nb\n")), "-i", "p.diff");
        yield return P("patch lone git header, bad hunk header", F(("f", "a\n"), ("p.diff", "diff --git a/f b/f\n@@ -x +1 @@\n-a\n+b\n")), "-p1", "-i", "p.diff");

        // "\ No newline at end of file" where a side goes on: GNU reads it as a hunk line it cannot place.
        yield return P("patch no-newline line inside the old side", F(("f", "a\nb\nc\nd\n"), ("p.diff", "--- f\n+++ f\n@@ -1,4 +1,4 @@\n a\n-b\n\\ No newline at end of file\n+B\n c\n d\n")), "-i", "p.diff");
        yield return P("patch no-newline line inside a second hunk", F(("f", "a\nb\nc\nd\n"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n@@ -3,2 +3,2 @@\n c\n\\ No newline at end of file\n-d\n+D\n")), "-i", "p.diff");
        yield return P("patch no-newline line first in a hunk", F(("f", "a\nb\n"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n\\ No newline at end of file\n a\n-b\n+B\n")), "-i", "p.diff");
        yield return P("patch no-newline lines after both sides", F(("f", "a\nb"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n+B\n\\ No newline at end of file\n-b\n\\ No newline at end of file\n")), "-i", "p.diff");
        yield return P("patch two no-newline lines after the last line", F(("f", "a\nb\n"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n\\ No newline at end of file\n\\ No newline at end of file\n")), "-i", "p.diff");

        // A reject file's header: the name, then the header line's rest as it was (GNU's time string: a lone tab, two
        // spaces); a git diff's "/dev/null" side is named from the "diff --git" line only when GNU could read it.
        const string GitNew = "diff --git a/g b/g\nnew file mode 100644\nindex 0000000..199fcb2\n--- /dev/null\n+++ b/g\t\n@@ -0,0 +1,2 @@\n+x\n+y\n";
        yield return P("patch -R reject, git new file, tab after the name", F(("p.diff", GitNew)), "-R", "-f", "-p1", "-i", "p.diff");
        yield return P("patch reject, git new file, tab after the name", F(("g", "q\n"), ("p.diff", GitNew)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch reject, git new file with a date", F(("g", "q\n"), ("p.diff", GitNew.Replace("+++ b/g\t\n", "+++ b/g\t2020-01-01 00:00:00.000000000 +0000\n", StringComparison.Ordinal))), "-f", "-p1", "-i", "p.diff");
        yield return P("patch reject, two spaces before the date", F(("f", "a\nb\n"), ("p.diff", "--- f  2020-01-01 00:00:00.000000000 +0000\n+++ f\t  2020-01-02\n@@ -1,2 +1,2 @@\n a\n-c\n+d\n")), "-i", "p.diff");
        const string GitSpaces = "diff --git a/g h.txt b/g h.txt\nnew file mode 100644\nindex 0000000..199fcb2\n--- /dev/null\n+++ b/g h.txt\t\n@@ -0,0 +1,2 @@\n+x\n+y\n";
        yield return P("patch -R reject, git name with a space", F(("p.diff", GitSpaces)), "-R", "-f", "-p1", "-i", "p.diff");
        yield return P("patch reject, git name with a space", F(("g h.txt", "q\n"), ("p.diff", GitSpaces)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch -R, git new file, names too short for -p2", F(("g", string.Empty), ("p.diff", GitNew)), "-R", "-f", "-p2", "-i", "p.diff");

        // -l ignores blanks, not line endings: to GNU's similar() a CR is a character, so an LF patch does not match a
        // CRLF file's lines (nor the other way round) under -l either.
        const string Lf = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        yield return P("patch -l, LF patch on a CRLF file", F(("f", "a\r\nb\r\nc\r\n"), ("p.diff", Lf)), "-l", "-i", "p.diff");
        yield return P("patch -l, LF patch, one CRLF line", F(("f", "a\r\nb\nc\r\n"), ("p.diff", Lf)), "-l", "-i", "p.diff");
        yield return P("patch -l, CRLF patch line, blank before the CR", F(("f", "a \r\nb\r\nc\r\n"), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\n c\n")), "-l", "-i", "p.diff");
        yield return P("patch -l, CRLF patch on an LF file", F(("f", "a\nb\nc\n"), ("p.diff", Lf.Replace("\n", "\r\n", StringComparison.Ordinal))), "-l", "-i", "p.diff");
        yield return P("patch -l --binary, CRLF patch on an LF file", F(("f", "a\nb\nc\n"), ("p.diff", Lf.Replace("\n", "\r\n", StringComparison.Ordinal))), "-l", "--binary", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu32cDiffRows()
    {
        yield break;
    }
}
