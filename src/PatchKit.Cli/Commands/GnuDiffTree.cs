using System.Text;
using System.Text.RegularExpressions;
using PatchKit.Cli.Native;
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
    /// <param name="sideBySide">Whether no difference still means output (<c>-y</c> without
    /// <c>--suppress-common-lines</c>): then one folder met on both sides is walked into (with <c>-r</c>) or named
    /// "Common subdirectories", which the library's walk passes over as GNU does otherwise.</param>
    public static WalkOrder Order(string oldRoot, string newRoot, DiffOptions options, bool sideBySide)
    {
        var order = new WalkOrder();
        bool ignoreCase = options.IgnoreFileNameCase;
        // The folders being walked on each side: one met again is GNU's "recursive directory loop" (the library's walk
        // reports it), not walked into.
        var oldParents = new List<(ulong, ulong)?>();
        var newParents = new List<(ulong, ulong)?>();
        Walk(string.Empty, true, string.Empty, true);
        return order;

        static (ulong, ulong)? Identity(string dir, bool exists) =>
            exists && TryStat(dir, follow: true, out NativeStat.FileStatus st) && NativeStat.Supported ? (st.Device, st.Inode) : null;

        // A folder missing from one side is walked under the other side's name (as GNU names it), listing nothing there.
        void Walk(string oldRel, bool oldExists, string newRel, bool newExists)
        {
            string oldDir = Path.Combine(oldRoot, oldRel);
            string newDir = Path.Combine(newRoot, newRel);
            (ulong, ulong)? oldId = Identity(oldDir, oldExists);
            (ulong, ulong)? newId = Identity(newDir, newExists);
            if ((oldId is not null || newId is not null) && (!oldExists || oldParents.Contains(oldId)) && (!newExists || newParents.Contains(newId)))
            {
                return;
            }

            oldParents.Add(oldId);
            newParents.Add(newId);
            byte[][] oldNames, newNames;
            try
            {
                oldNames = oldExists ? Names(oldDir) : [];
                newNames = newExists ? Names(newDir) : [];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The walk itself reports a folder it cannot read.
                Leave();
                return;
            }

            int i = 0, j = 0;
            while (i < oldNames.Length || j < newNames.Length)
            {
                int cmp = FileNameOrder.Step(oldNames, i, newNames, j, static n => n, ignoreCase);
                // Names are bytes: one that is not UTF-8 keeps them as FileNames escapes (never a lossy U+FFFD).
                string? name = cmp <= 0 ? FileNames.Decode(oldNames[i++]) : null;
                string? newName = cmp >= 0 ? FileNames.Decode(newNames[j++]) : null;
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
                    && !(options.NoDereference && ((oldPath is not null && IsLink(oldPath)) || (newPath is not null && IsLink(newPath))));
                // Links not followed that lead to the same place are an identical pair too (-s names them).
                bool sameLinks = options.NoDereference && oldPath is not null && newPath is not null && IsLink(oldPath) && IsLink(newPath)
                    && SameTarget(oldPath, newPath);
                // One device, fifo or socket on both sides (GNU's same_file): the library's walk says nothing of it.
                string? sameSpecial = oldPath is not null && newPath is not null && !options.NoDereference ? SameSpecial(oldPath, newPath) : null;
                // One folder on both sides (GNU's same_file): nothing unless -y shows it.
                bool oldIsDir = oldPath is not null && IsDirectory(oldPath) && !(options.NoDereference && IsLink(oldPath));
                bool newIsDir = newPath is not null && IsDirectory(newPath) && !(options.NoDereference && IsLink(newPath));
                bool sameFolder = oldIsDir && newIsDir && SameFile(oldPath!, newPath!, out _);
                if (sameFolder && !sideBySide)
                {
                    continue;
                }

                order.Add(name is null && !oldAsEmpty ? null : oldRelName, newName is null && !newAsEmpty ? null : newRelName, bothFiles, sameLinks, sameFolder && !options.Recursive ? "directory" : sameSpecial);
                if (options.Recursive && (oldPath is null || oldIsDir) && (newPath is null || newIsDir))
                {
                    Walk(oldRelName, oldPath is not null, newRelName, newPath is not null);
                }
            }

            Leave();
        }

        void Leave()
        {
            oldParents.RemoveAt(oldParents.Count - 1);
            newParents.RemoveAt(newParents.Count - 1);
        }

        // A folder's names less the excluded ones, in the walk's order: read as bytes (libc's readdir) where it can.
        byte[][] Names(string dir)
        {
            var names = new List<byte[]>();
            if (NativeFiles.Supported)
            {
                var entries = new List<(byte[] Name, byte Type)>();
                if (!NativeFiles.TryList(NativeFiles.CurrentDirectory, dir, entries))
                {
                    throw new IOException(dir);
                }

                names.AddRange(entries.Select(e => e.Name).Where(n => options.Exclude is not { } exclude || !exclude(FileNames.Decode(n))));
            }
            else
            {
                foreach (string entry in Directory.EnumerateFileSystemEntries(dir))
                {
                    string name = Path.GetFileName(entry);
                    if (options.Exclude is not { } exclude || !exclude(name))
                    {
                        names.Add(Encoding.UTF8.GetBytes(name));
                    }
                }
            }

            names.Sort((x, y) => FileNameOrder.Compare(x, y, ignoreCase));
            return [.. names];
        }
    }

    /// <summary>What <c>stat</c> (through links) or <c>lstat</c> (<paramref name="follow"/> false) says of a path, on
    /// the exact bytes of its name (a name that is not UTF-8 holds <see cref="FileNames"/> escapes, which .NET's file
    /// calls cannot name); elsewhere .NET's view (a folder, a regular file, a link).</summary>
    private static bool TryStat(string path, bool follow, out NativeStat.FileStatus status)
    {
        if (NativeStat.Supported)
        {
            return NativeStat.TryGet(path, follow, out status);
        }

        status = default;
        FileSystemInfo? info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        try
        {
            if (info.LinkTarget is not null)
            {
                if (!follow)
                {
                    status = new NativeStat.FileStatus(0xA000, 0, 0, 0, 1);
                    return true;
                }

                info = info.ResolveLinkTarget(returnFinalTarget: true);
            }
        }
        catch (IOException)
        {
            return false;
        }

        if (info is not { Exists: true })
        {
            return false;
        }

        status = new NativeStat.FileStatus(info is DirectoryInfo ? 0x4000u : 0x8000u, 0, 0, 0, 1);
        return true;
    }

    /// <summary>Whether a path is a regular file or a link that leads to one (a dangling link is the walk's error, not
    /// a pair to compare).</summary>
    private static bool IsFile(string path) => TryStat(path, follow: true, out NativeStat.FileStatus s) && s.IsRegular;

    /// <summary>Whether a path is a folder or a link that leads to one.</summary>
    public static bool IsDirectory(string path) => TryStat(path, follow: true, out NativeStat.FileStatus s) && s.IsDirectory;

    /// <summary>Whether GNU's look at an operand finds a folder: through its links, or with
    /// <paramref name="noDereference"/> (<c>lstat</c>) the link itself, which is never one.</summary>
    public static bool IsDirectory(string path, bool noDereference) => TryStat(path, follow: !noDereference, out NativeStat.FileStatus s) && s.IsDirectory;

    /// <summary>Whether two symbolic links hold one target, byte for byte (.NET's decoded targets where libc is not
    /// available: two targets not in UTF-8 may then look alike).</summary>
    private static bool SameTarget(string oldPath, string newPath) => NativeStat.Supported
        ? NativeStat.ReadLink(oldPath) is { } a && NativeStat.ReadLink(newPath) is { } b && a.AsSpan().SequenceEqual(b)
        : string.Equals(new FileInfo(oldPath).LinkTarget, new FileInfo(newPath).LinkTarget, StringComparison.Ordinal);

    /// <summary>Whether a path is a symbolic link (not followed).</summary>
    public static bool IsLink(string path) => TryStat(path, follow: false, out NativeStat.FileStatus s) && s.IsSymlink;

    /// <summary>GNU's kind of one file, neither regular nor a folder (a device, a fifo, a socket), that both paths lead
    /// to (one device and inode), else null.</summary>
    private static string? SameSpecial(string oldPath, string newPath)
    {
        if (!SameFile(oldPath, newPath, out uint mode))
        {
            return null;
        }

        return (mode & 0xF000) switch
        {
            0x1000 => "fifo",
            0x2000 => "character special file",
            0x6000 => "block special file",
            0xC000 => "socket",
            _ => null,
        };
    }

    /// <summary>Whether both paths lead to one file (one device and inode, links followed), and its mode.</summary>
    public static bool SameFile(string oldPath, string newPath, out uint mode)
    {
        mode = 0;
        if (!NativeStat.Supported || !TryStat(oldPath, follow: true, out NativeStat.FileStatus a) || !TryStat(newPath, follow: true, out NativeStat.FileStatus b)
            || (a.Device, a.Inode) != (b.Device, b.Inode))
        {
            return false;
        }

        mode = a.Mode;
        return true;
    }

    /// <summary>Whether <c>stat</c> finds <paramref name="path"/>: through its links (a dangling link or a loop of links
    /// is missing, as for GNU diff), or the link itself with <paramref name="noDereference"/>.</summary>
    public static bool Present(string path, bool noDereference) => TryStat(path, follow: !noDereference, out _);

    /// <summary>Whether an operand is there to compare: <see cref="Present"/>, or a loop of links (whose read then
    /// reports "Too many levels of symbolic links", an error even with <c>-N</c>).</summary>
    public static bool Found(string path, bool noDereference) => Present(path, noDereference) || IsLoop(path);

    /// <summary>GNU's words for an operand <c>stat</c> cannot find: a loop of links, else no such file.</summary>
    public static string MissingReason(string path) => IsLoop(path) ? "Too many levels of symbolic links" : "No such file or directory";

    /// <summary>Whether <paramref name="path"/> is a link that leads round in a loop (<c>stat</c> fails with <c>ELOOP</c>):
    /// an error even with <c>-N</c>, which reads only a missing file as empty.</summary>
    public static bool IsLoop(string path)
    {
        if (NativeStat.Supported)
        {
            return NativeStat.StatError(path) == NativeStat.ErrorLoop;
        }

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
            int c = FileNameOrder.Compare(FileNames.Encode(x[i]), FileNames.Encode(y[i]), ignoreCase);
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

    /// <summary>Gets the entries that lead to one device, fifo or socket on both sides, with GNU's kind for it: each
    /// side's relative name and the entry's place in the walk.</summary>
    public List<(string Old, string New, int Position, string Kind)> SameSpecial { get; } = [];

    private readonly List<(string? Old, string? New, int Position)> _entries = [];
    private int _cursor;

    public void Add(string? oldRel, string? newRel, bool bothFiles, bool sameLinks = false, string? sameSpecial = null)
    {
        int position = _old.Count + _new.Count;
        _entries.Add((oldRel, newRel, position));
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

        if (sameSpecial is not null)
        {
            SameSpecial.Add((oldRel!, newRel!, position, sameSpecial));
        }
    }

    /// <summary>The entry of the walk a line of the library's brief listing is about (<c>Files … differ</c>, with names
    /// C-quoted as GNU's headers quote them; <c>Binary files … differ</c>, <c>Symbolic links … differ</c>, <c>Common
    /// subdirectories: …</c>, <c>File … is a … while file … is a …</c>, <c>Only in DIR: NAME</c>, names as they are),
    /// found by the walk's own names (a name may hold " and ", " is a " or ": "), or null. Lines come in the walk's
    /// order: the search goes on from the last entry found.</summary>
    public (string? Old, string? New, int Position)? Find(string line, string oldOperand, string newOperand)
    {
        for (int k = 0; k < _entries.Count; k++)
        {
            int at = (_cursor + k) % _entries.Count;
            if (About(line, _entries[at].Old, _entries[at].New, oldOperand, newOperand))
            {
                _cursor = at;
                return _entries[at];
            }
        }

        return null;
    }

    private static bool About(string line, string? oldRel, string? newRel, string oldOperand, string newOperand)
    {
        if (oldRel is not null && newRel is not null)
        {
            string a = GnuDiffTree.Join(oldOperand, oldRel);
            string b = GnuDiffTree.Join(newOperand, newRel);
            string ra = GnuNames.Raw(a);
            string rb = GnuNames.Raw(b);
            return line == $"Files {GnuNames.Quoted(a)} and {GnuNames.Quoted(b)} differ" || line == $"Binary files {ra} and {rb} differ"
                || line == $"Symbolic links {ra} and {rb} differ" || line == $"Common subdirectories: {ra} and {rb}"
                || (line.StartsWith($"File {ra} is a ", StringComparison.Ordinal) && line.Contains($" while file {rb} is a ", StringComparison.Ordinal));
        }

        string rel = (oldRel ?? newRel)!;
        string operand = oldRel is null ? newOperand : oldOperand;
        int slash = rel.LastIndexOf('/');
        return line == $"Only in {GnuNames.Raw(slash < 0 ? operand : GnuDiffTree.Join(operand, rel[..slash]))}: {GnuNames.Raw(rel[(slash + 1)..])}";
    }

    /// <summary>Where a side's relative name falls in the walk, or null when the walk did not meet it.</summary>
    public int? PositionOf(string rel, bool newSide) => (newSide ? _new : _old).TryGetValue(rel, out int position) ? position : null;
}
