using System.Text.RegularExpressions;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for diff's header times to the nanosecond (files touched to <c>@1700000000.123456789</c>, in several
/// time zones, through the plain path and the two-file renderer), link operands with <c>--no-dereference</c>, and
/// <c>patch -e</c> ed scripts run as GNU patch's ed runs them.</summary>
internal static partial class GnuCompatRows
{
    private static readonly (string, string)[] NanoStamps = [("a", "@1700000000.123456789"), ("b", "@1700000001.987654321"), ("x/f", "@1700000002.000000001"), ("y/f", "@1700000003.999999999")];

    /// <summary>Standard input is dated with the current time: that header line is masked, the rest compared.</summary>
    private static string StdinDate(string stdout) => Regex.Replace(stdout, @"^(---|\+\+\+|\*\*\*) -\t.*$", "$1 -\tNOW", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static IEnumerable<CompatRow> Gnu26eDiffRows()
    {
        (string, string)[] files = F(("a", "x\nsame\n"), ("b", "y\nsame\n"), ("x/f", "1\nA\n"), ("y/f", "2\nA\n"), ("x/g", "g\n"), ("y/g", "g\n"));
        foreach (string? tz in new[] { null, "America/New_York", "Asia/Kolkata", ":Asia/Kolkata", string.Empty })
        {
            string where = tz is null ? string.Empty : $" TZ={tz}";
            (string, string)[] env = tz is null ? [] : [("TZ", tz)];
            foreach (string[] args in new string[][]
            {
                ["-u", "a", "b"], ["-c", "a", "b"], ["-U1", "a", "b"], ["-u", "-b", "a", "b"], ["-c", "-w", "a", "b"],
                ["-u", "-i", "a", "b"], ["-u", "--label", "L", "a", "b"], ["-c", "--label", "L", "a", "b"], ["-u", "-F", ".", "a", "b"],
                ["-N", "-u", "a", "gone"], ["-N", "-c", "gone", "b"], ["-ru", "x", "y"], ["-rsu", "x", "y"], ["-rc", "x", "y"], ["-ru", "-b", "x", "y"],
            })
            {
                yield return D($"diff {string.Join(' ', args)}, times to the nanosecond{where}", files, args) with { Stamps = NanoStamps, Env = env };
            }
        }

        // diff -c dates as ctime in the C and POSIX locales and as -u in any other that is installed.
        foreach (var (what, env) in new (string, (string, string)[])[]
        {
            ("LANG=C.UTF-8", [("LC_ALL", string.Empty), ("LANG", "C.UTF-8")]),
            ("LC_ALL=C.utf8", [("LC_ALL", "C.utf8")]),
            ("LC_ALL=POSIX", [("LC_ALL", "POSIX")]),
            ("LANG=C.UTF-8 LC_TIME=C", [("LC_ALL", string.Empty), ("LANG", "C.UTF-8"), ("LC_TIME", "C")]),
            ("LANG=C LC_TIME=C.UTF-8", [("LC_ALL", string.Empty), ("LANG", "C"), ("LC_TIME", "C.UTF-8")]),
            ("LANG=C.UTF-8, a category not installed", [("LC_ALL", string.Empty), ("LANG", "C.UTF-8"), ("LC_CTYPE", "xx_YY.UTF-8")]),
            ("LANG not installed", [("LC_ALL", string.Empty), ("LANG", "xx_YY.UTF-8")]),
        })
        {
            foreach (string[] args in new string[][] { ["-c", "a", "b"], ["-c", "-b", "a", "b"], ["-C1", "a", "b"], ["-rc", "x", "y"], ["-N", "-c", "gone", "b"] })
            {
                yield return D($"diff {string.Join(' ', args)}, {what}", files, args) with { Stamps = NanoStamps, Env = env };
            }
        }

        yield return D("diff -u - b, standard input dated now", files, "-u", "-", "b") with { Stamps = NanoStamps, StdinFile = "a", StdoutView = StdinDate };
        yield return D("diff -c b -, standard input dated now", files, "-c", "b", "-") with { Stamps = NanoStamps, StdinFile = "a", StdoutView = StdinDate };
        yield return D("diff -u -b - b, standard input dated now", files, "-u", "-b", "-", "b") with { Stamps = NanoStamps, StdinFile = "a", StdoutView = StdinDate };

        // Links: followed, their targets' times; not followed, GNU's words for links whatever the format.
        (string, string)[] linked = [.. NanoStamps, ("la", "@1600000000.111111111"), ("lb", "@1600000000.222222222")];
        (string, string)[] links = [("la", "a"), ("lb", "b"), ("la2", "a")];
        foreach (string[] args in new string[][]
        {
            ["-u", "la", "lb"], ["-u", "-b", "la", "lb"], ["--no-dereference", "la", "lb"], ["--no-dereference", "-u", "la", "lb"],
            ["--no-dereference", "-u", "-b", "la", "lb"], ["--no-dereference", "-q", "la", "lb"], ["--no-dereference", "-y", "la", "lb"],
            ["--no-dereference", "-c", "la", "lb"], ["--no-dereference", "la", "la2"], ["--no-dereference", "-s", "la", "la2"],
            ["--no-dereference", "-s", "-y", "la", "la2"], ["--no-dereference", "-u", "la", "b"], ["--no-dereference", "-u", "a", "lb"],
            ["--no-dereference", "-u", "la", "x"],
        })
        {
            yield return D($"diff {string.Join(' ', args)}, link operands", files, args) with { Links = links, Stamps = linked };
        }
    }

    private static IEnumerable<CompatRow> Gnu26ePatchRows()
    {
        const string three = "1\n2\n3\n";
        (string Name, string File, string Script)[] cases =
        [
            ("a line past the end of a shorter file", "1\n2\n", "5a\n6\n.\n3c\nX\n.\n"),
            ("commands first line first, each at the line the ones before left", three, "1a\nY\n.\n3c\nX\n.\n"),
            ("commands in diff -e's order on a shorter file", "1\n2\n", "2a\nY\n.\n1c\nX\n.\n"),
            ("0a", three, "0a\nY\n.\n"),
            ("0i", three, "0i\nY\n.\n"),
            ("0c refused by ed", three, "0c\nY\n.\n"),
            ("0d refused by ed", three, "0d\n"),
            ("a backward range", three, "2,1d\n"),
            ("d at the line after the end", three, "4d\n"),
            ("a without a number appends after the last line", three, "a\nX\n.\n"),
            ("a without a number after d", three, "1d\na\nX\n.\n"),
            ("a lone dot written as .. and s/.//", three, "1c\n..\n.\ns/.//\na\nZ\n.\n"),
            ("s/.// on an empty line", "1\n\n3\n", "2s/.//\n"),
            ("the same line deleted three times", three, "2d\n2d\n2d\n"),
            ("c with no text", three, "1,3c\n.\n"),
            ("text not ended by a dot", three, "2c\nX\n"),
            ("blanks after a command", three, "3d  \n"),
            ("a file without a last newline", "1\n2", "1a\nX\n.\n"),
            ("a file without a last newline, its last line deleted", "1\n2", "2d\n"),
            ("a file without a last newline, a line past the end", "1\n2", "5d\n"),
            ("an empty file", string.Empty, "0a\nX\n.\n"),
        ];
        foreach (var (name, file, script) in cases)
        {
            yield return P($"patch -e, {name}", F(("t", file), ("s.ed", script)), "-e", "t", "s.ed");
        }

        (string, string)[] fits = F(("t", three), ("s.ed", "3c\nX\n.\n"));
        (string, string)[] past = F(("t", "1\n2\n"), ("s.ed", "3c\nX\n.\n"));
        foreach (string[] args in new string[][] { ["-o", "out"], ["-o", "-"], ["-b"], ["--dry-run"], ["--verbose"], ["-s"], ["-b", "-z", ".bak"] })
        {
            string shown = string.Join(' ', args);
            yield return P($"patch -e {shown}", fits, [.. args, "-e", "t", "s.ed"]) with { Times = args[0] == "-b" };
            yield return P($"patch -e {shown}, a line past the end", past, [.. args, "-e", "t", "s.ed"]) with { Times = args[0] == "-b" };
        }

        yield return P("patch -e, a missing file made by the script", F(("s.ed", "0a\nY\n.\n")), "-e", "nothere", "s.ed");
        yield return P("patch -e, a missing file and a line past its end", F(("s.ed", "3c\nY\n.\n")), "-e", "nothere", "s.ed");
        yield return P("patch -e, script on standard input", F(("t", three), ("s.ed", "2d\n")), "-e", "t") with { StdinFile = "s.ed" };
    }
}
