using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PatchKit.Cli.Commands;

internal static partial class AtomicWrite
{
    /// <summary>What <c>stat</c> says of a file (the fields the drop-in uses).</summary>
    internal readonly record struct Status(bool Regular, long Size, ulong Device, ulong Inode, long Links, uint Mode, uint Uid, uint Gid);

    /// <summary>The status of an open file; null when <c>fstat</c> fails.</summary>
    internal static Status? FileStatus(SafeFileHandle handle, Span<byte> buffer) =>
        FStat(handle, ref MemoryMarshal.GetReference(buffer)) == 0 ? Decode(buffer) : null;

    /// <summary>The status of the file at <paramref name="path"/> (symbolic links followed); null when there is none.</summary>
    internal static Status? PathStatus(string path, Span<byte> buffer) =>
        Stat(path, ref MemoryMarshal.GetReference(buffer)) == 0 ? Decode(buffer) : null;

    private static Status Decode(ReadOnlySpan<byte> st)
    {
        // struct stat: x86-64 and arm64's generic layout differ in where st_nlink, st_mode, st_uid and st_gid sit.
        bool x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
        uint mode = MemoryMarshal.Read<uint>(st[(x64 ? 24 : 16)..]);
        return new Status(
            (mode & 0xF000) == 0x8000,
            MemoryMarshal.Read<long>(st[48..]),
            MemoryMarshal.Read<ulong>(st),
            MemoryMarshal.Read<ulong>(st[8..]),
            x64 ? MemoryMarshal.Read<long>(st[16..]) : MemoryMarshal.Read<uint>(st[20..]),
            mode,
            MemoryMarshal.Read<uint>(st[(x64 ? 28 : 24)..]),
            MemoryMarshal.Read<uint>(st[(x64 ? 32 : 28)..]));
    }

    /// <summary>One run's temporary files: each patched file's new text goes to a new file beside it, named and
    /// created as GNU patch names its own (<c>NAME.oXXXXXX</c>, when the file's turn starts), and is renamed over the
    /// name, as GNU patch does.</summary>
    /// <remarks>
    /// <para>Making a new inode is the expensive part of that on ext4 without a journal: each one skips every inode of
    /// its group freed in the last minute (five while their table block is dirty), one buffer look-up each, and a
    /// run over a tree that was just copied afresh pays that per file. From the second file on, a thread of its own
    /// therefore makes the inodes ahead, unnamed (<c>O_TMPFILE</c> in the run's folder), and a file's turn gives one
    /// of them its <c>NAME.oXXXXXX</c> name (<c>linkat</c>): the name appears, is written and is renamed as GNU's, and
    /// an inode still waiting has no name, so a kill leaves nothing of it. The old inode is freed off the main
    /// thread too (its descriptor is closed by <see cref="CloseLater"/>).</para>
    /// <para>An inode made ahead is taken only where a new file would be the same: a folder without a default ACL,
    /// whose files get the process's group (not set-group-ID, or of that group), on the same file system, and the
    /// inode without extended attributes. Anywhere else, and where <c>O_TMPFILE</c> or <c>/proc</c> is missing, the
    /// file's turn creates its temporary file itself.</para>
    /// </remarks>
    internal sealed class TempFiles : IDisposable
    {
        private readonly string _root;
        private InodePool? _pool;
        private bool _noPool;
        private int _turns;
        private SafeFileHandle? _handle;
        private string? _temp;
        private string? _for;
        private string? _folder;
        private bool _folderTakesPool;

        /// <summary>Temporary files for a run whose files are under <paramref name="root"/>.</summary>
        public TempFiles(string root) => _root = root;

        /// <summary>Creates the temporary file of <paramref name="path"/> as its turn starts (GNU creates its temporary
        /// output file then: a kill while the file is read or patched leaves that name, as GNU's).</summary>
        /// <returns>0 when it was made (or this platform makes none here); else the error number of its creation.</returns>
        public int Begin(string path)
        {
            End();
            if (!Native)
            {
                return 0;
            }

            if (++_turns == 2 && !_noPool)
            {
                // A run of one file makes no inode ahead.
                _pool = InodePool.Start(_root);
            }

            (_handle, _temp, int errno) = Create(path);
            _for = _handle is null ? null : path;
            return errno;
        }

        /// <summary>Removes a temporary file made for a turn that wrote nothing (its inode freed off this thread).</summary>
        public void End()
        {
            if (_handle is null)
            {
                return;
            }

            _ = Unlink(_temp!);
            CloseLater(_handle);
            (_handle, _temp, _for) = (null, null, null);
        }

