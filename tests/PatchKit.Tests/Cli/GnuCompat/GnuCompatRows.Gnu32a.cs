namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for where GNU patch looks for a hunk whose guess (where its header says, moved by the offset so far)
/// lies before the lines the hunks before it wrote: GNU then looks from as far before them as the guess is, upward; a
/// hunk it finds there fails with "misordered hunks! output would be garbled" (its place still sets the offset of the
/// hunks after it), one that overlaps written lines with its leading context only is applied there. And GNU's backup
/// rules: a file the run wrote is not backed up again, a second removal of a file queued for removal, a git rename
/// emptied under <c>-E</c>.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu32aPatchRows()
    {
        // Fifty lines "l1".."l50" with some replaced (1-based line = text).
        static string Lines(params (int Line, string Text)[] changes)
        {
            string[] lines = [.. Enumerable.Range(1, 50).Select(i => "l" + i)];
            foreach ((int line, string text) in changes)
            {
                lines[line - 1] = text;
            }

            return string.Join("\n", lines) + "\n";
        }

        static string Swap(string patch) => string.Concat(patch.Split('\n').Select(l => (l.StartsWith("@@", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(l, "^@@ -(\\S+) \\+(\\S+) @@", "@@ -$2 +$1 @@")
            : l.StartsWith('-') ? "+" + l[1..] : l.StartsWith('+') ? "-" + l[1..] : l) + "\n"))[..^1];

        const string First = "--- f\n+++ f\n@@ -20,3 +20,3 @@\n l20\n-l21\n+L21\n l22\n";
        const string Last = "@@ -38,3 +38,3 @@\n l35\n-l36\n+L36\n l37\n";

        // The second hunk says line 8; its lines are at 5 (before the first hunk's) and at 30: GNU finds them at 5 and
        // fails the hunk; its offset (-3) then finds the third hunk at 35, not at 41.
        string misordered = First + "@@ -8,3 +8,3 @@\n l5\n-l6\n+L6\n l7\n" + Last;
        var tree = F(("f", Lines((29, "x29"), (30, "l5"), (31, "l6"), (32, "l7"), (41, "l35"), (42, "l36"), (43, "l37"))), ("p.diff", misordered));
        yield return P("patch, misordered hunk", tree, "-i", "p.diff");
        yield return P("patch -s -F0 -F1, misordered hunk", tree, "-s", "-F0", "-F1", "-i", "p.diff");
        yield return P("patch --dry-run, misordered hunk", tree, "--dry-run", "-i", "p.diff");
        yield return P("patch --verbose, misordered hunk", tree, "--verbose", "-i", "p.diff");
        yield return P("patch -b --reject-format=context, misordered hunk", tree, "-b", "--reject-format=context", "-i", "p.diff");
        yield return P("patch -D X, misordered hunk", tree, "-D", "X", "-i", "p.diff");
        yield return P("patch -o out, misordered hunk", tree, "-o", "out", "-i", "p.diff");
        yield return P("patch --merge, misordered hunk", tree, "--merge", "-i", "p.diff");
        yield return P("patch -R, misordered hunk", F(tree[0], ("p.diff", Swap(misordered))), "-R", "-i", "p.diff");

        // A hunk that only adds lines (no context) placed before the lines written.
        yield return P("patch, misordered insertion", F(("f", Lines()), ("p.diff", First + "@@ -5,0 +6 @@\n+new\n" + Last)), "-i", "p.diff");

        // Found before the written lines at fuzz 0 by GNU, after them at fuzz 1 by a search that starts there; and
        // both with fuzz 1.
        const string Five = "@@ -8,5 +8,5 @@\n a\n b\n-c\n+C\n d\n e\n";
        var exactBefore = F(("f", Lines((5, "a"), (6, "b"), (7, "c"), (8, "d"), (9, "e"), (30, "Q"), (31, "b"), (32, "c"), (33, "d"), (34, "e"))), ("p.diff", First + Five + Last));
        yield return P("patch, misordered hunk, fuzz 1 after", exactBefore, "-i", "p.diff");
        var fuzzyBoth = F(("f", Lines((5, "Q"), (6, "b"), (7, "c"), (8, "d"), (9, "e"), (30, "R"), (31, "b"), (32, "c"), (33, "d"), (34, "Z"))), ("p.diff", First + Five + Last));
        yield return P("patch, misordered hunk with fuzz", fuzzyBoth, "-i", "p.diff");
        yield return P("patch -F0, misordered hunk with fuzz", fuzzyBoth, "-F0", "-i", "p.diff");
        yield return P("patch -l, misordered hunk with fuzz", fuzzyBoth, "-l", "-i", "p.diff");

        // Two misordered hunks in a row, the second found with the first one's offset.
        var twice = F(
            ("f", Lines((5, "a"), (6, "b"), (7, "c"), (8, "d"), (9, "e"), (30, "a"), (31, "b"), (32, "c"), (33, "d"), (34, "e"), (46, "l35"), (47, "l36"), (48, "l37"))),
            ("p.diff", First + Five + "@@ -14,3 +14,3 @@\n l11\n-l12\n+L12\n l13\n" + "@@ -43,3 +43,3 @@\n l35\n-l36\n+L36\n l37\n"));
        yield return P("patch, two misordered hunks", twice, "-i", "p.diff");

        // The hunk's leading context overlaps the lines the first hunk wrote, its change does not: GNU applies it
        // there (the offset it gets moves the hunk after it).
        string overlap = First + "@@ -19,5 +19,5 @@\n l21\n l22\n-l23\n+L23\n l24\n l25\n" + Last;
        var overlapTree = F(("f", Lines((41, "l35"), (42, "l36"), (43, "l37"))), ("p.diff", overlap));
        yield return P("patch, hunk over written context lines", overlapTree, "-i", "p.diff");
        yield return P("patch -D X, hunk over written context lines", overlapTree, "-D", "X", "-i", "p.diff");
        yield return P("patch -R, hunk over written context lines", F(overlapTree[0], ("p.diff", Swap(overlap))), "-R", "-i", "p.diff");
        yield return P("patch, hunk over written context lines, fuzz 2", F(("f", Lines()), ("p.diff", First + "@@ -19,3 +19,3 @@\n l21\n l22\n-l23\n+L23\n" + Last)), "-i", "p.diff");

        // Backups: GNU backs up the original of a file only, not what the run wrote itself earlier.
        const string Abc = "a\nb\nc\n";
        var twice2 = F(("f", Abc), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n--- f\n+++ f\n@@ -1,3 +1,3 @@\n A\n-b\n+B\n c\n"));
        yield return P("patch -b, the same file patched twice", twice2, "-b", "-i", "p.diff");
        yield return P("patch -b -V numbered, the same file patched twice", twice2, "-b", "-V", "numbered", "-i", "p.diff");
        yield return P("patch -b, created then patched", F(("p.diff", "--- /dev/null\n+++ f\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n--- f\n+++ f\n@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n")), "-b", "-i", "p.diff");

        // A second removal of a file the run removes already (at its end): a plain diff's is dropped, a git diff's
        // finds the file gone and leaves an empty backup.
        const string Plain = "--- a/f\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-a\n-b\n-c\n";
        const string Git = "diff --git a/f b/f\ndeleted file mode 100644\n" + Plain;
        yield return P("patch -f, a file removed twice", F(("f", Abc), ("p.diff", Plain + Plain)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch -f -b, a file removed twice", F(("f", Abc), ("p.diff", Plain + Plain)), "-f", "-b", "-p1", "-i", "p.diff");
        yield return P("patch -f, a file removed twice, git", F(("f", Abc), ("p.diff", Git + Git)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch -f -b -V numbered, a file removed twice, git", F(("f", Abc), ("p.diff", Git + Git)), "-f", "-b", "-V", "numbered", "-p1", "-i", "p.diff");
        yield return P("patch --verbose -f -b, a file removed, then again by git", F(("f", Abc), ("p.diff", Plain + Git)), "--verbose", "-f", "-b", "-p1", "-i", "p.diff");

        // A git rename whose result is empty under -E: GNU removes the new name only, and stops when it is not there.
        const string Renamed = "diff --git a/f b/g\nsimilarity index 50%\nrename from f\nrename to g\n--- a/f\n+++ b/g\n@@ -1 +0,0 @@\n-a\n";
        yield return P("patch -E, git rename emptied", F(("f", "a\n"), ("p.diff", Renamed + "--- a/h\n+++ b/h\n@@ -1 +1 @@\n-x\n+y\n"), ("h", "x\n")), "-E", "-p1", "-i", "p.diff");
        yield return P("patch -E -b --verbose, git rename emptied", F(("f", "a\n"), ("p.diff", Renamed)), "-E", "-b", "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch -E -b, git rename emptied onto a file", F(("f", "a\n"), ("g", "old\n"), ("p.diff", Renamed)), "-E", "-b", "-p1", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu32aDiffRows()
    {
        yield break;
    }
}
