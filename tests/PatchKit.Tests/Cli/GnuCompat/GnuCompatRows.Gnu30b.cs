namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for the git-specific and header cases the randomized patch comparison found (seeds 602, 606, 757,
/// 824, 842, 968, 1203, 1256, 1376): a git "index 0000000.." line without "new file mode" (GNU reads a creation),
/// git binary patches GNU does not read past their "GIT binary patch" line (and one cut short), a unified diff whose
/// epoch date or /dev/null goes with a hunk not at line 0, a file patch without hunks under -Z/-T (GNU leaves the
/// file and its time alone), reject headers of a git file with a lone "---" line, a tab in a file name under the
/// shell quoting style, and the names GNU gives a git rename or copy ("copied from" only when the source is another
/// file, "already renamed from").</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu30bPatchRows()
    {
        // A tab in a file name: GNU prints it raw (inside quotes in the shell styles).
        const string TabName = "--- /dev/null\n+++ \"tab\\tname\"\n@@ -0,0 +1 @@\n+x\n";
        yield return P("patch a tab in a file name, shell quoting", F(("p.diff", TabName)), "-i", "p.diff");
        yield return P("patch a tab in a file name, shell-always", F(("p.diff", TabName)), "--quoting-style=shell-always", "-i", "p.diff");
        yield return P("patch a tab in a file name, literal quoting", F(("p.diff", TabName)), "--quoting-style=literal", "-i", "p.diff");

        // Git renames and copies: GNU reads the first of the two names that is there and names the source only when
        // it is not the file written.
        const string Rename = "diff --git a/a b/b\nsimilarity index 90%\nrename from a\nrename to b\n--- a/a\n+++ b/b\n@@ -1 +1 @@\n-hi\n+HI\n";
        const string Copy = "diff --git a/a b/b\nsimilarity index 90%\ncopy from a\ncopy to b\n--- a/a\n+++ b/b\n@@ -1 +1 @@\n-hi\n+HI\n";
        yield return P("patch -R git copy, source there", F(("a", "hi\n"), ("p.diff", Copy)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R git copy, both there", F(("a", "HI\n"), ("b", "HI\n"), ("p.diff", Copy)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R -b git copy, both there", F(("a", "HI\n"), ("b", "HI\n"), ("p.diff", Copy)), "-R", "-b", "-p1", "-i", "p.diff");
        yield return P("patch -o out, git copy", F(("a", "hi\n"), ("p.diff", Copy)), "-o", "out", "-p1", "-i", "p.diff");
        yield return P("patch -R git rename, new name there", F(("b", "HI\n"), ("p.diff", Rename)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R git rename, both there", F(("a", "HI\n"), ("b", "HI\n"), ("p.diff", Rename)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch git rename, only the new name there", F(("b", "hi\n"), ("p.diff", Rename)), "-p1", "-i", "p.diff");
        yield return P("patch -o out, git rename, new name there", F(("b", "hi\n"), ("p.diff", Rename)), "-o", "out", "-p1", "-i", "p.diff");

        // Git binary patches: GNU stops at "GIT binary patch" (the can't-find line, the leading text) and reads its
        // data lines as text before the next patch, or as trailing garbage.
        const string Binary = "diff --git a/b.bin b/b.bin\nindex 0084708..0896983 100644\nGIT binary patch\nliteral 4\nLcmYdHVn_x60}%ly\n\nliteral 0\nHcmV?d00001\n\n";
        const string Next = "diff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-x\n+y\n";
        yield return P("patch git binary patch, file missing", F(("p.diff", Binary)), "-p1", "-i", "p.diff");
        yield return P("patch --verbose git binary patch, file missing", F(("p.diff", Binary)), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch --verbose git binary, missing, next file", F(("p.diff", Binary + Next)), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch -f git binary, missing, next file there", F(("g", "x\n"), ("p.diff", Binary + Next)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch --verbose git binary there, next file", F(("b.bin", "b\n"), ("g", "x\n"), ("p.diff", Binary + Next)), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch --posix git binary new file", F(("p.diff", "diff --git a/n.bin b/n.bin\nnew file mode 100644\nindex 0000000..0896983\n" + Binary[(Binary.IndexOf("GIT", StringComparison.Ordinal))..])), "--posix", "-p1", "-i", "p.diff");

        // A git binary patch cut short: GNU does not decode it, so it is "not supported" as any other.
        const string Cut = "diff --git a/c.bin b/c.bin\nnew file mode 100644\nindex 0000000..0896983\nGIT binary patch\nliteral 4000\nLcmYdHVn_x60}%ly\nLcmYdHVn_x60}%ly\n";
        yield return P("patch git binary patch cut short", F(("p.diff", Cut)), "-p1", "-i", "p.diff");
        yield return P("patch git binary cut mid-line", F(("p.diff", Cut + "LcmYdH")), "-p1", "-i", "p.diff");
        yield return P("patch git binary cut short, then a file", F(("g", "x\n"), ("p.diff", Cut + Next)), "-p1", "-i", "p.diff");

        // A unified diff's epoch date or /dev/null makes a creation only with a first hunk at -0 (GNU).
        const string Epoch = "--- a/f\t1970-01-01 00:00:00.000000000 +0000\n+++ b/f\t2000-01-01 00:00:00.000000000 +0000\n@@ -2,0 +3,1 @@\n+y\n";
        const string DevNull = "--- /dev/null\n+++ b/f\n@@ -2,0 +3,1 @@\n+y\n";
        const string EpochGone = "--- a/f\t2000-01-01 00:00:00.000000000 +0000\n+++ b/f\t1970-01-01 00:00:00.000000000 +0000\n@@ -1,2 +1,1 @@\n a\n-b\n";
        yield return P("patch epoch date, hunk not at 0, file missing", F(("p.diff", Epoch)), "-p1", "-i", "p.diff");
        yield return P("patch epoch date, hunk not at 0, file there", F(("f", "a\nb\n"), ("p.diff", Epoch)), "-p1", "-i", "p.diff");
        yield return P("patch /dev/null, hunk not at 0, file there", F(("f", "a\nb\n"), ("p.diff", DevNull)), "-p1", "-i", "p.diff");
        yield return P("patch /dev/null, hunk not at 0, file missing", F(("p.diff", DevNull)), "-p1", "-i", "p.diff");
        yield return P("patch epoch new date, hunk not at +0", F(("f", "a\nb\n"), ("p.diff", EpochGone)), "-p1", "-i", "p.diff");
        yield return P("patch -R epoch date, hunk not at 0", F(("f", "a\nb\ny\n"), ("p.diff", Epoch)), "-R", "-p1", "-i", "p.diff");

        // A file patch without hunks (its hunk header lost): GNU does not write the file, so -Z/-T leave its time.
        const string NoHunk = "diff --git a/f b/f\nindex 1234567..89abcde 100644\n--- a/f\n+++ b/f\nGARBAGE\n";
        yield return P("patch -Z git diff without hunks", F(("f", "a\nb\n"), ("p.diff", NoHunk)), "-Z", "-p1", "-i", "p.diff") with { Times = true, Stamps = [("f", "@946684800")] };
        yield return P("patch -T git diff without hunks", F(("f", "a\nb\n"), ("p.diff", NoHunk)), "-T", "-p1", "-i", "p.diff") with { Times = true, Stamps = [("f", "@946684800")] };
        yield return P("patch -Z -b git diff without hunks", F(("f", "a\nb\n"), ("p.diff", NoHunk)), "-Z", "-b", "-p1", "-i", "p.diff") with { Times = true, Stamps = [("f", "@946684800")] };

        // A lone "---" in a git header: the reject names are the stripped names.
        const string Lone = "diff --git a/f b/f\nindex 1234567..89abcde 100644\n--- a/f\n@@ -1 +1 @@\n-x\n+y\n";
        yield return P("patch git lone --- line, rejects", F(("f", "q\n"), ("p.diff", Lone)), "-p1", "-i", "p.diff");
        yield return P("patch -R git lone --- line, rejects", F(("f", "q\n"), ("p.diff", Lone)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R git lone --- other name, rejects", F(("f", "q\n"), ("p.diff", Lone.Replace("--- a/f", "--- z/f", StringComparison.Ordinal))), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -R -o out git lone --- line, rejects", F(("f", "q\n"), ("p.diff", Lone)), "-R", "-o", "out", "-p1", "-i", "p.diff");

        // "index 0000000.." without "new file mode": GNU reads a creation.
        const string IndexOnly = "diff --git a/d/f b/d/f\nindex 0000000..e69de29\n";
        const string IndexHunk = "diff --git a/f b/f\nindex 0000000..e69de29 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n+y\n";
        yield return P("patch git index 0000000, no hunks", F(("p.diff", IndexOnly)), "-p1", "-i", "p.diff");
        yield return P("patch --verbose git index 0000000, no hunks", F(("p.diff", IndexOnly)), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch --dry-run git index 0000000, no hunks", F(("p.diff", IndexOnly)), "--dry-run", "-p1", "-i", "p.diff");
        yield return P("patch git index 0000000, two files", F(("p.diff", IndexOnly + IndexOnly.Replace("d/f", "g", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        yield return P("patch git index 0000000, file there", F(("d/f", "x\n"), ("p.diff", IndexOnly)), "-p1", "-i", "p.diff");
        yield return P("patch git index 0000000, empty file there", F(("d/f", string.Empty), ("p.diff", IndexOnly)), "-p1", "-i", "p.diff");
        yield return P("patch -t git index 0000000, empty file there", F(("d/f", string.Empty), ("p.diff", IndexOnly)), "-t", "-p1", "-i", "p.diff");
        yield return P("patch -f git index 0000000, empty file there", F(("d/f", string.Empty), ("p.diff", IndexOnly)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch git index 0000000 with a hunk, file there", F(("f", "x\n"), ("p.diff", IndexHunk)), "-p1", "-i", "p.diff");
        yield return P("patch -f git index 0000000, hunk, file there", F(("f", "x\n"), ("p.diff", IndexHunk)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch -t git index 0000000, hunk, file there", F(("f", "x\n"), ("p.diff", IndexHunk)), "-t", "-p1", "-i", "p.diff");
        yield return P("patch git index 0000000, hunk at 0", F(("p.diff", "diff --git a/d/f b/d/f\nindex 0000000..5716ca5\n--- /dev/null\n+++ b/d/f\n@@ -0,0 +1 @@\n+bar\n")), "-p1", "-i", "p.diff");
    }
}
