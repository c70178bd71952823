using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.IO.Hashing;
using System.Security.Cryptography;
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
/// <para>The journal is untrusted input when it is read back: a tree from a tarball, a checkout or an earlier patch may
/// hold one. It is bound to the apply that wrote it (a random id, the root's device and inode, or its full path on a
/// file system without them) and ends with a checksum (XxHash128) of everything before it; a journal that is not a regular file,
/// that another tree or no PatchKit wrote, or whose checksum fails, is refused and left alone, and every entry of one
/// that passes goes through the same <see cref="PathGuard"/> as a patch (paths, folders that are links, link targets
/// resolved against the tree) before anything is replayed. The caller holds the tree's <see cref="TreeLock"/>, so a
/// journal is never recovered while the apply that owns it still runs.</para>
/// </remarks>
internal static class TreeTransaction
{
    public const string JournalName = PathGuard.JournalName;

    /// <summary>The start of every temporary name of a one-file commit; a random id follows.</summary>
    internal const string TempPrefix = ".patchkit-new-";

    private const int IdLength = 16;
    private const int HashLength = 16;

    private static ReadOnlySpan<byte> Magic => "PATCHKIT-JOURNAL 2\n"u8;

    private static ReadOnlySpan<byte> Trailer => "COMPLETE"u8;

    public static void Commit(IFileSystem fs, PathGuard guard, IReadOnlyList<TreeChange> changes, int parallelism, bool flush, CancellationToken cancellationToken)
    {
        string root = guard.Root;
        string journal = fs.Path.Combine(root, JournalName);
        byte[] id = RandomNumberGenerator.GetBytes(IdLength);
        if (changes.Count == 1 && changes[0].After.Kind == EntryKind.File && changes[0].Before.Kind is EntryKind.File or EntryKind.Absent)
        {
            CommitBySwap(fs, guard, journal, id, changes[0], flush);
            return;
        }

        WriteJournal(fs, root, journal, id, changes, flush);
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
            RecoverLocked(fs, guard);
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
    /// <remarks>The temporary name is random (<see cref="TempPrefix"/> and the journal's id) and created exclusively
    /// (<c>O_CREAT | O_EXCL</c>, which never follows a symbolic link): a name planted in the tree, a link or a hard link
    /// to a file outside it, makes the create fail instead of being written through. The mode is set on the open
    /// handle (<c>fchmod</c>), never on a path, and without set-user-ID or set-group-ID.</remarks>
    private static void CommitBySwap(IFileSystem fs, PathGuard guard, string journal, byte[] id, TreeChange change, bool flush)
    {
        string root = guard.Root;
        string relative = change.Relative;
        int slash = relative.LastIndexOf('/');
        string tempRelative = relative[..(slash + 1)] + TempName(id);
        WriteJournal(fs, root, journal, id, [new TreeChange(tempRelative, TreeEntry.Absent, TreeEntry.Absent)], flush);

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

            UnixFileMode? mode = null;
            if (!OperatingSystem.IsWindows() && (change.Before.Kind == EntryKind.File || change.After.Executable == true))
            {
                const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                UnixFileMode m = change.Before.Kind == EntryKind.File ? fs.File.GetUnixFileMode(full) : DefaultNewFileMode;
                if (change.After.Executable is bool wanted && wanted != ((m & UnixFileMode.UserExecute) != 0))
                {
                    m = wanted ? m | UnixFileMode.UserExecute | ((m & UnixFileMode.GroupRead) != 0 ? UnixFileMode.GroupExecute : 0) | ((m & UnixFileMode.OtherRead) != 0 ? UnixFileMode.OtherExecute : 0) : m & ~exec;
                }

                mode = m & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup);
            }

            using (Stream stream = CreateExclusive(fs, temp))
            {
                stream.Write(change.After.Content.Span);
                if (mode is UnixFileMode wantedMode)
                {
                    SetMode(fs, stream, temp, wantedMode);
                }

                if (flush)
                {
                    DiskSync.File(stream);
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
            RecoverLocked(fs, guard);
            throw new PatchApplyException($"Writing '{relative}' failed, so nothing was changed: {ex.Message}", relative, ex);
        }

        fs.File.Delete(journal);
        CommitHooks.Step();
    }

    /// <summary>The mode a new file gets before the umask (what <c>open(O_CREAT, 0666)</c> asks for).</summary>
    private const UnixFileMode DefaultNewFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    internal static string TempName(ReadOnlySpan<byte> id) => TempPrefix + Convert.ToHexStringLower(id);

    /// <summary>Creates a new file, failing when anything (a file, a link, even a dangling one) has the name:
    /// <c>O_CREAT | O_EXCL</c>.</summary>
    private static Stream CreateExclusive(IFileSystem fs, string full) => fs is FileSystem
        ? new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1) // a FileStream: its handle sets the mode
        : fs.FileStream.New(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);

