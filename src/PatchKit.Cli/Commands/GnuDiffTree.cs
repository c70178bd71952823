using System.Text;
using System.Text.RegularExpressions;
using PatchKit.Diffs;

namespace PatchKit.Cli.Commands;

/// <summary>The pairs of a folder comparison that GNU diff visits but the library's walk reports nothing for (files the
/// same byte for byte), in GNU's order, and where each line of the walk's listing falls in that order.</summary>
internal static partial class GnuDiffTree
{
    /// <summary>GNU diff's walk of two folders, entry by entry in the order it visits them: names sorted as
    /// <see cref="FileNameOrder"/> says in each folder (paired regardless of case with
    /// <see cref="DiffOptions.IgnoreFileNameCase"/>), a subfolder's entries where it sorts (with -r); the same exclusions
    /// (<c>-x</c>, <c>-X</c>) and starting file (<c>-S</c>) as the library's walk.</summary>
    public static WalkOrder Order(string oldRoot, string newRoot, DiffOptions options)
    {
        var order = new WalkOrder();
        bool ignoreCase = options.IgnoreFileNameCase;
        Walk(string.Empty, true, string.Empty, true);
        return order;

        // A folder missing from one side is walked under the other side's name (as GNU names it), listing nothing there.
        void Walk(string oldRel, bool oldExists, string newRel, bool newExists)
        {
            string oldDir = Path.Combine(oldRoot, oldRel);
            string newDir = Path.Combine(newRoot, newRel);
            byte[][] oldNames, newNames;
            try
            {
                oldNames = oldExists ? Names(oldDir) : [];
                newNames = newExists ? Names(newDir) : [];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The walk itself reports a folder it cannot read.
                return;
            }

            int i = 0, j = 0;
            while (i < oldNames.Length || j < newNames.Length)
            {
                int cmp = FileNameOrder.Step(oldNames, i, newNames, j, static n => n, ignoreCase);
                string? name = cmp <= 0 ? Encoding.UTF8.GetString(oldNames[i++]) : null;
                string? newName = cmp >= 0 ? Encoding.UTF8.GetString(newNames[j++]) : null;
                if (oldRel.Length == 0 && newRel.Length == 0 && options.StartingFile is { } start && FileNameOrder.BeforeStart(name ?? newName!, start, ignoreCase))
                {
                    continue;
                }

                // A name on one side only stands for both.
                string oldRelName = oldRel.Length > 0 ? oldRel + "/" + (name ?? newName) : (name ?? newName)!;
                string newRelName = newRel.Length > 0 ? newRel + "/" + (newName ?? name) : (newName ?? name)!;
                string? oldPath = name is null ? null : Path.Combine(oldDir, name);
                string? newPath = newName is null ? null : Path.Combine(newDir, newName);

                // With -N (or --unidirectional-new-file, for a name the old side lacks) a file on one side is compared
                // with an empty one of its name: that pair is identical when the file is empty.
                bool oldAsEmpty = name is null && (options.TreatAbsentAsEmpty || options.UnidirectionalNewFile);
                bool newAsEmpty = newName is null && options.TreatAbsentAsEmpty;
                bool bothFiles = (oldPath is null ? oldAsEmpty : IsFile(oldPath)) && (newPath is null ? newAsEmpty : IsFile(newPath))
                    && !(options.NoDereference && ((oldPath is not null && new FileInfo(oldPath).LinkTarget is not null) || (newPath is not null && new FileInfo(newPath).LinkTarget is not null)));
                // Links not followed that lead to the same place are an identical pair too (-s names them).
                bool sameLinks = options.NoDereference && oldPath is not null && newPath is not null && new FileInfo(oldPath).LinkTarget is { } t0
                    && string.Equals(t0, new FileInfo(newPath).LinkTarget, StringComparison.Ordinal);
                order.Add(name is null && !oldAsEmpty ? null : oldRelName, newName is null && !newAsEmpty ? null : newRelName, bothFiles, sameLinks);
                if (options.Recursive && (oldPath is null || Directory.Exists(oldPath)) && (newPath is null || Directory.Exists(newPath)))
                {
                    Walk(oldRelName, oldPath is not null, newRelName, newPath is not null);
                }
            }
        }

        // A folder's names less the excluded ones, in the walk's order.
        byte[][] Names(string dir)
        {
            var names = new List<byte[]>();
            foreach (string entry in Directory.EnumerateFileSystemEntries(dir))
            {
                string name = Path.GetFileName(entry);
                if (options.Exclude is not { } exclude || !exclude(name))
                {
                    names.Add(Encoding.UTF8.GetBytes(name));
                }
            }

            names.Sort((x, y) => FileNameOrder.Compare(x, y, ignoreCase));
            return [.. names];
        }
    }

