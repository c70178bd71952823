namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 1121–2500: "#" lines GNU skips inside a hunk
/// (where the hunk ends), GNU's "(copied|renamed|read from NAME)" rule, <c>-E</c> with <c>-o</c>, GNU's reversal
/// questions (asked before "Looks like", also for a git empty-blob id and a git deletion of an empty file), files
/// removed named under <c>--verbose</c>, and git patches of symbolic links (mode 120000).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu30cPatchRows()
    {
        // "#" lines inside a hunk: GNU skips them, so the hunk (and the text leading up to the next file) ends later.
        const string Abc = "a\nb\nc\n";
        yield return P("patch # line in a hunk, next file, --verbose", F(("f", Abc), ("g", Abc), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n#c\n-b\n+B\n c\n--- g\n+++ g\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")), "--verbose", "-i", "p.diff");
        yield return P("patch cut hunk ending in a # line, --verbose", F(("f", "a\nb\n\n\n"), ("p.diff", "--- f\n+++ f\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n#c\n")), "--verbose", "-i", "p.diff");

        // "(copied from NAME)" only when the file read is not the one written; -o names a git rename as such.
        const string Copy = "diff --git a/x b/y\nsimilarity index 90%\ncopy from x\ncopy to y\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-hi\n+HI\n";
        const string Rename = "diff --git a/x b/y\nsimilarity index 90%\nrename from x\nrename to y\n--- a/x\n+++ b/y\n@@ -1 +1 @@\n-hi\n+HI\n";
        yield return P("patch -R --dry-run, git copy onto its source", F(("x", "hi\n"), ("p.diff", Copy)), "-R", "--dry-run", "-p1", "-i", "p.diff");
        yield return P("patch -R, git copy onto its source", F(("x", "HI\n"), ("p.diff", Copy)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch -o out, git rename", F(("x", "hi\n"), ("p.diff", Rename)), "-o", "out", "-p1", "-i", "p.diff");
        yield return P("patch -o out, git copy of x", F(("x", "hi\n"), ("p.diff", Copy)), "-o", "out", "-p1", "-i", "p.diff");

        // -E does not remove an -o file left empty.
        yield return P("patch -E -o out, the result empty", F(("f", "a\n"), ("p.diff", "--- f\n+++ f\n@@ -1 +0,0 @@\n-a\n")), "-E", "-o", "out", "-i", "p.diff");
        yield return P("patch -E -o out, a deletion", F(("f", "a\n"), ("p.diff", "--- f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n")), "-E", "-o", "out", "-i", "p.diff");

        // GNU's maybe_reverse asks as it reads the header: before "Looks like", and nothing of it when skipped.
        yield return P("patch --verbose, emptying an empty file", F(("e", string.Empty), ("p.diff", "--- a/e\n+++ b/e\n@@ -1 +0,0 @@\n-x\n")), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch --verbose, deleting a missing file", F(("p.diff", "--- a/g\n+++ b/g\n@@ -1 +0,0 @@\n-x\n")), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch --verbose -t, emptying an empty file", F(("e", string.Empty), ("p.diff", "--- a/e\n+++ b/e\n@@ -1 +0,0 @@\n-x\n")), "--verbose", "-t", "-p1", "-i", "p.diff");
        yield return P("patch --verbose, git empty blob, file empty", F(("e", string.Empty), ("p.diff", "diff --git a/e b/e\nindex bcea7d9..e69de29 100644\n--- a/e\n+++ b/e\n@@ -1 +6,0 @@\n-x\n")), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch -f, git empty blob, file empty", F(("e", string.Empty), ("p.diff", "diff --git a/e b/e\nindex bcea7d9..e69de29 100644\n--- a/e\n+++ b/e\n@@ -1 +6,0 @@\n-x\n")), "-f", "-p1", "-i", "p.diff");
        yield return P("patch --verbose, git deletion, file empty", F(("e", string.Empty), ("p.diff", "diff --git a/e b/e\ndeleted file mode 100644\nindex c2443b6..0000000\n--- a/e\n+++ /dev/null\n@@ -1 +1,0 @@\n-x\n")), "--verbose", "-p1", "-i", "p.diff");

        // GNU removes files at the end and names them under --verbose.
        yield return P("patch --verbose -E, two files emptied", F(("f", "a\n"), ("g", "b\n"), ("p.diff", "--- f\n+++ f\n@@ -1 +0,0 @@\n-a\n--- g\n+++ g\n@@ -1 +0,0 @@\n-b\n")), "--verbose", "-E", "-i", "p.diff");
        yield return P("patch --verbose, a deletion", F(("f", "a\n"), ("p.diff", "--- f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n")), "--verbose", "-i", "p.diff");

        // Git patches of symbolic links: the target is the text; the drop-in wrote a regular file of mode 0.
        const string LinkAdd = "diff --git a/l b/l\nnew file mode 120000\nindex 0000000..1111111\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+target\n\\ No newline at end of file\n";
        const string LinkChange = "diff --git a/l b/l\nindex 1111111..2222222 120000\n--- a/l\n+++ b/l\n@@ -1 +1 @@\n-target\n\\ No newline at end of file\n+other\n\\ No newline at end of file\n";
        const string LinkDelete = "diff --git a/l b/l\ndeleted file mode 120000\nindex 2222222..0000000\n--- a/l\n+++ /dev/null\n@@ -1 +0,0 @@\n-other\n\\ No newline at end of file\n";
        yield return P("patch git symlink created", F(("p.diff", LinkAdd)), "-p1", "-i", "p.diff");
        yield return P("patch --dry-run, git symlink created", F(("p.diff", LinkAdd)), "--dry-run", "-p1", "-i", "p.diff");
        yield return P("patch -o out, git symlink created", F(("p.diff", LinkAdd)), "-o", "out", "-p1", "-i", "p.diff");
        yield return P("patch --verbose, git symlink target changed", F(("p.diff", LinkChange)), "--verbose", "-p1", "-i", "p.diff") with { Links = [("l", "target")] };
        yield return P("patch --verbose, git symlink removed", F(("p.diff", LinkDelete)), "--verbose", "-p1", "-i", "p.diff") with { Links = [("l", "other")] };
        yield return P("patch -b, git symlink removed", F(("p.diff", LinkDelete)), "-b", "-p1", "-i", "p.diff") with { Links = [("l", "other")] };
        yield return P("patch -R, git symlink created", F(("p.diff", LinkAdd)), "-R", "-p1", "-i", "p.diff") with { Links = [("l", "target")] };
    }
}
