using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PatchKit.Cli.Commands;

internal static partial class AtomicWrite
{
    /// <summary>One run's spare inode: the old inode of the file it replaced last, kept (under a temporary name) to be
    /// the temporary file of the next replacement instead of a new one.</summary>
    /// <remarks>
    /// <para>Each replacement still writes the new text to a temporary file beside the target, named and created as
    /// GNU patch names its own (<c>NAME.oXXXXXX</c>), and swaps it with the target in one atomic step
    /// (<c>renameat2</c> with <c>RENAME_EXCHANGE</c>): a kill at any moment leaves the name with its old or its new
    /// bytes. The swap leaves the old inode under the temporary name; when it is a plain file of this process's
    /// owner and group with one link and no extended attributes, it is kept, moved beside the next target under that
    /// target's temporary name (<c>RENAME_NOREPLACE</c>), overwritten with the next new text, given its mode and the
    /// times of a new file, and swapped in turn. Creating and freeing an inode per file is what made the drop-in's
    /// many-file runs slow (on ext4 without a journal each new inode skips every inode freed in the last minute, one
    /// buffer look-up each); a run now creates one temporary file and frees one inode at its end.</para>
    /// <para>Where it does not apply (a target that does not exist, another owner, a hard-linked, symbolic or
    /// attributed old file, a folder with a default ACL, another file system, a kernel or file system without
    /// <c>RENAME_EXCHANGE</c>), the replacement takes a new temporary file as before. What a reused inode keeps from
    /// its earlier life is its birth time (<c>statx</c>'s btime) only. Before the swap the new text's write-back is
    /// started, as ext4 does itself before a rename over an existing name (<c>auto_da_alloc</c>), so a power cut
    /// finds the same as after GNU patch's rename.</para>
    /// </remarks>
    internal sealed class SpareInode : IDisposable
    {
        private SafeFileHandle? _handle;
        private string? _path;
        private long _size;
        private bool _unsupported;
        private string? _aclFolder;
        private bool _aclFolderHasDefault;

        /// <summary>Replaces <paramref name="path"/> (in <paramref name="folder"/>, named <paramref name="name"/>) by
        /// <paramref name="content"/> with <paramref name="mode"/> through the spare inode (a new temporary file the
        /// first time). False when this way does not apply and nothing was changed: the caller replaces the file
        /// its own way.</summary>
        public bool TryReplace(string folder, string name, string path, ReadOnlySpan<byte> content, UnixFileMode mode)
        {
            if (_unsupported || !Native || FolderHasDefaultAcl(folder))
            {
                return false;
            }

            SafeFileHandle? handle = null;
            string? temp = null;
            bool reused = false;
            if (_handle is not null && !IsBeside(folder, name))
            {
                MoveSpare(folder, name);
            }

            if (_handle is not null)
            {
                (handle, temp, reused) = (_handle, _path, true);
                (_handle, _path) = (null, null);
            }

            if (handle is null)
            {
                (handle, temp) = CreateTemp(folder, name);
                if (handle is null)
                {
                    // Not creatable here (a folder not writable, say): the caller's own way reports it as before.
                    return false;
                }
            }

            try
            {
                WriteAll(handle, content, temp!);
                if (reused && content.Length < _size && FTruncate(handle, content.Length) != 0)
                {
                    throw Failure("truncate", temp!);
                }

                if (FChMod(handle, (uint)mode) != 0)
                {
                    throw Failure("chmod", temp!);
                }

                if (reused)
                {
                    // The times of a new file: accessed and modified now (the write set the change time).
                    Span<long> now = [0, UtimeNow, 0, UtimeNow];
                    _ = FUTimens(handle, ref MemoryMarshal.GetReference(now));
                }

                // As ext4's auto_da_alloc before a rename over an existing name: the new blocks are allocated and
                // their write-back started before the name can show them.
                _ = SyncFileRange(handle, 0, 0, SyncFileRangeWrite);
                if (RenameAt2(AtFdCwd, temp!, AtFdCwd, path, RenameExchange) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno is EInval or ENoSys)
                    {
                        _unsupported = true;
                    }

                    // No old file to swap with (ENOENT), or no swap here: the temporary file takes the name.
                    File.Move(temp!, path, overwrite: true);
                    handle.Dispose();
                    return true;
                }
            }
            catch
            {
                _ = Unlink(temp!);
                handle.Dispose();
                throw;
            }

            handle.Dispose();
            Adopt(temp!);
            return true;
        }

        /// <summary>Removes the spare (the run is over).</summary>
        public void Dispose() => Release();

        /// <summary>Removes the spare now (before a folder is checked for being empty); the next replacement takes a
        /// new temporary file.</summary>
        public void Release()
        {
            if (_path is not null)
            {
                _ = Unlink(_path);
                _path = null;
            }

            _handle?.Dispose();
            _handle = null;
        }

        /// <summary>Puts the spare beside <paramref name="path"/> under its temporary name, as GNU patch creates its
        /// temporary output file when it starts on a file: a kill while the file is read, patched or written leaves
        /// that name (GNU leaves its own), not one beside the file before.</summary>
        public void MoveBeside(string path)
        {
            string folder = Path.GetDirectoryName(path) ?? ".";
            string name = Path.GetFileName(path);
            if (_handle is not null && !IsBeside(folder, name))
            {
                MoveSpare(folder, name);
            }
        }

        private bool IsBeside(string folder, string name) =>
            _path is not null && _path.Length == folder.Length + 1 + name.Length + 8
            && string.Equals(Path.GetDirectoryName(_path), folder, StringComparison.Ordinal)
            && _path.AsSpan(folder.Length + 1).StartsWith(name + ".o", StringComparison.Ordinal);

