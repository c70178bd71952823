namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>The comparison table, built from the GNU patch 2.7.6 and GNU diff 3.8 manuals: one row per option and per
/// situation of issue 22. <see cref="KnownGaps"/> lists the rows where PatchKit still answers differently.</summary>
internal static partial class GnuCompatRows
{
    /// <summary>Rows where PatchKit's drop-in does not yet match GNU. The test checks that each still differs, so a row
    /// that starts matching must be taken off this list. Deliberate deviations (unsafe input refused) are not here:
    /// they are rows of their own whose GNU side is not run (see docs/gnu-compat.md).</summary>
    public static readonly HashSet<string> KnownGaps = new(StringComparer.Ordinal)
    {
        "patch hunk line number 2^31 (GNU takes it)",
    };

    private const string Ten = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n";
    private const string TenMod = "l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\nl9\nl10\n";
    private const string Hunk5 = "@@ -3,5 +3,5 @@\n l3\n l4\n-l5\n+L5\n l6\n l7\n";
    private const string Uni = "--- f\n+++ f\n" + Hunk5;
    private const string UniAB = "--- a/f\n+++ b/f\n" + Hunk5;
    private const string Fails = "--- f\n+++ f\n@@ -3,5 +3,5 @@\n l3\n l4\n-zz\n+L5\n l6\n l7\n";
    private const string TwoHunks = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n-l1\n+L1\n l2\n l3\n@@ -8,3 +8,3 @@\n l8\n-l9\n+L9\n l10\n";
    private const string Context = "*** f\n--- f\n***************\n*** 3,7 ****\n  l3\n  l4\n! l5\n  l6\n  l7\n--- 3,7 ----\n  l3\n  l4\n! L5\n  l6\n  l7\n";
    private const string Normal = "5c5\n< l5\n---\n> L5\n";
    private const string Ed = "5c\nL5\n.\n";
    private const string Create = "--- /dev/null\n+++ n\n@@ -0,0 +1,2 @@\n+new1\n+new2\n";
    private const string Delete = "--- f\n+++ /dev/null\n@@ -1,10 +0,0 @@\n-l1\n-l2\n-l3\n-l4\n-l5\n-l6\n-l7\n-l8\n-l9\n-l10\n";
    private const string Empties = "--- e\n+++ e\n@@ -1,2 +0,0 @@\n-a\n-b\n";
    private const string Dated = "--- f\t2020-01-02 03:04:05.000000000 +0000\n+++ f\t2021-06-07 08:09:10.000000000 +0000\n" + Hunk5;
    private const string Git755 = "diff --git a/s b/s\nold mode 100644\nnew mode 100755\n";
    private const string GitRename = "diff --git a/f b/g\nsimilarity index 90%\nrename from f\nrename to g\n--- a/f\n+++ b/g\n" + Hunk5;

    /// <summary>An RCS file of <see cref="Ten"/> at revision 1.1, unlocked (as <c>ci -u</c> leaves it).</summary>
    private const string RcsFile = "head\t1.1;\naccess;\nsymbols;\nlocks; strict;\ncomment\t@# @;\n\n\n1.1\ndate\t2020.01.02.03.04.05;\tauthor someone;\tstate Exp;\nbranches;\nnext\t;\n\n\ndesc\n@x\n@\n\n\n1.1\nlog\n@Initial revision\n@\ntext\n@" + Ten + "@\n";

    /// <summary>Rows that need RCS's <c>co</c> (installed by tests/fixtures/debian-source/setup.sh).</summary>
    public static readonly HashSet<string> NeedRcs = new(StringComparer.Ordinal);

    private static CompatRow Rcs(CompatRow row)
    {
        NeedRcs.Add(row.Name);
        return row;
    }

    private static CompatRow P(string name, (string, string)[] files, params string[] args) => new(name, "patch", files, args);

    private static CompatRow D(string name, (string, string)[] files, params string[] args) => new(name, "diff", files, args);

    private static (string, string)[] F(params (string, string)[] files) => files;

