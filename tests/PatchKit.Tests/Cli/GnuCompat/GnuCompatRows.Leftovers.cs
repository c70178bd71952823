namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Normal diffs found at an offset, reversed and rejected; the reversed question when only a fuzzed match finds
/// the hunk reversed; reject lines without a newline; owners kept; <c>diff --color</c> with <c>-y</c> and
/// <c>--palette</c> extension entries.</summary>
internal static partial class GnuCompatRows
{
    /// <summary>A normal diff of <see cref="Ten"/>: a deletion, a change and an addition.</summary>
    private const string NormalThree = "2d1\n< l2\n5c4\n< l5\n---\n> L5\n8a8,9\n> new\n> new2\n";

    private static IEnumerable<CompatRow> NormalRows()
    {
        string shifted = "x\ny\n" + Ten;
        yield return P("patch normal diff at an offset", F(("f", shifted), ("p.diff", NormalThree)), "f", "p.diff");
        yield return P("patch normal diff at an offset --verbose", F(("f", shifted), ("p.diff", NormalThree)), "--verbose", "f", "p.diff");
        yield return P("patch normal diff -n at a negative offset", F(("f", Ten[6..]), ("p.diff", NormalThree)), "-n", "f", "p.diff");
        yield return P("patch normal diff at an offset, --no-backup-if-mismatch", F(("f", shifted), ("p.diff", NormalThree)), "--no-backup-if-mismatch", "f", "p.diff");
        string middleFails = NormalThree.Replace("< l5", "< zz", StringComparison.Ordinal);
        yield return P("patch normal diff failing hunk: context reject", F(("f", Ten), ("p.diff", middleFails)), "f", "p.diff");
        yield return P("patch normal diff failing hunk after a deletion, at an offset", F(("f", shifted), ("p.diff", middleFails)), "f", "p.diff");
        yield return P("patch normal diff failing hunk --reject-format=unified", F(("f", Ten), ("p.diff", middleFails)), "--reject-format=unified", "f", "p.diff");
        yield return P("patch normal diff failing hunks of each kind", F(("f", Ten), ("p.diff", "1,2c1,2\n< q1\n< q2\n---\n> Q1\n> Q2\n4d3\n< zz\n9a9\n> new\n")), "-f", "f", "p.diff");
        yield return P("patch normal diff -r FILE", F(("f", Ten), ("p.diff", middleFails)), "-r", "all.rej", "f", "p.diff");
        yield return P("patch normal diff already applied, no terminal", F(("f", TenMod), ("p.diff", Normal)), "f", "p.diff");
        yield return P("patch normal diff already applied -N", F(("f", TenMod), ("p.diff", Normal)), "-N", "f", "p.diff");
        yield return P("patch normal diff already applied -t", F(("f", TenMod), ("p.diff", Normal)), "-t", "f", "p.diff");
        yield return P("patch normal diff already applied -f", F(("f", TenMod), ("p.diff", Normal)), "-f", "f", "p.diff");
        yield return P("patch normal diff -R", F(("f", TenMod), ("p.diff", Normal)), "-R", "f", "p.diff");
        yield return P("patch normal diff -R at an offset", F(("f", "x\n" + TenMod), ("p.diff", Normal)), "-R", "f", "p.diff");
        yield return P("patch normal diff -R unreversed, no terminal", F(("f", Ten), ("p.diff", Normal)), "-R", "f", "p.diff");
        yield return P("patch normal diff deletion that fails: taken as reversed", F(("f", Ten), ("p.diff", "5d4\n< zz\n")), "f", "p.diff");
        yield return P("patch normal diff -o FILE", F(("f", shifted), ("p.diff", NormalThree)), "-o", "out", "f", "p.diff");
        yield return P("patch normal diff --dry-run", F(("f", shifted), ("p.diff", NormalThree)), "--dry-run", "f", "p.diff");
        yield return P("patch normal diff -b", F(("f", Ten), ("p.diff", NormalThree)), "-b", "f", "p.diff");
        yield return P("patch normal diff -s failing", F(("f", Ten), ("p.diff", middleFails)), "-s", "f", "p.diff");
        yield return P("patch normal diff without a final newline", F(("f", "a\nb"), ("p.diff", "2c2\n< b\n\\ No newline at end of file\n---\n> c\n\\ No newline at end of file\n")), "f", "p.diff");
        yield return P("patch normal diff without a final newline, failing", F(("f", "a\nz"), ("p.diff", "2c2\n< b\n\\ No newline at end of file\n---\n> c\n\\ No newline at end of file\n")), "f", "p.diff");
        yield return P("patch normal diff -D", F(("f", shifted), ("p.diff", NormalThree)), "-D", "X", "f", "p.diff");
        yield return P("patch -n without ORIGFILE", F(("f", Ten), ("p.diff", Normal)), "-n", "-i", "p.diff");
        yield return P("patch normal diff without ORIGFILE is garbage", F(("f", Ten), ("p.diff", Normal)), "-i", "p.diff");
        yield return P("patch normal diff, ORIGFILE missing", F(("p.diff", Normal)), "nope", "p.diff");
        yield return P("patch ORIGFILE missing", F(("p.diff", TwoHunks)), "nope", "p.diff");
        yield return P("patch ORIGFILE missing -s", F(("p.diff", TwoHunks)), "-s", "nope", "p.diff");
        yield return P("patch ORIGFILE missing --no-backup-if-mismatch", F(("p.diff", TwoHunks)), "--no-backup-if-mismatch", "nope", "p.diff");
        yield return P("patch ORIGFILE missing --dry-run", F(("p.diff", TwoHunks)), "--dry-run", "nope", "p.diff");
        yield return P("patch ORIGFILE missing, creation", F(("p.diff", Create)), "nope", "p.diff");
        yield return P("terminal: normal diff already applied, y", F(("f", TenMod), ("p.diff", Normal)), "f", "p.diff") with { Terminal = ["y"] };
        yield return P("terminal: normal diff already applied, n y", F(("f", TenMod), ("p.diff", Normal)), "f", "p.diff") with { Terminal = ["n", "y"] };
    }