        /// <summary>Stops making inodes ahead and removes what is left (the run is over).</summary>
        public void Dispose()
        {
            End();
            _pool?.Dispose();
            _pool = null;
        }

        /// <summary>Replaces <paramref name="path"/> by <paramref name="content"/> through its temporary file: written,
        /// given <paramref name="owner"/> where allowed and <paramref name="mode"/> (else a new file's), renamed over
        /// the name. False when nothing was done (no temporary file could be made): the caller writes its own way.</summary>
        public bool TryReplace(string path, ReadOnlySpan<byte> content, UnixFileMode? mode, (uint Uid, uint Gid)? owner)
        {
            if (!Native)
            {
                return false;
            }

            if (_handle is null || !string.Equals(_for, path, StringComparison.Ordinal))
            {
                End();
                (_handle, _temp, _) = Create(path);
                if (_handle is null)
                {
                    return false;
                }
            }

            SafeFileHandle handle = _handle;
            string temp = _temp!;
            (_handle, _temp, _for) = (null, null, null);

            // The old file, held open so that the rename does not free its inode on this thread.
            SafeFileHandle? old = null;
            try
            {
                WriteAll(handle, content, temp);
                if (owner is { } o && FChOwn(handle, o.Uid, o.Gid) != 0)
                {
                    // As GNU's set_file_attributes: owner and group if allowed, else the group alone; refusals ignored.
                    _ = FChOwn(handle, uint.MaxValue, o.Gid);
                }

                if (mode is { } m && FChMod(handle, (uint)m) != 0)
                {
                    throw Failure("chmod", temp);
                }

                old = Open(path, ORdOnly | ONoFollow | ONonBlock | OCloExec, 0);
                if (old.IsInvalid)
                {
                    old.Dispose();
                    old = null;
                }

                // (ext4 starts the new blocks' write-back itself on a rename over an existing name: auto_da_alloc.)
                if (RenameAt2(AtFdCwd, temp, AtFdCwd, path, 0) != 0)
                {
                    File.Move(temp, path, overwrite: true); // its error, in .NET's words
                }
            }
            catch
            {
                _ = Unlink(temp);
                handle.Dispose();
                old?.Dispose();
                throw;
            }

            handle.Dispose();
            if (old is not null)
            {
                CloseLater(old);
            }

            return true;
        }

        /// <summary>Makes the temporary file of <paramref name="path"/>; with no handle, the error number of the
        /// last try.</summary>
        private (SafeFileHandle? Handle, string Temp, int Errno) Create(string path)
        {
            string folder = Path.GetDirectoryName(path) ?? ".";
            string name = Path.GetFileName(path);
            SafeFileHandle? made = _pool is not null && FolderTakesPool(folder) ? _pool.Take() : null;
            int errno = EExist;
            for (int attempt = 0; attempt < 100; attempt++)
            {
                string temp = Path.Combine(folder, name + ".o" + RandomSuffix());
                if (made is not null)
                {
                    string self = "/proc/self/fd/" + made.DangerousGetHandle().ToString(CultureInfo.InvariantCulture);
                    if (LinkAt(AtFdCwd, self, AtFdCwd, temp, AtSymlinkFollow) == 0)
                    {
                        return (made, temp, 0);
                    }

                    if (Marshal.GetLastPInvokeError() == EExist)
                    {
                        continue;
                    }

                    // Another file system, no /proc, a folder not writable: this and later turns make their own.
                    CloseLater(made);
                    made = null;
                    _noPool = true;
                    _pool?.Dispose();
                    _pool = null;
                }

                SafeFileHandle handle = Open(temp, ORdWr | OCreat | OExcl | OCloExec | ONoFollow, NewFileMode);
                if (!handle.IsInvalid)
                {
                    return (handle, temp, 0);
                }

                errno = Marshal.GetLastPInvokeError();
                handle.Dispose();
                if (errno != EExist)
                {
                    break;
                }
            }

            if (made is not null)
            {
                CloseLater(made);
            }

            return (null, string.Empty, errno);
        }

        /// <summary>Whether a file made in <paramref name="folder"/> would be what the pool makes: no default ACL
        /// (a new file would get an ACL of its own), and the process's group (a set-group-ID folder gives its own).</summary>
        private bool FolderTakesPool(string folder)
        {
            if (!string.Equals(folder, _folder, StringComparison.Ordinal))
            {
                _folder = folder;
                string f = folder.Length == 0 ? "." : folder;
                Span<byte> st = stackalloc byte[256];
                st.Clear();
                _folderTakesPool = PathStatus(f, st) is { } s
                    && ((s.Mode & 0x400) == 0 || s.Gid == Self().Gid)
                    && GetXAttr(f, "system.posix_acl_default", IntPtr.Zero, 0) < 0;
            }

            return _folderTakesPool;
        }
    }

