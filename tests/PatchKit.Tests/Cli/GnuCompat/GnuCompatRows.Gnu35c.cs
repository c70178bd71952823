namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized patch comparison found in seeds 10501–12500 and the randomized diff comparison in
/// seeds 13601–15600, and errors GNU reports in its own words.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu35cPatchRows()
    {
        // A name the file system takes but not with the 8 characters GNU's temporary output file adds (NAME.oXXXXXX,
        // made before it says "patching file"): GNU stops with "Can't create temporary file ./NAME.oXXXXXX : File name
        // too long" (random letters, compared as such); the drop-in said "patching file" then .NET's "the path ... is
        // too long", or wrote -o FILE.
        string longName = new('n', 250);
        var create = F(("p.diff", $"--- /dev/null\n+++ {longName}\n@@ -0,0 +1 @@\n+b\n"));
        yield return P("patch creating a file, name too long for the temporary file", create, "-i", "p.diff") with { StderrView = TemporaryOutputNames };
        yield return P("patch --dry-run creating a file, name too long for the temporary file", create, "--dry-run", "-i", "p.diff") with { StderrView = TemporaryOutputNames };
        var change = F((longName, "a\n"), ($"d/{longName}", "a\n"), ("p.diff", $"--- {longName}\n+++ {longName}\n@@ -1 +1 @@\n-a\n+b\n"), ("q.diff", $"--- d/{longName}\n+++ d/{longName}\n@@ -1 +1 @@\n-a\n+b\n"));
        yield return P("patch a file, name too long for the temporary file", change, "-i", "p.diff") with { StderrView = TemporaryOutputNames };
        yield return P("patch -p0 a file in a folder, name too long for the temporary file", change, "-p0", "-i", "q.diff") with { StderrView = TemporaryOutputNames };
        var applies = F(("f", "a\n"), ("g", "a\n"), ("p.diff", "--- f\n+++ f\n@@ -1 +1 @@\n-a\n+b\n--- g\n+++ g\n@@ -1 +1 @@\n-a\n+c\n"));
        yield return P("patch -o NAME too long for the temporary file", applies, "-o", longName, "-i", "p.diff") with { StderrView = TemporaryOutputNames };
        yield return P("patch -o NAME too long for the temporary file, in a folder", applies, "-o", $"d/{longName}", "-i", "p.diff") with { Dirs = ["d"], StderrView = TemporaryOutputNames };

        // A plain diff right after a git binary patch, without a "diff --git" line of its own (random patch seed
        // 11539, a dropped line): GNU's binary diff ends with its data, and the "---"/"+++" pair is the next file's
        // (as git apply reads it too); the drop-in took the pair for the binary file's names, and the git header's
        // "new file mode" for the plain diff's.
        const string Binary = "diff --git a/b b/b\nnew file mode 100644\nindex 0000000..e69de29\nGIT binary patch\nliteral 0\nHcmV?d00001\n\nliteral 0\nHcmV?d00001\n\n";
        const string Plain = "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n";
        var afterBinary = F(("f", "a\n"), ("p.diff", Binary + Plain), ("q.diff", Binary + "index 1111111..2222222 100644\n" + Plain));
        yield return P("patch, a plain diff right after a git binary patch", afterBinary, "-p1", "-i", "p.diff");
        yield return P("patch, a plain diff after a git binary patch and an index line", afterBinary, "-p1", "-i", "q.diff");
        yield return P("patch --dry-run, a plain diff right after a git binary patch", afterBinary, "--dry-run", "-p1", "-i", "p.diff");

        // Blanks alone after a header's name (random patch seed 11683: git's "--- a/my file\t" for a name with blanks
        // in it): GNU's date parser reads them as the start of today, so -Z/-T find a "time mismatch" (and -f sets the
        // file's time to midnight); the drop-in saw no time and said nothing.
        (string, string)[] oldTime = [("f", "@946684800")];
        (string, string)[] newYork = [("TZ", "America/New_York")];
        var blankStamps = F(("f", "a\n"), ("my f", "a\n"), ("p.diff", "--- f\t\n+++ f\t\n@@ -1 +1 @@\n-a\n+b\n"), ("q.diff", "--- f \n+++ f \n@@ -1 +1 @@\n-a\n+b\n"), ("g.diff", "diff --git a/my f b/my f\nindex 1111111..2222222 100644\n--- a/my f\t\n+++ b/my f\t\n@@ -1 +1 @@\n-a\n+b\n"));
        yield return P("patch -Z, headers with a tab and no time", blankStamps, "-Z", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -Z -f, headers with a tab and no time", blankStamps, "-Z", "-f", "-i", "p.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -T -f, New York time, headers with a tab and no time", blankStamps, "-T", "-f", "-i", "p.diff") with { Times = true, Stamps = oldTime, Env = newYork };
        yield return P("patch -Z, headers with a space after the name", blankStamps, "-Z", "-i", "q.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -R -Z -f, headers with a space after the name", F(("f", "b\n"), ("q.diff", "--- f \n+++ f \n@@ -1 +1 @@\n-a\n+b\n")), "-R", "-Z", "-f", "-i", "q.diff") with { Times = true, Stamps = oldTime };
        yield return P("patch -Z git diff, a name with blanks and a tab after it", blankStamps, "-Z", "-p1", "-i", "g.diff") with { Times = true, Stamps = [("my f", "@946684800")] };

        // A write past the process's file size limit (ulimit -f, SIGXFSZ ignored): GNU's "write error : File too
        // large" when a patched file's temporary file or -o FILE is written (-o: at the end, the output cut at the
        // limit); the drop-in said "Can't write file NAME.oXXXXXX : File too large." or .NET's words. (.NET starts
        // under that limit only without its W^X double mapping.)
        string big = string.Concat(Enumerable.Range(0, 40).Select(i => $"line {i:D3} of the second file, long enough\n"));
        var sizes = F(("f", "a\n"), ("g", big), ("p.diff", $"--- f\n+++ f\n@@ -1 +1 @@\n-a\n+b\n--- g\n+++ g\n@@ -1 +1 @@\n-line 000 of the second file, long enough\n+first\n--- f\n+++ f\n@@ -1 +1 @@\n-b\n+c\n"));
        (string, string)[] noDoubleMapping = [("DOTNET_EnableWriteXorExecute", "0")];
        const string SizeLimit = "trap '' XFSZ; ulimit -f 1";
        yield return P("patch, a file past the file size limit", sizes, "-i", "p.diff") with { Env = noDoubleMapping, Prelude = SizeLimit };
        yield return P("patch -o FILE past the file size limit", sizes, "-o", "out", "-i", "p.diff") with { Env = noDoubleMapping, Prelude = SizeLimit };

        // GNU's "(Stripping trailing CRs from patch; use --binary to disable.)" comes as it reads the file's header, after
        // its questions about the file's existence: before "can't find file to patch", "not a regular file" and the like
        // (the drop-in said it only once the file was found).
        const string CrLf = "--- f\r\n+++ f\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n";
        yield return P("patch CRLF, file missing", F(("p.diff", CrLf)), "-i", "p.diff");
        yield return P("patch CRLF -f, file missing", F(("p.diff", CrLf)), "-f", "-i", "p.diff");
        yield return P("patch CRLF --verbose -t, file missing", F(("p.diff", CrLf)), "--verbose", "-t", "-i", "p.diff");
        yield return P("patch CRLF -s -f, file missing", F(("p.diff", CrLf)), "-s", "-f", "-i", "p.diff");
        const string CrLfContext = "text\r\n*** f\r\n--- f\r\n***************\r\n*** 1 ****\r\n! a\r\n--- 1 ----\r\n! b\r\n";
        yield return P("patch CRLF --verbose, context diff after text", F(("f", "a\n"), ("p.diff", CrLfContext)), "--verbose", "-i", "p.diff");
        yield return P("patch CRLF --verbose -f, context diff, file missing", F(("p.diff", CrLfContext)), "--verbose", "-f", "-i", "p.diff");
        yield return P("patch CRLF, a folder", F(("p.diff", CrLf)), "-i", "p.diff") with { Dirs = ["f"] };
        yield return P("patch CRLF, creating a file that exists, -f", F(("f", "b\r\n"), ("p.diff", "--- /dev/null\r\n+++ f\r\n@@ -0,0 +1 @@\r\n+b\r\n")), "-f", "-i", "p.diff");
        yield return P("patch CRLF ORIGFILE missing", F(("p.diff", CrLf)), "g", "p.diff");
        // A failed hunk without old lines on a CRLF file: GNU's check_line_endings looks at the new-section line it wrote
        // itself for a unified or normal diff's hunk (no CR), so "(different line endings)" (the drop-in said nothing).
        yield return P("patch -f creating a CRLF file that exists", F(("f", "b\r\n"), ("p.diff", "--- /dev/null\n+++ f\n@@ -0,0 +1 @@\n+b\n")), "-f", "-i", "p.diff");
        yield return P("patch an addition failing on a CRLF file", F(("f", "a\r\nb\r\n"), ("p.diff", "--- f\n+++ f\n@@ -5,0 +6 @@\n+c\n")), "-i", "p.diff");
        yield return P("patch -n an addition failing on a CRLF file", F(("f", "a\r\nb\r\n"), ("p.diff", "5a6\n> c\n")), "-n", "f", "p.diff");
        yield return P("patch CRLF, file missing, then one there", F(("g", "a\n"), ("p.diff", CrLf + CrLf.Replace('f', 'g'))), "-f", "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu35cDiffRows()
    {
        yield break;
    }

    /// <summary>Standard error with GNU's random temporary output file names (<c>NAME.oXXXXXX</c>) made one.</summary>
    private static string TemporaryOutputNames(string stderr) =>
        System.Text.RegularExpressions.Regex.Replace(stderr, @"\.o[A-Za-z0-9]{6} : ", ".oXXXXXX : ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
