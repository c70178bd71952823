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
internal static partial class TreeTransaction
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
                if (RawFiles.DirectoryExists(fs, folder))
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
                    RawFiles.CreateDirectory(fs, folder);
                }
            }

            UnixFileMode? mode = null;
            if (!OperatingSystem.IsWindows() && (change.Before.Kind == EntryKind.File || change.After.Executable == true))
            {
                const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                UnixFileMode m = change.Before.Kind == EntryKind.File ? RawFiles.GetMode(fs, full) : DefaultNewFileMode;
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
            RawFiles.Move(fs, temp, full);
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
    private static Stream CreateExclusive(IFileSystem fs, string full) => RawFiles.CreateExclusive(fs, full);

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

    /// <summary>What a path is, without following a final symbolic link. On Linux's real file system this is one
    /// <c>lstat</c>, which also tells FIFOs, sockets and devices (<see cref="EntryKind.Special"/>) from files.</summary>
    internal static EntryKind KindOf(IFileSystem fs, string full)
    {
        if (fs is FileSystem && NativeStat.Supported && NativeStat.TryGet(full, follow: false, out NativeStat.FileStatus st))
        {
            return KindOf(st);
        }

        if (RawFiles.IsRaw(fs, full))
        {
            return EntryKind.Absent; // lstat of the exact bytes failed; the decoded string names another file
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

        UnixFileMode mode = RawFiles.GetMode(fs, full);
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
            RawFiles.SetMode(fs, full, wanted);
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
                    RawFiles.CreateDirectory(fs, f);
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

            RawFiles.CreateSymbolicLink(fs, full, after.Content.Span);
            return;
        }

        // A hard link: rewriting in place would change every other name of the file, inside the tree or not (GNU
        // patch and git apply write a new file). Unlink this name and write a new file with its mode; a crash in
        // between leaves the name absent, and recovery writes the journalled old bytes back.
        bool linked = before.Kind == EntryKind.File && fs is FileSystem && NativeStat.LinkCount(full) > 1;
        UnixFileMode linkedMode = 0;
        if (linked)
        {
            linkedMode = OperatingSystem.IsWindows() ? 0 : RawFiles.GetMode(fs, full) & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup);
            RawFiles.Delete(fs, full);
        }

        if (before.Kind == EntryKind.File && !linked)
        {
            // Rewrite in place without truncating to zero first: ext4 (auto_da_alloc) starts writeback on close of a
            // file truncated to 0 and rewritten, which a plain overwrite followed by ftruncate to the new size avoids.
            using Stream stream = RawFiles.OpenWrite(fs, full);
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
            RawFiles.Delete(fs, full);
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
                if (!RawFiles.RemoveIfEmpty(fs, full))
                {
                    return;
                }
            }
            catch (IOException)
            {
                return;
            }

            slash = relative.LastIndexOf('/');
        }
    }
}