    /// <summary>New unnamed inodes (<c>O_TMPFILE</c>) made by a thread of their own, a few ahead of the run.</summary>
    private sealed class InodePool : IDisposable
    {
        private const int Depth = 8;
        private readonly string _folder;
        private readonly Queue<SafeFileHandle> _ready = new();
        private bool _stopped;

        private InodePool(string folder) => _folder = folder;

        public static InodePool Start(string folder)
        {
            var pool = new InodePool(folder);
            new Thread(pool.Fill) { IsBackground = true, Name = "patch: new temporary files" }.Start();
            return pool;
        }

        /// <summary>An inode made ahead, or null when none is ready (or none can be made here).</summary>
        public SafeFileHandle? Take()
        {
            lock (_ready)
            {
                if (_ready.Count == 0)
                {
                    return null;
                }

                SafeFileHandle handle = _ready.Dequeue();
                Monitor.PulseAll(_ready);
                return handle;
            }
        }

        public void Dispose()
        {
            lock (_ready)
            {
                _stopped = true;
                while (_ready.Count > 0)
                {
                    CloseLater(_ready.Dequeue());
                }

                Monitor.PulseAll(_ready);
            }
        }

        private void Fill()
        {
            bool first = true;
            while (true)
            {
                lock (_ready)
                {
                    while (!_stopped && _ready.Count >= Depth)
                    {
                        Monitor.Wait(_ready);
                    }

                    if (_stopped)
                    {
                        return;
                    }
                }

                SafeFileHandle handle = Open(_folder, ORdWr | OTmpFile | OCloExec, NewFileMode);
                if (handle.IsInvalid || (first && !AsNewFile(handle)))
                {
                    // No O_TMPFILE here (or not what a new file would be): the turns make their own.
                    handle.Dispose();
                    return;
                }

                first = false;
                lock (_ready)
                {
                    if (_stopped)
                    {
                        handle.Dispose();
                        return;
                    }

                    _ready.Enqueue(handle);
                }
            }
        }

        /// <summary>Of the process's owner and group, without extended attributes (no ACL or label from the folder).</summary>
        private static bool AsNewFile(SafeFileHandle handle)
        {
            Span<byte> st = stackalloc byte[256];
            st.Clear();
            return FileStatus(handle, st) is { } s && (s.Uid, s.Gid) == Self() && FListXAttr(handle, IntPtr.Zero, 0) == 0;
        }
    }

    private static unsafe void WriteAll(SafeFileHandle handle, ReadOnlySpan<byte> content, string path)
    {
        long offset = 0;
        fixed (byte* start = content)
        {
            while (offset < content.Length)
            {
                nint n = PWrite(handle, start + offset, (nuint)(content.Length - offset), offset);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EIntr)
                    {
                        continue;
                    }

                    throw new IOException($"Can't write file {path} : {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }

                offset += n;
            }
        }
    }

    private static IOException Failure(string what, string path)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"Can't {what} file {path} : {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    private const int AtFdCwd = -100;
    private const int AtSymlinkFollow = 0x400;
    private const uint NewFileMode = 0x1B6; // 0666, less the umask: a new file's mode
    private const int ORdOnly = 0;
    private const int ORdWr = 2;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x20000 : 0x8000;
    private static readonly int OTmpFile = 0x400000 | (RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x10000 : 0x4000);
    private const int EIntr = 4;
    private const int EExist = 17;

    /// <summary>ENAMETOOLONG: a name longer than the file system takes.</summary>
    internal const int ENameTooLong = 36;

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> (a symbolic link as the link itself,
    /// wherever it leads: .NET's move takes a link to a folder for the folder).</summary>
    public static void RenameOver(string from, string to)
    {
        if (!Native || RenameAt2(AtFdCwd, from, AtFdCwd, to, 0) != 0)
        {
            File.Move(from, to, overwrite: true); // (its error, in .NET's words)
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDir, string oldPath, int newDir, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkAt(int oldDir, string oldPath, int newDir, string newPath, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeFileHandle Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(SafeFileHandle fd, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static unsafe partial nint PWrite(SafeFileHandle fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FChMod(SafeFileHandle fd, uint mode);

    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    private static partial nint FListXAttr(SafeFileHandle fd, IntPtr list, nuint size);

    [LibraryImport("libc", EntryPoint = "getxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetXAttr(string path, string name, IntPtr value, nuint size);
}
