namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for a patch that goes bad part of the way through (GNU patches the files before the hunk it cannot
/// read, reports that file, tries its earlier hunks and stops, exit 2), for <c>-R</c> on creations and deletions with
/// and without <c>/dev/null</c> names, and for what the randomized comparison (benchmarks/gnu-patch-random.sh) found.</summary>
internal static partial class GnuCompatRows
{
    private const string FirstOfThree = "--- f\n+++ f\n@@ -1,2 +1,2 @@\n-l1\n+L1\n l2\n";
    private const string LastOfThree = "--- h\n+++ h\n@@ -1 +1 @@\n-l1\n+L1\n";

    private static (string, string)[] Three(string patch) => F(("f", Ten), ("g", Ten), ("h", Ten), ("p.diff", patch));

    private static IEnumerable<CompatRow> LaterErrorPatchRows()
    {
        const string GOk = "--- g\n+++ g\n@@ -1,2 +1,2 @@\n-l1\n+L1\n l2\n";
        const string CtxF = "*** f\n--- f\n***************\n*** 1 ****\n! l1\n--- 1 ----\n! L1\n";
        const string CtxG = "*** g\n--- g\n***************\n*** 1 ****\n! l1\n--- 1 ----\n! L1\n";
        (string Name, string Patch)[] bad =
        [
            ("garbage in a later file's second hunk", FirstOfThree + GOk + "@@ -5,2 +5,2 @@\n-l5\nGARBAGE\n l6\n" + LastOfThree),
            ("garbage in the first file's first hunk", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n-l1\nGARBAGE\n l2\n" + GOk),
            ("garbage in a later file's first hunk", FirstOfThree + "--- g\n+++ g\n@@ -1,2 +1,2 @@\n-l1\nGARBAGE\n l2\n" + LastOfThree),
            ("a later hunk cut off", FirstOfThree + GOk + "@@ -5,6 +5,6 @@\n-l5\n+L5\n"),
            ("a later hunk short of two blank lines", FirstOfThree + GOk + "@@ -5,4 +5,4 @@\n-l5\n+L5\n l6\n"),
            ("too many old lines in a later hunk", FirstOfThree + GOk + "@@ -5,1 +5,2 @@\n-l5\n-l6\n+L5\n+L6\n"),
            ("a later unified range not a number", FirstOfThree + "--- g\n+++ g\n@@ -x +1 @@\n-l1\n+L1\n" + LastOfThree),
            ("a later unified range without '+'", FirstOfThree + GOk + "@@ -5,1 5,1 @@\n-l5\n+L5\n" + LastOfThree),
            ("a later unified new range not a number", FirstOfThree + GOk + "@@ -5,1 +y @@\n-l5\n+L5\n"),
            ("a hunk of context lines only", FirstOfThree + GOk + "@@ -5,1 +5,1 @@\n l5\n"),
            ("a context diff's later old range", CtxF + "*** g\n--- g\n***************\n*** 1,x ****\n! l1\n--- 1 ----\n! L1\n"),
            ("a context diff's later new range", CtxF + "*** g\n--- g\n***************\n*** 1 ****\n! l1\n--- 1,x ----\n! L1\n"),
            ("a context diff's second hunk range", CtxF + CtxG + "***************\n*** 5 ****\n! l5\n--- 5,x ----\n! L5\n"),
            ("a context diff cut off in a later second hunk", CtxF + CtxG + "***************\n*** 5 ****\n! l5\n"),
            ("a context diff cut off in a later first hunk", CtxF + "*** g\n--- g\n***************\n*** 1,2 ****\n! l1\n"),
            ("a context diff's first old range", "*** f\n--- f\n***************\n*** x ****\n! l1\n--- 1 ----\n! L1\n"),
        ];
        foreach (var (name, patch) in bad)
        {
            yield return P($"patch goes bad: {name}", Three(patch), "-i", "p.diff");
        }

        string later = bad[0].Patch;
        foreach (string[] options in new string[][] { ["-N"], ["-f"], ["-t"], ["--dry-run"], ["-s"], ["-b"], ["--verbose"], ["-R"], ["-r", "all.rej"], ["--merge"], ["-E"], ["-F0"] })
        {
            yield return P($"patch goes bad in a later file, {string.Join(' ', options)}", Three(later), [.. options, "-i", "p.diff"]);
        }

        // The failing file's earlier hunk fails or is reversed before the bad one is read.
        yield return P("patch goes bad after a failed hunk", Three(FirstOfThree + "--- g\n+++ g\n@@ -1,2 +1,2 @@\n-zz\n+L1\n l2\n@@ -5,2 +5,2 @@\n-l5\nGARBAGE\n"), "-i", "p.diff");
        yield return P("patch goes bad after a reversed hunk, -t", Three(FirstOfThree + "--- g\n+++ g\n@@ -1,2 +1,2 @@\n-L1\n+l1\n l2\n@@ -5,2 +5,2 @@\n-l5\nGARBAGE\n"), "-t", "-i", "p.diff");
        yield return P("patch goes bad in a later file that is missing, -f", F(("f", Ten), ("p.diff", later)), "-f", "-i", "p.diff");
        yield return P("patch goes bad, later context range --verbose", Three(CtxF + "*** g\n--- g\n***************\n*** 1,x ****\n! l1\n--- 1 ----\n! L1\n"), "--verbose", "-i", "p.diff");
        yield return P("patch goes bad, later unified range --verbose", Three(FirstOfThree + "--- g\n+++ g\n@@ -x +1 @@\n-l1\n+L1\n"), "--verbose", "-i", "p.diff");
        yield return P("patch goes bad, later hunk cut off --dry-run", Three(bad[3].Patch), "--dry-run", "-i", "p.diff");
        yield return P("patch goes bad, later hunk cut off -N", Three(bad[3].Patch), "-N", "-i", "p.diff");

        // A last line without its newline: GNU does not read it, and says so where it comes to it.
        yield return P("patch last line without newline, in a later hunk", Three(FirstOfThree + GOk + "@@ -5,4 +5,4 @@\n-l5\n+L5\n l6\n l7"), "-i", "p.diff");
        yield return P("patch last line without newline, after the last hunk", Three(FirstOfThree + "trailing text"), "-i", "p.diff");
        yield return P("patch last line without newline, where a hunk header would be", Three(FirstOfThree + "--- g\n+++ g\n@@ -1,2 +1,2 @@"), "-i", "p.diff");
        yield return P("patch last line without newline, cut off in a hunk", Three(FirstOfThree + GOk + "@@ -5,6 +5,6 @@\n-l5\n+L5\n l6"), "-i", "p.diff");
        yield return P("patch last line without newline, -s", Three(FirstOfThree + "trailing text"), "-s", "-i", "p.diff");

        // -c/-u read only diffs of that kind (git diffs either way).
        yield return P("patch -c on a unified diff", Three(FirstOfThree), "-c", "-i", "p.diff");
        yield return P("patch -u on a context diff", Three(CtxF), "-u", "-i", "p.diff");
        yield return P("patch -c on a git diff", Three("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-l1\n+L1\n"), "-c", "-p1", "-i", "p.diff");
        yield return P("patch -u on a unified and a context diff", Three(FirstOfThree + CtxG), "-u", "-i", "p.diff");

        // --verbose with a file that is not there: the leading text after "can't find file", each hunk named.
        yield return P("patch --verbose, file missing", F(("p.diff", TwoHunks)), "--verbose", "-i", "p.diff");
        yield return P("patch --verbose -f, second file missing", F(("f", Ten), ("p.diff", FirstOfThree + GOk)), "--verbose", "-f", "-i", "p.diff");
        yield return P("patch --verbose -R, file missing", F(("p.diff", TwoHunks)), "--verbose", "-R", "-t", "-i", "p.diff");

        // A failed hunk's function name goes after the reject file's row of stars.
        string headed = Fails.Replace("@@ -3,5 +3,5 @@", "@@ -3,5 +3,5 @@ int main(void)", StringComparison.Ordinal);
        yield return P("patch --reject-format=context, hunk with a function name", F(("f", Ten), ("p.diff", headed)), "--reject-format=context", "-i", "p.diff");
        yield return P("patch context diff failing, hunk with a function name", F(("f", Ten.Replace("l5", "zz", StringComparison.Ordinal)), ("p.diff", Context.Replace("***************\n", "*************** int main(void)\n", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch --reject-format=unified, hunk with a function name", F(("f", Ten), ("p.diff", headed)), "--reject-format=unified", "-i", "p.diff");

        // -R on creations and deletions, with and without /dev/null, the file missing, there, empty or different.
        const string Creation = "--- n\n+++ n\n@@ -0,0 +1,2 @@\n+new1\n+new2\n";
        const string CreationNull = "--- /dev/null\n+++ n\n@@ -0,0 +1,2 @@\n+new1\n+new2\n";
        const string Deletion = "--- n\n+++ n\n@@ -1,2 +0,0 @@\n-new1\n-new2\n";
        const string DeletionNull = "--- n\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-new1\n-new2\n";
        (string Name, string Patch)[] shapes = [("creation", Creation), ("creation from /dev/null", CreationNull), ("deletion", Deletion), ("deletion to /dev/null", DeletionNull)];
        (string Name, string? Content)[] states = [("missing", null), ("there", "new1\nnew2\n"), ("empty", string.Empty), ("different", "x\ny\n")];
        foreach (var (shape, patch) in shapes)
        {
            foreach (var (state, content) in states)
            {
                (string, string)[] files = content is null ? F(("p.diff", patch)) : F(("n", content), ("p.diff", patch));
                foreach (string[] options in new string[][] { ["-R"], ["-R", "-t"], ["-R", "-f"], ["-R", "-N"], ["-R", "-E"], ["-t"] })
                {
                    yield return P($"patch {string.Join(' ', options)}, {shape}, file {state}", files, [.. options, "-i", "p.diff"]);
                }
            }
        }
    }
}
