namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for what the randomized comparison with GNU diff 3.8 (<see cref="GnuDiffRandom"/>) found: option
/// conflicts and GNU's number checks, <c>-f</c>, the hidden short options, the white-space modes' precedence, labels
/// in "Binary files", ed's missing-newline error, a folder against a file with the comparison options, side by side
/// with CR, and the horizon GNU keeps at the files' ends (which changes the edit script).</summary>
internal static partial class GnuCompatRows
{
    private const string Seven = "1\n2\n3\n4\n5\n6\n.\n";
    private const string SevenMod = "1\nx\ny\n4\n6\n.\n7\n";

    /// <summary>An inserted blank line next to a blank line: GNU puts it on one side or the other depending on how many
    /// common lines it keeps at the files' ends (the context of -u/-c, or --horizon-lines).</summary>
    private const string HorizonA = "        eight\ngamma(1);\ngamma(1);\ngamma(1);\ngamma(1);\n}\n\nint main(void)\ncafe\n";
    private const string HorizonB = "        eight\ngamma(1);\ngamma(1);\nbeta;\n\ngamma(1);\ngamma(1);\n}\n\n\nint main(void)\ncafe\n";

    private static IEnumerable<CompatRow> Gnu26dDiffRows()
    {
        (string, string)[] two = F(("a", Seven), ("b", SevenMod));
        foreach (string[] args in new string[][]
        {
            ["-e", "-y"], ["-c", "-u"], ["-u", "-n"], ["-D", "X", "--normal"], ["--line-format=%L", "-y"], ["-q", "-u"], ["-u", "-U", "1"],
            ["-S", "a", "-S", "b"], ["-S", "a", "-S", "a"], ["--from-file=a", "--from-file=b"], ["--to-file=a", "--to-file=b"],
            ["--label", "A", "--label", "B", "--label", "C"], ["-W", "40", "-W", "41", "-y"], ["-W", "40", "-W", "40", "-y"],
            ["--tabsize=4", "--tabsize=2"], ["--from-file=a", "--to-file=b"], ["-W", "0", "-y"], ["-W", "x", "-y"], ["--tabsize=0"],
            ["-U", "-1"], ["-C", "x"], ["--horizon-lines=x"], ["--horizon-lines=-2"], ["-U", " 2"], ["-U", "+2"],
            ["-f"], ["--forward-ed"], ["-f", "-r"], ["-P"], ["-H"], ["-L", "A", "-L", "B", "-u"], ["-LA", "-c"], ["--inhibit-hunk-merge"],
            ["-p"], ["-p", "-U", "1"], ["--show-c-function", "-n"],
        })
        {
            string[] operands = args.Any(a => a.StartsWith("--from-file", StringComparison.Ordinal) || a.StartsWith("--to-file", StringComparison.Ordinal)) ? ["b"] : ["a", "b"];
            yield return D($"diff {string.Join(' ', args)} (options as GNU reads them)", two, [.. args, .. operands]);
        }

        yield return D("diff -f, a deletion and an addition", F(("a", "1\n2\n3\n4\n5\n"), ("b", "1\n4\n5\nz\n")), "-f", "a", "b");
        yield return D("diff -f on folders", F(("x/f", Seven), ("y/f", SevenMod), ("x/g", "1\n"), ("y/g", "2\n")), "-f", "x", "y");

        // -b and -w take over -E and -Z; -E and -Z combine.
        (string, string)[] spaces = F(("a", "a\tb\nc  \nd e\nx\n"), ("b", "a        b\nc\nd  e\nx \n"));
        foreach (string[] args in new string[][] { ["-E", "-b"], ["-b", "-E"], ["-Z", "-b"], ["-E", "-Z"], ["-Z", "-E", "-u"], ["-w", "-E"], ["-E", "-w"], ["-b", "-Z", "-E", "-c"] })
        {
            yield return D($"diff {string.Join(' ', args)} (white-space modes)", spaces, [.. args, "a", "b"]);
        }

        // -b keeps leading white space as one space; -b, -w, -B and -i work on C-locale white space and ASCII letters.
        (string, string)[] leading = F(("a", "int main(void)\n\talpha\n#define X 1\n  return 0;\n"), ("b", "int main(void)\n\n\talpha\nalpha\t\n  return 0;\n"));
        yield return D("diff -b, leading white space counts", leading, "-b", "a", "b");
        yield return D("diff -b -u, leading white space counts", leading, "-b", "-u", "a", "b");
        (string, string)[] latin = F(("a", "x\u00a0y\n\u00c5\n\u00a0\nq\n"), ("b", "xy\n\u00e5\n\nq\n"));
        foreach (string[] args in new string[][] { ["-w"], ["-b"], ["-i"], ["-B"], ["-Bw"] })
        {
            yield return D($"diff {args[0]}, bytes that are not C white space or ASCII letters", latin, [.. args, "a", "b"]);
        }

        // -I and -F read basic regular expressions; one that cannot be read is GNU's error, never .NET's words.
        (string, string)[] re = F(("a", "x(1)\n#a\nq+\ny\n"), ("b", "x(2)\n#b\nq+r\nY\n"));
        foreach (string[] args in new string[][] { ["-I", "("], ["-I", "x(.)"], ["-I", "\\(x\\|#\\).*"], ["-I", "q+"], ["-I", "^#[ab]"], ["-I", "[]a]"], ["-F", "[", "-c"], ["-F", "^x(", "-u"], ["-I", "[[:alpha:]]"] })
        {
            yield return D($"diff {string.Join(' ', args)} (a basic regular expression)", re, [.. args, "a", "b"]);
        }

        // -q says "Files … differ" for binary files too, with the labels.
        (string, string)[] bins = F(("x/c", "\0c\n"), ("y/c", "\0d\n"), ("x/t", "t\n"), ("y/t", "u\n"));
        yield return D("diff -q -r, binary files in folders", bins, "-q", "-r", "x", "y");
        yield return D("diff -q -d, binary files", bins, "-q", "-d", "x/c", "y/c");
        yield return D("diff -q -a --label, text files", bins, "-q", "-a", "--label", "A", "--label", "B", "x/c", "y/c");
        yield return D("diff -q -i --label, text files", bins, "-q", "-i", "--label", "A", "--label", "B", "x/t", "y/t");

        // -b, -w and -Z count a last line's missing newline as white space.
        (string, string)[] lastLine = F(("a", "a\nb\n"), ("b", "a\nb"), ("c", "a\nb "), ("d", "x\na\nb"));
        foreach (string[] args in new string[][] { ["-b", "a", "b"], ["-w", "a", "c"], ["-Z", "b", "a"], ["-E", "a", "b"], ["-i", "a", "b"], ["-b", "-u", "d", "a"], ["-Z", "-y", "a", "d"], ["-w", "-e", "a", "d"] })
        {
            yield return D($"diff {string.Join(' ', args)} (a last line without newline)", lastLine, args);
        }

        (string, string)[] binary = F(("a", "x\0y\n"), ("b", "x\0z\n"));
        yield return D("diff --label twice, binary files", binary, "--label", "L1", "--label", "L2", "a", "b");
        yield return D("diff --label once, binary files", binary, "--label", "L1", "a", "b");
        yield return D("diff -q --label, binary files", binary, "-q", "--label", "L1", "--label", "L2", "a", "b");

        (string, string)[] noNewline = F(("a", "a\nb"), ("b", "a\nc"), ("c", "a\nb\n"), ("d", "a\nb"));
        foreach (string[] args in new string[][] { ["-e", "a", "b"], ["-e", "a", "c"], ["-e", "c", "a"], ["-e", "a", "d"], ["-f", "a", "b"], ["-n", "a", "b"], ["-n", "c", "a"], ["-e", "--label", "X", "--label", "Y", "a", "b"], ["-e", "-i", "a", "b"] })
        {
            yield return D($"diff {string.Join(' ', args)} (no newline at end of file)", noNewline, args);
        }

        (string, string)[] folderFile = F(("x/a", "1\n2\n"), ("y/a", "1\n3\n"), ("x/d/in", "1\n"), ("y/d", "1\n"), ("y/e", string.Empty), ("x/e/in", "e\n"));
        foreach (string[] args in new string[][]
        {
            ["--old-line-format=-%L", "x", "y/a"], ["--old-line-format=-%L", "y/a", "x"], ["-i", "x", "y/d"], ["-i", "y/d", "x"], ["-D", "N", "x", "y/d"],
            ["-b", "x", "y/missing"], ["-N", "-b", "x", "y/missing"], ["-e", "x", "y/a"], ["-r", "-i", "x", "y"], ["-i", "x", "y/e"], ["-D", "N", "x", "y"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} (a folder against a file)", folderFile, args);
        }

        yield return D("diff -r, a regular empty file against a folder", folderFile, "-r", "y", "x");
        (string, string)[] oneSided = F(("x/d/f", "1\n"), ("x/a", "1\n"), ("y/a", "2\n"), ("y/n/g", "3\n"));
        foreach (string[] args in new string[][] { ["-N", "x", "y"], ["-N", "y", "x"], ["--unidirectional-new-file", "x", "y"], ["--unidirectional-new-file", "y", "x"], ["-N", "-u", "x", "y"], ["-N", "-b", "x", "y"], ["-P", "-rb", "x", "y"] })
        {
            yield return D($"diff {string.Join(' ', args)} (a folder on one side only)", oneSided, args);
        }

        foreach (string[] args in new string[][] { ["-N", "x", "nope"], ["-N", "-r", "nope", "y"], ["-P", "-r", "nope", "y"], ["-P", "y", "nope"], ["-r", "x", "nope"], ["-N", "-r", "-u", "x", "nope"], ["-N", "-r", "-i", "nope", "x"], ["-N", "-s", "-b", "x", "nope"] })
        {
            yield return D($"diff {string.Join(' ', args)} (a missing operand against a folder)", oneSided, args);
        }
        yield return D("diff -y -W 21 with CR line ends", F(("a", "alpha\r\nx\n\tt\n"), ("b", "alpha\r\ny\n\tt\n")), "-y", "--width=21", "a", "b");
        yield return D("diff -y with CR line ends", F(("a", "al\rpha\r\nx\n"), ("b", "al\rpha\r\ny\n")), "-y", "a", "b");
        yield return D("diff -y -t with CR line ends", F(("a", "al\rpha\r\nx\n"), ("b", "al\rpha\r\ny\n")), "-y", "-t", "a", "b");

        // -l: GNU queues its own lines (Only in, Common subdirectories, identical, binary) and prints them after all of
        // pr's pages, into a pipe (more than its 4 KiB buffer here) and on a terminal alike.
        var many = new List<(string, string)> { ("x/m", "1\n"), ("y/m", "2\n"), ("x/n", "3\n"), ("y/n", "4\n"), ("x/bin", "\0a"), ("y/bin", "\0b") };
        many.AddRange(Enumerable.Range(100, 150).Select(i => ($"x/a{i}-{new string('o', 30)}", "o\n")));
        many.AddRange(Enumerable.Range(100, 20).Select(i => ($"y/mz{i}", "o\n")));
        yield return D("diff -l -r, many Only in lines around the pages", [.. many], "-l", "-r", "x", "y") with { StdoutView = PrDates };
        yield return D("diff -l -r -s, many Only in lines around the pages", [.. many], "-l", "-r", "-s", "x", "y") with { StdoutView = PrDates };
        (string, string)[] few = F(("x/a0", "1\n"), ("x/m", "1\n"), ("y/m", "2\n"), ("x/z", "3\n"), ("x/s/f", "1\n"), ("y/s/f", "1\n"));
        yield return D("terminal: diff -l, Only in lines after the pages", few, "-l", "x", "y") with { StdoutView = PrDates, Terminal = [] };
        yield return D("terminal: diff -l -r -s, messages after the pages", few, "-l", "-r", "-s", "x", "y") with { StdoutView = PrDates, Terminal = [] };

        (string, string)[] horizon = F(("a", HorizonA), ("b", HorizonB));
        foreach (string[] args in new string[][]
        {
            [], ["-u"], ["-u", "-F", "^#"], ["-u", "-i"], ["-c", "-b"], ["-U", "1", "-w"], ["--horizon-lines=3"], ["--horizon-lines=3", "-i"], ["-i"],
            ["-d", "-u", "-i"], ["-y"], ["-D", "X"], ["-e", "-i"], ["-n", "--horizon-lines=1"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} (the horizon chooses the edit script)", horizon, [.. args, "a", "b"]);
        }
    }
}
