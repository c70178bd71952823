namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for the output-format differences the randomized comparison with GNU diff 3.8 found: side by side's
/// column widths (a tab counts from its column's start; bytes that are not printable ASCII take no column in the C
/// locale), <c>-t</c> in every format (GNU's output_1_line: the line flag again after a CR), <c>-B</c>'s blank lines and
/// hunks and side by side's common lines after an ignored change, <c>-p</c>'s name and dates in the context format,
/// labels in "are identical", and a dangling link that a line format must read.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu27cDiffRows()
    {
        // Tabs and odd bytes in both columns of -y, with and without -t.
        (string, string)[] tabs = F(
            ("a", "alpha\t\ntab\there\n\treturn 0;\ncaf\u00e9\tx\nq\u0001\tw\nb\bb\tz\nsame\n\f\tff\n"),
            ("b", "alpha\t \ntab\there2\n\treturn 1;\ncaf\u00e9\ty\nq\u0001\tv\nb\bb\ty\nsame\n\f\tfg\n"));
        foreach (string[] args in new string[][]
        {
            ["-y", "-W", "40", "-t"], ["-y", "-W", "41", "-t"], ["-y", "-W", "30", "-t", "--tabsize=3"], ["-y", "-W", "61", "--tabsize=4"],
            ["-y", "-W", "40"], ["-y", "-W", "40", "--left-column", "-t"], ["-y", "-W", "21", "-t"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} (tabs and bytes in the columns)", tabs, [.. args, "a", "b"]);
        }

        // -t in the other formats: tabs expanded from the line's start, the flag again after a CR inside a line.
        (string, string)[] cr = F(("a", "a\tb\rc\td\nx\u0001\ty\nq\bq\tw\nsame\n\tend\n"), ("b", "a\tb\rc\td2\nx\u0001\ty2\nq\bq\tw2\nsame\n\tend2\n"));
        foreach (string[] args in new string[][]
        {
            ["-t"], ["-t", "-c"], ["-t", "-T"], ["-t", "-T", "-c"], ["-t", "-u"], ["-t", "-e"], ["-t", "-n"], ["-t", "-f"], ["-t", "--tabsize=3", "-e"],
            ["-t", "--line-format=%L"], ["-t", "--line-format=%l|%L"], ["-t", "-D", "X"], ["-t", "--old-line-format=-%L", "--new-line-format=+%L", "--unchanged-line-format= %L"],
            ["-t", "--tabsize=4", "--changed-group-format=%<%>"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} (-t in this format)", cr, [.. args, "a", "b"]);
        }

        // -B: a line of white space alone is blank only with -Z, -b or -w; the context formats weigh whole hunks;
        // side by side pairs the common lines after an ignored change as GNU does.
        (string, string)[] blanks = F(("c", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"), ("d", "1\n2\n\n3\n4x\n5\n6\n7\n\n8\n9\n10\n11\n12\n\n"));
        (string, string)[] spaces = F(("e", "a\n\t\nb\nc\n"), ("f", "a\nb\n \nc\nd\n"), ("g", "al pha\nalpha \n{\ntab\there\n\t\nalpha \nAlpha\n"), ("h", "al pha\nalpha \nint main(void)\ntab\there\n\t\n\t\nalpha \nAlpha\n"));
        foreach (string[] args in new string[][]
        {
            ["-B", "-u", "c", "d"], ["-B", "-U1", "c", "d"], ["-B", "-c", "d", "c"], ["-B", "-u", "-p", "c", "d"], ["-I", "4x", "-u", "c", "d"],
            ["-B", "-y", "-W", "30", "c", "d"], ["-B", "-y", "-W", "30", "d", "c"], ["-B", "-y", "-W", "30", "--left-column", "c", "d"], ["-B", "-D", "X", "c", "d"],
            ["-B", "e", "f"], ["-B", "-b", "e", "f"], ["-B", "-w", "-u", "e", "f"], ["-B", "-Z", "e", "f"], ["-B", "-E", "e", "f"],
            ["-B", "-y", "-W", "30", "e", "f"], ["-B", "-y", "--width=21", "g", "h"], ["-B", "-b", "-y", "--width=21", "g", "h"], ["-B", "-y", "--width=21", "--left-column", "g", "h"],
        })
        {
            yield return D($"diff {string.Join(' ', args)} (blank lines ignored as GNU does)", [.. blanks, .. spaces], args);
        }

        // -p with the context format: the function name after the stars, the dates as -c writes them.
        (string, string)[] function = F(("a", "alpha\t\nalpha\n alpha\ncaf\u00e9\n"), ("b", "alpha\t\nalpha\n alpha\ncaf\u00e9"));
        foreach (string[] args in new string[][] { ["-C", "1", "-p", "-d"], ["-C", "1", "-p"], ["-c", "-p"], ["-p", "-i"], ["-p", "-I", "^$"], ["-s", "-p", "-i"], ["-p", "-t"] })
        {
            yield return D($"diff {string.Join(' ', args)} (the function name and dates)", function, [.. args, "a", "b"]);
        }

        // Labels name identical files too.
        (string, string)[] same = F(("a", "1\n2\n"), ("b", "1\n2\n"));
        yield return D("diff -s -u --label, identical files", same, "-s", "-u", "--label", "L1", "a", "b");
        yield return D("diff -s --label --label, identical files", same, "-s", "--label", "X", "--label", "Y", "a", "b");

        // Labels name the binary pairs of a walk and each pair's "diff …" line.
        (string, string)[] binaries = F(("x/sub/f", "a\0b\n"), ("y/sub/f", "a\0c\n"), ("x/t", "1\n"), ("y/t", "2\n"));
        yield return D("diff -r -c --label, binary files in folders", binaries, "-r", "-c", "--label", "L1", "x", "y");
        yield return D("diff -r --label --label, binary files in folders", binaries, "-r", "--label", "L1", "--label", "L2", "x", "y");
        yield return D("diff -r -q --label, binary files in folders", binaries, "-r", "-q", "--label", "L1", "x", "y");
        yield return D("diff -r -y --label, binary files in folders", binaries, "-r", "-y", "-W", "40", "--label", "L1", "x", "y");

        // A line format reading a folder's entry that is a dangling link: GNU's "No such file or directory".
        yield return D("diff --line-format, a folder's dangling link against a file", F(("x/f", "1\n"), ("y/a", "1\n2\n")), "--line-format=%L", "x", "y/a") with { Links = [("x/a", "nowhere")] };
        yield return D("diff -t, a dangling link against a file", F(("x/f", "1\n"), ("y/a", "1\n2\n")), "-t", "x/a", "y/a") with { Links = [("x/a", "nowhere")] };
        yield return D("diff -N -t, a dangling link against a file", F(("x/f", "1\n"), ("y/a", "1\n2\n")), "-N", "-t", "x/a", "y/a") with { Links = [("x/a", "nowhere")] };
    }
}