    /// <summary>Sets the mode of an open file through its handle (<c>fchmod</c>) on the real file system, so a name
    /// swapped for a link meanwhile is not followed; by path on others.</summary>
    private static void SetMode(IFileSystem fs, Stream stream, string full, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (stream is FileStream file)
        {
            File.SetUnixFileMode(file.SafeFileHandle, mode);
        }
        else
        {
            fs.File.SetUnixFileMode(full, mode);
        }
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

    /// <summary>Gets whether anything (a file, a link, a folder) has the journal's name in the root.</summary>
    public static bool HasJournal(IFileSystem fs, string root) => KindOf(fs, fs.Path.Combine(root, JournalName)) != EntryKind.Absent;

    /// <summary>Rolls back an interrupted commit, taking the tree's lock first. Returns <see langword="true"/> when a
    /// journal was found.</summary>
    /// <exception cref="PatchApplyException">The journal is not one an apply on this tree wrote, or another apply
    /// holds the lock; nothing was changed.</exception>
    /// <exception cref="PathSafetyException">An entry of the journal is unsafe; nothing was changed.</exception>
    public static bool Recover(IFileSystem fs, PathGuard guard)
    {
        using TreeLock held = TreeLock.Acquire(fs, guard.Root);
        return RecoverLocked(fs, guard);
    }

    /// <summary>Rolls back an interrupted commit; the caller holds the tree's lock.</summary>
    internal static bool RecoverLocked(IFileSystem fs, PathGuard guard)
    {
        string root = guard.Root;
        string journal = fs.Path.Combine(root, JournalName);
        EntryKind kind = KindOf(fs, journal);
        if (kind == EntryKind.Absent)
        {
            return false;
        }

        if (kind != EntryKind.File)
        {
            throw Untrusted(journal, $"it is {Describe(kind)}, not a journal PatchKit wrote");
        }

        byte[] data = fs.File.ReadAllBytes(journal);
        List<TreeChange>? entries = ReadJournal(fs, root, journal, data);
        if (entries is not null)
        {
            Validate(guard, journal, entries);
            try
            {
                Replay(fs, root, entries);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new PatchApplyException($"Rolling back the interrupted apply in '{root}' failed: {ex.Message} The journal is kept; fix the cause and recover again (patchkit apply --recover).", root, ex);
            }
        }

        fs.File.Delete(journal);
        return true;
    }

    private static void Replay(IFileSystem fs, string root, List<TreeChange> entries)
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

    /// <summary>Checks every entry of a journal as a patch path is checked, before any is replayed: a canonical
    /// relative path through no folder that is a link, once each, a kind an apply writes, link targets that stay in the
    /// tree as recovery leaves it, and for a one-file commit only its own temporary name.</summary>
    private static void Validate(PathGuard guard, string journal, List<TreeChange> entries)
    {
        var after = new Dictionary<string, TreeEntry>(entries.Count, StringComparer.Ordinal);
        foreach (TreeChange entry in entries)
        {
            byte[] raw = Encoding.UTF8.GetBytes(entry.Relative);
            if (guard.Check(raw, PathGuard.Printable(raw)) != entry.Relative)
            {
                throw Untrusted(journal, $"it names '{PathGuard.Printable(raw)}', which is not a path an apply writes");
            }

            if (entry.Before.Kind is not (EntryKind.Absent or EntryKind.File or EntryKind.Symlink))
            {
                throw Untrusted(journal, $"its entry for '{entry.Relative}' has an unknown kind");
            }

            if (!after.TryAdd(entry.Relative, entry.Before))
            {
                throw Untrusted(journal, $"it names '{entry.Relative}' twice");
            }

            guard.CheckNoLinks(entry.Relative, mustNotBeLink: false);
        }

        foreach (TreeChange entry in entries)
        {
            if (entry.Before.Kind == EntryKind.Symlink)
            {
                guard.CheckLinkTarget(entry.Relative, entry.Before.Content.Span, after);
            }
        }
    }

    private static PatchApplyException Untrusted(string journal, string why) =>
        new($"Not replaying '{journal}': {why}. Nothing was changed; remove the file if no PatchKit apply on this tree was interrupted.", journal);

    private static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.Symlink => "a symbolic link",
        EntryKind.Directory => "a folder",
        _ => "a special file (a FIFO, socket or device)",
    };