    /// <summary>Whether a path is a regular file or a link that leads to one (a dangling link is the walk's error, not
    /// a pair to compare).</summary>
    private static bool IsFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && (info.LinkTarget is null || info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true });
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether <c>stat</c> finds <paramref name="path"/>: through its links (a dangling link or a loop of links
    /// is missing, as for GNU diff), or the link itself with <paramref name="noDereference"/>.</summary>
    public static bool Present(string path, bool noDereference)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return info.Exists || Directory.Exists(path);
        }

        try
        {
            return noDereference || (info.ResolveLinkTarget(returnFinalTarget: true) is { } target && Path.Exists(target.FullName));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>GNU's words for an operand <c>stat</c> cannot find: a loop of links, else no such file.</summary>
    public static string MissingReason(string path) => IsLoop(path) ? "Too many levels of symbolic links" : "No such file or directory";

    /// <summary>Whether <paramref name="path"/> is a link that leads round in a loop (<c>stat</c> fails with <c>ELOOP</c>):
    /// an error even with <c>-N</c>, which reads only a missing file as empty.</summary>
    public static bool IsLoop(string path)
    {
        try
        {
            File.ResolveLinkTarget(path, returnFinalTarget: true);
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // .NET follows at most 40 links, as the kernel does, and then fails so (a missing name fails otherwise).
            return ex is IOException and not FileNotFoundException and not DirectoryNotFoundException;
        }
    }

    /// <summary>Orders two relative names as GNU diff's walk meets them: folder by folder, each name as
    /// <see cref="FileNameOrder.Compare"/> orders it.</summary>
    public static int ComparePaths(string a, string b, bool ignoreCase)
    {
        string[] x = a.Split('/');
        string[] y = b.Split('/');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int c = FileNameOrder.Compare(Encoding.UTF8.GetBytes(x[i]), Encoding.UTF8.GetBytes(y[i]), ignoreCase);
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
    /// DIR: NAME</c>, <c>File … is a … while file …</c>, <c>Common subdirectories: …</c>, <c>Symbolic links …</c>) and
    /// whether it is the new side's name, or <see langword="null"/> for a line that names none.</summary>
    public static (string Rel, bool NewSide)? ListingKey(string line, string oldOperand, string newOperand)
    {
        Match m = OnlyIn().Match(line);
        if (m.Success)
        {
            return Relative(m.Groups[1].Value, oldOperand, newOperand) is { } dir
                ? (dir.Rel.Length == 0 ? m.Groups[2].Value : dir.Rel + "/" + m.Groups[2].Value, dir.NewSide)
                : null;
        }

        m = PairLine().Match(line);
        return m.Success ? Relative(m.Groups[1].Value, oldOperand, newOperand) : null;
    }

    private static (string Rel, bool NewSide)? Relative(string path, string oldOperand, string newOperand)
    {
        foreach ((string operand, bool newSide) in new[] { (oldOperand, false), (newOperand, true) })
        {
            if (path == operand)
            {
                return (string.Empty, newSide);
            }

            string prefix = operand.EndsWith('/') ? operand : operand + "/";
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (path[prefix.Length..], newSide);
            }
        }

        return null;
    }

    [GeneratedRegex("^Only in (.*): (.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex OnlyIn();

    [GeneratedRegex("^(?:Files|Binary files|Symbolic links|File|Common subdirectories:) (.*?) (?:and|is a) ", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex PairLine();
}

/// <summary>The entries of GNU diff's walk of two folders in its order (see <see cref="GnuDiffTree.Order"/>): where each
/// side's relative name falls, and the regular files present on both sides.</summary>
internal sealed class WalkOrder
{
    private readonly Dictionary<string, int> _old = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _new = new(StringComparer.Ordinal);

    /// <summary>Gets the regular files present on both sides (the same or not), and the links not followed with the
    /// same target on both: each side's relative name, the entry's place in the walk, and whether it is such links.</summary>
    public List<(string Old, string New, int Position, bool Links)> CommonFiles { get; } = [];

    public void Add(string? oldRel, string? newRel, bool bothFiles, bool sameLinks = false)
    {
        int position = _old.Count + _new.Count;
        if (oldRel is not null)
        {
            _old.TryAdd(oldRel, position);
        }

        if (newRel is not null)
        {
            _new.TryAdd(newRel, position);
        }

        if (bothFiles || sameLinks)
        {
            CommonFiles.Add((oldRel!, newRel!, position, sameLinks));
        }
    }

    /// <summary>Where a side's relative name falls in the walk, or null when the walk did not meet it.</summary>
    public int? PositionOf(string rel, bool newSide) => (newSide ? _new : _old).TryGetValue(rel, out int position) ? position : null;
}