    public static IEnumerable<CompatRow> Patch()
    {
        yield return P("patch -i, one hunk", F(("f", Ten), ("p.diff", Uni)), "-i", "p.diff");
        yield return P("patch reads standard input", F(("f", Ten), ("p.diff", Uni))) with { StdinFile = "p.diff" };
        yield return P("patch -p1", F(("f", Ten), ("p.diff", UniAB)), "-p1", "-i", "p.diff");
        yield return P("patch --strip=1", F(("f", Ten), ("p.diff", UniAB)), "--strip=1", "-i", "p.diff");
        yield return P("patch -p0 finds nothing, batch", F(("f", Ten), ("p.diff", "Index: x\n" + UniAB)), "-p0", "-t", "-i", "p.diff");
        yield return P("patch -p0 finds nothing, force", F(("f", Ten), ("p.diff", UniAB)), "-p0", "-f", "-i", "p.diff");
        yield return P("patch -p0 finds nothing, no terminal", F(("f", Ten), ("p.diff", UniAB)), "-p0", "-i", "p.diff");
        yield return P("patch two hunks", F(("f", Ten), ("p.diff", TwoHunks)), "-i", "p.diff");
        yield return P("patch --verbose", F(("f", Ten), ("p.diff", TwoHunks)), "--verbose", "-i", "p.diff");
        yield return P("patch hunk at an offset", F(("f", "x\ny\n" + Ten), ("p.diff", Uni)), "-i", "p.diff");
        yield return P("patch hunk with fuzz 1", F(("f", Ten.Replace("l7", "q7", StringComparison.Ordinal)), ("p.diff", Uni)), "-i", "p.diff");
        yield return P("patch -F0 refuses fuzz", F(("f", Ten.Replace("l7", "q7", StringComparison.Ordinal)), ("p.diff", Uni)), "-F0", "-i", "p.diff");
        yield return P("patch -l ignores whitespace", F(("f", Ten.Replace("l4", "l4  ", StringComparison.Ordinal)), ("p.diff", Uni)), "-l", "-i", "p.diff");
        yield return P("patch failing hunk: reject and .orig", F(("f", Ten), ("p.diff", Fails)), "-i", "p.diff");
        yield return P("patch failing hunk --no-backup-if-mismatch", F(("f", Ten), ("p.diff", Fails)), "--no-backup-if-mismatch", "-i", "p.diff");
        yield return P("patch failing hunk -s", F(("f", Ten), ("p.diff", Fails)), "-s", "-i", "p.diff");
        yield return P("patch one of two hunks fails", F(("f", Ten.Replace("l9", "q9", StringComparison.Ordinal)), ("p.diff", TwoHunks)), "-i", "p.diff");
        yield return P("patch -p1 failing hunk: reject file header", F(("f", Ten), ("p.diff", Fails.Replace("--- f\n+++ f", "--- a/f\n+++ b/f", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        yield return P("patch -r FILE", F(("f", Ten), ("p.diff", Fails)), "-r", "all.rej", "-i", "p.diff");
        yield return P("patch --reject-format=context", F(("f", Ten), ("p.diff", Fails)), "--reject-format=context", "-i", "p.diff");
        yield return P("patch context diff", F(("f", Ten), ("p.diff", Context)), "-i", "p.diff");
        yield return P("patch context diff failing: context reject", F(("f", Ten.Replace("l5", "zz", StringComparison.Ordinal)), ("p.diff", Context)), "-i", "p.diff");
        yield return P("patch context diff --reject-format=unified", F(("f", Ten.Replace("l5", "zz", StringComparison.Ordinal)), ("p.diff", Context)), "--reject-format=unified", "-i", "p.diff");
        yield return P("patch normal diff with ORIGFILE", F(("f", Ten), ("p.diff", Normal)), "f", "p.diff");
        yield return P("patch normal diff -n", F(("f", Ten), ("p.diff", Normal)), "-n", "f", "p.diff");
        yield return P("patch ed script -e", F(("f", Ten), ("p.diff", Ed)), "-e", "f", "p.diff");
        yield return P("patch reversed, no terminal", F(("f", TenMod), ("p.diff", Uni)), "-i", "p.diff");
        yield return P("patch -R", F(("f", TenMod), ("p.diff", Uni)), "-R", "-i", "p.diff");
        yield return P("patch -N skips applied", F(("f", TenMod), ("p.diff", Uni)), "-N", "-i", "p.diff");
        yield return P("patch --forward skips applied", F(("f", TenMod), ("p.diff", Uni)), "--forward", "-i", "p.diff");
        yield return P("patch -f on applied", F(("f", TenMod), ("p.diff", Uni)), "-f", "-i", "p.diff");
        yield return P("patch -t on applied", F(("f", TenMod), ("p.diff", Uni)), "-t", "-i", "p.diff");
        yield return P("patch --batch on applied", F(("f", TenMod), ("p.diff", Uni)), "--batch", "-i", "p.diff");
        yield return P("patch creates a file", F(("p.diff", Create)), "-i", "p.diff");
        yield return P("patch creates a file in a new folder", F(("p.diff", Create.Replace("+++ n", "+++ d/e/n", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch create over an existing file", F(("n", "other\n"), ("p.diff", Create)), "-i", "p.diff");
        yield return P("patch create over an existing file -f", F(("n", "other\n"), ("p.diff", Create)), "-f", "-i", "p.diff");
        yield return P("patch create over an identical file", F(("n", "new1\nnew2\n"), ("p.diff", Create)), "-i", "p.diff");
        yield return P("patch deletes a file", F(("f", Ten), ("p.diff", Delete)), "-i", "p.diff");
        yield return P("patch deletes a missing file", F(("p.diff", Delete)), "-i", "p.diff");
        yield return P("patch deletes a missing file -t", F(("p.diff", Delete)), "-t", "-i", "p.diff");
        yield return P("patch deletes a file with other content", F(("f", Ten + "extra\n"), ("p.diff", Delete)), "-i", "p.diff");
        yield return P("patch empties a file", F(("e", "a\nb\n"), ("p.diff", Empties)), "-i", "p.diff");
        yield return P("patch -E removes an emptied file", F(("e", "a\nb\n"), ("p.diff", Empties)), "-E", "-i", "p.diff");
        yield return P("patch missing file, batch", F(("p.diff", Uni)), "-t", "-i", "p.diff");
        yield return P("patch missing file, force", F(("p.diff", Uni)), "-f", "-i", "p.diff");
        yield return P("patch -b", F(("f", Ten), ("p.diff", Uni)), "-b", "-i", "p.diff");
        yield return P("patch -b -z .bak", F(("f", Ten), ("p.diff", Uni)), "-b", "-z", ".bak", "-i", "p.diff");
        yield return P("patch --suffix without -b", F(("f", Ten), ("p.diff", Uni)), "--suffix=.bak", "-i", "p.diff");
        yield return P("patch -B prefix", F(("f", Ten), ("p.diff", Uni)), "-B", "old/", "-i", "p.diff") with { Dirs = ["old"] };
        yield return P("patch -Y basename prefix", F(("f", Ten), ("p.diff", Uni)), "-Y", "bk_", "-i", "p.diff");
        yield return P("patch -V numbered", F(("f", Ten), ("f.~1~", "older\n"), ("p.diff", Uni)), "-b", "-V", "numbered", "-i", "p.diff");
        yield return P("patch -V existing with a numbered backup", F(("f", Ten), ("f.~1~", "older\n"), ("p.diff", Uni)), "-b", "-V", "existing", "-i", "p.diff");
        yield return P("patch -V existing without one", F(("f", Ten), ("p.diff", Uni)), "-b", "-V", "existing", "-i", "p.diff");
        yield return P("patch -V simple", F(("f", Ten), ("p.diff", Uni)), "-b", "--version-control=simple", "-i", "p.diff");
        yield return P("patch -V none", F(("f", Ten), ("p.diff", Uni)), "-b", "-V", "none", "-i", "p.diff");
        yield return P("patch -o FILE", F(("f", Ten), ("p.diff", Uni)), "-o", "out", "-i", "p.diff");
        yield return P("patch -o -", F(("f", Ten), ("p.diff", Uni)), "-o", "-", "-i", "p.diff");
        yield return P("patch --dry-run", F(("f", Ten), ("p.diff", Uni)), "--dry-run", "-i", "p.diff");
        yield return P("patch --dry-run failing", F(("f", Ten), ("p.diff", Fails)), "--dry-run", "-i", "p.diff");
        yield return P("patch --dry abbreviation", F(("f", Ten), ("p.diff", Uni)), "--dry", "-i", "p.diff");
        yield return P("patch -d DIR", F(("sub/f", Ten), ("p.diff", Uni)), "-d", "sub", "-i", "../p.diff");
        yield return P("patch two files, the first fails", F(("f", Ten), ("g", Ten), ("p.diff", Fails + Uni.Replace("f\n", "g\n", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch two files, the first is missing", F(("g", Ten), ("p.diff", Uni + Uni.Replace("f\n", "g\n", StringComparison.Ordinal))), "-t", "-i", "p.diff");
        yield return P("patch only garbage", F(("p.diff", "hello\nworld\n")), "-i", "p.diff");
        yield return P("patch empty input", F(("p.diff", string.Empty)), "-i", "p.diff");
        yield return P("patch missing patch file", F(("f", Ten)), "-i", "nope.diff");
        yield return P("patch unknown option", F(("f", Ten)), "--bogus");
        yield return P("patch unknown short option", F(("f", Ten)), "-W");
        yield return P("patch no newline at end", F(("f", "a\nb"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n")), "-i", "p.diff");
        yield return P("patch git rename", F(("f", Ten), ("p.diff", GitRename)), "-p1", "-i", "p.diff");
        yield return P("patch git mode change", F(("s", "x\n"), ("p.diff", Git755)), "-p1", "-i", "p.diff");
        yield return P("patch keeps an executable mode", F(("f", Ten), ("p.diff", Uni)), "-i", "p.diff") with { Modes = [("f", (UnixFileMode)Convert.ToInt32("755", 8))] };
        yield return P("patch -Z sets times", F(("f", Ten), ("p.diff", Dated)), "-Z", "-i", "p.diff") with { Times = true };
        yield return P("patch -T sets times", F(("f", Ten), ("p.diff", Dated)), "-T", "-i", "p.diff") with { Times = true };
        yield return P("patch --posix", F(("f", Ten), ("p.diff", Fails)), "--posix", "-i", "p.diff");
        yield return P("patch read-only file (warn)", F(("f", Ten), ("p.diff", Uni)), "-i", "p.diff") with { Modes = [("f", UnixFileMode.UserRead | UnixFileMode.GroupRead)] };
        yield return P("patch --read-only=fail", F(("f", Ten), ("p.diff", Uni)), "--read-only=fail", "-i", "p.diff") with { Modes = [("f", UnixFileMode.UserRead | UnixFileMode.GroupRead)] };
        yield return P("patch --read-only=ignore", F(("f", Ten), ("p.diff", Uni)), "--read-only=ignore", "-i", "p.diff") with { Modes = [("f", UnixFileMode.UserRead | UnixFileMode.GroupRead)] };
        yield return P("patch -D IFDEF", F(("f", Ten), ("p.diff", Uni)), "-D", "FOO", "-i", "p.diff");
        yield return P("patch -D with additions and deletions", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -3,3 +3,4 @@\n l3\n+new\n l4\n l5\n@@ -7,3 +8,2 @@\n l7\n-l8\n l9\n")), "-D", "FOO", "-i", "p.diff");
        yield return P("patch --merge without conflict", F(("f", Ten), ("p.diff", Uni)), "--merge", "-i", "p.diff");
        yield return P("patch --merge conflict", F(("f", Ten), ("p.diff", Fails)), "--merge", "-i", "p.diff");
        yield return P("patch --merge=diff3 conflict", F(("f", Ten), ("p.diff", Fails)), "--merge=diff3", "-i", "p.diff");
        // --merge beyond exact context: GNU applies without fuzz and merges what does not apply where its context moved
        // or partly differs, with "merged", "already applied" and "NOT MERGED" results.
        string q3 = Ten.Replace("l3", "q3", StringComparison.Ordinal);
        string x5 = Ten.Replace("l5", "X5", StringComparison.Ordinal);
        yield return P("patch --merge, context moved", F(("f", "x\ny\n" + Ten), ("p.diff", Uni)), "--merge", "-i", "p.diff");
        yield return P("patch --merge=diff3, context moved", F(("f", "x\ny\n" + Ten), ("p.diff", Uni)), "--merge=diff3", "-i", "p.diff");
        yield return P("patch --merge, context changed", F(("f", q3), ("p.diff", Uni)), "--merge", "-i", "p.diff");
        yield return P("patch --merge=diff3, context changed", F(("f", q3), ("p.diff", Uni)), "--merge=diff3", "-i", "p.diff");
        yield return P("patch --merge, context changed and moved", F(("f", "x\n" + q3), ("p.diff", Uni)), "--merge", "-i", "p.diff");
        yield return P("patch --merge, conflicting change", F(("f", x5), ("p.diff", Uni)), "--merge", "-i", "p.diff");
        yield return P("patch --merge=diff3, conflicting change", F(("f", x5), ("p.diff", Uni)), "--merge=diff3", "-i", "p.diff");
        yield return P("patch --merge, conflicting change with changed context", F(("f", x5.Replace("l3", "q3", StringComparison.Ordinal)), ("p.diff", Uni)), "--merge", "-i", "p.diff");
        yield return P("patch --merge=diff3, conflicting change with changed context", F(("f", x5.Replace("l3", "q3", StringComparison.Ordinal)), ("p.diff", Uni)), "--merge=diff3", "-i", "p.diff");
        yield return P("patch --merge, already applied", F(("f", TenMod), ("p.diff", Uni)), "--merge", "-N", "-i", "p.diff");
        yield return P("patch --merge, two hunks, one conflicting", F(("f", Ten.Replace("l9", "X9", StringComparison.Ordinal).Replace("l2", "q2", StringComparison.Ordinal)), ("p.diff", TwoHunks)), "--merge", "-i", "p.diff");
        yield return P("patch --merge --verbose, clean", F(("f", Ten), ("p.diff", TwoHunks)), "--merge", "--verbose", "-i", "p.diff");
        // A hunk's report with several parts, as GNU words it (its first kind named once, the others each time).
        const string MergedTwice = "--- f\n+++ f\n@@ -1,11 +1,12 @@\n-c0\n-a1\n+C0x\n+A1x\n a2\n b3\n c4\n+D\n e\n b6\n c7\n-a\n+Ax\n e\n b\n";
        const string MergedTwiceFile = "c0\na1z\nb3\nc4\ne\nb6\nc7\na\ne\nb\n";
        yield return P("patch --merge, conflict then two merges in one hunk", F(("f", MergedTwiceFile), ("p.diff", MergedTwice)), "--merge", "-i", "p.diff");
        yield return P("patch --merge=diff3, conflict then two merges in one hunk", F(("f", MergedTwiceFile), ("p.diff", MergedTwice)), "--merge=diff3", "-i", "p.diff");
        const string Mixed = "--- f\n+++ f\n@@ -1,7 +1,8 @@\n-d\n+Dx\n g\n-b2\n+B2x\n e3\n+E\n c4\n f5\n c\n";
        const string MixedFile = "d\ng\nb2\nhy\ne3\nc4\ngy\nf5\nc\nb\ncy\nf\n";
        yield return P("patch --merge=diff3, merge, conflict, merge", F(("f", MixedFile), ("p.diff", Mixed)), "--merge=diff3", "-i", "p.diff");
        yield return P("patch --merge -s, conflict still reported", F(("f", MixedFile), ("p.diff", Mixed)), "--merge", "-s", "-i", "p.diff");
        const string Applied = "--- f\n+++ f\n@@ -1,6 +1,4 @@\n+G\n e0\n-a1\n f\n-g\n-e\n a\n";
        yield return P("patch --merge, merged, already applied and conflicting", F(("f", "e0\nf\ngz\ne\na\nc\n"), ("p.diff", Applied)), "--merge", "-i", "p.diff");
        yield return P("patch --merge -R, context changed", F(("f", q3.Replace("l5", "L5", StringComparison.Ordinal)), ("p.diff", Uni)), "--merge", "-R", "-i", "p.diff");
        yield return P("patch --merge -l, context changed in white space and text", F(("f", q3.Replace("l4", "l4 \t", StringComparison.Ordinal)), ("p.diff", Uni.Replace(" l4\n", " l4 \n", StringComparison.Ordinal))), "--merge", "-l", "-i", "p.diff");
        yield return P("patch --merge, no newline at end of file", F(("f", "l1\nl2\nq3\nl4\nl5"), ("p.diff", "--- f\n+++ f\n@@ -3,3 +3,3 @@\n l3\n l4\n-l5\n\\ No newline at end of file\n+L5\n\\ No newline at end of file\n")), "--merge", "-i", "p.diff");
        yield return P("patch --merge, context diff, context changed", F(("f", q3), ("p.diff", Context)), "--merge", "-i", "p.diff");
        yield return P("patch --merge, two hunks with changed context", F(("f", q3.Replace("l9", "X9", StringComparison.Ordinal)), ("p.diff", "--- f\n+++ f\n@@ -2,3 +2,4 @@\n l2\n l3\n+new\n l4\n@@ -8,3 +9,3 @@\n l8\n-l9\n+L9\n l10\n")), "--merge", "-i", "p.diff");

        // Line numbers of a failed hunk: GNU moves them by what the hunks applied before it added or removed.
        string added3 = "--- f\n+++ f\n@@ -2,3 +2,6 @@\n l2\n+a\n+b\n+c\n l3\n l4\n@@ -8,3 +11,3 @@\n l8\n-zz\n+ZZ\n l10\n";
        yield return P("patch failing hunk after one that added lines", F(("f", Ten), ("p.diff", added3)), "-i", "p.diff");
        yield return P("patch failing hunk after one that added lines, context reject", F(("f", Ten), ("p.diff", added3)), "--reject-format=context", "-i", "p.diff");
        yield return P("patch hunk at offset -1 (lines, plural)", F(("f", Ten.Replace("l1\n", string.Empty, StringComparison.Ordinal)), ("p.diff", Uni)), "-i", "p.diff");
        yield return P("patch --verbose, context diff leading text", F(("f", Ten), ("p.diff", Context)), "--verbose", "-i", "p.diff");
        yield return P("patch --verbose then -s: the last wins", F(("f", Ten), ("p.diff", Fails)), "--verbose", "-s", "-i", "p.diff");
        yield return P("patch -s then --verbose: the last wins", F(("f", Ten), ("p.diff", Fails)), "-s", "--verbose", "-i", "p.diff");
        yield return P("patch context reject of a hunk that only removes", F(("f", Ten), ("p.diff", "*** f\n--- f\n***************\n*** 3,6 ****\n  l3\n  l4\n- zz\n  l6\n--- 3,5 ----\n")), "-F0", "-i", "p.diff");
        // With -R, GNU writes rejects the way it tried the hunks: reversed, the new side's name first.
        string reversedFails = TenMod.Replace("l7", "q7", StringComparison.Ordinal);
        yield return P("patch -R failing hunk: reversed reject", F(("f", reversedFails), ("p.diff", Dated)), "-R", "-F0", "-i", "p.diff");
        yield return P("patch -R failing hunk: reversed context reject", F(("f", reversedFails), ("p.diff", Dated)), "-R", "-F0", "--reject-format=context", "-i", "p.diff");
        yield return P("patch context reject of a hunk that only adds", F(("f", Ten), ("p.diff", "*** f\n--- f\n***************\n*** 3,5 ****\n--- 3,6 ----\n  l3\n  zz\n+ new\n  yy\n")), "-F0", "-i", "p.diff");

        yield return P("patch --quoting-style=c", F(("f", Ten), ("p.diff", Uni)), "--quoting-style=c", "-i", "p.diff");
        yield return P("patch dangerous ../ name", F(("f", Ten), ("p.diff", Uni.Replace("f\n", "../evil\n", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch dangerous absolute name", F(("f", Ten), ("p.diff", Create.Replace("+++ n", "+++ /tmp/patchkit-gnucompat-evil", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch -p1 git diff of two files", F(("f", Ten), ("g", Ten), ("p.diff", "diff --git a/f b/f\nindex 1111111..2222222 100644\n" + UniAB + "diff --git a/g b/g\nindex 1111111..2222222 100644\n" + UniAB.Replace("/f\n", "/g\n", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        yield return P("patch Index: lines", F(("f", Ten), ("p.diff", "Index: f\n===================================================================\n" + Uni)), "-i", "p.diff");
        yield return P("patch -R of a creation deletes", F(("n", "new1\nnew2\n"), ("p.diff", Create)), "-R", "-i", "p.diff");
        yield return P("patch negative offset", F(("f", Ten[6..]), ("p.diff", Uni)), "-i", "p.diff");
        yield return P("patch second hunk at an offset", F(("f", "l1\nl2\nl3\nx\ny\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"), ("p.diff", TwoHunks)), "-i", "p.diff");
        yield return P("patch -p0 dangerous absolute name", F(("p.diff", Create.Replace("+++ n", "+++ /tmp/patchkit-gnucompat-evil", StringComparison.Ordinal))), "-p0", "-t", "-i", "p.diff");
        yield return P("patch -p0 dangerous ../ name", F(("f", Ten), ("p.diff", Uni.Replace("f\n", "../f\n", StringComparison.Ordinal))), "-p0", "-t", "-i", "p.diff");
        yield return P("patch CRLF patch on an LF file", F(("f", Ten), ("p.diff", Uni.Replace("\n", "\r\n", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch -s success", F(("f", Ten), ("p.diff", Uni)), "-s", "-i", "p.diff");
        yield return P("patch --binary", F(("f", Ten), ("p.diff", Uni)), "--binary", "-i", "p.diff");
        yield return P("patch -F3", F(("f", Ten.Replace("l3", "q3", StringComparison.Ordinal).Replace("l7", "q7", StringComparison.Ordinal)), ("p.diff", Uni)), "-F3", "-i", "p.diff");
        yield return P("patch -N on an unpatched file", F(("f", Ten), ("p.diff", Uni)), "-N", "-i", "p.diff");
        yield return P("patch -b on a created file", F(("p.diff", Create)), "-b", "-i", "p.diff");
        yield return P("patch -o FILE with a failing hunk", F(("f", Ten), ("p.diff", Fails)), "-o", "out", "-i", "p.diff");
        yield return P("patch -r - discards rejects", F(("f", Ten), ("p.diff", Fails)), "-r", "-", "-i", "p.diff");
        yield return P("patch context diff -p1", F(("f", Ten), ("p.diff", Context.Replace("*** f\n--- f\n", "*** a/f\n--- b/f\n", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        yield return P("patch reject keeps the section heading", F(("f", Ten), ("p.diff", Fails.Replace("@@\n", "@@ int main()\n", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch adds a final newline", F(("f", "a\nb"), ("p.diff", "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n")), "-i", "p.diff");
        yield return P("patch git new file with mode", F(("p.diff", "diff --git a/n b/n\nnew file mode 100755\nindex 0000000..1111111\n--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+x\n")), "-p1", "-i", "p.diff");
        yield return P("patch git deleted file", F(("n", "x\n"), ("p.diff", "diff --git a/n b/n\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/n\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n")), "-p1", "-i", "p.diff");
        yield return P("patch git binary patch", F(("p.diff", "diff --git a/b.bin b/b.bin\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..be443394ae6e523b4d497af05d5a7d06c77d6abb\nGIT binary patch\nliteral 4\nLcmYdHVn_x60}%ly\n\nliteral 0\nHcmV?d00001\n\n")), "-p1", "-i", "p.diff");
        yield return P("patch -p too large", F(("f", Ten), ("p.diff", UniAB)), "-p5", "-t", "-i", "p.diff");
        yield return P("patch three files, middle one missing", F(("f", Ten), ("h", Ten), ("p.diff", Uni + Uni.Replace("f\n", "g\n", StringComparison.Ordinal) + Uni.Replace("f\n", "h\n", StringComparison.Ordinal))), "-f", "-i", "p.diff");
        yield return P("patch --dry-run reversed", F(("f", TenMod), ("p.diff", Uni)), "--dry-run", "-i", "p.diff");
        yield return P("patch -E with a deletion", F(("f", Ten), ("p.diff", Delete)), "-E", "-i", "p.diff");
        yield return P("patch deletion in a folder removes it", F(("d/f", Ten), ("p.diff", Delete.Replace("--- f", "--- d/f", StringComparison.Ordinal))), "-p0", "-i", "p.diff");
        // --binary and CR LF: GNU strips the patch's CRs unless --binary, and a hunk whose line ends differ from the
        // file's fails "(different line endings)".
        string five = "l1\nl2\nl3\nl4\nl5\n";
        string fivePatch = "--- f\n+++ f\n@@ -2,3 +2,3 @@\n l2\n-l3\n+L3\n l4\n";
        string Crlf(string t) => t.Replace("\n", "\r\n", StringComparison.Ordinal);
        yield return P("patch --binary CRLF patch on an LF file", F(("f", five), ("p.diff", Crlf(fivePatch))), "--binary", "-i", "p.diff");
        yield return P("patch LF patch on a CRLF file", F(("f", Crlf(five)), ("p.diff", fivePatch)), "-i", "p.diff");
        yield return P("patch --binary LF patch on a CRLF file", F(("f", Crlf(five)), ("p.diff", fivePatch)), "--binary", "-i", "p.diff");
        yield return P("patch CRLF patch on a CRLF file", F(("f", Crlf(five)), ("p.diff", Crlf(fivePatch))), "-i", "p.diff");
        yield return P("patch --binary CRLF patch on a CRLF file", F(("f", Crlf(five)), ("p.diff", Crlf(fivePatch))), "--binary", "-i", "p.diff");
        yield return P("patch --binary CRLF patch creating a file", F(("p.diff", Crlf(Create))), "--binary", "-i", "p.diff");

        // Symbolic links: GNU refuses to patch one unless --follow-symlinks, which reads through it and leaves a
        // regular file in its place.
        yield return P("patch a symlink", F(("real", five), ("p.diff", fivePatch)), "-i", "p.diff") with { Links = [("f", "real")] };
        yield return P("patch --follow-symlinks on a symlink", F(("real", five), ("p.diff", fivePatch)), "--follow-symlinks", "-i", "p.diff") with { Links = [("f", "real")] };
        yield return P("patch creates a file through a symlinked folder", F(("p.diff", "--- link/n\n+++ link/n\n@@ -0,0 +1 @@\n+x\n")), "-p0", "-i", "p.diff") with { Dirs = ["sub"], Links = [("link", "sub")] };
        yield return P("patch --follow-symlinks creates a file through a symlinked folder", F(("p.diff", "--- link/n\n+++ link/n\n@@ -0,0 +1 @@\n+x\n")), "--follow-symlinks", "-p0", "-i", "p.diff") with { Dirs = ["sub"], Links = [("link", "sub")] };

        // -g/--get: without version-control files nothing changes; with an RCS file, the missing file is checked out
        // (co -l) before it is patched.
        yield return P("patch -g1 without RCS files", F(("f", Ten), ("p.diff", Uni)), "-g1", "-i", "p.diff");
        yield return P("patch -g1 missing file without RCS files", F(("p.diff", Uni)), "-g1", "-t", "-i", "p.diff");
        yield return P("patch --get=-1 without RCS files", F(("f", Ten), ("p.diff", Uni)), "--get=-1", "-i", "p.diff");
        yield return Rcs(P("patch -g1 checks out from RCS", F(("RCS/f,v", RcsFile), ("p.diff", Uni)), "-g1", "-i", "p.diff"));
        yield return Rcs(P("patch -g1 checks out f,v beside it", F(("f,v", RcsFile), ("p.diff", Uni)), "-g1", "-i", "p.diff"));
        yield return Rcs(P("patch -g-1 asks, no terminal", F(("RCS/f,v", RcsFile), ("p.diff", Uni)), "-g-1", "-i", "p.diff"));
        yield return Rcs(P("patch -g-1 asks, terminal n", F(("RCS/f,v", RcsFile), ("p.diff", Uni)), "-g-1", "-i", "p.diff") with { Terminal = ["n", ""] });
        yield return Rcs(P("patch -g1 --dry-run with RCS", F(("RCS/f,v", RcsFile), ("p.diff", Uni)), "-g1", "--dry-run", "-i", "p.diff"));
        yield return Rcs(P("patch -g1 --verbose with RCS", F(("RCS/f,v", RcsFile), ("p.diff", Uni)), "-g1", "--verbose", "-i", "p.diff"));
        yield return Rcs(P("patch without -g ignores RCS", F(("RCS/f,v", RcsFile), ("p.diff", Uni)), "-t", "-i", "p.diff"));

        foreach (CompatRow row in Terminal())
        {
            yield return row;
        }

        yield return P("patch-level mismatch hint with leading text", F(("f", Ten), ("p.diff", "From: someone\nSubject: fix\n\n" + "--- x/y/f\n+++ x/y/f\n" + Hunk5)), "-t", "-p0", "-i", "p.diff");

        // --quoting-style (issue 25): rows of their own, in GnuCompatRows.Quoting.cs.
        foreach (CompatRow row in QuotingRows())
        {
            yield return row;
        }

        // Normal diffs at an offset, reversed with fuzz, reject lines without a newline, owners: GnuCompatRows.Leftovers.cs.
        foreach (CompatRow row in LeftoverPatchRows())
        {
            yield return row;
        }

        foreach (CompatRow row in Round4PatchRows())
        {
            yield return row;
        }

        foreach (CompatRow row in Round5PatchRows())
        {
            yield return row;
        }

        foreach (CompatRow row in Gnu26ePatchRows())
        {
            yield return row;
        }

        foreach (CompatRow row in LaterErrorPatchRows())
        {
            yield return row;
        }

        foreach (CompatRow row in UnusualInputPatchRows())
        {
            yield return row;
        }

        // The audit of every patch --help option: GnuCompatRows.Gnu27b.cs.
        foreach (CompatRow row in Gnu27bPatchRows())
        {
            yield return row;
        }

        // VERSION_CONTROL, PATCH_VERSION_CONTROL, SIMPLE_BACKUP_SUFFIX, POSIXLY_CORRECT: GnuCompatRows.Environment.cs.
        foreach (CompatRow row in EnvironmentPatchRows())
        {
            yield return row;
        }

        // An -o FILE that is there before the run: GnuCompatRows.OutputThere.cs.
        foreach (CompatRow row in OutputTherePatchRows())
        {
            yield return row;
        }

        // Short hunks read on into the next header, -n/-e/-c forced on a unified diff, option errors in getopt's
        // order, hunk line numbers too large: GnuCompatRows.Gnu28a.cs.
        foreach (CompatRow row in Gnu28aPatchRows())
        {
            yield return row;
        }

        // What the randomized patch comparison found: GnuCompatRows.Gnu28e.cs.
        foreach (CompatRow row in RandomFindingsPatchRows())
        {
            yield return row;
        }

        // Lone "---" lines, garbage before a hunk header, "#" lines in hunks: GnuCompatRows.Gnu29a.cs.
        foreach (CompatRow row in Gnu29aPatchRows())
        {
            yield return row;
        }

        // Rejects of several files into one reject file, -o under --dry-run: GnuCompatRows.Gnu29b.cs.
        foreach (CompatRow row in Gnu29bPatchRows())
        {
            yield return row;
        }

        // Seeds 501-1500 of the randomized patch comparison: GnuCompatRows.Gnu29d.cs.
        foreach (CompatRow row in Gnu29dPatchRows())
        {
            yield return row;
        }

        // Git copies keep the file copied from: GnuCompatRows.GitCopy.cs.
        foreach (CompatRow row in GitCopyPatchRows())
        {
            yield return row;
        }

        // What the randomized comparison on real patches found: GnuCompatRows.RealPatches.cs.
        foreach (CompatRow row in RealPatchPatchRows())
        {
            yield return row;
        }

        // Git diffs of symbolic links, folders that are symbolic links: GnuCompatRows.Symlinks.cs.
        foreach (CompatRow row in SymlinkPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu30a.cs.
        foreach (CompatRow row in Gnu30aPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu30b.cs.
        foreach (CompatRow row in Gnu30bPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu30c.cs.
        foreach (CompatRow row in Gnu30cPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu30d.cs.
        foreach (CompatRow row in Gnu30dPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu31a.cs.
        foreach (CompatRow row in Gnu31aPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu31b.cs.
        foreach (CompatRow row in Gnu31bPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu31c.cs.
        foreach (CompatRow row in Gnu31cPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu32a.cs.
        foreach (CompatRow row in Gnu32aPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu32b.cs.
        foreach (CompatRow row in Gnu32bPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu32c.cs.
        foreach (CompatRow row in Gnu32cPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu33a.cs.
        foreach (CompatRow row in Gnu33aPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu33b.cs.
        foreach (CompatRow row in Gnu33bPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu33c.cs.
        foreach (CompatRow row in Gnu33cPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu34a.cs.
        foreach (CompatRow row in Gnu34aPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu34b.cs.
        foreach (CompatRow row in Gnu34bPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu34c.cs.
        foreach (CompatRow row in Gnu34cPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu35a.cs.
        foreach (CompatRow row in Gnu35aPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu35b.cs.
        foreach (CompatRow row in Gnu35bPatchRows())
        {
            yield return row;
        }

        // This round's patch rows, one file per branch: GnuCompatRows.Gnu35c.cs.
        foreach (CompatRow row in Gnu35cPatchRows())
        {
            yield return row;
        }
    }

    /// <summary>The questions answered from a terminal: standard output and the controlling terminal are a
    /// pseudo-terminal on which each answer is typed when the program waits for it.</summary>
    private static IEnumerable<CompatRow> Terminal()
    {
        var reversed = F(("f", TenMod), ("p.diff", Uni));
        var missing = F(("f", Ten), ("p.diff", Uni.Replace("f\n", "g\n", StringComparison.Ordinal)));
        yield return P("terminal: reversed, Assume -R? y", reversed, "-i", "p.diff") with { Terminal = ["y"] };
        yield return P("terminal: reversed, Assume -R? n, Apply anyway? n", reversed, "-i", "p.diff") with { Terminal = ["n", "n"] };
        yield return P("terminal: reversed, Assume -R? n, Apply anyway? y", reversed, "-i", "p.diff") with { Terminal = ["n", "y"] };
        yield return P("terminal: reversed, empty answers", reversed, "-i", "p.diff") with { Terminal = [] };
        yield return P("terminal: reversed, Y is not y", reversed, "-i", "p.diff") with { Terminal = ["Y", "yes"] };
        yield return P("terminal: reversed, answered but output piped", reversed, "-i", "p.diff") with { Terminal = ["y"], StdoutPiped = true };
        yield return P("terminal: -R unreversed, Ignore -R? y", F(("f", Ten), ("p.diff", Uni)), "-R", "-i", "p.diff") with { Terminal = ["y"] };
        yield return P("terminal: -R unreversed, Ignore -R? n n", F(("f", Ten), ("p.diff", Uni)), "-R", "-i", "p.diff") with { Terminal = ["n", "n"] };
        yield return P("terminal: reversed, two files", F(("f", TenMod), ("g", TenMod), ("p.diff", Uni + Uni.Replace("f\n", "g\n", StringComparison.Ordinal))), "-i", "p.diff") with { Terminal = ["y", "n", "n"] };
        yield return P("terminal: create over an existing file, y", F(("n", "new1\nnew2\n"), ("p.diff", Create)), "-i", "p.diff") with { Terminal = ["y"] };
        yield return P("terminal: create over an existing file, n y", F(("n", "other\n"), ("p.diff", Create)), "-i", "p.diff") with { Terminal = ["n", "y"] };
        yield return P("terminal: create over an existing file, n n", F(("n", "other\n"), ("p.diff", Create)), "-i", "p.diff") with { Terminal = ["n", "n"] };
        yield return P("terminal: delete a missing file, y", F(("p.diff", Delete)), "-i", "p.diff") with { Terminal = ["y"] };
        yield return P("terminal: delete a missing file, n n", F(("p.diff", Delete)), "-i", "p.diff") with { Terminal = ["n", "n"] };
        yield return P("terminal: File to patch: names the file", missing, "-i", "p.diff") with { Terminal = ["f"] };
        yield return P("terminal: File to patch: empty, skip", missing, "-i", "p.diff") with { Terminal = ["", ""] };
        yield return P("terminal: File to patch: missing name, skip", missing, "-i", "p.diff") with { Terminal = ["nope", "y"] };
        yield return P("terminal: File to patch: missing name, do not skip, then the file", missing, "-i", "p.diff") with { Terminal = ["nope", "n", "f"] };
        yield return P("terminal: File to patch: -p0 finds nothing, names it", F(("f", Ten), ("p.diff", UniAB)), "-p0", "-i", "p.diff") with { Terminal = ["f"] };
        yield return P("terminal: File to patch: -s", missing, "-s", "-i", "p.diff") with { Terminal = ["", "y"] };
        yield return P("terminal: File to patch: -s, a missing name, n, then skip", missing, "-s", "-i", "p.diff") with { Terminal = ["nope", "n", "", "y"] };
        yield return P("patch -s -f, file to patch missing", missing, "-s", "-f", "-i", "p.diff");
        yield return P("patch -s -t, file to patch missing", missing, "-s", "-t", "-i", "p.diff");
        yield return P("patch -p1 failing hunk with a time stamp: reject file header", F(("f", Ten), ("p.diff", Fails.Replace("--- f\n+++ f", "--- a/f\t2020-01-01 00:00:00.000000000 +0000\n+++ b/f\t2020-01-02 00:00:00.000000000 +0000", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        yield return P("patch failing hunk in a folder, no -p: reject file header", F(("f", Ten), ("x/y/f", Ten), ("p.diff", Fails.Replace("--- f\n+++ f", "--- x/y/f\t2020-01-01 00:00:00.000000000 +0000\n+++ x/y/f", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch -p0 failing hunk in a folder: reject file header", F(("x/y/f", Ten), ("p.diff", Fails.Replace("--- f\n+++ f", "--- x/y/f\n+++ x/y/f", StringComparison.Ordinal))), "-p0", "-i", "p.diff");
        yield return P("patch -p1 git diff failing hunk: reject file header", F(("f", Ten), ("p.diff", "diff --git a/f b/f\nindex 1..2 100644\n" + Fails.Replace("--- f\n+++ f", "--- a/f\n+++ b/f", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        yield return P("patch -p1 failing context hunk: reject file header", F(("f", Ten.Replace("l5", "zz", StringComparison.Ordinal)), ("p.diff", Context.Replace("*** f\n--- f\n", "*** a/f\t2020-01-01 00:00:00.000000000 +0000\n--- b/f\t2020-01-02 00:00:00.000000000 +0000\n", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
    }

    public static IEnumerable<CompatRow> Diff()
    {
        var ab = F(("a", Ten), ("b", TenMod));
        var c = F(("a", "int f()\n{\n  a;\n}\nint g()\n{\n  b;\n}\n"), ("b", "int f()\n{\n  a;\n}\nint g()\n{\n  B;\n}\n"));
        var trees = F(("x/same", "s\n"), ("x/mod", Ten), ("x/onlyx", "1\n"), ("x/sub/deep", "d\n"), ("y/same", "s\n"), ("y/mod", TenMod), ("y/onlyy", "2\n"), ("y/sub/deep", "D\n"), ("y/skip.o", "o\n"));
        yield return D("diff identical files", F(("a", Ten), ("b", Ten)), "a", "b");
        yield return D("diff normal format", ab, "a", "b");
        yield return D("diff normal format, lines added and deleted", F(("a", "1\n2\n3\n"), ("b", "0\n1\n3\n4\n")), "a", "b");
        yield return D("diff -c", ab, "-c", "a", "b");
        yield return D("diff -C 1", ab, "-C", "1", "a", "b");
        yield return D("diff -u", ab, "-u", "a", "b");
        yield return D("diff -U 1", ab, "-U", "1", "a", "b");
        yield return D("diff -e", F(("a", "1\n2\n3\n"), ("b", "0\n1\n3\n4\n")), "-e", "a", "b");
        yield return D("diff -n", F(("a", "1\n2\n3\n"), ("b", "0\n1\n3\n4\n")), "-n", "a", "b");
        yield return D("diff -y", ab, "-y", "a", "b");
        yield return D("diff -y -W 40", ab, "-y", "-W", "40", "a", "b");
        yield return D("diff -y --suppress-common-lines", ab, "-y", "--suppress-common-lines", "a", "b");
        yield return D("diff -y --left-column", ab, "-y", "--left-column", "a", "b");
        yield return D("diff -q", ab, "-q", "a", "b");
        yield return D("diff -s identical", F(("a", Ten), ("b", Ten)), "-s", "a", "b");
        yield return D("diff -D NAME", ab, "-D", "NAME", "a", "b");
        yield return D("diff -r", trees, "-r", "x", "y");
        yield return D("diff -ru", trees, "-ru", "x", "y");
        yield return D("diff -rN", trees, "-rN", "x", "y");
        yield return D("diff -Naur", trees, "-Naur", "x", "y");
        yield return D("diff -rq", trees, "-rq", "x", "y");
        yield return D("diff --unidirectional-new-file", trees, "-r", "--unidirectional-new-file", "x", "y");
        yield return D("diff -r -x PATTERN", trees, "-r", "-x", "*.o", "x", "y");
        yield return D("diff -r -X FILE", F([.. trees, ("ex", "*.o\nsub\n")]), "-r", "-X", "ex", "x", "y");
        yield return D("diff -r -S FILE", trees, "-r", "-S", "onlyy", "x", "y");
        yield return D("diff directories without -r", trees, "x", "y");
        yield return D("diff -i", F(("a", "Hello\n"), ("b", "hello\n")), "-i", "a", "b");
        yield return D("diff -E", F(("a", "a\tb\n"), ("b", "a       b\n")), "-E", "a", "b");
        yield return D("diff -Z", F(("a", "a  \n"), ("b", "a\n")), "-Z", "a", "b");
        yield return D("diff -b", F(("a", "a  b\n"), ("b", "a b\n")), "-b", "a", "b");
        yield return D("diff -w", F(("a", "a  b\n"), ("b", "ab\n")), "-w", "a", "b");
        yield return D("diff -B", F(("a", "a\n\nb\n"), ("b", "a\nb\n")), "-B", "a", "b");
        yield return D("diff -I RE", F(("a", "a\n# x\nb\n"), ("b", "a\n# y\nb\n")), "-I", "^#", "a", "b");
        yield return D("diff --label", ab, "-u", "--label", "old", "--label", "new", "a", "b");
        yield return D("diff -p", c, "-up", "a", "b");
        yield return D("diff -F RE", c, "-u", "-F", "^int", "a", "b");
        yield return D("diff binary files", F(("a", "x\0y\n"), ("b", "x\0z\n")), "a", "b");
        yield return D("diff -a on binary files", F(("a", "x\0y\n"), ("b", "x\0z\n")), "-a", "a", "b");
        yield return D("diff --strip-trailing-cr", F(("a", "a\r\nb\r\n"), ("b", "a\nb\n")), "--strip-trailing-cr", "a", "b");
        yield return D("diff -t", F(("a", "a\tb\n"), ("b", "c\tb\n")), "-t", "a", "b");
        yield return D("diff -T", F(("a", "a\tb\n"), ("b", "c\tb\n")), "-T", "a", "b");
        yield return D("diff - reads standard input", ab, "-", "b") with { StdinFile = "a" };
        yield return D("diff -u - reads standard input", ab, "-u", "--label", "in", "--label", "b", "-", "b") with { StdinFile = "a" };
        yield return D("diff file against directory", F(("mod", Ten), ("y/mod", TenMod)), "mod", "y");
        yield return D("diff directory against file", F(("x/a", Ten), ("a", Ten)), "-r", "x", "a");
        yield return D("diff missing file", ab, "a", "nope");
        yield return D("diff -N missing file", ab, "-N", "a", "nope");
        yield return D("diff no newline at end", F(("a", "x\n"), ("b", "y")), "a", "b");
        yield return D("diff -u no newline at end", F(("a", "x\n"), ("b", "y")), "-u", "a", "b");
        yield return D("diff --from-file", F(("a", Ten), ("b", TenMod), ("c", Ten)), "--from-file=a", "b", "c");
        yield return D("diff --to-file", F(("a", Ten), ("b", TenMod), ("c", Ten)), "--to-file=a", "b", "c");
        yield return D("diff missing operand", ab, "a");
        yield return D("diff unknown option", ab, "--bogus", "a", "b");
        yield return D("diff --brief abbreviation", ab, "--bri", "a", "b");

        // The comparison options on folders (-r): each pair that differs byte for byte is compared with them.
        var ws = F(("x/case", "Hello\n"), ("y/case", "hello\n"), ("x/space", "a  b\n"), ("y/space", "a b\n"), ("x/all", "a b\n"), ("y/all", "ab\n"),
            ("x/blank", "a\n\nb\n"), ("y/blank", "a\nb\n"), ("x/hash", "a\n# x\nb\n"), ("y/hash", "a\n# y\nb\n"), ("x/cr", "a\r\nb\r\n"), ("y/cr", "a\nb\n"),
            ("x/tab", "a\tb\n"), ("y/tab", "a       b\n"), ("x/trail", "a  \n"), ("y/trail", "a\n"), ("x/real", Ten), ("y/real", TenMod), ("x/onlyx", "1\n"), ("y/sub/deep", "d\n"), ("x/sub/deep", "D\n"));
        yield return D("diff -r -i on folders", ws, "-r", "-i", "x", "y");
        yield return D("diff -r -E on folders", ws, "-r", "-E", "x", "y");
        yield return D("diff -r -Z on folders", ws, "-r", "-Z", "x", "y");
        yield return D("diff -r -b on folders", ws, "-r", "-b", "x", "y");
        yield return D("diff -r -w on folders", ws, "-r", "-w", "x", "y");
        yield return D("diff -r -B on folders", ws, "-r", "-B", "x", "y");
        yield return D("diff -r -I RE on folders", ws, "-r", "-I", "^#", "x", "y");
        yield return D("diff -r --strip-trailing-cr on folders", ws, "-r", "--strip-trailing-cr", "x", "y");
        yield return D("diff -ru -w on folders", ws, "-ru", "-w", "x", "y");
        yield return D("diff -rq -w on folders", ws, "-rq", "-w", "x", "y");
        yield return D("diff -rN -i -b on folders", ws, "-rN", "-i", "-b", "x", "y");
        yield return D("diff -r -i -w -B -Z --strip-trailing-cr on folders", ws, "-r", "-i", "-w", "-B", "-Z", "--strip-trailing-cr", "-I", "^#", "x", "y");
        yield return D("diff -r -w on folders, all equal", F(("x/s", "a b\n"), ("y/s", "ab\n")), "-r", "-w", "x", "y");

        // Line and group formats, and -D with line formats.
        var mix = F(("a", "1\n2\n3\n4\n5\n6\n"), ("b", "1\nB\n3\n4\nnew\n5\n"));
        yield return D("diff --old-line-format --new-line-format --unchanged-line-format", mix, "--old-line-format=-%l\n", "--new-line-format=+%l\n", "--unchanged-line-format= %l\n", "a", "b");
        yield return D("diff --line-format=%L", mix, "--line-format=%L", "a", "b");
        yield return D("diff --line-format with %dn and widths", mix, "--line-format=%5dn|%-4dn|%05dn|%xn|%on|%Xn: %l\n", "a", "b");
        yield return D("diff --old-group-format --new-group-format --changed-group-format", mix,
            "--old-group-format=deleted %dn at %df-%dl (%de %dm)\n%<", "--new-group-format=added %dN at %dF-%dL (%dE %dM)\n%>",
            "--changed-group-format=changed %df,%dl into %dF,%dL\n%<---\n%>", "--unchanged-group-format=", "a", "b");
        yield return D("diff --unchanged-group-format=%= and conditionals", mix, "--unchanged-group-format=%(N=1?one line:%dN lines) same\n",
            "--changed-group-format=%(n=N?same count:other count) %c'<'%c'\\076'%c':'\n", "a", "b");
        yield return D("diff --changed-group-format only", mix, "--changed-group-format=[%<|%>]", "a", "b");
        yield return D("diff group format with %% and a bad escape", mix, "--old-group-format=%% %q %", "--new-group-format=%c'x'%c'' %(z=1?a:b)\n", "a", "b");
        yield return D("diff -D with line formats", mix, "-D", "NEW", "--old-line-format=old: %L", "--new-line-format=new: %L", "a", "b");
        yield return D("diff -D and a group format conflict", mix, "-D", "X", "--old-group-format=Q", "a", "b");
        yield return D("diff -D on identical files", F(("a", "1\n2\n"), ("b", "1\n2\n")), "-D", "X", "a", "b");
        yield return D("diff --unchanged-line-format= on identical files", F(("a", "1\n2\n"), ("b", "1\n2\n")), "--unchanged-line-format=", "a", "b");
        yield return D("diff -D no newline at end", F(("a", "a\nb"), ("b", "a\nc")), "-D", "X", "a", "b");
        yield return D("diff --line-format no newline at end", F(("a", "a\nb"), ("b", "a\nc")), "--old-line-format=<%l>", "--new-line-format=[%L]", "a", "b");
        yield return D("diff -c no newline at end", F(("a", "l1\nl2\nx"), ("b", "l1\nL2\ny")), "-c", "a", "b");
        yield return D("diff -c no newline at end, same last line", F(("a", "l1\nl2\nx"), ("b", "l1\nL2\nx")), "-c", "a", "b");
        yield return D("diff -c -w no newline at end", F(("a", "l1\nl2\nx"), ("b", "l1\nL2\ny")), "-c", "-w", "a", "b");
        yield return D("diff -r -D is refused", ws, "-r", "-D", "X", "x", "y");
        yield return D("diff -r with line formats", ws, "-r", "--old-line-format=-%l\n", "--new-line-format=+%l\n", "--unchanged-line-format=", "x", "y");

        // --color and --palette.
        var two = F(("a", "l1\nl2\nl3\nl4\nl5\nl6\nx"), ("b", "l1\nl2\nl3\nL4\nl5\nl6\ny"));
        yield return D("diff --color=always normal", two, "--color=always", "a", "b");
        yield return D("diff --color=always -u", two, "--color=always", "-u", "a", "b");
        yield return D("diff --color=always -c", two, "--color=always", "-c", "a", "b");
        yield return D("diff --color=always -U0 -p", c, "--color=always", "-U0", "-p", "a", "b");
        yield return D("diff --color=always -ru on folders", trees, "--color=always", "-ru", "x", "y");
        yield return D("diff --color=always -r -w on folders", ws, "--color=always", "-r", "-w", "x", "y");
        yield return D("diff --color=never", two, "--color=never", "-u", "a", "b");
        yield return D("diff --color without a terminal", two, "--color", "a", "b");
        yield return D("diff --color=auto on a terminal", two, "--color=auto", "a", "b") with { Terminal = [] };
        yield return D("diff --palette", two, "--color=always", "--palette=ad=1;32:de=1;31:hd=4:ln=35:rs=0", "-u", "a", "b");
        yield return D("diff --palette with escapes", two, "--color=always", "--palette=lc=\\e[:rc=m:ad=42", "a", "b");
        yield return D("diff --palette unknown prefix", two, "--color=always", "--palette=zz=1", "a", "b");
        yield return D("diff --color=bogus", two, "--color=bogus", "a", "b");
        foreach (CompatRow row in LeftoverDiffRows())
        {
            yield return row;
        }

        foreach (CompatRow row in Round4DiffRows())
        {
            yield return row;
        }

        foreach (CompatRow row in Round5DiffRows())
        {
            yield return row;
        }

        foreach (CompatRow row in Round6DiffRows())
        {
            yield return row;
        }

        foreach (CompatRow row in Gnu26eDiffRows())
        {
            yield return row;
        }

        foreach (CompatRow row in Gnu26aDiffRows())
        {
            yield return row;
        }

        // Found by the randomized comparison (GnuDiffRandom): GnuCompatRows.Gnu26d.cs.
        foreach (CompatRow row in Gnu26dDiffRows())
        {
            yield return row;
        }

        // Output-format differences found by the randomized comparison: GnuCompatRows.Gnu27c.cs.
        foreach (CompatRow row in Gnu27cDiffRows())
        {
            yield return row;
        }

        // Odd file names, -NUM, --sdiff-merge-assist, POSIX TZ rules, regex errors: GnuCompatRows.Gnu27e.cs.
        foreach (CompatRow row in Gnu27eDiffRows())
        {
            yield return row;
        }

        // Folder comparisons the randomized comparison found (seeds 81–830): GnuCompatRows.Gnu27d.cs.
        foreach (CompatRow row in Gnu27dDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu30d.cs.
        foreach (CompatRow row in Gnu30dDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu31a.cs.
        foreach (CompatRow row in Gnu31aDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu31b.cs.
        foreach (CompatRow row in Gnu31bDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu31c.cs.
        foreach (CompatRow row in Gnu31cDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu32a.cs.
        foreach (CompatRow row in Gnu32aDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu32b.cs.
        foreach (CompatRow row in Gnu32bDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu32c.cs.
        foreach (CompatRow row in Gnu32cDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu33a.cs.
        foreach (CompatRow row in Gnu33aDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu33b.cs.
        foreach (CompatRow row in Gnu33bDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu33c.cs.
        foreach (CompatRow row in Gnu33cDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu34a.cs.
        foreach (CompatRow row in Gnu34aDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu34b.cs.
        foreach (CompatRow row in Gnu34bDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu34c.cs.
        foreach (CompatRow row in Gnu34cDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu35a.cs.
        foreach (CompatRow row in Gnu35aDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu35b.cs.
        foreach (CompatRow row in Gnu35bDiffRows())
        {
            yield return row;
        }

        // This round's diff rows, one file per branch: GnuCompatRows.Gnu35c.cs.
        foreach (CompatRow row in Gnu35cDiffRows())
        {
            yield return row;
        }

        // One folder named twice: GnuCompatRows.SameFolder.cs.
        foreach (CompatRow row in SameFolderDiffRows())
        {
            yield return row;
        }

        // Which minimal edit script -b/-w/-i choose (ends trimmed byte for byte): GnuCompatRows.Gnu28b.cs.
        foreach (CompatRow row in Gnu28bDiffRows())
        {
            yield return row;
        }

        // Names not in UTF-8 in -s/-y walks and operands, one device or folder on both sides, names holding GNU's
        // words: GnuCompatRows.Gnu28c.cs.
        foreach (CompatRow row in Gnu28cDiffRows())
        {
            yield return row;
        }

        // -y -q with devices, --no-dereference links (targets not in UTF-8, labels, file against folder), one file on
        // both sides in the ed formats: GnuCompatRows.Gnu29c.cs.
        foreach (CompatRow row in Gnu29cDiffRows())
        {
            yield return row;
        }
    }
}
