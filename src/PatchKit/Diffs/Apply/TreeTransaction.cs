using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.Text;

namespace PatchKit.Diffs.Apply;

/// <summary>Commits a set of changes to a tree all-or-nothing and crash-safe, with an undo journal.</summary>
/// <remarks>
/// Every new content is computed before this runs. Commit first writes <see cref="JournalName"/> in the root: the
/// old state (bytes, kind, exec bit) of every path it will touch, ended by a trailer. Only then are files changed,
/// in place and in parallel (on the reference disk a rename per file costs about five times an in-place rewrite, see
/// the corpus README). Last, the journal is deleted: that is the commit point. A journal without its trailer means
/// the tree was not touched yet; a complete one means a commit was interrupted, and <see cref="Recover"/> puts every
/// journalled path back, so the tree is exactly as before. By default nothing is flushed to the disk, which protects
/// against a killed process, not against power loss. With <c>flush</c> (<see cref="ApplyOptions.FlushToDisk"/>) the
/// journal and its folder are flushed before the first change, every written file and every folder whose names
/// changed before the journal is deleted, and the root after it: a power cut then leaves either a complete journal
/// (recovered to the old tree) or the whole new tree.
/// </remarks>
internal static class TreeTransaction
{
    public const string JournalName = ".patchkit-journal";

    private static ReadOnlySpan<byte> Magic => "PATCHKIT-JOURNAL 1\n"u8;

    private static ReadOnlySpan<byte> Trailer => "COMPLETE"u8;

    public static void Commit(IFileSystem fs, string root, IReadOnlyList<TreeChange> changes, int parallelism, bool flush, CancellationToken cancellationToken)
    {
        string journal = fs.Path.Combine(root, JournalName);
        if (changes.Count == 1 && changes[0].After.Kind == EntryKind.File && changes[0].Before.Kind is EntryKind.File or EntryKind.Absent)
        {
            CommitBySwap(fs, root, journal, changes[0], flush);
            return;
        }

        WriteJournal(fs, journal, changes, flush);
        CommitHooks.Step();
        try
        {
            CommitChanges(fs, root, changes, parallelism, flush, cancellationToken);
            if (flush)
            {
                FlushFolders(fs, root, changes);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or AggregateException)
        {
            // Put the tree back as it was, then report what went wrong.
            Recover(fs, root);
            Exception cause = ex is AggregateException agg && agg.InnerExceptions.Count > 0 ? agg.InnerExceptions[0] : ex;
            throw new PatchApplyException($"Writing the tree failed, so every change was rolled back: {cause.Message}", root, cause);
        }

        fs.File.Delete(journal);
        if (flush)
        {
            DiskSync.Folder(fs, root);
        }

        CommitHooks.Step();
    }

    /// <summary>Flushes every folder in which a name was created, deleted or replaced (a removed folder's parent too).</summary>
    private static void FlushFolders(IFileSystem fs, string root, IReadOnlyList<TreeChange> changes)
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (TreeChange c in changes)
        {
            if (c.Before.Kind == c.After.Kind && c.Before.Kind == EntryKind.File)
            {
                continue; // rewritten in place: the file's own flush covers it
            }

            string relative = c.Relative;
            int slash = relative.LastIndexOf('/');
            while (true)
            {
                string folder = slash < 0 ? root : fs.Path.Combine(root, relative[..slash]);
                if (fs.Directory.Exists(folder))
                {
                    folders.Add(folder);
                    break;
                }

                if (slash < 0)
                {
                    break;
                }

                relative = relative[..slash];
                slash = relative.LastIndexOf('/');
            }
        }

        foreach (string folder in folders)
        {
            DiskSync.Folder(fs, folder);
        }
    }

