namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 3501–5500: a blank line inside a hunk (its
/// space lost) written back into a reject as a context line with its space, and a "\ No newline at end of file" line
/// after a file header line, which GNU reads as an ordinary line (only one after a hunk side's last line is read
/// past the line count).</summary>
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
    }

    private static IEnumerable<CompatRow> Gnu31cDiffRows()
    {
        yield break;
    }
}
