namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 501–1500: a unified hunk line starting with a
/// tab (GNU reads it as context, tab and all), rejects written twice to one reject file (GNU appends to a reject
/// file it created in the same run), a <c>-r</c> file when the patch goes bad later, a git binary diff under <c>-o</c>, GNU's patch line
/// numbers after "\ No newline at end of file" lines, and git headers with half a rename or copy.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu29dPatchRows()
    {
        // A hunk line starting with a tab: a context line whose space was eaten. The library ended the hunk there, so
        // the changes after it were lost while the hunk was reported applied.
        const string TabFile = "a\n\tb\nc\nd\n";
        const string TabInside = "--- f\n+++ f\n@@ -1,3 +1,4 @@\n a\n\tb\n+B\n c\n";
        const string TabFirst = "--- f\n+++ f\n@@ -1,3 +1,4 @@\n\tb\n+B\n c\n d\n";
        const string TabFails = "--- f\n+++ f\n@@ -1,3 +1,4 @@\n x\n\tb\n+B\n c\n";
        yield return P("patch hunk line starting with a tab, inside the hunk", F(("f", TabFile), ("p.diff", TabInside)), "-i", "p.diff");
        yield return P("patch hunk line starting with a tab, first in the hunk", F(("f", TabFile), ("p.diff", TabFirst)), "-i", "p.diff");
        yield return P("patch hunk line starting with a tab, --verbose", F(("f", TabFile), ("p.diff", TabInside + "@@ -4,1 +5,2 @@\n d\n+D\n\t\n")), "--verbose", "-i", "p.diff");
        yield return P("patch hunk line starting with a tab, fails, unified reject", F(("f", TabFile), ("p.diff", TabFails)), "-F0", "-i", "p.diff");
        yield return P("patch hunk line starting with a tab, fails, context reject", F(("f", TabFile), ("p.diff", TabFails)), "-F0", "--reject-format=context", "-i", "p.diff");
        yield return P("patch hunk line starting with a tab, a tab-only line", F(("f", "a\n\t\nc\n"), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n\t\n-c\n+C\n")), "-i", "p.diff");
        yield return P("patch git hunk line starting with a tab, then another file", F(("f", TabFile), ("g", "x\n"), ("p.diff", "diff --git a/f b/f\n" + TabInside.Replace("--- f\n+++ f", "--- a/f\n+++ b/f", StringComparison.Ordinal) + "diff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-x\n+X\n")), "-p1", "-i", "p.diff");

        // Rejects for a reject file this run wrote already: appended (the same file twice; several files into one -o).
        const string FixF = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        const string FixG = "--- g\n+++ g\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n";
        var failing = F(("f", "a\nq\nc\n"), ("g", "x\nq\nz\n"), ("p.diff", FixF + FixG));
        yield return P("patch the same file twice, both fail", F(("f", "a\nq\nc\n"), ("p.diff", FixF + FixF.Replace("+B", "+C", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch the same file twice, both fail, an old reject file there", F(("f", "a\nq\nc\n"), ("f.rej", "old\n"), ("p.diff", FixF + FixF)), "-i", "p.diff");
        yield return P("patch -N the same file twice, both already applied", F(("f", "a\nB\nc\n"), ("p.diff", FixF + FixF)), "-N", "-i", "p.diff");
        yield return P("patch -o out, two files failing", failing, "-o", "out", "-i", "p.diff");
        yield return P("patch -o -, two files failing", failing, "-o", "-", "-i", "p.diff");
        yield return P("patch -R -o out, two files not reversed", F(("f", "a\nb\nc\n"), ("g", "x\ny\nz\n"), ("p.diff", FixF + FixG)), "-R", "-o", "out", "-i", "p.diff");
        yield return P("patch -o out --reject-format=context, two files failing", failing, "-o", "out", "--reject-format=context", "-i", "p.diff");

        // -r FILE: written as each file's rejects come, so it is there when the patch goes bad in a later file.
        var lateBad = F(("f", "a\nq\nc\n"), ("g", "x\ny\nz\n"), ("p.diff", FixF + "--- g\n+++ g\n@@ -1,3 +1,3 @@\n x\nGARBAGE\n"));
        yield return P("patch -r all.rej, goes bad in the next file", lateBad, "-r", "all.rej", "-i", "p.diff");
        yield return P("patch -r all.rej -o out, goes bad in the next file", lateBad, "-r", "all.rej", "-o", "out", "-i", "p.diff");

        // A git binary diff under -o: GNU names the output file.
        const string Binary = "diff --git a/b.bin b/b.bin\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..be443394ae6e523b4d497af05d5a7d06c77d6abb\nGIT binary patch\nliteral 4\nLcmYdHVn_x60}%ly\n\nliteral 0\nHcmV?d00001\n\n";
        yield return P("patch -o out, git binary patch", F(("p.diff", Binary)), "-o", "out", "-p1", "-i", "p.diff");
        yield return P("patch -o -, git binary patch", F(("p.diff", Binary)), "-o", "-", "-p1", "-i", "p.diff");

        // GNU reads a "\ No newline at end of file" line after a hunk's last line past its line count: the patch lines
        // it names later are one lower for each.
        const string NoNewline = "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+B\n\\ No newline at end of file\n";
        yield return P("patch after no-newline markers, the next file missing", F(("f", "a\nb"), ("p.diff", NoNewline + "--- g\n+++ g\n@@ -1 +1 @@\n-x\n+y\n")), "-f", "-i", "p.diff");
        yield return P("patch after no-newline markers, malformed in the next file", F(("f", "a\nb"), ("g", "x\n"), ("p.diff", NoNewline + "--- g\n+++ g\n@@ -1 +1 @@\n-x\nGARBAGE\n")), "-i", "p.diff");
        // A git header with only one of "rename from"/"rename to" (or "copy from"/"copy to"): GNU reads no rename and
        // patches the file of the "diff --git" line in place.
        const string HalfRename = "diff --git a/x b/z\nsimilarity index 90%\nrename to z\n--- a/x\n+++ b/z\n@@ -1 +1 @@\n-hi\n+HI\n";
        yield return P("patch git rename without rename from, a hunk", F(("x", "hi\n"), ("p.diff", HalfRename)), "-p1", "-i", "p.diff");
        yield return P("patch git rename without rename from, file missing", F(("p.diff", HalfRename)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch git rename without rename to, no hunks", F(("x", "hi\n"), ("p.diff", "diff --git a/x b/z\nsimilarity index 100%\nrename from x\n")), "-p1", "-i", "p.diff");
        yield return P("patch git copy without copy to, no hunks", F(("x", "hi\n"), ("p.diff", "diff --git a/x b/z\nsimilarity index 100%\ncopy from x\n")), "-p1", "-i", "p.diff");

        yield return P("patch after a no-newline marker, --posix, a new file", F(("f", "a\nb"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n\\ No newline at end of file\n--- /dev/null\n+++ n\n@@ -0,0 +1 @@\n+new\n")), "--posix", "-i", "p.diff");
    }
}