    /// <summary>One file: write the new content beside it and rename it over the old one, which is atomic by itself.
    /// The journal only names the temporary file, so recovery removes it when the rename never happened. This writes
    /// the file once instead of journalling its old bytes and rewriting it (the one-big-file case).</summary>
    private static void CommitBySwap(IFileSystem fs, string root, string journal, TreeChange change, bool flush)
    {
        string relative = change.Relative;
        int slash = relative.LastIndexOf('/');
        string tempRelative = relative[..(slash + 1)] + ".patchkit-new." + relative[(slash + 1)..];
        WriteJournal(fs, journal, [new TreeChange(tempRelative, TreeEntry.Absent, TreeEntry.Absent)], flush);

        CommitHooks.Step();
        string full = fs.Path.Combine(root, relative);
        string temp = fs.Path.Combine(root, tempRelative);
        try
        {
            if (change.Before.Kind == EntryKind.Absent)
            {
                string? folder = fs.Path.GetDirectoryName(full);
                if (folder is not null)
                {
                    fs.Directory.CreateDirectory(folder);
                }
            }

            using (Stream stream = fs.FileStream.New(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                stream.Write(change.After.Content.Span);
                if (flush)
                {
                    DiskSync.File(stream);
                }
            }

            if (!OperatingSystem.IsWindows())
            {
                const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                UnixFileMode mode = change.Before.Kind == EntryKind.File ? fs.File.GetUnixFileMode(full) : fs.File.GetUnixFileMode(temp);
                if (change.After.Executable is bool wanted && wanted != ((mode & UnixFileMode.UserExecute) != 0))
                {
                    mode = wanted ? mode | UnixFileMode.UserExecute | ((mode & UnixFileMode.GroupRead) != 0 ? UnixFileMode.GroupExecute : 0) | ((mode & UnixFileMode.OtherRead) != 0 ? UnixFileMode.OtherExecute : 0) : mode & ~exec;
                }

                if (change.Before.Kind == EntryKind.File || change.After.Executable == true)
                {
                    fs.File.SetUnixFileMode(temp, mode);
                }
            }

            CommitHooks.Step();
            fs.File.Move(temp, full, overwrite: true);
            if (flush)
            {
                DiskSync.Folder(fs, fs.Path.GetDirectoryName(full) ?? root);
            }

            CommitHooks.Step();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // ArgumentException/NotSupportedException: a name this file system cannot hold (e.g. '?' on Windows rules).
            Recover(fs, root);
            throw new PatchApplyException($"Writing '{relative}' failed, so nothing was changed: {ex.Message}", relative, ex);
        }

        fs.File.Delete(journal);
        CommitHooks.Step();
    }

    private static void CommitChanges(IFileSystem fs, string root, IReadOnlyList<TreeChange> changes, int parallelism, bool flush, CancellationToken cancellationToken)
    {
        _ = cancellationToken; // once the journal is written, the commit runs to its end
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism };

        // 1. Removals (and a file that becomes a link or the other way round).
        var removed = new ConcurrentBag<string>();
        Parallel.For(0, changes.Count, options, i =>
        {
            TreeChange c = changes[i];
            if (c.Before.Kind != EntryKind.Absent && c.After.Kind != c.Before.Kind)
            {
                DeletePath(fs, fs.Path.Combine(root, c.Relative));
                if (c.After.Kind == EntryKind.Absent)
                {
                    removed.Add(c.Relative);
                }

                CommitHooks.Step();
            }
        });

        foreach (string relative in removed)
        {
            RemoveEmptyParents(fs, root, relative);
        }

        // 2. Writes, in place where the file exists.
        var folders = new ConcurrentDictionary<string, Lazy<bool>>(StringComparer.Ordinal);
        Parallel.For(0, changes.Count, options, i =>
        {
            TreeChange c = changes[i];
            if (c.After.Kind != EntryKind.Absent)
            {
                Write(fs, root, c.Relative, c.Before.Kind == c.After.Kind ? c.Before : TreeEntry.Absent, c.After, folders, flush);
                CommitHooks.Step();
            }
        });
    }

