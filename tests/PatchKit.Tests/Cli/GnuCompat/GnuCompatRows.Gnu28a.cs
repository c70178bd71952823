namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for patch input GNU reads its own way: a short unified hunk read on into the next file's
/// <c>---</c>/<c>+++</c> lines (the lone <c>+++</c> then names the next file), <c>-n</c>/<c>-e</c>/<c>-c</c> forced on a
/// unified diff (an indented context line read as an ed command), option errors in GNU's getopt order, and hunk line
/// numbers too large to hold.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu28aPatchRows()
    {
        // A short hunk (its header counts one new line less): "--- g" is its last old line, and "+++ g" alone names the
        // next file.
        const string Short = "--- f\n+++ f\n@@ -1,3 +1,2 @@\n l1\n-l2\n+L2\n";
        const string G = "--- g\n+++ g\n@@ -1,2 +1,2 @@\n-l1\n+L1\n l2\n";
        yield return P("patch short hunk read on into the next header", Three(Short + G), "-i", "p.diff");
        yield return P("patch short hunk read on into the next header, --verbose", Three(Short + G), "--verbose", "-i", "p.diff");
        yield return P("patch short hunk read on into the next header, -s", Three(Short + G), "-s", "-i", "p.diff");
        yield return P("patch short hunk read on into the next header, then a third file", Three(Short + G + "--- h\n+++ h\n@@ -2 +2 @@\n-l2\n+L2\n"), "-i", "p.diff");
        yield return P("patch short hunk read on into the next header, -p1", Three(Short.Replace("f\n", "a/f\n", StringComparison.Ordinal) + G.Replace("--- g", "--- a/g", StringComparison.Ordinal).Replace("+++ g", "+++ b/g", StringComparison.Ordinal)), "-p1", "-i", "p.diff");
        yield return P("patch short hunk read on into the next header, its file missing", Three(Short + G.Replace("g\n", "nope\n", StringComparison.Ordinal)), "-t", "-i", "p.diff");
        yield return P("patch short hunk read on into the next header, --dry-run", Three(Short + G), "--dry-run", "-i", "p.diff");
        yield return P("patch short hunk read on into the next header, -R", Three(Short + G), "-R", "-f", "-i", "p.diff");
        yield return P("patch lone +++ line before a hunk, first", Three("+++ g\n@@ -1,2 +1,2 @@\n-l1\n+L1\n l2\n"), "-i", "p.diff");

        // -n/-e/-c forced on a unified diff: a context line " a" is the ed command "a" indented one space.
        const string Abc = "a\nb\nc\n";
        const string UniAbc = "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
        foreach (string forced in new[] { "-n", "-e", "-c" })
        {
            yield return P($"patch {forced} on a unified diff with a context line ed reads as a command", F(("f", Abc), ("p.diff", UniAbc)), forced, "-i", "p.diff");
            yield return P($"patch {forced} on a unified diff with a context line ed reads as a command, ORIGFILE", F(("f", Abc), ("p.diff", UniAbc)), forced, "f", "p.diff");
            yield return P($"patch {forced} on a unified diff, no line ed reads as a command", Three(Uni), forced, "-i", "p.diff");
        }

        yield return P("patch -n on a unified diff with a context line ed reads as a command, -s", F(("f", Abc), ("p.diff", UniAbc)), "-n", "-s", "-i", "p.diff");
        yield return P("patch -n on a unified diff with a context line ed reads as a command, --verbose", F(("f", Abc), ("p.diff", UniAbc)), "-n", "--verbose", "-i", "p.diff");
        yield return P("patch -n on a unified diff with a context line ed reads as a command, -o out", F(("f", Abc), ("p.diff", UniAbc)), "-n", "-o", "out", "-i", "p.diff");
        yield return P("patch -e on a unified diff with a tab-indented context line", F(("f", Abc), ("p.diff", "--- f\n+++ f\n@@ -1,3 +1,3 @@\n\td\n-b\n+B\n c\n")), "-e", "f", "p.diff");
        yield return P("patch -n on a unified diff, no line ed reads as a command, --verbose", Three(Uni), "-n", "--verbose", "-i", "p.diff");
        yield return P("patch -n on a unified diff, no line ed reads as a command, ORIGFILE", Three(Uni), "-n", "f", "p.diff");
        yield return P("patch -e on a unified diff, no line ed reads as a command, ORIGFILE", Three(Uni), "-e", "f", "p.diff");

        // Option errors: GNU's getopt loop stops at the first bad value, in the order given.
        var plain = F(("f", Ten), ("p.diff", Uni));
        yield return P("patch -F bogus, then an unknown option", plain, "-F", "bogus", "--bogus", "-i", "p.diff");
        yield return P("patch an unknown option, then -F bogus", plain, "--bogus", "-F", "bogus", "-i", "p.diff");
        yield return P("patch -d nope, then -F bogus", plain, "-d", "nope", "-F", "bogus", "-i", "p.diff");
        yield return P("patch -F bogus, then -d nope", plain, "-F", "bogus", "-d", "nope", "-i", "p.diff");
        yield return P("patch -d nope, then --version", plain, "-d", "nope", "--version");
        yield return P("patch -F bogus, then --version", plain, "-F", "bogus", "--version");
        yield return P("patch --version, then -F bogus", plain, "--version", "-F", "bogus") with { StdoutView = FirstLine };
        yield return P("patch -V bogus, then --version", plain, "-V", "bogus", "--version") with { StdoutView = FirstLine };
        yield return P("patch -z empty, then -p bogus", plain, "-z", string.Empty, "-p", "x", "-i", "p.diff");
        yield return P("patch -p bogus, then -z empty", plain, "-p", "x", "-z", string.Empty, "-i", "p.diff");
        yield return P("patch -V bogus, then -F bogus", plain, "-V", "bogus", "-F", "x", "-i", "p.diff");
        yield return P("patch -F bogus, then four operands", plain, "-F", "x", "a", "b", "c", "d");
        yield return P("patch four operands", plain, "-i", "p.diff", "x1", "x2", "x3", "x4");
        yield return P("patch -p without a value, then -F bogus", plain, "-p", "-F", "x", "-i", "p.diff");
        yield return P("patch --reject-format=bogus, then -F bogus", plain, "--reject-format=bogus", "-F", "x", "-i", "p.diff");
        yield return P("patch --quoting-style=bogus, then -F bogus", plain, "--quoting-style=bogus", "-F", "x", "-i", "p.diff");
        yield return P("patch --merge=bogus, then -F bogus", plain, "--merge=bogus", "-F", "x", "-i", "p.diff");
        yield return P("patch -d a -d b (the second from the first)", F(("a/b/f", Ten), ("a/b/p.diff", Uni)), "-d", "a", "-d", "b", "-i", "p.diff");
        yield return P("patch -d a -d nope", F(("a/b/f", Ten), ("a/b/p.diff", Uni)), "-d", "a", "-d", "nope", "-i", "p.diff");
        yield return P("patch -d naming a file", plain, "-d", "f", "-i", "p.diff");

        // Hunk line numbers too large: GNU's limit (2^63) in its words, after the files before it.
        yield return P("patch hunk line number 2^63", F(("f", Abc), ("p.diff", "--- f\n+++ f\n@@ -9223372036854775808,2 +9223372036854775808,2 @@\n a\n-b\n+B\n")), "-i", "p.diff");
        yield return P("patch hunk line number far above 2^63", F(("f", Abc), ("p.diff", "--- f\n+++ f\n@@ -99999999999999999999,2 +1,2 @@\n a\n-b\n+B\n")), "-i", "p.diff");
        yield return P("patch hunk count above 2^63", F(("f", Abc), ("p.diff", "--- f\n+++ f\n@@ -1,99999999999999999999 +1,2 @@\n a\n-b\n+B\n")), "-i", "p.diff");
        yield return P("patch hunk new line number above 2^63", F(("f", Abc), ("p.diff", "--- f\n+++ f\n@@ -1,2 +99999999999999999999,2 @@\n a\n-b\n+B\n")), "-i", "p.diff");
        yield return P("patch hunk line number above 2^63 in a later file", Three(Uni + "--- g\n+++ g\n@@ -99999999999999999999,2 +1,2 @@\n l1\n-l2\n+L2\n"), "-i", "p.diff");
        yield return P("patch hunk line number above 2^63 in a second hunk", Three("--- f\n+++ f\n@@ -1 +1 @@\n-l1\n+L1\n@@ -99999999999999999999,2 +1,2 @@\n l1\n-l2\n+L2\n"), "-i", "p.diff");
        yield return P("patch hunk line number 2^31 (GNU takes it)", F(("f", Abc), ("p.diff", "--- f\n+++ f\n@@ -2147483648,2 +2147483648,2 @@\n a\n-b\n+B\n")), "-i", "p.diff");
    }
}