    /// <summary>What a path is, without following a final symbolic link. On Linux's real file system this is one
    /// <c>lstat</c>, which also tells FIFOs, sockets and devices (<see cref="EntryKind.Special"/>) from files.</summary>
    internal static EntryKind KindOf(IFileSystem fs, string full)
    {
        if (fs is FileSystem && NativeStat.Supported && NativeStat.TryGet(full, follow: false, out NativeStat.FileStatus st))
        {
            return KindOf(st);
        }

        try
        {
            // FileAttributes.Device: what an in-memory file system can mark as a device (tests, the fuzz target).
            FileAttributes a = fs.File.GetAttributes(full);
            return (a & FileAttributes.ReparsePoint) != 0 ? EntryKind.Symlink : (a & FileAttributes.Directory) != 0 ? EntryKind.Directory : (a & FileAttributes.Device) != 0 ? EntryKind.Special : EntryKind.File;
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

    internal static EntryKind KindOf(in NativeStat.FileStatus st) =>
        st.IsRegular ? EntryKind.File : st.IsDirectory ? EntryKind.Directory : st.IsSymlink ? EntryKind.Symlink : EntryKind.Special;

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
            linkedMode = OperatingSystem.IsWindows() ? 0 : fs.File.GetUnixFileMode(full) & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup);
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
            // A new name: created exclusively, so nothing planted there (a link above all) is written through.
            using Stream stream = CreateExclusive(fs, full);
            stream.Write(after.Content.Span);
            if (linked)
            {
                SetMode(fs, stream, full, linkedMode);
            }

            if (flush)
            {
                DiskSync.File(stream);
            }
        }

