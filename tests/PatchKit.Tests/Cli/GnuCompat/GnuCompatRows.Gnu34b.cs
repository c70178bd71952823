namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for patches GNU reads differently: a normal diff or ed script between or after other patches, an Index: line before a normal diff or ed script, a headerless context hunk's new-section line read as a file header, --posix and the Index: name, git names with a space and no tab, a plain header after a git rename header.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu34bPatchRows()
    {
        // GNU looks for any kind of patch after each one: where no header is needed (ORIGFILE, --posix) or after an
        // "Index:" line, a normal diff or an ed script between (or after) the others is a patch of its own.
        const string ToA = "--- f\n+++ f\n@@ -1 +1 @@\n-a\n+A\n";
        const string ToB = "--- f\n+++ f\n@@ -1 +1 @@\n-A\n+B\n";
        const string Normal = "1c1\n< x\n---\n> y\n";
        const string Ed = "1c\ny\n.\n";
        const string ContextToA = "*** f\n--- f\n***************\n*** 1 ****\n! a\n--- 1 ----\n! A\n";
        foreach ((string what, string patch) in new[]
        {
            ("normal diff between unified diffs", ToA + Normal + ToB),
            ("ed script between unified diffs", ToA + Ed + ToB),
            ("normal diff after a unified diff", ToA + Normal),
            ("ed script after a unified diff", ToA + Ed),
            ("normal diff between context and unified", ContextToA + Normal + ToB),
            ("ed script after a context diff", ContextToA + Ed),
            ("Index: then a normal diff between", ToA + "\nIndex: g\n" + Normal + ToB),
            ("Index: then an ed script after", ToA + "Index: g\n" + Ed),
        })
        {
            var tree = F(("f", "a\n"), ("g", "x\n"), ("p.diff", patch));
            yield return P($"patch, {what}", tree, "-i", "p.diff");
            yield return P($"patch --posix, {what}", tree, "--posix", "-i", "p.diff");
            yield return P($"patch -f --posix, {what}", tree, "-f", "--posix", "-i", "p.diff");
            yield return P($"patch --verbose --posix, {what}", tree, "--verbose", "--posix", "-i", "p.diff");
            yield return P($"patch ORIGFILE, {what}", tree, "-i", "p.diff", "g");
            yield return P($"patch --verbose ORIGFILE, {what}", tree, "--verbose", "-i", "p.diff", "g");
        }

        // An "Index:" line then a normal diff or an ed script, nothing else: a patch of the Index: name.
        foreach ((string what, string patch) in new[] { ("normal diff", "Index: g\n" + Normal), ("ed script", "Index: g\n" + Ed), ("ed script, -p1", "Index: a/g\n" + Ed) })
        {
            var tree = F(("g", "x\n"), ("p.diff", patch));
            yield return P($"patch, Index: then a {what}", tree, "-i", "p.diff");
            yield return P($"patch --posix, Index: then a {what}", tree, "--posix", "-i", "p.diff");
            yield return P($"patch --verbose, Index: then a {what}", tree, "--verbose", "-i", "p.diff");
        }

        // GNU 2.7.6 reads a header name with blanks in it only when a tab follows it; otherwise up to the first blank.
        // A "diff --git" line whose names have blanks gives no names at all.
        const string Plain = "--- my file\n+++ my file\n@@ -1 +1 @@\n-a\n+A\n";
        yield return P("patch, --- my file without a tab, only 'my file' there", F(("my file", "a\n"), ("p.diff", Plain)), "-i", "p.diff");
        yield return P("patch, --- my file without a tab, 'my' there", F(("my file", "a\n"), ("my", "a\n"), ("p.diff", Plain)), "-i", "p.diff");
        yield return P("patch, --- my file with a tab", F(("my file", "a\n"), ("my", "a\n"), ("p.diff", Plain.Replace("file\n", "file\t\n", StringComparison.Ordinal))), "-i", "p.diff");
        const string GitSpaces = "diff --git a/my file b/my file\nindex 1234567..89abcde 100644\n--- a/my file\n+++ b/my file\n@@ -1 +1 @@\n-a\n+A\n";
        yield return P("patch -p1, git names with a space, 'my' missing", F(("my file", "a\n"), ("p.diff", GitSpaces)), "-p1", "-i", "p.diff");
        yield return P("patch -p1, git names with a space, 'my' there", F(("my file", "a\n"), ("my", "a\n"), ("p.diff", GitSpaces)), "-p1", "-i", "p.diff");
        const string GitNew = "diff --git a/my file b/my file\nnew file mode 100644\nindex 0000000..89abcde\n--- /dev/null\n+++ b/my file\n@@ -0,0 +1 @@\n+A\n";
        yield return P("patch -p1, git new file with a space in its name", F(("p.diff", GitNew)), "-p1", "-i", "p.diff");
        const string GitRename = "diff --git a/my file b/your file\nsimilarity index 100%\nrename from my file\nrename to your file\n";
        yield return P("patch -p1, git rename of names with a space, no hunk", F(("my file", "a\n"), ("p.diff", GitRename)), "-p1", "-i", "p.diff");
        yield return P("patch -p1, git copy of names with a space, no hunk", F(("my file", "a\n"), ("p.diff", GitRename.Replace("rename ", "copy ", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        const string GitRenameHunk = "diff --git a/my file b/your file\nsimilarity index 90%\nrename from my file\nrename to your file\n--- a/my file\n+++ b/your file\n@@ -1 +1 @@\n-a\n+A\n";
        yield return P("patch -p1, git rename of names with a space, a hunk", F(("my file", "a\n"), ("my", "a\n"), ("p.diff", GitRenameHunk)), "-p1", "-i", "p.diff");
        yield return P("patch -p1 -R, git rename of names with a space, a hunk", F(("my file", "a\n"), ("my", "a\n"), ("p.diff", GitRenameHunk)), "-p1", "-R", "-i", "p.diff");

        // A headerless context hunk's "--- 1 ----" line is a file header to GNU: the name "1" (the range's first word).
        const string Lone = "***************\n*** 1 ****\n! x\n--- 1 ----\n! y\n";
        yield return P("patch, two headerless context hunks, file '1' there", F(("1", "x\n"), ("p.diff", Lone + Lone)), "-i", "p.diff");
        yield return P("patch, headerless context hunk then an @@ hunk, file '1' there", F(("1", "x\n"), ("p.diff", Lone + "@@ -1 +1 @@\n-x\n+y\n")), "-i", "p.diff");
        const string Ranged = "*** 1,2 ****\n! a\n--- 1,2 ----\n! b\n";
        yield return P("patch, --- 1,2 ---- then an @@ hunk, file '1,2' there", F(("1,2", "x\n"), ("p.diff", Ranged + "@@ -1 +1 @@\n-x\n+y\n")), "-i", "p.diff");
        yield return P("patch, --- 1,2 ---- then a context hunk, file '1,2' there", F(("1,2", "x\n"), ("p.diff", Ranged + Lone)), "-i", "p.diff");

        // A plain "--- h"/"+++ h" after a git rename header: names -p cannot strip are not read, the "diff --git"
        // line's stay (swapped at the hunk: "already renamed").
        const string RenameThenPlain = "diff --git a/f b/k\nsimilarity index 100%\nrename from f\nrename to k\n--- h\n+++ h\n@@ -1 +1 @@\n-a\n+A\n";
        yield return P("patch -p1, git rename then --- h/+++ h", F(("f", "a\n"), ("p.diff", RenameThenPlain)), "-p1", "-i", "p.diff");
        yield return P("patch -p0, git rename then --- h/+++ h", F(("f", "a\n"), ("p.diff", RenameThenPlain)), "-p0", "-i", "p.diff");
        // --posix looks at the names in POSIX's order, old, new, then the header's Index: name, and takes the first
        // that is there; the reject file starts with the Index: line then.
        foreach ((string what, string patch) in new[]
        {
            ("Index: g, --- h, +++ k", "Index: g\n--- h\n+++ k\n@@ -1 +1 @@\n-x\n+y\n"),
            ("Index: g, --- f, +++ f", "Index: g\n--- f\n+++ f\n@@ -1 +1 @@\n-a\n+A\n"),
            ("Index: g, *** h, --- k", "Index: g\n*** h\n--- k\n***************\n*** 1 ****\n! x\n--- 1 ----\n! y\n"),
            ("Index: g, --- /dev/null, +++ k", "Index: g\n--- /dev/null\n+++ k\n@@ -0,0 +1 @@\n+x\n"),
        })
        {
            var tree = F(("f", "a\n"), ("g", "x\n"), ("p.diff", patch));
            yield return P($"patch --posix, {what}", tree, "--posix", "-i", "p.diff");
            yield return P($"patch --posix -R, {what}", tree, "--posix", "-R", "-i", "p.diff");
            yield return P($"patch --posix --verbose, {what}", tree, "--posix", "--verbose", "-i", "p.diff");
            yield return P($"patch, {what}", tree, "-i", "p.diff");
        }

        yield return P("patch -p1, git copy then --- h/+++ h", F(("f", "a\n"), ("p.diff", RenameThenPlain.Replace("rename ", "copy ", StringComparison.Ordinal))), "-p1", "-i", "p.diff");

        // A git diff with no "---"/"+++" lines whose "diff --git" names hold blanks: GNU reads no name there, so a
        // creation finds no file to patch (random seed 10033; the drop-in created "f g"); with "---"/"+++" lines or
        // a hunk on a file that is there, the names come from elsewhere.
        const string GitBlanks = "diff --git a/f g b/f g\n";
        yield return P("patch -p1, git creation, names with blanks, no ---/+++", F(("p.diff", GitBlanks + "new file mode 100644\nindex 0000000..199fcb2\n")), "-p1", "-i", "p.diff");
        yield return P("patch -p1, git creation with a hunk, names with blanks, no ---/+++", F(("p.diff", GitBlanks + "new file mode 100644\nindex 0000000..587be6b\n@@ -0,0 +1 @@\n+x\n")), "-p1", "-i", "p.diff");
        yield return P("patch -p1, git diff, names with blanks, no ---/+++", F(("f g", "x\n"), ("p.diff", GitBlanks + "index 587be6b..975fbec 100644\n@@ -1 +1 @@\n-x\n+y\n")), "-p1", "-i", "p.diff");
        yield return P("patch -p1, git creation, names with blanks, ---/+++ lines", F(("p.diff", GitBlanks + "new file mode 100644\nindex 0000000..587be6b\n--- /dev/null\n+++ b/f g\n@@ -0,0 +1 @@\n+x\n")), "-p1", "-i", "p.diff");

        // A normal diff's command whose numbers GNU cannot read (a number left out, a new range ending before it starts):
        // GNU takes the first such line for a command as it looks for the patch (then a "<" or ">" line), any later line
        // starting with a digit as the next command, and stops there ("missing line number", "malformed patch") after
        // "patching file"; the drop-in said "Only garbage" or its own "not a normal diff command".
        var ab = ("f", "a\nb\n");
        foreach ((string what, string diff) in new[]
        {
            ("first command without its new line number", "1d\n< a\n"),
            ("first append without its new line number", "1a\n> x\n"),
            ("first command with an empty old range end", "1,,2d0\n< a\n"),
            ("first command with a new range ending before it starts", "1d1,0\n< a\n"),
            ("second command without its new line number", "1c1\n< a\n---\n> A\n2d\n< b\n"),
            ("second command with an empty new range end", "1c1\n< a\n---\n> A\n2,d1\n< b\n"),
            ("second command with a new range ending before it starts", "1c1\n< a\n---\n> A\n2a3,2\n> b\n"),
            ("second line starting with a digit, no command", "1c1\n< a\n---\n> A\n2x\n"),
        })
        {
            yield return P($"patch f, normal diff, {what}", F(ab, ("p.diff", diff)), "f", "-i", "p.diff");
            yield return P($"patch -R f, normal diff, {what}", F(ab, ("p.diff", diff)), "-R", "f", "-i", "p.diff");
        }

        yield return P("patch --dry-run f, normal diff, first command without its new line number", F(ab, ("p.diff", "1d\n< a\n")), "--dry-run", "f", "-i", "p.diff");
        yield return P("patch -n f, normal diff, second command without its new line number", F(ab, ("p.diff", "1c1\n< a\n---\n> A\n2d\n< b\n")), "-n", "f", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu34bDiffRows()
    {
        yield break;
    }
}
