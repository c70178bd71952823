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
    private static string HelpOptions(string stdout) => HelpOptions(stdout, []);

    /// <summary>diff's: also without the options GNU diff takes but leaves out of its --help (obsolete or kept for
    /// old scripts), which PatchKit's --help lists.</summary>
    private static string DiffHelpOptions(string stdout) => HelpOptions(stdout, ["-f", "--forward-ed", "--inhibit-hunk-merge", "-H", "-L", "-P"]);

    private static string HelpOptions(string stdout, string[] unlistedByGnu)
    {
        string[] extensions = ["--explain-failures", "--debug", "-x", "-h", "--follow-symlinks", "--algorithm", "--git", "--full-index", "--binary", .. unlistedByGnu];
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

        // Long option names (the rows above mostly use the short ones).
        yield return P("patch --remove-empty-files", F(("e", "a\nb\n"), ("p.diff", Empties)), "--remove-empty-files", "--input=p.diff");
        yield return P("patch --backup --prefix", F(("f", Ten), ("p.diff", Uni)), "--backup", "--prefix=old/", "--input", "p.diff") with { Dirs = ["old"] };
        yield return P("patch --backup --basename-prefix", F(("f", Ten), ("p.diff", Uni)), "--backup", "--basename-prefix=bk_", "-i", "p.diff");
        yield return P("patch --backup-if-mismatch on a fuzzed hunk", F(("f", Ten.Replace("l7", "q7", StringComparison.Ordinal)), ("p.diff", Uni)), "--backup-if-mismatch", "-i", "p.diff");
        yield return P("patch --no-backup-if-mismatch on a fuzzed hunk", F(("f", Ten.Replace("l7", "q7", StringComparison.Ordinal)), ("p.diff", Uni)), "--no-backup-if-mismatch", "-i", "p.diff");
        yield return P("patch --output", F(("f", Ten), ("p.diff", Uni)), "--output=out", "-i", "p.diff");
        yield return P("patch -o FILE, two files into one", F(("f", Ten), ("g", Ten), ("p.diff", Uni + Uni.Replace("f\n", "g\n", StringComparison.Ordinal))), "-o", "out", "-i", "p.diff");
        yield return P("patch -o -, two files", F(("f", Ten), ("g", Ten), ("p.diff", Uni + Uni.Replace("f\n", "g\n", StringComparison.Ordinal))), "-o", "-", "-i", "p.diff");
        yield return P("patch --reject-file, two files", F(("f", Ten), ("g", Ten), ("p.diff", Fails + Fails.Replace("f\n", "g\n", StringComparison.Ordinal))), "--reject-file=all.rej", "-i", "p.diff");
        yield return P("patch --ifdef", F(("f", Ten), ("p.diff", Uni)), "--ifdef=FOO", "-i", "p.diff");
        yield return P("patch --ed", F(("f", Ten), ("p.diff", Ed)), "--ed", "f", "p.diff");
        yield return P("patch --normal", F(("f", Ten), ("p.diff", Normal)), "--normal", "f", "p.diff");
        yield return P("patch -c on a context diff", F(("f", Ten), ("p.diff", Context)), "-c", "-i", "p.diff");
        yield return P("patch --context on a context diff", F(("f", Ten), ("p.diff", Context)), "--context", "-i", "p.diff");
        yield return P("patch -u on a unified diff", F(("f", Ten), ("p.diff", Uni)), "-u", "-i", "p.diff");
        yield return P("patch --unified on a unified diff", F(("f", Ten), ("p.diff", Uni)), "--unified", "-i", "p.diff");
        yield return P("patch --directory", F(("sub/f", Ten), ("p.diff", Uni)), "--directory=sub", "-i", "../p.diff");
        yield return P("patch --fuzz=0", F(("f", Ten.Replace("l7", "q7", StringComparison.Ordinal)), ("p.diff", Uni)), "--fuzz=0", "-i", "p.diff");
        yield return P("patch --ignore-whitespace", F(("f", Ten.Replace("l4", "l4  ", StringComparison.Ordinal)), ("p.diff", Uni)), "--ignore-whitespace", "-i", "p.diff");
        yield return P("patch --reverse", F(("f", TenMod), ("p.diff", Uni)), "--reverse", "-i", "p.diff");
        yield return P("patch --silent", F(("f", Ten), ("p.diff", Fails)), "--silent", "-i", "p.diff");
        yield return P("patch --quiet", F(("f", Ten), ("p.diff", Fails)), "--quiet", "-i", "p.diff");
        yield return P("patch --set-utc", F(("f", Ten), ("p.diff", Dated)), "--set-utc", "-i", "p.diff") with { Times = true };
        yield return P("patch --set-time", F(("f", Ten), ("p.diff", Dated)), "--set-time", "-i", "p.diff") with { Times = true };
        yield return P("patch --batch, file missing", F(("p.diff", Uni)), "--batch", "-i", "p.diff");
        yield return P("patch --force, file missing", F(("p.diff", Uni)), "--force", "-i", "p.diff");

        // Context diffs in the old style (ranges without the trailing stars and dashes), and with both sides given in full.
        const string OldStyle = "*** f\n--- f\n***************\n*** 3,7\n  l3\n  l4\n! l5\n  l6\n  l7\n--- 3,7\n  l3\n  l4\n! L5\n  l6\n  l7\n";
        yield return P("patch old-style context diff", F(("f", Ten), ("p.diff", OldStyle)), "-i", "p.diff");
        yield return P("patch old-style context diff --verbose", F(("f", Ten), ("p.diff", OldStyle)), "--verbose", "-i", "p.diff");
        yield return P("patch context diff adding and removing lines", F(("f", Ten), ("p.diff", "*** f\n--- f\n***************\n*** 3,6 ****\n  l3\n- l4\n  l5\n  l6\n--- 3,7 ----\n  l3\n  l5\n+ new\n+ new2\n  l6\n")), "-i", "p.diff");

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

        // Long option names.
        var ab = F(("a", Ten), ("b", TenMod));
        var ws = F(("a", "Hello  world\n\n\tx \n# c1\n"), ("b", "hello world\n        x\n# c2\n"));
        yield return D("diff --brief", ab, "--brief", "a", "b");
        yield return D("diff --report-identical-files", F(("a", Ten), ("b", Ten)), "--report-identical-files", "a", "b");
        yield return D("diff --context=1", ab, "--context=1", "a", "b");
        yield return D("diff --unified=1", ab, "--unified=1", "a", "b");
        yield return D("diff --ed", ab, "--ed", "a", "b");
        yield return D("diff --rcs", ab, "--rcs", "a", "b");
        yield return D("diff --normal", ab, "--normal", "a", "b");
        yield return D("diff --side-by-side --width=50", ab, "--side-by-side", "--width=50", "a", "b");
        yield return D("diff --text", F(("a", "x\0y\n"), ("b", "x\0z\n")), "--text", "a", "b");
        yield return D("diff --ignore-case --ignore-space-change --ignore-blank-lines", ws, "--ignore-case", "--ignore-space-change", "--ignore-blank-lines", "a", "b");
        yield return D("diff --ignore-all-space --ignore-matching-lines", ws, "--ignore-all-space", "--ignore-matching-lines=^#", "a", "b");
        yield return D("diff --ignore-tab-expansion --ignore-trailing-space", ws, "--ignore-tab-expansion", "--ignore-trailing-space", "a", "b");
        yield return D("diff --expand-tabs", F(("a", "a\tb\n"), ("b", "c\tb\n")), "--expand-tabs", "a", "b");
        yield return D("diff --initial-tab", F(("a", "a\tb\n"), ("b", "c\tb\n")), "--initial-tab", "a", "b");
        yield return D("diff --tabsize=4 -t", F(("a", "a\tb\n"), ("b", "c\tb\n")), "--tabsize=4", "-t", "a", "b");
        yield return D("diff --tabsize=4 -y", F(("a", "a\tb\n"), ("b", "c\tb\n")), "--tabsize=4", "-y", "a", "b");
        yield return D("diff --show-c-function", F(("a", "int f()\n{\n  a;\n  b;\n  c;\n  d;\n}\n"), ("b", "int f()\n{\n  a;\n  b;\n  c;\n  D;\n}\n")), "-u", "--show-c-function", "a", "b");
        yield return D("diff --show-function-line", F(("a", "int f()\n{\n  a;\n  b;\n  c;\n  d;\n}\n"), ("b", "int f()\n{\n  a;\n  b;\n  c;\n  D;\n}\n")), "-c", "--show-function-line=^int", "a", "b");
        yield return D("diff --minimal", ab, "--minimal", "a", "b");
        yield return D("diff -d", ab, "-d", "a", "b");
        yield return D("diff --label twice -c", ab, "-c", "--label=old", "--label=new", "a", "b");
        var named = F(("x/a", Ten), ("y/a", TenMod), ("x/only", "1\n"), ("x/d/e", "e\n"), ("y/d/e", "E\n"), ("x/skip.o", "o\n"), ("y/skip.o", "p\n"));
        yield return D("diff --recursive --new-file", named, "--recursive", "--new-file", "x", "y");
        yield return D("diff -r --exclude --starting-file", named, "-r", "--exclude=*.o", "--starting-file=d", "x", "y");
        yield return D("diff -r --exclude-from", F([.. named, ("ex", "*.o\n")]), "-r", "--exclude-from=ex", "x", "y");
        yield return D("diff -r, a folder against a file of the same name", F(("x/a/in", "1\n"), ("y/a", "2\n")), "-r", "x", "y");
        yield return D("diff -r, a file against a folder of the same name", F(("x/a", "1\n"), ("y/a/in", "2\n")), "-r", "x", "y");
        yield return D("diff -r, symbolic links followed", F(("x/t", "1\n"), ("y/t", "2\n")), "-r", "x", "y") with { Links = [("x/l", "t"), ("y/l", "t")] };
        yield return D("diff -r --no-dereference, symbolic links", F(("x/t", "1\n"), ("y/t", "2\n"), ("y/u", "3\n")), "-r", "--no-dereference", "x", "y") with { Links = [("x/l", "t"), ("y/l", "u"), ("x/same", "t"), ("y/same", "t")] };
        yield return D("diff -r --no-dereference, a link against a file", F(("x/t", "1\n"), ("y/t", "1\n"), ("y/l", "1\n")), "-r", "--no-dereference", "x", "y") with { Links = [("x/l", "t")] };
        yield return D("diff reads standard input as new", ab, "a", "-") with { StdinFile = "b" };
        yield return D("diff -E -Z: -Z wins, tabs not expanded", F(("a", "A\n\tx \nB\n"), ("b", "A\n        x\nB\n")), "-E", "-Z", "a", "b");
        yield return D("diff -Z -E on a tab", F(("a", "A\n\tx\nB\n"), ("b", "A\n        x\nB\n")), "-Z", "-E", "a", "b");
        yield return D("diff a folder against standard input", F(("a", Ten), ("y/a", TenMod)), "y", "-") with { StdinFile = "a" };
        yield return D("diff standard input against a folder", F(("a", Ten), ("y/a", TenMod)), "-", "y") with { StdinFile = "a" };
        yield return D("diff exit 2 on a missing file among folders", F(("x/a", Ten)), "-r", "x", "nope");

        // Options GNU diff takes that change nothing here.
        yield return D("diff -h is ignored", F(("a", Ten), ("b", TenMod)), "-h", "a", "b");
        yield return D("diff --horizon-lines", F(("a", Ten), ("b", TenMod)), "--horizon-lines=5", "-u", "a", "b");
        yield return D("diff --speed-large-files", F(("a", Ten), ("b", TenMod)), "--speed-large-files", "a", "b");

        yield return D("diff --version", F(), "--version") with { StdoutView = FirstLine };
        yield return D("diff -v", F(), "-v") with { StdoutView = FirstLine };
        yield return D("diff --vers abbreviation, then a bad option", F(), "--vers", "--bogus") with { StdoutView = FirstLine };
        yield return D("diff a bad option, then --version", F(), "--bogus", "--version");
        yield return D("diff --help", F(), "--help") with { StdoutView = DiffHelpOptions };

        yield return D("diff output to a file", F(("a", Ten), ("b", TenMod)), "-u", "a", "b") with { OutputFile = "log" };
        yield return D("diff output to a file, -r with an error", F(("x/a", Ten), ("y/a", TenMod), ("x/b", "1\n"), ("y/b", "1\n")), "-r", "x", "y") with { OutputFile = "log", Links = [("x/c", "nowhere"), ("y/c", "nowhere")] };
    }
}