        private void MoveSpare(string folder, string name)
        {
            SafeFileHandle spare = _handle!;
            string from = _path!;
            for (int attempt = 0; attempt < 100; attempt++)
            {
                string temp = Path.Combine(folder, name + ".o" + RandomSuffix());
                if (RenameAt2(AtFdCwd, from, AtFdCwd, temp, RenameNoReplace) == 0)
                {
                    _path = temp;
                    return;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != EExist)
                {
                    if (errno is EInval or ENoSys)
                    {
                        _unsupported = true;
                    }

                    break;
                }
            }

            // Another file system, a folder not there (yet), or no RENAME_NOREPLACE: the spare is given up (its
            // inode freed off this thread).
            _ = Unlink(from);
            CloseLater(spare);
            (_handle, _path) = (null, null);
        }

        private static (SafeFileHandle? Handle, string Temp) CreateTemp(string folder, string name)
        {
            for (int attempt = 0; attempt < 100; attempt++)
            {
                string temp = Path.Combine(folder, name + ".o" + RandomSuffix());
                SafeFileHandle handle = Open(temp, ORdWr | OCreat | OExcl | OCloExec | ONoFollow, 0x180);
                if (!handle.IsInvalid)
                {
                    return (handle, temp);
                }

                int errno = Marshal.GetLastPInvokeError();
                handle.Dispose();
                if (errno != EExist)
                {
                    break;
                }
            }

            return (null, string.Empty);
        }

        /// <summary>Takes the old inode, now under <paramref name="temp"/>, as the next spare when it is fit to be
        /// one; otherwise removes that name (the inode freed off this thread when it was the last link).</summary>
        private void Adopt(string temp)
        {
            Span<byte> st = stackalloc byte[256];
            st.Clear();
            SafeFileHandle? old = null;
            if (LStat(temp, ref MemoryMarshal.GetReference(st)) == 0 && IsRegular(st))
            {
                old = Open(temp, ORdWr | ONoFollow | ONonBlock | OCloExec, 0);
                if (old.IsInvalid)
                {
                    old.Dispose();
                    old = Open(temp, ORdOnly | ONoFollow | ONonBlock | OCloExec, 0);
                }

                if (old.IsInvalid)
                {
                    old.Dispose();
                    old = null;
                }
            }

            if (old is not null && Fit(old, out _size))
            {
                _handle = old;
                _path = temp;
                return;
            }

            _ = Unlink(temp);
            if (old is not null)
            {
                CloseLater(old);
            }
        }

        /// <summary>A plain file opened for writing, of this process's owner and group, with one link and no extended
        /// attributes: what a new temporary file would be.</summary>
        private static bool Fit(SafeFileHandle handle, out long size)
        {
            Span<byte> st = stackalloc byte[256];
            st.Clear();
            size = 0;
            if (FStat(handle, ref MemoryMarshal.GetReference(st)) != 0 || !IsRegular(st))
            {
                return false;
            }

            size = MemoryMarshal.Read<long>(st[48..]); // st_size: at 48 on both layouts

            bool x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
            long links = x64 ? MemoryMarshal.Read<long>(st[16..]) : MemoryMarshal.Read<uint>(st[20..]);
            uint uid = MemoryMarshal.Read<uint>(st[(x64 ? 28 : 24)..]);
            uint gid = MemoryMarshal.Read<uint>(st[(x64 ? 32 : 28)..]);
            return links == 1 && (uid, gid) == Self()
                && (FCntl(handle, FGetFl, 0) & OAccMode) == ORdWr
                && FListXAttr(handle, IntPtr.Zero, 0) == 0;
        }

        private bool FolderHasDefaultAcl(string folder)
        {
            if (!string.Equals(folder, _aclFolder, StringComparison.Ordinal))
            {
                // A new file in a folder with a default ACL gets an ACL of its own; a reused inode would not.
                _aclFolder = folder;
                _aclFolderHasDefault = GetXAttr(folder.Length == 0 ? "." : folder, "system.posix_acl_default", IntPtr.Zero, 0) >= 0;
            }

            return _aclFolderHasDefault;
        }

        private static bool IsRegular(ReadOnlySpan<byte> st)
        {
            uint mode = MemoryMarshal.Read<uint>(st[(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16)..]);
            return (mode & 0xF000) == 0x8000;
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
    }

    private const int AtFdCwd = -100;
    private const uint RenameNoReplace = 1;
    private const uint RenameExchange = 2;
    private const int ORdOnly = 0;
    private const int ORdWr = 2;
    private const int OAccMode = 3;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x20000 : 0x8000;
    private const int FGetFl = 3;
    private const int EIntr = 4;
    private const int EExist = 17;
    private const int EInval = 22;
    private const int ENoSys = 38;
    private const long UtimeNow = (1L << 30) - 1;
    private const uint SyncFileRangeWrite = 2;

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDir, string oldPath, int newDir, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeFileHandle Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(SafeFileHandle fd, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static unsafe partial nint PWrite(SafeFileHandle fd, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int FTruncate(SafeFileHandle fd, long length);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FChMod(SafeFileHandle fd, uint mode);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int FUTimens(SafeFileHandle fd, ref long times);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FCntl(SafeFileHandle fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    private static partial nint FListXAttr(SafeFileHandle fd, IntPtr list, nuint size);

    [LibraryImport("libc", EntryPoint = "getxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetXAttr(string path, string name, IntPtr value, nuint size);
}
