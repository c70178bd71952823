using System.Text;

namespace PatchKit.Tests.Cli.GnuCompat;

/// <summary>Random <c>patch</c> situations made from a seed and the real patches of the commits corpus: one case's
/// patch (its <c>diff -Naur</c> or its git form), sometimes damaged (a line dropped, doubled or replaced, a range
/// digit changed, the patch cut short, a sign flipped, another new date), applied with <c>-p1</c> to that case's files
/// before the change, sometimes changed (a line, emptied, removed, read-only, dated as the patch says), with a random
/// mix of GNU patch 2.7.6's options (<c>-D</c>, <c>-o</c>, <c>-Z</c>/<c>-T</c> in several time zones,
/// <c>--read-only</c>, <c>--quoting-style</c>, <c>-g</c>, backups, rejects, <c>--merge</c>, …).
/// <see cref="GnuPatchRandomTests"/> runs each through GNU patch and the drop-in with the table's harness;
/// <c>eng/gnu-patch-random.py</c> runs long stretches with more damage.</summary>
internal static class GnuPatchRandom
{
    /// <summary>The corpus's <c>-Naur</c> patches date both sides so (2000-01-01 00:00:00 UTC).</summary>
    private const string CorpusTime = "@946684800";

    private const int MaxPatchBytes = 40_000;

    private static readonly string[][] s_options =
    [
        ["-R"], ["-N"], ["-f"], ["-t"], ["--dry-run"], ["-s"], ["--verbose"], ["-b"], ["-E"], ["-F0"], ["-F1"], ["-F3"], ["-l"],
        ["--reject-format=unified"], ["--reject-format=context"], ["-r", "all.rej"], ["-r", "-"], ["--no-backup-if-mismatch"],
        ["--backup-if-mismatch"], ["-V", "numbered"], ["-V", "existing"], ["-z", ".bak"], ["--posix"], ["--merge"], ["--merge=diff3"],
        ["-B", "old/"], ["-Y", "pre-"], ["--binary"], ["-D", "PATCHKIT_RANDOM"], ["--ifdef=X"], ["-o", "out"], ["-o", "-"], ["-Z"], ["-T"],
        ["--read-only=ignore"], ["--read-only=fail"], ["--read-only=warn"], ["--quoting-style=c"], ["--quoting-style=escape"],
        ["--quoting-style=shell-always"], ["--quoting-style=literal"], ["-g1"], ["-g-1"], ["-x", "0"], ["--follow-symlinks"],
    ];

    private static readonly string[] s_garbage = ["GARBAGE", "", "\t", "#comment", "@@ -x +1 @@", "\\ No newline at end of file"];

    private static readonly string[] s_zones = ["UTC", "UTC", "America/New_York", "Asia/Kolkata"];

    private static readonly string[] s_dates = ["2001-02-03 04:05:06.000000000 +0000", "2001-02-03 04:05:06", "2001-02-03 04:05:06.000000000 -0500"];

    private static readonly UTF8Encoding s_strict = new(false, true);

    /// <summary>The situation of one seed, from the corpus cases extracted under <paramref name="commits"/>.</summary>
    public static CompatRow Case(int seed, string commits, IReadOnlyList<string> cases)
    {
        var rnd = new Random(seed);
        while (true)
        {
            string name = cases[rnd.Next(cases.Count)];
            string form = rnd.Next(2) == 0 ? "naur.diff" : "patch.diff";
            if (TryCase(seed, rnd, Path.Combine(commits, name), name, form) is { } row)
            {
                return row;
            }
        }
    }

    private static CompatRow? TryCase(int seed, Random rnd, string dir, string name, string form)
    {
        string? patch = ReadText(Path.Combine(dir, form), MaxPatchBytes);
        if (patch is null)
        {
            return null;
        }

        List<string> lines = [.. patch.Split('\n')];
        var files = new List<(string, string)>();
        foreach (string path in NamesOf(lines))
        {
            if (ReadText(Path.Combine(dir, "pre", path), 400_000) is { } text)
            {
                files.Add((path, text));
            }
            else if (File.Exists(Path.Combine(dir, "pre", path)))
            {
                return null; // not UTF-8 or too large for a row
            }
        }

        string patchKind = Damage(rnd, lines);
        var modes = new List<(string, UnixFileMode)>();
        var stamps = new List<(string, string)>();
        string treeKind = files.Count == 0 ? "none" : ChangeTree(rnd, files, modes);
        if (rnd.Next(2) == 0)
        {
            // Dated as the patch's old side says, so -Z/-T find no time mismatch.
            stamps.AddRange(files.Select(f => (f.Item1, CorpusTime)));
        }

        string[] args = [.. s_options.Where(_ => rnd.NextDouble() < 0.1).SelectMany(o => o), "-p1", "-i", "p.diff"];
        string zone = s_zones[rnd.Next(s_zones.Length)];
        files.Add(("p.diff", string.Join('\n', lines)));
        return new CompatRow($"patch random seed {seed}: {name} {form}, patch {patchKind}, tree {treeKind}, TZ={zone}: {string.Join(' ', args)}", "patch", [.. files], args)
        {
            Modes = [.. modes],
            Stamps = [.. stamps],
            Times = args.Contains("-Z") || args.Contains("-T"),
            Env = [("TZ", zone)],
        };
    }