    /// <summary>Rolls back an interrupted commit. Returns <see langword="true"/> when a journal was found.</summary>
    public static bool Recover(IFileSystem fs, string root)
    {
        string journal = fs.Path.Combine(root, JournalName);
        if (!fs.File.Exists(journal))
        {
            return false;
        }

        byte[] data = fs.File.ReadAllBytes(journal);
        List<TreeChange>? entries = ReadJournal(data);
        if (entries is not null)
        {
            var folders = new ConcurrentDictionary<string, Lazy<bool>>(StringComparer.Ordinal);
            foreach (TreeChange entry in entries)
            {
                string full = fs.Path.Combine(root, entry.Relative);
                TreeEntry before = entry.Before;
                if (before.Kind == EntryKind.Absent)
                {
                    DeletePath(fs, full);
                    RemoveEmptyParents(fs, root, entry.Relative);
                    continue;
                }

                EntryKind now = KindOf(fs, full);
                if (now != before.Kind && now != EntryKind.Absent)
                {
                    DeletePath(fs, full);
                    now = EntryKind.Absent;
                }

                Write(fs, root, entry.Relative, now == EntryKind.Absent ? TreeEntry.Absent : new TreeEntry(now, ReadOnlyMemory<byte>.Empty, null), before, folders, flush: true); // a recovery is rare: make it durable
            }
        }

        fs.File.Delete(journal);
        return true;
    }

    internal static EntryKind KindOf(IFileSystem fs, string full)
    {
        try
        {
            FileAttributes a = fs.File.GetAttributes(full);
            return (a & FileAttributes.ReparsePoint) != 0 ? EntryKind.Symlink : (a & FileAttributes.Directory) != 0 ? EntryKind.Directory : EntryKind.File;
        }
        catch (FileNotFoundException)
        {
            return EntryKind.Absent;
        }
        catch (DirectoryNotFoundException)
        {
            return EntryKind.Absent;
        }
    }

    internal static void SetExecutable(IFileSystem fs, string full, bool executable)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode mode = fs.File.GetUnixFileMode(full);
        const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        UnixFileMode wanted = mode & ~exec;
        if (executable)
        {
            wanted |= UnixFileMode.UserExecute;
            wanted |= (mode & UnixFileMode.GroupRead) != 0 ? UnixFileMode.GroupExecute : 0;
            wanted |= (mode & UnixFileMode.OtherRead) != 0 ? UnixFileMode.OtherExecute : 0;
        }

