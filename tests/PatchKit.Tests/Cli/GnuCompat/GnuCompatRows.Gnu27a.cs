namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for unusual patch input: what <c>-c</c>/<c>-u</c> restrict (only the first patch), file headers with no
/// hunk after them, a last line without its newline where a hunk header would be, trailing text under --verbose, hunk
/// headers GNU reads that the library's form does not (<c>@@ -5 +5 @</c>), a doubled <c>+++</c> line, garbage inside a
/// context diff's hunk, and a context hunk's <c>*************** NAME</c>.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> UnusualInputPatchRows()
    {
        const string F1 = "--- f\n+++ f\n@@ -1,2 +1,2 @@\n-l1\n+L1\n l2\n";
        const string CtxF = "*** f\n--- f\n***************\n*** 1 ****\n! l1\n--- 1 ----\n! L1\n";
        const string CtxG = "*** g\n--- g\n***************\n*** 1 ****\n! l1\n--- 1 ----\n! L1\n";
        const string GitIndex = "diff --git a/f b/f\nindex 1234567..89abcde 100644\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-l1\n+L1\n";

        // -c/-u: GNU looks for that kind only for the first patch; the later ones are read whatever their kind.
        yield return P("patch -u on a context and a unified diff", Three(CtxF + "--- g\n+++ g\n@@ -1 +1 @@\n-l1\n+L1\n"), "-u", "-i", "p.diff");
        yield return P("patch -c on a unified and a context diff", Three(F1 + CtxG), "-c", "-i", "p.diff");
        yield return P("patch -c on a context and a unified diff", Three(CtxF + "--- g\n+++ g\n@@ -1 +1 @@\n-l1\n+L1\n"), "-c", "-i", "p.diff");
        yield return P("patch -c on a git diff with an index line", Three(GitIndex), "-c", "-p1", "-i", "p.diff");
        yield return P("patch -c on a git diff with an index line, then a context diff", Three(GitIndex + CtxG.Replace("g\n", "b/g\n", StringComparison.Ordinal)), "-c", "-p1", "-i", "p.diff");
        yield return P("patch -c on a git mode change", F(("s", "x\n"), ("p.diff", Git755)), "-c", "-p1", "-i", "p.diff");
        yield return P("patch -u on a git diff, --verbose", Three(GitIndex), "-u", "-p1", "--verbose", "-i", "p.diff");
        yield return P("patch -c, no context diff", Three(F1), "-c", "-i", "p.diff");
        yield return P("patch -c, no context diff, --verbose", Three(F1), "-c", "--verbose", "-i", "p.diff");
        yield return P("patch only garbage, --verbose", Three("hello\nworld\n"), "--verbose", "-i", "p.diff");

        // File headers with no hunk after them are text to GNU.
        yield return P("patch headers without hunks, last", Three(F1 + "--- g\n+++ g\n"), "-i", "p.diff");
        yield return P("patch headers without hunks, first, --verbose", Three("--- h\n+++ h\n" + F1), "--verbose", "-i", "p.diff");
        yield return P("patch headers without hunks, alone", Three("--- h\n+++ h\n"), "-i", "p.diff");
        yield return P("patch context headers without hunks, last", Three(F1 + "*** g\n--- g\n"), "-i", "p.diff");
        yield return P("patch headers without hunks, last, -s", Three(F1 + "--- g\n+++ g\n"), "-s", "-i", "p.diff");

        // A last line without its newline where GNU looks for the next patch.
        yield return P("patch last line without newline, a header's", Three(F1 + "--- g\n+++ g"), "-i", "p.diff");
        yield return P("patch last line without newline, after headers", Three(F1 + "--- g\n+++ g\nxx"), "-i", "p.diff");
        yield return P("patch last line without newline, a context hunk's stars", Three(F1 + "*** g\n--- g\n***************"), "-i", "p.diff");
        yield return P("patch last line without newline, two lines after the hunk", Three(F1 + "trailing\ntext"), "-i", "p.diff");
        yield return P("patch last line without newline, where a hunk header would be, --verbose", Three(F1 + "--- g\n+++ g\n@@ -1,2 +1,2 @@"), "--verbose", "-i", "p.diff");
        yield return P("patch last line without newline, after the last hunk, --verbose", Three(F1 + "trailing text"), "--verbose", "-i", "p.diff");
        yield return P("patch trailing text, --verbose", Three(F1 + "trailing text\n"), "--verbose", "-i", "p.diff");
        yield return P("patch trailing blank line, --verbose", Three(F1 + "\n"), "--verbose", "-i", "p.diff");

        // Hunk headers GNU reads: one '@' ends it, the spaces before '+' and after the new range may be left out.
        yield return P("patch hunk header @@ -5 +5 @", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -5 +5 @\n-l5\n+L5\n")), "-i", "p.diff");
        yield return P("patch hunk header @@ -5,1 +5,1@@", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -5,1 +5,1@@\n-l5\n+L5\n")), "-i", "p.diff");
        yield return P("patch hunk header @@ -5+5 @@", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -5+5 @@\n-l5\n+L5\n")), "-i", "p.diff");
        yield return P("patch hunk header @@ -5 +5 @, failing, with a name", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -5 +5@@ int main(void)\n-zz\n+L5\n")), "-i", "p.diff");
        yield return P("patch hunk header @@ -5 +5 @ in a later file", Three(F1 + "--- g\n+++ g\n@@ -5 +5 @\n-l5\n+L5\n"), "-i", "p.diff");

        // A doubled "+++" line: the last one names the file.
        yield return P("patch doubled +++ line", Three("--- f\n+++ f\n+++ g\n@@ -1 +1 @@\n-l1\n+L1\n"), "-i", "p.diff");
        yield return P("patch doubled +++ line, file missing", F(("f", Ten), ("p.diff", "--- a/x\n+++ b/y\n+++ b/z\n@@ -1 +1 @@\n-l1\n+L1\n")), "-p1", "-i", "p.diff");

        // Garbage inside a context diff's hunk: GNU's "malformed patch at line N".
        yield return P("patch goes bad: garbage in a context hunk's old lines", Three(CtxF + "*** g\n--- g\n***************\n*** 1,2 ****\n! l1\nGARBAGE\n--- 1,2 ----\n! L1\n  l2\n"), "-i", "p.diff");
        yield return P("patch goes bad: garbage in a context diff's second hunk", Three(CtxF + CtxG + "***************\n*** 5,6 ****\n! l5\nGARBAGE\n--- 5,6 ----\n! L5\n  l6\n"), "-i", "p.diff");
        yield return P("patch goes bad: garbage in a context hunk's new lines", Three(CtxF + "*** g\n--- g\n***************\n*** 1,2 ****\n! l1\n  l2\n--- 1,2 ----\n! L1\nGARBAGE\n  l2\n"), "-i", "p.diff");
        yield return P("patch goes bad: garbage first in a context hunk's new lines", Three(CtxF + "*** g\n--- g\n***************\n*** 1,2 ****\n! l1\n  l2\n--- 1,2 ----\nGARBAGE\n! L1\n  l2\n"), "-i", "p.diff");
        yield return P("patch goes bad: a second '***' line in a context hunk", Three(CtxF + "*** g\n--- g\n***************\n*** 1,2 ****\n! l1\n*** 3 ****\n--- 1,2 ----\n! L1\n  l2\n"), "-i", "p.diff");
        yield return P("patch goes bad: a row of stars in a context hunk's old lines", Three("*** f\n--- f\n***************\n*** 1,2 ****\n! l1\n  l2\n***************\n"), "-i", "p.diff");
        yield return P("patch goes bad: a row of stars in a context hunk's new lines", Three(CtxF + "*** g\n--- g\n***************\n*** 1,2 ****\n! l1\n  l2\n--- 1,2 ----\n! L1\n***************\n*** 5 ****\n! l5\n--- 5 ----\n! L5\n"), "-i", "p.diff");
        yield return P("patch garbage after a context hunk whose new lines are left out", Three("*** f\n--- f\n***************\n*** 1,2 ****\n- l1\n  l2\n--- 1 ----\nGARBAGE\n"), "-i", "p.diff");
        yield return P("patch goes bad: garbage in a context hunk, --verbose", Three(CtxF + "*** g\n--- g\n***************\n*** 1,2 ****\n! l1\nGARBAGE\n--- 1,2 ----\n! L1\n  l2\n"), "--verbose", "-i", "p.diff");

        // A context hunk's function name in its reject file, both formats.
        string named = "*** f\n--- f\n*************** int main(void)\n*** 3,7 ****\n  l3\n  l4\n! zz\n  l6\n  l7\n--- 3,7 ----\n  l3\n  l4\n! L5\n  l6\n  l7\n";
        yield return P("patch context diff failing, --reject-format=unified, hunk with a function name", F(("f", Ten), ("p.diff", named)), "--reject-format=unified", "-i", "p.diff");
        yield return P("patch context diff failing, second hunk with a function name", F(("f", Ten), ("p.diff", CtxF.Replace("l1", "zz", StringComparison.Ordinal) + "*************** static int x;\n*** 9 ****\n! zz\n--- 9 ----\n! L9\n")), "-i", "p.diff");
    
        // -o FILE when a later hunk goes bad: FILE keeps what GNU had written of the failing file.
        const string G2 = "--- g\n+++ g\n@@ -1,2 +1,2 @@\n-l1\n+L1\n l2\n";
        yield return P("patch -o FILE, goes bad in a later file's second hunk", Three(F1 + G2 + "@@ -5,2 +5,2 @@\n-l5\nGARBAGE\n l6\n"), "-o", "out", "-i", "p.diff");
        yield return P("patch -o FILE, goes bad in the first file's third hunk", Three("--- f\n+++ f\n@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n@@ -5,3 +5,3 @@\n l5\n-l6\n+L6\n l7\n@@ -9,2 +9,2 @@\n-l9\nGARBAGE\n"), "-o", "out", "-i", "p.diff");
        yield return P("patch -o FILE, goes bad after a failed hunk", Three(F1 + "--- g\n+++ g\n@@ -1,2 +1,2 @@\n-zz\n+L1\n l2\n@@ -5,2 +5,2 @@\n-l5\nGARBAGE\n"), "-o", "out", "-i", "p.diff");
        yield return P("patch -o FILE, a later hunk cut off", Three(F1 + G2 + "@@ -5,6 +5,6 @@\n-l5\n+L5\n"), "-o", "out", "-i", "p.diff");
        yield return P("patch -o FILE, goes bad in the first file's first hunk", Three("--- f\n+++ f\n@@ -1,2 +1,2 @@\n-l1\nGARBAGE\n"), "-o", "out", "-i", "p.diff");
        yield return P("patch -o FILE, goes bad after a hunk at an offset", F(("f", "x\ny\n" + Ten), ("p.diff", G2.Replace("g\n", "f\n", StringComparison.Ordinal) + "@@ -5,2 +5,2 @@\n-l5\nGARBAGE\n")), "-o", "out", "-i", "p.diff");

        // Several ed scripts in one input: GNU runs ed once per script, each on the text the one before left.
        const string Five = "1\n2\n3\n4\n5\n";
        yield return P("patch -e, two scripts with text between", F(("t", Five), ("s.ed", "4c\nX\n.\nsome text\n2c\nY\n.\n")), "-e", "t", "s.ed");
        yield return P("patch -e, two scripts with a blank line between", F(("t", Five), ("s.ed", "4c\nX\n.\n\n1d\n")), "-e", "t", "s.ed");
        yield return P("patch -e, two scripts, --verbose", F(("t", Five), ("s.ed", "4c\nX\n.\nsome text\n2d\n")), "-e", "--verbose", "t", "s.ed");
        yield return P("patch -e, text before the script", F(("t", Five), ("s.ed", "text first\n3c\nX\n.\n")), "-e", "t", "s.ed");
        yield return P("patch -e, text before the script, --verbose", F(("t", Five), ("s.ed", "text first\n3c\nX\n.\n")), "-e", "--verbose", "t", "s.ed");
        yield return P("patch -e, a script and trailing text, --verbose", F(("t", Five), ("s.ed", "3c\nX\n.\ntrailing\n")), "-e", "--verbose", "t", "s.ed");
        yield return P("patch -e, the second script refused by ed", F(("t", Five), ("s.ed", "4c\nX\n.\nsome text\n9c\nY\n.\n")), "-e", "t", "s.ed");
        yield return P("patch -e, two scripts -o out", F(("t", Five), ("s.ed", "4c\nX\n.\nsome text\n2c\nY\n.\n")), "-e", "-o", "out", "t", "s.ed");
        yield return P("patch -e, only text", F(("t", Five), ("s.ed", "some text\nmore\n")), "-e", "t", "s.ed");
        yield return P("patch -e, three scripts", F(("t", Five), ("s.ed", "5d\nx\n3a\nZ\n.\ny\n1c\nW\n.\n")), "-e", "t", "s.ed");
    

        // A normal diff's hunk GNU cannot read: the file is reported and the hunks before tried first.
        (string Name, string Patch)[] normal =
        [
            ("'---' missing in a later hunk", "1c1\n< l1\n---\n> L1\n5c5\n< l5\nGARBAGE\n> L5\n"),
            ("'---' missing in the first hunk", "1c1\n< l1\nx\n> L1\n"),
            ("a '<' line without its space", "1c1\n< l1\n---\n> L1\n5c5\n<l5\n---\n> L5\n"),
            ("a '>' line without its mark", "1c1\n< l1\n---\n> L1\n5c5\n< l5\n---\nL5\n"),
            ("cut off in its old lines", "1c1\n< l1\n---\n> L1\n5,6c5,6\n< l5\n"),
            ("cut off before '---'", "1c1\n< l1\n---\n> L1\n5c5\n< l5\n"),
            ("cut off in its new lines", "1c1\n< l1\n---\n> L1\n5,6c5,6\n< l5\n< l6\n---\n> L5\n"),
            ("after a failed hunk", "1c1\n< zz\n---\n> L1\n5c5\n< l5\nGARBAGE\n"),
        ];
        foreach (var (name, patch) in normal)
        {
            yield return P($"patch normal diff goes bad: {name}", F(("f", Ten), ("p.diff", patch)), "f", "p.diff");
        }

        yield return P("patch normal diff goes bad, --verbose", F(("f", Ten), ("p.diff", normal[0].Patch)), "--verbose", "f", "p.diff");
        yield return P("patch normal diff goes bad, -n", F(("f", Ten), ("p.diff", normal[0].Patch)), "-n", "f", "p.diff");
        yield return P("patch normal diff goes bad, -o FILE", F(("f", Ten), ("p.diff", normal[0].Patch)), "-o", "out", "f", "p.diff");
        yield return P("patch normal diff goes bad, --dry-run", F(("f", Ten), ("p.diff", normal[0].Patch)), "--dry-run", "f", "p.diff");
    }
}
