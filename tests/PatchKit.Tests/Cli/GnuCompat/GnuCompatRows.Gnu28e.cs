namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison (<see cref="GnuPatchRandom"/>, <c>eng/gnu-patch-random.py</c>)
/// found: <c>-D</c> with a failing hunk, the file read named unquoted, <c>-g</c> without RCS files, a last line
/// without its newline inside a hunk or as a "\ No newline" marker, input with no patch, git diffs without hunks,
/// renames with no file to read, <c>--posix</c> naming files POSIX's way, <c>-o -</c> when the patch goes bad, a new
/// file's missing folder, <c>-s</c> after the reversed-patch questions, and the backup GNU leaves out before a new
/// file of a git diff.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> RandomFindingsPatchRows()
    {
        const string SecondFails = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n-l1\n+L1\n l2\n l3\n@@ -8,3 +8,3 @@\n l8\n-zz\n+L9\n l10\n";
        string gitFails = "diff --git a/f b/f\nindex 1111111..2222222 100644\n--- a/f\n+++ b/f\n" + Fails[12..];
        const string GitNew = "diff --git a/n b/n\nnew file mode 100644\nindex 0000000..3333333\n--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+new1\n+new2\n";
        const string GitChange = "diff --git a/g b/g\nindex 1111111..2222222 100644\n--- a/g\n+++ b/g\n" + Hunk5;

        // -D when a hunk fails: the check for a reversed patch wrote over the #ifdef text (the file got the plain
        // patched text with old bytes after it).
        yield return P("patch -D X, the second hunk fails", F(("f", Ten), ("p.diff", SecondFails)), "-D", "X", "-i", "p.diff");
        yield return P("patch -D X -b, the second hunk fails", F(("f", Ten), ("p.diff", SecondFails)), "-D", "X", "-b", "-i", "p.diff");

        // GNU names the file read (-o, renames, copies) as it is, whatever the quoting style.
        yield return P("patch -o out --quoting-style=c, read from", F(("f", Ten), ("p.diff", Uni)), "-o", "out", "--quoting-style=c", "-i", "p.diff");
        yield return P("patch -o - --quoting-style=shell-always, read from", F(("f", Ten), ("p.diff", Uni)), "-o", "-", "--quoting-style=shell-always", "-i", "p.diff");
        yield return P("patch git rename --quoting-style=c, renamed from", F(("f", Ten), ("p.diff", GitRename)), "--quoting-style=c", "-p1", "-i", "p.diff");

        // -g with no RCS file: the file is still not found (under --verbose the leading text after the words).
        yield return P("patch -g1 --verbose, file missing and not under RCS", F(("p.diff", Uni)), "-g1", "--verbose", "-f", "-i", "p.diff");

        // A last line without its newline read within the last hunk (GNU takes it for a cut-off blank line).
        string cut = SecondFails.Replace("-zz", "-l9", StringComparison.Ordinal)[..^1];
        yield return P("patch last line without newline, in the last hunk, --verbose", F(("f", Ten), ("p.diff", cut)), "--verbose", "-i", "p.diff");
        yield return P("patch last line without newline, in the last hunk of a missing file, --verbose", F(("p.diff", cut)), "--verbose", "-f", "-i", "p.diff");
        yield return P("patch last line without newline, in the last hunk of a missing file", F(("p.diff", cut)), "-f", "-i", "p.diff");
        yield return P("patch last line without newline, in the only hunk, reversed", F(("f", TenMod), ("p.diff", Uni[..^1])), "-i", "p.diff");
        yield return P("patch last line without newline, in the only hunk, reversed, -t", F(("f", TenMod), ("p.diff", Uni[..^1])), "-t", "-i", "p.diff");

        // "\ No newline at end of file" without its own newline is still the marker.
        string marker = "--- f\n+++ f\n@@ -8,3 +8,3 @@\n l8\n-l9\n+L9\n l10\n\\ No newline at end of file";
        yield return P("patch no-newline marker without its newline", F(("f", Ten[..^1]), ("p.diff", marker)), "-i", "p.diff");
        yield return P("patch no-newline marker without its newline, --verbose", F(("f", Ten[..^1]), ("p.diff", marker)), "--verbose", "-i", "p.diff");
        yield return P("patch no-newline marker twice, the second without its newline", F(("f", Ten[..^1]), ("p.diff", marker + "\n\\ No newline")), "-i", "p.diff");

        // Input with no patch: any byte is garbage (a blank line too), a last line without newline is read first.
        yield return P("patch only a line without newline", F(("f", Ten), ("p.diff", "garbage")), "-i", "p.diff");
        yield return P("patch only a line without newline, --verbose", F(("f", Ten), ("p.diff", "garbage")), "--verbose", "-i", "p.diff");
        yield return P("patch only a git header and a line without newline", F(("f", Ten), ("p.diff", "diff --git a/f b/f\nindex 1111111..2222222 100644")), "-p1", "-i", "p.diff");
        yield return P("patch only headers, the hunk header without newline", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -3,5 +3,5 @@")), "-i", "p.diff");
        yield return P("patch only a blank line", F(("f", Ten), ("p.diff", "\n")), "-i", "p.diff");
        yield return P("patch only blank lines and spaces, --verbose", F(("f", Ten), ("p.diff", "\n  \n\t\n")), "--verbose", "-i", "p.diff");

        // Git diffs without hunks: the text leading up to each is all of its lines; "can't find" names the line GNU
        // had read up to.
        string twoModes = Git755 + Git755.Replace(" s", " t", StringComparison.Ordinal);
        yield return P("patch git mode changes, --verbose", F(("s", "x\n"), ("t", "y\n"), ("p.diff", twoModes)), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch git mode changes, files missing", F(("p.diff", twoModes)), "-f", "-p1", "-i", "p.diff");
        yield return P("patch git mode change, file missing, --verbose", F(("p.diff", Git755)), "-f", "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch git header, then a line without newline, --verbose", F(("s", "x\n"), ("p.diff", "diff --git a/s b/s\nindex 1111111..2222222 100644\n--- a/s")), "--verbose", "-p1", "-i", "p.diff");

        // A git rename or copy with no file to read.
        yield return P("patch git rename, neither file there", F(("p.diff", GitRename)), "-p1", "-i", "p.diff");
        yield return P("patch git rename, neither file there, --verbose", F(("p.diff", GitRename)), "--verbose", "-p1", "-i", "p.diff");
        yield return P("patch git rename without hunks, neither file there", F(("p.diff", "diff --git a/f b/g\nsimilarity index 100%\nrename from f\nrename to g\n")), "-p1", "-i", "p.diff");
        yield return P("patch git copy, neither file there", F(("p.diff", GitRename.Replace("rename", "copy", StringComparison.Ordinal))), "-p1", "-i", "p.diff");
        yield return P("patch git rename, neither file there, then a change", F(("g2", Ten), ("p.diff", GitRename + "--- a/g2\n+++ b/g2\n" + Hunk5)), "-p1", "-i", "p.diff");

        // --posix (and POSIXLY_CORRECT): the first name that is there; nothing created, no question asked, an
        // emptied file kept unless -E.
        yield return P("patch --posix, a new file", F(("p.diff", Create)), "--posix", "-i", "p.diff");
        yield return P("patch --posix -f, a new file, --verbose", F(("p.diff", Create)), "--posix", "-f", "--verbose", "-i", "p.diff");
        yield return P("patch --posix, a new file over one there", F(("n", "other\n"), ("p.diff", Create)), "--posix", "-i", "p.diff");
        yield return P("patch --posix, a new file over an empty one", F(("n", string.Empty), ("p.diff", Create)), "--posix", "-i", "p.diff");
        yield return P("patch --posix, a deletion", F(("f", Ten), ("p.diff", Delete)), "--posix", "-i", "p.diff");
        yield return P("patch --posix -E, a deletion", F(("f", Ten), ("p.diff", Delete)), "--posix", "-E", "-i", "p.diff");
        yield return P("patch --posix, a deletion that leaves lines", F(("f", Ten + "more\n"), ("p.diff", Delete)), "--posix", "-i", "p.diff");
        yield return P("patch --posix, a deletion of a missing file", F(("p.diff", Delete)), "--posix", "-i", "p.diff");
        yield return P("patch --posix, a file emptied, already empty", F(("e", string.Empty), ("p.diff", Empties)), "--posix", "-i", "p.diff");
        yield return P("patch --posix, git new file", F(("p.diff", GitNew)), "--posix", "-p1", "-i", "p.diff");
        yield return P("POSIXLY_CORRECT patch, a new file", F(("p.diff", Create)), "-i", "p.diff") with { Env = [("POSIXLY_CORRECT", "1")] };

        // -o -: what GNU wrote of the failing file goes out before it stops.
        yield return P("patch -o -, goes bad in the second hunk", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n-l1\n+L1\n l2\n l3\n@@ -8,3 +8,3 @@\n l8\ngarbage\n")), "-o", "-", "-i", "p.diff");
        yield return P("patch -o - -D X, goes bad in the second hunk", F(("f", Ten), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n-l1\n+L1\n l2\n l3\n@@ -8,3 +8,3 @@\n l8\ngarbage\n")), "-o", "-", "-D", "X", "-i", "p.diff");

        // -s: no "Skipping patch." after the reversed-patch questions are answered no.
        yield return P("patch -s on a reversed patch, not applied", F(("f", TenMod), ("p.diff", Uni)), "-s", "-i", "p.diff");
        yield return P("patch -s -R on an unreversed patch, -o out", F(("f", Ten), ("p.diff", Uni)), "-s", "-R", "-o", "out", "-i", "p.diff");

        // A new file in a folder that is not there, when the patch goes bad in it: GNU has made the folder for its
        // temporary file.
        yield return P("patch a new file in a missing folder, goes bad", F(("p.diff", "--- /dev/null\n+++ d/n\n@@ -0,0 +1,3 @@\n+new1\ngarbage\n")), "-i", "p.diff");
        yield return P("patch a new file in a missing folder, goes bad, --dry-run", F(("p.diff", "--- /dev/null\n+++ d/n\n@@ -0,0 +1,3 @@\n+new1\ngarbage\n")), "--dry-run", "-i", "p.diff");

        // A git binary diff in a folder that is not there: GNU has made the folder for its temporary file.
        yield return P("patch git binary patch in a missing folder", F(("p.diff", "diff --git a/d/e/b.bin b/d/e/b.bin\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..be443394ae6e523b4d497af05d5a7d06c77d6abb\nGIT binary patch\nliteral 4\nLcmYdHVn_x60}%ly\n\nliteral 0\nHcmV?d00001\n\n")), "-p1", "-i", "p.diff");

        // The backup of a git diff's untouched file (every hunk failed), then other files: GNU makes it after the git
        // diff. (Before a new file GNU may skip it, depending on the file system reusing an inode: not compared.)
        yield return P("patch -b git diff, a failing file, then a change", F(("f", Ten), ("g", Ten), ("p.diff", gitFails + GitChange)), "-b", "-p1", "-i", "p.diff");
        yield return P("patch -b git diff, a failing file, then a new file, --dry-run", F(("f", Ten), ("p.diff", gitFails + GitNew)), "-b", "--dry-run", "-p1", "-i", "p.diff");
        yield return P("patch -b git diff, a failing file last", F(("f", Ten), ("p.diff", GitNew + gitFails)), "-b", "-p1", "-i", "p.diff");
    }
}
