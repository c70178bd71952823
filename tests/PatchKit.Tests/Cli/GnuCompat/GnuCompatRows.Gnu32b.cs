namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu32b work: hunks without a file header in a patch whose last line has no newline (under
/// <c>--posix</c> or with ORIGFILE), a context diff's last line without its newline (read within its short last hunk,
/// and once more as GNU looks a file's first hunk over), ed scripts that name no file (<c>-c</c>/<c>-u</c>/<c>-n</c>
/// forced, <c>-e</c>, <c>--posix</c>), a normal diff after a unified patch (ORIGFILE, <c>--posix</c>), and a git diff's
/// <c>index 0000000..</c> with hunks not at line 0 and no file.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu32bPatchRows()
    {
        const string Cut = "@@ -1,4 +1,4 @@\n l1\n l2\n-l3\n+L3\n l4";
        const string NoNewline = "@@ -8,3 +8,3 @@\n l8\n l9\n-l10\n\\ No newline at end of file\n+L10\n\\ No newline at end of file";
        const string CutAfter = "junk\n@@ -1,4 +1,4 @@\n l1\n l2\n-l3\n+L3\n l4\n@@ -6,3 +6,3 @@\n l6\n-l7\n+L7";
        const string Trail = "@@ -1,4 +1,4 @@\n l1\n l2\n-l3\n+L3\n l4\n\n@@ -6,3 +6,3 @@\n l6\n-l7\n+L7\n l8\ntrailing";
        const string Named = "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n--- a/g\n+++ b/g\n@@ -2,8 +2,8 @@\n l2\n l3\n-l4\n+L4\n l5";
        static (string, string)[] Tree(string patch) => F(("f", Ten), ("p.diff", patch));
        static (string, string)[] NoEol(string patch) => F(("f", Ten.TrimEnd('\n')), ("p.diff", patch));

        // Hunks without a header when the last line has no newline (the lines made before it was cut off were kept).
        yield return P("patch --posix -f, cut hunk without header, partial last line", Tree(Cut), "--posix", "-f", "-i", "p.diff");
        yield return P("patch --posix, cut hunk without header, partial last line", Tree(Cut), "--posix", "-i", "p.diff");
        yield return P("patch ORIGFILE, cut hunk without header, partial last line", Tree(Cut), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, cut hunk without header, partial last line", Tree(Cut), "--verbose", "-i", "p.diff", "f");
        yield return P("patch --posix -t --verbose, cut hunk without header, partial last line", Tree(Cut), "--posix", "-t", "--verbose", "-i", "p.diff");
        yield return P("patch --posix -f, hunk without header, no-newline marker last", NoEol(NoNewline), "--posix", "-f", "-i", "p.diff");
        yield return P("patch ORIGFILE --verbose, hunk without header, no-newline marker last", NoEol(NoNewline), "--verbose", "-i", "p.diff", "f");
        yield return P("patch --posix -f, text, hunk, cut hunk without header", Tree(CutAfter), "--posix", "-f", "-i", "p.diff");
        yield return P("patch ORIGFILE --verbose, text, hunk, cut hunk without header", Tree(CutAfter), "--verbose", "-i", "p.diff", "f");
        yield return P("patch --posix -f, hunks without header, partial trailing text", Tree(Trail), "--posix", "-f", "-i", "p.diff");
        yield return P("patch ORIGFILE --verbose, hunks without header, partial trailing text", Tree(Trail), "--verbose", "-i", "p.diff", "f");
        yield return P("patch -u --posix -f -p1, second file's hunk cut, partial last line", Three(Named), "-u", "--posix", "-f", "-p1", "-i", "p.diff");
        yield return P("patch -c -f -p1, unified second file's hunk cut, partial last line", Three(Named), "-c", "-f", "-p1", "-i", "p.diff");

        // Ed scripts that name no file: under --posix, -e or -n, each is a patch whose file GNU cannot find.
        static (string, string)[] Letters(string patch) => F(("f", "a\nb\nc\nd\ne\n"), ("p.diff", patch));
        const string UniA = "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        const string CtxA = "***************\n*** 1,3 ****\n  a\n! b\n  c\n--- 1,3 ----\n  a\n! B\n  c\n";
        yield return P("patch -c --posix -f, unified hunk read as an indented ed script", Letters(UniA), "-c", "--posix", "-f", "-i", "p.diff");
        const string Ed = "1c\nA\n.\n";
        const string EdIndented = "  1c\n  A\n  .\n";
        const string EdAfterText = "junk\n1c\nA\n.\n3d\n";
        yield return P("patch -c --posix, text and unified hunk read as an ed script", Letters("text\n" + UniA), "-c", "--posix", "-i", "p.diff");
        yield return P("patch -c --posix -s -f, text and unified hunk read as an ed script", Letters("text\n" + UniA), "-c", "--posix", "-s", "-f", "-i", "p.diff");
        yield return P("patch -c --posix --verbose -f, text and unified hunk read as an ed script", Letters("text\n" + UniA), "-c", "--posix", "--verbose", "-f", "-i", "p.diff");
        yield return P("patch -u ORIGFILE, context hunk without header read as an ed script", Letters(CtxA), "-u", "-i", "p.diff", "f");
        yield return P("patch -u --posix -f, context hunk without header read as an ed script", Letters(CtxA), "-u", "--posix", "-f", "-i", "p.diff");
        yield return P("patch -e --posix -f, ed script without a file", Letters(Ed), "-e", "--posix", "-f", "-i", "p.diff");
        yield return P("patch -e -f, ed script without a file", Letters(Ed), "-e", "-f", "-i", "p.diff");
        yield return P("patch -e, text then ed script without a file", Letters(EdAfterText), "-e", "-i", "p.diff");
        yield return P("patch -e -s, text then ed script without a file", Letters(EdAfterText), "-e", "-s", "-i", "p.diff");
        yield return P("patch --posix -f, ed script without a file", Letters(Ed), "--posix", "-f", "-i", "p.diff");
        yield return P("patch --posix -f, indented ed script without a file", Letters(EdIndented), "--posix", "-f", "-i", "p.diff");
        yield return P("patch --posix, text then ed script without a file", Letters(EdAfterText), "--posix", "-i", "p.diff");
        yield return P("patch --posix --verbose -f, text then ed script without a file", Letters(EdAfterText), "--posix", "--verbose", "-f", "-i", "p.diff");
        yield return P("patch -n -f, indented ed script without a file", Letters(EdIndented), "-n", "-f", "-i", "p.diff");

        // A context diff whose last line has no newline: read within its short last hunk (a first hunk also as GNU
        // looks it over before it reports the file).
        const string CtxHead = "*** f\n--- f\n***************\n*** 1,6 ****\n  a\n  b\n! c\n  d\n  e\n  f\n--- 1,6 ----\n  a\n  b\n! X\n";
        const string CtxCut = CtxHead + "  d\n  e\n ";
        const string CtxCutShorter = CtxHead + "  d\n  e";
        const string Abcf = "a\nb\nc\nd\ne\nf\n";
        static (string, string)[] Six(string patch) => F(("f", Abcf), ("p.diff", patch));
        yield return P("patch, context hunk cut, partial last line", Six(CtxCut), "-i", "p.diff");
        yield return P("patch -c, context hunk cut, partial last line", Six(CtxCut), "-c", "-i", "p.diff");
        yield return P("patch --verbose, context hunk cut, partial last line", Six(CtxCut), "--verbose", "-i", "p.diff");
        yield return P("patch -c --posix ORIGFILE, context hunk cut, partial last line", Six(CtxCut), "-c", "--posix", "-i", "p.diff", "f");
        yield return P("patch, context hunk cut shorter, partial last line", Six(CtxCutShorter), "-i", "p.diff");
        yield return P("patch -c, context hunk cut shorter, partial last line", Six(CtxCutShorter), "-c", "-i", "p.diff");

        const string CtxTwo = "*** a/f\n--- b/f\n***************\n*** 1,4 ****\n  l1\n  l2\n! l3\n  l4\n--- 1,4 ----\n  l1\n  l2\n! L3\n  l4\n"
            + "*** a/g\n--- b/g\n***************\n*** 1,4 ****\n  l1\n  l2\n! l3\n  l4\n--- 1,4 ----\n  l1\n  l2\n! L3\n  l4";
        yield return P("patch -c -p1, second file's context hunk ends in a partial line", F(("f", Ten), ("p.diff", CtxTwo)), "-c", "-p1", "-i", "p.diff");
        yield return P("patch -p1 -f, second file's context hunk ends in a partial line", F(("f", Ten), ("p.diff", CtxTwo)), "-p1", "-f", "-i", "p.diff");

        const string CtxBare = "***************\n*** 1,4 ****\n  l1\n  l2\n! l3\n  l4\n--- 1,4 ----\n  l1\n  l2\n! L3\n  l4";
        const string CtxBareTwo = CtxBare + "\n***************\n*** 6,8 ****\n  l6\n! l7";
        const string CtxBareCutOld = "***************\n*** 1,4 ****\n  l1\n  l2\n";
        const string CtxFirstCut = "*** a/f\n--- b/f\n***************\n*** 1,4 ****\n  l1\n  l2";
        yield return P("patch --posix -f, context hunk without header ends in a partial line", Tree(CtxBare), "--posix", "-f", "-i", "p.diff");
        yield return P("patch ORIGFILE, context hunk without header ends in a partial line", Tree(CtxBare), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, context hunk without header ends in a partial line", Tree(CtxBare), "--verbose", "-i", "p.diff", "f");
        yield return P("patch --posix -f, second context hunk without header cut", Tree(CtxBareTwo), "--posix", "-f", "-i", "p.diff");
        yield return P("patch ORIGFILE --verbose, second context hunk without header cut", Tree(CtxBareTwo), "--verbose", "-i", "p.diff", "f");
        yield return P("patch --posix -f, first context hunk without header cut", Tree(CtxBareCutOld), "--posix", "-f", "-i", "p.diff");
        yield return P("patch ORIGFILE --verbose, first context hunk without header cut", Tree(CtxBareCutOld), "--verbose", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE, text, first context hunk without header cut, partial line", Tree("junk\n" + CtxBareCutOld.TrimEnd('\n')), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, unified hunk then a cut context hunk", Tree("@@ -1,2 +1,2 @@\n l1\n-l2\n+L2\n" + CtxBareCutOld), "--verbose", "-i", "p.diff", "f");
        yield return P("patch -p1 -f, first context hunk cut, partial last line", Tree(CtxFirstCut), "-p1", "-f", "-i", "p.diff");
        yield return P("patch -p1 --verbose -f, first context hunk cut, partial last line", Tree(CtxFirstCut), "-p1", "--verbose", "-f", "-i", "p.diff");

        // A normal diff after a unified patch (GNU looks for any kind again after each patch) with ORIGFILE or --posix.
        const string NormalAfter = "@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n7c7\n< l7\n---\n> L7\n";
        const string NormalAfterText = "junk\n@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\njunk2\n7c7\n< l7\n---\n> L7\n";
        const string NormalAfterNamed = "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n7c7\n< l7\n---\n> L7\n";
        const string NormalThenGarbage = NormalAfter + "garbage\n";
        yield return P("patch ORIGFILE, unified hunk then a normal diff", Tree(NormalAfter), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, unified hunk then a normal diff", Tree(NormalAfter), "--verbose", "-i", "p.diff", "f");
        yield return P("patch --posix -f, unified hunk then a normal diff", Tree(NormalAfter), "--posix", "-f", "-i", "p.diff");
        yield return P("patch --posix --verbose -f, unified hunk then a normal diff", Tree(NormalAfter), "--posix", "--verbose", "-f", "-i", "p.diff");
        yield return P("patch -f, unified hunk then a normal diff (no header: garbage)", Tree(NormalAfter), "-f", "-i", "p.diff");
        yield return P("patch ORIGFILE, text, unified hunk, text, normal diff", Tree(NormalAfterText), "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, text, unified hunk, text, normal diff", Tree(NormalAfterText), "--verbose", "-i", "p.diff", "f");
        yield return P("patch --posix -f, text, unified hunk, text, normal diff", Tree(NormalAfterText), "--posix", "-f", "-i", "p.diff");
        yield return P("patch --posix --verbose -f, text, unified hunk, text, normal diff", Tree(NormalAfterText), "--posix", "--verbose", "-f", "-i", "p.diff");
        yield return P("patch --posix -f -p1, named unified patch then a normal diff", Tree(NormalAfterNamed), "--posix", "-f", "-p1", "-i", "p.diff");
        yield return P("patch ORIGFILE -R -f, unified hunk then a normal diff", Tree(NormalAfter), "-R", "-f", "-i", "p.diff", "f");
        yield return P("patch -o out ORIGFILE, unified hunk then a normal diff", Tree(NormalAfter), "-o", "out", "-i", "p.diff", "f");
        yield return P("patch ORIGFILE --verbose, unified hunk, normal diff, garbage", Tree(NormalThenGarbage), "--verbose", "-i", "p.diff", "f");
        yield return P("patch --posix -f, unified hunk, normal diff, garbage", Tree(NormalThenGarbage), "--posix", "-f", "-i", "p.diff");

        // "index 0000000.." says the old file is not there: a creation, whose hunks not at line 0 fail.
        const string IndexZero = "diff --git a/n b/n\nindex 0000000..1111111\n--- a/n\n+++ b/n\n@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n";
        const string IndexZeroAt2 = "diff --git a/n b/n\nindex 0000000..1111111 100644\n--- a/n\n+++ b/n\n@@ -2,2 +2,2 @@\n-l2\n+L2\n l3\n";
        (string[] Options, bool AtLine2)[] indexRuns =
        [
            (["-f"], false), (["--verbose"], false), (["--no-backup-if-mismatch"], true), (["--dry-run"], true), (["-s"], true),
            (["-b", "-V", "numbered"], false), (["--posix"], false),
        ];
        foreach ((string[] options, bool atLine2) in indexRuns)
        {
            string name = $"patch -p1 {string.Join(' ', options)}, index 0000000 with a hunk at line {(atLine2 ? 2 : 1)}, no file";
            yield return P(name, Tree(atLine2 ? IndexZeroAt2 : IndexZero), ["-p1", .. options, "-i", "p.diff"]);
        }

        yield return P("patch --verbose ORIGFILE missing", Tree("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n"), "--verbose", "-i", "p.diff", "missing");
    }

    private static IEnumerable<CompatRow> Gnu32bDiffRows()
    {
        yield break;
    }
}
