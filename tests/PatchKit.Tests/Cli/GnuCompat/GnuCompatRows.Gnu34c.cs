namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 8501–10500 and the randomized diff comparison in
/// seeds 11601–13600, and errors GNU reports for names that are not regular files: a folder, FIFO or link to a folder
/// the patch changes, and a folder where GNU writes a file whole (-o, -r, a backup).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu34cPatchRows()
    {
        // A name the patch changes that is a folder, a FIFO or a link to a folder: GNU finds it there, asks nothing of
        // it, says "File f is not a regular file -- refusing to patch" and writes the hunks to f.rej (the drop-in found
        // no file to patch, or waited on the FIFO).
        var change = F(("p.diff", "--- f\n+++ f\n@@ -1 +1 @@\n-a\n+b\n"));
        yield return P("patch a folder", change, "-i", "p.diff") with { Dirs = ["f"] };
        yield return P("patch -R a folder", change, "-R", "-i", "p.diff") with { Dirs = ["f"] };
        yield return P("patch --dry-run a folder", change, "--dry-run", "-i", "p.diff") with { Dirs = ["f"] };
        yield return P("patch a FIFO", change, "-i", "p.diff") with { Fifos = ["f"] };
        yield return P("patch a link to a folder", change, "-i", "p.diff") with { Dirs = ["d"], Links = [("f", "d")] };
        yield return P("patch --follow-symlinks a link to a folder", change, "--follow-symlinks", "-i", "p.diff") with { Dirs = ["d"], Links = [("f", "d")] };
        yield return P("patch creating a file where a folder is", F(("p.diff", "--- /dev/null\n+++ f\n@@ -0,0 +1 @@\n+b\n")), "-i", "p.diff") with { Dirs = ["f"] };
        yield return P("patch deleting a file where a folder is", F(("p.diff", "--- f\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n")), "-i", "p.diff") with { Dirs = ["f"] };
        yield return P("patch ORIGFILE a folder", F(("p.diff", "--- g\n+++ g\n@@ -1 +1 @@\n-a\n+b\n")), "f", "p.diff") with { Dirs = ["f"] };
        yield return P("patch --posix a folder", change, "--posix", "-i", "p.diff") with { Dirs = ["f"] };
        yield return P("patch a folder, then a file", F(("g", "a\n"), ("p.diff", "--- f\n+++ f\n@@ -1 +1 @@\n-a\n+b\n--- g\n+++ g\n@@ -1 +1 @@\n-a\n+b\n")), "-i", "p.diff") with { Dirs = ["f"] };

        // A file GNU writes whole that is named by a folder: its open or rename fails ("Is a directory") and it stops.
        var applies = F(("g", "a\n"), ("p.diff", "--- g\n+++ g\n@@ -1 +1 @@\n-a\n+b\n"));
        var fails = F(("g", "a\n"), ("p.diff", "--- g\n+++ g\n@@ -1 +1 @@\n-x\n+b\n"));
        yield return P("patch -o FOLDER", applies, "-o", "d", "-i", "p.diff") with { Dirs = ["d"] };
        yield return P("patch -r FOLDER", fails, "-r", "d", "-i", "p.diff") with { Dirs = ["d"] };
        yield return P("patch -b, backup name a folder", applies, "-b", "-i", "p.diff") with { Dirs = ["g.orig"] };
        yield return P("patch -b, backup name a folder, hunk fails", fails, "-b", "-i", "p.diff") with { Dirs = ["g.orig"] };
        yield return P("patch -o FOLDER, a link to it", applies, "-o", "d", "-i", "p.diff") with { Dirs = ["e"], Links = [("d", "e")] };
        yield return P("patch -r FOLDER, a link to it", fails, "-r", "d", "-i", "p.diff") with { Dirs = ["e"], Links = [("d", "e")] };
        // A -o or -r name too long for the file system (ENAMETOOLONG): GNU's "Can't create file X : File name too long".
        string tooLong = new('x', 300);
        yield return P("patch -o NAME too long", applies, "-o", tooLong, "-i", "p.diff");
        yield return P("patch -r NAME too long", fails, "-r", tooLong, "-i", "p.diff");
        // A file where a folder on the way should be (ENOTDIR): GNU's open through the folders of a relative name
        // says "Too many levels of symbolic links"; a patch file there or a folder is read as GNU's open and read fail.
        var fileOnTheWay = F(("g", "a\n"), ("h", "x\n"), ("p.diff", "--- g\n+++ g\n@@ -1 +1 @@\n-a\n+b\n"));
        var failsOnTheWay = F(("g", "a\n"), ("h", "x\n"), ("p.diff", "--- g\n+++ g\n@@ -1 +1 @@\n-x\n+b\n"));
        yield return P("patch -o NAME under a file", fileOnTheWay, "-o", "h/x", "-i", "p.diff");
        yield return P("patch -o NAME two folders under a file", fileOnTheWay, "-o", "h/y/x", "-i", "p.diff");
        yield return P("patch -r NAME under a file", failsOnTheWay, "-r", "h/x", "-i", "p.diff");
        yield return P("patch -b -B PREFIX under a file", fileOnTheWay, "-b", "-B", "h/", "-i", "p.diff");
        yield return P("patch -i NAME under a file", fileOnTheWay, "-i", "h/x");
        yield return P("patch -i FOLDER", fileOnTheWay, "-i", "d") with { Dirs = ["d"] };
        yield return P("patch -b creating a file, backup name a folder", F(("p.diff", "--- /dev/null\n+++ g\n@@ -0,0 +1 @@\n+b\n")), "-b", "-i", "p.diff") with { Dirs = ["g.orig"] };

        // The default reject file's name is a folder: GNU's rename of its temporary reject file over it fails, and its
        // words name that temporary file (six random characters, compared as such; the drop-in said "permission denied"
        // with the folder's full path).
        var rejectFolder = F(("f", "a\n"), ("f.rej/x", "x\n"), ("d/g", "a\n"), ("d/g.rej/x", "x\n"), ("p.diff", "--- f\n+++ f\n@@ -1 +1 @@\n-b\n+c\n"), ("q.diff", "--- d/g\n+++ d/g\n@@ -1 +1 @@\n-b\n+c\n"));
        yield return P("patch, default reject file name a folder", rejectFolder, "-i", "p.diff") with { StderrView = TemporaryNames };
        yield return P("patch, default reject file name a folder in a folder", rejectFolder, "-i", "q.diff") with { StderrView = TemporaryNames };
    }

    private static IEnumerable<CompatRow> Gnu34cDiffRows()
    {
        // An ed script of folders (random diff seed 12199): the walk's error for a dangling link comes where the walk
        // meets it, before the "No newline at end of file" of a pair after it (the drop-in put the walk's errors last).
        var tree = F(("x/a", "a\n"), ("y/a", "b"), ("y/.h", string.Empty), ("x/m", "m\n"), ("y/m", "m"), ("x/z", "z\n"), ("y/z", "Z\n"));
        (string, string)[] links = [("x/.h", "nowhere"), ("y/n", "nowhere")];
        yield return D("diff -r -e, a dangling link before a pair without newline", tree, "-r", "-e", "x", "y") with { Links = links };
        yield return D("diff -r -f, a dangling link before a pair without newline", tree, "-r", "-f", "x", "y") with { Links = links };
        yield return D("diff -r -e, reversed, a dangling link before a pair without newline", tree, "-r", "-e", "y", "x") with { Links = links };
    }

    /// <summary>Standard error with GNU's random temporary reject file names (<c>NAME.rXXXXXX</c>) made one.</summary>
    private static string TemporaryNames(string stderr) =>
        System.Text.RegularExpressions.Regex.Replace(stderr, @"\.r[A-Za-z0-9]{6} to ", ".rXXXXXX to ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