    private static IEnumerable<CompatRow> LeftoverPatchRows()
    {
        foreach (CompatRow row in NormalRows())
        {
            yield return row;
        }

        // Reversed only with fuzz: GNU tries the first hunk reversed at each fuzz before the next fuzz forward.
        string appliedQ3 = TenMod.Replace("l3", "q3", StringComparison.Ordinal);
        yield return P("patch reversed with fuzz 1, no terminal", F(("f", appliedQ3), ("p.diff", Uni)), "-i", "p.diff");
        yield return P("patch reversed with fuzz 1 -N", F(("f", appliedQ3), ("p.diff", Uni)), "-N", "-i", "p.diff");
        yield return P("patch reversed with fuzz 1 -t", F(("f", appliedQ3), ("p.diff", Uni)), "-t", "-i", "p.diff");
        yield return P("patch reversed with fuzz 1 -f", F(("f", appliedQ3), ("p.diff", Uni)), "-f", "-i", "p.diff");
        yield return P("patch reversed with fuzz 1 -F0", F(("f", appliedQ3), ("p.diff", Uni)), "-F0", "-i", "p.diff");
        yield return P("terminal: reversed with fuzz 1, y", F(("f", appliedQ3), ("p.diff", Uni)), "-i", "p.diff") with { Terminal = ["y"] };
        yield return P("terminal: reversed with fuzz 1, n y", F(("f", appliedQ3), ("p.diff", Uni)), "-i", "p.diff") with { Terminal = ["n", "y"] };
        yield return P("patch -R unreversed with fuzz 1, no terminal", F(("f", Ten.Replace("l3", "q3", StringComparison.Ordinal)), ("p.diff", Uni)), "-R", "-i", "p.diff");
        string twoApplied = "--- f\n+++ f\n@@ -2,5 +2,5 @@\n l2\n l3\n-l4\n+L4\n l5\n l6\n@@ -7,3 +7,3 @@\n l7\n-l8\n+L8\n l9\n";
        yield return P("patch reversed with fuzz 2, two hunks", F(("f", Ten.Replace("l4", "L4", StringComparison.Ordinal).Replace("l8", "L8", StringComparison.Ordinal).Replace("l2", "q2", StringComparison.Ordinal).Replace("l3", "q3", StringComparison.Ordinal)), ("p.diff", twoApplied)), "-t", "-i", "p.diff");

        // A reject line without a newline: GNU writes it without one and without the "\ No newline" line.
        const string NoEol = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-zz\n-c\n\\ No newline at end of file\n+B\n+C\n\\ No newline at end of file\n";
        const string NoEolOld = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-zz\n-c\n\\ No newline at end of file\n+B\n+C\n";
        const string NoEolContext = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-zz\n+B\n c\n\\ No newline at end of file\n";
        yield return P("patch reject of lines without a newline", F(("f", "a\nb\nc"), ("p.diff", NoEol)), "-i", "p.diff");
        yield return P("patch reject of lines without a newline, context format", F(("f", "a\nb\nc"), ("p.diff", NoEol)), "--reject-format=context", "-i", "p.diff");
        yield return P("patch reject of an old line without a newline", F(("f", "a\nb\nc"), ("p.diff", NoEolOld)), "-i", "p.diff");
        yield return P("patch reject of an old line without a newline, context format", F(("f", "a\nb\nc"), ("p.diff", NoEolOld)), "--reject-format=context", "-i", "p.diff");
        yield return P("patch reject of a context line without a newline", F(("f", "a\nb\nc"), ("p.diff", NoEolContext)), "-F0", "-i", "p.diff");
        yield return P("patch reject of a context line without a newline, context format", F(("f", "a\nb\nc"), ("p.diff", NoEolContext)), "-F0", "--reject-format=context", "-i", "p.diff");
        yield return P("patch reject without a newline, then another file's reject in -r FILE", F(("f", "a\nb\nc"), ("g", Ten), ("p.diff", NoEol + Fails.Replace("f\n", "g\n", StringComparison.Ordinal))), "-r", "all.rej", "-i", "p.diff");
        yield return P("patch -R reject of lines without a newline", F(("f", "a\nb\nc"), ("p.diff", NoEol)), "-R", "-f", "-i", "p.diff");

        // Owner and group kept (as root: the files are given another owner first).
        var owned = new[] { ("f", 1234, 1235) };
        yield return P("patch keeps the owner and group", F(("f", Ten), ("p.diff", Uni)), "-i", "p.diff") with { Owners = owned, Modes = [("f", (UnixFileMode)Convert.ToInt32("640", 8))] };
        yield return P("patch keeps the group", F(("f", Ten), ("p.diff", Uni)), "-i", "p.diff") with { Owners = [("f", 0, 1235)] };
        yield return P("patch -b keeps the owner, also of the backup", F(("f", Ten), ("p.diff", Uni)), "-b", "-i", "p.diff") with { Owners = owned, Modes = [("f", (UnixFileMode)Convert.ToInt32("640", 8))] };
        yield return P("patch failing hunk keeps the owner; backup and reject", F(("f", Ten), ("p.diff", TwoHunks.Replace("-l9", "-zz", StringComparison.Ordinal))), "-i", "p.diff") with { Owners = owned, Modes = [("f", (UnixFileMode)Convert.ToInt32("640", 8))] };
        yield return P("patch -o FILE of an owned file", F(("f", Ten), ("p.diff", Uni)), "-o", "out", "-i", "p.diff") with { Owners = owned };
        yield return P("patch git rename keeps the owner", F(("f", Ten), ("p.diff", GitRename)), "-p1", "-i", "p.diff") with { Owners = owned };
        yield return P("patch normal diff keeps the owner", F(("f", Ten), ("p.diff", Normal)), "f", "p.diff") with { Owners = owned };
    }

