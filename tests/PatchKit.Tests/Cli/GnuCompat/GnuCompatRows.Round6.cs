using System.Text.RegularExpressions;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for diff's <c>-l</c>/<c>--paginate</c> (output through <c>pr -h</c>, one run per compared pair).</summary>
internal static partial class GnuCompatRows
{
    /// <summary>pr's page header dates standard input with the current minute: the two runs may fall either side of
    /// a minute's end, so the date is masked (everything else of pr's pages is compared).</summary>
    private static string PrDates(string stdout) => Regex.Replace(stdout, @"^\d{4}-\d\d-\d\d \d\d:\d\d ", "DATE ", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static IEnumerable<CompatRow> Round6DiffRows()
    {
        (string, string)[] two = F(("a", "x\nb\n"), ("b", "y\nb\n"));
        string longA = string.Concat(Enumerable.Range(1, 90).Select(i => $"l{i}\n"));
        string longB = string.Concat(Enumerable.Range(1, 90).Select(i => i % 3 == 0 ? $"L{i}\n" : $"l{i}\n"));
        (string, string)[] trees = F(("x/f", "a\n"), ("y/f", "b\n"), ("x/g", "same\n"), ("y/g", "same\n"), ("x/only", "o\n"), ("x/s/h", "1\n"), ("y/s/h", "2\n"), ("y/new", "n\n"));
        foreach (string[] args in new string[][] { ["-l"], ["--paginate"], ["--pag"], ["-l", "-u"], ["-l", "-c"], ["-l", "-e"], ["-l", "-n"], ["-l", "-y"], ["-l", "-q"], ["-l", "--label", "L1", "--label", "L2"], ["-lu"], ["-l", "-D", "X"] })
        {
            yield return D($"diff {string.Join(' ', args)} two files", two, [.. args, "a", "b"]) with { StdoutView = PrDates };
        }

        yield return D("diff -l identical files", F(("a", "x\n"), ("b", "x\n")), "-l", "a", "b") with { StdoutView = PrDates };
        yield return D("diff -l -s identical files", F(("a", "x\n"), ("b", "x\n")), "-l", "-s", "a", "b") with { StdoutView = PrDates };
        yield return D("diff -l over several pages", F(("a", longA), ("b", longB)), "-l", "a", "b") with { StdoutView = PrDates };
        yield return D("diff -l -u over several pages", F(("a", longA), ("b", longB)), "-l", "-u", "a", "b") with { StdoutView = PrDates };
        yield return D("diff -l -r on folders", trees, "-l", "-r", "x", "y") with { StdoutView = PrDates };
        yield return D("diff -l -r -u on folders", trees, "-l", "-r", "-u", "x", "y") with { StdoutView = PrDates };
        yield return D("diff -l -r -s on folders", trees, "-l", "-r", "-s", "x", "y") with { StdoutView = PrDates };
        yield return D("diff -l -r -q on folders", trees, "-l", "-r", "-q", "x", "y") with { StdoutView = PrDates };
        yield return D("diff -l on folders", trees, "-l", "x", "y") with { StdoutView = PrDates };
        yield return D("diff -l, a missing file", two, "-l", "a", "nope") with { StdoutView = PrDates };
        yield return D("diff -l from standard input", two, "-l", "-", "b") with { StdoutView = PrDates, StdinFile = "a" };
    }
}
