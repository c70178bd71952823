namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Rows for GNU diff's obsolete <c>-NUM</c> context option, the hidden <c>--sdiff-merge-assist</c> (sdiff's
/// side by side), <c>TZ</c> in POSIX rule form without a zone file, the words of GNU's regular expression errors, and
/// odd and non-ASCII file names in two-file and folder comparisons.</summary>
internal static partial class GnuCompatRows
{
    private static IEnumerable<CompatRow> Gnu27eDiffRows()
    {
        string forty = string.Concat(Enumerable.Range(1, 40).Select(i => $"{i}\n"));
        (string, string)[] lines = F(("a", forty), ("b", forty.Replace("\n20\n", "\nX\n", StringComparison.Ordinal)), ("x/f", forty), ("y/f", forty.Replace("\n9\n", "\nnine\n", StringComparison.Ordinal)));

        // -NUM: digits in a row are one number, across arguments too (-1 -2 is 12); it sets the context of -c/-u
        // unless an explicit -C/-U asked for more; alone, or with another format, it changes nothing.
        foreach (string[] args in new string[][]
        {
            ["-3", "-u"], ["-1", "-u"], ["-u", "-2"], ["-0", "-u"], ["-5", "-c"], ["-c5"], ["-u5"], ["-12c"], ["-1", "-2", "-u"],
            ["-1u2"], ["-2", "-U4"], ["-U4", "-2"], ["-u", "-5", "-U3"], ["-c", "-C2", "-5"], ["-C5", "-2"], ["-5", "-p"],
            ["-5"], ["-e", "-3"], ["-n", "-3"], ["-q", "-3"], ["-y", "-3", "-W", "40"], ["-99999999999999999999", "-u"],
            ["-U", "2147483647"], ["-C", "2147483647"],
        })
        {
            yield return D($"diff {string.Join(' ', args)}, -NUM context", lines, [.. args, "a", "b"]);
        }

        yield return D("diff -r -3 -u, -NUM context in folders", lines, "-r", "-3", "-u", "x", "y");
        yield return D("diff -q -y, brief wins over side by side", lines, "-q", "-y", "a", "b");
        yield return D("diff -q -y -r, brief wins over side by side", lines, "-q", "-y", "-r", "x", "y");

        // --sdiff-merge-assist: side by side with sdiff's run lines; GNU's messages after a space.
        (string, string)[] sdiff = F(
            ("c", "1\n2\n3\n"), ("d", "1\nx\n3\n4\n"), ("e", string.Empty), ("x/f", "1\n2\n"), ("y/f", "1\n3\n"), ("x/g", "1\n2\n"),
            ("y/g", "1\n2\n"), ("x/bin", "a\0"), ("y/bin", "b\0"), ("y/only", "q\n"), ("x/s/k", "k\n"), ("y/s/k", "k\n"), ("x/o/z", "z\n"));
        foreach (string[] args in new string[][]
        {
            ["c", "c"], ["c", "d"], ["e", "e"], ["e", "c"], ["c", "e"], ["--suppress-common-lines", "c", "d"], ["--left-column", "c", "d"],
            ["-W", "20", "c", "d"], ["-t", "c", "d"], ["-y", "c", "d"], ["-B", "c", "d"], ["-q", "c", "d"], ["-s", "c", "c"], ["-s", "-q", "c", "c"],
            ["-u", "c", "d"], ["-e", "c", "d"], ["-r", "x", "y"], ["x", "y"], ["-rs", "x", "y"], ["-rq", "x", "y"], ["-q", "x", "y"],
            ["-r", "--suppress-common-lines", "x", "y"], ["--sdiff", "c", "d"], ["-i", "c", "d"],
        })
        {
            yield return D($"diff --sdiff-merge-assist {string.Join(' ', args)}", sdiff, ["--sdiff-merge-assist", .. args]);
        }

        // Odd and non-ASCII names: C-quoted in "diff …" lines and headers, as they are in "Only in", "Files … differ",
        // "Binary files", "Common subdirectories" and "… are identical"; the same in a UTF-8 locale.
        string[] odd = ["é", "sp ace", "ta\tb", "q\"uote", "back\\slash", "nl\nine", "dé/k"];
        var oddFiles = new List<(string, string)>();
        foreach (string name in odd)
        {
            oddFiles.Add(("x/" + name, "1\n"));
            oddFiles.Add(("y/" + name, name.Contains('q', StringComparison.Ordinal) || name.Contains('b', StringComparison.Ordinal) && !name.Contains('t', StringComparison.Ordinal) ? "1\n" : "2\n"));
        }

        oddFiles.AddRange([("x/ö only", "o\n"), ("y/€ only", "o\n"), ("x/bi n", "a\0"), ("y/bi n", "b\0"), ("x/sämе", "s\n"), ("y/sämе", "s\n")]);
        (string, string)[] oddTree = [.. oddFiles];
        // The same tree with names that are not UTF-8 (Latin-1 bytes), made by the shell.
        // (Not here: an identical pair with such a name, which -s does not report and -y does not show yet.)
        const string latin1 = "for d in x y; do mv \"$d/cafe\" \"$d/$(printf 'caf\\351')\"; done; mv y/le \"y/$(printf 'l\\351')\"";
        (string, string)[] latinTree = [.. oddFiles, ("x/cafe", "1\n"), ("y/cafe", "2\n"), ("y/le", "l\n")];
        foreach (string[] args in new string[][]
        {
            ["-r"], ["-rq"], ["-rs"], ["-ru"], ["-rc"], ["-rN", "-q"], ["-ruN"], [], ["-s"], ["-rsu"], ["-ri"], ["-rub"], ["-rcw"],
            ["-ry", "-W", "40"], ["-r", "--suppress-common-lines", "-y", "-W", "40"], ["-rs", "-q"], ["-rn"], ["-re"], ["-r", "-I", "x"],
        })
        {
            string shown = string.Join(' ', args);
            yield return D($"diff {shown} x y, odd and non-ASCII file names", oddTree, [.. args, "x", "y"]);
            yield return D($"diff {shown} x y, odd and non-ASCII file names, LANG=C.UTF-8", oddTree, [.. args, "x", "y"]) with { Env = [("LC_ALL", string.Empty), ("LANG", "C.UTF-8")] };
            yield return D($"diff {shown} x y, file names not in UTF-8", latinTree, [.. args, "x", "y"]) with { Prelude = latin1 };
        }

        foreach (string[] args in new string[][]
        {
            ["-u", "x/é", "y/é"], ["-c", "x/sp ace", "y/sp ace"], ["-u", "-b", "x/ta\tb", "y/ta\tb"], ["-c", "-i", "x/nl\nine", "y/nl\nine"],
            ["-u", "--label", "é l", "--label", "€", "x/é", "y/é"], ["-q", "x/é", "y/é"], ["-s", "x/sämе", "y/sämе"], ["x/bi n", "y/bi n"],
            ["-u", "x/é", "y"], ["-y", "-W", "30", "x/back\\slash", "y/back\\slash"],
        })
        {
            yield return D($"diff {string.Join(' ', args)}, an odd file name", oddTree, args);
        }

        // TZ as a POSIX rule with no zone file of that name: glibc applies the rule (summer time by its changes, the
        // US rules when a summer name has none, parts clamped, an unreadable rule UTC).
        (string, string)[] dated = F(("a", "1\n"), ("c", "2\n"), ("x/f", "1\n"), ("y/f", "2\n"));
        (string, string)[] stamps = [("a", "@1700000000.5"), ("c", "@1690000000.25"), ("x/f", "@1679000000"), ("y/f", "@1667000000")];
        foreach (string tz in new[]
        {
            "ABC-3", "JST-9", "<+0530>-5:30", "EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3", "XYZ3XDT", "AAA+3:15:20",
            "EST5EDT4,J60/1,J300", "EST5EDT4,59,299", "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", "NZST-12NZDT,M9.5.0,M4.1.0/3", "ABC-25",
            "ABC-3:61:99", "A-14", "ABC", ":Nowhere", "Nowhere", "UTC0", "EST5EDT",
        })
        {
            foreach (string[] args in new string[][] { ["-u", "a", "c"], ["-u", "c", "a"], ["-c", "a", "c"], ["-u", "-b", "c", "a"], ["-c", "-i", "a", "c"], ["-ru", "x", "y"], ["-rc", "x", "y"] })
            {
                yield return D($"diff {string.Join(' ', args)}, TZ={tz} (a POSIX rule)", dated, args) with { Stamps = stamps, Env = [("TZ", tz)] };
            }

            yield return D($"diff -c a c, TZ={tz} (a POSIX rule), LANG=C.UTF-8", dated, "-c", "a", "c") with { Stamps = stamps, Env = [("TZ", tz), ("LC_ALL", string.Empty), ("LANG", "C.UTF-8")] };
        }

        // Patterns of -I and -F as glibc reads them (grep's basic syntax): its words for the first fault, exit 2, and
        // the patterns it takes that a .NET pattern would refuse or read otherwise.
        (string, string)[] patterns = F(("a", forty + "a{1}\nab\n*x\n"), ("b", forty.Replace("\n20\n", "\nX\n", StringComparison.Ordinal)));
        foreach (string pattern in new[]
        {
            "[", "[^", "x[", "[[:", "[[.", "[[=", "[[:foo:]]", "[[:ALPHA:]]", "[[:alpha:]", "[[:alpha:", "[a", "[]", "[^]", "[]a", "[\\",
            "[a-", "[b-a]", "[z-a", "[a-z-0]", "[a-z-", "[[:alpha:]-z]", "[[=a=]-z]", "[[.ab.]]", "[[.a.]", "[--a]", "[[.-.]-z]", "[]-a]",
            "[[=a=]]", "[[.a.]]", "[[:punct:]]", "\\(", "\\(\\(", "\\)", "\\)\\(", "a\\{", "a\\{1", "a\\{1,2", "a\\{2,1", "a\\{1,x",
            "a\\{1,0\\}", "a\\{x\\}", "a\\{\\}", "a\\{99999\\}", "a\\{32768\\}", "a\\{1,32768\\}", "a\\{32767\\}", "\\1",
            "\\(a\\)\\2", "\\(a\\1\\)", "\\(a\\)\\1", "a\\", "\\", "*a", "a**", "^*", "\\(^*\\)", "a\\|*", "\\{1\\}",
            "^\\{1\\}", "x\\{1\\}\\{2\\}", "a*\\{2\\}", "a\\{1\\}*", "a\\{,2\\}", "\\<", "X\\>", "1$\\|2", "a$b",
            "a{1}", "\\(1\\|2\\)\\1", "(", ")", "{",
        })
        {
            yield return D($"diff -I '{pattern}' (a basic regular expression as glibc reads it)", patterns, "-I", pattern, "a", "b");
            yield return D($"diff -F '{pattern}' -u (a basic regular expression as glibc reads it)", patterns, "-F", pattern, "-u", "a", "b");
        }
    }
}
