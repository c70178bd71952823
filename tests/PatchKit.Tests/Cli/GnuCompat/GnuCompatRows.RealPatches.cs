namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized comparison on real patches (eng/gnu-patch-random.py) found: a git diff read
/// under <c>-c</c> or <c>-n</c> is a patch without hunks that leaves its file as it is (time and all); a hunk GNU cannot
/// read under <c>-c</c> counts only where GNU reads hunks; a lone <c>---</c> line before a hunk header GNU cannot read.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> RealPatchPatchRows()
    {
        const string Git = "diff --git a/f b/f\nindex 1111111..2222222 100644\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        const string Unified = "--- a/g\n+++ b/g\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        const string Context = "*** a/g\n--- b/g\n***************\n*** 1,3 ****\n  a\n! b\n  c\n--- 1,3 ----\n  a\n! B\n  c\n";
        const string Abc = "a\nb\nc\n";
        yield return P("patch -c git diff: no hunks, the file keeps its time", Tree(Git), "-c", "-p1", "-i", "p.diff") with { Times = true };
        yield return P("patch -n git diff: no hunks, the file keeps its time", Tree(Git), "-n", "-p1", "-i", "p.diff") with { Times = true };
        yield return P("patch -b -c git diff: no hunks, a backup copy", Tree(Git), "-b", "-c", "-p1", "-i", "p.diff") with { Times = true };
        yield return P("patch --verbose -n git diff then a unified diff", Tree(Git + Unified), "--verbose", "-n", "-p1", "-i", "p.diff");
        yield return P("patch -n git diff without index line", Tree("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"), "-n", "-p1", "-i", "p.diff");
        yield return P("patch -c git diff, a bad hunk in it, then a context diff", Tree(Git.Replace("-b\n", "?b\n", StringComparison.Ordinal) + Context), "-c", "-p1", "-i", "p.diff");
        yield return P("patch -c git diff, a bad hunk in the diff after it", Tree(Git + Unified.Replace("-b\n", "?b\n", StringComparison.Ordinal)), "-c", "-p1", "-i", "p.diff");
        yield return P("patch -c unified diff with a bad hunk: only garbage", Tree(Unified.Replace("-b\n", "?b\n", StringComparison.Ordinal)), "-c", "-p1", "-i", "p.diff");
        yield return P("patch lone --- then a hunk header without numbers after a file", Tree(Unified + "--- a/f\n@@ -x +1 @@\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"), "-p1", "-i", "p.diff");
        yield return P("patch -R lone --- then a hunk header without numbers", Tree(Unified.Replace("-b\n+B\n", "-B\n+b\n", StringComparison.Ordinal) + "--- a/f\n@@ -x +1 @@\n"), "-R", "-p1", "-i", "p.diff");
        yield return P("patch lone +++ then a bad hunk header after a file", Tree(Unified + "+++ b/f\n@@ -1,3 +x @@\n"), "-p1", "-i", "p.diff");
        yield return P("patch -b -E -B old/ on an empty file in a folder, hunks failing", F(("d/f", string.Empty), ("p.diff", Unified.Replace("a/g", "a/d/f", StringComparison.Ordinal).Replace("b/g", "b/d/f", StringComparison.Ordinal))), "-b", "-E", "-B", "old/", "-p1", "-i", "p.diff");
        yield return P("patch -c git diff of a new empty file without its mode line", Tree("diff --git a/d/e b/d/e\nindex 0000000000000000000000000000000000000000..e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\n"), "-c", "-p1", "-i", "p.diff");
        yield return P("patch -n git diff of a new empty file, a blank line in its header", Tree("diff --git a/d/e b/d/e\n\nindex 0000000000000000000000000000000000000000..e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\n"), "-n", "-p1", "-i", "p.diff");

        static (string, string)[] Tree(string patch) => F(("f", Abc), ("g", Abc), ("p.diff", patch));
    }
}
