namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for patches GNU reads its own way: a malformed normal diff between patches, names after a git rename header, and the Index: name.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu35bPatchRows()
    {
        // A normal diff between (or after) other patches, where GNU needs no header (ORIGFILE, --posix) or after an
        // "Index:" line, with a command GNU cannot read (or a hunk it cannot read): GNU reports the file, tries the
        // hunks before that command and stops ("missing line number", "malformed patch", "'---' expected"); the
        // drop-in passed over it and read on.
        const string ToA = "--- f\n+++ f\n@@ -1 +1 @@\n-a\n+A\n";
        const string ToB = "--- f\n+++ f\n@@ -1 +1 @@\n-A\n+B\n";
        foreach ((string what, string normal) in new[]
        {
            ("a command without its new line number", "1d\n< x\n"),
            ("a new range ending before it starts", "1d1,0\n< x\n"),
            ("a line starting with a digit after a hunk", "1c1\n< x\n---\n> y\n2x\n"),
            ("a second command without its new line number", "1c1\n< x\n---\n> y\n2d\n< q\n"),
            ("no '---' in a change", "1c1\n< x\n> y\n"),
            ("a '<' line in the new side", "1c1\n< x\n---\n< y\n"),
            ("Index: then a command without its new line number", "Index: g\n1d\n< x\n"),
            ("Index: then an empty old range end", "\nIndex: g\n1,,2d0\n< x\n"),
        })
        {
            var between = F(("f", "a\n"), ("g", "x\n"), ("p.diff", ToA + normal + ToB));
            yield return P($"patch --posix, normal diff between, {what}", between, "--posix", "-i", "p.diff");
            yield return P($"patch --verbose --posix, normal diff between, {what}", between, "--verbose", "--posix", "-i", "p.diff");
            yield return P($"patch ORIGFILE, normal diff between, {what}", between, "-i", "p.diff", "g");
            yield return P($"patch -R ORIGFILE, normal diff between, {what}", between, "-R", "-i", "p.diff", "g");
            yield return P($"patch, normal diff between, {what}", between, "-i", "p.diff");
            var after = F(("f", "a\n"), ("g", "x\n"), ("p.diff", ToA + normal));
            yield return P($"patch --posix, normal diff after, {what}", after, "--posix", "-i", "p.diff");
            yield return P($"patch --dry-run ORIGFILE, normal diff after, {what}", after, "--dry-run", "-i", "p.diff", "g");
        }

        // A git rename or copy then "---"/"+++" names -p cannot strip: GNU keeps the "diff --git" line's names (swapped
        // at the hunk) and writes those in the reject file's header; --verbose shows the text leading up to the hunk.
        // The drop-in wrote the unread names and left that text out.
        foreach ((string what, string names) in new[] { ("--- h/+++ h", "--- h\n+++ h\n"), ("--- a/h/+++ h", "--- a/h\n+++ h\n"), ("quoted names with times", "--- \"h\"\t2020\n+++ h\t2021\n") })
        {
            foreach (string verb in new[] { "rename", "copy" })
            {
                string patch = $"diff --git a/f b/k\nsimilarity index 90%\n{verb} from f\n{verb} to k\n{names}@@ -1 +1 @@\n-a\n+A\n";
                var fails = F(("f", "z\n"), ("p.diff", patch));
                yield return P($"patch -p1, git {verb} then {what}, hunk fails", fails, "-p1", "-i", "p.diff");
                yield return P($"patch -p1 -R, git {verb} then {what}, hunk fails", fails, "-p1", "-R", "-i", "p.diff");
                yield return P($"patch -p1 --verbose, git {verb} then {what}, hunk fails", fails, "-p1", "--verbose", "-i", "p.diff");
                yield return P($"patch -p1 --verbose, git {verb} then {what}", F(("f", "a\n"), ("p.diff", patch)), "-p1", "--verbose", "-i", "p.diff");
            }
        }

        // The name of an "Index:" line as GNU 2.7.6 reads it: the rest of the line, blanks inside kept, or a name in
        // quotes; none at all when a tab, blanks or a carriage return follow the name. The drop-in's readers took the
        // first word, or the rest trimmed.
        foreach ((string what, string index) in new[]
        {
            ("Index: my file", "Index: my file\n"),
            ("Index: g and a blank", "Index: g \n"),
            ("Index: g, a tab and more", "Index: g\tx\n"),
            ("Index: quoted g", "Index: \"g\"\n"),
            ("Index: quoted g and a blank", "Index: \"g\" \n"),
        })
        {
            foreach ((string kind, string body) in new[]
            {
                ("normal diff", "1c1\n< x\n---\n> y\n"),
                ("unified hunk", "@@ -1 +1 @@\n-x\n+y\n"),
                ("ed script", "1c\ny\n.\n"),
                ("unified diff of other names", "--- h\n+++ k\n@@ -1 +1 @@\n-x\n+y\n"),
            })
            {
                var tree = F(("f", "a\n"), ("g", "x\n"), ("my", "x\n"), ("my file", "x\n"), ("p.diff", ToA + index + body));
                yield return P($"patch, {what} then a {kind}", tree, "-i", "p.diff");
                yield return P($"patch --posix, {what} then a {kind}", tree, "--posix", "-i", "p.diff");
            }
        }

        // A carriage return line end on the Index: line of a patch read with --binary: no name, but the Index: line
        // still lets GNU find the normal diff after it (a guard: reading the name GNU's way must not lose that).
        yield return P("patch --binary, CRLF Index: g then a normal diff", F(("g", "x\n"), ("p.diff", "Index: g\r\n1c1\r\n< x\r\n---\r\n> y\r\n")), "--binary", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu35bDiffRows()
    {
        yield break;
    }
}
