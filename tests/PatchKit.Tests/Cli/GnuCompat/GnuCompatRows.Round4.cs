namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for GNU's reading of a first hunk that leaves no lines, the questions' answers under -N and -s,
/// deletions and -E when hunks fail, <c>diff -y</c>/<c>-s</c> on folders (identical pairs), <c>--version</c> and
/// <c>--help</c>, and output redirected to a file.</summary>
internal static partial class GnuCompatRows
{
    /// <summary>What a script reads from <c>--version</c>: its first line (the lines after it say what PatchKit is;
    /// docs/gnu-compat.md).</summary>
    private static string FirstLine(string stdout) => stdout.Split('\n')[0] + "\n";

    /// <summary>What a script reads from <c>--help</c>: the usage line and the options named (GNU's grouping
    /// <c>--GTYPE-group-format</c>/<c>--LTYPE-line-format</c> spelled out), less PatchKit's own extensions; the
    /// descriptions are PatchKit's words (docs/gnu-compat.md).</summary>
    private static string HelpOptions(string stdout)
    {
        string[] extensions = ["--explain-failures", "--debug", "-x", "-h", "--follow-symlinks", "--algorithm", "--git", "--full-index", "--binary"];
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(stdout, @"(?<=^|[ ,\[])--?[a-zA-Z][-a-zA-Z0-9]*", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            string n = m.Value;
            IEnumerable<string> spelled = n switch
            {
                "--GTYPE-group-format" => ["--old-group-format", "--new-group-format", "--changed-group-format", "--unchanged-group-format"],
                "--LTYPE-line-format" => ["--old-line-format", "--new-line-format", "--unchanged-line-format"],
                _ => [n],
            };
            names.UnionWith(spelled.Where(s => !extensions.Contains(s)));
        }

        // --binary is GNU patch's option too (PatchKit's diff adds one of its own).
        return FirstLine(stdout) + string.Join(' ', names) + "\n";
    }