    /// <summary>The file's text when it is UTF-8 and not larger than <paramref name="max"/> bytes, else null.</summary>
    private static string? ReadText(string path, int max)
    {
        if (!File.Exists(path) || new FileInfo(path).Length > max)
        {
            return null;
        }

        try
        {
            return s_strict.GetString(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is DecoderFallbackException or IOException)
        {
            return null; // (not UTF-8, or a link to nothing: the corpus has such files)
        }
    }

    /// <summary>The paths, after <c>-p1</c>, the patch names in its <c>---</c>/<c>+++</c> lines.</summary>
    private static SortedSet<string> NamesOf(List<string> lines)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            if ((line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("+++ ", StringComparison.Ordinal)) && !char.IsAsciiDigit(line[4..].FirstOrDefault()))
            {
                string path = line[4..].Split('\t')[0].Trim();
                int slash = path.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && path != "/dev/null" && !path.Contains("..", StringComparison.Ordinal))
                {
                    names.Add(path[(slash + 1)..]);
                }
            }
        }

        return names;
    }

    private static string Damage(Random rnd, List<string> lines)
    {
        string[] kinds = ["none", "none", "none", "drop", "double", "garbage", "range", "cut", "sign", "dated"];
        string kind = kinds[rnd.Next(kinds.Length)];
        if (kind == "none" || lines.Count < 3)
        {
            return "none";
        }

        int i = rnd.Next(1, lines.Count);
        switch (kind)
        {
            case "drop":
                lines.RemoveAt(i);
                break;
            case "double":
                lines.Insert(i, lines[i]);
                break;
            case "garbage":
                lines[i] = s_garbage[rnd.Next(s_garbage.Length)];
                break;
            case "cut":
                lines.RemoveRange(i, lines.Count - i);
                break;
            case "sign":
                if (lines[i].Length > 0 && lines[i][0] is '+' or '-' or ' ' && !lines[i].StartsWith("+++", StringComparison.Ordinal) && !lines[i].StartsWith("---", StringComparison.Ordinal))
                {
                    lines[i] = "+- "[rnd.Next(3)] + lines[i][1..];
                }

                break;
            case "range":
                int[] heads = [.. Enumerable.Range(0, lines.Count).Where(k => lines[k].StartsWith("@@ -", StringComparison.Ordinal))];
                if (heads.Length > 0)
                {
                    int k = heads[rnd.Next(heads.Length)];
                    int[] digits = [.. Enumerable.Range(0, lines[k].Length).Where(p => char.IsAsciiDigit(lines[k][p]))];
                    int p = digits[rnd.Next(digits.Length)];
                    lines[k] = lines[k][..p] + "0123456789x"[rnd.Next(11)] + lines[k][(p + 1)..];
                }

                break;
            default: // "dated": another new date on every +++ line, so -Z/-T have something to set
                string date = s_dates[rnd.Next(s_dates.Length)];
                for (int k = 0; k < lines.Count; k++)
                {
                    if (lines[k].StartsWith("+++ ", StringComparison.Ordinal) && lines[k].Contains('\t', StringComparison.Ordinal))
                    {
                        lines[k] = lines[k].Split('\t')[0] + "\t" + date;
                    }
                }

                break;
        }

        return kind;
    }

    private static string ChangeTree(Random rnd, List<(string Path, string Content)> files, List<(string, UnixFileMode)> modes)
    {
        string[] kinds = ["none", "none", "none", "line", "empty", "remove", "read-only"];
        string kind = kinds[rnd.Next(kinds.Length)];
        int i = rnd.Next(files.Count);
        switch (kind)
        {
            case "line":
                string[] text = files[i].Content.Split('\n');
                text[rnd.Next(text.Length)] = "changed by the comparison";
                files[i] = (files[i].Path, string.Join('\n', text));
                break;
            case "empty":
                files[i] = (files[i].Path, string.Empty);
                break;
            case "remove":
                files.RemoveAt(i);
                break;
            case "read-only":
                modes.Add((files[i].Path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
                break;
        }

        return kind;
    }
}
