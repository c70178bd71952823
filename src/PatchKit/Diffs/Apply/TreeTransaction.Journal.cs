using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Abstractions;
using System.IO.Hashing;
using System.Text;

namespace PatchKit.Diffs.Apply;

/// <content>The undo journal: written before the first change, read back as untrusted input, replayed.</content>
internal static partial class TreeTransaction
{
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
        // What the apply created goes first, so a file it replaced by a folder (a -> a/b) can be put back.
        entries.Sort(static (x, y) => (x.Before.Kind == EntryKind.Absent ? 0 : 1).CompareTo(y.Before.Kind == EntryKind.Absent ? 0 : 1));
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
            byte[] raw = PathText.EncodeName(entry.Relative);
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
            // No entry is written through a link another entry puts back (replay order must not matter).
            for (int slash = entry.Relative.IndexOf('/'); slash > 0; slash = entry.Relative.IndexOf('/', slash + 1))
            {
                if (after.TryGetValue(entry.Relative[..slash], out TreeEntry? folder) && folder.Kind == EntryKind.Symlink)
                {
                    throw Untrusted(journal, $"it names '{entry.Relative}' below '{entry.Relative[..slash]}', which it restores as a symbolic link");
                }
            }

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
            byte[] path = PathText.EncodeName(c.Relative); // the name's exact bytes
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

            string path = PathText.DecodeName(data.Slice(pos, pathLength));
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
