using System.Globalization;
using System.Text;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Random situations for <c>diff</c>, each made from a seed alone (the same seed gives the same files, links,
/// folders and command line on every machine): two files, or two small trees, with near-duplicate lines (case,
/// blanks, tabs against spaces, trailing white space, CR line ends), missing final newlines, NUL bytes, long lines,
/// empty files, symbolic links, a file against a folder and files on one side only, compared with a random mix of GNU
/// diff 3.8's options (output formats, the ways of ignoring changes, tab handling, labels, function lines, the tree
/// options). <see cref="GnuDiffRandomTests"/> runs each through GNU diff and PatchKit's drop-in with the table's harness;
/// <c>eng/gnu-diff-random.sh</c> runs long stretches of seeds.</summary>
internal static class GnuDiffRandom
{
    private static readonly string[] s_words =
    [
        "alpha", "Alpha", "ALPHA", "alpha ", "alpha\t", " alpha", "\talpha", "al pha", "al  pha", "al\tpha", "alpha\r",
        "beta", "beta;", "gamma(1);", "", "", " ", "\t", "int main(void)", "{", "}", "  return 0;", "\treturn 0;",
        "# comment", "#define X 1", "static int f(int a)", "x = 1;", "x  =  1;", "x=1;", "caf\u00e9", "tab\there",
        "        eight", "\teight", "a\0b", "end",
    ];

    private static readonly string[] s_names = ["a", "b", "c", "B", "d.o", ".h", "sub/e", "sub/f", "sub/g/h", "z"];

    private static readonly string[][] s_formats =
    [
        [], [], [], ["--normal"], ["-c"], ["-C", "1"], ["-C0"], ["--context=2"], ["-u"], ["-u"], ["-U", "0"], ["-U1"], ["--unified=5"],
        ["-e"], ["-f"], ["-n"], ["-y"], ["-y", "-W", "40"], ["-y", "--width=21"], ["-y", "--left-column"],
        ["-y", "--suppress-common-lines"], ["-y", "-W", "61", "--suppress-common-lines"], ["-D", "NAME"], ["--ifdef=X"],
        ["-q"], ["-s"], ["-s", "-u"], ["--line-format=%L"], ["--line-format=%dn %l%c'\\012'"],
        ["--old-line-format=-%L", "--new-line-format=+%L", "--unchanged-line-format= %L"],
        ["--old-group-format=%df,%dl<\n%<", "--new-group-format=%dF+%dN>\n%>", "--changed-group-format=%de %dM|%(f=F?same:other)\n%<---\n%>", "--unchanged-group-format="],
        ["--changed-group-format=<<%<==%>>>\n"], ["-D", "N", "--old-group-format=OLD\n%<"], ["--unchanged-line-format=", "--new-line-format=%5dn:%L"],
        ["-c", "-u"], ["-e", "-y"],
    ];

    private static readonly string[][] s_matching =
    [
        ["-i"], ["-E"], ["-Z"], ["-b"], ["-w"], ["-B"], ["-I", "^#"], ["-I", "alpha"], ["--ignore-matching-lines=^$"], ["--strip-trailing-cr"],
        ["-a"], ["-t"], ["-T"], ["--tabsize=4"], ["--tabsize=1"], ["-p"], ["-F", "^[a-z]"], ["-F", "^#"], ["-d"], ["--minimal"],
        ["--horizon-lines=0"], ["--horizon-lines=2"], ["--suppress-blank-empty"], ["--speed-large-files"], ["--label", "L1"],
        ["--label", "L1", "--label", "L2"], ["--label=x y"], ["-h"], ["-iw"], ["-bB"], ["-Eb"],
    ];

    private static readonly string[][] s_treeOptions =
    [
        ["-r"], ["-r"], ["-r"], ["-N"], ["-N"], ["--unidirectional-new-file"], ["-x", "*.o"], ["-x", "sub"], ["--exclude=.*"], ["-X", "ex"],
        ["-S", "b"], ["-S", "sub"], ["--starting-file=c"], ["--no-dereference"], ["--no-dereference"], ["-P"], ["-rN"],
    ];

    /// <summary>The situation of one seed.</summary>
    public static CompatRow Case(int seed)
    {
        var rnd = new Random(seed);
        int kind = rnd.Next(100);
        return kind < 62 ? TwoFiles(seed, rnd) : kind < 94 ? Trees(seed, rnd) : Odd(seed, rnd);
    }

    private static CompatRow TwoFiles(int seed, Random rnd)
    {
        string a = Text(rnd, rnd.Next(8) == 0 ? 0 : rnd.Next(1, 30));
        string b = rnd.Next(12) == 0 ? (rnd.Next(2) == 0 ? string.Empty : a) : Mutate(rnd, a);
        var args = new List<string>();
        args.AddRange(Pick(rnd, s_formats));
        int m = rnd.Next(4);
        for (int i = 0; i < m; i++)
        {
            args.AddRange(Pick(rnd, s_matching));
        }

        var files = new List<(string, string)> { ("a", a), ("b", b) };
        string? stdin = null;
        string[] operands = ["a", "b"];
        switch (rnd.Next(14))
        {
            case 0:
                operands = ["-", "b"];
                stdin = "a";
                args.AddRange(["--label", "A", "--label", "B"]);
                break;
            case 1:
                operands = ["a", "missing"];
                break;
            case 2:
                args.Add(rnd.Next(2) == 0 ? "-N" : "--unidirectional-new-file");
                operands = rnd.Next(2) == 0 ? ["a", "missing"] : ["missing", "b"];
                break;
        }

        return Row(seed, files, [.. args, .. operands]) with { StdinFile = stdin };
    }

    private static CompatRow Trees(int seed, Random rnd)
    {
        var files = new List<(string, string)>();
        var links = new List<(string, string)>();
        var dirs = new List<string>();
        foreach (string name in s_names)
        {
            int what = rnd.Next(16);
            string text = Text(rnd, rnd.Next(0, 8));
            switch (what)
            {
                case <= 4:
                    files.Add(("x/" + name, text));
                    files.Add(("y/" + name, rnd.Next(3) == 0 ? text : Mutate(rnd, text)));
                    break;
                case 5:
                    files.Add(("x/" + name, text));
                    break;
                case 6:
                    files.Add(("y/" + name, text));
                    break;
                case 7:
                    // A file against a folder.
                    bool left = rnd.Next(2) == 0;
                    files.Add(((left ? "x/" : "y/") + name, text));
                    files.Add(((left ? "y/" : "x/") + name + "/in", text));
                    break;
                case 8:
                    links.Add(("x/" + name, rnd.Next(2) == 0 ? Up(name) + "y/" + name : "nowhere"));
                    files.Add(("y/" + name, text));
                    break;
                case 9:
                    files.Add(("x/" + name, text));
                    files.Add(("y/" + name, text));
                    break;
                case 10:
                    // A link on both sides, to the same or another target.
                    files.Add(("t1", "target one\n"));
                    files.Add(("t2", "target two\n"));
                    links.Add(("x/" + name, Up(name) + "t1"));
                    links.Add(("y/" + name, Up(name) + (rnd.Next(2) == 0 ? "t1" : "t2")));
                    break;
                case 11:
                    files.Add(("x/" + name, "bin\0ary " + text));
                    files.Add(("y/" + name, "bin\0ary " + Mutate(rnd, text)));
                    break;
                default:
                    break;
            }
        }

        if (rnd.Next(6) == 0)
        {
            dirs.Add("x/empty");
        }

        files = [.. files.DistinctBy(f => f.Item1, StringComparer.Ordinal)];
        // A name can be a file and a folder's parent at once only one way: keep the first of each clash.
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<(string, string)>();
        foreach (var f in files)
        {
            string[] parts = f.Item1.Split('/');
            bool clash = false;
            for (int i = 1; i < parts.Length; i++)
            {
                clash |= taken.Contains("F:" + string.Join('/', parts[..i]));
            }

            clash |= taken.Contains("D:" + f.Item1) || links.Any(l => l.Item1 == f.Item1 || f.Item1.StartsWith(l.Item1 + "/", StringComparison.Ordinal));
            if (clash)
            {
                continue;
            }

            kept.Add(f);
            taken.Add("F:" + f.Item1);
            for (int i = 1; i < parts.Length; i++)
            {
                taken.Add("D:" + string.Join('/', parts[..i]));
            }
        }

        links = [.. links.Where(l => !taken.Contains("D:" + l.Item1)).DistinctBy(l => l.Item1, StringComparer.Ordinal)];
        dirs.AddRange(links.Select(l => Path.GetDirectoryName(l.Item1)!));
        var args = new List<string>();
        int t = rnd.Next(1, 4);
        for (int i = 0; i < t; i++)
        {
            args.AddRange(Pick(rnd, s_treeOptions));
        }

        if (args.Contains("-X"))
        {
            kept.Add(("ex", rnd.Next(2) == 0 ? "*.o\nsub\n" : "c\n\n.h\n"));
        }

        args.AddRange(Pick(rnd, s_formats));
        if (rnd.Next(3) == 0)
        {
            args.AddRange(Pick(rnd, s_matching));
        }

        string[] operands = rnd.Next(10) switch
        {
            0 => ["--from-file=x", "y"],
            1 => ["--to-file=y", "x"],
            2 => ["x", "y/a"],
            3 => ["x/a", "y"],
            4 => ["--from-file", "x/a", "y/a", "y/b"],
            _ => ["x", "y"],
        };
        return Row(seed, kept, [.. args, .. operands]) with { Links = [.. links], Dirs = [.. dirs] };
    }

    private static CompatRow Odd(int seed, Random rnd)
    {
        string a = Text(rnd, rnd.Next(0, 6));
        (string, string)[] files = [("a", a), ("d/a", Mutate(rnd, a)), ("e/x", a)];
        string[][] cases =
        [
            ["a", "d"], ["d", "a"], ["-u", "a", "d"], ["d", "e"], ["-r", "d", "e"], ["a", "a"], ["-s", "a", "a"], ["d", "d"], ["-s", "-r", "d", "d"],
            ["a"], ["a", "b", "c"], ["--from-file=a", "d/a", "a"], ["--to-file=d", "a", "e/x"], ["-", "-"], ["-", "a"], ["-q", "nope", "nada"],
            ["-W", "0", "-y", "a", "d/a"], ["-C", "x", "a", "d/a"], ["--tabsize=0", "a", "d/a"], ["-U", "-1", "a", "d/a"], ["--horizon-lines=x", "a", "d/a"],
            ["-I", "(", "a", "d/a"], ["-F", "[", "-c", "a", "d/a"], ["--line-format=%q", "a", "d/a"], ["--old-group-format=%(", "a", "d/a"],
            ["--label", "A", "--label", "B", "--label", "C", "-u", "a", "d/a"], ["--no-such-option", "a", "d/a"], ["-D", "", "a", "d/a"],
        ];
        string[] args = Pick(rnd, cases);
        return Row(seed, files, args) with { StdinFile = args.Contains("-") ? "a" : null };
    }

    private static CompatRow Row(int seed, IEnumerable<(string, string)> files, string[] args) =>
        new($"random diff #{seed.ToString(CultureInfo.InvariantCulture)}: {string.Join(' ', args.Select(Show))}", "diff", [.. files], args);

    private static string Show(string arg) => arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_=./*,+".Contains(c, StringComparison.Ordinal))
        ? arg : "'" + arg.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "'";

    private static string Up(string name) => string.Concat(Enumerable.Repeat("../", name.Count(c => c == '/') + 1));

    private static T Pick<T>(Random rnd, T[] items) => items[rnd.Next(items.Length)];

    private static string Line(Random rnd) => rnd.Next(25) == 0 ? new string('w', rnd.Next(60, 300)) + rnd.Next(10).ToString(CultureInfo.InvariantCulture) : Pick(rnd, s_words);

    private static string Text(Random rnd, int lines)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            sb.Append(Line(rnd)).Append('\n');
        }

        return lines > 0 && rnd.Next(6) == 0 ? sb.ToString(0, sb.Length - 1) : sb.ToString();
    }

    /// <summary>The text with a few lines deleted, inserted or replaced by a variant (another case, other white space,
    /// a CR), and now and then its final newline added or taken away.</summary>
    private static string Mutate(Random rnd, string text)
    {
        bool finalNewline = text.Length == 0 || text[^1] == '\n';
        var lines = text.Length == 0 ? new List<string>() : [.. text.TrimEnd('\n').Split('\n')];
        if (text.Length > 0 && text.TrimEnd('\n').Length == 0)
        {
            lines = [.. text[..^1].Split('\n')];
        }

        int edits = rnd.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = rnd.Next(lines.Count + 1);
            switch (rnd.Next(6))
            {
                case 0 when lines.Count > 0 && at < lines.Count:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, Line(rnd));
                    break;
                case 2 when at < lines.Count:
                    lines[at] = Variant(rnd, lines[at]);
                    break;
                case 3 when at < lines.Count:
                    lines.Insert(at, lines[at]);
                    break;
                case 4:
                    lines.Insert(at, string.Empty);
                    break;
                default:
                    if (at < lines.Count)
                    {
                        lines[at] = Line(rnd);
                    }

                    break;
            }
        }

        if (rnd.Next(8) == 0)
        {
            finalNewline = !finalNewline;
        }

        string joined = string.Join('\n', lines);
        return lines.Count == 0 ? string.Empty : finalNewline ? joined + "\n" : joined;
    }

    private static string Variant(Random rnd, string line) => rnd.Next(7) switch
    {
        0 => line.ToUpperInvariant(),
        1 => line + " ",
        2 => line + "\r",
        3 => line.Replace("        ", "\t", StringComparison.Ordinal).Replace(" ", "  ", StringComparison.Ordinal),
        4 => "\t" + line.TrimStart(),
        5 => line.Replace("\t", "        ", StringComparison.Ordinal),
        _ => line.Replace(" ", string.Empty, StringComparison.Ordinal),
    };
}