        if (linked && flush)
        {
            DiskSync.Folder(fs, fs.Path.GetDirectoryName(full) ?? root);
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

    /// <summary>Writes the journal: magic, the apply's random id, the root's identity, every entry's old state, then
    /// the trailer with the entry count and a checksum (XxHash128: integrity, not authentication, and far cheaper than SHA-256 on the
    /// journal of a big apply) of all the bytes before it. Created exclusively: the caller made
    /// sure there was none, so a name that appeared meanwhile (a link) is not written through.</summary>
    private static void WriteJournal(IFileSystem fs, string root, string journal, byte[] id, IReadOnlyList<TreeChange> changes, bool flush)
    {
        using Stream stream = fs is FileSystem
            ? new FileStream(journal, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16)
            : fs.FileStream.New(journal, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var hash = new XxHash128();
        void Put(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            hash.Append(bytes);
        }

        Put(Magic);
        Put(id);
        Span<byte> head = stackalloc byte[20];
        (ulong device, ulong inode) = Identity(fs, root);
        byte[] rootBytes = Encoding.UTF8.GetBytes(root);
        BinaryPrimitives.WriteUInt64LittleEndian(head, device);
        BinaryPrimitives.WriteUInt64LittleEndian(head[8..], inode);
        BinaryPrimitives.WriteInt32LittleEndian(head[16..], rootBytes.Length);
        Put(head);
        Put(rootBytes);
        foreach (TreeChange c in changes)
        {
            byte[] path = Encoding.UTF8.GetBytes(c.Relative);
            BinaryPrimitives.WriteInt32LittleEndian(head, path.Length);
            head[4] = (byte)c.Before.Kind;
            head[5] = c.Before.Executable switch { null => 2, true => 1, false => 0 };
            BinaryPrimitives.WriteInt32LittleEndian(head[6..], c.Before.Content.Length);
            Put(head[..10]);
            Put(path);
            Put(c.Before.Content.Span);
        }

        Put(Trailer);
        BinaryPrimitives.WriteInt32LittleEndian(head, changes.Count);
        Put(head[..4]);
        Span<byte> sum = stackalloc byte[HashLength];
        hash.GetCurrentHash(sum);
        stream.Write(sum);
        if (flush)
        {
            // The journal's bytes, then its name in the root, must be on the disk before the first change.
            DiskSync.File(stream);
            DiskSync.Folder(fs, fs.Path.GetDirectoryName(journal)!);
        }
    }

    /// <summary>The root's device and inode on Linux's real file system; (0, 0) elsewhere, where its full path binds the
    /// journal instead.</summary>
    private static (ulong Device, ulong Inode) Identity(IFileSystem fs, string root) =>
        fs is FileSystem && NativeStat.Supported && NativeStat.TryGet(root, follow: true, out NativeStat.FileStatus st) ? (st.Device, st.Inode) : (0, 0);

    /// <summary>Reads a journal back. Returns <see langword="null"/> when it was never completed (the tree was not
    /// touched yet, so there is nothing to undo), and throws when it is not a journal an apply on this tree wrote.</summary>
    private static List<TreeChange>? ReadJournal(IFileSystem fs, string root, string journal, ReadOnlySpan<byte> data)
    {
        if (data.Length < Magic.Length)
        {
            // Torn while its first bytes were written: harmless, nothing was replayed from it or changed after it.
            return Magic.StartsWith(data) ? null : throw Untrusted(journal, "PatchKit did not write it (or wrote it in an older format)");
        }

        if (!data.StartsWith(Magic))
        {
            throw Untrusted(journal, "PatchKit did not write it (or wrote it in an older format)");
        }

        int pos = Magic.Length + IdLength + 20;
        if (data.Length < pos)
        {
            return null; // torn in its header: the tree was not touched
        }

        ulong device = BinaryPrimitives.ReadUInt64LittleEndian(data[(Magic.Length + IdLength)..]);
        ulong inode = BinaryPrimitives.ReadUInt64LittleEndian(data[(Magic.Length + IdLength + 8)..]);
        int rootLength = BinaryPrimitives.ReadInt32LittleEndian(data[(Magic.Length + IdLength + 16)..]);
        if (rootLength < 0 || rootLength > data.Length - pos)
        {
            return null;
        }

        string writtenFor = Encoding.UTF8.GetString(data.Slice(pos, rootLength));
        pos += rootLength;
        (ulong myDevice, ulong myInode) = Identity(fs, root);
        bool same = (device | inode) != 0 && (myDevice | myInode) != 0 ? device == myDevice && inode == myInode : writtenFor == root;
        if (!same)
        {
            throw Untrusted(journal, $"it was written by an apply on another tree ('{writtenFor}'), not this one");
        }

        int tail = Trailer.Length + 4 + HashLength;
        if (data.Length < pos + tail || !data[^tail..^(4 + HashLength)].SequenceEqual(Trailer))
        {
            return null; // never completed: the tree was not touched
        }

        Span<byte> sum = stackalloc byte[HashLength];
        XxHash128.Hash(data[..^HashLength], sum);
        if (!sum.SequenceEqual(data[^HashLength..]))
        {
            throw Untrusted(journal, "its checksum does not match (it was changed or damaged after it was written)");
        }

        int expected = BinaryPrimitives.ReadInt32LittleEndian(data[^(4 + HashLength)..]);
        var entries = new List<TreeChange>(Math.Max(0, Math.Min(expected, 1 << 20)));
        int end = data.Length - tail;
        string idName = TempName(data.Slice(Magic.Length, IdLength));
        while (pos < end)
        {
            if (end - pos < 10)
            {
                throw Untrusted(journal, "an entry is cut off");
            }

            int pathLength = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
            var kind = (EntryKind)data[pos + 4];
            bool? exec = data[pos + 5] switch { 1 => true, 0 => false, _ => null };
            int contentLength = BinaryPrimitives.ReadInt32LittleEndian(data[(pos + 6)..]);
            pos += 10;
            if (pathLength <= 0 || contentLength < 0 || pathLength > end - pos || contentLength > end - pos - pathLength)
            {
                throw Untrusted(journal, "an entry is cut off");
            }

            string path = Encoding.UTF8.GetString(data.Slice(pos, pathLength));
            pos += pathLength;
            byte[] content = data.Slice(pos, contentLength).ToArray();
            pos += contentLength;
            entries.Add(new TreeChange(path, kind == EntryKind.Absent ? TreeEntry.Absent : new TreeEntry(kind, content, exec), TreeEntry.Absent));
        }

        if (entries.Count != expected)
        {
            throw Untrusted(journal, "its entry count does not match");
        }

        // A one-file commit journals only its temporary name, and only the one its own id makes.
        foreach (TreeChange e in entries)
        {
            string name = e.Relative[(e.Relative.LastIndexOf('/') + 1)..];
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) && (name != idName || entries.Count != 1 || e.Before.Kind != EntryKind.Absent))
            {
                throw Untrusted(journal, $"it names the temporary file '{e.Relative}', which this apply did not create");
            }
        }

        return entries;
    }
}
