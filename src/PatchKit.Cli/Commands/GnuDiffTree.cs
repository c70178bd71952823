using System.Text;
using System.Text.RegularExpressions;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>The pairs of a folder comparison that GNU diff visits but the library's walk reports nothing for (files the
/// same byte for byte), in GNU's order, and where each line of the walk's listing falls in that order.</summary>
internal static partial class GnuDiffTree
{
    /// <summary>The relative names of the regular files present on both sides (the same or not), in the order GNU
    /// diff visits them: names sorted by their bytes in each folder, a subfolder's entries where it sorts (with -r);
    /// the same exclusions (<c>-x</c>, <c>-X</c>) and starting file (<c>-S</c>) as the walk.</summary>
    public static List<string> CommonFiles(string oldRoot, string newRoot, DiffOptions options)
    {
        var found = new List<string>();
        Walk(string.Empty);
        return found;

        void Walk(string rel)
        {
            string oldDir = rel.Length == 0 ? oldRoot : Path.Combine(oldRoot, rel);
            string newDir = rel.Length == 0 ? newRoot : Path.Combine(newRoot, rel);
            string[] names;
            try
            {
                names = [.. Directory.EnumerateFileSystemEntries(oldDir).Select(e => Path.GetFileName(e))];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The walk itself reports a folder it cannot read.
                return;
            }

            Array.Sort(names, CompareNames);
            foreach (string name in names)
            {
                if ((options.Exclude is { } exclude && exclude(name))
                    || (rel.Length == 0 && options.StartingFile is { } start && string.CompareOrdinal(name, start) < 0))
                {
                    continue;
                }

                string relName = rel.Length == 0 ? name : rel + "/" + name;
                string oldPath = Path.Combine(oldDir, name);
                string newPath = Path.Combine(newDir, name);
                if (options.NoDereference && (new FileInfo(oldPath).LinkTarget is not null || new FileInfo(newPath).LinkTarget is not null))
                {
                    continue;
                }

                if (File.Exists(oldPath) && File.Exists(newPath))
                {
                    found.Add(relName);
                }
                else if (options.Recursive && Directory.Exists(oldPath) && Directory.Exists(newPath))
                {
                    Walk(relName);
                }
            }
        }
    }

    /// <summary>Orders two relative names as GNU diff's walk meets them: folder by folder, each name by its bytes.</summary>
    public static int ComparePaths(string a, string b)
    {
        string[] x = a.Split('/');
        string[] y = b.Split('/');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int c = CompareNames(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    /// <summary>A name inside a folder operand, as GNU diff (and the walk) writes it.</summary>
    public static string Join(string operand, string rel) => operand.EndsWith('/') ? operand + rel : operand + "/" + rel;

    /// <summary>The relative name a line of the walk's brief listing is about (<c>Files … differ</c>, <c>Only in
    /// DIR: NAME</c>, <c>File … is a … while file …</c>, <c>Common subdirectories: …</c>, <c>Symbolic links …</c>), or
    /// <see langword="null"/> for a line that names none.</summary>
    public static string? ListingKey(string line, string oldOperand, string newOperand)
    {
        Match m = OnlyIn().Match(line);
        if (m.Success)
        {
            string? dir = Relative(m.Groups[1].Value, oldOperand, newOperand);
            return dir is null ? null : dir.Length == 0 ? m.Groups[2].Value : dir + "/" + m.Groups[2].Value;
        }

        m = PairLine().Match(line);
        return m.Success ? Relative(m.Groups[1].Value, oldOperand, newOperand) : null;
    }

    private static string? Relative(string path, string oldOperand, string newOperand)
    {
        foreach (string operand in new[] { oldOperand, newOperand })
        {
            if (path == operand)
            {
                return string.Empty;
            }

            string prefix = operand.EndsWith('/') ? operand : operand + "/";
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return path[prefix.Length..];
            }
        }

        return null;
    }

    private static int CompareNames(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    [GeneratedRegex("^Only in (.*): (.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex OnlyIn();

    [GeneratedRegex("^(?:Files|Binary files|Symbolic links|File|Common subdirectories:) (.*?) (?:and|is a) ", RegexOptions.CultureInvariant)]
    private static partial Regex PairLine();
}