    private static IEnumerable<CompatRow> LeftoverDiffRows()
    {
        var two = F(("a", "l1\nl2\nl3\nl4\nl5\nl6\nx"), ("b", "l1\nl2\nl3\nL4\nl5\nl6\ny\nz\n"));
        var moved = F(("a", "a1\nb2\nc3\n"), ("b", "b2\nc3\nd4\n"));
        yield return D("diff --color=always -y", two, "--color=always", "-y", "a", "b");
        yield return D("diff --color=always -y, deletions and additions", moved, "--color=always", "-y", "a", "b");
        yield return D("diff --color=always -y --suppress-common-lines", two, "--color=always", "-y", "--suppress-common-lines", "a", "b");
        yield return D("diff --color=always -y --left-column", moved, "--color=always", "-y", "--left-column", "a", "b");
        yield return D("diff --color=always -y -W 30 -t", moved, "--color=always", "-y", "-W", "30", "-t", "a", "b");
        yield return D("diff --color=always -y --palette", moved, "--color=always", "-y", "--palette=ad=1;32:de=1;31:rs=0", "a", "b");
        yield return D("diff --color=always -y identical", F(("a", "1\n2\n"), ("b", "1\n2\n")), "--color=always", "-y", "a", "b");
        var trees = F(("x/mod", Ten), ("x/onlyx", "1\n"), ("y/mod", TenMod + "more\n"), ("y/onlyy", "2\n"), ("x/sub/a", "a\nb\n"), ("y/sub/a", "a\nc\n"));
        yield return D("diff --color=always -y -r on folders", trees, "--color=always", "-y", "-r", "x", "y");
        yield return D("diff --color=auto -y on a terminal", moved, "--color=auto", "-y", "a", "b") with { Terminal = [] };

        // --palette file-name extension entries: read as GNU reads them (and, as in GNU diff, not used).
        yield return D("diff --palette extension entry", moved, "--color=always", "--palette=*.c=1;35:ad=33", "-u", "a", "b");
        yield return D("diff --palette extension entries only", moved, "--color=always", "--palette=*.c=01;32:*.h=01;33", "a", "b");
        yield return D("diff --palette extension with an escaped equals sign", moved, "--color=always", "--palette=*\\=x=1:de=35", "a", "b");
        yield return D("diff --palette extension without a value", moved, "--color=always", "--palette=*.c", "a", "b");
        yield return D("diff --palette extension ended by a colon", moved, "--color=always", "--palette=*.c:ad=32", "-u", "a", "b");
        yield return D("diff --palette extension with a bad caret", moved, "--color=always", "--palette=*.c=^1", "a", "b");
        yield return D("diff --palette trailing backslash", moved, "--color=always", "--palette=ad=1\\", "a", "b");
        yield return D("diff --palette trailing caret", moved, "--color=always", "--palette=de=^", "a", "b");
        yield return D("diff --palette upper-case hex escape", moved, "--color=always", "--palette=lc=\\X1b[:de=31", "a", "b");
    }
}
