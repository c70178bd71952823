namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows of the gnu30d work. patch: <c>#</c> comment lines inside a context diff's hunk (GNU's pget_line
/// passes them over), a normal diff after other text under <c>-n</c>, a lone <c>---</c> line after a header pair with
/// no hunk yet (the file's old name anew), a lone <c>+++</c> line then garbage then a hunk header, and GNU's best_name
/// when both header names are there. diff: the echoed <c>diff …</c> line of a walk quoting its switches as gnulib's
/// shell quoting does (labels with quotes, spaces, controls, bytes above 127), and <c>-y</c> heading a pair whose only
/// change is ignored (random seed 5268).</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu30dPatchRows()
    {
        const string Ctx = "*** g\n--- g\n***************\n";
        const string G12 = "@@ -1,2 +1,2 @@\n-l1\n+L1\n l2\n";

        // "#" lines in a context hunk: passed over in either section, also in a hunk that fails; after the last hunk
        // they are text ("Ignoring the trailing garbage").
        yield return P("patch comment line in a context hunk's old part", Three(Ctx + "*** 1,2 ****\n! l1\n#c\n  l2\n--- 1,2 ----\n! L1\n  l2\n"), "-i", "p.diff");
        yield return P("patch comment line in a context hunk's new part", Three(Ctx + "*** 1,2 ****\n! l1\n  l2\n--- 1,2 ----\n#c\n! L1\n  l2\n"), "--verbose", "-i", "p.diff");
        yield return P("patch comment line in a failing context hunk", Three(Ctx + "*** 1,2 ****\n! x1\n#c\n  l2\n--- 1,2 ----\n! L1\n#d\n  l2\n"), "-i", "p.diff");
        yield return P("patch comment lines in context hunks, then text", Three(Ctx + "*** 1,2 ****\n! l1\n#c\n  l2\n--- 1,2 ----\n! L1\n  l2\n***************\n*** 5 ****\n#e\n! l5\n--- 5 ----\n! L5\n#end\n"), "--verbose", "-i", "p.diff");

        // -n: text before the normal diff is passed over (and shown under --verbose as what leads up to it).
        yield return P("patch -n, text then a normal diff", Three("foo\n1c1\n< l1\n---\n> L1\n"), "-n", "-i", "p.diff", "g");
        yield return P("patch -n --verbose, text then a normal diff", Three("foo bar\n\nbaz\n1c1\n< l1\n---\n> L1\n5d4\n< l5\n"), "-n", "--verbose", "-i", "p.diff", "g");

        // A lone "---" line after a header pair with no hunk: the old name anew (GNU then takes the better of the two).
        yield return P("patch header pair, then a lone --- line", Three("--- g\n+++ g\n--- h\n" + G12), "--verbose", "-i", "p.diff");
        yield return P("patch header pair, lone --- line, file missing", Three("--- g\n+++ g\n--- nope\n" + G12), "-i", "p.diff");
        yield return P("patch header pair, lone --- line, longer name", F(("g", Ten), ("hh", Ten), ("p.diff", "--- g\n+++ g\n--- hh\n" + G12)), "-i", "p.diff");
        yield return P("patch headers naming two files there", F(("g", Ten), ("hh", Ten), ("p.diff", "--- hh\n+++ g\n" + G12)), "-i", "p.diff");
        yield return P("patch headers naming two files, one in a folder", F(("g", Ten), ("d/g", Ten), ("p.diff", "--- d/g\n+++ g\n" + G12 + "--- g\n+++ d/g\n" + G12)), "-i", "p.diff");

        // A lone "+++" line, garbage, then a hunk header: the file it names.
        yield return P("patch lone +++ line, garbage, then a hunk", Three("+++ g\ngarbage\n" + G12), "--verbose", "-i", "p.diff");
        yield return P("patch text, lone +++ line, blank, then a hunk", Three("x\n+++ h\n\n" + G12), "-i", "p.diff");
        yield return P("patch hunk, lone +++ line, garbage, a hunk", Three(Uni + "+++ h\ngarbage\n" + G12), "-i", "p.diff");
    }

    private static IEnumerable<CompatRow> Gnu30dDiffRows()
    {
        // The "diff …" line before each pair of a walk: each switch as gnulib's shell quoting writes it (in double
        // quotes when a ' is all that needs quoting, bytes above 127 and controls but tab and newline as they are).
        var pair = F(("x/f", "a\n"), ("y/f", "b\n"));
        foreach (string label in new[] { "a'b", "it's here", "'", "café", "caf\u00e9'", "a\u0001b", "a]", "{", "a{b}", "a'~", "a'?", "a\tb", "#a", "a#b", "" })
        {
            foreach (string format in new[] { "-r", "-ru", "-rc" })
            {
                yield return D($"echoed label {Escape(label)}: diff {format} --label", pair, format, "--label", label, "--label", "L2", "x", "y");
            }
        }

        // In a UTF-8 locale a printable character of several bytes is plain: with a ' the value goes in double quotes.
        foreach (string label in new[] { "caf\u00e9'", "\u00e9'x y", "\u00e9\u00e9" })
        {
            yield return D($"echoed label {label}, LC_ALL=C.UTF-8: diff -ru", pair, "-ru", "--label", label, "x", "y") with { Env = [("LC_ALL", "C.UTF-8")] };
        }

        yield return D("echoed switches: diff -r -I it's -x *'s x y", pair, "-r", "-I", "it's", "-x", "*'s", "x", "y");
        yield return D("echoed switches: diff -r --label=a'b x y", pair, "-r", "--label=a'b", "x", "y");

        // -y heads a pair that differs even when its only change is ignored (an empty file against a blank line).
        var blank = F(("x/B", string.Empty), ("y/B", "\n"), ("x/c", "alpha\n"), ("y/c", "alpha\n"), ("x/d", "1\n"), ("y/d", "1\n\n"));
        foreach (string[] args in new string[][] { ["-r", "-y"], ["-r", "-y", "--left-column"], ["-r", "-y", "--suppress-common-lines"], ["-r", "-y", "-W", "30"], ["-r", "-B", "-y"] })
        {
            yield return D($"-y, only an ignored change: diff {string.Join(' ', args)} -I ^$ x y", blank, [.. args, "-I", "^$", "x", "y"]);
        }

        static string Escape(string s) => s.Length == 0 ? "(empty)" : string.Concat(s.Select(c => c < ' ' ? $"\\x{(int)c:x2}" : c.ToString()));
    }
}
