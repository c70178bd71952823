namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Differences the randomized diff comparison found. Which of several minimal edit scripts <c>-b</c>,
/// <c>-w</c>, <c>-i</c> (and <c>-B</c>, <c>-I</c>) choose: GNU trims the files' identical first and last lines byte for
/// byte (io.c find_identical_ends, before any line is normalized), so lines equal only once normalized stay in the
/// comparison and weigh in discard_confusing_lines; and when one file ends without a newline and the other with one,
/// no last line is trimmed at all (the files of seeds 126, 922, 1184 and 1465, each also in other formats).
/// <c>--strip-trailing-cr</c> keeps the CR of a last line without its newline; a file against a folder whose entry of
/// that name is a folder is GNU's "File … is a regular file while file … is a directory" in every format.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu28bDiffRows()
    {
        // Seed 126: equal only under -b in the last lines ("x = 1;" against "x  =  1;"), and b misses its last newline.
        var seed126 = F(
            ("a", "alpha \nbeta;\n{\nalpha\t\nal  pha\n" + new string('w', 100) + "7\nalpha\t\nalpha \nx = 1;\nAlpha\n{\nx = 1;\n{\n\treturn 0;\n alpha\nal pha\nal  pha\n\t\nstatic int f(int a)\nint main(void)\nx = 1;\n\ntab\there\n\t\n alpha\n"),
            ("b", "alpha \nbeta;\n{\nalpha\t\nal  pha\n" + new string('w', 100) + "7\nalpha\t\nalpha \nAlpha\n{\n{\nx = 1;\n{\n\treturn 0;\n alpha\nal pha\nal  pha\n\t\nstatic int f(int a)\nint main(void)\nx  =  1;\n\ntab\there\n\t\n alpha"));

        // Seed 922: a last line of one space without its newline against a blank line and more.
        var seed922 = F(("a", " \nalpha\nAlpha\n{\n \nbeta;\n\n"), ("b", " \nalpha\n{\n "));

        // Seed 1184: the same last line, once without its newline.
        var seed1184 = F(
            ("a", "x = 1;\n\n \n}\n}\nx = 1;\n{\nstatic int f(int a)\nalpha\t\nalpha \nstatic int f(int a)"),
            ("b", "x = 1;\n\n \n# comment\n}\n}\nx = 1;\n{\n{\nstatic int f(int a)\nalpha\t\nalpha \nstatic int f(int a)\n"));

        // Seed 1465: lines equal under -i -w among the identical ones (Alpha/alpha, tabs, CRs).
        var seed1465 = F(
            ("a", "\treturn 0;\nalpha\r\nal pha\n  return 0;\nx = 1;\n\n#define X 1\nbeta\n \n}\nal\tpha\n\t\n\talpha\nAlpha\n\n\talpha\n{\nal pha\n\talpha\nalpha\r\nalpha\r\nx = 1;\nal\tpha\n"),
            ("b", "\treturn 0;\nalpha\r\ncaf\u00e9\n  return 0;\nx = 1;\n\n#define X 1\nalpha\r\n \n}\nal\tpha\nAlpha\n\t\n\talpha\nAlpha\n\n\talpha\n{\nal pha\n\talpha\nalpha\r\nalpha\r\nx = 1;\nal\tpha\n"));

        foreach (var (seed, files, optionSets) in new (int, (string, string)[], string[][])[]
        {
            (126, seed126, new string[][] { ["-y", "-W", "40", "-b", "-t", "-B"], ["-b"], ["-u", "-b"], ["-c", "-w"], ["-y", "-W", "40", "-b"] }),
            (922, seed922, new string[][] { ["-y", "--left-column", "-b", "-B", "-I", "^#"], ["-b"], ["-u", "-b", "-B"], ["-w"], ["-y", "-w"] }),
            (1184, seed1184, new string[][] { ["--ignore-matching-lines=^$", "-b", "-I", "alpha"], ["-b"], ["-u", "-b"], ["-w", "-n"], ["-Z"] }),
            (1465, seed1465, new string[][] { ["-C0", "-i", "-w"], ["-i", "-w"], ["-u", "-i", "-w"], ["-i", "-b", "--strip-trailing-cr"], ["-y", "-i", "-w"] }),
        })
        {
            foreach (string[] options in optionSets)
            {
                yield return D($"edit script, seed {seed}: diff {string.Join(' ', options)} a b", files, [.. options, "a", "b"]);
            }
        }

        // --strip-trailing-cr strips a CR before a newline only (prepare_text): a last line without its newline keeps it.
        var lastCr = F(("a", "x\r"), ("b", "x"), ("c", "y\r\nx\r"), ("d", "y\nx"), ("e", "y\r\nx\r\n"));
        foreach (string[] args in new string[][]
        {
            ["--strip-trailing-cr", "a", "b"], ["--strip-trailing-cr", "c", "d"], ["--strip-trailing-cr", "-u", "c", "d"],
            ["--strip-trailing-cr", "-y", "c", "d"], ["--strip-trailing-cr", "-b", "c", "d"], ["--strip-trailing-cr", "-q", "c", "d"],
            ["--strip-trailing-cr", "c", "e"], ["--strip-trailing-cr", "-i", "d", "e"],
        })
        {
            yield return D($"a last CR kept: diff {string.Join(' ', args)}", lastCr, args);
        }

        // A file against a folder whose entry of that name is a folder (seeds 1805, 2640): GNU's line in any format,
        // by the labels where given (the plain formats compared the file with an empty one).
        var entryFolder = F(("x/a", "hi\n"), ("x/e", ""), ("y/a/in", "hi\n"), ("y/e/in", "z\n"));
        foreach (string[] args in new string[][]
        {
            ["x/a", "y"], ["-c", "x/a", "y"], ["y", "x/a"], ["-u", "y", "x/a"], ["-q", "x/e", "y"], ["x/e", "y"], ["-e", "x/a", "y"],
            ["--label", "L1", "--label", "L2", "-u", "y", "x/a"], ["--label", "L1", "x/a", "y"], ["-N", "x/a", "y"], ["-s", "x/a", "y"],
            ["-r", "x/a", "y"], ["-S", "sub", "--context=2", "x/a", "y"], ["-x", "*.o", "-a", "x/e", "y"],
        })
        {
            yield return D($"folder entry: diff {string.Join(' ', args)}", entryFolder, args);
        }

        // A label in a walk's "diff …" line is C-quoted as a name is (seeds 2119, 2261); the headers keep it as it is.
        var walk = F(("d1/f", "a\n"), ("d2/f", "b\n"), ("d1/g", "x\n"), ("d2/g", "y\n"));
        foreach (string[] args in new string[][]
        {
            ["-r", "--label", "x y", "d1", "d2"], ["-r", "-c", "--label", "x y", "--label", "p\tq", "d1", "d2"],
            ["-r", "--label", "a\"b", "d1", "d2"], ["-r", "-u", "--label", "a\\b", "d1", "d2"],
            ["-r", "-n", "--label=x y", "d1", "d2"],
        })
        {
            yield return D($"label quoted in the diff line: diff {string.Join(' ', args)}", walk, args);
        }

        // Every -F is an alternative of one expression, -p's too (seed 3529): the last -F replaced the others.
        var functions = F(("a", "alpha\n#x\nb\nc\nd\ne\nf\ng\n"), ("b", "alpha\n#x\nb\nc\nd\ne\nf\nG\n"));
        foreach (string[] args in new string[][]
        {
            ["-u", "-F", "^[a-z]", "-F", "^#", "a", "b"], ["-u", "-F", "^#", "-F", "^[a-z]", "a", "b"], ["-u", "-p", "-F", "^#", "a", "b"],
            ["-c", "-F", "^#", "-p", "a", "b"], ["-u", "-F", "^#", "-F", "^x", "a", "b"], ["-u", "-F", "^#", "-F", "[", "a", "b"],
        })
        {
            yield return D($"several -F: diff {string.Join(' ', args)}", functions, args);
        }

        // Seed 1465 read a from standard input, with labels.
        yield return D("edit script, seed 1465: diff -C0 -iw --label A --label B - b", seed1465, "-C0", "-iw", "--label", "A", "--label", "B", "-", "b") with { StdinFile = "a" };
    }
}
