namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Which of several minimal edit scripts <c>-b</c>, <c>-w</c>, <c>-i</c> (and <c>-B</c>, <c>-I</c>) choose:
/// GNU trims the files' identical first and last lines byte for byte (io.c find_identical_ends, before any line is
/// normalized), so lines equal only once normalized stay in the comparison and weigh in discard_confusing_lines; and
/// when one file ends without a newline and the other with one, no last line is trimmed at all. The files are those of
/// the randomized comparison's seeds 126, 922, 1184 and 1465, each also in the other formats.</summary>
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
                yield return D($"trimmed ends, seed {seed}: diff {string.Join(' ', options)} a b", files, [.. options, "a", "b"]);
            }
        }

        // Seed 1465 read a from standard input, with labels.
        yield return D("trimmed ends, seed 1465: diff -C0 -iw --label A --label B - b", seed1465, "-C0", "-iw", "--label", "A", "--label", "B", "-", "b") with { StdinFile = "a" };
    }
}