    private static IEnumerable<CompatRow> Round4PatchRows()
    {
        // A first hunk whose new side is "+0,0" (diff -U0 removing a file's first lines): GNU takes the patch for a
        // deletion, so a missing file is questioned as one ("would delete the file") and an empty one as one that
        // "would empty out" the file.
        const string LeavesNone = "--- f\n+++ f\n@@ -1,2 +0,0 @@\n-l1\n-l2\n";
        const string LeavesNoneTwo = "--- f\n+++ f\n@@ -1,2 +0,0 @@\n-l1\n-l2\n@@ -5 +3 @@\n-l5\n+L5\n";
        const string LeavesNoneContext = "*** f\n--- f\n***************\n*** 1,2 ****\n- l1\n- l2\n--- 0 ----\n";
        var missing = F(("p.diff", LeavesNone));
        yield return P("patch first hunk leaves no lines, file missing", missing, "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file missing -t", missing, "-t", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file missing -f", missing, "-f", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file missing -N", missing, "-N", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file missing -s", missing, "-s", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file missing -s -f", missing, "-s", "-f", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file missing -f --no-backup-if-mismatch", missing, "-f", "--no-backup-if-mismatch", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file missing -f --dry-run", missing, "-f", "--dry-run", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file missing, -p1", F(("p.diff", LeavesNone.Replace("--- f\n+++ f", "--- a/f\n+++ b/f", StringComparison.Ordinal))), "-p1", "-t", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, two hunks, file missing -t", F(("p.diff", LeavesNoneTwo)), "-t", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, two hunks, file missing -f", F(("p.diff", LeavesNoneTwo)), "-f", "-i", "p.diff");
        yield return P("patch context diff first hunk leaves no lines, file missing", F(("p.diff", LeavesNoneContext)), "-i", "p.diff");
        yield return P("patch context diff first hunk leaves no lines, file missing -t", F(("p.diff", LeavesNoneContext)), "-t", "-i", "p.diff");
        yield return P("patch context diff first hunk leaves no lines, file missing -f", F(("p.diff", LeavesNoneContext)), "-f", "-i", "p.diff");
        yield return P("terminal: first hunk leaves no lines, file missing, y", missing, "-i", "p.diff") with { Terminal = ["y"] };
        yield return P("terminal: first hunk leaves no lines, file missing, n y", missing, "-i", "p.diff") with { Terminal = ["n", "y"] };
        yield return P("terminal: first hunk leaves no lines, file missing, n n", missing, "-i", "p.diff") with { Terminal = ["n", "n"] };
        var empty = F(("f", string.Empty), ("p.diff", LeavesNone));
        yield return P("patch first hunk leaves no lines, file empty", empty, "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file empty -t", empty, "-t", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file empty -f", empty, "-f", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file empty -N", empty, "-N", "-i", "p.diff");
        yield return P("patch first hunk leaves no lines, file empty -s -f", empty, "-s", "-f", "-i", "p.diff");
        yield return P("terminal: first hunk leaves no lines, file empty, y", empty, "-i", "p.diff") with { Terminal = ["y"] };

        // The questions' answers as GNU's ok_to_reverse gives them: -N skips, -f under -s says nothing, -s drops
        // "Skipping patch.".
        yield return P("patch deletes a missing file -N", F(("p.diff", Delete)), "-N", "-i", "p.diff");
        yield return P("patch deletes a missing file -f", F(("p.diff", Delete)), "-f", "-i", "p.diff");
        yield return P("patch deletes a missing file -s -f", F(("p.diff", Delete)), "-s", "-f", "-i", "p.diff");
        yield return P("patch deletes a missing file -s", F(("p.diff", Delete)), "-s", "-i", "p.diff");
        yield return P("patch deletes an empty file -f", F(("f", string.Empty), ("p.diff", Delete)), "-f", "-i", "p.diff");
        yield return P("patch create over an existing file -N", F(("n", "other\n"), ("p.diff", Create)), "-N", "-i", "p.diff");
        yield return P("patch create over an existing file -s -f", F(("n", "other\n"), ("p.diff", Create)), "-s", "-f", "-i", "p.diff");
        yield return P("patch create over an existing file -s", F(("n", "other\n"), ("p.diff", Create)), "-s", "-i", "p.diff");

        // A hunk that fails does not stop GNU from removing a file the others emptied (deletion, -E), nor from
        // saying a deletion left lines; a creation with a failing hunk leaves an empty backup.
        const string EmptiedThenFails = "--- e\n+++ e\n@@ -1,2 +0,0 @@\n-a\n-b\n@@ -5,1 +3,1 @@\n-zz\n+yy\n";
        yield return P("patch -E with a failing hunk removes the emptied file", F(("e", "a\nb\n"), ("p.diff", EmptiedThenFails)), "-E", "-i", "p.diff");
        yield return P("patch deletion with a failing hunk removes the emptied file", F(("e", "a\nb\n"), ("p.diff", EmptiedThenFails.Replace("+++ e", "+++ /dev/null", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch deletion with a failing hunk leaving lines", F(("e", "a\nb\nc\n"), ("p.diff", EmptiedThenFails.Replace("+++ e", "+++ /dev/null", StringComparison.Ordinal))), "-i", "p.diff");
        yield return P("patch creation with a failing hunk: empty backup", F(("p.diff", Create + "@@ -5 +6 @@\n-x\n+y\n")), "-i", "p.diff");

        // --version and --help: what a script reads (the first line of --version; the usage line and option names of
        // --help), GNU's getopt order (the first of them wins over a bad option after it).
        yield return P("patch --version", F(), "--version") with { StdoutView = FirstLine };
        yield return P("patch -v", F(), "-v") with { StdoutView = FirstLine };
        yield return P("patch --version, then a bad option", F(), "--version", "--bogus") with { StdoutView = FirstLine };
        yield return P("patch a bad option, then --version", F(), "--bogus", "--version");
        yield return P("patch -p1 -v", F(), "-p1", "-v") with { StdoutView = FirstLine };
        yield return P("patch --help", F(), "--help") with { StdoutView = HelpOptions };
        yield return P("patch --he abbreviation, then a bad option", F(), "--he", "--bogus") with { StdoutView = HelpOptions };

        // Standard output and error redirected to one file, with the shell writing before and after.
        yield return P("patch output to a file, with an error", F(("p.diff", TwoHunks)), "nope", "p.diff") with { OutputFile = "log" };
        yield return P("patch output to a file, failing hunk", F(("f", Ten), ("p.diff", Fails)), "-i", "p.diff") with { OutputFile = "log" };
    }

    private static IEnumerable<CompatRow> Round4DiffRows()
    {
        // Identical pairs in folders: -y shows each side by side under its "diff …" line (also two empty files,
        // not binary ones), -s reports each, in the order of the walk.
        var trees = F(("x/same", "s\n"), ("y/same", "s\n"), ("x/mod", "a\nb\n"), ("y/mod", "a\nc\n"), ("x/onlyx", "1\n"), ("y/onlyy", "2\n"),
            ("x/sub/deep", "d\n"), ("y/sub/deep", "d\n"), ("x/tab", "a\tb\n"), ("y/tab", "a\tb\n"), ("x/bin", "x\0y"), ("y/bin", "x\0y"),
            ("x/empty", string.Empty), ("y/empty", string.Empty), ("x/ws", "a b\n"), ("y/ws", "ab\n"));
        yield return D("diff -y -r on folders with identical pairs", trees, "-y", "-r", "x", "y");
        yield return D("diff -y on folders with identical pairs, no -r", trees, "-y", "x", "y");
        yield return D("diff -y -r --suppress-common-lines, identical pairs", trees, "-y", "-r", "--suppress-common-lines", "x", "y");
        yield return D("diff -y -r --left-column, identical pairs", trees, "-y", "-r", "--left-column", "x", "y");
        yield return D("diff -y -r -W 40 -w, identical pairs", trees, "-y", "-r", "-W", "40", "-w", "x", "y");
        yield return D("diff -y -r -x, identical pairs", trees, "-y", "-r", "-x", "same", "x", "y");
        yield return D("diff -y -r -S, identical pairs", trees, "-y", "-r", "-S", "same", "x", "y");
        yield return D("diff -y -r -s", trees, "-y", "-r", "-s", "x", "y");
        yield return D("diff -rs", trees, "-rs", "x", "y");
        yield return D("diff -rsu", trees, "-rsu", "x", "y");
        yield return D("diff -rqs", trees, "-rqs", "x", "y");
        yield return D("diff -rs -w", trees, "-rs", "-w", "x", "y");
        yield return D("diff -rs -N", trees, "-rs", "-N", "x", "y");
        yield return D("diff -s on folders", trees, "-s", "x", "y");
        yield return D("diff -s on identical binary files", F(("a", "x\0y"), ("b", "x\0y")), "-s", "a", "b");

        // Options GNU diff takes that change nothing here.
        yield return D("diff -h is ignored", F(("a", Ten), ("b", TenMod)), "-h", "a", "b");
        yield return D("diff --horizon-lines", F(("a", Ten), ("b", TenMod)), "--horizon-lines=5", "-u", "a", "b");
        yield return D("diff --speed-large-files", F(("a", Ten), ("b", TenMod)), "--speed-large-files", "a", "b");

        yield return D("diff --version", F(), "--version") with { StdoutView = FirstLine };
        yield return D("diff -v", F(), "-v") with { StdoutView = FirstLine };
        yield return D("diff --vers abbreviation, then a bad option", F(), "--vers", "--bogus") with { StdoutView = FirstLine };
        yield return D("diff a bad option, then --version", F(), "--bogus", "--version");
        yield return D("diff --help", F(), "--help") with { StdoutView = HelpOptions };

        yield return D("diff output to a file", F(("a", Ten), ("b", TenMod)), "-u", "a", "b") with { OutputFile = "log" };
        yield return D("diff output to a file, -r with an error", F(("x/a", Ten), ("y/a", TenMod), ("x/b", "1\n"), ("y/b", "1\n")), "-r", "x", "y") with { OutputFile = "log", Links = [("x/c", "nowhere"), ("y/c", "nowhere")] };
    }
}
