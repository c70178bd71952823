namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for git copies: the file copied from stays, patched forward or reversed, and a later diff of it in the
/// same patch finds it (the drop-in removed it as it does a renamed file's old name); <c>-b</c> backs up the name written
/// (a rename's both names).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> GitCopyPatchRows()
    {
        const string Copy = "diff --git a/a b/b\nsimilarity index 90%\ncopy from a\ncopy to b\n--- a/a\n+++ b/b\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n";
        const string Source = "diff --git a/a b/a\nindex 1111111..2222222 100644\n--- a/a\n+++ b/a\n@@ -1,3 +1,3 @@\n-1\n+one\n 2\n 3\n";
        yield return P("patch git copy with a hunk keeps the file copied from", F(("a", "1\n2\n3\n"), ("p.diff", Copy)), "-p1", "-i", "p.diff");
        yield return P("patch git copy, then a diff of the file copied from", F(("a", "1\n2\n3\n"), ("p.diff", Copy + Source)), "-p1", "-i", "p.diff");
        yield return P("patch -R git copy, only the copy there", F(("b", "1\ntwo\n3\n"), ("p.diff", Copy)), "-R", "-p1", "-i", "p.diff");
        yield return P("patch git copy, 100% similar, no hunks", F(("a", "1\n2\n3\n"), ("p.diff", "diff --git a/a b/b\nsimilarity index 100%\ncopy from a\ncopy to b\n")), "-p1", "-i", "p.diff");
        yield return P("patch -b git copy with a hunk", F(("a", "1\n2\n3\n"), ("p.diff", Copy)), "-b", "-p1", "-i", "p.diff");
        yield return P("patch -b git copy over a file there", F(("a", "1\n2\n3\n"), ("b", "old b\n"), ("p.diff", Copy)), "-b", "-p1", "-i", "p.diff");
        yield return P("patch -b git rename with a hunk", F(("a", "1\n2\n3\n"), ("p.diff", Copy.Replace("copy ", "rename ", StringComparison.Ordinal))), "-b", "-p1", "-i", "p.diff");
        yield return P("patch -b -R git copy, only the copy there", F(("b", "1\ntwo\n3\n"), ("p.diff", Copy)), "-b", "-R", "-p1", "-i", "p.diff");
        yield return P("patch --merge git copy with a hunk", F(("a", "1\n2\n3\n"), ("p.diff", Copy)), "--merge", "-p1", "-i", "p.diff");
    }
}
