namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for <c>--merge</c> and <c>-D</c>: what <c>-o</c> keeps of a file when the patch goes bad in it under
/// <c>--merge</c> (GNU copies each hunk's context as it merges it), and <c>-D</c> on lines without a final newline
/// (each gets its newline back before the <c>#else</c>/<c>#endif</c> after it; after an old line without one, GNU
/// writes an empty line before the new lines of a unified or normal diff), and <c>--merge -f</c> on a missing file the
/// patch would delete (merged into as empty), and <c>-D</c>'s reversed-patch check when the first hunk needs fuzz.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu30aPatchRows()
    {
        // --merge: -o FILE and -o - keep the merged text up to the end of the last hunk merged, its context included.
        const string GoesBad = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n-l1\n+L1\n l2\n l3\n@@ -8,3 +8,3 @@\n l8\ngarbage\n";
        var goesBad = F(("f", Ten), ("p.diff", GoesBad));
        yield return P("patch --merge -o out, goes bad in hunk 2", goesBad, "--merge", "-o", "out", "-i", "p.diff");
        yield return P("patch --merge -o -, goes bad in hunk 2", goesBad, "--merge", "-o", "-", "-i", "p.diff");
        yield return P("patch --merge -D X -o out, goes bad in hunk 2", goesBad, "--merge", "-D", "X", "-o", "out", "-i", "p.diff");
        yield return P("patch --merge --dry-run -o out, goes bad", goesBad, "--merge", "--dry-run", "-o", "out", "-i", "p.diff");
        yield return P("patch --merge -o -, already applied, goes bad", F(("f", Ten.Replace("l1\n", "L1\n", StringComparison.Ordinal)), ("p.diff", GoesBad)), "--merge", "-o", "-", "-i", "p.diff");
        var conflictCut = F(("f", Ten.Replace("l2\n", "X2\n", StringComparison.Ordinal)), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n@@ -8,3 +8,3 @@\n l8\n-l9\n+L9"));
        yield return P("patch --merge -o out, conflict, then cut", conflictCut, "--merge", "-o", "out", "-i", "p.diff");
        yield return P("patch diff3 merge -o -, conflict, then cut", conflictCut, "--merge=diff3", "-o", "-", "-i", "p.diff");
        var secondBad = F(("f", Ten), ("g", Ten), ("p.diff", "--- f\n+++ f\n@@ -4,3 +4,3 @@\n l4\n-l5\n+L5\n l6\n" + GoesBad.Replace("f\n", "g\n", StringComparison.Ordinal)));
        yield return P("patch --merge -o out, goes bad in file 2", secondBad, "--merge", "-o", "out", "-i", "p.diff");
        yield return P("patch --merge -o -, goes bad in file 2", secondBad, "--merge", "-o", "-", "-i", "p.diff");

        // --merge -f, a missing file the patch (a first hunk "+0,0" under -R) would delete: GNU merges into the file
        // read as empty and writes it (without --merge, every hunk fails and it stops on the missing file).
        var vanished = F(("p.diff", "--- f\n+++ f\n@@ -0,0 +1 @@\n+n16\n@@ -2,2 +3,2 @@\n-l2\n-l3\n+L2\n+L3\n"));
        yield return P("patch --merge -R -f, a missing file to delete", vanished, "--merge", "-R", "-f", "-i", "p.diff");
        yield return P("patch diff3 merge -R -f -o out, a missing file", vanished, "--merge=diff3", "-R", "-f", "-o", "out", "-i", "p.diff");

        // -D: GNU tries the first hunk reversed at each fuzz factor before the next, so a hunk found reversed at fuzz 0
        // is asked about, though its #ifdef text would apply forward with fuzz 2 elsewhere (seed 3070).
        var reversedFirst = F(("f", "a\nb\nL4\nc\nd\ne\nf\ng\nh\nx\ny\nl4\nz\nw\n"), ("p.diff", "--- f\n+++ f\n@@ -1,5 +1,5 @@\n a\n b\n-l4\n+L4\n c\n d\n"));
        yield return P("patch -D X -t, reversed, forward only with fuzz", reversedFirst, "-D", "X", "-t", "-i", "p.diff");
        yield return P("patch -D X -f, reversed, forward only with fuzz", reversedFirst, "-D", "X", "-f", "-i", "p.diff");
        yield return P("patch -D X -N, reversed, forward only with fuzz", reversedFirst, "-D", "X", "-N", "-i", "p.diff");

        // -D and "\ No newline at end of file".
        string tenUnended = Ten[..^1];
        const string NoNewline = "\\ No newline at end of file\n";
        var newUnended = F(("p.diff", "--- f\n+++ f\n@@ -0,0 +1 @@\n+x\n" + NoNewline + "--- g\n+++ g\n@@ -0,0 +1 @@\n+y\n"));
        yield return P("patch -D X, new file without a final newline", newUnended, "-D", "X", "-i", "p.diff");
        yield return P("patch -D X -o out, new file, no final newline", newUnended, "-D", "X", "-o", "out", "-i", "p.diff");
        yield return P("patch -D X, last line without newline changed", F(("f", tenUnended), ("p.diff", "--- f\n+++ f\n@@ -9,2 +9,2 @@\n l9\n-l10\n" + NoNewline + "+L10\n" + NoNewline)), "-D", "X", "-i", "p.diff");
        yield return P("patch -D X, a newline added to the last line", F(("f", tenUnended), ("p.diff", "--- f\n+++ f\n@@ -9,2 +9,2 @@\n l9\n-l10\n" + NoNewline + "+L10\n")), "-D", "X", "-i", "p.diff");
        yield return P("patch -D X, the last line's newline taken off", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -9,2 +9,2 @@\n l9\n-l10\n+L10\n" + NoNewline)), "-D", "X", "-i", "p.diff");
        yield return P("patch -D X, last line without newline deleted", F(("f", tenUnended), ("p.diff", "--- f\n+++ f\n@@ -9,2 +9 @@\n l9\n-l10\n" + NoNewline)), "-D", "X", "-i", "p.diff");
        yield return P("patch -D X, context diff, no newline at the end", F(("f", tenUnended), ("p.diff", "*** f\n--- f\n***************\n*** 9,10 ****\n  l9\n! l10\n" + NoNewline + "--- 9,10 ----\n  l9\n! L10\n")), "-D", "X", "-i", "p.diff");
        yield return P("patch -D X, normal diff, no newline at the end", F(("f", tenUnended), ("p.diff", "10c10\n< l10\n" + NoNewline + "---\n> L10\n")), "-D", "X", "f", "p.diff");
    }
}