        if (wanted != mode)
        {
            fs.File.SetUnixFileMode(full, wanted);
        }
    }

    private static void Write(IFileSystem fs, string root, string relative, TreeEntry before, TreeEntry after, ConcurrentDictionary<string, Lazy<bool>> folders, bool flush)
    {
        string full = fs.Path.Combine(root, relative);
        if (before.Kind == EntryKind.Absent)
        {
            string? folder = fs.Path.GetDirectoryName(full);
            if (folder is not null)
            {
                _ = folders.GetOrAdd(folder, f => new Lazy<bool>(() =>
                {
                    fs.Directory.CreateDirectory(f);
                    return true;
                })).Value;
            }
        }

        if (after.Kind == EntryKind.Symlink)
        {
            if (before.Kind == EntryKind.Symlink)
            {
                DeletePath(fs, full);
            }

            fs.File.CreateSymbolicLink(full, PathText.Decode(after.Content.Span));
            return;
        }

        // A hard link: rewriting in place would change every other name of the file, inside the tree or not (GNU
        // patch and git apply write a new file). Unlink this name and write a new file with its mode; a crash in
        // between leaves the name absent, and recovery writes the journalled old bytes back.
        bool linked = before.Kind == EntryKind.File && fs is FileSystem && NativeStat.LinkCount(full) > 1;
        UnixFileMode linkedMode = 0;
        if (linked)
        {
            linkedMode = OperatingSystem.IsWindows() ? 0 : fs.File.GetUnixFileMode(full);
            fs.File.Delete(full);
        }

        if (before.Kind == EntryKind.File && !linked)
        {
            // Rewrite in place without truncating to zero first: ext4 (auto_da_alloc) starts writeback on close of a
            // file truncated to 0 and rewritten, which a plain overwrite followed by ftruncate to the new size avoids.
            using Stream stream = fs.FileStream.New(full, FileMode.Open, FileAccess.Write, FileShare.Read, 1);
            stream.Write(after.Content.Span);
            if (stream.Length != after.Content.Length)
            {
                stream.SetLength(after.Content.Length);
            }

            if (flush)
            {
                DiskSync.File(stream);
            }
        }
        else
        {
            using Stream stream = fs.FileStream.New(full, linked ? FileMode.CreateNew : FileMode.Create, FileAccess.Write, FileShare.Read, 1);
            stream.Write(after.Content.Span);
            if (flush)
            {
                DiskSync.File(stream);
            }
        }

        if (linked)
        {
            if (!OperatingSystem.IsWindows())
            {
                fs.File.SetUnixFileMode(full, linkedMode);
            }

            if (flush)
            {
                DiskSync.Folder(fs, fs.Path.GetDirectoryName(full) ?? root);
            }
        }

        if (after.Executable is bool exec && (before.Kind != EntryKind.File ? exec : before.Executable != exec))
        {
            SetExecutable(fs, full, exec);
        }
    }

    private static void DeletePath(IFileSystem fs, string full)
    {
        try
        {
            fs.File.Delete(full);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static void RemoveEmptyParents(IFileSystem fs, string root, string relative)
    {
        int slash = relative.LastIndexOf('/');
        while (slash > 0)
        {
            relative = relative[..slash];
            string full = fs.Path.Combine(root, relative);
            try
            {
                if (!fs.Directory.Exists(full) || fs.Directory.EnumerateFileSystemEntries(full).Any())
                {
                    return;
                }

                fs.Directory.Delete(full);
            }
            catch (IOException)
            {
                return;
            }

            slash = relative.LastIndexOf('/');
        }
    }

    private static void WriteJournal(IFileSystem fs, string journal, IReadOnlyList<TreeChange> changes, bool flush)
    {
        using Stream stream = fs.File.Create(journal, 1 << 16);
        stream.Write(Magic);
        Span<byte> head = stackalloc byte[10];
        foreach (TreeChange c in changes)
        {
            byte[] path = Encoding.UTF8.GetBytes(c.Relative);
            BinaryPrimitives.WriteInt32LittleEndian(head, path.Length);
            head[4] = (byte)c.Before.Kind;
            head[5] = c.Before.Executable switch { null => 2, true => 1, false => 0 };
            BinaryPrimitives.WriteInt32LittleEndian(head[6..], c.Before.Content.Length);
            stream.Write(head);
            stream.Write(path);
            stream.Write(c.Before.Content.Span);
        }

        stream.Write(Trailer);
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(count, changes.Count);
        stream.Write(count);
        if (flush)
        {
            // The journal's bytes, then its name in the root, must be on the disk before the first change.
            DiskSync.File(stream);
            DiskSync.Folder(fs, fs.Path.GetDirectoryName(journal)!);
        }
    }

    private static List<TreeChange>? ReadJournal(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith(Magic) || data.Length < Magic.Length + Trailer.Length + 4 || !data[^(Trailer.Length + 4)..^4].SequenceEqual(Trailer))
        {
            return null; // never completed: the tree was not touched
        }

        int expected = BinaryPrimitives.ReadInt32LittleEndian(data[^4..]);
        var entries = new List<TreeChange>(Math.Max(0, Math.Min(expected, 1 << 20)));
        int pos = Magic.Length;
        int end = data.Length - Trailer.Length - 4;
        while (pos < end)
        {
            int pathLength = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
            var kind = (EntryKind)data[pos + 4];
            bool? exec = data[pos + 5] switch { 1 => true, 0 => false, _ => null };
            int contentLength = BinaryPrimitives.ReadInt32LittleEndian(data[(pos + 6)..]);
            pos += 10;
            string path = Encoding.UTF8.GetString(data.Slice(pos, pathLength));
            pos += pathLength;
            byte[] content = data.Slice(pos, contentLength).ToArray();
            pos += contentLength;
            entries.Add(new TreeChange(path, kind == EntryKind.Absent ? TreeEntry.Absent : new TreeEntry(kind, content, exec), TreeEntry.Absent));
        }

        return entries.Count == expected ? entries : null;
    }
}
